package coopvmm.conformance.trace;

import coopvmm.model.guestio.Answer;
import coopvmm.model.guestio.Command;
import coopvmm.model.guestio.Dir;
import coopvmm.model.guestio.Reg;
import coopvmm.model.guestio.Exit;
import coopvmm.model.guestio.GuestIo;
import coopvmm.model.guestio.GuestIoAction;
import coopvmm.model.guestio.GuestIoConfig;
import coopvmm.model.guestio.GuestIoInvariants;
import coopvmm.model.guestio.GuestIoState;
import coopvmm.model.guestio.Mode;
import coopvmm.model.guestio.Request;
import coopvmm.model.guestio.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays the guest I/O events of a trace into the Java model ({@code GuestIo}): each event
 * must be an enabled action of the vCPU or IOPM it names, with the effect its fields say (the
 * exit captured, the IOPM a request went to, the request served and its result, the response
 * applied and to whom, the RIP and AL the guest re-enters with, what a failover moved and
 * where, the guest's own check of its data and its verdict), and the invariants must hold
 * after it. At the end of a run every exit must be completed and every guest halted or stopped.
 */
public final class GuestIoReplay implements Protocol<GuestIoState, GuestIoAction> {

    private final GuestIoConfig c;
    private final GuestIo io;
    private final GuestIoInvariants inv;

    private GuestIoReplay(GuestIoConfig c) {
        this.c = c;
        this.io = new GuestIo(c);
        this.inv = new GuestIoInvariants(c);
    }

    public GuestIoConfig config() {
        return c;
    }

    /** The guest I/O events of a trace, in order. */
    public static List<TraceEvent> events(Trace t) {
        return t.events().stream().filter(e -> GuestIoAction.fromEvent(e.name()) != null).toList();
    }

    /**
     * The constants of the traced run: vCPUs, devices, instructions and MaxFail from the
     * {@code # guestio} line, IOPMs from the header. A trace with guest I/O events and no such
     * line, or one that does not parse, is malformed.
     */
    public static GuestIoConfig config(Trace t, List<TraceEvent> events) {
        Map<String, String> m = t.comment("guestio");
        TraceEvent first = events.get(0);
        if (m == null) throw new TraceFormatException(first.line(), first.seq(),
                "guest I/O events but no '# guestio vcpus=.. devices=.. insns=.. max_fail=..' constants line before them");
        try {
            return new GuestIoConfig(Trace.number(m, "vcpus"), t.iopms(), Trace.number(m, "devices"),
                    Trace.number(m, "insns"), Trace.number(m, "max_fail"), m.containsKey("admin") ? Trace.number(m, "admin") : 0);
        } catch (IllegalArgumentException e) {
            throw new TraceFormatException(first.line(), first.seq(), "bad '# guestio' constants: " + e.getMessage());
        }
    }

    /** Null when the trace has no guest I/O events. */
    public static Replay.Result<GuestIoState, GuestIoAction> replay(Trace trace) {
        return replay(trace, events(trace));
    }

    /** As {@link #replay(Trace)}, given the trace's own events of this protocol ({@link #events}). */
    static Replay.Result<GuestIoState, GuestIoAction> replay(Trace trace, List<TraceEvent> events) {
        if (events.isEmpty()) return null;
        return Replay.run(new GuestIoReplay(config(trace, events)), Replay.ownAndEnd(events, trace));
    }

    @Override
    public String spec() {
        return "GuestIo";
    }

    @Override
    public GuestIoAction action(TraceEvent e) {
        return GuestIoAction.fromEvent(e.name());
    }

    @Override
    public GuestIoState init(int instance) {
        return GuestIoState.init(c);
    }

    @Override
    public GuestIoState step(int instance, GuestIoState s, GuestIoAction a, TraceEvent e) {
        int p = param(a, e);
        Optional<GuestIoState> next = io.take(a, s, p);
        if (next.isEmpty())
            throw new Replay.Reject(a.tla() + "(" + p + ") enabled; it is not in this state (" + why(a, s, p, e)
                    + "; " + enabledOf(s) + ")");
        GuestIoState t = next.get();
        String bad = mismatch(a, e, s, t, p);
        if (bad != null) throw new Replay.Reject(bad);
        return t;
    }

    /** The spec's parameter (1-based) from the event's {@code vcpu=} or {@code iopm=} (0-based). */
    private int param(GuestIoAction a, TraceEvent e) {
        boolean vcpu = a.param() == GuestIoAction.Param.VCPU;
        String key = vcpu ? "vcpu" : "iopm";
        int n = vcpu ? c.nVcpu() : c.nIopm();
        long p = e.has(key) ? e.get(key) + 1 : -1;
        if (p < 1 || p > n)
            throw new Replay.Reject("a" + (vcpu ? " vCPU" : "n IOPM") + " of this run (" + key + "=0.." + (n - 1) + ")"
                    + (e.has(key) ? ", not " + key + "=" + e.get(key) : ": the field is missing"));
        return (int) p;
    }

    /**
     * The whole check each step, as boot and routing: it costs O(NVcpu * NInsn), the order of
     * the model's own step (which copies a vCPU's history row), and a guest program is short.
     */
    @Override
    public List<String> violatedAfter(int instance, GuestIoState s, GuestIoState t) {
        return inv.violated(t);
    }

    @Override
    public List<String> atEnd(Map<Integer, GuestIoState> finals, TraceEvent end) {
        GuestIoState s = finals.getOrDefault(0, GuestIoState.init(c));
        List<String> fails = new ArrayList<>();
        for (int v = 1; v <= c.nVcpu(); v++) {
            Mode m = s.mode(v);
            if (m == Mode.EXITED || m == Mode.WAITING)
                fails.add("EveryExitCompleted: vcpu=" + (v - 1) + "'s exit at rip=" + s.exit(v).rip() + " is " + m.tla()
                        + ", never completed, at run.end (event #" + end.seq() + ")");
            else if (!io.guestOver(s, v) && !io.orphaned(s, v))
                fails.add("EveryGuestFinishes: vcpu=" + (v - 1) + " is " + m.tla() + " at rip=" + s.rip(v)
                        + ", neither checked and halted at rip=" + c.end() + " nor stopped or destroyed, at run.end (event #"
                        + end.seq() + ")");
        }
        int console = GuestIoConfig.CONSOLE;
        if (s.up(console) && s.answered().size() < s.issued())
            fails.add("EveryCommandAnswered: the console (iopm=" + (console - 1) + ") issued " + s.issued() + " commands and took "
                    + s.answered().size() + " answers, at run.end (event #" + end.seq() + ")");
        return fails;
    }

    /** A guest I/O state, 0-based like the trace. */
    @Override
    public String show(GuestIoState s) {
        if (s == null) return "-";
        StringBuilder b = new StringBuilder();
        for (int v = 1; v <= c.nVcpu(); v++) {
            Exit x = s.exit(v);
            b.append(v > 1 ? " | " : "").append("vcpu ").append(v - 1).append(' ').append(s.mode(v).tla())
                    .append(" rip=").append(s.rip(v)).append(" al=").append(s.rax(v))
                    .append(x.isNone() ? "" : " exit=" + x.dir().tla() + "@" + x.rip() + " port " + (x.port() - 1));
        }
        b.append(" | route=[");
        for (int d = 1; d <= c.nDev(); d++) b.append(d > 1 ? ", " : "").append("port ").append(d - 1).append("->iopm ").append(s.route(d) - 1);
        b.append("]");
        for (int i = 1; i <= c.nIopm(); i++) {
            b.append(" | IOPM ").append(i - 1).append(s.up(i) ? " up" : " stopped").append(s.failed(i) ? " failed" : "")
                    .append(" reqQ=[");
            for (Request r : s.reqQ(i)) b.append(r == s.reqQ(i).get(0) ? "" : ", ").append("vcpu ").append(r.vcpu() - 1).append('@').append(r.rip());
            b.append("] rspQ=[");
            for (Response r : s.rspQ(i))
                b.append(r == s.rspQ(i).get(0) ? "" : ", ").append("vcpu ").append(r.vcpu() - 1).append('@').append(r.rip())
                        .append('=').append(r.result());
            b.append("]");
            if (!s.cmdQ(i).isEmpty() || !s.ansQ(i).isEmpty()) {
                b.append(" cmdQ=[");
                for (Command x : s.cmdQ(i)) b.append(x == s.cmdQ(i).get(0) ? "" : ", ").append(x.n()).append(':').append(x.op().tla())
                        .append(" vcpu ").append(x.vcpu() - 1);
                b.append("] ansQ=[");
                for (Answer a : s.ansQ(i)) b.append(a == s.ansQ(i).get(0) ? "" : ", ").append(a.n()).append(a.ok() ? " ok" : " refused");
                b.append("]");
            }
        }
        if (c.nAdmin() > 0) b.append(" | console issued ").append(s.issued()).append(", took ").append(s.answered().size());
        return b.toString();
    }

    /** Why the fields of {@code e} disagree with the model's step {@code s -> t} of parameter p, or null. */
    private String mismatch(GuestIoAction a, TraceEvent e, GuestIoState s, GuestIoState t, int p) {
        List<String> bad = new ArrayList<>();
        switch (a) {
            case VMM_CAPTURE_EXIT -> {
                Exit x = t.exit(p);
                same(bad, e, "rip", x.rip(), "its RIP");
                same(bad, e, "port", x.port() - 1, "the port of the " + x.dir().tla() + " at rip=" + x.rip());
                same(bad, e, "dir", x.dir() == Dir.IN ? 1 : 0, "1 for an in, 0 for an out: it is an " + x.dir().tla());
                same(bad, e, "data", x.data(), x.dir() == Dir.OUT ? "an out writes the vCPU's AL" : "an in carries 0");
                Reg r = c.reg(c.insn(x.rip()));
                if (e.has("reg"))                  // a build before the disk controllers traced none
                    same(bad, e, "reg", r.code(), "the register of the " + x.dir().tla() + " at rip=" + x.rip() + ": "
                            + r.tla().toUpperCase(java.util.Locale.ROOT));
            }
            case VMM_SUBMIT_EXIT -> {
                Exit x = s.exit(p);
                same(bad, e, "rip", x.rip(), "its captured exit's");
                int owner = s.route(x.port());
                if (e.has("iopm") && e.get("iopm") != owner - 1 && e.get("iopm") < c.nIopm() && s.failed((int) e.get("iopm") + 1))
                    bad.add("iopm=" + (owner - 1) + " (the owner of port " + (x.port() - 1) + " now; trace says iopm="
                            + e.get("iopm") + ", declared failed by its vmm.failover)");
                else same(bad, e, "iopm", owner - 1, "the owner of port " + (x.port() - 1) + " in the routing table");
            }
            case IOPM_SERVE -> {
                Request r = s.reqQ(p).get(0);
                Response done = t.rspQ(p).get(t.rspQ(p).size() - 1);
                same(bad, e, "vcpu", r.vcpu() - 1, "its oldest request's");
                same(bad, e, "rip", r.rip(), "its oldest request's");
                same(bad, e, "result", done.result(), r.dir() == Dir.OUT ? "an out returns 0"
                        : c.reg(c.insn(r.rip())) == Reg.STATUS
                        ? "the sector vcpu=" + (r.vcpu() - 1) + "'s last DATA command on port " + (r.port() - 1) + " completed on"
                        : "what sector " + s.dev(r.port()).sel(r.vcpu()) + " of port " + (r.port() - 1) + " holds, the one vcpu="
                        + (r.vcpu() - 1) + " selected");
            }
            case VMM_COMPLETE_EXIT -> {
                Response r = s.rspQ(p).get(0);
                same(bad, e, "vcpu", r.vcpu() - 1, "the vCPU the oldest response of iopm=" + (p - 1)
                        + " names: a response completes its own vCPU's exit");
                same(bad, e, "rip", r.rip(), "the exit the oldest response of iopm=" + (p - 1) + " answers");
                same(bad, e, "result", r.result(), "the oldest response's result");
                String n = notWaiting(s, e);
                if (!bad.isEmpty() && n != null) bad.add(n);
            }
            case VMM_RESUME_GUEST -> {
                Exit x = s.exit(p);
                same(bad, e, "rip", t.rip(p), "past the " + x.dir().tla() + " at rip=" + x.rip());
                if (x.dir() == Dir.IN) same(bad, e, "al", t.rax(p), "the in's result");
            }
            case IOPM_ISSUE_COMMAND -> {
                Command x = c.script(s.issued() + 1);
                same(bad, e, "n", x.n(), "the console's next command");
                same(bad, e, "op", x.op().code(), "command " + x.n() + " of the script is " + x.op().tla());
                same(bad, e, "vcpu", x.vcpu() - 1, "the VM command " + x.n() + " is for");
            }
            case VMM_CARRY_OUT_COMMAND -> {
                Command x = s.cmdQ(p).get(0);
                Answer ans = t.ansQ(p).get(t.ansQ(p).size() - 1);
                same(bad, e, "n", x.n(), "the oldest command on iopm=" + (p - 1) + "'s management ring");
                same(bad, e, "op", x.op().code(), "command " + x.n() + " is " + x.op().tla());
                same(bad, e, "vcpu", x.vcpu() - 1, "the VM of command " + x.n());
                same(bad, e, "ok", ans.ok() ? 1 : 0, "a " + x.op().tla() + " of a VM that is " + s.mode(x.vcpu()).tla()
                        + (ans.ok() ? " is carried out" : " is refused"));
            }
            case IOPM_TAKE_ANSWER -> {
                Answer ans = s.ansQ(p).get(0);
                same(bad, e, "n", ans.n(), "the VMM's oldest answer to iopm=" + (p - 1));
                same(bad, e, "ok", ans.ok() ? 1 : 0, "what the VMM answered command " + ans.n());
            }
            case GUEST_CHECK -> {
                same(bad, e, "al", s.rax(p), "the vCPU's AL at its program's end");
                same(bad, e, "pass", s.rax(p) == p ? 1 : 0, "its check passes iff AL is its id, " + p);
            }
            case VMM_FAILOVER -> {
                int to = 0;
                for (int i = 1; i <= c.nIopm() && to == 0; i++) if (i != p && !s.failed(i)) to = i;
                same(bad, e, "to", to - 1, "the lowest live IOPM");
                same(bad, e, "reissued", s.reqQ(p).size(), "the requests iopm=" + (p - 1) + " had not taken");
            }
            default -> {
            }
        }
        return bad.isEmpty() ? null : String.join("; ", bad);
    }

    /** A hint when the vCPU a completion names has no exit outstanding (a second completion), else null. */
    private String notWaiting(GuestIoState s, TraceEvent e) {
        if (!e.has("vcpu") || e.get("vcpu") >= c.nVcpu()) return null;
        int v = (int) e.get("vcpu") + 1;
        if (s.mode(v) == Mode.WAITING) return null;
        return "vcpu=" + (v - 1) + " is " + s.mode(v).tla() + ", not waiting"
                + (s.mode(v) == Mode.EXITED || s.exit(v).isNone() ? "" : ": its exit at rip=" + s.exit(v).rip() + " was completed already");
    }

    private static void same(List<String> bad, TraceEvent e, String key, long want, String what) {
        if (!e.has(key)) bad.add("field " + key + "=" + want + " (" + what + "; missing)");
        else if (e.get(key) != want) bad.add(key + "=" + want + " (" + what + "; trace says " + key + "=" + e.get(key) + ")");
    }

    /** The enabling condition that failed, in the trace's numbering. */
    private String why(GuestIoAction a, GuestIoState s, int p, TraceEvent e) {
        String v = "vcpu=" + (p - 1), i = "iopm=" + (p - 1);
        return switch (a) {
            case VMM_CAPTURE_EXIT -> s.mode(p) != Mode.GUEST ? v + " is " + s.mode(p).tla() + ", not running guest code"
                    : v + " is at its program's end, rip=" + s.rip(p);
            case VMM_SUBMIT_EXIT -> v + " is " + s.mode(p).tla() + ", not exited" + (s.mode(p) == Mode.GUEST ? ": no exit of it was captured" : "");
            case VMM_RESUME_GUEST -> v + " is " + s.mode(p).tla() + ", not completed";
            case VMM_STOP_GUEST -> s.mode(p) != Mode.GUEST ? v + " is " + s.mode(p).tla() + ", not running guest code"
                    : v + " is at its program's end, rip=" + s.rip(p);
            case GUEST_CHECK -> s.mode(p) != Mode.GUEST ? v + " is " + s.mode(p).tla() + ", not running guest code"
                    : v + " is at rip=" + s.rip(p) + ", not at its program's end, rip=" + c.end();
            case VMM_COMPLETE_EXIT -> {
                String n = notWaiting(s, e);
                yield i + " has no response to apply" + (n == null ? "" : "; " + n);
            }
            case IOPM_SERVE -> !s.up(p) ? i + " stopped" : i + " has no request to take";
            case VMM_FAILOVER -> s.up(p) ? i + " runs" : s.failed(p) ? i + " was declared failed already" : "it is the last live IOPM";
            case IOPM_FAIL -> !s.up(p) ? i + " stopped already" : "at most MaxFail=" + c.maxFail() + " IOPMs stop";
            case VMM_CARRY_OUT_COMMAND -> s.cmdQ(p).isEmpty() ? i + " has no command on its management ring"
                    : "vcpu=" + (s.cmdQ(p).get(0).vcpu() - 1) + " is " + s.mode(s.cmdQ(p).get(0).vcpu()).tla()
                    + ": its exit is in flight, and the command must wait for it";
            case IOPM_ISSUE_COMMAND -> p != GuestIoConfig.CONSOLE ? i + " is not the console (iopm=" + (GuestIoConfig.CONSOLE - 1) + ")"
                    : !s.up(p) ? i + " stopped" : "the script's " + c.nCmd() + " commands are all issued";
            case IOPM_TAKE_ANSWER -> !s.up(p) ? i + " stopped" : i + " has no answer to take";
            case FINISHED -> "?";
        };
    }

    private String enabledOf(GuestIoState s) {
        List<String> names = new ArrayList<>();
        for (GuestIo.Step st : io.successors(s))
            if (st.action() != GuestIoAction.FINISHED) names.add(st.action().tla() + "(" + st.param() + ")");
        return names.isEmpty() ? "nothing is enabled" : "enabled: " + String.join(", ", names);
    }
}
