package coopvmm.conformance.trace;

import java.util.Collections;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one replay engine: feeds a trace's events, in order, into a protocol's model
 * ({@link Protocol}). Each event must be an enabled action with the effect its fields say,
 * and the invariants must hold after it; the first event that fails is the divergence, with
 * what the model expected and its state before. At the end of a whole run (a run.end) the
 * protocol says what its liveness requires; a cut trace is partial. O(1) per event beyond the
 * protocol's own step.
 */
public final class Replay {

    /** A protocol's step refuses an event: {@code expected} is what the model wanted. */
    public static final class Reject extends RuntimeException {
        public Reject(String expected) {
            super(expected, null, false, false);
        }

        public String expected() {
            return getMessage();
        }
    }

    /** The first event the model does not accept, with what it expected and its state before (null: none yet). */
    public record Divergence<S>(TraceEvent event, String expected, S before) {
    }

    /**
     * The verdict of a replay.
     *
     * @param eventsChecked events of the protocol replayed
     * @param coverage      how often each spec action was taken
     * @param divergence    the first divergence, or null
     * @param endFailures   what the end of the run breaks (empty when cut or diverged)
     * @param partial       the trace has no run.end: the result covers what was there
     * @param finals        each instance's last state, by instance
     */
    public record Result<S, A extends Enum<A>>(Protocol<S, A> protocol, int eventsChecked, Map<A, Integer> coverage,
                                               Divergence<S> divergence, List<String> endFailures, boolean partial,
                                               Map<Integer, S> finals) {
        public boolean conforms() {
            return divergence == null && endFailures.isEmpty();
        }

        /** The state after the last event checked, of a protocol with one instance. */
        public S last() {
            return finals.get(0);
        }
    }

    private Replay() {
    }

    /** The event that ends a whole run; a trace without one was cut. */
    static final String RUN_END = "run.end";

    /**
     * Replays a trace's events, in order, into {@code p}: every event is offered, the protocol
     * takes its own. {@code events} may be a stream ({@link TraceReader}): nothing is kept of
     * an event once it is replayed.
     */
    public static <S, A extends Enum<A>> Result<S, A> run(Protocol<S, A> p, Iterable<TraceEvent> events) {
        Map<Integer, S> states = new HashMap<>();
        TraceEvent end = null;
        Map<A, Integer> coverage = null;   // an EnumMap of A, made at the first action
        int checked = 0;
        for (TraceEvent e : events) {
            if (e.name().equals(RUN_END)) end = e;
            A a = p.action(e);
            if (a == null) {
                String why = p.unknown(e);
                if (why != null) return diverged(p, checked, coverage, new Divergence<>(e, why, null), states);
                continue;
            }
            S s = null;
            try {
                int k = p.instance(e);
                s = states.get(k);
                if (s == null) s = p.init(k);
                S t = p.step(k, s, a, e);
                List<String> broken = p.violatedAfter(k, s, t);
                if (!broken.isEmpty())
                    return diverged(p, checked, coverage, new Divergence<>(e, "invariants hold after it, but "
                            + String.join(", ", broken) + " is violated", s), states);
                states.put(k, t);
            } catch (Reject r) {
                return diverged(p, checked, coverage, new Divergence<>(e, r.expected(), s), states);
            }
            if (coverage == null) coverage = new EnumMap<>(a.getDeclaringClass());
            coverage.merge(a, 1, Integer::sum);
            checked++;
        }
        Map<Integer, S> finals = Collections.unmodifiableMap(new TreeMap<>(states));
        List<String> fails = end == null ? List.of() : List.copyOf(p.atEnd(finals, end));
        return new Result<>(p, checked, coverage == null ? Map.of() : coverage, null, fails, end == null, finals);
    }

    private static <S, A extends Enum<A>> Result<S, A> diverged(Protocol<S, A> p, int checked, Map<A, Integer> coverage,
                                                                Divergence<S> d, Map<Integer, S> states) {
        return new Result<>(p, checked, coverage == null ? Map.of() : coverage, d, List.of(), false,
                Collections.unmodifiableMap(new TreeMap<>(states)));
    }
}
