/* The ring protocol of specs/CoopRing.tla, one function per action.
 *
 * Rules kept here (docs/shared-zone.md, notes/ring-background.md):
 *  - free-running u32 indexes, masked to a slot on use; full is prod - cons == RING_SLOTS;
 *  - one writer per shared word: the VMM writes only ch->vmm and ch->req[], the IOPM only
 *    ch->iopm and ch->rsp[];
 *  - producer: write the packet, write barrier, publish the index (one step); then FULL
 *    barrier, read the peer's event index, notify iff it lies in (old, new] (the next step:
 *    the peer can step in between, so the spec has two actions); then count and send the
 *    IPI (one more: the peer may take an earlier IPI in between);
 *  - going to sleep: see the ring empty and nothing else to do (one step), set the own
 *    event index to cons + 1 (the next: the peer can publish in between), FULL barrier,
 *    re-read the producer index (final check);
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
#elif defined(MUTANT_NO_VMM_PUBLISH_MB)
    return "no-vmm-publish-mb";
#elif defined(MUTANT_NO_IOPM_PUBLISH_MB)
    return "no-iopm-publish-mb";
#elif defined(MUTANT_NO_VMM_SLEEP_MB)
    return "no-vmm-sleep-mb";
#elif defined(MUTANT_NO_IOPM_SLEEP_MB)
    return "no-iopm-sleep-mb";
#elif defined(MUTANT_FREE_BEFORE_COPY)
    return "free-before-copy";
#elif defined(MUTANT_FREE_BEFORE_COPY_RSP)
    return "free-before-copy-rsp";
#elif defined(MUTANT_SLOT_AFTER_INDEX)
    return "slot-after-index";
#elif defined(MUTANT_DOUBLE_FETCH)
    return "double-fetch";
#else
    return "ref";
#endif
}

/* Single fetch of a whole slot into private memory: each word read once, through
 * READ_ONCE32 (the fuzzing build's read hook sees every read, and may let a hostile peer
 * rewrite a word before it: a second read of the same word would be a double fetch). */
static void slot_read(const struct packet *slot, struct packet *out)
{
    const u32 *src = (const u32 *)slot;
    u32 *dst = (u32 *)out;
    for (u32 i = 0; i < WORDS_PER_SLOT; i++)
        dst[i] = READ_ONCE32(src[i]);
}

#if defined(MUTANT_DOUBLE_FETCH)
/* the slot word that holds a packet's length, and where in it (x86: little-endian) */
#define LENGTH_WORD  (offsetof(struct packet, length) / 4u)
#define LENGTH_SHIFT ((offsetof(struct packet, length) % 4u) * 8u)
#endif

static void slot_write(struct packet *slot, const struct packet *in)
{
    volatile u32 *dst = (volatile u32 *)slot;
    const u32 *src = (const u32 *)in;
    for (u32 i = 0; i < WORDS_PER_SLOT; i++)
        dst[i] = src[i];
}

/* Every step starts its access log empty; its fields are filled as it goes. */
static void step_begin(struct ring_step *s, u32 ev)
{
    s->ev = ev;
    s->id = 0;
    s->idx = 0;
    s->notify = 0;
    s->sleep = 0;
    s->n_acc = 0;
}

static void log_access(struct ring_step *s, u32 kind, u32 word, u32 slot, u32 value)
{
    if (s->n_acc < RING_STEP_ACCESSES) {
        struct ring_access *a = &s->acc[s->n_acc++];
        a->kind = (u8)kind;
        a->word = (u8)word;
        a->slot = (u16)slot;
        a->value = value;
    }
}

/* A load of a word the peer writes, logged with the value it saw. Private stores only go
 * between it and the next access: no locked op, no port I/O, no RDTSC (those would fence). */
static u32 load_peer(struct ring_step *s, u32 word, const u32 *p)
{
    u32 v = READ_ONCE32(*p);
    log_access(s, RA_READ, word, 0, v);
    return v;
}

static void store_own(struct ring_step *s, u32 word, u32 *p, u32 v)
{
    WRITE_ONCE32(*p, v);
    log_access(s, RA_WRITE, word, 0, v);
}

/* ring_mb(), logged: the v2 checker needs to know which store->load pairs it orders. */
static void full_barrier(struct ring_step *s)
{
    ring_mb();
    log_access(s, RA_FENCE, 0, 0, 0);
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
    ch->vmm.ipi_to_iopm = 0;
    ch->iopm.ipi_to_vmm = 0;
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
    st->notify_from = 0;
    st->ipi_sent = 0;
    st->ipi_taken = 0;
#if defined(MUTANT_SLOT_AFTER_INDEX)
    st->late_slot = 0;
#endif
}

void iopm_ring_init(struct iopm_ring *st)
{
    st->rsp_pvt = 0;
    st->req_got = 0;
    st->pc = RING_PC_RUN;
    st->pending_head = 0;
    st->pending_count = 0;
    st->notify_from = 0;
    st->ipi_sent = 0;
    st->ipi_taken = 0;
}

/* ------------------------------------------------------------------------------------ */
/* VMM actions                                                                          */

static int vmm_running(const struct vmm_ring *st)
{
    return st->pc == RING_PC_RUN && st->trusted;
}

#if !defined(MUTANT_SLOT_AFTER_INDEX)
/* A request slot store: the whole packet, logged as its id (the word a reader names). */
static void write_req_slot(struct channel *ch, struct ring_step *s, u32 idx, const struct packet *pkt)
{
    slot_write(&ch->req[SLOT(idx)], pkt);
    log_access(s, RA_WRITE, RW_REQ_ID, SLOT(idx), pkt->id);
}
#endif

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
        step_begin(s, EV_VMM_WRITE_REQUEST);
        write_req_slot(ch, s, st->req_pvt - 1u, &pkt);
        st->unfilled = 0;
        st->next_id++;
        s->id = pkt.id;
        s->idx = st->req_pvt;
        return 1;
    }
    step_begin(s, EV_VMM_PUBLISH_REQUESTS);
    cons = READ_ONCE32(ch->iopm.req_cons);
    if (READ_ONCE32(ch->vmm.req_prod) != st->req_pvt || (u32)(st->req_pvt - cons) >= RING_SLOTS)
        return 0;
    st->notify_from = st->req_pvt;
    st->req_pvt++;
    store_own(s, RW_REQ_PROD, &ch->vmm.req_prod, st->req_pvt);
    st->unfilled = 1;
    st->pc = RING_PC_NOTIFY;
    s->idx = st->req_pvt;
    return 1;
#endif

    step_begin(s, EV_VMM_WRITE_REQUEST);
    cons = load_peer(s, RW_REQ_CONS, &ch->iopm.req_cons);
#if defined(MUTANT_OFF_BY_ONE_FULL)
    if (!((u32)(st->req_pvt - cons) <= RING_SLOTS))   /* MUTANT: <= instead of < */
        return 0;
#else
    if (!((u32)(st->req_pvt - cons) < RING_SLOTS))
        return 0;
#endif
#if defined(MUTANT_SLOT_AFTER_INDEX)
    /* MUTANT slot-after-index: what a compiler may do to plain (non-volatile) slot stores
     * with no compiler barrier before the index store: the slot's store sinks below the
     * next publish's req_prod store. The log keeps the source order (the slot here), as a
     * build's log would: only the values others read can show the reordering. */
    if (st->late_slot)                            /* only the last store before a publish sinks */
        slot_write(&ch->req[SLOT(st->late_slot - 1u)], &st->late_pkt);
    log_access(s, RA_WRITE, RW_REQ_ID, SLOT(st->req_pvt), pkt.id);
    st->late_slot = st->req_pvt + 1u;
    st->late_pkt = pkt;
#else
    write_req_slot(ch, s, st->req_pvt, &pkt);
#endif
#if defined(MUTANT_WRONG_WRAP)
    st->req_pvt = (st->req_pvt + 1u) % RING_SLOTS;    /* MUTANT: wraps at RING_SLOTS */
#else
    st->req_pvt++;
#endif
    st->next_id++;
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
    step_begin(s, EV_VMM_PUBLISH_REQUESTS);
    ring_wmb();                                   /* packets before the index */
    store_own(s, RW_REQ_PROD, &ch->vmm.req_prod, st->req_pvt);
#if defined(MUTANT_SLOT_AFTER_INDEX)
    if (st->late_slot) {                          /* MUTANT: the sunk slot store */
        slot_write(&ch->req[SLOT(st->late_slot - 1u)], &st->late_pkt);
        st->late_slot = 0;
    }
#endif
    st->notify_from = old;
    st->pc = RING_PC_NOTIFY;
    s->idx = st->req_pvt;
    return 1;
}

int vmm_notify_iopm(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    u32 event;

    if (st->pc != RING_PC_NOTIFY)
        return 0;
    step_begin(s, EV_VMM_NOTIFY_IOPM);
#if !defined(MUTANT_NO_VMM_PUBLISH_MB)
    full_barrier(s);                              /* req_prod before reading req_event */
#endif                                            /* MUTANT no-vmm-publish-mb: no barrier */
    event = load_peer(s, RW_REQ_EVENT, &ch->iopm.req_event);
    s->notify = ring_need_notify(st->notify_from, READ_ONCE32(ch->vmm.req_prod), event);
    st->pc = s->notify ? RING_PC_IPI : RING_PC_RUN;
    return 1;
}

int vmm_send_ipi(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_IPI)
        return 0;
    step_begin(s, EV_VMM_SEND_IPI);
    store_own(s, RW_IPI_TO_IOPM, &ch->vmm.ipi_to_iopm, ++st->ipi_sent);
    st->pc = RING_PC_RUN;
    return 1;
}

static void read_rsp_slot(struct channel *ch, struct ring_step *s, u32 idx, struct packet *out)
{
    slot_read(&ch->rsp[SLOT(idx)], out);
    log_access(s, RA_READ, RW_RSP_ID, SLOT(idx), out->id);
}

int vmm_consume_response(struct channel *ch, struct vmm_ring *st, struct packet *out,
                         struct ring_step *s)
{
    u32 cons, prod;

    if (!vmm_running(st))
        return 0;
    step_begin(s, EV_VMM_CONSUME_RESPONSE);
    cons = READ_ONCE32(ch->vmm.rsp_cons);
    prod = load_peer(s, RW_RSP_PROD, &ch->iopm.rsp_prod);
    if (prod == cons)
        return 0;
#if !defined(MUTANT_TRUST_PEER_INDEX)
    if ((u32)(prod - cons) > RING_SLOTS)          /* never trust the peer's index */
        return RING_BOGUS;
#endif                                            /* MUTANT trust-peer-index: no bound */
    ring_rmb();                                   /* index before the packet */
#if defined(MUTANT_FREE_BEFORE_COPY_RSP)
    /* MUTANT free-before-copy-rsp: the slot is freed (rsp_cons published) before it is
     * copied out: the IOPM may write the next response into it first. */
    store_own(s, RW_RSP_CONS, &ch->vmm.rsp_cons, cons + 1u);
    read_rsp_slot(ch, s, cons, out);
#else
    read_rsp_slot(ch, s, cons, out);
#if defined(MUTANT_DOUBLE_FETCH)
    /* MUTANT double-fetch: the length is fetched from the shared slot a second time, as
     * code that sizes a payload copy from the slot would: the caller validates the copy,
     * and a peer that rewrites the length in between gets another one through. */
    out->length = (u16)(READ_ONCE32(((const u32 *)&ch->rsp[SLOT(cons)])[LENGTH_WORD]) >> LENGTH_SHIFT);
#endif
    ring_wmb();                                   /* packet copied before the slot is freed */
    store_own(s, RW_RSP_CONS, &ch->vmm.rsp_cons, cons + 1u);
#endif
    st->rsp_got++;
    s->id = out->id;
    s->idx = cons + 1u;
    return 1;
}

int vmm_declare_iopm_broken(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    u32 cons, prod;

    if (!vmm_running(st))
        return 0;
    step_begin(s, EV_VMM_DECLARE_IOPM_BROKEN);
    cons = READ_ONCE32(ch->vmm.rsp_cons);
    prod = load_peer(s, RW_RSP_PROD, &ch->iopm.rsp_prod);
    if (!((u32)(prod - cons) > RING_SLOTS))
        return 0;
    st->trusted = 0;
    s->idx = prod;
    return 1;
}

int vmm_see_idle(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    u32 cons;

    if (!vmm_running(st) || st->unfilled)
        return 0;
    step_begin(s, EV_VMM_SEE_IDLE);
    cons = READ_ONCE32(ch->vmm.rsp_cons);
    if (load_peer(s, RW_RSP_PROD, &ch->iopm.rsp_prod) != cons)
        return 0;
    if (READ_ONCE32(ch->vmm.req_prod) != st->req_pvt)
        return 0;
    if (!(st->rsp_got < st->next_id - 1u))        /* a request is outstanding */
        return 0;
    st->pc = RING_PC_IDLE;
    return 1;
}

int vmm_prepare_sleep(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    u32 cons;

    if (st->pc != RING_PC_IDLE)
        return 0;
    step_begin(s, EV_VMM_PREPARE_SLEEP);
    cons = READ_ONCE32(ch->vmm.rsp_cons);
    store_own(s, RW_RSP_EVENT, &ch->vmm.rsp_event, cons + 1u);
    st->pc = RING_PC_CHECK;
    s->idx = cons + 1u;
    return 1;
}

int vmm_final_check(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_CHECK)
        return 0;
    step_begin(s, EV_VMM_FINAL_CHECK);
#if !defined(MUTANT_NO_VMM_SLEEP_MB)
    full_barrier(s);                              /* rsp_event before re-reading rsp_prod */
#endif                                            /* MUTANT no-vmm-sleep-mb: no barrier */
    s->sleep = load_peer(s, RW_RSP_PROD, &ch->iopm.rsp_prod) == READ_ONCE32(ch->vmm.rsp_cons);
    st->pc = s->sleep ? RING_PC_SLEEP : RING_PC_RUN;
    return 1;
}

int vmm_wake(struct channel *ch, struct vmm_ring *st, struct ring_step *s)
{
    u32 sent;

    step_begin(s, EV_VMM_WAKE);
    sent = load_peer(s, RW_IPI_TO_VMM, &ch->iopm.ipi_to_vmm);
    if (sent == st->ipi_taken)
        return 0;                                 /* a send already taken */
    st->ipi_taken = sent;
    if (st->pc == RING_PC_SLEEP)
        st->pc = RING_PC_RUN;
    return 1;
}

int vmm_spurious_wake(struct vmm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_SLEEP)
        return 0;
    st->pc = RING_PC_RUN;
    step_begin(s, EV_VMM_SPURIOUS_WAKE);
    return 1;
}

/* ------------------------------------------------------------------------------------ */
/* IOPM actions                                                                         */

static void read_req_slot(struct channel *ch, struct ring_step *s, u32 idx, struct packet *out)
{
    slot_read(&ch->req[SLOT(idx)], out);
    log_access(s, RA_READ, RW_REQ_ID, SLOT(idx), out->id);
}

int iopm_consume(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    u32 cons, prod, tail;

    if (st->pc != RING_PC_RUN || st->pending_count >= IOPM_PENDING_MAX)
        return 0;
    step_begin(s, EV_IOPM_CONSUME);
    cons = READ_ONCE32(ch->iopm.req_cons);
    prod = load_peer(s, RW_REQ_PROD, &ch->vmm.req_prod);
    if (prod == cons)
        return 0;
    ring_rmb();                                   /* index before the packet */
    tail = (st->pending_head + st->pending_count) % IOPM_PENDING_MAX;
#if defined(MUTANT_FREE_BEFORE_COPY)
    /* MUTANT free-before-copy: the slot is freed (req_cons published) before it is copied
     * out: the VMM may write the next request into it first. */
    store_own(s, RW_REQ_CONS, &ch->iopm.req_cons, cons + 1u);
    read_req_slot(ch, s, cons, &st->pending[tail]);
    st->pending_count++;
#else
    read_req_slot(ch, s, cons, &st->pending[tail]);
    st->pending_count++;
    ring_wmb();                                   /* packet copied before the slot is freed */
    store_own(s, RW_REQ_CONS, &ch->iopm.req_cons, cons + 1u);
#endif
    st->req_got++;
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
    step_begin(s, EV_IOPM_WRITE_RESPONSE);
    cons = load_peer(s, RW_RSP_CONS, &ch->vmm.rsp_cons);
#if defined(MUTANT_OFF_BY_ONE_FULL_RSP)
    if (!((u32)(st->rsp_pvt - cons) <= RING_SLOTS))   /* MUTANT: <= instead of < */
#else
    if (!((u32)(st->rsp_pvt - cons) < RING_SLOTS))
#endif
        return 0;
    slot_write(&ch->rsp[SLOT(st->rsp_pvt)], rsp);
    log_access(s, RA_WRITE, RW_RSP_ID, SLOT(st->rsp_pvt), rsp->id);
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
    step_begin(s, EV_IOPM_PUBLISH_RESPONSES);
    ring_wmb();                                   /* packets before the index */
    store_own(s, RW_RSP_PROD, &ch->iopm.rsp_prod, st->rsp_pvt);
    st->notify_from = old;
    st->pc = RING_PC_NOTIFY;
    s->idx = st->rsp_pvt;
    return 1;
}

int iopm_notify_vmm(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    u32 event;

    if (st->pc != RING_PC_NOTIFY)
        return 0;
    step_begin(s, EV_IOPM_NOTIFY_VMM);
#if !defined(MUTANT_NO_IOPM_PUBLISH_MB)
    full_barrier(s);                              /* rsp_prod before reading rsp_event */
#endif                                            /* MUTANT no-iopm-publish-mb: no barrier */
    event = load_peer(s, RW_RSP_EVENT, &ch->vmm.rsp_event);
    s->notify = ring_need_notify(st->notify_from, READ_ONCE32(ch->iopm.rsp_prod), event);
    st->pc = s->notify ? RING_PC_IPI : RING_PC_RUN;
    return 1;
}

int iopm_send_ipi(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_IPI)
        return 0;
    step_begin(s, EV_IOPM_SEND_IPI);
    store_own(s, RW_IPI_TO_VMM, &ch->iopm.ipi_to_vmm, ++st->ipi_sent);
    st->pc = RING_PC_RUN;
    return 1;
}

int iopm_publish_bogus(struct channel *ch, struct iopm_ring *st, u32 skew, struct ring_step *s)
{
    u32 p = READ_ONCE32(ch->vmm.rsp_cons) + RING_SLOTS + 1u + skew;

    (void)st;
    step_begin(s, EV_IOPM_PUBLISH_BOGUS);
    store_own(s, RW_RSP_PROD, &ch->iopm.rsp_prod, p);
    ring_mb();                                    /* the bogus index out before going on */
    s->idx = p;
    return 1;
}

int iopm_see_idle(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    u32 cons;

    if (st->pc != RING_PC_RUN || st->pending_count != 0)
        return 0;
    step_begin(s, EV_IOPM_SEE_IDLE);
    cons = READ_ONCE32(ch->iopm.req_cons);
    if (load_peer(s, RW_REQ_PROD, &ch->vmm.req_prod) != cons)
        return 0;
    if (READ_ONCE32(ch->iopm.rsp_prod) != st->rsp_pvt)
        return 0;
    st->pc = RING_PC_IDLE;
    return 1;
}

int iopm_prepare_sleep(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
#if !defined(MUTANT_MISSING_FINAL_CHECK)
    u32 cons;
#endif

    if (st->pc != RING_PC_IDLE)
        return 0;
    step_begin(s, EV_IOPM_PREPARE_SLEEP);
#if defined(MUTANT_MISSING_FINAL_CHECK)
    /* MUTANT missing-final-check: saw the ring empty; the event index is armed only
     * later, in the "final check", which no longer re-reads req_prod. The trace reports
     * the event index as it is (unchanged). */
    s->idx = READ_ONCE32(ch->iopm.req_event);
#else
    cons = READ_ONCE32(ch->iopm.req_cons);
    store_own(s, RW_REQ_EVENT, &ch->iopm.req_event, cons + 1u);
    s->idx = cons + 1u;
#endif
    st->pc = RING_PC_CHECK;
    return 1;
}

int iopm_final_check(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_CHECK)
        return 0;
    step_begin(s, EV_IOPM_FINAL_CHECK);
#if defined(MUTANT_MISSING_FINAL_CHECK)
    /* MUTANT: arm the event index and sleep, no re-check */
    store_own(s, RW_REQ_EVENT, &ch->iopm.req_event, READ_ONCE32(ch->iopm.req_cons) + 1u);
    s->sleep = 1;
#else
#if !defined(MUTANT_NO_IOPM_SLEEP_MB)
    full_barrier(s);                              /* req_event before re-reading req_prod */
#endif                                            /* MUTANT no-iopm-sleep-mb: no barrier */
    s->sleep = load_peer(s, RW_REQ_PROD, &ch->vmm.req_prod) == READ_ONCE32(ch->iopm.req_cons);
#endif
    st->pc = s->sleep ? RING_PC_SLEEP : RING_PC_RUN;
    return 1;
}

int iopm_wake(struct channel *ch, struct iopm_ring *st, struct ring_step *s)
{
    u32 sent;

    step_begin(s, EV_IOPM_WAKE);
    sent = load_peer(s, RW_IPI_TO_IOPM, &ch->vmm.ipi_to_iopm);
    if (sent == st->ipi_taken)
        return 0;
    st->ipi_taken = sent;
    if (st->pc == RING_PC_SLEEP)
        st->pc = RING_PC_RUN;
    return 1;
}

int iopm_spurious_wake(struct iopm_ring *st, struct ring_step *s)
{
    if (st->pc != RING_PC_SLEEP)
        return 0;
    st->pc = RING_PC_RUN;
    step_begin(s, EV_IOPM_SPURIOUS_WAKE);
    return 1;
}
