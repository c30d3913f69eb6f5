package coopvmm.model;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable sequence of ints with an O(1) amortised {@link #append} and an O(1)
 * {@link #tail}: the shape of a TLA+ history variable ({@code rspGot' = Append(rspGot, id)})
 * or queue ({@code pending' = Tail(pending)}) that a trace replay changes once per event.
 * Versions share one growing array and see only their own window {@code [from, to)} of it:
 * appending to the newest version writes in place; appending to an older one (a model checker
 * branching) shares the next element when a sibling appended the same, else copies its window. No append changes what an existing version sees, so each is a
 * value. Equal to any {@link List} with the same elements.
 */
public final class History extends AbstractList<Integer> implements RandomAccess {

    private static final History EMPTY = new History(new Buffer(new int[0]), 0, 0);

    /** The array the versions share, and how much of it some version owns. */
    private static final class Buffer {
        int[] data;
        int used;

        Buffer(int[] data) {
            this.data = data;
        }
    }

    private final Buffer buf;
    private final int from, to;

    private History(Buffer buf, int from, int to) {
        this.buf = buf;
        this.from = from;
        this.to = to;
    }

    public static History empty() {
        return EMPTY;
    }

    /** The same elements as a History: itself if it is one already, else a copy. */
    public static History of(Collection<Integer> xs) {
        if (xs instanceof History h) return h;
        int[] d = new int[Math.max(4, xs.size())];
        int i = 0;
        for (int x : xs) d[i++] = x;
        Buffer b = new Buffer(d);
        b.used = i;
        return new History(b, 0, i);
    }

    /** This sequence with {@code x} at its end. */
    public History append(int x) {
        synchronized (buf) {
            if (to == buf.used) {
                if (to == buf.data.length) buf.data = Arrays.copyOf(buf.data, Math.max(4, to * 2));
                buf.data[to] = x;
                buf.used = to + 1;
                return new History(buf, from, to + 1);
            }
            // a sibling (another successor of the same state) appended the same element: share it
            if (buf.data[to] == x) return new History(buf, from, to + 1);
        }
        int n = size();
        int[] d = Arrays.copyOf(window(), Math.max(4, n * 2));
        d[n] = x;
        Buffer b = new Buffer(d);
        b.used = n + 1;
        return new History(b, 0, n + 1);
    }

    /** This sequence without its first element ({@code Tail}); it must not be empty. */
    public History tail() {
        if (from == to) throw new IllegalStateException("Tail of an empty sequence");
        return new History(buf, from + 1, to);
    }

    /** This is {@code prev} with one element appended by {@link #append} (O(1); false also when merely equal). */
    public boolean isAppendOf(History prev) {
        return buf == prev.buf && from == prev.from && to == prev.to + 1;
    }

    /** This is {@link #tail} of {@code prev} (O(1)). */
    public boolean isTailOf(History prev) {
        return buf == prev.buf && from == prev.from + 1 && to == prev.to;
    }

    /** The last element; the sequence must not be empty. */
    public int last() {
        return getInt(size() - 1);
    }

    public int getInt(int i) {
        if (i < 0 || i >= size()) throw new IndexOutOfBoundsException(i + " of " + size());
        synchronized (buf) {
            return buf.data[from + i];
        }
    }

    private int[] window() {
        synchronized (buf) {
            return Arrays.copyOfRange(buf.data, from, to);
        }
    }

    @Override
    public Integer get(int i) {
        return getInt(i);
    }

    @Override
    public int size() {
        return to - from;
    }
}
