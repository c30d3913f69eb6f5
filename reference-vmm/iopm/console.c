/* The IOPM's user interface (vm-admin): the console, on IOPM CONSOLE_IOPM, sends the VMM the
 * user's script of management commands for one VM (specs/GuestIo.tla's IopmIssueCommand and
 * IopmTakeAnswer) and takes the answers. One command at a time, each issued once the last
 * one's answer is taken, but the stop: it is issued as this IOPM serves the VM's first I/O
 * exit, before that exit's answer is written. So when the VMM takes the stop, the VM is in
 * an exit or between two, by construction never past its program: the VMM must wait for the
 * exit, then stop it (the scenario exists to show that). The destroy, last, waits until the
 * VMM has armed its event index on this ring (it found the ring idle and went to sleep: its
 * VmmSeeIdle, VmmPrepareSleep, then VmmFinalCheck), so every run shows the VMM's side of
 * the management ring's sleep; the VMM keeps the managed VM until it is destroyed, and
 * sleeps once nothing else is left (vmm/serve.c).
 * Each step of the management ring (specs/MgmtRing.tla, the console's side) is traced as
 * its action, mgmt.iopm.<action>, in the critical section of the call that took it, with the
 * shared words it read and wrote (v2 records carry them). */
#include "iopm.h"
#include "vmm.h"
#include "lapic.h"
#include "trace.h"
#include "klib.h"

/* GuestIo's Ops: the script of the managed VM, a start too early (the VMM must refuse it),
 * then its life. */
static const u32 script[] = { MGMT_OP_START, MGMT_OP_CREATE, MGMT_OP_START, MGMT_OP_STOP, MGMT_OP_START,
                              MGMT_OP_DESTROY };
#define SCRIPT_LEN  (sizeof(script) / sizeof(script[0]))
#define STOP_N      4u                     /* the command issued at the VM's first exit */
#define DESTROY_N   SCRIPT_LEN             /* the last: issued once the VMM slept on this ring */

static int active(const struct iopm_handoff *h)
{
    return h->admin_vcpu != ~0u;
}

static struct chan_mgmt *ring_of(const struct iopm_handoff *h)
{
    return &((struct channel *)h->channel)->mgmt;
}


/* GuestIo's IopmIssueCommand: command n of the script; on the ring (MgmtRing) its write,
 * publish, IPI decision and send. */
static void issue(struct iopm_handoff *h, struct iopm_private *p, u32 n)
{
    struct mgmt_cmd c = { .n = n, .op = script[n - 1u], .vcpu = h->admin_vcpu, .reserved = 0 };
    struct mgmt_reads rd;
    struct trace_access acc[2];
    int notify = 0, r;
    u32 f = trace_lock(), cpu = h->apic_id, k = h->iopm, at = p->con.cmd_pvt;
    r = iopm_issue_command(ring_of(h), &p->con, &c, &notify, &rd);
    if (r) {
        trace_event(cpu, "iopm.issue_command", "iopm", k, "n", c.n, "op", c.op, "vcpu", c.vcpu, NULL);
        acc[0] = trace_word('r', "cmd_cons", rd.bound);
        acc[1] = trace_element('w', "cmd", mgmt_slot(at), c.n);
        trace_access_event(cpu, "mgmt.iopm.write_command", acc, 2, "iopm", k, "id", c.n, "pvt", p->con.cmd_pvt, NULL);
        acc[0] = trace_word('w', "cmd_prod", p->con.cmd_pvt);
        trace_access_event(cpu, "mgmt.iopm.publish_commands", acc, 1, "iopm", k, "prod", p->con.cmd_pvt, NULL);
        acc[0] = trace_barrier();
        acc[1] = trace_word('r', "cmd_event", rd.event);
        trace_access_event(cpu, "mgmt.iopm.notify_vmm", acc, 2, "iopm", k, "notify", (u32)notify, NULL);
        if (notify) {
            acc[0] = trace_word('w', "mgmt_ipi_to_vmm", iopm_mgmt_count_ipi(ring_of(h), &p->con));
            trace_access_event(cpu, "mgmt.iopm.send_ipi", acc, 1, "iopm", k, NULL);
        }
    }
    trace_unlock(f);
    if (!r)
        return;                            /* full: the VMM has not taken its commands yet */
    p->con_next = n + 1u;
    p->con_waiting = 1;
    if (notify)
        lapic_send_ipi(h->vmm_apic_id, ICR_FIXED | h->vmm_vector);
}

/* IopmTakeAnswer, every answer published. */
static u32 take_answers(struct iopm_handoff *h, struct iopm_private *p)
{
    struct mgmt_ans a;
    struct mgmt_reads rd;
    struct trace_access acc[3];
    u32 steps = 0;
    for (;;) {
        u32 f = trace_lock(), at = p->con.ans_cons;
        int r = iopm_take_answer(ring_of(h), &p->con, &a, &rd);
        if (r) {
            trace_event(h->apic_id, "iopm.take_answer", "iopm", h->iopm, "n", a.n, "ok", a.ok, NULL);
            acc[0] = trace_word('r', "ans_prod", rd.prod);
            acc[1] = trace_element('r', "ans", mgmt_slot(at), a.n);
            acc[2] = trace_word('w', "ans_cons", p->con.ans_cons);
            trace_access_event(h->apic_id, "mgmt.iopm.take_answer", acc, 3, "iopm", h->iopm, "id", a.n,
                               "cons", p->con.ans_cons, NULL);
        }
        trace_unlock(f);
        if (!r)
            return steps;
        if (!a.ok)
            klog("iopm %u: the VMM refused command %u\n", h->iopm, a.n);
        p->con_waiting = 0;
        steps++;
    }
}

/* The next command, if the last one is answered (the stop waits for the VM's first exit,
 * the destroy for the VMM's sleep). */
static int may_issue(struct iopm_handoff *h, const struct iopm_private *p)
{
    if (p->con_waiting || p->con_next < 1u || p->con_next > SCRIPT_LEN || p->con_next == STOP_N)
        return 0;
    return p->con_next != DESTROY_N || iopm_vmm_armed(ring_of(h), &p->con);
}

int console_polls(struct iopm_handoff *h, struct iopm_private *p)
{
    return active(h) && !p->con_waiting && p->con_next == DESTROY_N && !iopm_vmm_armed(ring_of(h), &p->con);
}

void console_init(struct iopm_handoff *h, struct iopm_private *p)
{
    mgmt_console_init(&p->con);
    p->con_next = active(h) ? 1u : 0u;
    p->con_waiting = 0;
}

u32 console_round(struct iopm_handoff *h, struct iopm_private *p)
{
    u32 steps;
    if (!active(h))
        return 0;
    steps = take_answers(h, p);
    if (may_issue(h, p)) {
        issue(h, p, p->con_next);
        steps++;
    }
    return steps;
}

void console_before_serve(struct iopm_handoff *h, struct iopm_private *p, const struct packet *req)
{
    u32 vcpu;
    if (!active(h) || req->type != PKT_GUEST_PIO)
        return;
    memcpy(&vcpu, req->payload + PIO_OFF_VCPU, sizeof(vcpu));
    take_answers(h, p);                    /* the start's answer is published before the VM ran */
    if (vcpu == h->admin_vcpu && !p->con_waiting && p->con_next == STOP_N)
        issue(h, p, STOP_N);
}

/* MgmtRing's IopmSeeIdle, IopmPrepareSleep, IopmFinalCheck, when an answer is owed (with
 * none owed the console has nothing to wait for on this ring, and may sleep as it is). */
int console_may_sleep(struct iopm_handoff *h, struct iopm_private *p)
{
    struct chan_mgmt *m = ring_of(h);
    struct mgmt_reads rd;
    struct trace_access acc[2];
    int sleep;
    u32 f, look;
    if (!active(h) || !p->con_waiting)
        return !active(h) || !may_issue(h, p);
    f = trace_lock();                      /* the look in the same critical section as its line */
    look = *(volatile u32 *)&m->vmm.ans_prod;
    if (look != p->con.ans_cons) {
        trace_unlock(f);
        return 0;                          /* an answer to take: not idle */
    }
    acc[0] = trace_word('r', "ans_prod", look);
    trace_access_event(h->apic_id, "mgmt.iopm.see_idle", acc, 1, "iopm", h->iopm, NULL);
    sleep = iopm_mgmt_may_sleep(m, &p->con, &rd);
    acc[0] = trace_word('w', "ans_event", p->con.ans_cons + 1u);
    trace_access_event(h->apic_id, "mgmt.iopm.prepare_sleep", acc, 1, "iopm", h->iopm, "event", p->con.ans_cons + 1u, NULL);
    acc[0] = trace_barrier();
    acc[1] = trace_word('r', "ans_prod", rd.prod);
    trace_access_event(h->apic_id, "mgmt.iopm.final_check", acc, 2, "iopm", h->iopm, "sleep", (u32)sleep, NULL);
    p->con_asleep = sleep;
    trace_unlock(f);
    return sleep;
}

void console_wake(struct iopm_handoff *h, struct iopm_private *p, int spurious_only)
{
    struct trace_access acc;
    u32 sent;
    if (!active(h))
        return;
    if (!spurious_only && iopm_mgmt_took_ipi(ring_of(h), &p->con, &sent)) {
        acc = trace_word('r', "mgmt_ipi_to_iopm", sent);
        trace_access_event(h->apic_id, "mgmt.iopm.wake", &acc, 1, "iopm", h->iopm, NULL);
        p->con_asleep = 0;
    } else if (spurious_only && p->con_asleep) {
        trace_event(h->apic_id, "mgmt.iopm.spurious_wake", "iopm", h->iopm, NULL);
        p->con_asleep = 0;
    }
}
