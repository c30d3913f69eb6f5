package coopvmm.conformance.report;

import coopvmm.conformance.trace.Replay;
import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceCheck;
import coopvmm.conformance.trace.TraceEvent;
import coopvmm.conformance.trace.TraceFigures;
import coopvmm.model.boot.BootAction;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.ring.RingAction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a conformance run's page needs from its trace, taken while the trace is in memory (a
 * soak keeps dozens of runs: each keeps a few dozen events, not its whole trace).
 *
 * @param focus     the first divergence of each checker, and each lost wakeup, with the events before it
 * @param coverage  spec to action to how often this run took it (every action of the spec, 0 included)
 * @param figures   the guest's own times, or null
 * @param tscKhz    the guest's TSC rate, -1 if unknown (figures are then in TSC ticks)
 * @param requests  per channel, the requests answered so far over time (TSC ticks from the first event)
 * @param failovers each failover, an IOPM stopping to the VMM declaring it failed (TSC ticks from the first event)
 */
public record RunFacts(List<Focus> focus, Map<String, Map<String, Integer>> coverage, TraceFigures figures,
                       long tscKhz, List<Series> requests, List<Window> failovers) {

    /** Events kept before a divergence: enough to see who wrote what, small enough to read. */
    public static final int WINDOW = 30;

    /** Points kept of a requests-over-time series. */
    static final int MAX_POINTS = 400;

    /**
     * An event a checker pinned the failure on, and the events before it.
     *
     * @param checker  "model", "boot model", "routing model" (as the run prints it), or "liveness"
     * @param kind     "divergence" or "stall"
     * @param expected what the model expected there (the divergence's message)
     * @param events   up to {@link #WINDOW} events before it, then it (the last)
     */
    public record Focus(String checker, String kind, String expected, List<TraceEvent> events) {
        public TraceEvent event() {
            return events.get(events.size() - 1);
        }
    }

    /** Requests answered on one channel: x in TSC ticks from the trace's first event, y the count. */
    public record Series(String name, long[] x, long[] y) {
    }

    public record Window(String label, long from, long to) {
    }

    /** The facts of one checked trace; null if they cannot be taken (the run's verdict stands without them). */
    public static RunFacts of(Trace t, TraceCheck.Report rep, TraceFigures figures, long tscKhz) {
        try {
            List<Focus> focus = new ArrayList<>();
            focus(t, "model", rep.replay(), focus);
            if (rep.boot() != null) focus(t, "boot model", rep.boot(), focus);
            if (rep.irq() != null) focus(t, "routing model", rep.irq(), focus);
            List<TraceEvent> ev = t.events();
            for (int i = 0; i < ev.size(); i++)
                if (ev.get(i).name().equals("run.stall"))
                    focus.add(new Focus("liveness", "stall", "a lost wakeup: the IOPM sleeps with requests published",
                            window(ev, i)));
            Map<String, Map<String, Integer>> cov = new LinkedHashMap<>();
            cov.put("CoopRing", counts(RingAction.values(), rep.replay().coverage(),
                    a -> a == RingAction.FINISHED ? null : a.tla()));
            if (rep.boot() != null)
                cov.put("BootHandoff", counts(BootAction.values(), rep.boot().coverage(),
                        a -> a == BootAction.FINISHED ? null : a.tla()));
            if (rep.irq() != null) cov.put("IrqRouting", counts(IrqAction.values(), rep.irq().coverage(), IrqAction::tla));
            return new RunFacts(List.copyOf(focus), cov, figures == null || figures.isEmpty() ? null : figures, tscKhz,
                    requests(ev), failovers(ev));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static <S, A extends Enum<A>> void focus(Trace t, String checker, Replay.Result<S, A> r, List<Focus> out) {
        if (r.divergence() == null) return;
        TraceEvent e = r.divergence().event();
        List<TraceEvent> ev = t.events();
        // By identity first: a v1 line read as two events gives two equal-looking neighbours.
        int at = -1;
        for (int i = 0; i < ev.size() && at < 0; i++) if (ev.get(i) == e) at = i;
        if (at < 0) at = ev.indexOf(e);
        List<TraceEvent> w = at < 0 ? List.of(e) : window(ev, at);
        out.add(new Focus(checker, "divergence", r.divergence().expected(), w));
    }

    static List<TraceEvent> window(List<TraceEvent> ev, int at) {
        return List.copyOf(ev.subList(Math.max(0, at - WINDOW), at + 1));
    }

    private static <A> Map<String, Integer> counts(A[] actions, Map<A, Integer> counts, Function<A, String> name) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (A a : actions) {
            String n = name.apply(a);
            if (n != null) m.put(n, counts.getOrDefault(a, 0));
        }
        return m;
    }

    /** Responses the VMM consumed, per channel: one answered request each. */
    static List<Series> requests(List<TraceEvent> ev) {
        if (ev.isEmpty()) return List.of();
        long t0 = ev.get(0).tsc();
        Map<Long, List<long[]>> byChannel = new TreeMap<>();
        Map<Long, Long> count = new HashMap<>();
        for (TraceEvent e : ev) {
            if (!e.name().equals("vmm.consume_response") || !e.has("iopm")) continue;
            long k = e.get("iopm");
            long n = count.merge(k, 1L, Long::sum);
            byChannel.computeIfAbsent(k, x -> new ArrayList<>()).add(new long[] {Math.max(0, e.tsc() - t0), n});
        }
        List<Series> out = new ArrayList<>();
        byChannel.forEach((k, pts) -> {
            // Evenly thinned, the last point kept: the chart's shape and its end are what matter.
            int step = Math.max(1, (pts.size() + MAX_POINTS - 1) / MAX_POINTS);
            List<long[]> kept = new ArrayList<>();
            for (int i = 0; i < pts.size(); i += step) kept.add(pts.get(i));
            if (kept.get(kept.size() - 1) != pts.get(pts.size() - 1)) kept.add(pts.get(pts.size() - 1));
            long[] x = new long[kept.size()], y = new long[kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                x[i] = kept.get(i)[0];
                y[i] = kept.get(i)[1];
            }
            out.add(new Series("IOPM " + k, x, y));
        });
        return out;
    }

    /** From {@code iopm.stop} to the {@code vmm.detect_failure} of that IOPM (or the trace's end). */
    static List<Window> failovers(List<TraceEvent> ev) {
        if (ev.isEmpty()) return List.of();
        long t0 = ev.get(0).tsc();
        Map<Long, Long> stopped = new LinkedHashMap<>();
        List<Window> out = new ArrayList<>();
        for (TraceEvent e : ev) {
            if (e.name().equals("iopm.stop") && e.has("iopm")) stopped.put(e.get("iopm"), e.tsc() - t0);
            else if (e.name().equals("vmm.detect_failure") && e.has("iopm")) {
                Long s = stopped.remove(e.get("iopm"));
                if (s != null) out.add(new Window("failover of IOPM " + e.get("iopm"), s, e.tsc() - t0));
            }
        }
        long end = ev.get(ev.size() - 1).tsc() - t0;
        stopped.forEach((k, s) -> out.add(new Window("IOPM " + k + " stopped, never declared failed", s, end)));
        return out;
    }
}
