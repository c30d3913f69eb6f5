/* Guest vCPUs under SVM and the VMM's actions of specs/GuestIo.tla (include/vcpu.h). */
#include "vcpu.h"
#include "svm.h"
#include "vmm.h"
#include "trace.h"
#include "klib.h"
#include "x86.h"
#include "lapic.h"
#include "shared_zone.h"

#define OP_OUT_IMM8_AL  0xE6u
#define OP_IN_AL_IMM8   0xE4u
#define OP_HLT          0xF4u
#define AL_MASK         0xFFu
/* The guest's own check at its program's end (the spec's GuestCheck): AL must still be its
 * id, which it keeps in BL. `cmp al, bl; jne fail; hlt; fail: hlt`: none of it exits but
 * the HLT, and which HLT says the verdict. */
#define OP_CMP_RM8_R8   0x38u
#define MODRM_AL_BL     0xD8u          /* mod 11, reg BL, r/m AL: cmp al, bl */
#define OP_JNE_REL8     0x75u
#define CHECK_PASS_AT   4u             /* the pass HLT's offset from the program's end */
#define CHECK_FAIL_AT   5u             /* the fail HLT's, right after it (jne skips one byte) */
STATIC_ASSERT(CHECK_FAIL_AT + 1u == GUEST_CHECK_BYTES, "the check code fills GUEST_CHECK_BYTES");
/* vm-rogue: vCPUs 1, 2, 3, ... replace their ROGUE_AT-th instruction with one of these */
#define ROGUE_AT        3u
#define ROGUE_KINDS     3u
#define ROGUE_BYTES     3u
static const u8 rogue_code[ROGUE_KINDS][ROGUE_BYTES] = {
    { 0x0F, 0x22, 0xD8 },              /* mov %eax, %cr3: its own page tables (CR3 write exit) */
    { 0xFA, 0xEB, 0xFE },              /* cli; jmp .: keeps the CPU (only the VMM's INTR exits) */
    { 0x0F, 0x01, 0xD8 },              /* vmrun: a guest of its own (VMRUN exit) */
};

/* The spec's mode: running, exited, waiting, completed, halted (GuestDone), stopped; and a
 * managed VM's absent, created, paused, destroyed. */
enum vcpu_mode { VM_GUEST, VM_EXITED, VM_WAITING, VM_COMPLETED, VM_HALTED, VM_STOPPED,
                 VM_ABSENT, VM_CREATED, VM_PAUSED, VM_DESTROYED };

struct exit_info {
    u32 rip;          /* the I/O instruction */
    u32 next_rip;     /* past it (EXITINFO2) */
    u32 dev;
    u32 reg;          /* DISK_REG_* */
    u32 in;
    u32 data;         /* an OUT's AL */
};

struct vcpu {
    struct vmcb vmcb;                  /* first: page aligned */
    struct guest_gprs gprs;
    u32 mode;
    struct exit_info exit;
    u32 exits;                         /* I/O exits so far: its program has n_insns */
};

static struct vcpu vcpus[VCPU_MAX] __attribute__((aligned(SVM_PAGE)));
static u8 guest_mem[VCPU_MAX][GUEST_MEM_SIZE] __attribute__((aligned(SVM_PAGE)));
static u32 n_vcpus, n_insns, n_devs, n_iopms;
static u32 admin_vcpu = ~0u;           /* vm-admin: the managed VM (GuestIo's Managed) */
static u32 rogue_scenario;
static u32 checks_failed;              /* guests whose own check failed */
static u32 route[GUEST_DEV_MAX];       /* the VMM's routing table: device -> IOPM */
/* captured exits waiting to be written on each IOPM's ring, in capture order */
static u32 submit_q[MAX_IOPMS][VCPU_MAX];
static u32 q_head[MAX_IOPMS], q_tail[MAX_IOPMS];
static u32 written_to[MAX_IOPMS];      /* guest requests written on each IOPM's ring */
static u32 exits_of[MAX_IOPMS];        /* guest exits each IOPM was to get, at boot */

/* The program: instruction k (1..NInsn) on disk Port(k) - 1, register Reg(k), Dir(k) (the
 * spec's Step(k): 0 SEL, 1 DATA out, 2 STATUS, 3 SEL, 4 DATA in). */
enum { STEP_SEL, STEP_WRITE, STEP_STATUS, STEP_SEL_AGAIN, STEP_READ };

static u32 insn_dev(u32 k)
{
    return ((k - 1u) / DISK_INSNS_PER_ROUND) % n_devs;
}

static u32 insn_reg(u32 k)
{
    u32 st = (k - 1u) % DISK_INSNS_PER_ROUND;
    return st == STEP_SEL || st == STEP_SEL_AGAIN ? DISK_REG_SEL : st == STEP_STATUS ? DISK_REG_STATUS : DISK_REG_DATA;
}

static int insn_in(u32 k)
{
    u32 st = (k - 1u) % DISK_INSNS_PER_ROUND;
    return st == STEP_STATUS || st == STEP_READ;
}

static u32 program_end(void)          /* the spec's End */
{
    return GUEST_PROGRAM_BASE + n_insns * GUEST_INSN_BYTES;
}

/* Writes the guest's check at its program's end (see CHECK_PASS_AT). */
static void write_check(u8 *end)
{
    end[0] = (u8)OP_CMP_RM8_R8;
    end[1] = (u8)MODRM_AL_BL;
    end[2] = (u8)OP_JNE_REL8;
    end[3] = (u8)(CHECK_FAIL_AT - CHECK_PASS_AT);
    end[CHECK_PASS_AT] = (u8)OP_HLT;
    end[CHECK_FAIL_AT] = (u8)OP_HLT;
}

/* Lays out vCPU v's program and its VMCB: the VM, as GuestIo's Init has it. */
static void vcpu_build(u32 v)
{
    u8 *m = guest_mem[v];
    memset(m, 0, GUEST_MEM_SIZE);
    for (u32 k = 1; k <= n_insns; k++) {
        u8 *at = m + GUEST_PROGRAM_BASE + (k - 1u) * GUEST_INSN_BYTES;
        at[0] = (u8)(insn_in(k) ? OP_IN_AL_IMM8 : OP_OUT_IMM8_AL);
        at[1] = (u8)(GUEST_PIO_PORT_BASE + insn_dev(k) * DISK_REGS + insn_reg(k));
    }
    write_check(m + program_end());
    if (rogue_scenario && v > 0 && ROGUE_AT <= n_insns)
        memcpy(m + GUEST_PROGRAM_BASE + (ROGUE_AT - 1u) * GUEST_INSN_BYTES,
               rogue_code[(v - 1u) % ROGUE_KINDS], ROGUE_BYTES);
    /* enters with AL = the vCPU's id, v + 1 (the spec's rax at Init), which its first SEL names */
    svm_vmcb_init(&vcpus[v].vmcb, (u32)m, GUEST_MEM_SIZE - 1u, GUEST_PROGRAM_BASE, v + 1u);
    memset(&vcpus[v].gprs, 0, sizeof(vcpus[v].gprs));
    vcpus[v].gprs.ebx = v + 1u;        /* the id its check compares AL with */
    vcpus[v].exits = 0;
}

int vcpus_init(const struct run_config *cfg, u32 iopms)
{
    u32 f;
    if (!svm_enable_cpu())
        return 0;
    n_vcpus = cfg->vcpus;
    n_insns = cfg->insns;
    n_devs = cfg->devices ? cfg->devices : iopms;
    n_iopms = iopms;
    for (u32 d = 0; d < n_devs; d++)
        route[d] = d % iopms;
    /* the devices' registers start at 0 (the spec's dev), in memory every IOPM maps */
    memset((void *)GUEST_DEV_ZONE, 0, GUEST_DEV_ZONE_SIZE);
    vmm_share_device_page(GUEST_DEV_ZONE);
    rogue_scenario = cfg->scenario == SCEN_VM_ROGUE;
    admin_vcpu = cfg->scenario == SCEN_VM_ADMIN ? n_vcpus - 1u : ~0u;
    for (u32 v = 0; v < n_vcpus; v++) {
        if (v == admin_vcpu) {
            vcpus[v].mode = VM_ABSENT;          /* built by its create command */
            continue;
        }
        vcpu_build(v);
        vcpus[v].mode = VM_GUEST;
    }
    for (u32 k = 0; k < iopms; k++)
        exits_of[k] = vcpu_exits_to(k);
    f = trace_lock();
    trace_comment("# guestio vcpus=%u devices=%u insns=%u max_fail=%u admin=%u", n_vcpus, n_devs, n_insns,
                  cfg->scenario == SCEN_VM_FAILOVER && iopms > 1 ? 1u : 0u, admin_vcpu != ~0u ? 1u : 0u);
    trace_comment("# mgmt slots=%u", MGMT_SLOTS);   /* the management ring's bound (MgmtRing's N) */
    trace_unlock(f);
    return 1;
}

u32 vcpu_exits_to(u32 k)
{
    u32 n = 0;
    for (u32 i = 1; i <= n_insns; i++)
        n += route[insn_dev(i)] == k;
    return n * n_vcpus;
}

/* VmmCaptureExit: the IOIO exit's port, direction and (OUT) data; the vCPU stops. */
static const char *vmm_capture_exit(u32 v)
{
    struct vcpu *c = &vcpus[v];
    u32 info = (u32)c->vmcb.exit_info1, port = info >> SVM_IOIO_PORT_SHIFT, f;
    if ((info & (SVM_IOIO_STR | SVM_IOIO_REP)) || !(info & SVM_IOIO_SZ8))
        return "string or wide port I/O";
    if (port < GUEST_PIO_PORT_BASE || port - GUEST_PIO_PORT_BASE >= n_devs * DISK_REGS)
        return "port I/O to no device";
    if (++c->exits > n_insns)
        return "more I/O exits than its program has";
    c->exit.rip = (u32)c->vmcb.rip;
    c->exit.next_rip = (u32)c->vmcb.exit_info2;
    c->exit.dev = (port - GUEST_PIO_PORT_BASE) / DISK_REGS;
    c->exit.reg = (port - GUEST_PIO_PORT_BASE) % DISK_REGS;
    c->exit.in = info & SVM_IOIO_IN;
    c->exit.data = c->exit.in ? 0 : (u32)c->vmcb.rax & AL_MASK;
    c->mode = VM_EXITED;
    f = trace_lock();
    trace_event(lapic_id(), "vmm.capture_exit", "vcpu", v, "rip", c->exit.rip, "port", c->exit.dev,
                "dir", c->exit.in ? 1u : 0u, "data", c->exit.data, "reg", c->exit.reg, NULL);
    trace_unlock(f);
    {
        u32 k = route[c->exit.dev];
        submit_q[k][q_tail[k]++ % VCPU_MAX] = v;
    }
    return NULL;
}

/* VmmResumeGuest: the VM entry after a completion. */
static void vmm_resume_guest(u32 v)
{
    struct vcpu *c = &vcpus[v];
    u32 f = trace_lock();
    trace_event(lapic_id(), "vmm.resume_guest", "vcpu", v, "rip", (u32)c->vmcb.rip,
                "al", (u32)c->vmcb.rax & AL_MASK, NULL);
    trace_unlock(f);
    c->mode = VM_GUEST;
}

/* GuestCheck: v checked its own data at its program's end and halted, the verdict where it
 * halted (the VMM only reads it). */
static void guest_check(u32 v, int pass)
{
    struct vcpu *c = &vcpus[v];
    u32 f = trace_lock();
    trace_event(lapic_id(), "guest.check", "vcpu", v, "al", (u32)c->vmcb.rax & AL_MASK, "pass", (u32)pass, NULL);
    trace_unlock(f);
    if (!pass) {
        klog("vcpu %u: its own check failed: AL=%u, not its id %u (its data did not read back)\n", v,
             (u32)c->vmcb.rax & AL_MASK, v + 1u);
        checks_failed++;
    }
    c->mode = VM_HALTED;
}

/* Runs vCPU v until its next exit: NULL, or why the guest is stopped. An INTR or NMI exit
 * (the VMM's own interrupt, taken on the way out) returns too: the guest resumes at the
 * next round, after the VMM has served its rings, so a guest that never exits cannot keep
 * the VMM from them. Every instruction of the program exits, so a guest of it can be taken
 * back only before its next one, at the RIP it entered at, or inside its check, which runs
 * to a HLT; one taken back anywhere else ran code that does not exit, and would keep the
 * CPU: it is stopped. (A rule of what the guest did, not of how long it ran: it holds on
 * any host.) */
static const char *run_one(u32 v)
{
    struct vcpu *c = &vcpus[v];
    u32 entry = (u32)c->vmcb.rip, at;
    svm_run(&c->vmcb, &c->gprs);
    at = (u32)c->vmcb.rip;
    if ((u32)c->vmcb.exit_code == SVM_EXIT_INTR || (u32)c->vmcb.exit_code == SVM_EXIT_NMI)
        return at != entry && !(entry >= program_end() && at > entry && at <= program_end() + CHECK_FAIL_AT)
                   ? "ran code that does not exit (it keeps the CPU)" : NULL;
    switch ((u32)c->vmcb.exit_code) {
    case SVM_EXIT_IOIO:
        return vmm_capture_exit(v);
    case SVM_EXIT_HLT:
        if (at != program_end() + CHECK_PASS_AT && at != program_end() + CHECK_FAIL_AT)
            return "hlt outside its check at the end of its program";
        guest_check(v, at == program_end() + CHECK_PASS_AT);
        return NULL;
    case SVM_EXIT_INVALID:
        return "VMRUN refused the VMCB (consistency check)";
    case SVM_EXIT_SHUTDOWN:
        return "shutdown (an exception it could not deliver)";
    default:
        return "an intercepted instruction";
    }
}

/* VmmStopGuest: v runs no more (its reason in a comment line beside the event). */
static void vmm_stop_guest(u32 v, const char *why)
{
    struct vcpu *c = &vcpus[v];
    u32 f = trace_lock();
    trace_event(lapic_id(), "vmm.stop_guest", "vcpu", v, "exit_code", (u32)c->vmcb.exit_code,
                "rip", (u32)c->vmcb.rip, NULL);
    trace_comment("# guest stopped vcpu=%u exit_code=0x%x rip=%u: %s", v, (u32)c->vmcb.exit_code,
                  (u32)c->vmcb.rip, why);
    trace_unlock(f);
    klog("vcpu %u stopped (exit 0x%x at rip %u): %s\n", v, (u32)c->vmcb.exit_code, (u32)c->vmcb.rip, why);
    c->mode = VM_STOPPED;
}

u32 vcpus_resume(void)
{
    u32 steps = 0;
    for (u32 v = 0; v < n_vcpus; v++) {
        if (vcpus[v].mode == VM_COMPLETED) {
            vmm_resume_guest(v);
            steps++;
        }
    }
    return steps;
}

u32 vcpus_run(u32 *stopped)
{
    u32 steps = 0;
    *stopped = ~0u;
    for (u32 v = 0; v < n_vcpus; v++) {
        const char *why;
        if (vcpus[v].mode != VM_GUEST)
            continue;
        why = run_one(v);
        steps++;                       /* ran (a runnable guest keeps the VMM awake) */
        if (why) {
            vmm_stop_guest(v, why);
            *stopped = v;
            return steps;
        }
    }
    return steps;
}

u32 vcpu_exits_left(u32 v, u32 k)
{
    u32 n = 0;
    for (u32 i = vcpus[v].exits + 1u; i <= n_insns; i++)
        n += route[insn_dev(i)] == k;
    return n;
}

u32 vcpus_checks_failed(void)
{
    return checks_failed;
}

int vcpus_waiting(void)
{
    for (u32 v = 0; v < n_vcpus; v++)
        if (vcpus[v].mode == VM_WAITING)
            return 1;
    return 0;
}

int vcpus_busy(void)
{
    for (u32 v = 0; v < n_vcpus; v++)
        if (vcpus[v].mode != VM_HALTED && vcpus[v].mode != VM_STOPPED && vcpus[v].mode != VM_DESTROYED)
            return 1;
    return 0;
}

int vcpu_managed_alive(void)
{
    return admin_vcpu != ~0u && vcpus[admin_vcpu].mode != VM_DESTROYED;
}

int vcpu_in_exit(u32 v)
{
    u32 m = v < n_vcpus ? vcpus[v].mode : VM_GUEST;
    return m == VM_EXITED || m == VM_WAITING || m == VM_COMPLETED;
}

/* GuestIo's ok and to: may a VM in mode m be given op, and its mode after. */
static int op_allowed(u32 op, u32 m, u32 *to)
{
    switch (op) {
    case MGMT_OP_CREATE:
        *to = VM_CREATED;
        return m == VM_ABSENT;
    case MGMT_OP_START:
        *to = VM_GUEST;
        return m == VM_CREATED || m == VM_PAUSED;
    case MGMT_OP_STOP:
        *to = VM_PAUSED;
        return m == VM_GUEST;
    case MGMT_OP_DESTROY:
        *to = VM_DESTROYED;
        return m == VM_CREATED || m == VM_GUEST || m == VM_PAUSED || m == VM_HALTED || m == VM_STOPPED;
    default:
        return 0;
    }
}

int vmm_carry_out_command(u32 cpu, u32 k, const struct mgmt_cmd *c, int *destroyed)
{
    u32 to = VM_GUEST, m = c->vcpu == admin_vcpu ? vcpus[c->vcpu].mode : VM_ABSENT;
    int ok;
#ifdef MUTANT_ADMIN_STOP_DURING_EXIT
    if (vcpu_in_exit(c->vcpu))
        m = VM_GUEST;                      /* the bug: a VM in an exit counts as running */
#endif
    ok = c->vcpu == admin_vcpu && op_allowed(c->op, m, &to);
    *destroyed = 0;
    if (ok) {
        if (c->op == MGMT_OP_CREATE)
            vcpu_build(c->vcpu);
        vcpus[c->vcpu].mode = to;
        *destroyed = to == VM_DESTROYED;
    }
    /* traced before the answer is published: the console's take comes after it */
    trace_event(cpu, "vmm.carry_out_command", "iopm", k, "n", c->n, "op", c->op, "vcpu", c->vcpu,
                "ok", (u32)ok, NULL);
    return ok;
}

static void put32(u8 *p, u32 v)
{
    memcpy(p, &v, sizeof(v));
}

static u32 get32(const u8 *p)
{
    u32 v;
    memcpy(&v, p, sizeof(v));
    return v;
}

int vcpu_next_request(u32 k, struct packet *req)
{
    const struct vcpu *c;
    if (q_head[k] == q_tail[k])
        return 0;
    c = &vcpus[submit_q[k][q_head[k] % VCPU_MAX]];
    memset(req, 0, sizeof(*req));
    req->type = PKT_GUEST_PIO;
    req->length = PIO_PAYLOAD_LEN;
    req->arg0 = c->exit.dev | c->exit.reg << PIO_ARG_REG_SHIFT | (c->exit.in ? PIO_ARG_IN : 0u);
    put32(req->payload + PIO_OFF_VCPU, (u32)(c - vcpus));
    put32(req->payload + PIO_OFF_RIP, c->exit.rip);
    put32(req->payload + PIO_OFF_VALUE, c->exit.data);
    return 1;
}

void vmm_submit_exit(u32 cpu, u32 k)
{
    u32 v = submit_q[k][q_head[k]++ % VCPU_MAX];
    vcpus[v].mode = VM_WAITING;
    written_to[k]++;
    trace_event(cpu, "vmm.submit_exit", "vcpu", v, "rip", vcpus[v].exit.rip, "iopm", k, NULL);
#ifdef MUTANT_GUEST_RESUME_BEFORE_RESPONSE
    vcpus[v].vmcb.rip = vcpus[v].exit.next_rip;     /* the bug: re-entered before its answer */
    vcpus[v].mode = VM_COMPLETED;
#endif
}

u32 vmm_failover(u32 cpu, u32 f, u32 to, u32 reissued)
{
    for (u32 d = 0; d < n_devs; d++)
        if (route[d] == f)
            route[d] = to;
    while (q_head[f] != q_tail[f])                   /* captured, not yet submitted */
        submit_q[to][q_tail[to]++ % VCPU_MAX] = submit_q[f][q_head[f]++ % VCPU_MAX];
    trace_event(cpu, "vmm.failover", "iopm", f, "to", to, "reissued", reissued, NULL);
    return exits_of[f] - written_to[f];
}

const char *vmm_complete_exit(u32 cpu, u32 k, const struct packet *rsp)
{
    u32 v = get32(rsp->payload + PIO_OFF_VCPU), rip = get32(rsp->payload + PIO_OFF_RIP);
    u32 result = get32(rsp->payload + PIO_OFF_VALUE);
    struct vcpu *c;
    if (rsp->type != (PKT_GUEST_PIO | RSP_TYPE_FLAG) || rsp->status != PKT_STATUS_OK)
        return "not a guest I/O answer";
#ifdef MUTANT_GUEST_RESPONSE_WRONG_VCPU
    if (v < n_vcpus)
        v = (v + 1u) % n_vcpus;                      /* the bug: the next vCPU gets it */
#endif
    /* traced as the VMM applies it, before its checks: a bad answer is in the trace */
    trace_event(cpu, "vmm.complete_exit", "iopm", k, "vcpu", v, "rip", rip, "result", result, NULL);
    if (v >= n_vcpus || vcpus[v].mode != VM_WAITING)
        return "names a vCPU that waits for no answer";
    c = &vcpus[v];
#ifndef MUTANT_GUEST_RESPONSE_WRONG_VCPU
    if (rip != c->exit.rip)
        return "answers another exit of its vCPU";
#endif
    if (c->exit.in)
        c->vmcb.rax = (c->vmcb.rax & ~(u64)AL_MASK) | (result & AL_MASK);
#ifndef MUTANT_GUEST_RIP_NOT_ADVANCED
    c->vmcb.rip = c->exit.next_rip;
#endif                                               /* the mutant: the I/O runs again */
    c->mode = VM_COMPLETED;
    return NULL;
}
