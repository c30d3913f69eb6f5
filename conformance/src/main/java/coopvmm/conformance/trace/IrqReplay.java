package coopvmm.conformance.trace;

import coopvmm.model.irq.Irq;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.irq.IrqConfig;
import coopvmm.model.irq.IrqId;
import coopvmm.model.irq.IrqInvariants;
import coopvmm.model.irq.IrqState;

import java.util.ArrayList;
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
public final class IrqReplay implements Protocol<IrqState, IrqAction> {

    /** The spec's assumption about heartbeats, named in a divergence that breaks it. */
    public static final String TIMING_ASSUMPTION = "timing assumption (a running IOPM takes each tick before the next)";

    /**
     * The guest broke an assumption the spec states rather than a rule of the protocol: a
     * clock tick came while a running IOPM had not taken the previous one (on a correct build:
     * its vCPU was not scheduled for a whole tick period).
     */
    public static boolean brokeTimingAssumption(Replay.Divergence<IrqState> d) {
        return d != null && d.event().name().equals("irq.clock_tick") && d.expected().contains(TIMING_ASSUMPTION);
    }

    private final IrqConfig c;
    private final Irq irq;
    private final IrqInvariants inv;

    private IrqReplay(IrqConfig c) {
        this.c = c;
        this.irq = new Irq(c);
        this.inv = new IrqInvariants(c);
    }

    public IrqConfig config() {
        return c;
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
    public static Replay.Result<IrqState, IrqAction> replay(Trace trace) {
        return replay(trace, events(trace));
    }

    /** As {@link #replay(Trace)}, given the trace's own events of this protocol ({@link #events}). */
    static Replay.Result<IrqState, IrqAction> replay(Trace trace, List<TraceEvent> events) {
        if (events.isEmpty()) return null;
        return Replay.run(new IrqReplay(config(trace, events)), Replay.ownAndEnd(events, trace));
    }

    @Override
    public String spec() {
        return "IrqRouting";
    }

    @Override
    public IrqAction action(TraceEvent e) {
        return IrqAction.fromEvent(e.name());
    }

    @Override
    public IrqState init(int instance) {
        return IrqState.init(c);
    }

    @Override
    public IrqState step(int instance, IrqState s, IrqAction a, TraceEvent e) {
        int p;
        switch (a.param()) {
            case DEVICE -> {
                p = e.has("dev") ? (int) e.get("dev") + 1 : -1;
                if (p < 1 || p > c.nDev()) throw new Replay.Reject("a device of this run (dev=0.." + (c.nDev() - 1) + ")");
            }
            case IOPM -> {
                p = e.has("iopm") ? (int) e.get("iopm") + 1 : -1;
                if (p < 1 || p > c.nIopm()) throw new Replay.Reject("an IOPM of this run (iopm=0.." + (c.nIopm() - 1) + ")");
            }
            default -> p = 0;
        }
        Optional<IrqState> next = irq.take(a, s, p);
        if (next.isEmpty())
            throw new Replay.Reject(a.tla() + (p > 0 ? "(" + p + ")" : "") + " enabled; it is not in this state ("
                    + why(a, s, p, c) + "; " + enabledOf(irq, s) + ")");
        IrqState t = next.get();
        String bad = mismatch(irq, a, e, s, t, p);
        if (bad != null) throw new Replay.Reject(bad);
        return t;
    }

    @Override
    public List<String> violatedAfter(int instance, IrqState s, IrqState t) {
        return inv.violatedAfter(s, t);
    }

    @Override
    public List<String> atEnd(Map<Integer, IrqState> finals, TraceEvent end) {
        IrqState s = finals.getOrDefault(0, IrqState.init(c));
        List<String> fails = new ArrayList<>();
        if (s.nHandled() < s.nRaised())
            fails.add("AllIrqsHandled: " + (s.nRaised() - s.nHandled()) + " of " + s.nRaised()
                    + " interrupts raised were never handled by run.end (event #" + end.seq() + "); held: "
                    + inv.held(s).stream().filter(x -> !x.isNone()).toList());
        if (s.answered() < s.issued())
            fails.add("AllRequestsAnswered: " + (s.issued() - s.answered()) + " of " + s.issued()
                    + " ring requests unanswered at run.end (event #" + end.seq() + ")");
        for (int i = 1; i <= c.nIopm(); i++)
            if (!s.up(i) && !s.failed(i) && s.live().size() > 1)
                fails.add("StoppedDetected: IOPM " + (i - 1) + " stopped and was never declared failed (run.end, event #" + end.seq() + ")");
        return fails;
    }

    /** A routing state, 0-based like the trace. */
    @Override
    public String show(IrqState s) {
        if (s == null) return "-";
        StringBuilder b = new StringBuilder("ioapic=" + s.ioapic() + " vmmIsr=" + s.vmmIsr() + " route=[");
        for (int d = 1; d <= s.route().size(); d++)
            b.append(d > 1 ? ", " : "").append("dev ").append(d - 1).append("->").append(s.route(d) == 0 ? "vmm" : "iopm " + (s.route(d) - 1));
        b.append("]");
        for (int i = 1; i <= s.up().size(); i++) {
            b.append(" | IOPM ").append(i - 1).append(s.up(i) ? " up" : " stopped").append(s.failed(i) ? " failed" : "")
                    .append(" miss=").append(s.miss(i)).append(" beat=").append(s.beat(i)).append(" tick=").append(s.tickIopm(i))
                    .append(" pend=").append(s.pend(i)).append(" isr=").append(s.iopmIsr(i)).append(" ringReq=").append(s.ringReq(i));
        }
        return b.append(" (interrupts as <<dev+1, n>>, the spec's numbering)").toString();
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
                same(bad, e, "to", irq.requeueTo(t.route(), others) - 1, "RequeueTo: the lowest-numbered live IOPM");
            }
            case CLOCK_TICK -> {
                if (!e.has("missed")) break;       // an older build's tick: the model's own miss counts only
                for (int i = 1; i <= s.failed().size(); i++) {
                    if (s.failed(i)) continue;
                    boolean codeMissed = (e.get("missed") >>> (i - 1) & 1) != 0;
                    if (codeMissed && s.beat(i))
                        bad.add("the tick found no beat of IOPM " + (i - 1) + ", which beat since the previous tick in this order:"
                                + " it beat during the tick's check, late, so the spec's " + TIMING_ASSUMPTION + " does not hold here");
                    else if (!codeMissed && !s.beat(i))
                        bad.add("the tick saw a beat of IOPM " + (i - 1) + ", which has not beaten since the previous tick");
                }
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
