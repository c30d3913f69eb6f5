/* Ring operations, one function per action of specs/CoopRing.tla, with the same enabling
 * conditions. Pure functions on a struct channel * (shared) and the caller's private
 * state; no globals, no I/O: the caller calls one step, traces the returned ring_step and
 * sends the IPI if step.notify says so (the locked v1 build does that under its trace lock).
 * Every function returns 1 if the step was taken (and fills *s), 0 if it is not enabled.
 * A step also logs, in *s, each shared word it read from the peer and each it wrote, in the
 * order it made the accesses, and its full barriers (trace format v2, docs/trace-format.md).
 * A step not taken may have read shared words: its *s is meaningless. */
#ifndef COOP_RING_H
#define COOP_RING_H

#include "types.h"
#include "shared_zone.h"

/* NOTIFY: the producer index is published, the notify decision (after the full barrier)
 * not yet taken: the spec's "notify" pc, between VmmPublishRequests and VmmNotifyIopm.
 * IDLE: saw nothing to do (VmmSeeIdle), the event index not yet set (VmmPrepareSleep).
 * IPI: decided to notify (VmmNotifyIopm), the IPI not yet sent (VmmSendIpi). */
enum ring_pc { RING_PC_RUN = 0, RING_PC_CHECK = 1, RING_PC_SLEEP = 2, RING_PC_NOTIFY = 3,
               RING_PC_IDLE = 4, RING_PC_IPI = 5 };

/* IOPM-side queue of consumed-but-unanswered requests (the spec's `pending`). The spec's
 * queue is unbounded; here the IOPM stops consuming when it is full (a scheduling choice). */
#define IOPM_PENDING_MAX 16u

/* VMM private state of one channel: reqPvt, nextId, Len(rspGot), vmmPc, iopmTrusted. */
struct vmm_ring {
    u32 req_pvt;
    u32 next_id;      /* id of the next request (1, 2, ...) */
    u32 max_req;      /* MaxReq: requests this channel will be given */
    u32 rsp_got;      /* responses consumed */
    u32 pc;           /* enum ring_pc; also changed by the IPI handler (wake) */
    u32 trusted;      /* 0 once the IOPM was declared broken */
    u32 unfilled;     /* publish-before-write mutant only: slot published, not written;
                         the caller passes the same packet again to fill it */
    u32 notify_from;  /* req_prod before the last publish (reqNotifyFrom) */
    u32 ipi_sent;     /* IPIs sent to the IOPM: the value of ch->vmm.ipi_to_iopm */
    u32 ipi_taken;    /* the IOPM's ipi_to_vmm at the last wake */
#if defined(MUTANT_SLOT_AFTER_INDEX)
    u32 late_slot;    /* slot-after-index mutant: a slot store moved after the index store */
    struct packet late_pkt;
#endif
};

/* IOPM private state: rspPvt, Len(reqGot), pending, iopmPc. */
struct iopm_ring {
    u32 rsp_pvt;
    u32 req_got;
    u32 pc;
    u32 pending_head;
    u32 pending_count;
    u32 notify_from;  /* rsp_prod before the last publish (rspNotifyFrom) */
    u32 ipi_sent;     /* IPIs sent to the VMM: the value of ch->iopm.ipi_to_vmm */
    u32 ipi_taken;    /* the VMM's ipi_to_iopm at the last wake */
    struct packet pending[IOPM_PENDING_MAX];
};

enum ring_event {
    EV_VMM_WRITE_REQUEST, EV_VMM_PUBLISH_REQUESTS, EV_VMM_CONSUME_RESPONSE,
    EV_VMM_DECLARE_IOPM_BROKEN, EV_VMM_PREPARE_SLEEP, EV_VMM_FINAL_CHECK,
    EV_VMM_WAKE, EV_VMM_SPURIOUS_WAKE,
    EV_IOPM_CONSUME, EV_IOPM_WRITE_RESPONSE, EV_IOPM_PUBLISH_RESPONSES,
    EV_IOPM_PUBLISH_BOGUS, EV_IOPM_PREPARE_SLEEP, EV_IOPM_FINAL_CHECK,
    EV_IOPM_WAKE, EV_IOPM_SPURIOUS_WAKE,
    EV_VMM_NOTIFY_IOPM, EV_IOPM_NOTIFY_VMM,     /* last: the fuzzers' numbers stay as they were */
    EV_VMM_SEE_IDLE, EV_IOPM_SEE_IDLE,
    EV_VMM_SEND_IPI, EV_IOPM_SEND_IPI,
    EV_COUNT
};

/* The shared words of a channel, as trace format v2 names them. */
enum ring_word {
    RW_REQ_PROD, RW_RSP_CONS, RW_RSP_EVENT, RW_IPI_TO_IOPM,   /* written by the VMM */
    RW_RSP_PROD, RW_REQ_CONS, RW_REQ_EVENT, RW_IPI_TO_VMM,    /* written by the IOPM */
    RW_REQ_ID, RW_RSP_ID,                                     /* a slot's id: VMM, IOPM */
    RW_COUNT
};

enum ring_access_kind { RA_READ = 1, RA_WRITE = 2, RA_FENCE = 3 };

struct ring_access {
    u8 kind;      /* enum ring_access_kind */
    u8 word;      /* enum ring_word */
    u16 slot;     /* RW_REQ_ID, RW_RSP_ID: the slot */
    u32 value;    /* read or written */
};

/* accesses one step makes at most: consume reads the index and the slot, writes its index */
#define RING_STEP_ACCESSES 4u

/* What a step did, for its trace line (fields per docs/trace-format.md). */
struct ring_step {
    u32 ev;       /* enum ring_event */
    u32 id;       /* write_request, consume, write_response, consume_response */
    u32 idx;      /* pvt / prod / cons / event index, per event */
    u32 notify;   /* notify_*: 1 if the peer must get an IPI (send_ipi is next) */
    u32 sleep;    /* final_check */
    u32 n_acc;
    struct ring_access acc[RING_STEP_ACCESSES];
};

/* Set up a channel (VMM, before the AP starts): header, both control areas, both rings. */
void ring_channel_init(struct channel *ch, u32 iopm);
void vmm_ring_init(struct vmm_ring *st, u32 max_req);
void iopm_ring_init(struct iopm_ring *st);

/* notify iff the peer's event index lies in (old, new], in u32 arithmetic */
static inline int ring_need_notify(u32 old_idx, u32 new_idx, u32 event)
{
    return (u32)(new_idx - event) < (u32)(new_idx - old_idx);
}

/* VMM side. vmm_write_request assigns the id (st->next_id) to a copy of *req. */
int vmm_write_request(struct channel *ch, struct vmm_ring *st, const struct packet *req,
                      struct ring_step *s);
int vmm_publish_requests(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
/* After a publish, always next: full barrier, read req_event, decide to notify iff passed
 * (s->notify; the pc is then RING_PC_IPI). */
int vmm_notify_iopm(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
/* After a notify decision, always next: count the IPI in ch->vmm.ipi_to_iopm (the caller
 * then sends the hardware IPI). */
int vmm_send_ipi(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
/* Consumes one response into *out. Returns 1 on a step, 0 if empty or not enabled,
 * RING_BOGUS if rsp_prod is more than RING_SLOTS ahead (nothing consumed: the caller
 * takes vmm_declare_iopm_broken next). */
#define RING_BOGUS 2
int vmm_consume_response(struct channel *ch, struct vmm_ring *st, struct packet *out,
                         struct ring_step *s);
int vmm_declare_iopm_broken(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
/* No response to consume, all written published, a request outstanding: going idle. */
int vmm_see_idle(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
/* After vmm_see_idle, always next: set rsp_event = rsp_cons + 1. */
int vmm_prepare_sleep(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
int vmm_final_check(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
/* The IOPM's IPI count moved since the last wake: take its sends (0: nothing new). */
int vmm_wake(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
int vmm_spurious_wake(struct vmm_ring *st, struct ring_step *s);

/* IOPM side. */
int iopm_consume(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
/* The oldest consumed, unanswered request (a private copy), or NULL. */
const struct packet *iopm_pending_head(const struct iopm_ring *st);
int iopm_write_response(struct channel *ch, struct iopm_ring *st, const struct packet *rsp,
                        struct ring_step *s);
int iopm_publish_responses(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
int iopm_notify_vmm(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
int iopm_send_ipi(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
/* Fault injection (ring-hostile): publish rsp_prod = rsp_cons + RING_SLOTS + 1 + skew. */
int iopm_publish_bogus(struct channel *ch, struct iopm_ring *st, u32 skew, struct ring_step *s);
int iopm_see_idle(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
int iopm_prepare_sleep(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
int iopm_final_check(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
int iopm_wake(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
int iopm_spurious_wake(struct iopm_ring *st, struct ring_step *s);

/* Name of the mutant compiled in ("ref" for none). */
const char *ring_mutant_name(void);

#endif
