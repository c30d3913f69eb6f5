/* The ring protocol of specs/CoopRing.tla, one function per action.
 *
 * Rules kept here (docs/shared-zone.md, notes/ring-background.md):
 *  - free-running u32 indexes, masked to a slot on use; full is prod - cons == RING_SLOTS;
 *  - one writer per shared word: the VMM writes only ch->vmm and ch->req[], the IOPM only
 *    ch->iopm and ch->rsp[];
 *  - producer: write the packet, write barrier, publish the index, FULL barrier, read the
 *    peer's event index, notify iff it lies in (old, new];
 *  - going to sleep: set the own event index to cons + 1, FULL barrier, re-read the
 *    producer index (final check);
 *  - the VMM bounds the IOPM's rsp_prod (more than RING_SLOTS ahead: the IOPM is broken);
 *  - a packet is copied out of its slot once; the copy is what gets validated.
 *
 * Mutants (make MUTANT=<name>) each change a few lines below, marked "MUTANT".
 * No globals, no I/O, no asm: this file also builds for the host (RING_HOST). */
#include "ring.h"
#include "ring_arch.h"

#define SLOT(i) ((i) & (RING_SLOTS - 1u))
#define WORDS_PER_SLOT (SLOT_SIZE / 4u)

const char *ring_mutant_name(void)
{
#if defined(MUTANT_OFF_BY_ONE_FULL)
    return "off-by-one-full";
#elif defined(MUTANT_PUBLISH_BEFORE_WRITE)
    return "publish-before-write";
#elif defined(MUTANT_MISSING_FINAL_CHECK)
    return "missing-final-check";
#elif defined(MUTANT_WRONG_WRAP)
    return "wrong-wrap";
#elif defined(MUTANT_TRUST_PEER_INDEX)
    return "trust-peer-index";
#elif defined(MUTANT_DOUBLE_RESPONSE)
    return "double-response";
#elif defined(MUTANT_OFF_BY_ONE_FULL_RSP)
    return "off-by-one-full-rsp";
#else
    return "ref";
#endif
}

/* Single fetch of a whole slot into private memory. */
static void slot_read(const struct packet *slot, struct packet *out)
{
    const volatile u32 *src = (const volatile u32 *)slot;
    u32 *dst = (u32 *)out;
    for (u32 i = 0; i < WORDS_PER_SLOT; i++)
        dst[i] = src[i];
}

static void slot_write(struct packet *slot, const struct packet *in)
{
    volatile u32 *dst = (volatile u32 *)slot;
    const u32 *src = (const u32 *)in;
    for (u32 i = 0; i < WORDS_PER_SLOT; i++)
        dst[i] = src[i];
}

static void step_init(struct ring_step *s, u32 ev)
{
    s->ev = ev;
    s->id = 0;
    s->idx = 0;
    s->notify = 0;
    s->sleep = 0;
}

void ring_channel_init(struct channel *ch, u32 iopm)
{
    volatile u8 *p = (volatile u8 *)ch;
    for (u32 i = 0; i < sizeof(*ch); i++)
        p[i] = 0;
    ch->hdr.magic = CHAN_MAGIC;
    ch->hdr.iopm = iopm;
    ch->hdr.ring_slots = RING_SLOTS;
    ch->hdr.slot_size = SLOT_SIZE;
    /* the spec's Init: every index 0, both event indexes 1 */
    ch->vmm.req_prod = 0;
    ch->vmm.rsp_cons = 0;
    ch->vmm.rsp_event = 1;
    ch->iopm.rsp_prod = 0;
    ch->iopm.req_cons = 0;
    ch->iopm.req_event = 1;
    ch->iopm.status = CHAN_STATUS_NOT_STARTED;
    ch->iopm.heartbeat = 0;
    ring_mb();
}

void vmm_ring_init(struct vmm_ring *st, u32 max_req)
{
    st->req_pvt = 0;
    st->next_id = 1;
    st->max_req = max_req;
    st->rsp_got = 0;
    st->pc = RING_PC_RUN;
    st->trusted = 1;
    st->unfilled = 0;
}

void iopm_ring_init(struct iopm_ring *st)
{
    st->rsp_pvt = 0;
    st->req_got = 0;
    st->pc = RING_PC_RUN;
    st->pending_head = 0;
    st->pending_count = 0;
}

/* ------------------------------------------------------------------------------------ */
/* VMM actions                                                                          */

static int vmm_running(const struct vmm_ring *st)
{
    return st->pc == RING_PC_RUN && st->trusted;
}

int vmm_write_request(struct channel *ch, struct vmm_ring *st, const struct packet *req,
                      struct ring_step *s)
{
    struct packet pkt = *req;
    u32 cons;

    if (!vmm_running(st) || st->next_id > st->max_req)
        return 0;
    pkt.id = st->next_id;

#if defined(MUTANT_PUBLISH_BEFORE_WRITE)
    /* MUTANT publish-before-write: "prod++; ring[i] = pkt": the index is published
     * first (no barrier), the slot is filled by the next call, a separate step. */
    if (st->unfilled) {
        slot_write(&ch->req[SLOT(st->req_pvt - 1u)], &pkt);
        st->unfilled = 0;
        st->next_id++;
        step_init(s, EV_VMM_WRITE_REQUEST);
        s->id = pkt.id;
        s->idx = st->req_pvt;
        return 1;
    }
    cons = READ_ONCE32(ch->iopm.req_cons);
    if (READ_ONCE32(ch->vmm.req_prod) != st->req_pvt || (u32)(st->req_pvt - cons) >= RING_SLOTS)
        return 0;
    {
        u32 old = st->req_pvt;
        st->req_pvt++;
        WRITE_ONCE32(ch->vmm.req_prod, st->req_pvt);
        ring_mb();
        st->unfilled = 1;
        step_init(s, EV_VMM_PUBLISH_REQUESTS);
        s->idx = st->req_pvt;
        s->notify = ring_need_notify(old, st->req_pvt, READ_ONCE32(ch->iopm.req_event));
        return 1;
    }
#endif

    cons = READ_ONCE32(ch->iopm.req_cons);
#if defined(MUTANT_OFF_BY_ONE_FULL)
    if (!((u32)(st->req_pvt - cons) <= RING_SLOTS))   /* MUTANT: <= instead of < */
        return 0;
#else
    if (!((u32)(st->req_pvt - cons) < RING_SLOTS))
        return 0;
#endif
    slot_write(&ch->req[SLOT(st->req_pvt)], &pkt);
#if defined(MUTANT_WRONG_WRAP)
    st->req_pvt = (st->req_pvt + 1u) % RING_SLOTS;    /* MUTANT: wraps at RING_SLOTS */
#else
    st->req_pvt++;
#endif
    st->next_id++;
    step_init(s, EV_VMM_WRITE_REQUEST);
    s->id = pkt.id;
    s->idx = st->req_pvt;
    return 1;
}

int vmm_publish_requests(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    u32 old;

    if (!vmm_running(st))
        return 0;
    old = READ_ONCE32(ch->vmm.req_prod);
    if (old == st->req_pvt)
        return 0;
    ring_wmb();                                   /* packets before the index */
    WRITE_ONCE32(ch->vmm.req_prod, st->req_pvt);
    ring_mb();                                    /* index before reading req_event */
    step_init(s, EV_VMM_PUBLISH_REQUESTS);
    s->idx = st->req_pvt;
    s->notify = ring_need_notify(old, st->req_pvt, READ_ONCE32(ch->iopm.req_event));
    return 1;
}

int vmm_consume_response(struct channel *ch, struct vmm_ring *st, struct packet *out,
                         struct ring_step *s)
{
    u32 cons, prod;

    if (!vmm_running(st))
        return 0;
    cons = READ_ONCE32(ch->vmm.rsp_cons);
    prod = READ_ONCE32(ch->iopm.rsp_prod);
    if (prod == cons)
        return 0;
#if !defined(MUTANT_TRUST_PEER_INDEX)
    if ((u32)(prod - cons) > RING_SLOTS)          /* never trust the peer's index */
        return RING_BOGUS;
#endif                                            /* MUTANT trust-peer-index: no bound */
    ring_rmb();                                   /* index before the packet */
    slot_read(&ch->rsp[SLOT(cons)], out);
    ring_wmb();                                   /* packet copied before the slot is freed */
    WRITE_ONCE32(ch->vmm.rsp_cons, cons + 1u);
    st->rsp_got++;
    step_init(s, EV_VMM_CONSUME_RESPONSE);
    s->id = out->id;
    s->idx = cons + 1u;
    return 1;
}

int vmm_declare_iopm_broken(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    u32 cons, prod;

    if (!vmm_running(st))
        return 0;
    cons = READ_ONCE32(ch->vmm.rsp_cons);
    prod = READ_ONCE32(ch->iopm.rsp_prod);
    if (!((u32)(prod - cons) > RING_SLOTS))
        return 0;
    st->trusted = 0;
    step_init(s, EV_VMM_DECLARE_IOPM_BROKEN);
    s->idx = prod;
    return 1;
}

int vmm_prepare_sleep(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    u32 cons;

    if (!vmm_running(st) || st->unfilled)
        return 0;
    cons = READ_ONCE32(ch->vmm.rsp_cons);
    if (READ_ONCE32(ch->iopm.rsp_prod) != cons)
        return 0;
    if (READ_ONCE32(ch->vmm.req_prod) != st->req_pvt)
        return 0;
    if (!(st->rsp_got < st->next_id - 1u))        /* a request is outstanding */
        return 0;
    WRITE_ONCE32(ch->vmm.rsp_event, cons + 1u);
    st->pc = RING_PC_CHECK;
    step_init(s, EV_VMM_PREPARE_SLEEP);
    s->idx = cons + 1u;
    return 1;
}

int vmm_final_check(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_CHECK)
        return 0;
    ring_mb();                                    /* rsp_event before re-reading rsp_prod */
    s->sleep = READ_ONCE32(ch->iopm.rsp_prod) == READ_ONCE32(ch->vmm.rsp_cons);
    st->pc = s->sleep ? RING_PC_SLEEP : RING_PC_RUN;
    s->ev = EV_VMM_FINAL_CHECK;
    s->id = s->idx = s->notify = 0;
    return 1;
}

int vmm_wake(struct vmm_ring *st, struct ring_step *s)
{
    if (st->pc == RING_PC_SLEEP)
        st->pc = RING_PC_RUN;
    step_init(s, EV_VMM_WAKE);
    return 1;
}

int vmm_spurious_wake(struct vmm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_SLEEP)
        return 0;
    st->pc = RING_PC_RUN;
    step_init(s, EV_VMM_SPURIOUS_WAKE);
    return 1;
}

/* ------------------------------------------------------------------------------------ */
/* IOPM actions                                                                         */

int iopm_consume(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    u32 cons, prod, tail;

    if (st->pc != RING_PC_RUN || st->pending_count >= IOPM_PENDING_MAX)
        return 0;
    cons = READ_ONCE32(ch->iopm.req_cons);
    prod = READ_ONCE32(ch->vmm.req_prod);
    if (prod == cons)
        return 0;
    ring_rmb();                                   /* index before the packet */
    tail = (st->pending_head + st->pending_count) % IOPM_PENDING_MAX;
    slot_read(&ch->req[SLOT(cons)], &st->pending[tail]);
    st->pending_count++;
    ring_wmb();                                   /* packet copied before the slot is freed */
    WRITE_ONCE32(ch->iopm.req_cons, cons + 1u);
    st->req_got++;
    step_init(s, EV_IOPM_CONSUME);
    s->id = st->pending[tail].id;
    s->idx = cons + 1u;
    return 1;
}

const struct packet *iopm_pending_head(const struct iopm_ring *st)
{
    return st->pending_count ? &st->pending[st->pending_head] : NULL;
}

int iopm_write_response(struct channel *ch, struct iopm_ring *st, const struct packet *rsp,
                        struct ring_step *s)
{
    u32 cons;

    if (st->pc != RING_PC_RUN || st->pending_count == 0)
        return 0;
    cons = READ_ONCE32(ch->vmm.rsp_cons);
#if defined(MUTANT_OFF_BY_ONE_FULL_RSP)
    if (!((u32)(st->rsp_pvt - cons) <= RING_SLOTS))   /* MUTANT: <= instead of < */
#else
    if (!((u32)(st->rsp_pvt - cons) < RING_SLOTS))
#endif
        return 0;
    slot_write(&ch->rsp[SLOT(st->rsp_pvt)], rsp);
    st->rsp_pvt++;
#if defined(MUTANT_DOUBLE_RESPONSE)
    /* MUTANT double-response: every 97th response leaves its request pending, so the
     * next call answers the same request again. */
    if (st->rsp_pvt % 97u != 0)
#endif
    {
        st->pending_head = (st->pending_head + 1u) % IOPM_PENDING_MAX;
        st->pending_count--;
    }
    step_init(s, EV_IOPM_WRITE_RESPONSE);
    s->id = rsp->id;
    s->idx = st->rsp_pvt;
    return 1;
}

int iopm_publish_responses(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    u32 old;

    if (st->pc != RING_PC_RUN)
        return 0;
    old = READ_ONCE32(ch->iopm.rsp_prod);
    if (old == st->rsp_pvt)
        return 0;
    ring_wmb();                                   /* packets before the index */
    WRITE_ONCE32(ch->iopm.rsp_prod, st->rsp_pvt);
    ring_mb();                                    /* index before reading rsp_event */
    step_init(s, EV_IOPM_PUBLISH_RESPONSES);
    s->idx = st->rsp_pvt;
    s->notify = ring_need_notify(old, st->rsp_pvt, READ_ONCE32(ch->vmm.rsp_event));
    return 1;
}

int iopm_publish_bogus(struct channel *ch, struct iopm_ring *st, u32 skew, struct ring_step *s)
{
    u32 p = READ_ONCE32(ch->vmm.rsp_cons) + RING_SLOTS + 1u + skew;

    (void)st;
    WRITE_ONCE32(ch->iopm.rsp_prod, p);
    ring_mb();
    step_init(s, EV_IOPM_PUBLISH_BOGUS);
    s->idx = p;
    return 1;
}

int iopm_prepare_sleep(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    u32 cons;

    if (st->pc != RING_PC_RUN || st->pending_count != 0)
        return 0;
    cons = READ_ONCE32(ch->iopm.req_cons);
    if (READ_ONCE32(ch->vmm.req_prod) != cons)
        return 0;
    if (READ_ONCE32(ch->iopm.rsp_prod) != st->rsp_pvt)
        return 0;
    step_init(s, EV_IOPM_PREPARE_SLEEP);
#if defined(MUTANT_MISSING_FINAL_CHECK)
    /* MUTANT missing-final-check: saw the ring empty; the event index is armed only
     * later, in the "final check", which no longer re-reads req_prod. The trace reports
     * the event index as it is (unchanged). */
    s->idx = READ_ONCE32(ch->iopm.req_event);
#else
    WRITE_ONCE32(ch->iopm.req_event, cons + 1u);
    s->idx = cons + 1u;
#endif
    st->pc = RING_PC_CHECK;
    return 1;
}

int iopm_final_check(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_CHECK)
        return 0;
    step_init(s, EV_IOPM_FINAL_CHECK);
#if defined(MUTANT_MISSING_FINAL_CHECK)
    /* MUTANT: arm the event index and sleep, no re-check */
    WRITE_ONCE32(ch->iopm.req_event, READ_ONCE32(ch->iopm.req_cons) + 1u);
    s->sleep = 1;
#else
    ring_mb();                                    /* req_event before re-reading req_prod */
    s->sleep = READ_ONCE32(ch->vmm.req_prod) == READ_ONCE32(ch->iopm.req_cons);
#endif
    st->pc = s->sleep ? RING_PC_SLEEP : RING_PC_RUN;
    return 1;
}

int iopm_wake(struct iopm_ring *st, struct ring_step *s)
{
    if (st->pc == RING_PC_SLEEP)
        st->pc = RING_PC_RUN;
    step_init(s, EV_IOPM_WAKE);
    return 1;
}

int iopm_spurious_wake(struct iopm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_SLEEP)
        return 0;
    st->pc = RING_PC_RUN;
    step_init(s, EV_IOPM_SPURIOUS_WAKE);
    return 1;
}
