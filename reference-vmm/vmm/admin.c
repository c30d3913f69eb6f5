/* The VMM's side of the management rings (include/admin.h). Each ring step is traced as
 * MgmtRing's action (mgmt.vmm.<action>) in the critical section of the call that took it;
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
    u32 cpu = lapic_id();
    if (!vmm_answer_command(m, &r->mg, a, notify))
        return 0;
    trace_event(cpu, "mgmt.vmm.write_answer", "iopm", k, "id", a->n, "pvt", r->mg.ans_pvt, NULL);
    trace_event(cpu, "mgmt.vmm.publish_answers", "iopm", k, "prod", r->mg.ans_pvt, NULL);
    trace_event(cpu, "mgmt.vmm.notify_iopm", "iopm", k, "notify", (u32)*notify, NULL);
    if (*notify) {
        trace_event(cpu, "mgmt.vmm.send_ipi", "iopm", k, NULL);
        trace_mgmt_send_ipi(k, 0);
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
    int notify = 0, gone = 0, t;
    u32 f, cpu = lapic_id();
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
        t = vmm_take_command(m, &r->mg, &r->cmd);
        if (t == 1)
            trace_event(cpu, "mgmt.vmm.take_command", "iopm", k, "id", r->cmd.n, "cons", r->mg.cmd_cons, NULL);
        else if (t == MGMT_BOGUS)
            trace_event(cpu, "mgmt.vmm.declare_console_broken", "iopm", k, NULL);
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
    int sleep;
    u32 f, cpu = lapic_id();
    if (k >= MAX_IOPMS || !r->mg.trusted)
        return 1;
    if (r->cmd_valid || r->ans_valid)
        return 0;                          /* a command owed its answer: not idle */
    f = trace_lock();                      /* the look in the same critical section as its line */
    if (*(volatile u32 *)&ch->mgmt.iopm.cmd_prod != r->mg.cmd_cons) {
        trace_unlock(f);
        return 0;                          /* a command to take: not idle */
    }
    trace_event(cpu, "mgmt.vmm.see_idle", "iopm", k, NULL);
    sleep = vmm_mgmt_may_sleep(&ch->mgmt, &r->mg);
    trace_event(cpu, "mgmt.vmm.prepare_sleep", "iopm", k, "event", r->mg.cmd_cons + 1u, NULL);
    trace_event(cpu, "mgmt.vmm.final_check", "iopm", k, "sleep", (u32)sleep, NULL);
    r->asleep = sleep;
    trace_unlock(f);
    return sleep;
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
    if (k < MAX_IOPMS && trace_take_mgmt_ipi(k, 1)) {
        trace_event(lapic_id(), "mgmt.vmm.wake", "iopm", k, NULL);
        rings[k].asleep = 0;
    }
}
