/* The VMM's own APs (vmm_cpus=N: BootHandoff's NVmmAps = N - 1, APs 1 .. N - 1): what they
 * run on and their entry. The BSP's boot loop (ap_boot.c) starts one as it starts an IOPM,
 * through the same start code (boot/trampoline.S), with no zone and no copy: it runs the
 * VMM's image in place, identity mapped (the start code turns paging on with the hand-off
 * block's CR3), on a stack of its own in the VMM zone. For now it signals ready and parks:
 * the guests still run on the BSP, and the per-VMM-CPU channels are not in the shared zone
 * yet. */
#include "vmm.h"
#include "trace.h"
#include "paging.h"
#include "lapic.h"
#include "ioapic.h"
#include "klib.h"
#include "x86.h"

#define VMM_AP_STACK_SIZE 0x2000u
#define PD_ENTRIES        (PAGE_SIZE / sizeof(u32))
STATIC_ASSERT(IOAPIC_BASE >> PDE_SHIFT == LAPIC_BASE >> PDE_SHIFT, "one uncached large page holds both APICs");

static u32 identity_pd[PD_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static u8 stacks[MAX_VMM_APS][VMM_AP_STACK_SIZE] __attribute__((aligned(16)));
static struct iopm_handoff handoffs[MAX_VMM_APS];
static volatile u32 ready[MAX_VMM_APS];   /* the spec's readyFlag[a], VMM memory */

/* 4 GiB in large pages, physical = linear, the APICs' page uncached: the VMM's view of memory
 * (the BSP runs unpaged). */
u32 vmm_ap_cr3(void)
{
    for (u32 i = 0; i < PD_ENTRIES; i++) {
        u32 pde = (i << PDE_SHIFT) | PTE_PRESENT | PTE_WRITE | PDE_LARGE;
        if (i == LAPIC_BASE >> PDE_SHIFT)
            pde |= PTE_PCD | PTE_PWT;
        identity_pd[i] = pde;
    }
    return (u32)identity_pd;
}

struct iopm_handoff *vmm_ap_handoff(u32 j)
{
    return &handoffs[j];
}

u32 vmm_ap_stack_top(u32 j)
{
    return (u32)(stacks[j] + VMM_AP_STACK_SIZE);
}

int vmm_ap_ready(u32 j)
{
    return ready[j] != 0;
}

/* The spec's ApEnterVmm, after its ApSwitchToProtected (the start code cannot trace: it left
 * its progress in its page). The line and the flag in one critical section, so the BSP's
 * boot.vmm_see_ready, which reads the flag under the lock, comes after it. The BSP polls
 * the flag in its boot loop's waits; the IOPMs' ready IPI only wakes it sooner, and a VMM
 * AP sends none. */
void vmm_ap_entry(struct iopm_handoff *h)
{
    u32 j = h->iopm, f;
    h->boot_ack = 1;
    if (*(volatile u32 *)(h->rm_page + RM_PROGRESS_OFF) != RM_PROGRESS_PAGING)
        klog("vmm ap %u: start code progress %u\n", j, *(volatile u32 *)(h->rm_page + RM_PROGRESS_OFF));
    f = trace_lock();
    trace_vmm_ap_boot(h->apic_id, j, "boot.ap_switch_to_protected", NULL);
    trace_unlock(f);
    f = trace_lock();
    trace_vmm_ap_boot(h->apic_id, j, "boot.ap_enter_vmm", NULL);
    ready[j] = 1;
    trace_unlock(f);
    trace_close_self(h->apic_id);   /* it records nothing more: its v2 log ends here (v1: nothing) */
    for (;;) {                      /* parked: no guest runs here yet */
        cli();
        hlt();
    }
}
