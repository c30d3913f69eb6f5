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
     * A protocol's own events of {@code t}, and its {@code run.end}: what {@link #run} needs of
     * a trace for a protocol that finds no other event an error (the default
     * {@link Protocol#unknown}), so that it does not step over every other protocol's.
     */
    static List<TraceEvent> ownAndEnd(List<TraceEvent> own, Trace t) {
        TraceEvent end = t.end();
        if (end == null) return own;
        List<TraceEvent> out = new java.util.ArrayList<>(own.size() + 1);
        out.addAll(own);
        out.add(end);
        return out;
    }

    /**
     * Replays a trace's events, in order, into {@code p}: every event is offered, the protocol
     * takes its own. {@code events} may be a stream ({@link TraceReader}): nothing is kept of
     * an event once it is replayed.
     */
    public static <S, A extends Enum<A>> Result<S, A> run(Protocol<S, A> p, Iterable<TraceEvent> events) {
        States<S> states = new States<>();
        TraceEvent end = null;
        int[] taken = null;                // per action ordinal, made at the first action
        A[] actions = null;
        int checked = 0;
        for (TraceEvent e : events) {
            if (e.name().equals(RUN_END)) end = e;
            A a = p.action(e);
            if (a == null) {
                String why = p.unknown(e);
                if (why != null) return diverged(p, checked, coverage(actions, taken), new Divergence<>(e, why, null), states);
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
                    return diverged(p, checked, coverage(actions, taken), new Divergence<>(e, "invariants hold after it, but "
                            + String.join(", ", broken) + " is violated", s), states);
                states.put(k, t);
            } catch (Reject r) {
                return diverged(p, checked, coverage(actions, taken), new Divergence<>(e, r.expected(), s), states);
            }
            if (taken == null) {
                actions = a.getDeclaringClass().getEnumConstants();
                taken = new int[actions.length];
            }
            taken[a.ordinal()]++;
            checked++;
        }
        Map<Integer, S> finals = states.all();
        List<String> fails = end == null ? List.of() : List.copyOf(p.atEnd(finals, end));
        return new Result<>(p, checked, coverage(actions, taken), null, fails, end == null, finals);
    }

    /** How often each action was taken, as an EnumMap of the actions taken at least once. */
    private static <A extends Enum<A>> Map<A, Integer> coverage(A[] actions, int[] taken) {
        if (actions == null) return Map.of();
        Map<A, Integer> m = new EnumMap<>(actions[0].getDeclaringClass());
        for (A a : actions) if (taken[a.ordinal()] > 0) m.put(a, taken[a.ordinal()]);
        return m;
    }

    /** Each instance's state: an array for the small instance numbers a trace has, a map beyond (a garbled one). */
    private static final class States<S> {
        private final Object[] small = new Object[64];
        private final Map<Integer, S> big = new HashMap<>();

        @SuppressWarnings("unchecked")
        S get(int k) {
            return k >= 0 && k < small.length ? (S) small[k] : big.get(k);
        }

        void put(int k, S s) {
            if (k >= 0 && k < small.length) small[k] = s;
            else big.put(k, s);
        }

        @SuppressWarnings("unchecked")
        Map<Integer, S> all() {
            Map<Integer, S> m = new TreeMap<>(big);
            for (int k = 0; k < small.length; k++) if (small[k] != null) m.put(k, (S) small[k]);
            return Collections.unmodifiableMap(m);
        }
    }

    private static <S, A extends Enum<A>> Result<S, A> diverged(Protocol<S, A> p, int checked, Map<A, Integer> coverage,
                                                                Divergence<S> d, States<S> states) {
        return new Result<>(p, checked, coverage, d, List.of(), false, states.all());
    }
}
