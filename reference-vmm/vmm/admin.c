/* The VMM's side of the management rings (include/admin.h). Each ring step is traced as
 * MgmtRing's action (mgmt.vmm.<action>) in the critical section of the call that took it,
 * with the shared words it read and wrote (v2 records carry them);
 * a command carried out is traced as GuestIo's vmm.carry_out_command (vmm/vcpu.c), before
 * its answer is published, so the console's take comes after it in the trace. */
#include "admin.h"
#include "mgmt_ring.h"
#include "vcpu.h"
#include "vmm.h"
#include "irq.h"
#include "lapic.h"
#include "trace.h"
#include "klib.h"

struct admin_ring {
    struct mgmt_vmm mg;
    struct mgmt_cmd cmd;           /* the command taken, not yet carried out */
    u32 cmd_valid;
    struct mgmt_ans ans;           /* an answer not yet published (no room then) */
    u32 ans_valid;
    u32 asleep;                    /* its final check said sleep, no wake since */
};

static struct admin_ring rings[MAX_IOPMS];


void admin_init(u32 iopms)
{
    for (u32 k = 0; k < iopms && k < MAX_IOPMS; k++) {
        memset(&rings[k], 0, sizeof(rings[k]));
        mgmt_vmm_init(&rings[k].mg);
    }
}

/* Under the trace lock: publish *a, traced as VmmWriteAnswer, VmmPublishAnswers,
 * VmmNotifyIopm and VmmSendIpi; 0 if the ring had no room. *notify: the IPI (after the lock). */
static int answer_locked(u32 k, struct chan_mgmt *m, const struct mgmt_ans *a, int *notify)
{
    struct admin_ring *r = &rings[k];
    struct mgmt_reads rd;
    struct trace_access acc[2];
    u32 cpu = lapic_id(), at = r->mg.ans_pvt;
    if (!vmm_answer_command(m, &r->mg, a, notify, &rd))
        return 0;
    acc[0] = trace_word('r', "ans_cons", rd.bound);
    acc[1] = trace_element('w', "ans", mgmt_slot(at), a->n);
    trace_access_event(cpu, "mgmt.vmm.write_answer", acc, 2, "iopm", k, "id", a->n, "pvt", r->mg.ans_pvt, NULL);
    acc[0] = trace_word('w', "ans_prod", r->mg.ans_pvt);
    trace_access_event(cpu, "mgmt.vmm.publish_answers", acc, 1, "iopm", k, "prod", r->mg.ans_pvt, NULL);
    acc[0] = trace_barrier();
    acc[1] = trace_word('r', "ans_event", rd.event);
    trace_access_event(cpu, "mgmt.vmm.notify_iopm", acc, 2, "iopm", k, "notify", (u32)*notify, NULL);
    if (*notify) {
        acc[0] = trace_word('w', "mgmt_ipi_to_iopm", vmm_mgmt_count_ipi(m, &r->mg));
        trace_access_event(cpu, "mgmt.vmm.send_ipi", acc, 1, "iopm", k, NULL);
    }
    return 1;
}

static void send_ipi(u32 k)
{
    lapic_send_ipi(iopm_handoff_of(k)->apic_id, ICR_FIXED | IOPM_IPI_VECTOR);
}

u32 admin_serve(u32 k, struct channel *ch, u32 *destroyed)
{
    struct admin_ring *r = &rings[k];
    struct chan_mgmt *m = &ch->mgmt;
    struct mgmt_ans a;
    struct mgmt_reads rd;
    struct trace_access acc[3];
    int notify = 0, gone = 0, t;
    u32 f, cpu = lapic_id(), at;
    *destroyed = ~0u;
    if (k >= MAX_IOPMS)
        return 0;
    if (r->ans_valid) {                    /* an answer the ring had no room for, first */
        f = trace_lock();
        r->ans_valid = !answer_locked(k, m, &r->ans, &notify);
        trace_unlock(f);
        if (notify)
            send_ipi(k);
        return !r->ans_valid;
    }
    if (!r->cmd_valid) {
        if (!r->mg.trusted || *(volatile u32 *)&m->iopm.cmd_prod == r->mg.cmd_cons)
            return 0;                      /* a look first: no command, no step */
        f = trace_lock();
        at = r->mg.cmd_cons;
        t = vmm_take_command(m, &r->mg, &r->cmd, &rd);
        acc[0] = trace_word('r', "cmd_prod", rd.prod);
        acc[1] = trace_element('r', "cmd", mgmt_slot(at), r->cmd.n);
        acc[2] = trace_word('w', "cmd_cons", r->mg.cmd_cons);
        if (t == 1)
            trace_access_event(cpu, "mgmt.vmm.take_command", acc, 3, "iopm", k, "id", r->cmd.n,
                               "cons", r->mg.cmd_cons, NULL);
        else if (t == MGMT_BOGUS)
            trace_access_event(cpu, "mgmt.vmm.declare_console_broken", acc, 1, "iopm", k, NULL);
        trace_unlock(f);
        if (t == MGMT_BOGUS)
            klog("iopm %u: a management command index more than %u past %u: the ring is given up\n", k,
                 MGMT_SLOTS, r->mg.cmd_cons);
        if (t != 1)
            return 0;
        r->cmd_valid = 1;
    }
#ifndef MUTANT_ADMIN_STOP_DURING_EXIT
    if (vcpu_in_exit(r->cmd.vcpu))
        return 0;                          /* the command waits for its VM's exit */
#endif
    if (!vmm_can_answer(m, &r->mg))
        return 0;                          /* the console has not taken its answers yet */
    f = trace_lock();
    a.n = r->cmd.n;
    a.ok = (u32)vmm_carry_out_command(cpu, k, &r->cmd, &gone);
    a.reserved[0] = a.reserved[1] = 0;
#ifdef MUTANT_ADMIN_ANSWER_LOST
    if (a.ok)                              /* the bug: a refusal gets no answer */
#endif
    if (!answer_locked(k, m, &a, &notify)) {
        r->ans = a;                        /* the console moved ans_cons back: publish it later */
        r->ans_valid = 1;
    }
    trace_unlock(f);
    r->cmd_valid = 0;
    if (notify)
        send_ipi(k);
    if (gone)
        *destroyed = r->cmd.vcpu;
    return 1;
}

int admin_sleep(u32 k, struct channel *ch)
{
    struct admin_ring *r = &rings[k];
    struct mgmt_reads rd;
    struct trace_access acc[2];
    int sleep;
    u32 f, cpu = lapic_id(), look;
    if (k >= MAX_IOPMS || !r->mg.trusted)
        return 1;
    if (r->cmd_valid || r->ans_valid)
        return 0;                          /* a command owed its answer: not idle */
    f = trace_lock();                      /* the look in the same critical section as its line */
    look = *(volatile u32 *)&ch->mgmt.iopm.cmd_prod;
    if (look != r->mg.cmd_cons) {
        trace_unlock(f);
        return 0;                          /* a command to take: not idle */
    }
    acc[0] = trace_word('r', "cmd_prod", look);
    trace_access_event(cpu, "mgmt.vmm.see_idle", acc, 1, "iopm", k, NULL);
    sleep = vmm_mgmt_may_sleep(&ch->mgmt, &r->mg, &rd);
    acc[0] = trace_word('w', "cmd_event", r->mg.cmd_cons + 1u);
    trace_access_event(cpu, "mgmt.vmm.prepare_sleep", acc, 1, "iopm", k, "event", r->mg.cmd_cons + 1u, NULL);
    acc[0] = trace_barrier();
    acc[1] = trace_word('r', "cmd_prod", rd.prod);
    trace_access_event(cpu, "mgmt.vmm.final_check", acc, 2, "iopm", k, "sleep", (u32)sleep, NULL);
    r->asleep = sleep;
    trace_unlock(f);
    return sleep;
}

int admin_trusted(u32 k)
{
    return k < MAX_IOPMS && rings[k].mg.trusted;
}

int admin_all_answered(u32 k)
{
    struct admin_ring *r = &rings[k];
    return k >= MAX_IOPMS || (!r->cmd_valid && !r->ans_valid && vmm_answers_taken(&vmm_channel(k)->mgmt, &r->mg));
}

void admin_wake_all(u32 iopms)
{
    for (u32 k = 0; k < iopms && k < MAX_IOPMS; k++) {
        u32 f = trace_lock();
        if (rings[k].asleep)
            trace_event(lapic_id(), "mgmt.vmm.spurious_wake", "iopm", k, NULL);
        rings[k].asleep = 0;
        trace_unlock(f);
    }
}

void admin_ipi_locked(u32 k)
{
    struct trace_access acc;
    u32 sent;
    if (k < MAX_IOPMS && vmm_mgmt_took_ipi(&vmm_channel(k)->mgmt, &rings[k].mg, &sent)) {
        acc = trace_word('r', "mgmt_ipi_to_vmm", sent);
        trace_access_event(lapic_id(), "mgmt.vmm.wake", &acc, 1, "iopm", k, NULL);
        rings[k].asleep = 0;
    }
}
