/* The boot hand-off on the BSP (specs/BootHandoff.tla). AP i is the spec's AP i + 1: the
 * first n_vmm_aps run the VMM (vmm_cpus=, vmm/vmm_ap.c), then IOPM k is AP n_vmm_aps + k.
 * Their boot events name them by vmm_ap=i or iopm=k (docs/trace-format.md). For each AP in
 * turn, one traced step per spec action (a VMM AP has no zone and no copy of the image):
 *   vmm_alloc_zone      the IOPM's zone (a bump allocator over the IOPM zones)
 *   vmm_write_handoff   entry; then the bounds (the page tables are built from them: cr3);
 *                       then the shared-zone address
 *   vmm_copy_real_mode  the start code to the IOPM's own page below 1 MiB
 *   vmm_copy_prot_mode  the kernel image into the zone, PM_UNITS chunks
 *   vmm_send_init, vmm_send_sipi (twice), then wait for the start code's check-in:
 *   vmm_see_started     on to the next AP
 *   vmm_retry           no check-in before the timeout: INIT-SIPI-SIPI again
 *   vmm_give_up         after START_ATTEMPTS sequences: the AP is parked with INIT
 * Readiness and faults are taken asynchronously (the ready IPI, or the wait loops), by
 * vmm_boot_poll_locked: boot.vmm_see_ready / boot.vmm_see_fault. A faulted IOPM is fenced
 * with INIT. The VMM stays unpaged; each IOPM runs paged, from its own copy of the image. */
#include "vmm.h"
#include "shared_zone.h"
#include "lapic.h"
#include "irq_route.h"
#include "irq.h"
#include "trace.h"
#include "status.h"
#include "klib.h"
#include "x86.h"
#include "paging.h"
#include "iopm.h"

#define INIT_DELAY_US      10000u   /* INIT -> SIPI (SDM) */
/* SIPIs -> check-in. BootHandoff assumes that a started AP checks in before it (VmmRetry
 * needs ~Started): 100 ms was not enough on a 2-core AMD EPYC host at smp 4, where the APs'
 * real-mode starts took up to 230 ms, and the VMM re-INITed an AP that then came up. */
#define START_TIMEOUT_MS   400u
#define START_ATTEMPTS     2u       /* INIT-SIPI-SIPI sequences before giving up: MaxTries */
#define SIPIS_PER_SEQUENCE 2u
#define SLOW_BY            2u       /* a slow AP misses its first sequence: SlowBy SIPIs */
#define SETTLE_TIMEOUT_MS  5000u    /* check-in -> ready or faulted */
#define ROGUE_IOPM         0u
#define SLOW_IOPM          0u

#ifdef MUTANT_NO_RETRY
#define TRIES_USED 1u               /* the bug: one sequence only */
#else
#define TRIES_USED START_ATTEMPTS
#endif

enum ap_state { AP_BOOTING, AP_READY, AP_FAILED };

struct boot_ap {
    u32 lo, hi;                     /* the zone, as allocated */
    u32 apic_id;
    u32 tries;                      /* INIT-SIPI-SIPI sequences sent */
    u32 started;                    /* the start code checked in */
    u32 faulted;
    volatile u32 state;             /* enum ap_state: the spec's status */
};

extern const u8 trampoline_start[], trampoline_end[];
extern char kernel_end[];

static struct boot_ap aps[MAX_APS];
static u32 fatal = RUN_OK;             /* why vmm_boot gave up on the whole boot (vmm_boot_fatal) */
static u32 n_aps;                      /* VMM APs and IOPMs */
static u32 n_vmm_aps;
static u32 zone_next = IOPM_ZONE_BASE;
static u32 slow_mask, dead_mask, rogue_mask;
static u32 bsp;
static u32 sipi_gap_us = DEFAULT_SIPI_GAP_US;

static int is_vmm_ap(u32 i)
{
    return i < n_vmm_aps;
}

static u32 iopm_of(u32 i)
{
    return i - n_vmm_aps;
}

/* A boot step's line: vmm_ap=i for a VMM AP, iopm=k for an IOPM (then the step's pairs, NULL
 * last). */
#define BOOT_TRACE(i, event, ...)                                               \
    do {                                                                        \
        if (is_vmm_ap(i))                                                       \
            trace_vmm_boot_vmm_ap(bsp, (i), (event), __VA_ARGS__);              \
        else                                                                    \
            trace_vmm_boot(bsp, iopm_of(i), (event), __VA_ARGS__);              \
    } while (0)

/* The IOPM fault injection of AP i: bit k of a mask is IOPM k; a VMM AP has none. */
static int faulty(u32 mask, u32 i)
{
    return !is_vmm_ap(i) && ((mask >> iopm_of(i)) & 1);
}

/* The boot loop's steps end here: unlock, then drain the trace buffer to the port, so
 * that the boot is on record even if an AP takes the machine down. */
static void step_done(u32 f)
{
    trace_unlock(f);
    trace_flush(~0u);
}

static u32 image_size(void)
{
    return PAGE_ROUND_UP((u32)kernel_end - VMM_ZONE_START);
}

static u32 pm_chunk(void)
{
    return PAGE_ROUND_UP((image_size() + PM_UNITS - 1) / PM_UNITS);
}

static struct iopm_handoff *handoff(u32 i)
{
    return is_vmm_ap(i) ? vmm_ap_handoff(i) : (struct iopm_handoff *)(aps[i].lo + IOPM_HANDOFF_OFF);
}

static volatile u32 *rm_word(u32 k, u32 off)
{
    return (volatile u32 *)(RM_PAGE(k) + off);
}

/* ---- the boot loop's steps ---------------------------------------------------------- */

static void vmm_alloc_zone(u32 i)
{
    u32 f = trace_lock();
    aps[i].lo = zone_next;
    aps[i].hi = zone_next + IOPM_ZONE_SIZE;
    vmm_zone_allocated(iopm_of(i), aps[i].lo);
#ifndef MUTANT_ZONE_OVERLAP
    zone_next += IOPM_ZONE_SIZE;    /* (the bug: every zone at the same base) */
#endif
    BOOT_TRACE(i, "boot.vmm_alloc_zone", "lo", aps[i].lo, "hi", aps[i].hi, NULL);
    step_done(f);
}

/* A VMM AP's, in the same three steps: the VMM's AP entry, the VMM zone's bounds (an
 * identity map of memory: cr3), the shared zone. h->iopm is its AP number here. */
static void vmm_write_vmm_ap_handoff(u32 i)
{
    struct iopm_handoff *h = handoff(i);
    u32 f = trace_lock();
    memset(h, 0, sizeof(*h));
    h->magic = HANDOFF_MAGIC;
    h->iopm = i;
    h->apic_id = aps[i].apic_id;
    h->entry = (u32)vmm_ap_entry;
    h->entry_phys = h->entry;       /* the VMM's image, in place */
    h->vmm_apic_id = bsp;
    h->rm_page = RM_PAGE(i);
    BOOT_TRACE(i, "boot.vmm_write_handoff", "entry", h->entry_phys, NULL);
    step_done(f);

    f = trace_lock();
    h->zone_start = VMM_ZONE_START;
    h->zone_end = VMM_ZONE_END;
    h->stack_top = vmm_ap_stack_top(i);
    h->cr3 = vmm_ap_cr3();
    BOOT_TRACE(i, "boot.vmm_write_handoff", "lo", h->zone_start, "hi", h->zone_end, "cr3", h->cr3, NULL);
    step_done(f);

    f = trace_lock();
    h->shared_zone = SHARED_ZONE_BASE;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);   /* the block is whole before the SIPI's stores */
    BOOT_TRACE(i, "boot.vmm_write_handoff", "shared", h->shared_zone, NULL);
    step_done(f);
}

/* Three steps, as the spec: the entry, the bounds (and the page tables), the shared zone. */
static void vmm_write_handoff(u32 i, const struct run_config *cfg)
{
    u32 k = iopm_of(i);
    struct iopm_handoff *h = handoff(i);
    u32 f = trace_lock();
    memset(h, 0, sizeof(*h));
    h->magic = HANDOFF_MAGIC;
    h->iopm = k;
    h->apic_id = aps[i].apic_id;
    h->entry = (u32)iopm_entry;
    h->entry_phys = aps[i].lo + IOPM_IMAGE_OFF + (h->entry - VMM_ZONE_START);
    h->scenario = cfg->scenario;
    h->requests = cfg->requests;
    h->vmm_apic_id = bsp;
    h->vmm_vector = VMM_IPI_BASE + k;
    h->idle_us = cfg->iopm_idle_us;
    h->tsc_per_ms = (u32)tsc_per_ms();
    h->diag_pc = RING_PC_RUN;
    h->rm_page = RM_PAGE(i);
    h->rogue = (rogue_mask >> k) & 1;
    h->admin_vcpu = cfg->scenario == SCEN_VM_ADMIN && k == CONSOLE_IOPM ? cfg->vcpus - 1u : ~0u;
    BOOT_TRACE(i, "boot.vmm_write_handoff", "entry", h->entry_phys, NULL);
    step_done(f);

    f = trace_lock();
    h->zone_start = aps[i].lo;
    h->zone_end = aps[i].hi;
    h->stack_top = aps[i].hi;
    h->cr3 = iopm_pages_build(k, aps[i].lo, aps[i].hi, image_size(), h->rm_page);
    irq_map_owned_devices(k);    /* the device memory it owns (routing scenarios) */
    BOOT_TRACE(i, "boot.vmm_write_handoff", "lo", h->zone_start, "hi", h->zone_end, "cr3", h->cr3, NULL);
    step_done(f);

    f = trace_lock();
    h->shared_zone = SHARED_ZONE_BASE;
    h->channel = (u32)vmm_channel(k);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    BOOT_TRACE(i, "boot.vmm_write_handoff", "shared", h->shared_zone, NULL);
    step_done(f);
}

static void vmm_copy_real_mode(u32 i)
{
    u32 n = (u32)(trampoline_end - trampoline_start);
    u32 f = trace_lock();
    memcpy((void *)RM_PAGE(i), trampoline_start, n);
    *rm_word(i, RM_HANDOFF_OFF) = (u32)handoff(i);
    *rm_word(i, RM_FAULT_OFF) = RM_FAULT_NONE;
    *rm_word(i, RM_CHECKIN_OFF) = 0;
    *rm_word(i, RM_PROGRESS_OFF) = RM_PROGRESS_NONE;
    BOOT_TRACE(i, "boot.vmm_copy_real_mode", "at", RM_PAGE(i), "size", n, NULL);
    step_done(f);
}

static void vmm_copy_prot_mode(u32 i, u32 unit)
{
    u32 from = unit * pm_chunk(), n = pm_chunk(), at = aps[i].lo + IOPM_IMAGE_OFF + from;
    u32 f;
    if (from >= image_size())
        n = 0;
    else if (n > image_size() - from)
        n = image_size() - from;
    /* The copy and its line in one critical section, like every step: then the line order
     * is the order of the copies and of what the APs did (sipi-before-layout's AP runs
     * code whose copy is traced after it). It holds the IOPMs already up for the copy's
     * duration (a few ms under TCG). */
    f = trace_lock();
    memcpy((void *)at, (const void *)(VMM_ZONE_START + from), n);
    BOOT_TRACE(i, "boot.vmm_copy_prot_mode", "unit", unit, "at", at, "size", n, NULL);
    step_done(f);
}

/* The fault injection of this sequence goes into the real-mode page before the INIT:
 * a dead AP is dead every time, a slow one only on its first sequence, where it waits for
 * the next INIT without checking in. (It once spun a TSC-timed while past the start
 * timeout, then checked in: a host that kept the BSP's vCPU from running for that long let
 * the check-in come first, and the run failed for the host's load.) */
static void vmm_send_init(u32 i)
{
    u32 f, mode = RM_FAULT_NONE;
    aps[i].tries++;
    if (faulty(dead_mask, i))
        mode = RM_FAULT_DEAD;
    else if (faulty(slow_mask, i) && aps[i].tries == 1)
        mode = RM_FAULT_SLOW;
    *rm_word(i, RM_FAULT_OFF) = mode;
    *rm_word(i, RM_CHECKIN_OFF) = 0;
    *rm_word(i, RM_PROGRESS_OFF) = RM_PROGRESS_NONE;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    f = trace_lock();
    lapic_send_ipi(aps[i].apic_id, ICR_INIT_ASSERT);
    BOOT_TRACE(i, "boot.vmm_send_init", "try", aps[i].tries, NULL);
    step_done(f);
    pit_delay_us(INIT_DELAY_US);
    lapic_send_ipi(aps[i].apic_id, ICR_INIT_DEASSERT);
}

static void vmm_send_sipi(u32 i)
{
    /* The line goes out to the port before the SIPI: an AP that crashes the machine (a
     * triple fault ends QEMU) must not take the lines that explain it with it. */
    u32 f = trace_lock();
    BOOT_TRACE(i, "boot.vmm_send_sipi", "vector", RM_SIPI_VECTOR(i), NULL);
    trace_flush(~0u);
    lapic_send_ipi(aps[i].apic_id, ICR_STARTUP | RM_SIPI_VECTOR(i));
    trace_unlock(f);
    /* TSC: the gap may exceed the PIT's 50 ms. It ends early once the AP has failed (its fault
     * IPI taken: vmm_boot_poll_locked parked it), so a long gap (sipi_gap_us=1000000) sends the
     * sequence's next SIPI to a parked AP by construction, however late within it the AP faults */
    tsc_delay_us_until(sipi_gap_us, &aps[i].state, AP_FAILED);
}

/* Park an AP the VMM gave up or that faulted: INIT leaves it waiting for a SIPI that never
 * comes (the spec's FailedIsDown). Untraced. A SIPI of its own sequence may still be on its
 * way: one the AP has not taken yet (its vCPU held off, or the VMM's between its two SIPIs)
 * is taken after the INIT and starts it again. So its start code is armed dead first: a
 * late start halts at once, before anything it could do or trace. */
static void park(u32 i)
{
#if !defined(MUTANT_PARK_KEEPS_START_CODE)
    *rm_word(i, RM_FAULT_OFF) = RM_FAULT_DEAD;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);   /* the word is in memory before the INIT */
#endif                                         /* MUTANT park-keeps-start-code: not armed */
    lapic_send_ipi(aps[i].apic_id, ICR_INIT_ASSERT);
    lapic_send_ipi(aps[i].apic_id, ICR_INIT_DEASSERT);
}

/* 1: checked in (traced boot.vmm_see_started); 0: timeout. The look at the word after the
 * deadline is the last one: a VMM held off past the deadline (its vCPU descheduled on a
 * loaded host) must not retry, and so re-INIT, an AP that checked in meanwhile, perhaps
 * one already up and reporting ready. */
static int vmm_wait_started(u32 i)
{
    u64 end = rdtsc() + tsc_per_ms() * START_TIMEOUT_MS;
    for (;;) {
        int late = rdtsc() >= end;
        if (*rm_word(i, RM_CHECKIN_OFF) == RM_CHECKIN_MAGIC) {
            u32 f = trace_lock();
            aps[i].started = 1;
            BOOT_TRACE(i, "boot.vmm_see_started", NULL);
            step_done(f);
            return 1;
        }
        if (late)
            return 0;
        trace_flush(~0u);
        cpu_relax();
    }
}

static void vmm_retry(u32 i)
{
    u32 f = trace_lock();
    BOOT_TRACE(i, "boot.vmm_retry", NULL);
    step_done(f);
}

static void vmm_give_up(u32 i)
{
    u32 f = trace_lock();
    aps[i].state = AP_FAILED;
    BOOT_TRACE(i, "boot.vmm_give_up", NULL);
    step_done(f);
    park(i);
    klog("ap %u: no check-in after %u sequences, given up\n", i, aps[i].tries);
}

/* Under the trace lock: VMM AP i's VmmSeeReady (it has no fault path). */
static void poll_vmm_ap_locked(u32 i)
{
    if (aps[i].state == AP_BOOTING && aps[i].started && vmm_ap_ready(i)) {
        aps[i].state = AP_READY;
        BOOT_TRACE(i, "boot.vmm_see_ready", NULL);
    }
}

/* Under the trace lock (interrupts off): the spec's VmmSeeReady / VmmSeeFault of IOPM k. */
void vmm_boot_poll_locked(u32 k)
{
    struct channel *ch;
    u32 st, i = n_vmm_aps + k;
    if (i >= n_aps || aps[i].state != AP_BOOTING || !aps[i].lo)
        return;
    ch = vmm_channel(k);
    st = *(volatile u32 *)&ch->iopm.status;
    if (st == CHAN_STATUS_READY) {
        aps[i].state = AP_READY;
        BOOT_TRACE(i, "boot.vmm_see_ready", NULL);
    } else if (st == CHAN_STATUS_FAULTED) {
        aps[i].state = AP_FAILED;
        aps[i].faulted = 1;
        BOOT_TRACE(i, "boot.vmm_see_fault", "addr", *(volatile u32 *)&ch->iopm.fault_addr, NULL);
        park(i);
    }
}

static void poll_all(void)
{
    u32 f, news = 0;
    /* a look without the lock first: spinning on the trace lock would hold off the very
     * IOPMs whose lines we wait for */
    for (u32 i = 0; i < n_aps; i++)
        news += aps[i].state == AP_BOOTING &&
                (is_vmm_ap(i) ? vmm_ap_ready(i)
                              : *(volatile u32 *)&vmm_channel(iopm_of(i))->iopm.status != CHAN_STATUS_NOT_STARTED);
    if (!news)
        return;
    f = trace_lock();
    for (u32 i = 0; i < n_aps; i++) {
        if (is_vmm_ap(i))
            poll_vmm_ap_locked(i);
        else
            vmm_boot_poll_locked(iopm_of(i));
    }
    trace_unlock(f);
}

static void boot_one(u32 i, const struct run_config *cfg)
{
    if (is_vmm_ap(i)) {             /* no zone, no copy: the VMM's image in place */
        vmm_write_vmm_ap_handoff(i);
        vmm_copy_real_mode(i);
    } else {
        vmm_alloc_zone(i);
        vmm_write_handoff(i, cfg);
        vmm_copy_real_mode(i);
#ifndef MUTANT_SIPI_BEFORE_LAYOUT
        for (u32 u = 0; u < PM_UNITS; u++)
            vmm_copy_prot_mode(i, u);
#endif
    }
    for (;;) {
        vmm_send_init(i);
        for (u32 n = 0; n < SIPIS_PER_SEQUENCE; n++)
            vmm_send_sipi(i);
#ifdef MUTANT_SIPI_BEFORE_LAYOUT
        /* the bug: the AP is started before its protected-mode code is laid out */
        if (!is_vmm_ap(i) && aps[i].tries == 1)
            for (u32 u = 0; u < PM_UNITS; u++)
                vmm_copy_prot_mode(i, u);
#endif
        trace_flush(~0u);
        if (vmm_wait_started(i))
            return;
        if (aps[i].tries >= TRIES_USED) {
            vmm_give_up(i);
            return;
        }
        vmm_retry(i);
    }
}

static void fault_plan(const struct run_config *cfg, u32 iopms)
{
    slow_mask = dead_mask = rogue_mask = 0;
    if (iopms == 0)
        return;
    if (cfg->scenario == SCEN_BOOT_ROGUE)
        rogue_mask = 1u << ROGUE_IOPM;
    else if (cfg->scenario == SCEN_BOOT_SLOW)
        slow_mask = 1u << SLOW_IOPM;
    else if (cfg->scenario == SCEN_BOOT_DEAD)
        dead_mask = 1u << (iopms - 1);
}

u32 vmm_boot(const struct run_config *cfg, u32 vmm_aps, u32 iopms, u32 first_apic_id, u32 *ready)
{
    u32 f, up = 0;
    u64 end;

    bsp = lapic_id();
    n_vmm_aps = vmm_aps;
    n_aps = vmm_aps + iopms;
    sipi_gap_us = cfg->sipi_gap_us;
    fault_plan(cfg, iopms);
    if (image_size() > IOPM_IMAGE_MAX || (u32)(trampoline_end - trampoline_start) > RM_CODE_MAX) {
        klog("image (%u bytes) or start code too large for its place\n", image_size());
        fatal = RUN_FAULT;
        return 0;
    }
    for (u32 i = 0; i < n_aps; i++) {
        aps[i].apic_id = first_apic_id + i;
        aps[i].state = AP_BOOTING;
    }
    f = trace_lock();
    trace_comment("# boot pm_units=%u max_tries=%u slow_by=%u slow_mask=%u dead_mask=%u rogue_mask=%u vmm_aps=%u",
                  PM_UNITS, START_ATTEMPTS, SLOW_BY, slow_mask, dead_mask, rogue_mask, n_vmm_aps);
    trace_unlock(f);

    sti();                          /* ready and fault IPIs, taken as they come */
    for (u32 i = 0; i < n_aps; i++) {
        boot_one(i, cfg);
        trace_flush(~0u);
    }
    /* every started AP ends ready or faulted; bounded */
    end = rdtsc() + tsc_per_ms() * SETTLE_TIMEOUT_MS;
    for (;;) {
        u32 waiting = 0;
        poll_all();
        trace_flush(~0u);
        for (u32 i = 0; i < n_aps; i++)
            waiting += aps[i].state == AP_BOOTING;
        if (!waiting)
            break;
        if (rdtsc() > end) {
            cli();
            f = trace_lock();
            for (u32 i = 0; i < n_aps; i++)
                if (aps[i].state == AP_BOOTING)
                    trace_comment("# boot hang %s=%u started=%u progress=%u", is_vmm_ap(i) ? "vmm_ap" : "iopm",
                                  is_vmm_ap(i) ? i : iopm_of(i), aps[i].started, *rm_word(i, RM_PROGRESS_OFF));
            trace_unlock(f);
            klog("boot: %u AP(s) neither ready nor faulted\n", waiting);
            fatal = RUN_BOOT_HANG;
            return 0;
        }
        cpu_relax();
    }
    cli();
    for (u32 i = 0; i < n_vmm_aps; i++)
        klog("vmm ap %u on apic %u: %s after %u sequence(s)\n", i, aps[i].apic_id,
             aps[i].state == AP_READY ? "ready" : "given up", aps[i].tries);
    for (u32 k = 0; k < iopms; k++) {
        struct boot_ap *a = &aps[n_vmm_aps + k];
        ready[k] = a->state == AP_READY;
        up += ready[k];
        klog("iopm %u on apic %u: %s after %u sequence(s)\n", k, a->apic_id,
             ready[k] ? "ready" : a->faulted ? "faulted" : "given up", a->tries);
    }
    return up;
}

u32 vmm_boot_fatal(void)
{
    return fatal;
}

/* Every VMM AP ready; each IOPM as its fault injection says. */
u32 vmm_boot_verdict(void)
{
    for (u32 i = 0; i < n_aps; i++) {
        int want_ready = !faulty(dead_mask | rogue_mask, i);
        if (want_ready != (aps[i].state == AP_READY))
            return RUN_BOOT_UNEXPECTED;
        if (faulty(rogue_mask, i) && !aps[i].faulted)
            return RUN_BOOT_UNEXPECTED;
        if (faulty(slow_mask, i) && aps[i].tries < 2)
            return RUN_BOOT_UNEXPECTED;
    }
    return RUN_OK;
}
