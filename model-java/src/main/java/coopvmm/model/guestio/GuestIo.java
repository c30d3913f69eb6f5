package coopvmm.model.guestio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static coopvmm.model.Seqs.append;
import static coopvmm.model.Seqs.tail;
import static coopvmm.model.guestio.GuestIoState.set;

/**
 * The actions of {@code GuestIo.tla}, one method each, same name, same enabling condition and
 * effect: a method returns the successor state, or empty when the action is not enabled.
 * Parameterised actions ({@code VmmCaptureExit(v)}, {@code IopmServe(i)}, ...) take the
 * parameter. Not final: tests alter one action to show that the checks can fail.
 */
public class GuestIo {

    private final GuestIoConfig c;

    public GuestIo(GuestIoConfig config) {
        this.c = config;
    }

    public GuestIoConfig config() {
        return c;
    }

    /** One transition: the action taken, its parameter (0 if none), and the state it leads to. */
    public record Step(GuestIoAction action, int param, GuestIoState next) {
    }

    // ---- VMM actions ---------------------------------------------------------------------

    /** vCPU v executes the I/O instruction at its RIP and exits; the VMM captures the exit. */
    public Optional<GuestIoState> vmmCaptureExit(GuestIoState s, int v) {
        if (!vcpu(v) || s.mode(v) != Mode.GUEST || s.rip(v) == c.end()) return Optional.empty();
        int k = c.insn(s.rip(v));
        if (k == 0) throw new IllegalStateException("no instruction at RIP " + s.rip(v) + " of vCPU " + v);
        var b = s.with();
        b.exit = set(s.exit(), v, new Exit(s.rip(v), c.port(k), c.dir(k), c.dir(k) == Dir.OUT ? s.rax(v) : 0));
        b.mode = set(s.mode(), v, Mode.EXITED);
        return Optional.of(b.build());
    }

    /** The VMM submits v's exit as a request to the IOPM that owns its port; v waits. */
    public Optional<GuestIoState> vmmSubmitExit(GuestIoState s, int v) {
        if (!vcpu(v) || s.mode(v) != Mode.EXITED) return Optional.empty();
        int i = s.route(s.exit(v).port());
        var b = s.with();
        b.reqQ = set(s.reqQ(), i, append(s.reqQ(i), Request.of(v, s.exit(v))));
        b.mode = set(s.mode(), v, Mode.WAITING);
        return Optional.of(b.build());
    }

    /**
     * The VMM applies IOPM i's oldest response (failed or not) to the vCPU it names: an IN's
     * data into AL, RIP past the captured exit's instruction.
     */
    public Optional<GuestIoState> vmmCompleteExit(GuestIoState s, int i) {
        if (!iopm(i) || s.rspQ(i).isEmpty()) return Optional.empty();
        Response r = s.rspQ(i).get(0);
        return Optional.of(complete(s, i, r.vcpu(), r, true));
    }

    /**
     * Applies response r (the head of IOPM i's queue) to vCPU v, RIP advanced or not: the body
     * of {@link #vmmCompleteExit}, shared with the altered models of the tests.
     */
    protected GuestIoState complete(GuestIoState s, int i, int v, Response r, boolean advanceRip) {
        Exit e = s.exit(v);
        int k = c.insn(e.rip());
        var b = s.with();
        if (advanceRip) b.rip = set(s.rip(), v, e.rip() + c.len(k));
        if (e.dir() == Dir.IN) b.rax = set(s.rax(), v, r.result());
        b.mode = set(s.mode(), v, Mode.COMPLETED);
        b.completions = set(s.completions(), v, k, s.completions(v, k) + 1);
        b.appliedFrom = set(s.appliedFrom(), v, r.vcpu());
        b.rspQ = set(s.rspQ(), i, tail(s.rspQ(i)));
        return b.build();
    }

    /** The VMM re-enters vCPU v (VM entry), its exit completed. */
    public Optional<GuestIoState> vmmResumeGuest(GuestIoState s, int v) {
        if (!vcpu(v) || s.mode(v) != Mode.COMPLETED) return Optional.empty();
        var b = s.with();
        b.mode = set(s.mode(), v, Mode.GUEST);
        return Optional.of(b.build());
    }

    /**
     * IOPM f stopped: the VMM marks it failed, gives its devices to the lowest live IOPM and
     * re-issues there, in order, the requests f had not taken. The last IOPM in use is kept.
     */
    public Optional<GuestIoState> vmmFailover(GuestIoState s, int f) {
        if (!iopm(f) || s.up(f) || s.failed(f)) return Optional.empty();
        int t = target(s, f);
        if (t == 0) return Optional.empty();
        var b = s.with();
        b.route = moveDevices(s, f, t);
        List<List<Request>> q = new ArrayList<>(s.reqQ());
        List<Request> moved = new ArrayList<>(s.reqQ(t));
        moved.addAll(s.reqQ(f));
        q.set(t - 1, moved);
        q.set(f - 1, List.of());
        b.reqQ = q;
        b.failed = set(s.failed(), f, true);
        return Optional.of(b.build());
    }

    /** {@code Min(Live \ {f})}, or 0 if f is the last IOPM in use. */
    protected int target(GuestIoState s, int f) {
        for (int i = 1; i <= c.nIopm(); i++) if (i != f && !s.failed(i)) return i;
        return 0;
    }

    /** The routing table with f's devices given to t. */
    protected List<Integer> moveDevices(GuestIoState s, int f, int t) {
        List<Integer> r = new ArrayList<>(s.route());
        for (int d = 1; d <= c.nDev(); d++) if (s.route(d) == f) r.set(d - 1, t);
        return r;
    }

    // ---- IOPM actions and failure --------------------------------------------------------

    /**
     * IOPM i takes its oldest request, drives the disk controller (SEL selects, a DATA out
     * writes the selected sector, a DATA in reads it, each completing on it; STATUS reads that
     * completion) and publishes the response.
     */
    public Optional<GuestIoState> iopmServe(GuestIoState s, int i) {
        if (!iopm(i) || !s.up(i) || s.reqQ(i).isEmpty()) return Optional.empty();
        Request r = s.reqQ(i).get(0);
        int k = c.insn(r.rip());
        Disk d = s.dev(r.port());
        int at = d.sel(r.vcpu()), res = 0;
        Disk d2 = d;
        switch (c.reg(k)) {
            case SEL -> d2 = d.withSel(r.vcpu(), r.data());
            case DATA -> {
                if (r.dir() == Dir.OUT) d2 = d.withSect(at, r.data()).withStat(r.vcpu(), at);
                else {
                    res = d.sect(at);
                    d2 = d.withStat(r.vcpu(), at);
                }
            }
            case STATUS -> res = d.stat(r.vcpu());
        }
        var b = s.with();
        b.dev = set(s.dev(), r.port(), d2);
        b.execs = set(s.execs(), r.vcpu(), k, s.execs(r.vcpu(), k) + 1);
        b.computed = set(s.computed(), r.vcpu(), k, res);
        b.rspQ = set(s.rspQ(), i, append(s.rspQ(i), new Response(r.vcpu(), r.rip(), res)));
        b.reqQ = set(s.reqQ(), i, tail(s.reqQ(i)));
        return Optional.of(b.build());
    }

    /** IOPM i stops for good; at most MaxFail IOPMs stop. */
    public Optional<GuestIoState> iopmFail(GuestIoState s, int i) {
        if (!iopm(i) || !s.up(i)) return Optional.empty();
        long down = s.up().stream().filter(u -> !u).count();
        if (down >= c.maxFail()) return Optional.empty();
        var b = s.with();
        b.up = set(s.up(), i, false);
        return Optional.of(b.build());
    }

    /**
     * The VMM stops running vCPU v for good (a forbidden exit, or it kept the CPU); only a
     * running guest, before its program's end.
     */
    public Optional<GuestIoState> vmmStopGuest(GuestIoState s, int v) {
        if (!vcpu(v) || s.mode(v) != Mode.GUEST || s.rip(v) == c.end()) return Optional.empty();
        var b = s.with();
        b.mode = set(s.mode(), v, Mode.STOPPED);
        return Optional.of(b.build());
    }

    /**
     * vCPU v reached its program's end: it checks its own data (AL still its id) and halts.
     * The guest's step, fair with the VMM's CPU, which runs it.
     */
    public Optional<GuestIoState> guestCheck(GuestIoState s, int v) {
        if (!vcpu(v) || s.mode(v) != Mode.GUEST || s.rip(v) != c.end()) return Optional.empty();
        var b = s.with();
        b.mode = set(s.mode(), v, Mode.HALTED);
        return Optional.of(b.build());
    }

    // ---- management ------------------------------------------------------------------

    /**
     * The VMM carries out the oldest command on IOPM i's management ring and answers it: ok
     * (the VM in its new state) if the VM's state allows it, else refused. A command for a VM
     * with an exit in flight waits until that exit is completed and re-entered past.
     */
    public Optional<GuestIoState> vmmCarryOutCommand(GuestIoState s, int i) {
        if (!iopm(i) || s.cmdQ(i).isEmpty()) return Optional.empty();
        Command cmd = s.cmdQ(i).get(0);
        Mode m = s.mode(cmd.vcpu());
        if (m.inExit()) return Optional.empty();
        return Optional.of(carryOut(s, i, cmd, m));
    }

    /** Carries command {@code cmd} out on a VM seen in mode {@code m}: the body of {@link #vmmCarryOutCommand}. */
    protected GuestIoState carryOut(GuestIoState s, int i, Command cmd, Mode m) {
        boolean ok = allows(cmd.op(), m);
        var b = s.with();
        if (ok) b.mode = set(s.mode(), cmd.vcpu(), after(cmd.op()));
        b.ansQ = set(s.ansQ(), i, append(s.ansQ(i), new Answer(cmd.n(), ok)));
        b.cmdQ = set(s.cmdQ(), i, tail(s.cmdQ(i)));
        return b.build();
    }

    /** Whether a VM in mode m may be given op (the spec's {@code ok}). */
    public static boolean allows(Op op, Mode m) {
        return switch (op) {
            case CREATE -> m == Mode.ABSENT;
            case START -> m == Mode.CREATED || m == Mode.PAUSED;
            case STOP -> m == Mode.GUEST;
            case DESTROY -> m == Mode.CREATED || m == Mode.GUEST || m == Mode.PAUSED || m == Mode.HALTED
                    || m == Mode.STOPPED;
        };
    }

    /** The VM's mode once op is carried out (the spec's {@code to}). */
    public static Mode after(Op op) {
        return switch (op) {
            case CREATE -> Mode.CREATED;
            case START -> Mode.GUEST;
            case STOP -> Mode.PAUSED;
            case DESTROY -> Mode.DESTROYED;
        };
    }

    /** The console's user interface issues the next command of its script. */
    public Optional<GuestIoState> iopmIssueCommand(GuestIoState s, int i) {
        if (i != GuestIoConfig.CONSOLE || !iopm(i) || !s.up(i) || s.issued() >= c.nCmd()) return Optional.empty();
        var b = s.with();
        b.cmdQ = set(s.cmdQ(), i, append(s.cmdQ(i), c.script(s.issued() + 1)));
        b.issued = s.issued() + 1;
        return Optional.of(b.build());
    }

    /** The console takes the VMM's oldest answer. */
    public Optional<GuestIoState> iopmTakeAnswer(GuestIoState s, int i) {
        if (!iopm(i) || !s.up(i) || s.ansQ(i).isEmpty()) return Optional.empty();
        var b = s.with();
        b.answered = append(s.answered(), s.ansQ(i).get(0));
        b.ansQ = set(s.ansQ(), i, tail(s.ansQ(i)));
        return Optional.of(b.build());
    }

    /** {@code Orphaned(v)}: a managed VM left absent, created or paused by a console that stopped. */
    public boolean orphaned(GuestIoState s, int v) {
        Mode m = s.mode(v);
        return c.managed(v) && !s.up(GuestIoConfig.CONSOLE) && s.cmdQ(GuestIoConfig.CONSOLE).isEmpty()
                && (m == Mode.ABSENT || m == Mode.CREATED || m == Mode.PAUSED);
    }

    /** {@code Finished}: stutter once every guest halted, was stopped or destroyed (or is orphaned). */
    public Optional<GuestIoState> finished(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) if (!guestOver(s, v) && !orphaned(s, v)) return Optional.empty();
        return Optional.of(s);
    }

    /** {@code GuestDone(v)}: v checked its data at its program's end and halted. */
    public boolean guestDone(GuestIoState s, int v) {
        return s.mode(v) == Mode.HALTED;
    }

    /** {@code GuestOver(v)}: v halted at its program's end, or was stopped or destroyed. */
    public boolean guestOver(GuestIoState s, int v) {
        return guestDone(s, v) || s.mode(v) == Mode.STOPPED || s.mode(v) == Mode.DESTROYED;
    }

    // ---- the whole next-state relation ---------------------------------------------------

    /** Takes action {@code a} with parameter {@code p} (ignored by {@code Finished}). */
    public Optional<GuestIoState> take(GuestIoAction a, GuestIoState s, int p) {
        return switch (a) {
            case VMM_CAPTURE_EXIT -> vmmCaptureExit(s, p);
            case VMM_SUBMIT_EXIT -> vmmSubmitExit(s, p);
            case VMM_COMPLETE_EXIT -> vmmCompleteExit(s, p);
            case VMM_RESUME_GUEST -> vmmResumeGuest(s, p);
            case VMM_FAILOVER -> vmmFailover(s, p);
            case VMM_STOP_GUEST -> vmmStopGuest(s, p);
            case GUEST_CHECK -> guestCheck(s, p);
            case VMM_CARRY_OUT_COMMAND -> vmmCarryOutCommand(s, p);
            case IOPM_ISSUE_COMMAND -> iopmIssueCommand(s, p);
            case IOPM_TAKE_ANSWER -> iopmTakeAnswer(s, p);
            case IOPM_SERVE -> iopmServe(s, p);
            case IOPM_FAIL -> iopmFail(s, p);
            case FINISHED -> finished(s);
        };
    }

    /** The parameters action {@code a} ranges over: vCPUs, IOPMs, or just 0. */
    public List<Integer> params(GuestIoAction a) {
        int n = switch (a.param()) {
            case NONE -> 0;
            case VCPU -> c.nVcpu();
            case IOPM -> c.nIopm();
        };
        List<Integer> out = new ArrayList<>();
        if (n == 0) out.add(0);
        for (int k = 1; k <= n; k++) out.add(k);
        return out;
    }

    /** Every enabled action (with its parameter) and its successor ({@code Next}). */
    public List<Step> successors(GuestIoState s) {
        List<Step> out = new ArrayList<>();
        for (GuestIoAction a : GuestIoAction.values())
            for (int p : params(a)) take(a, s, p).ifPresent(n -> out.add(new Step(a, p, n)));
        return out;
    }

    private boolean vcpu(int v) {
        return v >= 1 && v <= c.nVcpu();
    }

    private boolean iopm(int i) {
        return i >= 1 && i <= c.nIopm();
    }
}
