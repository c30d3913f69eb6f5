/* The VMM's service loop on the BSP: one CPU serving every channel.
 *
 * Each protocol step is one call into ring.c under the trace lock, traced in the same
 * critical section; an IPI a step asks for is sent there too. Per round, for each
 * channel: consume every published response (and check it), write requests as the
 * scenario says, publish. A round with no step on any channel tries to sleep: with
 * interrupts off, prepare_sleep + final_check on every channel that allows it; if every
 * live channel is then asleep, sti;hlt. After the wake, every channel still asleep (its IPI
 * did not come) gets a spurious wake. The LAPIC timer ticks for the watchdog. */
#include "vmm.h"
#include "shared_zone.h"
#include "lapic.h"
#include "irq.h"
#include "trace.h"
#include "status.h"
#include "klib.h"
#include "x86.h"
#include "irq_route.h"
#include "goal.h"
#include "vcpu.h"
#include "admin.h"

#define TIMER_PERIOD_MS     VMM_TICK_MS
#define RING_BATCH_MAX      4u       /* scenario ring: 1..4 requests per round */
#define SCHED_SEED_MIX      0x5bd1e995u
#define MS_PER_S            1000u
#define US_PER_MS           1000u
#define HOSTILE_IOPM        0u
/* ring-burst's extension: a full request ring, a full response ring, and one the IOPM holds */
#define BURST_EXTENSION     (2u * RING_SLOTS + 1u)

/* Where a request written on a channel came from: the guest and its own id. In the ring
 * scenarios always the channel's guest and the channel id; after a failover, a channel
 * also carries the failed IOPM's guest's re-issued requests. */
#define ORIGIN_SLOTS  GUEST_EXPECT_SLOTS   /* > requests outstanding on one channel */
#define REQUEUE_SLOTS 64u

#define ORIGIN_VCPU   (~0u)        /* origin.guest of a vm-io guest's exit */

struct origin {
    u32 guest;
    u32 gid;
    struct packet pkt;
};

struct vmm_chan {
    u32 ready;
    u32 work_queued;               /* boot.vmm_queue_work traced */
    u32 failed;                    /* failed over: no event concerns this channel again */
    u32 issued;                    /* new requests its guest issued */
    u32 quota;                     /* new requests its guest issues: requests=, plus the
                                      scenario goal's extension (include/goal.h) */
    u32 extra;                     /* of which the extension */
    u32 home;                      /* the channel its guest's new requests go to */
    struct channel *ch;
    struct vmm_ring st;
    struct guest guest;
    struct origin orig[ORIGIN_SLOTS];         /* by channel id */
    struct origin requeue[REQUEUE_SLOTS];     /* to re-issue here, in order */
    u32 rq_head, rq_tail;
};

static struct vmm_chan chans[MAX_IOPMS];
static u32 n_iopms;
static const struct run_config *cfg;
static u32 answered;
static u32 bsp_cpu;
static u32 sched_rng;
static u32 broken_seen;
static u64 run_t0;                 /* TSC at run.start */

static u32 outstanding(const struct vmm_ring *st)
{
    return st->next_id - 1u - st->rsp_got;
}

static int chan_live(const struct vmm_chan *c)
{
    if (!c->ready || !c->st.trusted || c->failed)
        return 0;
    return !(c->st.rsp_got == c->st.max_req && c->st.next_id > c->st.max_req);
}

/* Under the trace lock: trace a step, send the IPI it asks for. A publish is followed at
 * once by its notify step (VmmNotifyIopm) and, if it decides so, its IPI send (VmmSendIpi).
 * Format v1 writes the three as one publish line that carries notify=; v2 a record each. */
static void after_step(u32 k, const struct ring_step *s)
{
    struct ring_step line = *s, n;
    if (TRACE_V2) {
        trace_step(bsp_cpu, k, s);
        if (s->ev != EV_VMM_PUBLISH_REQUESTS || !vmm_notify_iopm(chans[k].ch, &chans[k].st, &n))
            return;
        trace_step(bsp_cpu, k, &n);
        if (n.notify && vmm_send_ipi(chans[k].ch, &chans[k].st, &n)) {
            trace_step(bsp_cpu, k, &n);
            lapic_send_ipi(iopm_handoff_of(k)->apic_id, ICR_FIXED | IOPM_IPI_VECTOR);
        }
        return;
    }
    if (s->ev == EV_VMM_PUBLISH_REQUESTS && vmm_notify_iopm(chans[k].ch, &chans[k].st, &n))
        line.notify = n.notify;
    if (line.ev == EV_VMM_PUBLISH_REQUESTS && line.notify)
        vmm_send_ipi(chans[k].ch, &chans[k].st, &n);
    trace_step(bsp_cpu, k, &line);
    if (line.ev == EV_VMM_PUBLISH_REQUESTS && line.notify)
        lapic_send_ipi(iopm_handoff_of(k)->apic_id, ICR_FIXED | IOPM_IPI_VECTOR);
}

/* v2: every live IOPM writes its log.end (its IPI handler sees trace_closing), then the BSP
 * its own; an IOPM that does not answer in time keeps a log the reader says is cut. */
static void close_logs(void)
{
    trace_close_begin();
    for (u32 k = 0; k < n_iopms; k++)
        if (chans[k].ready && !chans[k].failed && chans[k].st.trusted)
            lapic_send_ipi(iopm_handoff_of(k)->apic_id, ICR_FIXED | IOPM_IPI_VECTOR);
    for (u32 k = 0; k < n_iopms; k++)
        if (chans[k].ready && !chans[k].failed && chans[k].st.trusted &&
            !trace_close_wait(iopm_handoff_of(k)->apic_id))
            klog("iopm %u did not close its trace log\n", k);
    trace_close_self(bsp_cpu);
}

__attribute__((noreturn)) void vmm_end(u32 status)
{
    u32 f = trace_lock();
    if (status == RUN_OK && !vmm_zone_intact())
        status = RUN_VMM_ZONE_BROKEN;
    if (TRACE_V2)          /* no time stamps in v2 records: the run's own time for its rate */
        trace_event(bsp_cpu, "run.end", "status", status, "requests", answered,
                    "vmm_zone_intact", (u32)vmm_zone_intact(),
                    "us", (u32)udiv64((rdtsc() - run_t0) * US_PER_MS, (u32)tsc_per_ms(), NULL), NULL);
    else if (irq_scenario())
        trace_event(bsp_cpu, "run.end", "status", status, "requests", answered,
                    "vmm_zone_intact", (u32)vmm_zone_intact(), "irqs", irq_handled_total(), NULL);
    else
        trace_event(bsp_cpu, "run.end", "status", status, "requests", answered,
                    "vmm_zone_intact", (u32)vmm_zone_intact(), NULL);
    trace_unlock(f);
    if (TRACE_V2)
        close_logs();
    trace_flush(~0u);
    klog("run.end status=%u requests=%u\n", status, answered);
    qemu_exit(status);
}

static void bad_response(u32 k, u32 id, const struct packet *rsp, const char *why)
{
    u32 f = trace_lock();
    trace_comment("# bad response iopm=%u expected_id=%u got_id=%u type=0x%x status=%u length=%u: %s",
                  k, id, rsp->id, rsp->type, rsp->status, rsp->length, why);
    trace_unlock(f);
    klog("iopm %u: bad response to request %u (got id %u): %s\n", k, id, rsp->id, why);
    vmm_end(RUN_BAD_RESPONSE);
}

/* ring-burst: the VMM leaves the responses in the ring until it is full and the IOPM holds a
 * request it cannot answer (it consumed more than the ring can take back), so that both full
 * checks of both sides are exercised by construction; it lets go when neither side has
 * anything more to add. As read, like every decision of the VMM; the IOPM's words only grow. */
static int burst_hold(u32 k)
{
    struct vmm_chan *c = &chans[k];
    u32 cons = c->ch->vmm.rsp_cons;
    u32 in_ring = *(volatile u32 *)&c->ch->iopm.rsp_prod - cons;
    u32 taken = *(volatile u32 *)&c->ch->iopm.req_cons - cons;

    if (cfg->scenario != SCEN_RING_BURST || !c->st.trusted || in_ring > RING_SLOTS)
        return 0;                  /* a bogus index is consume's to see */
    if (in_ring == RING_SLOTS && taken > RING_SLOTS) {
        goal_rsp_ring_blocked(k);
        return 0;
    }
    /* hold while the IOPM has more to answer or the VMM more to write */
    return outstanding(&c->st) > in_ring || c->st.next_id <= c->st.max_req;
}

static u32 consume_all(u32 k)
{
    struct vmm_chan *c = &chans[k];
    struct ring_step s;
    struct packet rsp;
    u32 steps = 0;
    const char *vm_why = NULL;

    if (burst_hold(k))
        return 0;
    for (;;) {
        u32 f;
        int r;
        if (*(volatile u32 *)&c->ch->iopm.rsp_prod == c->ch->vmm.rsp_cons)   /* hint */
            break;
        f = trace_lock();
        r = vmm_consume_response(c->ch, &c->st, &rsp, &s);
        if (r == 1) {
            after_step(k, &s);
            if (c->orig[c->st.rsp_got % ORIGIN_SLOTS].guest == ORIGIN_VCPU)
                vm_why = vmm_complete_exit(bsp_cpu, k, &rsp);       /* VmmCompleteExit */
        } else if (r == RING_BOGUS && vmm_declare_iopm_broken(c->ch, &c->st, &s)) {
            after_step(k, &s);
            steps++;
        }
        trace_unlock(f);
        if (r != 1)
            break;
        steps++;
        if (vm_why)
            bad_response(k, c->st.rsp_got, &rsp, vm_why);
        if (c->orig[c->st.rsp_got % ORIGIN_SLOTS].guest != ORIGIN_VCPU) {
            const struct origin *o = &c->orig[c->st.rsp_got % ORIGIN_SLOTS];
            struct packet mine = rsp;
            const char *why;
            /* the answer to the guest's own request id; a wrong channel id stays wrong */
            mine.id = rsp.id == c->st.rsp_got ? o->gid : ~o->gid;
            why = guest_check_response(&chans[o->guest].guest, o->gid, &mine);
            if (why)
                bad_response(k, c->st.rsp_got, &rsp, why);
        }
        answered++;
    }
    if (!c->st.trusted && !(broken_seen & (1u << k))) {
        broken_seen |= 1u << k;
        goal_exempt(k);
        klog("iopm %u declared broken (rsp_prod %u, rsp_cons %u)\n", k,
             c->ch->iopm.rsp_prod, c->ch->vmm.rsp_cons);
    }
    return steps;
}

static u32 writes_wanted(struct vmm_chan *c)
{
    switch (cfg->scenario) {
    case SCEN_RING_BURST:
        return ~0u;                                  /* until the ring is full */
    case SCEN_RING_SLEEP:
        return outstanding(&c->st) == 0 && !c->st.unfilled ? 1u : 0u;
    default:
        return 1u + prng_next(&sched_rng) % RING_BATCH_MAX;
    }
}

/* A guest whose new requests go to channel k and who has some left: its own first. */
static u32 next_guest(u32 k)
{
    if (chans[k].home == k && chans[k].issued < chans[k].quota)
        return k;
    for (u32 g = 0; g < n_iopms; g++)
        if (chans[g].home == k && chans[g].issued < chans[g].quota)
            return g;
    return ~0u;
}

static u32 write_some(u32 k)
{
    struct vmm_chan *c = &chans[k];
    u32 want = writes_wanted(c), written = 0, steps = 0;
    struct ring_step s;

    while (written < want && c->st.next_id <= c->st.max_req) {
        const struct packet *req;
        struct origin o;
        int reissue = c->rq_head != c->rq_tail, r;
        u32 f, g;
        if (reissue) {                      /* a failed IOPM's request first */
            o = c->requeue[c->rq_head % REQUEUE_SLOTS];
            req = &o.pkt;
        } else if (SCEN_HAS_GUESTS(cfg->scenario) && vcpu_next_request(k, &o.pkt)) {
            o.guest = ORIGIN_VCPU;         /* a guest's captured exit */
            o.gid = 0;
            req = &o.pkt;
        } else if ((g = next_guest(k)) != ~0u) {
            o.guest = g;
            o.gid = chans[g].issued + 1u;
            req = guest_next_request(&chans[g].guest, o.gid);
            o.pkt = *req;
        } else {
            break;
        }
        f = trace_lock();
        if (!c->work_queued) {
            /* the spec's VmmQueueWork: first work to an IOPM the VMM saw ready */
            trace_vmm_boot(bsp_cpu, k, "boot.vmm_queue_work", NULL);
            c->work_queued = 1;
        }
        r = vmm_write_request(c->ch, &c->st, req, &s);
        if (r && s.ev == EV_VMM_WRITE_REQUEST && !reissue && irq_scenario())
            trace_event(bsp_cpu, "vmm.request", "iopm", k, NULL);   /* VmmRequest */
        if (r && s.ev == EV_VMM_WRITE_REQUEST && o.guest == ORIGIN_VCPU && !reissue)
            vmm_submit_exit(bsp_cpu, k);                             /* VmmSubmitExit */
        if (r)
            after_step(k, &s);
        trace_unlock(f);
        if (!r)
            break;
        steps++;
        if (c->st.req_pvt - *(volatile u32 *)&c->ch->iopm.req_cons == RING_SLOTS)
            goal_req_ring_full(k);             /* as read, like the full check */
        if (s.ev == EV_VMM_WRITE_REQUEST) {
            c->orig[s.id % ORIGIN_SLOTS] = o;
            if (reissue) {
                c->rq_head++;
            } else if (o.guest != ORIGIN_VCPU) {
                guest_written(&chans[o.guest].guest);
                chans[o.guest].issued++;
            }
            written++;
        }
    }
    return steps;
}

static u32 publish(u32 k)
{
    struct vmm_chan *c = &chans[k];
    struct ring_step s;
    u32 f;
    int r;
    if (c->ch->vmm.req_prod == c->st.req_pvt)        /* hint: nothing new */
        return 0;
    f = trace_lock();
    r = vmm_publish_requests(c->ch, &c->st, &s);
    if (r)
        after_step(k, &s);
    trace_unlock(f);
    return (u32)r;
}

/* vm-admin: the managed VM is not destroyed yet, or the console has not taken every answer,
 * and the console can still send: the run waits for it, even when every guest has halted
 * (its script ends with the destroy, and the destroy's answer must reach it). */
static int awaits_console(void)
{
    const struct vmm_chan *c = &chans[CONSOLE_IOPM];
    return (vcpu_managed_alive() || !admin_all_answered(CONSOLE_IOPM)) && c->ready && !c->failed &&
           admin_trusted(CONSOLE_IOPM);
}

/* Interrupts are off. Returns after a wake, or at once if some channel cannot sleep. */
static void try_sleep(void)
{
    struct ring_step s;
    u32 asleep = 0, awake = 0;

    for (u32 k = 0; k < n_iopms; k++) {
        struct vmm_chan *c = &chans[k];
        u32 f;
        if (!chan_live(c))
            continue;
        f = trace_lock();
        /* VmmSeeIdle, then VmmPrepareSleep: v1's prepare_sleep line is the two */
        if (vmm_see_idle(c->ch, &c->st, &s)) {
            if (TRACE_V2)
                after_step(k, &s);
            if (vmm_prepare_sleep(c->ch, &c->st, &s))
                after_step(k, &s);
        }
        trace_unlock(f);
        f = trace_lock();
        if (vmm_final_check(c->ch, &c->st, &s))
            after_step(k, &s);
        trace_unlock(f);
        if (c->st.pc == RING_PC_SLEEP) {
            goal_vmm_slept(k);
            asleep++;
        }
        else
            awake++;
    }
    /* the management rings (guest scenarios), only when the VMM is to halt (every ring it
     * serves asleep, or none left and the console's next command awaited): then each must be
     * idle and armed; a ring given up (a hostile console's bogus index) keeps no one awake */
    if (!awake && !asleep && awaits_console())
        asleep++;                          /* nothing but the console's command to wait for */
    if (!awake && asleep && SCEN_HAS_GUESTS(cfg->scenario))
        for (u32 k = 0; k < n_iopms; k++)
            if (chans[k].ready && !chans[k].failed && !admin_sleep(k, chans[k].ch))
                awake++;
    if (!awake && asleep) {
        sti_hlt();
        cli();
        for (u32 k = 0; k < n_iopms; k++) {
            struct vmm_chan *c = &chans[k];
            u32 f = trace_lock();
            if (c->ready && !c->failed && vmm_spurious_wake(&c->st, &s))
                after_step(k, &s);
            trace_unlock(f);
        }
    }
    if (SCEN_HAS_GUESTS(cfg->scenario))
        admin_wake_all(n_iopms);           /* runs on: a management ring still asleep wakes */
}

/* The stall a lost wakeup leaves: the IOPM asleep with requests it has not consumed,
 * while the VMM waits for their answers. */
static __attribute__((noreturn)) void watchdog_fire(void)
{
    u32 stalled = 0, f;
    cli();
    f = trace_lock();
    for (u32 k = 0; k < n_iopms; k++) {
        struct vmm_chan *c = &chans[k];
        struct channel *ch = c->ch;
        u32 iopm_pc = iopm_handoff_of(k)->diag_pc;
        if (!chan_live(c))
            continue;
        if (iopm_pc == RING_PC_SLEEP && ch->vmm.req_prod != ch->iopm.req_cons &&
            outstanding(&c->st) > 0 && ch->iopm.rsp_prod == ch->vmm.rsp_cons) {
            stalled++;
            trace_event(bsp_cpu, "run.stall", "iopm", k, "req_prod", ch->vmm.req_prod,
                        "req_cons", ch->iopm.req_cons, "req_event", ch->iopm.req_event,
                        "rsp_prod", ch->iopm.rsp_prod, "rsp_cons", ch->vmm.rsp_cons,
                        "rsp_event", ch->vmm.rsp_event, "vmm_pc", c->st.pc,
                        "iopm_pc", iopm_pc, "outstanding", outstanding(&c->st), NULL);
        } else {
            trace_comment("# watchdog iopm=%u req_prod=%u req_cons=%u req_event=%u rsp_prod=%u rsp_cons=%u rsp_event=%u vmm_pc=%u iopm_pc=%u",
                          k, ch->vmm.req_prod, ch->iopm.req_cons, ch->iopm.req_event,
                          ch->iopm.rsp_prod, ch->vmm.rsp_cons, ch->vmm.rsp_event, c->st.pc, iopm_pc);
        }
    }
    trace_unlock(f);
    klog("watchdog: no progress for %u s, %u channel(s) stalled\n", cfg->watchdog_s, stalled);
    vmm_end(stalled ? RUN_STALL : RUN_WATCHDOG);
}

void vmm_irq(u32 vector)
{
    if (vector >= VMM_IPI_BASE && vector < VMM_IPI_BASE + MAX_IOPMS) {
        u32 k = vector - VMM_IPI_BASE;
        struct ring_step s;
        u32 f = trace_lock();
        vmm_boot_poll_locked(k);   /* a ready or fault IPI during the boot */
        /* chans[k].ch is set at run.start: an IPI before it is the boot's ready IPI */
        if (chans[k].ch && !chans[k].failed && trace_take_ipi_to_vmm(k) &&
            vmm_wake(chans[k].ch, &chans[k].st, &s))
            trace_step(bsp_cpu, k, &s);
        if (chans[k].ch)
            admin_ipi_locked(k);   /* the console's command IPI */
        trace_unlock(f);
    }
    vmm_irq_route(vector);         /* devices, and the clock tick of the irq scenarios */
    /* TIMER_VECTOR: also ends the hlt; the loop checks the watchdog */
}

/* The failed IOPM f's ring: fenced, its published responses consumed (ordinary ring
 * events), then VmmDetectFailure; its unanswered requests are re-issued on the ring of
 * the IOPM the VMM picked (ordinary write_request events there, no vmm.request). */
static void failover(u32 f)
{
    struct vmm_chan *c = &chans[f], *t;
    struct ring_step s;
    u32 requeued, to, fl;

    irq_fence(f);
    fl = trace_lock();
    if (c->ready && vmm_spurious_wake(&c->st, &s))     /* asleep: its wake never comes */
        after_step(f, &s);
    trace_unlock(fl);
    if (chan_live(c))
        consume_all(f);
    /* the spec's ringReq[f]: written and unanswered, plus any re-queued to f and not yet
     * written there (an earlier failover's) */
    requeued = (c->ready && c->st.trusted ? outstanding(&c->st) : 0) + (c->rq_tail - c->rq_head);
    to = vmm_detect_failure(f, requeued);
    c->failed = 1;
    goal_exempt(f);
    if (to >= n_iopms)
        return;
    if (SCEN_HAS_GUESTS(cfg->scenario)) {
        /* GuestIo's VmmFailover: the guests' requests among those re-issued, f's devices
         * and the exits captured for it, and those its guests have still to make */
        u32 reissued = 0;
        for (u32 id = c->st.rsp_got + 1u; id < c->st.next_id; id++)
            reissued += c->orig[id % ORIGIN_SLOTS].guest == ORIGIN_VCPU;
        for (u32 i = c->rq_head; i != c->rq_tail; i++)
            reissued += c->requeue[i % REQUEUE_SLOTS].guest == ORIGIN_VCPU;
#ifdef MUTANT_GUEST_EXIT_LOST_AT_FAILOVER
        reissued = 0;                  /* the bug (below): none of them is re-issued */
#endif
        fl = trace_lock();
        chans[to].st.max_req += vmm_failover(bsp_cpu, f, to, reissued);
        trace_unlock(fl);
    }
    t = &chans[to];
    for (u32 id = c->st.rsp_got + 1u; id < c->st.next_id; id++) {
        if (t->rq_tail - t->rq_head >= REQUEUE_SLOTS) {
            klog("re-queue of iopm %u full\n", to);
            break;
        }
#ifdef MUTANT_GUEST_EXIT_LOST_AT_FAILOVER
        if (c->orig[id % ORIGIN_SLOTS].guest == ORIGIN_VCPU) {
            t->st.max_req--;           /* the bug: a guest's request is dropped, not re-issued */
            continue;
        }
#endif
        t->requeue[t->rq_tail++ % REQUEUE_SLOTS] = c->orig[id % ORIGIN_SLOTS];
    }
    for (; c->rq_head != c->rq_tail && t->rq_tail - t->rq_head < REQUEUE_SLOTS; c->rq_head++)
        t->requeue[t->rq_tail++ % REQUEUE_SLOTS] = c->requeue[c->rq_head % REQUEUE_SLOTS];
    t->st.max_req += requeued;
    /* the guests f served issue their remaining requests to `to` now */
    for (u32 g = 0; g < n_iopms; g++) {
        if (chans[g].home != f)
            continue;
        chans[g].home = to;
        t->st.max_req += chans[g].quota - chans[g].issued;
    }
}

/* The guests' two dead ends, each known for sure when it happens: a vCPU waits for an
 * answer while no channel has a request outstanding or re-queued (its exit was lost, and no
 * answer can come), or a captured exit finds its IOPM's share of exits spent (the guest made
 * more exits than its program has, which vcpu.c stops at the program's length). */
static void guests_check(void)
{
    struct packet p;
    int owed = 0;
    for (u32 k = 0; k < n_iopms; k++) {
        struct vmm_chan *c = &chans[k];
        if (!c->ready || c->failed || !c->st.trusted)
            continue;
        owed |= outstanding(&c->st) != 0 || c->rq_head != c->rq_tail;
        if (vcpu_next_request(k, &p) && c->st.next_id > c->st.max_req) {
            klog("iopm %u: a guest exit beyond the %u its guests' programs make\n", k, c->st.max_req);
            vmm_end(RUN_GUEST_STOPPED);
        }
    }
    if (!owed && vcpus_waiting()) {
        klog("a vCPU waits for an answer no IOPM owes it (a lost exit)\n");
        vmm_end(RUN_GUEST_LOST);
    }
}

/* A channel done with its requests whose scenario goal is unmet: its guest issues more
 * (ring-burst: enough to fill both rings again; ring-sleep: one), up to the bound. */
static int extend(u32 k)
{
    struct vmm_chan *c = &chans[k];
    u32 n = cfg->scenario == SCEN_RING_BURST ? BURST_EXTENSION : 1u;
    if (!c->ready || c->failed || !c->st.trusted || c->home != k || !goal_ring_unmet(k) ||
        c->extra + n > GOAL_EXTRA_REQUESTS_MAX)
        return 0;
    c->quota += n;
    c->extra += n;
    c->st.max_req += n;
    return chan_live(c);
}

void vmm_run(const struct run_config *c, u32 iopms, const u32 *ready)
{
    u64 last_progress, limit;
    u32 f, hostile_ok = 0;

    cfg = c;
    n_iopms = iopms;
    bsp_cpu = lapic_id();
    sched_rng = c->seed ^ SCHED_SEED_MIX;
    if (sched_rng == 0)
        sched_rng = 1;
    for (u32 k = 0; k < n_iopms; k++) {
        /* the SVM guests' exits, and the simulated guest's requests but in vm-io, vm-rogue */
        u32 quota = SCEN_HAS_GUESTS(c->scenario) && !SCEN_IS_IRQ(c->scenario) ? 0 : c->requests;
        u32 max_req = quota + (SCEN_HAS_GUESTS(c->scenario) ? vcpu_exits_to(k) : 0);
        chans[k].ready = ready[k];
        chans[k].ch = vmm_channel(k);
        vmm_ring_init(&chans[k].st, ready[k] ? max_req : 0);
        guest_init(&chans[k].guest, k, c->seed);
        chans[k].guest.no_disk_writes = SCEN_IS_IRQ(c->scenario);
        chans[k].home = k;
        chans[k].quota = quota;
        if (!ready[k])
            chans[k].issued = c->requests;     /* nothing to issue there */
    }
    goal_init(c, iopms, ready);
    admin_init(iopms);
    lapic_timer_periodic(TIMER_VECTOR, lapic_ticks_per_ms() * TIMER_PERIOD_MS);

    f = trace_lock();
    run_t0 = rdtsc();
    trace_event(bsp_cpu, "run.start", "requests", c->requests, NULL);
    trace_unlock(f);
    irq_run_start(ready);
    sti();

    limit = tsc_per_ms() * MS_PER_S * c->watchdog_s;
    last_progress = rdtsc();
    for (;;) {
        u32 steps = 0, live = 0, handled = irq_handled_total();
        int failing = irq_failure_due();
        if (failing >= 0) {
            failover((u32)failing);
            steps++;
        }
        steps += irq_generate();
        if (SCEN_HAS_GUESTS(cfg->scenario)) {
            u32 v;
            /* re-entries, then the commands (a VM is between exits only here), then runs */
            steps += vcpus_resume();
            for (u32 k = 0; k < n_iopms; k++) {
                u32 gone;
                if (!chans[k].ready || chans[k].failed)
                    continue;
                steps += admin_serve(k, chans[k].ch, &gone);
                if (gone != ~0u)           /* a destroyed VM's exits left will not come */
                    for (u32 j = 0; j < n_iopms; j++)
                        chans[j].st.max_req -= vcpu_exits_left(gone, j);
            }
            steps += vcpus_run(&v);
            if (v != ~0u && cfg->scenario != SCEN_VM_ROGUE)
                vmm_end(RUN_GUEST_STOPPED);        /* only vm-rogue's guests misbehave */
            if (vcpus_checks_failed())
                vmm_end(RUN_GUEST_CHECK_FAILED);   /* a guest saw its data changed */
            if (v != ~0u)                          /* the rest runs on without its exits */
                for (u32 k = 0; k < n_iopms; k++)
                    chans[k].st.max_req -= vcpu_exits_left(v, k);
        }
        for (u32 k = 0; k < n_iopms; k++) {
            if (!chan_live(&chans[k]) && !extend(k))
                continue;
            steps += consume_all(k);
            if (!chan_live(&chans[k]) && !extend(k))
                continue;
            live++;
            steps += write_some(k);
            steps += publish(k);
        }
        if (SCEN_HAS_GUESTS(cfg->scenario))
            guests_check();
        if (!live && !irq_busy() && !(SCEN_HAS_GUESTS(cfg->scenario) && (vcpus_busy() || awaits_console())))
            break;
        if (steps && cfg->scenario == SCEN_RING_SLEEP) {
            /* ring-sleep: the VMM waits for its answer at once, as a vCPU blocked on its
             * I/O does, and drains the trace after the wake: a drain first gives the IOPM
             * the time to answer, and the VMM would practically never sleep */
            u32 fl = irq_save();
            last_progress = rdtsc();
            try_sleep();
            irq_restore(fl);
            trace_flush(~0u);
            continue;
        }
        /* drain the trace buffer to the port (outside the trace lock) while the IOPMs
         * work; when nothing happened, drain it all before trying to sleep */
        trace_flush(~0u);
        if (steps) {
            last_progress = rdtsc();
            continue;
        }
        if (irq_handled_total() != handled)
            last_progress = rdtsc();
        if (rdtsc() - last_progress > limit)
            watchdog_fire();
        if (irq_busy()) {
            /* interrupts in flight: the generator must see them handled (an IOPM's
             * handle sends the VMM nothing), so no sleep */
            cpu_relax();
            continue;
        }
        {
            u32 fl = irq_save();
            try_sleep();
            irq_restore(fl);
        }
    }

    for (u32 k = 0; k < n_iopms; k++) {
        if (chans[k].ready && !chans[k].st.trusted) {
            if (c->scenario == SCEN_RING_HOSTILE && k == HOSTILE_IOPM)
                hostile_ok = 1;
            else
                vmm_end(RUN_UNEXPECTED_BROKEN);
        }
    }
    if (c->scenario == SCEN_RING_HOSTILE && chans[HOSTILE_IOPM].ready && !hostile_ok)
        vmm_end(RUN_HOSTILE_MISSED);
    irq_report();
    if (!irq_done_ok())
        vmm_end(RUN_IRQ_LOST);
    if (SCEN_IS_IRQ(c->scenario)) {
        /* exactly the failovers the scenario injected: one stop, or none */
        u32 want = SCEN_FAILS_IOPM(c->scenario) && n_iopms > 1;
        if (irq_failovers() < want)
            vmm_end(RUN_NO_FAILOVER);
        if (irq_failovers() > want)
            vmm_end(RUN_FALSE_FAILOVER);
    }
    if (!goal_met()) {
        goal_report();
        vmm_end(RUN_GOAL_UNMET);
    }
    if (!vmm_zone_intact())
        vmm_end(RUN_VMM_ZONE_BROKEN);
    vmm_end(vmm_boot_verdict());
}
