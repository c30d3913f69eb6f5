/* The VMM's side of interrupt routing (specs/IrqRouting.tla), on the BSP.
 *
 * Every external interrupt reaches the BSP (the IOAPIC sends each device's pin there). The
 * handler accepts it (VmmAccept), then either runs the VMM's own driver (VmmHandle) or
 * appends <dev, n> to the pending list of the IOPM the routing table names and sends that
 * IOPM the IRQ_IPI_VECTOR (VmmRoute); the dispatcher writes the EOI last. Each step is
 * taken with its trace line under the trace lock.
 *
 * The BSP's timer tick (ClockTick) reads every live IOPM's beat, keeps the miss counts, then
 * moves the clock on (irq_clock, in the zone header: a beat equal to it is the spec's
 * beat[k]); at IRQ_MISS_LIMIT the main loop fails the IOPM over (vmm_detect_failure, with
 * serve.c's ring part around it). The lock-free build's records carry the routing words
 * each step read and wrote (w:irq_prod.k, r:irq_beat.k, w:irq_clock, ...), from which the
 * checker orders the routing steps across CPUs.
 *
 * The load generator stands in for the devices' own events: it raises an interrupt only
 * when the VMM has accepted the previous one (so the IOAPIC-to-VMM order is FIFO, as the
 * spec's `ioapic` sequence is: the LAPIC alone would deliver by vector priority) and a
 * device only when its previous interrupt was handled (edge lines are never coalesced). */
#include "irq_route.h"
#include "vcpu.h"
#include "vmm.h"
#include "shared_zone.h"
#include "lapic.h"
#include "irq.h"
#include "trace.h"
#include "klib.h"
#include "x86.h"

#define ROUTE_VMM        0xFFFFFFFFu   /* routing table: the VMM's own device (spec: 0) */
#define RNG_MIX          0x2545F491u
#define FENCE_SETTLE_US  100u          /* the INIT lands before the trace lock is released */
#define MS_PER_S         1000u
#define BALANCE_STOP_AFTER 3u          /* irq-balance: the IOPM stops early */
#define FAILOVER_IOPM    0u            /* the IOPM the failure scenarios stop */
#define US_PER_MS        1000u
/* irq-failover, irq-balance: a device event every FAILURE_RAISE_GAP_US at most, so that the
 * load goes on across the failover (detection takes IRQ_MISS_LIMIT + 1 VMM ticks); the
 * other scenarios raise as fast as interrupts are handled */
#define FAILURE_RAISE_GAP_US 10000u

static const struct run_config *cfg;
static u32 n_iopms, n_dev, bsp;
static struct irq_device dev[IRQ_MAX_DEVICES];
static u32 route[IRQ_MAX_DEVICES];
static u32 ready[MAX_IOPMS], failed[MAX_IOPMS], miss[MAX_IOPMS];
static u32 accepted[IRQ_MAX_DEVICES];   /* the VMM's count per device: `n` */
static u32 raised[IRQ_MAX_DEVICES];
static u32 raised_total, accepted_total;
static u32 running, rng, failovers;
static u32 raising_devices;             /* the generator raises devices 0 .. this-1 */
static volatile u32 ticks;
static u64 last_clock_tick;
static u64 raise_gap, last_raise;        /* TSC */
static u64 goal_raise_gap;              /* TSC: IRQ_GOAL_RAISE_GAP_US */
static u64 goal_since;                  /* TSC: when the base irqs= were all raised */
static u32 pit_armed, spurious;         /* the VMM's own device: a count is running */
static u32 clock_ticks;                 /* ClockTick steps taken: the value published in irq_clock */
static u32 beat_after_first[MAX_IOPMS]; /* a tick after the first saw IOPM k's beat */

static struct channel *chan(u32 k) { return vmm_channel(k); }

int irq_scenario(void) { return cfg && SCEN_IS_IRQ(cfg->scenario); }
int irq_iopm_failed(u32 k) { return k < MAX_IOPMS && failed[k]; }
u32 irq_failovers(void) { return failovers; }

static int iopm_live(u32 k) { return ready[k] && !failed[k]; }

/* Load(r, i): devices routed to IOPM i */
static u32 load(u32 k)
{
    u32 n = 0;
    for (u32 d = 0; d < n_dev; d++)
        n += route[d] == k;
    return n;
}

/* Min(Live \ {except}): RequeueTo, where a failed IOPM's ring requests (and, in GuestIo,
 * its guest devices and their exits) go; ~0u if none */
static u32 lowest_live(u32 except)
{
    for (u32 k = 0; k < n_iopms; k++)
        if (iopm_live(k) && k != except)
            return k;
    return ~0u;
}

/* ArgMin(Load, Live \ {except}): fewest devices, lowest id on a tie; ~0u if none */
static u32 least_loaded(u32 except)
{
    u32 best = ~0u, best_load = ~0u;
    for (u32 k = 0; k < n_iopms; k++) {
        u32 l;
        if (!iopm_live(k) || k == except)
            continue;
        l = load(k);
        if (l < best_load) {
            best = k;
            best_load = l;
        }
    }
    return best;
}

void irq_boot(const struct run_config *c, u32 iopms)
{
    u32 f, vmm_apic = lapic_id();

    cfg = c;
    n_iopms = iopms;
    bsp = vmm_apic;
    if (!irq_scenario())
        return;
    rng = c->seed * RNG_MIX + 1u;
    n_dev = devices_discover(dev, IRQ_MAX_DEVICES);
    raising_devices = c->scenario == SCEN_IRQ_VMM_LOCAL ? IRQ_VMM_DEVICES : n_dev;
    for (u32 d = 0; d < n_dev; d++) {
        /* boot routing: the VMM's devices to the VMM, the others dealt round robin */
        route[d] = d < IRQ_VMM_DEVICES ? ROUTE_VMM : iopms ? (d - IRQ_VMM_DEVICES) % iopms : ROUTE_VMM;
        ioapic_route_pin(dev[d].pin, dev[d].vector, vmm_apic);
    }
    memset((void *)IRQ_OBS, 0, sizeof(struct irq_obs));

    f = trace_lock();
    trace_comment("# irq devices=%u vmm_devices=%u miss_limit=%u tick_ms=%u iopm_tick_ms=%u",
                  n_dev, IRQ_VMM_DEVICES, IRQ_MISS_LIMIT, IRQ_TICK_MS, IOPM_TICK_MS);
    for (u32 d = 0; d < n_dev; d++)
        trace_comment("# device %u %s pin=%u vector=%u", d, dev[d].name, dev[d].pin, dev[d].vector);
    trace_unlock(f);

    for (u32 k = 0; k < iopms; k++) {
        struct irq_handoff *ih = (struct irq_handoff *)(IOPM_ZONE_START(k) + IOPM_IRQ_HANDOFF_OFF);
        memset(ih, 0, sizeof(*ih));
        ih->enabled = 1;
        ih->timer_count = lapic_ticks_per_ms() * IOPM_TICK_MS;
        /* fault injection: the stopped IOPM's pending interrupt and ring requests must
         * go somewhere, so only when another IOPM lives */
        if (k == FAILOVER_IOPM && iopms > 1) {
            if (c->scenario == SCEN_VM_FAILOVER) {
                /* half of its guests' exits, then OUTs up to the first IN, which it
                 * holds with the rest (so some are left to re-issue, an IN among them
                 * that reads what it wrote) and stops at its next take */
                ih->stop_after_pio = vcpu_exits_to(k) / 2 + 1;
            } else if (c->scenario == SCEN_IRQ_FAILOVER) {
                u32 devs = n_dev > IRQ_VMM_DEVICES ? n_dev - IRQ_VMM_DEVICES : 1;
                u32 mine = (devs + iopms - 1) / iopms;
                ih->stop_after_irqs = c->irqs * mine / devs / 2 + 1;   /* half its share */
                ih->stop_after_answers = c->requests / 2 + 1;
            } else if (c->scenario == SCEN_IRQ_BALANCE) {
                ih->stop_after_irqs = BALANCE_STOP_AFTER;
            }
        }
        ih->devices = n_dev;
        for (u32 d = 0; d < n_dev; d++) {
            ih->kind[d] = dev[d].kind;
            ih->mmio[d] = dev[d].mmio;
        }
        /* the spec's Init: booted IOPMs have beaten (beat = irq_clock, both 0) */
        chan(k)->irq.beat.beat = clock_ticks;
    }
}

/* The device pages of the devices routed to IOPM k (called while its page tables are
 * built, and again when a device moves to it). */
void irq_map_owned_devices(u32 k)
{
    for (u32 d = 0; d < n_dev; d++)
        if (route[d] == k && dev[d].mmio)
            vmm_map_device_page(k, dev[d].mmio);
}

/* Device d now belongs to IOPM t: its registers become visible to t before any of its
 * interrupts is routed there. */
static void give_device(u32 d, u32 t)
{
    route[d] = t;
    if (t != ROUTE_VMM && dev[d].mmio)
        vmm_map_device_page(t, dev[d].mmio);
}

void irq_run_start(const u32 *rdy)
{
    if (!irq_scenario())
        return;
    for (u32 k = 0; k < n_iopms; k++)
        ready[k] = rdy[k];
    /* an IOPM that never came up has no devices */
    for (u32 d = IRQ_VMM_DEVICES; d < n_dev; d++)
        if (route[d] != ROUTE_VMM && !ready[route[d]]) {
            u32 t = least_loaded(~0u);
            give_device(d, t == ~0u ? ROUTE_VMM : t);
        }
    last_clock_tick = rdtsc();
    goal_raise_gap = udiv64(tsc_per_ms() * IRQ_GOAL_RAISE_GAP_US, US_PER_MS, NULL);
    if (SCEN_FAILS_IOPM(cfg->scenario))
        raise_gap = udiv64(tsc_per_ms() * FAILURE_RAISE_GAP_US, US_PER_MS, NULL);
    running = 1;
}

/* ---- the VMM's handler ---------------------------------------------------------------- */

/* The VMM's driver for its own device: the PIT's one-shot needs no acknowledgement (its
 * OUT stays high until the next count is written). */
static void vmm_driver(u32 d)
{
    (void)d;
}

/* VmmAccept: the interrupt the IOAPIC sent; n is the VMM's count for that device. */
static u32 vmm_accept(u32 d)
{
    u32 f = trace_lock(), n = ++accepted[d];
    accepted_total++;
    trace_event(bsp, "vmm.accept", "dev", d, "n", n, NULL);
    trace_unlock(f);
    return n;
}

static void vmm_handle(u32 d, u32 n)
{
    u32 f;
    vmm_driver(d);
    f = trace_lock();
    trace_event(bsp, "vmm.handle", "dev", d, "n", n, NULL);
    irq_obs_handled(d, n, OBS_VMM_SLOT, 0, rdtsc());
    trace_unlock(f);
}

/* Trace lock held: append <d, n> to IOPM k's pending list (the VMM writes the entry, then
 * the producer index) and send the IPI; its accesses go to acc[0..1] (the publish and the
 * barrier), and it returns how many (0: the list was full). The bound it reads (irq_cons)
 * is not logged: it cannot stop an append, and the spec's list has no bound. */
static u32 pend_append(u32 k, u32 d, u32 n, struct trace_access *acc)
{
    struct channel *ch = chan(k);
    u32 prod = ch->irq.vmm.irq_prod;
    u32 cons = __atomic_load_n(&ch->irq.iopm.irq_cons, __ATOMIC_ACQUIRE);
    if ((u32)(prod - cons) >= IRQ_PEND_SLOTS) {
        /* cannot happen: a device has one interrupt in flight, and there are fewer devices
         * than slots */
        trace_comment("# irq pending list of iopm %u full", k);
        return 0;
    }
    ch->irq.pend[prod & (IRQ_PEND_SLOTS - 1)].dev = d;
    ch->irq.pend[prod & (IRQ_PEND_SLOTS - 1)].n = n;
    /* release: the entry before the index that publishes it */
    __atomic_store_n(&ch->irq.vmm.irq_prod, prod + 1u, __ATOMIC_RELEASE);
    /* the index visible before the IPI that tells the IOPM to look */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    lapic_send_ipi(iopm_handoff_of(k)->apic_id, ICR_FIXED | IRQ_IPI_VECTOR);
    acc[0] = trace_element('w', "irq_prod", k, prod + 1u);
    acc[1] = trace_barrier();
    return 2;
}

static void vmm_route(u32 d, u32 n)
{
    struct trace_access acc[2];
    u32 f = trace_lock(), k = route[d];
    u32 na = pend_append(k, d, n, acc);
    trace_access_event(bsp, "vmm.route", acc, na, "dev", d, "n", n, "iopm", k, NULL);
    trace_unlock(f);
}

int vmm_irq_route(u32 vector)
{
    if (!irq_scenario())
        return 0;
    if (vector == TIMER_VECTOR) {
        u64 now = rdtsc();
        ticks++;
        /* half a timer period of slack: the BSP's timer period divides IRQ_TICK_MS */
        if (running && now - last_clock_tick >= tsc_per_ms() * (IRQ_TICK_MS - VMM_TICK_MS / 2)) {
            last_clock_tick = now;
            clock_tick();
        }
        return 0;                  /* the loop's watchdog also wants it */
    }
    if (vector >= DEV_VECTOR_BASE && vector < DEV_VECTOR_BASE + n_dev) {
        u32 d = vector - DEV_VECTOR_BASE, n;
        if (dev[d].kind == DEV_PIT) {
            /* the VMM's driver knows its device: no count running, no interrupt (the
             * edge of the count the boot left behind) */
            if (!pit_armed || !running) {
                spurious++;
                return 1;
            }
            pit_armed = 0;
        }
        n = vmm_accept(d);
        if (route[d] == ROUTE_VMM)
            vmm_handle(d, n);
        else
            vmm_route(d, n);
        return 1;                  /* the dispatcher writes the EOI, last */
    }
    return 0;
}

/* ---- clock and heartbeats -------------------------------------------------------------- */

/* ClockTick: every live IOPM's beat read first, the clock moved last (one store: the step
 * takes effect there, so an IOPM that sees the new clock beats after the whole tick). */
void clock_tick(void)
{
    struct trace_access acc[2 * MAX_IOPMS + 1];
    /* the VMM's own count, not read back from the zone: the header is read-only to the
     * IOPMs, but the VMM trusts nothing in shared memory for its own decisions */
    u32 f = trace_lock(), na = 0, clock = clock_ticks, missed = 0;
    for (u32 k = 0; k < n_iopms; k++) {
        u32 beat, seen;
        if (!iopm_live(k))
            continue;
        /* acquire: this load is done before the clock's store below (x86 keeps load->store
         * order anyway: a compiler barrier) */
        beat = __atomic_load_n(&chan(k)->irq.beat.beat, __ATOMIC_ACQUIRE);
        seen = beat == clock;
        acc[na++] = trace_element('r', "irq_beat", k, beat);
        if (!seen) {      /* what orders the stop of an IOPM before the ticks that miss it */
            acc[na++] = trace_element('r', "irq_stop", k, trace_stop_mark(k));
            missed |= 1u << k;
        }
        /* the first tick may see Init's beat; a later one, a beat the IOPM traced */
        if (seen && clock_ticks > 0)
            beat_after_first[k] = 1;
        if (seen)
            miss[k] = 0;
        else if (miss[k] < IRQ_MISS_LIMIT)
            miss[k]++;
    }
    acc[na++] = trace_word('w', "irq_clock", clock + 1u);
    trace_access_event(bsp, "irq.clock_tick", acc, na, "missed", missed, NULL);
    clock_ticks = clock + 1u;
    /* release: the beats were read before the IOPMs can see the new clock */
    __atomic_store_n(irq_clock(), clock_ticks, __ATOMIC_RELEASE);
    trace_unlock(f);
}

int irq_goal_met(void)
{
    if (!irq_scenario())
        return 1;
    if (clock_ticks < IRQ_GOAL_TICKS)
        return 0;
    for (u32 k = 0; k < n_iopms; k++)
        if (iopm_live(k) && !beat_after_first[k])
            return 0;
    if (SCEN_FAILS_IOPM(cfg->scenario) && n_iopms > 1 &&
        failovers == 0)
        return 0;
    return 1;
}

void irq_goal_report(void)
{
    klog("irq goal unmet: %u clock tick(s) of %u, %u failover(s), beats after the first tick:",
         clock_ticks, IRQ_GOAL_TICKS, failovers);
    for (u32 k = 0; k < n_iopms; k++)
        klog(" iopm %u %s", k, !iopm_live(k) ? "not live" : beat_after_first[k] ? "yes" : "no");
    klog("\n");
}

/* More interrupts to raise: the base irqs=, then paced ones until the goal is met (bounded). */
static int raise_more(void)
{
    if (raised_total < cfg->irqs) {
        goal_since = rdtsc();
        return 1;
    }
    /* a goal the watchdog's time did not bring is not coming: the run ends, unmet */
    return !irq_goal_met() && raised_total - cfg->irqs < IRQ_GOAL_EXTRA_MAX &&
           rdtsc() - goal_since < tsc_per_ms() * MS_PER_S * cfg->watchdog_s;
}

int irq_failure_due(void)
{
    if (!running)
        return -1;
    for (u32 k = 0; k < n_iopms; k++)
        if (iopm_live(k) && miss[k] >= IRQ_MISS_LIMIT && least_loaded(k) != ~0u)
            return (int)k;
    return -1;
}

/* Under the trace lock, so the fenced CPU is not inside a traced step. */
void irq_fence(u32 f)
{
    u32 fl = trace_lock();
    lapic_send_ipi(iopm_handoff_of(f)->apic_id, ICR_INIT_ASSERT);
    tsc_delay_us(FENCE_SETTLE_US);
    trace_unlock(fl);
}

/* VmmDetectFailure(f), one step: rebalance f's devices (each, lowest first, to the live
 * IOPM with the fewest devices, lowest id on a tie), re-deliver f's unacknowledged
 * interrupts in order (the one it was handling included: it acknowledges only after
 * handling) to their devices' new IOPMs, mark f failed; its `requeued` unanswered ring
 * requests go to RequeueTo(f, r), the lowest live IOPM, returned (serve.c writes them
 * there). */
u32 vmm_detect_failure(u32 f, u32 requeued)
{
    struct channel *ch = chan(f);
    struct trace_access acc[1 + 2 * IRQ_PEND_SLOTS];
    u32 fl = trace_lock(), to, moved = 0, cons, prod, na = 0;
    u64 t = rdtsc();
#if defined(MUTANT_ROUTE_TO_FAILED)
    u32 kept = ~0u;
#endif

    for (u32 d = IRQ_VMM_DEVICES; d < n_dev; d++) {
        if (route[d] != f)
            continue;
#if defined(MUTANT_ROUTE_TO_FAILED)
        if (kept == ~0u)
            kept = d;
#endif
        give_device(d, least_loaded(f));
    }
    cons = __atomic_load_n(&ch->irq.iopm.irq_cons, __ATOMIC_ACQUIRE);
    prod = ch->irq.vmm.irq_prod;
    acc[na++] = trace_element('r', "irq_cons", f, cons);
    /* a failed IOPM's index is not trusted: the list holds IRQ_PEND_SLOTS entries at most
     * (and acc[] room for as many appends) */
    if ((u32)(prod - cons) > IRQ_PEND_SLOTS)
        cons = prod - IRQ_PEND_SLOTS;
#if defined(MUTANT_LOSE_PENDING)
    cons = prod;                   /* MUTANT lose-pending: nothing is re-delivered */
#elif defined(MUTANT_DOUBLE_DELIVERY)
    if (cons != 0)
        cons--;                    /* MUTANT double-delivery: the last acknowledged one too */
#endif
    for (u32 i = cons; i != prod; i++) {
        struct irq_entry e = ch->irq.pend[i & (IRQ_PEND_SLOTS - 1)];
        if (e.dev >= n_dev)
            continue;
        na += pend_append(route[e.dev], e.dev, e.n, acc + na);
        moved++;
    }
    failed[f] = 1;
    failovers++;
    to = lowest_live(~0u);
#if defined(MUTANT_ROUTE_TO_FAILED)
    /* MUTANT route-to-failed: the first moved device's table entry is left pointing at f
     * (its pending interrupts were re-delivered right): its next interrupt goes to f */
    if (kept != ~0u)
        route[kept] = f;
#endif
    trace_access_event(bsp, "vmm.detect_failure", acc, na, "iopm", f, "redelivered", moved,
                       "requeued", requeued, "to", to, NULL);
    trace_unlock(fl);
    if (IRQ_OBS->stop_tsc)
        klog("iopm %u failed over: %u interrupt(s) re-delivered, %u request(s) re-queued to iopm %u, %u ms after its stop (tsc %llu)\n",
             f, moved, requeued, to, (u32)udiv64(t - IRQ_OBS->stop_tsc, (u32)tsc_per_ms(), NULL),
             t - IRQ_OBS->stop_tsc);
    else
        klog("iopm %u failed over (it never traced a stop): %u re-delivered, %u re-queued to iopm %u\n",
             f, moved, requeued, to);
    return to;
}

/* ---- the load generator (main loop) ----------------------------------------------------- */

u32 irq_handled_total(void)
{
    u32 n = 0;
    for (u32 d = 0; d < n_dev; d++)
        n += IRQ_OBS->handled[d];
    return n;
}

int irq_busy(void)
{
    if (!irq_scenario() || !running)
        return 0;
    return raise_more() || irq_handled_total() < raised_total;
}

int irq_done_ok(void)
{
    if (!irq_scenario())
        return 1;
    for (u32 d = 0; d < n_dev; d++)
        if (IRQ_OBS->bad[d] || IRQ_OBS->handled[d] != raised[d])
            return 0;
    return raised_total >= cfg->irqs;
}

/* DeviceRaise: the next device, picked by the seeded PRNG among the idle ones. */
u32 irq_generate(void)
{
    u32 start, f;
    if (!irq_scenario() || !running || !raise_more() || raising_devices == 0)
        return 0;
    if (accepted_total != raised_total)
        return 0;                  /* the previous raise is not accepted yet: FIFO */
    if (raise_gap && rdtsc() - last_raise < raise_gap)
        return 0;
    if (raised_total >= cfg->irqs && rdtsc() - last_raise < goal_raise_gap)
        return 0;                  /* past irqs=: paced, until the goal is met */
    start = prng_next(&rng) % raising_devices;
    for (u32 i = 0; i < raising_devices; i++) {
        u32 d = (start + i) % raising_devices;
        if (IRQ_OBS->handled[d] != raised[d])
            continue;              /* its last interrupt is not handled yet */
        f = trace_lock();
        raised[d]++;
        raised_total++;
        IRQ_OBS->raise_tsc[d] = last_raise = rdtsc();
        trace_event(bsp, "irq.device_raise", "dev", d, NULL);
        if (dev[d].kind == DEV_PIT)
            pit_armed = 1;
        device_raise(&dev[d]);
        trace_unlock(f);
        return 1;
    }
    return 0;
}

void irq_report(void)
{
    struct irq_obs *o = IRQ_OBS;
    if (!irq_scenario())
        return;
    klog("irqs raised %u, handled %u (vmm %u", raised_total, irq_handled_total(), o->by_iopm[OBS_VMM_SLOT]);
    for (u32 k = 0; k < n_iopms; k++)
        klog(", iopm %u: %u%s", k, o->by_iopm[k], failed[k] ? " (failed)" : "");
    klog(")\n");
    for (u32 d = 0; d < n_dev; d++)
        klog("dev %u %s: raised %u handled %u bad %u, routed to %s%u\n", d, dev[d].name, raised[d],
             o->handled[d], o->bad[d], route[d] == ROUTE_VMM ? "vmm" : "iopm ",
             route[d] == ROUTE_VMM ? 0 : route[d]);
    for (u32 c = 0; c < 2; c++)
        if (o->lat_n[c])
            klog("latency raise->handle (%s): mean %llu tsc, max %llu tsc, %u interrupts (tsc %u kHz)\n",
                 c ? "iopm" : "vmm", udiv64(o->lat_sum[c], o->lat_n[c], NULL), o->lat_max[c],
                 o->lat_n[c], (u32)tsc_per_ms());
    if (spurious)
        klog("%u spurious PIT interrupt(s) ignored\n", spurious);
    (void)ticks;
}
