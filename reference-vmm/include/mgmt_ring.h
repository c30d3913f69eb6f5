/* The management ring of a channel (struct chan_mgmt): the console (an IOPM's user
 * interface) sends the VMM commands to create, start, stop and destroy VMs; the VMM answers
 * each. specs/GuestIo.tla abstracts it as a queue each way (IopmIssueCommand,
 * VmmCarryOutCommand, IopmTakeAnswer); here it keeps the I/O ring's discipline
 * (ring/ring.c): one writer per shared word, free-running u32 indexes, the producer decides
 * the IPI after a full barrier from the consumer's event index, the consumer arms its event
 * index and re-checks before it sleeps. The VMM trusts nothing the IOPM writes: it bounds
 * the command index and copies a command out of its slot once. Pure functions on the
 * channel and the caller's private state, no globals, no I/O (the fuzzing harness builds
 * this file for the host). */
#ifndef COOP_MGMT_RING_H
#define COOP_MGMT_RING_H

#include "types.h"
#include "shared_zone.h"

/* The console's private state (IOPM side). */
struct mgmt_console {
    u32 cmd_pvt;          /* commands written (== cmd_prod once published) */
    u32 ans_cons;         /* answers taken: the value of m->iopm.ans_cons */
    u32 ipi_sent;         /* IPIs sent the VMM: the value of m->iopm.ipi_to_vmm */
    u32 ipi_taken;        /* the VMM's ipi_to_iopm at the last wake */
};

/* The VMM's private state of one channel's management ring. */
struct mgmt_vmm {
    u32 cmd_cons;         /* commands taken: the value of m->vmm.cmd_cons */
    u32 ans_pvt;          /* answers written and published */
    u32 trusted;          /* 0 once the IOPM published a bogus command index */
    u32 ipi_sent;         /* IPIs sent the console: the value of m->vmm.ipi_to_iopm */
    u32 ipi_taken;        /* the console's ipi_to_vmm at the last wake */
};

/* What a call read of the peer's words, in the order it read them, for its trace records
 * (format v2 logs every such value). */
struct mgmt_reads {
    u32 bound;            /* the peer's consumer index, read as the ring's bound (issue, answer) */
    u32 event;            /* the peer's event index, read after the publish (issue, answer) */
    u32 prod;             /* the peer's producer index (take, the final check of may_sleep) */
};

/* The slot of free-running index i. */
static inline u32 mgmt_slot(u32 i)
{
    return i & (MGMT_SLOTS - 1u);
}

#define MGMT_BOGUS 2      /* vmm_take_command: the command index is more than MGMT_SLOTS ahead */

/* The VMM, before the AP starts (after ring_channel_init): every index 0, event indexes 1. */
void mgmt_ring_init(struct chan_mgmt *m);
void mgmt_console_init(struct mgmt_console *st);
void mgmt_vmm_init(struct mgmt_vmm *st);

/* Console: write command *c (its n, op, vcpu) into the next slot and publish it; then, after
 * a full barrier, read the VMM's event index: *notify says whether the VMM needs an IPI.
 * 0 if the ring is full (nothing written). */
int iopm_issue_command(struct chan_mgmt *m, struct mgmt_console *st, const struct mgmt_cmd *c, int *notify,
                       struct mgmt_reads *rd);
/* Console: take the oldest published answer into *out; 0 if none. */
int iopm_take_answer(struct chan_mgmt *m, struct mgmt_console *st, struct mgmt_ans *out, struct mgmt_reads *rd);
/* Console, going to sleep: arm ans_event past its answers, full barrier, re-check (the final
 * check): 1 if still no answer to take (it may sleep). */
int iopm_mgmt_may_sleep(struct chan_mgmt *m, struct mgmt_console *st, struct mgmt_reads *rd);
/* Console: count the IPI it is about to send the VMM (ipi_to_vmm), before sending it; the count. */
u32 iopm_mgmt_count_ipi(struct chan_mgmt *m, struct mgmt_console *st);
/* Console: 1 if the VMM's event index is armed past every command published (the VMM saw
 * the ring idle and went to sleep on it: its VmmPrepareSleep). A scenario's pacing, not a
 * step of MgmtRing: the spec lets the console issue at any time. */
int iopm_vmm_armed(const struct chan_mgmt *m, const struct mgmt_console *st);
/* Console, in its IPI handler: 1 if the VMM counted an IPI since the last wake (*sent: its
 * count, read), else 0 (an IPI of the I/O ring, or one a wake already took). */
int iopm_mgmt_took_ipi(struct chan_mgmt *m, struct mgmt_console *st, u32 *sent);

/* VMM: copy the oldest published command (once) into *out and free its slot; 0 if none,
 * MGMT_BOGUS if the IOPM's command index is more than MGMT_SLOTS ahead (nothing taken; the
 * ring is given up: st->trusted = 0). The caller validates the copy. */
int vmm_take_command(struct chan_mgmt *m, struct mgmt_vmm *st, struct mgmt_cmd *out, struct mgmt_reads *rd);
/* VMM: 1 if the console took every answer published (its ans_cons, read). Not a step of
 * MgmtRing: the VMM's run waits for it before it ends. */
int vmm_answers_taken(const struct chan_mgmt *m, const struct mgmt_vmm *st);
/* VMM: 1 if the answer ring has room (the console took enough of its answers). */
int vmm_can_answer(struct chan_mgmt *m, const struct mgmt_vmm *st);
/* VMM: publish answer *a; then, after a full barrier, *notify from the console's event
 * index. 0 if the answer ring is full (the console has not taken them: retry later). */
int vmm_answer_command(struct chan_mgmt *m, struct mgmt_vmm *st, const struct mgmt_ans *a, int *notify,
                       struct mgmt_reads *rd);
/* VMM, going to sleep: arm cmd_event past its commands, full barrier, re-check: 1 if still
 * no command to take. */
int vmm_mgmt_may_sleep(struct chan_mgmt *m, struct mgmt_vmm *st, struct mgmt_reads *rd);
/* VMM: the same two for its IPIs to the console (ipi_to_iopm) and the console's to it. */
u32 vmm_mgmt_count_ipi(struct chan_mgmt *m, struct mgmt_vmm *st);
int vmm_mgmt_took_ipi(struct chan_mgmt *m, struct mgmt_vmm *st, u32 *sent);

#endif
