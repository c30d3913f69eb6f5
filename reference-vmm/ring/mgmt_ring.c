/* The management ring (include/mgmt_ring.h): the I/O ring's rules (ring/ring.c) on the
 * small command and answer slots of struct chan_mgmt. */
#include "mgmt_ring.h"
#include "ring_arch.h"

/* notify iff the consumer's event index lies in (old, new], in u32 arithmetic (as ring.c) */
static int need_notify(u32 old_idx, u32 new_idx, u32 event)
{
    return (u32)(new_idx - event) < (u32)(new_idx - old_idx);
}

/* A producer's publish, after it wrote its slot: the index, then the IPI decision (*seen:
 * the event index read). */
static int publish(u32 *prod, u32 *pvt, const u32 *event, u32 *seen)
{
    u32 old = *pvt;
    ring_wmb();                            /* orders the slot's words before the index */
    *pvt = old + 1u;
    WRITE_ONCE32(*prod, *pvt);
    ring_mb();                             /* orders the index store before the event load */
    *seen = READ_ONCE32(*event);
    return need_notify(old, *pvt, *seen);
}

/* A wake: 1 if the peer's IPI count moved since the last one taken. */
static int took_ipi(const u32 *peer_count, u32 *taken, u32 *sent)
{
    *sent = READ_ONCE32(*peer_count);
    if (*sent == *taken)
        return 0;
    *taken = *sent;
    return 1;
}

void mgmt_ring_init(struct chan_mgmt *m)
{
    m->iopm.cmd_prod = 0;
    m->iopm.ans_cons = 0;
    m->iopm.ans_event = 1;
    m->vmm.ans_prod = 0;
    m->vmm.cmd_cons = 0;
    m->vmm.cmd_event = 1;
    m->iopm.ipi_to_vmm = 0;
    m->vmm.ipi_to_iopm = 0;
    ring_mb();
}

void mgmt_console_init(struct mgmt_console *st)
{
    st->cmd_pvt = 0;
    st->ans_cons = 0;
    st->ipi_sent = 0;
    st->ipi_taken = 0;
}

void mgmt_vmm_init(struct mgmt_vmm *st)
{
    st->cmd_cons = 0;
    st->ans_pvt = 0;
    st->trusted = 1;
    st->ipi_sent = 0;
    st->ipi_taken = 0;
}

int iopm_issue_command(struct chan_mgmt *m, struct mgmt_console *st, const struct mgmt_cmd *c, int *notify,
                       struct mgmt_reads *rd)
{
    u32 old = st->cmd_pvt, cons = READ_ONCE32(m->vmm.cmd_cons);
    struct mgmt_cmd *slot = &m->cmd[mgmt_slot(old)];
    rd->bound = cons;
    if ((u32)(old - cons) >= MGMT_SLOTS)
        return 0;
    WRITE_ONCE32(slot->n, c->n);
    WRITE_ONCE32(slot->op, c->op);
    WRITE_ONCE32(slot->vcpu, c->vcpu);
    *notify = publish(&m->iopm.cmd_prod, &st->cmd_pvt, &m->vmm.cmd_event, &rd->event);
    return 1;
}

int iopm_vmm_armed(const struct chan_mgmt *m, const struct mgmt_console *st)
{
    return READ_ONCE32(m->vmm.cmd_event) == st->cmd_pvt + 1u;
}

int iopm_take_answer(struct chan_mgmt *m, struct mgmt_console *st, struct mgmt_ans *out, struct mgmt_reads *rd)
{
    u32 prod = READ_ONCE32(m->vmm.ans_prod);
    rd->prod = prod;
    const struct mgmt_ans *slot = &m->ans[mgmt_slot(st->ans_cons)];
    if (prod == st->ans_cons || (u32)(prod - st->ans_cons) > MGMT_SLOTS)
        return 0;                          /* none (a bogus index is the VMM's: it is trusted) */
    ring_rmb();                            /* orders the index load before the slot's */
    out->n = READ_ONCE32(slot->n);
    out->ok = READ_ONCE32(slot->ok);
    ring_mb();                             /* the copy is done before the slot is freed */
    st->ans_cons++;
    WRITE_ONCE32(m->iopm.ans_cons, st->ans_cons);
    return 1;
}

int iopm_mgmt_may_sleep(struct chan_mgmt *m, struct mgmt_console *st, struct mgmt_reads *rd)
{
    WRITE_ONCE32(m->iopm.ans_event, st->ans_cons + 1u);
    ring_mb();                             /* orders the event store before the final check */
    rd->prod = READ_ONCE32(m->vmm.ans_prod);
    return rd->prod == st->ans_cons;
}

u32 iopm_mgmt_count_ipi(struct chan_mgmt *m, struct mgmt_console *st)
{
    /* before the IPI: x86 keeps stores in order, and the xAPIC ICR write that sends it is one */
    WRITE_ONCE32(m->iopm.ipi_to_vmm, ++st->ipi_sent);
    return st->ipi_sent;
}

int iopm_mgmt_took_ipi(struct chan_mgmt *m, struct mgmt_console *st, u32 *sent)
{
    return took_ipi(&m->vmm.ipi_to_iopm, &st->ipi_taken, sent);
}

int vmm_take_command(struct chan_mgmt *m, struct mgmt_vmm *st, struct mgmt_cmd *out, struct mgmt_reads *rd)
{
    u32 prod = READ_ONCE32(m->iopm.cmd_prod);
    rd->prod = prod;
    const struct mgmt_cmd *slot = &m->cmd[mgmt_slot(st->cmd_cons)];
    if (!st->trusted || prod == st->cmd_cons)
        return 0;
#if !defined(MUTANT_MGMT_TRUST_PEER_INDEX)
    if ((u32)(prod - st->cmd_cons) > MGMT_SLOTS) {
        st->trusted = 0;                   /* a hostile or broken console: give the ring up */
        return MGMT_BOGUS;
    }
#endif                                     /* MUTANT mgmt-trust-peer-index: no bound */
    ring_rmb();                            /* orders the index load before the slot's */
    out->n = READ_ONCE32(slot->n);         /* each word read once: the copy is what counts */
    out->op = READ_ONCE32(slot->op);
    out->vcpu = READ_ONCE32(slot->vcpu);
    out->reserved = 0;
    ring_mb();                             /* the copy is done before the slot is freed */
    st->cmd_cons++;
    WRITE_ONCE32(m->vmm.cmd_cons, st->cmd_cons);
    return 1;
}

int vmm_can_answer(struct chan_mgmt *m, const struct mgmt_vmm *st)
{
    return (u32)(st->ans_pvt - READ_ONCE32(m->iopm.ans_cons)) < MGMT_SLOTS;
}

int vmm_answer_command(struct chan_mgmt *m, struct mgmt_vmm *st, const struct mgmt_ans *a, int *notify,
                       struct mgmt_reads *rd)
{
    u32 old = st->ans_pvt, cons = READ_ONCE32(m->iopm.ans_cons);
    struct mgmt_ans *slot = &m->ans[mgmt_slot(old)];
    rd->bound = cons;
    if ((u32)(old - cons) >= MGMT_SLOTS)
        return 0;                          /* full (or a bogus ans_cons: it only hurts the IOPM) */
    WRITE_ONCE32(slot->n, a->n);
    WRITE_ONCE32(slot->ok, a->ok);
    *notify = publish(&m->vmm.ans_prod, &st->ans_pvt, &m->iopm.ans_event, &rd->event);
    return 1;
}

int vmm_answers_taken(const struct chan_mgmt *m, const struct mgmt_vmm *st)
{
    return READ_ONCE32(m->iopm.ans_cons) == st->ans_pvt;
}

int vmm_mgmt_may_sleep(struct chan_mgmt *m, struct mgmt_vmm *st, struct mgmt_reads *rd)
{
    WRITE_ONCE32(m->vmm.cmd_event, st->cmd_cons + 1u);
    ring_mb();                             /* orders the event store before the final check */
    rd->prod = READ_ONCE32(m->iopm.cmd_prod);
    return rd->prod == st->cmd_cons;
}

u32 vmm_mgmt_count_ipi(struct chan_mgmt *m, struct mgmt_vmm *st)
{
    /* before the IPI: x86 keeps stores in order, and the xAPIC ICR write that sends it is one */
    WRITE_ONCE32(m->vmm.ipi_to_iopm, ++st->ipi_sent);
    return st->ipi_sent;
}

int vmm_mgmt_took_ipi(struct chan_mgmt *m, struct mgmt_vmm *st, u32 *sent)
{
    return took_ipi(&m->iopm.ipi_to_vmm, &st->ipi_taken, sent);
}
