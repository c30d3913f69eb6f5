package coopvmm.conformance.report.html;

import coopvmm.conformance.tla.TlaValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one step of a counterexample changed, down to the record field or function key:
 * {@code mem[10]: 0 -> 1}, {@code handoff[1].entry: 0 -> 7}, not two whole values side by side.
 */
public final class StateDiff {

    /**
     * One changed place.
     *
     * @param var    the variable
     * @param path   the variable and the keys into it, as TLA+ writes them ({@code handoff[1].entry})
     * @param keys   the keys into the variable, outermost first (empty: the whole variable)
     * @param before its value before, null if it was not there
     * @param after  its value after, null if it is gone
     */
    public record Change(String var, String path, List<Object> keys, Object before, Object after) {
        public String beforeText() {
            return before == null ? "(none)" : TlaText.show(before);
        }

        public String afterText() {
            return after == null ? "(none)" : TlaText.show(after);
        }
    }

    private StateDiff() {
    }

    /**
     * A state as TLC printed it (variable to value text), parsed; a value the parser does not know
     * is kept as its text, so it still compares and prints.
     */
    public static Map<String, Object> parse(Map<String, String> vars) {
        Map<String, Object> out = new LinkedHashMap<>();
        vars.forEach((k, v) -> {
            Object x;
            try {
                x = TlaValues.parse(v);
            } catch (IllegalArgumentException e) {
                x = new Opaque(v);
            }
            out.put(k, x);
        });
        return out;
    }

    /** A value printed as TLC printed it (the parser could not read it). */
    record Opaque(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** Every place where {@code after} differs from {@code before}; a variable missing from {@code after} kept its value. */
    public static List<Change> changes(Map<String, Object> before, Map<String, Object> after) {
        List<Change> out = new ArrayList<>();
        for (var e : after.entrySet()) {
            Object b = before.get(e.getKey());
            if (!before.containsKey(e.getKey())) out.add(new Change(e.getKey(), e.getKey(), List.of(), null, e.getValue()));
            else diff(e.getKey(), e.getKey(), new ArrayList<>(), b, e.getValue(), out);
        }
        return out;
    }

    private static void diff(String var, String path, List<Object> keys, Object a, Object b, List<Change> out) {
        if (Objects.equals(a, b)) return;
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb && !ma.isEmpty() && !mb.isEmpty()) {
            Set<Object> ks = new LinkedHashSet<>(ma.keySet());
            ks.addAll(mb.keySet());
            boolean record = TlaText.isRecord(ma) && TlaText.isRecord(mb);
            for (Object k : ks) {
                String p = record ? path + "." + k : path + "[" + TlaText.show(k) + "]";
                keys.add(k);
                if (!ma.containsKey(k)) out.add(new Change(var, p, List.copyOf(keys), null, mb.get(k)));
                else if (!mb.containsKey(k)) out.add(new Change(var, p, List.copyOf(keys), ma.get(k), null));
                else diff(var, p, keys, ma.get(k), mb.get(k), out);
                keys.remove(keys.size() - 1);
            }
            return;
        }
        // A sequence (a function on 1..n): element by element while its length holds; one
        // that grows keeps its prefix, so only the new elements are said.
        if (a instanceof List<?> la && b instanceof List<?> lb
                && (la.size() == lb.size() || (lb.size() > la.size() && lb.subList(0, la.size()).equals(la)))) {
            for (int i = 0; i < lb.size(); i++) {
                keys.add((long) (i + 1));
                String p = path + "[" + (i + 1) + "]";
                if (i >= la.size()) out.add(new Change(var, p, List.copyOf(keys), null, lb.get(i)));
                else diff(var, p, keys, la.get(i), lb.get(i), out);
                keys.remove(keys.size() - 1);
            }
            return;
        }
        out.add(new Change(var, path, List.copyOf(keys), a, b));
    }
}
