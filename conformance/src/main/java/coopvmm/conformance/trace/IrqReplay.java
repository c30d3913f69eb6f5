package coopvmm.conformance.trace;

import coopvmm.model.irq.Irq;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.irq.IrqConfig;
import coopvmm.model.irq.IrqId;
import coopvmm.model.irq.IrqInvariants;
import coopvmm.model.irq.IrqState;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays the interrupt-routing events of a trace into the Java model ({@code IrqRouting}):
 * each event must be an enabled action with the parameter it names and the effect its fields
 * say (which interrupt was accepted, routed where, taken and handled; how much a failover
 * moved and to whom), and the invariants must hold after it. At the end of a run every raised
 * interrupt must be handled, every request answered, every stopped IOPM detected (while
 * another lives).
 */
public final class IrqReplay {

    /** The first event the model does not accept, with what it expected and its state. */
    public record Divergence(TraceEvent event, String expected, IrqState before) {
        /**
         * The guest broke an assumption the spec states rather than a rule of the protocol:
         * a clock tick came while a running IOPM had not taken the previous one (on a correct
         * build: its vCPU was not scheduled for a whole tick period).
         */
        public boolean brokeTimingAssumption() {
            return event.name().equals("irq.clock_tick") && expected.contains(TIMING_ASSUMPTION);
        }
    }

    /** The spec's assumption about heartbeats, named in a divergence that breaks it. */
    public static final String TIMING_ASSUMPTION = "timing assumption (a running IOPM takes each tick before the next)";

    /**
     * The verdict of a routing replay.
     *
     * @param eventsChecked routing events replayed
     * @param coverage      how often each spec action was taken
     * @param divergence    the first divergence, or null
     * @param endFailures   the liveness properties the end of the run breaks
     * @param partial       the trace has no run.end
     * @param last          the model state after the last event checked
     */
    public record Result(IrqConfig config, int eventsChecked, Map<IrqAction, Integer> coverage, Divergence divergence,
                         List<String> endFailures, boolean partial, IrqState last) {
        public boolean conforms() {
            return divergence == null && endFailures.isEmpty();
        }
    }

    private IrqReplay() {
    }

    /** The routing events of a trace, in order. */
    public static List<TraceEvent> events(Trace t) {
        return t.events().stream().filter(e -> IrqAction.fromEvent(e.name()) != null).toList();
    }

    /**
     * The constants of the traced run: devices, VMM devices and the miss limit from the
     * {@code # irq} line, IOPMs from the header; MaxIrq, MaxReq and MaxCrash are what the
     * trace did (raises, requests, stops).
     */
    public static IrqConfig config(Trace t, List<TraceEvent> events) {
        Map<String, String> c = t.comment("irq");
        TraceEvent first = events.get(0);
        if (c == null) throw new TraceFormatException(first.line(), first.seq(),
                "routing events but no '# irq devices=.. vmm_devices=.. miss_limit=..' constants line before them");
        int raises = count(events, IrqAction.DEVICE_RAISE), requests = count(events, IrqAction.VMM_REQUEST),
                stops = count(events, IrqAction.IOPM_STOP);
        try {
            return new IrqConfig(Trace.number(c, "devices"), Trace.number(c, "vmm_devices"), t.iopms(), raises, requests,
                    Math.min(stops, Math.max(0, t.iopms() - 1)), Trace.number(c, "miss_limit"));
        } catch (IllegalArgumentException e) {
            throw new TraceFormatException(first.line(), first.seq(), "bad '# irq' constants: " + e.getMessage());
        }
    }

    private static int count(List<TraceEvent> events, IrqAction a) {
        return (int) events.stream().filter(e -> e.name().equals(a.event())).count();
    }

    /** Null when the trace has no routing events. */
    public static Result replay(Trace trace) {
        List<TraceEvent> events = events(trace);
        if (events.isEmpty()) return null;
        IrqConfig c = config(trace, events);
        Irq irq = new Irq(c);
        IrqInvariants inv = new IrqInvariants(c);
        IrqState s = IrqState.init(c);
        Map<IrqAction, Integer> coverage = new EnumMap<>(IrqAction.class);
        int checked = 0;
        for (TraceEvent e : events) {
            IrqAction a = IrqAction.fromEvent(e.name());
            int p;
            String missing = null;
            switch (a.param()) {
                case DEVICE -> {
                    p = e.has("dev") ? (int) e.get("dev") + 1 : -1;
                    if (p < 1 || p > c.nDev()) missing = "a device of this run (dev=0.." + (c.nDev() - 1) + ")";
                }
                case IOPM -> {
                    p = e.has("iopm") ? (int) e.get("iopm") + 1 : -1;
                    if (p < 1 || p > c.nIopm()) missing = "an IOPM of this run (iopm=0.." + (c.nIopm() - 1) + ")";
                }
                default -> p = 0;
            }
            if (missing != null) return new Result(c, checked, coverage, new Divergence(e, missing, s), List.of(), false, s);
            Optional<IrqState> next = irq.take(a, s, p);
            if (next.isEmpty()) {
                return new Result(c, checked, coverage, new Divergence(e, a.tla() + (p > 0 ? "(" + p + ")" : "")
                        + " enabled; it is not in this state (" + why(a, s, p, c) + "; " + enabledOf(irq, s) + ")", s),
                        List.of(), false, s);
            }
            IrqState t = next.get();
            String bad = mismatch(irq, a, e, s, t, p);
            if (bad != null) return new Result(c, checked, coverage, new Divergence(e, bad, s), List.of(), false, s);
            List<String> broken = inv.violated(t);
            if (!broken.isEmpty())
                return new Result(c, checked, coverage, new Divergence(e, "invariants hold after it, but "
                        + String.join(", ", broken) + " is violated", s), List.of(), false, s);
            s = t;
            coverage.merge(a, 1, Integer::sum);
            checked++;
        }
        TraceEvent end = trace.end();
        List<String> fails = new ArrayList<>();
        if (end != null) {
            if (s.nHandled() < s.nRaised())
                fails.add("AllIrqsHandled: " + (s.nRaised() - s.nHandled()) + " of " + s.nRaised()
                        + " interrupts raised were never handled by run.end (event #" + end.seq() + "); held: "
                        + new IrqInvariants(c).held(s).stream().filter(x -> !x.isNone()).toList());
            if (s.answered() < s.issued())
                fails.add("AllRequestsAnswered: " + (s.issued() - s.answered()) + " of " + s.issued()
                        + " ring requests unanswered at run.end (event #" + end.seq() + ")");
            for (int i = 1; i <= c.nIopm(); i++)
                if (!s.up(i) && !s.failed(i) && s.live().size() > 1)
                    fails.add("StoppedDetected: IOPM " + (i - 1) + " stopped and was never declared failed (run.end, event #" + end.seq() + ")");
        }
        return new Result(c, checked, coverage, null, fails, end == null, s);
    }

    /** Why the fields of {@code e} disagree with the model's step {@code s -> t}, or null. */
    private static String mismatch(Irq irq, IrqAction a, TraceEvent e, IrqState s, IrqState t, int p) {
        List<String> bad = new ArrayList<>();
        switch (a) {
            case VMM_ACCEPT -> irqIs(bad, e, t.vmmIsr(), "the oldest interrupt the IOAPIC sent");
            case VMM_HANDLE -> irqIs(bad, e, s.vmmIsr(), "the interrupt in service");
            case VMM_ROUTE -> {
                irqIs(bad, e, s.vmmIsr(), "the interrupt in service");
                int to = s.route(s.vmmIsr().dev());
                same(bad, e, "iopm", to - 1, "routed by the table");
            }
            case VMM_DETECT_FAILURE -> {
                same(bad, e, "redelivered", s.pend(p).size(), "its unacknowledged interrupts");
                same(bad, e, "requeued", s.ringReq(p), "its unanswered requests");
                List<Integer> others = new ArrayList<>(s.live());
                others.remove(Integer.valueOf(p));
                same(bad, e, "to", irq.requeueTo(t.route(), others) - 1, "RequeueTo: the live IOPM with the fewest devices");
            }
            case IOPM_TAKE -> irqIs(bad, e, t.iopmIsr(p), "the head of its pending list");
            case IOPM_HANDLE -> irqIs(bad, e, s.iopmIsr(p), "the interrupt it took");
            default -> {
            }
        }
        return bad.isEmpty() ? null : String.join("; ", bad);
    }

    /** The trace's {@code dev} (0-based) and {@code n} must name interrupt {@code x}. */
    private static void irqIs(List<String> bad, TraceEvent e, IrqId x, String what) {
        if (!e.has("dev") || !e.has("n")) {
            bad.add("fields dev= and n= (" + what + ": dev=" + (x.dev() - 1) + " n=" + x.k() + ")");
        } else if (e.get("dev") != x.dev() - 1 || e.get("n") != x.k()) {
            bad.add(what + " is dev=" + (x.dev() - 1) + " n=" + x.k() + " (trace says dev=" + e.get("dev") + " n=" + e.get("n") + ")");
        }
    }

    private static void same(List<String> bad, TraceEvent e, String key, long want, String what) {
        if (!e.has(key)) bad.add("field " + key + "=" + want + " (" + what + "; missing)");
        else if (e.get(key) != want) bad.add(key + "=" + want + " (" + what + "; trace says " + key + "=" + e.get(key) + ")");
    }

    /** A hint at the enabling condition that failed, for the actions where it is not obvious. */
    private static String why(IrqAction a, IrqState s, int p, IrqConfig c) {
        return switch (a) {
            case CLOCK_TICK -> {
                List<Integer> late = new ArrayList<>();
                for (int i = 1; i <= c.nIopm(); i++) if (s.up(i) && s.tickIopm(i)) late.add(i - 1);
                yield late.isEmpty() ? "?" : "IOPM(s) " + late + " running and not past the previous tick: the spec's "
                        + TIMING_ASSUMPTION + " does not hold here";
            }
            case VMM_DETECT_FAILURE -> s.failed(p) ? "already failed" : s.miss(p) < c.missLimit()
                    ? "IOPM " + (p - 1) + " missed " + s.miss(p) + " beats, fewer than MissLimit " + c.missLimit()
                    : "it is the last live IOPM";
            case IOPM_STOP -> "at most MaxCrash IOPMs stop";
            default -> "its enabling condition is false";
        };
    }

    private static String enabledOf(Irq irq, IrqState s) {
        List<String> names = new ArrayList<>();
        for (Irq.Step st : irq.successors(s)) {
            String n = st.action().tla() + (st.param() > 0 ? "(" + st.param() + ")" : "");
            if (!names.contains(n)) names.add(n);
        }
        return names.isEmpty() ? "nothing is enabled" : "enabled: " + String.join(", ", names);
    }
}
