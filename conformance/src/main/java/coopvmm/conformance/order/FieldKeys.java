package coopvmm.conformance.order;

import java.util.Arrays;

/**
 * The field names of the records handed to the replay, as String arrays shared between records:
 * the records of one event mostly name the same fields in the same order, so each event keeps
 * the array of its last record and gives it again when the keys are the same symbols (a
 * comparison of a few ints, not an array of names looked up and filled per record). The arrays
 * are never changed once given out (a trace event takes its arrays as they are).
 */
final class FieldKeys {

    private final Symbols symbols;
    private int[][] lastSymbols = new int[64][];
    private String[][] lastNames = new String[64][];
    private String[][] lastBase = new String[64][], lastPlus = new String[64][];

    FieldKeys(Symbols symbols) {
        this.symbols = symbols;
    }

    /** The names of {@code keys[from, to)}, the fields of a record of event {@code event}. */
    String[] of(int event, int[] keys, int from, int to) {
        if (event >= lastSymbols.length) {
            int n = Math.max(lastSymbols.length * 2, event + 1);
            lastSymbols = Arrays.copyOf(lastSymbols, n);
            lastNames = Arrays.copyOf(lastNames, n);
            lastBase = Arrays.copyOf(lastBase, n);
            lastPlus = Arrays.copyOf(lastPlus, n);
        }
        int[] last = lastSymbols[event];
        if (last != null && Arrays.equals(last, 0, last.length, keys, from, to)) return lastNames[event];
        String[] names = new String[to - from];
        for (int j = from; j < to; j++) names[j - from] = symbols.name(keys[j]);
        lastSymbols[event] = Arrays.copyOfRange(keys, from, to);
        lastNames[event] = names;
        return names;
    }

    /** {@code base} (an array {@link #of} gave for {@code event}) and one more name, {@code extra}, shared as {@link #of}'s are. */
    String[] plus(int event, String[] base, String extra) {
        String[] p = lastPlus[event];
        if (lastBase[event] == base && p != null && p[p.length - 1].equals(extra)) return p;
        p = Arrays.copyOf(base, base.length + 1);
        p[base.length] = extra;
        lastBase[event] = base;
        lastPlus[event] = p;
        return p;
    }
}
