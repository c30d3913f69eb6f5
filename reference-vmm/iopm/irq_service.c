/* The IOPM's side of interrupt routing (specs/IrqRouting.tla), on its AP.
 *
 * IRQ_IPI_VECTOR: the VMM appended to this IOPM's pending list. For each entry, oldest
 * first: take it (IopmTake: the head, still in the list), run the device's driver, then
 * trace the handle and only then advance the consumer index (IopmHandle: the
 * acknowledgement). An interrupt being handled is therefore still in the list, and a
 * failover re-delivers it.
 *
 * IOPM_TIMER_VECTOR: the IOPM's clock tick (IopmTick). When the VMM's clock (irq_clock, in
 * the zone header) has moved since its last beat, it copies it into its beat word (one traced
 * beat per VMM tick); the VMM's tick reads the beat and moves the clock on.
 *
 * Each step and its trace line are one critical section under the trace lock. The lock-free
 * build's records carry the routing words each step read and wrote (r:irq_prod.k, ...). */
#include "irq_route.h"
#include "iopm.h"
#include "vmm.h"
#include "shared_zone.h"
#include "lapic.h"
#include "irq.h"
#include "trace.h"
#include "klib.h"
#include "x86.h"

/* The IOPM's own routing state, in its zone after the irq handoff (IOPM-written). */
#define IOPM_IRQ_STATE_OFF 0x00000C00

struct iopm_irq_state {
    u32 handled;        /* interrupts this IOPM handled */
};

STATIC_ASSERT(sizeof(struct iopm_handoff) <= IOPM_IRQ_HANDOFF_OFF, "handoff before the irq handoff");
STATIC_ASSERT(IOPM_IRQ_HANDOFF_OFF + sizeof(struct irq_handoff) <= IOPM_IRQ_STATE_OFF, "irq handoff");
STATIC_ASSERT(IOPM_IRQ_STATE_OFF + sizeof(struct iopm_irq_state) <= IOPM_PRIVATE_OFF, "irq state");

static const struct irq_handoff *ih_of(const struct iopm_handoff *h)
{
    return (const struct irq_handoff *)(h->zone_start + IOPM_IRQ_HANDOFF_OFF);
}

static struct iopm_irq_state *st_of(const struct iopm_handoff *h)
{
    return (struct iopm_irq_state *)(h->zone_start + IOPM_IRQ_STATE_OFF);
}

static struct channel *ch_of(const struct iopm_handoff *h)
{
    return (struct channel *)h->channel;
}

void iopm_irq_start(struct iopm_handoff *h)
{
    const struct irq_handoff *ih = ih_of(h);
    memset(st_of(h), 0, sizeof(struct iopm_irq_state));
    if (!ih->enabled)
        return;
#if !defined(MUTANT_NO_IOPM_CLOCK)
    lapic_timer_periodic(IOPM_TIMER_VECTOR, ih->timer_count);
#endif
    /* MUTANT no-iopm-clock: the timer is never started, so the IOPM never beats */
}

void iopm_answer(struct iopm_handoff *h)
{
    if (ih_of(h)->enabled)
        trace_event(h->apic_id, "iopm.answer", "iopm", h->iopm, NULL);
}

static const volatile u32 *irq_clock_of(const struct iopm_handoff *h)
{
    return &((const struct shared_zone *)h->shared_zone)->hdr.irq_clock;
}

static void iopm_tick(struct iopm_handoff *h)
{
    struct channel *ch = ch_of(h);
    struct trace_access acc[2];
    u32 f, clock;
    ch->iopm.heartbeat++;                         /* free-running, for a human reader */
    if (__atomic_load_n(irq_clock_of(h), __ATOMIC_RELAXED) == ch->irq.beat.beat)
        return;                                   /* already beaten this VMM period: no step */
    f = trace_lock();
    /* acquire: this load is done before the beat's store below (x86 keeps load->store order
     * anyway: a compiler barrier) */
    clock = __atomic_load_n(irq_clock_of(h), __ATOMIC_ACQUIRE);
    if (clock != ch->irq.beat.beat) {             /* not yet beaten this VMM period */
        acc[0] = trace_word('r', "irq_clock", clock);
        acc[1] = trace_element('w', "irq_beat", h->iopm, clock);
        trace_access_event(h->apic_id, "iopm.tick", acc, 2, "iopm", h->iopm, NULL);
        __atomic_store_n(&ch->irq.beat.beat, clock, __ATOMIC_RELEASE);
    }
    trace_unlock(f);
}

/* The device's driver, for an interrupt of device d. */
static void iopm_driver(const struct irq_handoff *ih, u32 d)
{
    if (ih->kind[d] == DEV_EDU) {
        volatile u32 *bar = (volatile u32 *)ih->mmio[d];
        u32 status = bar[EDU_REG_IRQ_STATUS / sizeof(u32)];
        bar[EDU_REG_IRQ_ACK / sizeof(u32)] = status;   /* INTx goes low */
    }
    /* pc-testdev lines were pulsed: nothing to acknowledge */
}

/* Fault injection (irq-failover, irq-balance): stop here, right after a take, so the
 * interrupt in service is unacknowledged, and only when every response written is also
 * published (the spec's ring requests are counts: no half-published batch). */
static int stop_point(const struct iopm_handoff *h, const struct irq_handoff *ih)
{
    const struct iopm_private *p = (const struct iopm_private *)(h->zone_start + IOPM_PRIVATE_OFF);
    const struct iopm_irq_state *st = st_of(h);
    int due;
    if (!ih->stop_after_irqs && !ih->stop_after_pio)
        return 0;
    due = (ih->stop_after_irqs && st->handled >= ih->stop_after_irqs) ||
          (ih->stop_after_answers && p->ring.rsp_pvt >= ih->stop_after_answers) ||
          iopm_holds_requests(h);
    return due && p->ring.rsp_pvt == __atomic_load_n(&ch_of(h)->iopm.rsp_prod, __ATOMIC_ACQUIRE);
}

int iopm_holds_requests(const struct iopm_handoff *h)
{
    const struct iopm_private *p = (const struct iopm_private *)(h->zone_start + IOPM_PRIVATE_OFF);
    return p->pio_holding;
}

/* The held request is an IN: its vCPU's OUT before it was answered here, so the IN the
 * failover re-issues reads, from the new owner, a register (STATUS) or a sector (DATA in)
 * this IOPM wrote. By construction: a vCPU's INs go to the disk its OUTs before them went
 * to, so past the stop point an IN comes. */
int iopm_hold_request(const struct iopm_handoff *h, const struct packet *req)
{
    const struct irq_handoff *ih = ih_of(h);
    struct iopm_private *p = (struct iopm_private *)(h->zone_start + IOPM_PRIVATE_OFF);
    if (!p->pio_holding && ih->enabled && ih->stop_after_pio && p->pio_served >= ih->stop_after_pio &&
        req->type == PKT_GUEST_PIO && (req->arg0 & PIO_ARG_IN))
        p->pio_holding = 1;
    return p->pio_holding;
}

static __attribute__((noreturn)) void iopm_stop_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

static void iopm_serve_pending(struct iopm_handoff *h)
{
    const struct irq_handoff *ih = ih_of(h);
    struct channel *ch = ch_of(h);
    struct iopm_irq_state *st = st_of(h);

    for (;;) {
        u32 cons = ch->irq.iopm.irq_cons, prod, f;
        struct trace_access acc[2];
        struct irq_entry e;
        int stop;

        prod = __atomic_load_n(&ch->irq.vmm.irq_prod, __ATOMIC_ACQUIRE);
        if (cons == prod)
            return;
        e = ch->irq.pend[cons & (IRQ_PEND_SLOTS - 1)];   /* copied once */
        if (e.dev >= ih->devices || e.dev >= IRQ_MAX_DEVICES)
            e.dev = 0;                                    /* never index past the table */

        /* IopmTake: the head, not removed */
        f = trace_lock();
        acc[0] = trace_element('r', "irq_prod", h->iopm, prod);
#if defined(MUTANT_ACK_BEFORE_HANDLE)
        /* MUTANT ack-before-handle: acknowledged at take time */
        acc[1] = trace_element('w', "irq_cons", h->iopm, cons + 1u);
        trace_access_event(h->apic_id, "iopm.take", acc, 2, "iopm", h->iopm, "dev", e.dev, "n", e.n, NULL);
        __atomic_store_n(&ch->irq.iopm.irq_cons, cons + 1u, __ATOMIC_RELEASE);
#else
        trace_access_event(h->apic_id, "iopm.take", acc, 1, "iopm", h->iopm, "dev", e.dev, "n", e.n, NULL);
#endif
        stop = stop_point(h, ih);
        if (stop) {
            IRQ_OBS->stop_tsc = rdtsc();
            /* the same stop, as GuestIo names it; first, so that the stop's mark (v2) orders
             * it before the VMM's ticks that miss the beats, and so before its failover */
            if (SCEN_HAS_GUESTS(h->scenario))
                trace_event(h->apic_id, "iopm.fail", "iopm", h->iopm, NULL);
            trace_iopm_stop(h->apic_id, h->iopm);
        }
        trace_unlock(f);
        if (stop)
            iopm_stop_forever();

        iopm_driver(ih, e.dev);

        /* IopmHandle: traced, then acknowledged */
        f = trace_lock();
#if defined(MUTANT_ACK_BEFORE_HANDLE)
        trace_access_event(h->apic_id, "iopm.handle", acc, 0, "iopm", h->iopm, "dev", e.dev, "n", e.n, NULL);
#else
        acc[0] = trace_element('w', "irq_cons", h->iopm, cons + 1u);
        trace_access_event(h->apic_id, "iopm.handle", acc, 1, "iopm", h->iopm, "dev", e.dev, "n", e.n, NULL);
#endif
        irq_obs_handled(e.dev, e.n, h->iopm, 1, rdtsc());
        st->handled++;
#if !defined(MUTANT_ACK_BEFORE_HANDLE)
        __atomic_store_n(&ch->irq.iopm.irq_cons, cons + 1u, __ATOMIC_RELEASE);
#endif
        trace_unlock(f);
    }
}

int iopm_irq_vector(struct iopm_handoff *h, u32 vector)
{
    if (vector == IOPM_TIMER_VECTOR) {
        iopm_tick(h);
        return 1;
    }
    if (vector == IRQ_IPI_VECTOR) {
        iopm_serve_pending(h);
        return 1;
    }
    return 0;
}
