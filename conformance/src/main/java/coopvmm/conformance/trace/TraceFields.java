package coopvmm.conformance.trace;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The {@code key=value} fields of one event: two small arrays in trace order, immutable. An
 * event has at most a handful of fields, so a scan beats hashing; the keys are interned by
 * the parser, so a scan mostly compares references. Values are never negative (the format
 * has digits only), which lets {@link #find} say "missing" with -1.
 */
final class TraceFields extends AbstractMap<String, Long> {

    static final TraceFields NONE = new TraceFields(new String[0], new long[0], 0);

    private final String[] keys;
    private final long[] values;
    private final int size;

    TraceFields(String[] keys, long[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    /** The same fields as a TraceFields: itself if it is one already, else a copy. */
    static TraceFields of(Map<String, Long> m) {
        if (m instanceof TraceFields f) return f;
        String[] k = new String[m.size()];
        long[] v = new long[m.size()];
        int i = 0;
        for (var e : m.entrySet()) {
            if (e.getValue() < 0) throw new IllegalArgumentException("field " + e.getKey() + " is negative");
            k[i] = e.getKey();
            v[i++] = e.getValue();
        }
        return new TraceFields(k, v, i);
    }

    /** The value of {@code key}, or -1 when the event has no such field. */
    long find(String key) {
        for (int i = 0; i < size; i++) if (keys[i].equals(key)) return values[i];   // interned: equals' own == first
        return -1;
    }

    @Override
    public Long get(Object key) {
        if (!(key instanceof String k)) return null;
        long v = find(k);
        return v < 0 ? null : v;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String k && find(k) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Long>> iterator() {
                return new Iterator<>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return i < size;
                    }

                    @Override
                    public Entry<String, Long> next() {
                        if (i >= size) throw new NoSuchElementException();
                        Entry<String, Long> e = new SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
