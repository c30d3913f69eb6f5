package coopvmm.conformance.agreement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reading the TLA+ values of a TLC state (as {@code coopvmm.conformance.tla.TlaValues} parses
 * them) into the plain values a Java model state is made of: one place for what every
 * {@link SpecModel} of sequence-shaped state needs.
 */
final class TlaState {

    private TlaState() {
    }

    /** Variable {@code name} of a state of {@code spec}; a missing one is a bug. */
    static Object get(Map<String, Object> vars, String spec, String name) {
        Object o = vars.get(name);
        if (o == null) throw new IllegalArgumentException(spec + " state without variable " + name);
        return o;
    }

    /** Field {@code name} of a record. */
    static Object field(Object rec, String name) {
        if (!(rec instanceof Map<?, ?> m) || !m.containsKey(name))
            throw new IllegalArgumentException("not a record with field " + name + ": " + rec);
        return m.get(name);
    }

    static int num(Object o) {
        return ((Long) o).intValue();
    }

    /** A function with domain 1..n (or a sequence): TLC prints {@code <<a, b>>}, parsed as a List. */
    static List<?> list(Object o) {
        if (o instanceof List<?> l) return l;
        throw new IllegalArgumentException("not a sequence: " + o);
    }

    static List<Integer> ints(Object o) {
        return seqOf(o, TlaState::num);
    }

    static List<Boolean> bools(Object o) {
        return seqOf(o, x -> (Boolean) x);
    }

    static <T> List<T> seqOf(Object o, Function<Object, T> f) {
        List<T> out = new ArrayList<>();
        for (Object x : list(o)) out.add(f.apply(x));
        return out;
    }
}
