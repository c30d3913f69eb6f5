package coopvmm.conformance.trace;

import coopvmm.model.boot.BootAction;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.ring.Pc;
import coopvmm.model.ring.Ring;
import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingConfig;
import coopvmm.model.ring.RingInvariants;
import coopvmm.model.ring.RingState;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays the ring events of a trace into the Java model, one model per channel (IOPM): each
 * event must be an enabled action whose effect matches the event's fields, the invariants
 * must hold after it, and at the end no request may be left unanswered unless the run was
 * cut, the IOPM was given up, or it was failed over ({@code vmm.detect_failure}: its
 * unanswered requests were re-queued on another channel, which the routing checks count).
 */
public final class RingReplay {

    /** The first event the model does not accept, with what it expected and its state. */
    public record Divergence(TraceEvent event, String expected, RingState before) {
    }

    /**
     * The verdict of a replay.
     *
     * @param eventsChecked ring events replayed
     * @param coverage      how often each spec action was taken
     * @param divergence    the first divergence, or null
     * @param unanswered    channels that ended with requests unanswered (k -> count)
     * @param partial       the trace has no run.end: the result covers what was there
     */
    public record Result(int eventsChecked, Map<RingAction, Integer> coverage, Divergence divergence,
                         Map<Integer, Integer> unanswered, boolean partial, Map<Integer, RingState> finals) {
        public boolean conforms() {
            return divergence == null && unanswered.isEmpty();
        }
    }

    private RingReplay() {
    }

    public static Result replay(Trace trace) {
        Map<Integer, Integer> writes = new HashMap<>();
        for (TraceEvent e : trace.events()) {
            if (e.name().equals("vmm.write_request") && e.has("iopm"))
                writes.merge((int) e.get("iopm"), 1, Integer::sum);
        }
        Map<Integer, Ring> rings = new HashMap<>();
        Map<Integer, RingState> states = new HashMap<>();
        Map<RingAction, Integer> coverage = new EnumMap<>(RingAction.class);
        int checked = 0;
        for (TraceEvent e : trace.events()) {
            RingAction a = RingAction.fromEvent(e.name());
            if (a == null) {
                if (e.name().startsWith("vmm.") || e.name().startsWith("iopm.")) {
                    // Steps of the other protocols share the vmm./iopm. families.
                    boolean otherProtocol = IrqAction.fromEvent(e.name()) != null
                            || BootAction.fromEvent(e.name()) != null;
                    if (!e.name().equals("iopm.ready") && !otherProtocol)
                        return new Result(checked, coverage, new Divergence(e, "a known event (" + e.name()
                                + " is not an action of CoopRing nor a run event)", null), Map.of(), false, states);
                }
                continue;
            }
            int k = (int) e.get("iopm");
            Ring ring = rings.computeIfAbsent(k, x -> new Ring(new RingConfig(trace.ringSlots(), RingConfig.U32,
                    Math.max(1, writes.getOrDefault(x, 0)), true)));
            RingState s = states.computeIfAbsent(k, x -> RingState.init(ring.config()));
            String why = mismatch(ring, a, e, s);
            if (why != null) return new Result(checked, coverage, new Divergence(e, why, s), Map.of(), false, states);
            RingState t = step(ring, a, e, s);
            List<String> broken = new RingInvariants(ring.config()).violated(t);
            if (!broken.isEmpty())
                return new Result(checked, coverage, new Divergence(e, "invariants hold after it, but "
                        + String.join(", ", broken) + " is violated", s), Map.of(), false, states);
            states.put(k, t);
            coverage.merge(a, 1, Integer::sum);
            checked++;
        }
        TraceEvent end = trace.end();
        Map<Integer, Integer> unanswered = new HashMap<>();
        java.util.Set<Integer> failedOver = new java.util.HashSet<>();
        for (TraceEvent e : trace.events())
            if (e.name().equals("vmm.detect_failure") && e.has("iopm")) failedOver.add((int) e.get("iopm"));
        if (end != null) {
            for (var en : states.entrySet()) {
                RingState s = en.getValue();
                int open = s.nextId() - 1 - s.rspGot().size();
                if (s.iopmTrusted() && open > 0 && !failedOver.contains(en.getKey()))
                    unanswered.put(en.getKey(), open);
            }
        }
        return new Result(checked, coverage, null, unanswered, end == null, states);
    }

    private static RingState step(Ring ring, RingAction a, TraceEvent e, RingState s) {
        Optional<RingState> t = a == RingAction.IOPM_PUBLISH_BOGUS
                ? ring.iopmPublishBogus(s, e.get("prod")) : ring.take(a, s);
        return t.orElseThrow();
    }

    /** Why the model cannot take {@code e} in {@code s}, or null if it can with the same effect. */
    private static String mismatch(Ring ring, RingAction a, TraceEvent e, RingState s) {
        RingConfig c = ring.config();
        Optional<RingState> next = a == RingAction.IOPM_PUBLISH_BOGUS
                ? ring.iopmPublishBogus(s, e.get("prod")) : ring.take(a, s);
        if (next.isEmpty()) return a.tla() + " enabled; it is not in this state (" + enabledOf(ring, s) + ")";
        RingState t = next.get();
        List<String> bad = new ArrayList<>();
        switch (a) {
            case VMM_WRITE_REQUEST -> {
                same(bad, "id", e, s.nextId());
                same(bad, "pvt", e, t.reqPvt());
            }
            case VMM_PUBLISH_REQUESTS -> {
                same(bad, "prod", e, t.reqProd());
                same(bad, "notify", e, c.needNotify(s.reqProd(), s.reqPvt(), s.reqEvent()) ? 1 : 0);
            }
            case VMM_CONSUME_RESPONSE -> {
                same(bad, "id", e, t.rspGot().get(t.rspGot().size() - 1));
                same(bad, "cons", e, t.rspCons());
            }
            case VMM_DECLARE_IOPM_BROKEN -> same(bad, "prod", e, s.rspProd());
            case VMM_PREPARE_SLEEP -> same(bad, "event", e, t.rspEvent());
            case VMM_FINAL_CHECK -> same(bad, "sleep", e, t.vmmPc() == Pc.SLEEP ? 1 : 0);
            case IOPM_CONSUME -> {
                same(bad, "id", e, t.reqGot().get(t.reqGot().size() - 1));
                same(bad, "cons", e, t.reqCons());
            }
            case IOPM_WRITE_RESPONSE -> {
                same(bad, "id", e, s.pending().get(0));
                same(bad, "pvt", e, t.rspPvt());
            }
            case IOPM_PUBLISH_RESPONSES -> {
                same(bad, "prod", e, t.rspProd());
                same(bad, "notify", e, c.needNotify(s.rspProd(), s.rspPvt(), s.rspEvent()) ? 1 : 0);
            }
            case IOPM_PREPARE_SLEEP -> same(bad, "event", e, t.reqEvent());
            case IOPM_FINAL_CHECK -> same(bad, "sleep", e, t.iopmPc() == Pc.SLEEP ? 1 : 0);
            default -> {
            }
        }
        return bad.isEmpty() ? null : String.join("; ", bad);
    }

    private static void same(List<String> bad, String key, TraceEvent e, long want) {
        if (!e.has(key)) {
            bad.add("field " + key + "=" + want + " (missing)");
        } else if (e.get(key) != want) {
            bad.add(key + "=" + want + " (trace says " + key + "=" + e.get(key) + ")");
        }
    }

    private static String enabledOf(Ring ring, RingState s) {
        List<String> names = new ArrayList<>();
        for (Ring.Step st : ring.successors(s)) if (!names.contains(st.action().tla())) names.add(st.action().tla());
        return names.isEmpty() ? "nothing is enabled" : "enabled: " + String.join(", ", names);
    }
}
