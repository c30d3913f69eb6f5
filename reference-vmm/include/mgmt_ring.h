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
};

/* The VMM's private state of one channel's management ring. */
struct mgmt_vmm {
    u32 cmd_cons;         /* commands taken: the value of m->vmm.cmd_cons */
    u32 ans_pvt;          /* answers written and published */
    u32 trusted;          /* 0 once the IOPM published a bogus command index */
};

#define MGMT_BOGUS 2      /* vmm_take_command: the command index is more than MGMT_SLOTS ahead */

/* The VMM, before the AP starts (after ring_channel_init): every index 0, event indexes 1. */
void mgmt_ring_init(struct chan_mgmt *m);
void mgmt_console_init(struct mgmt_console *st);
void mgmt_vmm_init(struct mgmt_vmm *st);

/* Console: write command *c (its n, op, vcpu) into the next slot and publish it; then, after
 * a full barrier, read the VMM's event index: *notify says whether the VMM needs an IPI.
 * 0 if the ring is full (nothing written). */
int iopm_issue_command(struct chan_mgmt *m, struct mgmt_console *st, const struct mgmt_cmd *c, int *notify);
/* Console: take the oldest published answer into *out; 0 if none. */
int iopm_take_answer(struct chan_mgmt *m, struct mgmt_console *st, struct mgmt_ans *out);
/* Console, going to sleep: arm ans_event past its answers, full barrier, re-check (the final
 * check): 1 if still no answer to take (it may sleep). */
int iopm_mgmt_may_sleep(struct chan_mgmt *m, struct mgmt_console *st);

/* VMM: copy the oldest published command (once) into *out and free its slot; 0 if none,
 * MGMT_BOGUS if the IOPM's command index is more than MGMT_SLOTS ahead (nothing taken; the
 * ring is given up: st->trusted = 0). The caller validates the copy. */
int vmm_take_command(struct chan_mgmt *m, struct mgmt_vmm *st, struct mgmt_cmd *out);
/* VMM: 1 if the answer ring has room (the console took enough of its answers). */
int vmm_can_answer(struct chan_mgmt *m, const struct mgmt_vmm *st);
/* VMM: publish answer *a; then, after a full barrier, *notify from the console's event
 * index. 0 if the answer ring is full (the console has not taken them: retry later). */
int vmm_answer_command(struct chan_mgmt *m, struct mgmt_vmm *st, const struct mgmt_ans *a, int *notify);
/* VMM, going to sleep: arm cmd_event past its commands, full barrier, re-check: 1 if still
 * no command to take. */
int vmm_mgmt_may_sleep(struct chan_mgmt *m, struct mgmt_vmm *st);

#endif
