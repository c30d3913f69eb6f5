package coopvmm.model.ring;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A ring's data area as the spec has it ({@code reqRing}, {@code rspRing}: slot -> id, 0 never
 * written), immutable: {@link #with} gives a copy with one slot written. Its N ints are
 * copied whole, N being the ring's fixed size: cheaper than a list of boxed ids, and what a
 * trace replay does once per write. Equal to any {@link List} with the same elements.
 */
public final class Slots extends AbstractList<Integer> implements RandomAccess {

    private final int[] ids;

    private Slots(int[] ids) {
        this.ids = ids;
    }

    /** {@code n} slots never written. */
    public static Slots empty(int n) {
        return new Slots(new int[n]);
    }

    /** The same ids as Slots: itself if it is already, else a copy (null ids refused). */
    public static Slots of(List<Integer> xs) {
        if (xs instanceof Slots s) return s;
        int[] d = new int[xs.size()];
        for (int i = 0; i < d.length; i++) d[i] = xs.get(i);
        return new Slots(d);
    }

    /** These slots with slot {@code i} holding {@code id}. */
    public Slots with(int i, int id) {
        int[] d = Arrays.copyOf(ids, ids.length);
        d[i] = id;
        return new Slots(d);
    }

    public int getInt(int i) {
        return ids[i];
    }

    @Override
    public Integer get(int i) {
        return ids[i];
    }

    @Override
    public int size() {
        return ids.length;
    }
}
