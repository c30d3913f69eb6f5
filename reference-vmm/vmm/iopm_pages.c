/* The page tables of each IOPM (32-bit, PSE), built by the VMM in the IOPM's zone before
 * the AP starts (vmm/ap_boot.c's VmmWriteHandoff), and the device pages mapped into them
 * later: at boot for the devices routed to it (vmm/route.c), and when a failover moves a
 * device to it. This file owns the tables; the boot and the routing only call it. */
#include "vmm.h"
#include "shared_zone.h"
#include "zones.h"
#include "lapic.h"
#include "status.h"
#include "klib.h"
#include "paging.h"

struct pt_builder {
    u32 *pd;
    u32 pool, pool_end;
};

static u32 *pt_alloc(struct pt_builder *b)
{
    u32 *p = (u32 *)b->pool;
    if (b->pool >= b->pool_end) {
        /* the pool is sized for the layout: a build error, not a run's outcome (no run.end) */
        klog("page-table pool exhausted\n");
        qemu_exit(RUN_FAULT);
    }
    b->pool += PAGE_SIZE;
    memset(p, 0, PAGE_SIZE);
    return p;
}

static void map_4k(struct pt_builder *b, u32 va, u32 pa, u32 flags)
{
    u32 *pde = &b->pd[va >> PDE_SHIFT];
    u32 *pt;
    if (!(*pde & PTE_PRESENT))
        *pde = (u32)pt_alloc(b) | PTE_PRESENT | PTE_WRITE;
    pt = (u32 *)(*pde & PTE_ADDR_MASK);
    pt[(va >> PAGE_SHIFT) & PT_INDEX_MASK] = (pa & PTE_ADDR_MASK) | flags | PTE_PRESENT;
}

static void map_range_4k(struct pt_builder *b, u32 va, u32 pa, u32 size, u32 flags)
{
    for (u32 o = 0; o < size; o += PAGE_SIZE)
        map_4k(b, va + o, pa + o, flags);
}

static void map_range_4m(struct pt_builder *b, u32 va, u32 size, u32 flags)
{
    for (u32 o = 0; o < size; o += LARGE_PAGE_SIZE)
        b->pd[(va + o) >> PDE_SHIFT] = (va + o) | flags | PTE_PRESENT | PDE_LARGE;
}

/* What IOPM k may touch: the image's linked addresses -> its copy in the zone; its zone,
 * its real-mode page (needed while it turns paging on), the shared zone's header and its
 * own channel, the trace zone and buffer (instrumentation), its LAPIC (uncached), the device
 * pages every IOPM shares. Not the IOAPIC, not the rest of the VMM zone, not another IOPM's
 * zone. Returns CR3. */
static struct pt_builder pts[MAX_IOPMS];   /* each IOPM's tables, kept for device pages */
#define SHARED_DEVICE_PAGES 1u
static u32 shared_device[SHARED_DEVICE_PAGES], n_shared_device;   /* every IOPM maps these */

u32 iopm_pages_build(u32 k, u32 lo, u32 hi, u32 image_size, u32 rm_page)
{
    struct pt_builder b;
    b.pool = lo + IOPM_PT_POOL_OFF;
    b.pool_end = b.pool + IOPM_PT_POOL_PAGES * PAGE_SIZE;
    b.pd = pt_alloc(&b);

    map_range_4k(&b, VMM_ZONE_START, lo + IOPM_IMAGE_OFF, image_size, PTE_WRITE);
    map_range_4m(&b, lo, hi - lo, PTE_WRITE);
    map_4k(&b, rm_page, rm_page, PTE_WRITE);
    map_4k(&b, SHARED_ZONE_BASE, SHARED_ZONE_BASE, 0);   /* the zone header: VMM-written, read-only here */
    map_4k(&b, (u32)vmm_channel(k), (u32)vmm_channel(k), PTE_WRITE);
    map_range_4k(&b, TRACE_ZONE_BASE, TRACE_ZONE_BASE, TRACE_ZONE_SIZE, PTE_WRITE);
    map_range_4m(&b, TRACE_BUF_BASE, TRACE_BUF_SIZE, PTE_WRITE);
    map_4k(&b, LAPIC_BASE, LAPIC_BASE, PTE_WRITE | PTE_PCD | PTE_PWT);
#ifdef MUTANT_MAP_VMM_ZONE
    /* the bug: the rest of the VMM zone, writable (a stray write lands, no fault) */
    map_range_4k(&b, VMM_ZONE_START + image_size, VMM_ZONE_START + image_size,
                 VMM_ZONE_END - VMM_ZONE_START - image_size, PTE_WRITE);
#endif
    pts[k] = b;
    for (u32 i = 0; i < n_shared_device; i++)
        vmm_map_device_page(k, shared_device[i]);   /* every IOPM's (the guests' devices) */
    return (u32)b.pd;
}

void vmm_share_device_page(u32 pa)
{
    if (n_shared_device < SHARED_DEVICE_PAGES)
        shared_device[n_shared_device++] = pa;
}

/* Maps one page of device memory (a BAR's registers) into IOPM k, uncached: at boot for
 * the devices routed to it, and when a failover moves a device to it. The page was not
 * present before, and a CPU caches no not-present translation: no TLB shootdown. */
void vmm_map_device_page(u32 k, u32 pa)
{
    if (k >= MAX_IOPMS || !pts[k].pd)
        return;
    map_4k(&pts[k], pa & PTE_ADDR_MASK, pa & PTE_ADDR_MASK, PTE_WRITE | PTE_PCD | PTE_PWT);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}
