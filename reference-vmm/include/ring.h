/* Ring operations, one function per action of specs/CoopRing.tla, with the same enabling
 * conditions. Pure functions on a struct channel * (shared) and the caller's private
 * state; no globals, no I/O: the caller takes the trace lock, calls one step, traces the
 * returned ring_step and sends the IPI if step.notify says so.
 * Every function returns 1 if the step was taken (and fills *s), 0 if it is not enabled. */
#ifndef COOP_RING_H
#define COOP_RING_H

#include "types.h"
#include "shared_zone.h"

enum ring_pc { RING_PC_RUN = 0, RING_PC_CHECK = 1, RING_PC_SLEEP = 2 };

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
};

/* IOPM private state: rspPvt, Len(reqGot), pending, iopmPc. */
struct iopm_ring {
    u32 rsp_pvt;
    u32 req_got;
    u32 pc;
    u32 pending_head;
    u32 pending_count;
    struct packet pending[IOPM_PENDING_MAX];
};

enum ring_event {
    EV_VMM_WRITE_REQUEST, EV_VMM_PUBLISH_REQUESTS, EV_VMM_CONSUME_RESPONSE,
    EV_VMM_DECLARE_IOPM_BROKEN, EV_VMM_PREPARE_SLEEP, EV_VMM_FINAL_CHECK,
    EV_VMM_WAKE, EV_VMM_SPURIOUS_WAKE,
    EV_IOPM_CONSUME, EV_IOPM_WRITE_RESPONSE, EV_IOPM_PUBLISH_RESPONSES,
    EV_IOPM_PUBLISH_BOGUS, EV_IOPM_PREPARE_SLEEP, EV_IOPM_FINAL_CHECK,
    EV_IOPM_WAKE, EV_IOPM_SPURIOUS_WAKE,
    EV_COUNT
};

/* What a step did, for its trace line (fields per docs/trace-format.md). */
struct ring_step {
    u32 ev;       /* enum ring_event */
    u32 id;       /* write_request, consume, write_response, consume_response */
    u32 idx;      /* pvt / prod / cons / event index, per event */
    u32 notify;   /* publish: 1 if the peer must get an IPI */
    u32 sleep;    /* final_check */
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
/* Consumes one response into *out. Returns 1 on a step, 0 if empty or not enabled,
 * RING_BOGUS if rsp_prod is more than RING_SLOTS ahead (nothing consumed: the caller
 * takes vmm_declare_iopm_broken next). */
#define RING_BOGUS 2
int vmm_consume_response(struct channel *ch, struct vmm_ring *st, struct packet *out,
                         struct ring_step *s);
int vmm_declare_iopm_broken(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
int vmm_prepare_sleep(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
int vmm_final_check(struct channel *ch, struct vmm_ring *st, struct ring_step *s);
int vmm_wake(struct vmm_ring *st, struct ring_step *s);
int vmm_spurious_wake(struct vmm_ring *st, struct ring_step *s);

/* IOPM side. */
int iopm_consume(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
/* The oldest consumed, unanswered request (a private copy), or NULL. */
const struct packet *iopm_pending_head(const struct iopm_ring *st);
int iopm_write_response(struct channel *ch, struct iopm_ring *st, const struct packet *rsp,
                        struct ring_step *s);
int iopm_publish_responses(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
/* Fault injection (ring-hostile): publish rsp_prod = rsp_cons + RING_SLOTS + 1 + skew. */
int iopm_publish_bogus(struct channel *ch, struct iopm_ring *st, u32 skew, struct ring_step *s);
int iopm_prepare_sleep(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
int iopm_final_check(struct channel *ch, struct iopm_ring *st, struct ring_step *s);
int iopm_wake(struct iopm_ring *st, struct ring_step *s);
int iopm_spurious_wake(struct iopm_ring *st, struct ring_step *s);

/* Name of the mutant compiled in ("ref" for none). */
const char *ring_mutant_name(void);

#endif
