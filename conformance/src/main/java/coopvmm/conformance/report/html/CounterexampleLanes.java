package coopvmm.conformance.report.html;

import coopvmm.conformance.report.html.LaneDiagram.Arrow;
import coopvmm.conformance.report.html.LaneDiagram.Row;
import coopvmm.conformance.report.html.StateDiff.Change;
import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcResult.TraceStep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A TLC counterexample as a {@link LaneDiagram}. The lane of a step is read from its action's
 * name, as the specs name them (side first): {@code Vmm*} on the VMM's lane, {@code Iopm*} and
 * {@code Ap*} on an IOPM's, {@code FlushVmm}/{@code FlushIopm} (a store buffer draining) on
 * that CPU's, anything else ({@code DeviceRaise}, {@code ClockTick}) on the environment's; a
 * mutant's {@code Buggy} prefix is not part of the side. With several IOPMs (IrqRouting's
 * {@code NIopm}, BootHandoff's {@code NumAPs}) TLC does not print an action's parameter: the
 * IOPM is the index the step changed in the variables indexed by IOPM.
 */
public final class CounterexampleLanes {

    public static final String VMM = "VMM", ENV = "environment";

    /** The constants that count IOPMs (or APs), by spec. */
    private static final List<String> COUNT_CONSTANTS = List.of("NIopm", "NumIopm", "NumIopms", "NumAPs", "NumAps");

    /**
     * Variables that carry a notification to another side, beyond those named {@code *ipi*}
     * (IPIs, SIPIs): IrqRouting's pending lists (a routed interrupt and its IPI) and the clock
     * tick an IOPM takes.
     */
    private static final Set<String> NOTIFY_VARS = Set.of("pend", "tickIopm");

    private CounterexampleLanes() {
    }

    /** The diagram and, per step, what it changed (the same diff the page's table shows). */
    public record Result(LaneDiagram diagram, List<List<Change>> changes, List<Map<String, Object>> states) {
    }

    public static Result of(String id, String title, TlcResult r, Map<String, String> constants) {
        List<TraceStep> steps = r.trace();
        List<Map<String, Object>> states = new ArrayList<>();
        List<List<Change>> changes = new ArrayList<>();
        Map<String, Object> prev = Map.of();
        for (TraceStep s : steps) {
            // A state TLC printed partly (a variable missing) keeps the values it had.
            Map<String, Object> st = new LinkedHashMap<>(prev);
            st.putAll(StateDiff.parse(s.vars()));
            changes.add(states.isEmpty() ? List.of() : StateDiff.changes(prev, st));
            states.add(st);
            prev = st;
        }
        int n = iopms(constants);
        String side = constants.containsKey("NumAPs") || constants.containsKey("NumAps") ? "AP" : "IOPM";
        Set<String> indexed = states.isEmpty() ? Set.of() : indexedVars(states.get(0), n);

        // Each step's side and IOPM (0: the one IOPM of a ring spec, or not known).
        String[] kind = new String[steps.size()];
        int[] iopm = new int[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            String a = sideOf(steps.get(i).action());
            kind[i] = i == 0 && "Init".equals(steps.get(i).action()) ? "init" : a;
            if (a.equals("iopm") && n > 1) iopm[i] = vote(changes.get(i), indexed, n);
        }
        Map<String, Integer> laneIndex = new LinkedHashMap<>();
        List<String> lanes = new ArrayList<>();
        boolean anyVmm = false, anyIopm = false, anyEnv = false;
        for (String k : kind) {
            anyVmm |= k.equals("vmm");
            anyIopm |= k.equals("iopm");
            anyEnv |= k.equals("env");
        }
        if (anyVmm || (!anyIopm && !anyEnv)) lanes.add(VMM);
        // Every IOPM of a spec that counts them, stepping or not: a SIPI or a routed interrupt
        // may go to one that never steps in the counterexample.
        if (anyIopm || (n > 1 && !indexed.isEmpty())) {
            if (n > 1) {
                for (int k = 1; k <= n; k++) lanes.add(side + " " + k);
                boolean unknown = false;
                for (int i = 0; i < kind.length; i++) unknown |= kind[i].equals("iopm") && iopm[i] == 0;
                if (unknown) lanes.add(side + " (which not known)");
            } else lanes.add(side);
        }
        if (anyEnv) lanes.add(ENV);
        for (int l = 0; l < lanes.size(); l++) laneIndex.put(lanes.get(l), l);

        int[] lane = new int[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            lane[i] = switch (kind[i]) {
                case "init" -> -1;
                case "vmm" -> laneIndex.get(VMM);
                case "iopm" -> n > 1 ? laneIndex.get(iopm[i] == 0 ? side + " (which not known)" : side + " " + iopm[i])
                        : laneIndex.get(side);
                default -> laneIndex.getOrDefault(ENV, 0);
            };
        }

        List<Row> rows = new ArrayList<>();
        boolean safety = r.verdict() != TlcResult.Verdict.LIVENESS_VIOLATED;
        for (int i = 0; i < steps.size(); i++) {
            TraceStep s = steps.get(i);
            List<String> cls = new ArrayList<>();
            if (i == steps.size() - 1 && safety && r.verdict().isViolation()) cls.add("violation");
            Map<String, String> data = new LinkedHashMap<>();
            data.put("step", Integer.toString(s.number()));
            data.put("action", String.valueOf(s.action()));
            rows.add(new Row(Integer.toString(s.number()), lane[i], String.valueOf(s.action()),
                    s.number() + ". " + s.action() + tooltip(changes.get(i)), cls, data));
        }
        List<Arrow> arrows = arrows(changes, lane, kind, laneIndex, lanes, indexed, n, side, states);
        int loop = r.loopTo() > 0 ? r.loopTo() - 1 : -1;
        return new Result(new LaneDiagram(id, title, lanes, rows, arrows, loop), changes, states);
    }

    /** vmm, iopm (or AP), or env, from the action's name. */
    static String sideOf(String action) {
        if (action == null) return "env";
        String a = action.startsWith("Buggy") ? action.substring(5) : action;
        if (a.startsWith("Flush")) a = a.substring(5);
        if (a.startsWith("Vmm")) return "vmm";
        if (a.startsWith("Iopm") || a.startsWith("Ap")) return "iopm";
        return "env";
    }

    static int iopms(Map<String, String> constants) {
        for (String c : COUNT_CONSTANTS) {
            String v = constants.get(c);
            if (v != null && v.strip().matches("\\d+")) return Integer.parseInt(v.strip());
        }
        return 0;
    }

    /** Variables that are functions on 1..n in the initial state: by IOPM (or AP), as far as can be told. */
    static Set<String> indexedVars(Map<String, Object> init, int n) {
        Set<String> out = new LinkedHashSet<>();
        if (n < 1) return out;
        init.forEach((k, v) -> {
            if (v instanceof List<?> l && l.size() == n) out.add(k);
        });
        return out;
    }

    /** The IOPM a step is about: the index it changed most in the IOPM-indexed variables; 0 if none. */
    static int vote(List<Change> changes, Set<String> indexed, int n) {
        Map<Integer, Integer> votes = new TreeMap<>();
        for (Change c : changes) {
            if (!indexed.contains(c.var()) || c.keys().isEmpty() || !(c.keys().get(0) instanceof Long k)) continue;
            if (k >= 1 && k <= n) votes.merge(k.intValue(), 1, Integer::sum);
        }
        int best = 0, most = 0;
        for (var e : votes.entrySet()) if (e.getValue() > most) {
            best = e.getKey();
            most = e.getValue();
        }
        return best;
    }

    private static List<Arrow> arrows(List<List<Change>> changes, int[] lane, String[] kind, Map<String, Integer> laneIndex,
                                      List<String> lanes, Set<String> indexed, int n, String side,
                                      List<Map<String, Object>> states) {
        List<Arrow> out = new ArrayList<>();
        for (int i = 1; i < changes.size(); i++) {
            if (lane[i] < 0) continue;
            Set<String> seen = new LinkedHashSet<>();
            for (Change c : changes.get(i)) {
                if (!notifies(c.var()) || !raised(c)) continue;
                Object key = c.keys().isEmpty() ? null : c.keys().get(0);
                if (!seen.add(c.var() + "/" + key)) continue;
                Integer to = target(c, key, kind[i], laneIndex, indexed, n, side);
                if (to == null || to == lane[i]) continue;
                int taken = takenAt(changes, lane, i, to, c.var(), key, states.get(i).get(c.var()));
                String label = key == null ? c.var() : c.var() + "[" + TlaText.show(key) + "]";
                out.add(new Arrow(i, taken, to, label));
            }
        }
        return out;
    }

    static boolean notifies(String var) {
        return var.toLowerCase().contains("ipi") || NOTIFY_VARS.contains(var);
    }

    /** Set, counted up or appended to: a notification sent (clearing one is taking it). */
    static boolean raised(Change c) {
        Object a = c.before(), b = c.after();
        if (b instanceof Boolean nb) return nb && !Boolean.TRUE.equals(a);
        if (b instanceof Long nb) return !(a instanceof Long na) || nb > na;
        if (b instanceof List<?> lb) return !(a instanceof List<?> la) || lb.size() > la.size();
        return a == null && b != null;
    }

    private static boolean fell(Change c) {
        Object a = c.before(), b = c.after();
        if (a instanceof Boolean na) return na && !Boolean.TRUE.equals(b);
        if (a instanceof Long na) return b instanceof Long nb && nb < na;
        if (a instanceof List<?> la) return !(b instanceof List<?> lb) || lb.size() < la.size();
        return b == null;
    }

    private static Integer target(Change c, Object key, String actor, Map<String, Integer> laneIndex, Set<String> indexed,
                                  int n, String side) {
        if (key instanceof Long k && indexed.contains(c.var()) && k >= 1 && k <= n) {
            // An IOPM's entry written by the IOPM itself is its message to the VMM (BootHandoff's ready IPI).
            return actor.equals("iopm") ? laneIndex.get(VMM) : laneIndex.get(side + " " + k);
        }
        String v = c.var();
        if (v.endsWith("Vmm")) return laneIndex.get(VMM);
        if (v.endsWith("Iopm") || v.endsWith("Ap")) return n > 1 ? null : laneIndex.get(side);
        return null;
    }

    /**
     * The step that took it: the first later step on the target lane that clears it (the same
     * variable and key); a counter that is never cleared (SIPIs sent) is taken by the target's
     * next step. -1: not taken in the counterexample.
     */
    private static int takenAt(List<List<Change>> changes, int[] lane, int from, int to, String var, Object key, Object value) {
        boolean counter = value instanceof Long || (key != null && value instanceof List<?> l
                && key instanceof Long k && k >= 1 && k <= l.size() && l.get((int) (k - 1)) instanceof Long);
        for (int j = from + 1; j < changes.size(); j++) {
            if (lane[j] != to) continue;
            if (counter) return j;
            for (Change c : changes.get(j)) {
                if (!c.var().equals(var)) continue;
                Object k = c.keys().isEmpty() ? null : c.keys().get(0);
                if (java.util.Objects.equals(k, key) && fell(c)) return j;
            }
        }
        return -1;
    }

    private static String tooltip(List<Change> cs) {
        if (cs.isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        for (Change c : cs) b.append("\n").append(c.path()).append(": ").append(Html.cut(c.beforeText(), 80)).append(" -> ")
                .append(Html.cut(c.afterText(), 80));
        return b.toString();
    }
}
