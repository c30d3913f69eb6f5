package coopvmm.model;

import java.util.ArrayList;
import java.util.List;

/**
 * TLA+'s sequence operators on immutable-by-convention lists, for the models whose short
 * sequences are copied per step (the routing queues, the TSO store buffers); the ring's
 * long histories use {@link History} instead.
 */
public final class Seqs {

    private Seqs() {
    }

    /** {@code Append(s, x)}. */
    public static <T> List<T> append(List<T> s, T x) {
        List<T> r = new ArrayList<>(s.size() + 1);
        r.addAll(s);
        r.add(x);
        return r;
    }

    /** {@code Tail(s)}. */
    public static <T> List<T> tail(List<T> s) {
        return s.subList(1, s.size());
    }
}
