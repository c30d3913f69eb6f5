/* The IOPM on an AP: set up the CPU, report ready, serve the channel.
 *
 * Everything the IOPM writes lives in its own zone (stack, private ring state, RAM disk,
 * console buffer) or in its own area of its channel; the trace lock is the one shared
 * instrumentation word. Each protocol step is one call into ring.c under the trace lock,
 * traced in the same critical section; an IPI the step asks for is sent there too. */
#include "iopm.h"
#include "vmm.h"
#include "shared_zone.h"
#include "lapic.h"
#include "irq.h"
#include "trace.h"
#include "klib.h"
#include "x86.h"
#include "paging.h"
#include "irq_route.h"
#include "litmus.h"

#define HOSTILE_IOPM          0u
#define HOSTILE_BOGUS_SKEW    1000u
#define US_PER_MS             1000u
#define ROGUE_TARGET          VMM_CANARY_BASE   /* in the VMM zone, past the kernel image */
#define ROGUE_VALUE           0xBADC0DEu

static struct iopm_handoff *iopm_self;  /* this copy's IOPM (NULL in the VMM's copy) */

int iopm_here(void)
{
    return iopm_self != NULL;
}

static struct iopm_handoff *self(void)
{
    /* The IOPM runs on a stack inside its zone, and zones are aligned to their size. */
    return (struct iopm_handoff *)((read_esp() & ~(IOPM_ZONE_SIZE - 1)) + IOPM_HANDOFF_OFF);
}

static struct iopm_private *priv(struct iopm_handoff *h)
{
    return (struct iopm_private *)(h->zone_start + IOPM_PRIVATE_OFF);
}

/* Under the trace lock. A publish is followed at once by its notify step (IopmNotifyVmm)
 * and, if it decides so, its IPI send (IopmSendIpi). Format v1 writes the three as one
 * publish line that carries notify=; v2 a record each. */
static void after_step(struct iopm_handoff *h, const struct ring_step *s)
{
    struct channel *ch = (struct channel *)h->channel;
    struct ring_step line = *s, n;
    if (TRACE_V2) {
        trace_step(h->apic_id, h->iopm, s);
        if (s->ev == EV_IOPM_WRITE_RESPONSE)
            iopm_answer(h);                          /* IopmAnswer (irq scenarios) */
        if (s->ev == EV_IOPM_PUBLISH_RESPONSES && iopm_notify_vmm(ch, &priv(h)->ring, &n)) {
            trace_step(h->apic_id, h->iopm, &n);
            if (n.notify && iopm_send_ipi(ch, &priv(h)->ring, &n)) {
                trace_step(h->apic_id, h->iopm, &n);
                lapic_send_ipi(h->vmm_apic_id, ICR_FIXED | h->vmm_vector);
            }
        }
        h->diag_pc = priv(h)->ring.pc;
        return;
    }
    if (s->ev == EV_IOPM_PUBLISH_RESPONSES && iopm_notify_vmm(ch, &priv(h)->ring, &n))
        line.notify = n.notify;
    if (line.ev == EV_IOPM_PUBLISH_RESPONSES && line.notify)
        iopm_send_ipi(ch, &priv(h)->ring, &n);
    trace_step(h->apic_id, h->iopm, &line);
    if (s->ev == EV_IOPM_WRITE_RESPONSE)
        iopm_answer(h);                              /* IopmAnswer (irq scenarios) */
    if (line.ev == EV_IOPM_PUBLISH_RESPONSES && line.notify)
        lapic_send_ipi(h->vmm_apic_id, ICR_FIXED | h->vmm_vector);
    h->diag_pc = priv(h)->ring.pc;
}

void iopm_irq(u32 vector)
{
    struct iopm_handoff *h = self();
    struct ring_step s;
    u32 f;
    if (iopm_irq_vector(h, vector))
        return;                                      /* interrupt routing's vectors */
    if (trace_closing()) {                           /* v2: the BSP is ending the run */
        trace_close_self(h->apic_id);
        for (;;)
            hlt();                                   /* interrupts are off in the handler */
    }
    priv(h)->ring_ipi = 1;
    f = trace_lock();
    if (trace_take_ipi_to_iopm(h->iopm) && iopm_wake((struct channel *)h->channel, &priv(h)->ring, &s))
        after_step(h, &s);
    console_wake(h, priv(h), 0);                     /* the management ring's IPI, if it was one */
    trace_unlock(f);
}

/* ring-hostile: IOPM 0, once half its requests are answered and published, publishes a
 * response index far ahead and then stops serving (a failed driver). */
static int hostile_point(struct iopm_handoff *h, struct iopm_private *p)
{
    struct channel *ch = (struct channel *)h->channel;
    return h->scenario == SCEN_RING_HOSTILE && h->iopm == HOSTILE_IOPM && !p->bogus_done &&
           p->ring.rsp_pvt >= h->requests / 2 && ch->iopm.rsp_prod == p->ring.rsp_pvt;
}

static __attribute__((noreturn)) void go_bogus(struct iopm_handoff *h, struct iopm_private *p)
{
    struct ring_step s;
    u32 f = trace_lock();
    iopm_publish_bogus((struct channel *)h->channel, &p->ring, HOSTILE_BOGUS_SKEW, &s);
    after_step(h, &s);
    trace_unlock(f);
    p->bogus_done = 1;
    for (;;) {
        cli();
        hlt();
    }
}

/* Under the trace lock, with the publish that makes them visible: GuestIo's IopmServe of
 * each guest answer written since the last one (the spec's serve is one step: taken,
 * driven, published). Traced just before the publish's own record, so that in a v2 trace
 * program order puts each serve before the publish, and so before the VMM's consume that
 * reads it and the completion that follows: any order the checker rebuilds has them so. */
static void trace_served(struct iopm_handoff *h, struct iopm_private *p)
{
    for (u32 i = 0; i < p->pio_unpub; i++) {
        const u8 *pl = p->pio_rsp[i].payload;
        u32 vcpu, rip, result;
        memcpy(&vcpu, pl + PIO_OFF_VCPU, sizeof(u32));
        memcpy(&rip, pl + PIO_OFF_RIP, sizeof(u32));
        memcpy(&result, pl + PIO_OFF_VALUE, sizeof(u32));
        trace_event(h->apic_id, "iopm.serve", "iopm", h->iopm, "vcpu", vcpu, "rip", rip,
                    "result", result, NULL);
    }
    p->pio_unpub = 0;
}

static u32 serve_round(struct iopm_handoff *h, struct iopm_private *p)
{
    struct channel *ch = (struct channel *)h->channel;
    struct ring_step s;
    u32 steps = 0, f;
    int r;

    /* consume what is published (vm-failover: not past its stop point) */
    while (p->ring.pending_count < IOPM_PENDING_MAX && !iopm_holds_requests(h) &&
           *(volatile u32 *)&ch->vmm.req_prod != ch->iopm.req_cons) {   /* hint */
        f = trace_lock();
        r = iopm_consume(ch, &p->ring, &s);
        if (r)
            after_step(h, &s);
        trace_unlock(f);
        if (!r)
            break;
        steps++;
    }
    /* answer in the order consumed */
    for (;;) {
        const struct packet *req = iopm_pending_head(&p->ring);
        if (!req || iopm_hold_request(h, req))
            break;
        if (!p->served_valid) {
            console_before_serve(h, p, req);
            iopm_serve(h, p, req, &p->served);
            p->served_valid = 1;
        }
        f = trace_lock();
        r = iopm_write_response(ch, &p->ring, &p->served, &s);
        if (r)
            after_step(h, &s);
        if (r && s.ev == EV_IOPM_WRITE_RESPONSE && p->served.type == (PKT_GUEST_PIO | RSP_TYPE_FLAG) &&
            p->pio_unpub < RING_SLOTS) {
            p->pio_rsp[p->pio_unpub++] = p->served;
            p->pio_served++;
        }
        trace_unlock(f);
        if (!r)
            break;
        p->served_valid = 0;
        steps++;
    }
    /* publish */
    if (ch->iopm.rsp_prod != p->ring.rsp_pvt) {
        f = trace_lock();
        r = iopm_publish_responses(ch, &p->ring, &s);
        if (r) {
            trace_served(h, p);
            after_step(h, &s);
        }
        trace_unlock(f);
        steps += (u32)r;
    }
    return steps;
}

/* Idle housekeeping: what a real IOPM does after it found nothing to do and before it
 * sleeps (flush a device, accounting), stood in for by a TSC-timed wait of idle_us. The
 * protocol must be right for any delay here (prepare_sleep and final_check are separate
 * steps in the spec); it is the window a missing final check loses a wakeup in. */
static void idle_housekeeping(struct iopm_handoff *h)
{
    u64 end = rdtsc() + udiv64((u64)h->tsc_per_ms * h->idle_us, US_PER_MS, NULL);
    u32 spins = 0;
    while (rdtsc() < end)
        spin_step(&spins);
}

/* Interrupts are off. */
static void try_sleep(struct iopm_handoff *h, struct iopm_private *p)
{
    struct channel *ch = (struct channel *)h->channel;
    struct ring_step s;
    u32 f;
    int r;

    if (console_polls(h, p)) {
        /* no sleep: nothing would wake it when the VMM arms (no IOPM clock in vm-admin) */
        spin_step(&p->idle_spins);
        return;
    }
    f = trace_lock();
    /* IopmSeeIdle, then IopmPrepareSleep: v1's prepare_sleep line is the two */
    r = iopm_see_idle(ch, &p->ring, &s);
    if (r && TRACE_V2)
        after_step(h, &s);
    r = r && iopm_prepare_sleep(ch, &p->ring, &s);
    if (r)
        after_step(h, &s);
    trace_unlock(f);
    if (!r) {
        spin_step(&p->idle_spins);   /* e.g. waiting for room in the response ring */
        return;
    }
    idle_housekeeping(h);
    f = trace_lock();
    iopm_final_check(ch, &p->ring, &s);
    after_step(h, &s);
    trace_unlock(f);
    if (p->ring.pc != RING_PC_SLEEP)
        return;
    if (!console_may_sleep(h, p)) {
        /* the console has a command to issue or an answer to take: awake again (its ring
         * stays asleep; the next round's take is a spurious wake of it) */
        f = trace_lock();
        if (iopm_spurious_wake(&p->ring, &s))
            after_step(h, &s);
        trace_unlock(f);
        return;
    }
    h->diag_sleeps++;                /* for the scenario goal only */
    /* Only the ring's IPI ends the sleep: the clock tick and the routing IPI are served by
     * their handlers, and the ring stays asleep (no spurious wake every tick). */
    p->ring_ipi = 0;
    do {
        sti_hlt();
        cli();
    } while (!p->ring_ipi && p->ring.pc == RING_PC_SLEEP);
    f = trace_lock();
    if (iopm_spurious_wake(&p->ring, &s))
        after_step(h, &s);
    console_wake(h, p, 1);                           /* runs on: a console still asleep wakes */
    trace_unlock(f);
}

static void boot_step(struct iopm_handoff *h, const char *event)
{
    u32 f = trace_lock();
    trace_ap_boot(h->apic_id, h->iopm, event, NULL);
    trace_unlock(f);
}

/* The spec's IopmSetUp: its own GDT and IDT (its copy of the image), its LAPIC, its private
 * state and ring state, its RAM disk, all in its zone. */
static void iopm_set_up(struct iopm_handoff *h)
{
    struct iopm_private *p = priv(h);
    gdt_load();
    idt_load();
    lapic_init_cpu();
    memset(p, 0, sizeof(*p));
    iopm_ring_init(&p->ring);
    console_init(h, p);
    memset((void *)(h->zone_start + IOPM_DISK_OFF), 0, IOPM_DISK_SIZE);
    if (h->rogue) {
        /* boot-rogue: a write into the VMM zone while setting up. Its page tables do not
         * map it: the page fault stops this IOPM here (iopm_page_fault). */
        *(volatile u32 *)ROGUE_TARGET = ROGUE_VALUE;
    }
    boot_step(h, "boot.iopm_set_up");
}

/* The spec's IopmSignalReady: its line and the ready flag in one critical section, then
 * the IPI. The line first: the VMM sees the flag, so the step is recorded before it. */
static void iopm_signal_ready(struct iopm_handoff *h)
{
    struct channel *ch = (struct channel *)h->channel;
    u32 f = trace_lock();
    trace_ap_boot(h->apic_id, h->iopm, "boot.iopm_signal_ready", NULL);
    *(volatile u32 *)&ch->iopm.status = CHAN_STATUS_READY;
    trace_unlock(f);
    lapic_send_ipi(h->vmm_apic_id, ICR_FIXED | h->vmm_vector);
}

void iopm_page_fault(struct irq_frame *fr)
{
    struct iopm_handoff *h = iopm_self;
    struct channel *ch = (struct channel *)h->channel;
    u32 addr = read_cr2();
    u32 f = trace_lock();
    trace_ap_boot(h->apic_id, h->iopm, "boot.iopm_stray_write", "addr", addr, "eip", fr->eip, NULL);
    *(volatile u32 *)&ch->iopm.fault_addr = addr;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *(volatile u32 *)&ch->iopm.status = CHAN_STATUS_FAULTED;
    trace_unlock(f);
    klog("iopm %u: page fault at %x (eip %x): stopped\n", h->iopm, addr, fr->eip);
    lapic_send_ipi(h->vmm_apic_id, ICR_FIXED | h->vmm_vector);
    for (;;) {
        cli();
        hlt();
    }
}

/* Called by the start code (boot/trampoline.S) with paging on, on the stack at the top of
 * the zone, running from the zone's copy of the image. */
void iopm_entry(struct iopm_handoff *h)
{
    struct iopm_private *p = priv(h);

    iopm_self = h;
    h->boot_ack = 1;
    /* The start code cannot trace: it recorded its progress in its page. */
    if (*(volatile u32 *)(h->rm_page + RM_PROGRESS_OFF) != RM_PROGRESS_PAGING)
        klog("iopm %u: start code progress %u\n", h->iopm, *(volatile u32 *)(h->rm_page + RM_PROGRESS_OFF));
    boot_step(h, "boot.ap_switch_to_protected");
    boot_step(h, "boot.ap_enter_iopm");
#ifdef MUTANT_READY_BEFORE_SETUP
    iopm_signal_ready(h);           /* the bug: ready before the set-up */
    iopm_set_up(h);
#else
    iopm_set_up(h);
    iopm_signal_ready(h);
#endif
    if (SCEN_IS_LITMUS(h->scenario) && h->iopm == 0) {
        litmus_iopm((struct channel *)h->channel, h->requests, h->scenario == SCEN_LITMUS_MB);
        for (;;) {
            cli();
            hlt();
        }
    }
    iopm_irq_start(h);
    sti();

    for (;;) {
        u32 steps = serve_round(h, p) + console_round(h, p);
        if (hostile_point(h, p))
            go_bogus(h, p);
        if (!steps) {
            u32 fl = irq_save();
            try_sleep(h, p);
            irq_restore(fl);
        }
    }
}
