/* The physical memory split, the zone table in the trace, the shared zone set-up. */
#include "vmm.h"
#include "shared_zone.h"
#include "mgmt_ring.h"
#include "trace.h"
#include "klib.h"
#include "status.h"

extern char kernel_end[];

#define SHARED ((struct shared_zone *)SHARED_ZONE_BASE)

volatile u32 *irq_clock(void)
{
    return &SHARED->hdr.irq_clock;
}

struct channel *vmm_channel(u32 k)
{
    return &SHARED->chan[k];
}

static u32 zone_lo[MAX_IOPMS];         /* each IOPM's zone as the boot allocated it (0: not yet) */

void vmm_zone_allocated(u32 k, u32 lo)
{
    if (k < MAX_IOPMS)
        zone_lo[k] = lo;
}

u32 vmm_zone_lo(u32 k)
{
    return k < MAX_IOPMS && zone_lo[k] ? zone_lo[k] : IOPM_ZONE_START(k);
}

struct iopm_handoff *iopm_handoff_of(u32 k)
{
    return (struct iopm_handoff *)(vmm_zone_lo(k) + IOPM_HANDOFF_OFF);
}

#define CANARY ((volatile u32 *)VMM_CANARY_BASE)

/* Past the kernel image, so no IOPM's copy of the image includes them, and nothing an
 * IOPM's page tables map (boot-rogue aims at the first one). */
void vmm_canaries_set(void)
{
    if ((u32)kernel_end > VMM_CANARY_BASE) {
        klog("kernel image overlaps the VMM canaries\n");
        qemu_exit(RUN_FAULT);
    }
    for (u32 i = 0; i < VMM_CANARY_WORDS; i++)
        CANARY[i] = VMM_CANARY_VALUE ^ i;
}

int vmm_zone_intact(void)
{
    for (u32 i = 0; i < VMM_CANARY_WORDS; i++)
        if (CANARY[i] != (VMM_CANARY_VALUE ^ i))
            return 0;
    return 1;
}

/* Under the trace lock, right after the header. */
void zones_print_table(u32 aps, u32 iopms)
{
    trace_comment("# zone realmode 0x%08x 0x%08x", RM_PAGE(0), RM_PAGE(aps));
    trace_comment("# zone vmm 0x%08x 0x%08x", VMM_ZONE_START, VMM_ZONE_END);
    trace_comment("# zone shared 0x%08x 0x%08x", SHARED_ZONE_BASE, SHARED_ZONE_BASE + SHARED_ZONE_SIZE);
    trace_comment("# zone trace 0x%08x 0x%08x", TRACE_ZONE_BASE, TRACE_ZONE_BASE + TRACE_ZONE_SIZE);
    trace_comment("# zone tracebuf 0x%08x 0x%08x", TRACE_BUF_BASE, TRACE_BUF_BASE + TRACE_BUF_SIZE);
    for (u32 k = 0; k < iopms; k++)
        trace_comment("# zone iopm%u 0x%08x 0x%08x", k, IOPM_ZONE_START(k), IOPM_ZONE_START(k) + IOPM_ZONE_SIZE);
    klog("kernel image 0x%08x..0x%08x (VMM zone ends 0x%08x)\n", VMM_ZONE_START, (u32)kernel_end, VMM_ZONE_END);
}

/* Written by the VMM before any AP starts: the whole zone, both control areas included. */
void shared_zone_init(u32 iopms)
{
    struct shared_zone *z = SHARED;
    memset(&z->hdr, 0, sizeof(z->hdr));
    z->hdr.magic = ZONE_MAGIC;
    z->hdr.layout_version = ZONE_LAYOUT_VERSION;
    z->hdr.iopm_count = iopms;
    z->hdr.ring_slots = RING_SLOTS;
    z->hdr.slot_size = SLOT_SIZE;
    for (u32 k = 0; k < MAX_IOPMS; k++) {
        ring_channel_init(&z->chan[k], k);
        mgmt_ring_init(&z->chan[k].mgmt);
    }
}
