package coopvmm.conformance.order;

import java.util.Arrays;

/**
 * One CPU's records, in primitive arrays (10M events fit): record {@code i} is the one with
 * {@code seq == i}; its fields are {@code [fieldStart[i], fieldStart[i+1])} of the field
 * arrays, its accesses {@code [accStart[i], accStart[i+1])} of the access arrays (kind, word
 * id of {@link Words} or -1 for a barrier, value). {@code log.end} is not a record here: it
 * sets {@link #ended()}.
 */
public final class CpuLog {

    final int cpu;
    int n;                      // records
    int[] name = new int[64], channel = new int[64], line = new int[64];
    short[] file = new short[64];
    int[] fieldStart = new int[65], accStart = new int[65];
    int nf;
    int[] fieldKey = new int[128];
    long[] fieldVal = new long[128];
    int na;
    byte[] kind = new byte[128];
    int[] word = new int[128];
    long[] value = new long[128];
    long[] tscStart, tscEnd;    // allocated at the first box
    boolean[] hasTsc;
    boolean ended;
    int endLine;
    short endFile;

    CpuLog(int cpu) {
        this.cpu = cpu;
    }

    /** The LAPIC id. */
    public int cpu() {
        return cpu;
    }

    /** Records (without {@code log.end}). */
    public int events() {
        return n;
    }

    public int accesses() {
        return na;
    }

    /** Whether the log ends with {@code log.end} (else it was cut short). */
    public boolean ended() {
        return ended;
    }

    public int accessStart(int event) {
        return accStart[event];
    }

    public int accessEnd(int event) {
        return accStart[event + 1];
    }

    /** The record that holds access {@code a}. */
    public int eventOf(int a) {
        int i = Arrays.binarySearch(accStart, 0, n + 1, a);
        if (i >= 0) {
            while (i < n && accStart[i + 1] == a) i++;   // skip records with no access
            return i;
        }
        return -i - 2;
    }

    void ensureEvent() {
        if (n + 1 < name.length) return;
        int c = name.length * 2;
        name = Arrays.copyOf(name, c);
        channel = Arrays.copyOf(channel, c);
        line = Arrays.copyOf(line, c);
        file = Arrays.copyOf(file, c);
        fieldStart = Arrays.copyOf(fieldStart, c + 1);
        accStart = Arrays.copyOf(accStart, c + 1);
        if (hasTsc != null) {
            tscStart = Arrays.copyOf(tscStart, c);
            tscEnd = Arrays.copyOf(tscEnd, c);
            hasTsc = Arrays.copyOf(hasTsc, c);
        }
    }

    void ensureFields(int more) {
        if (nf + more <= fieldKey.length) return;
        int c = Math.max(fieldKey.length * 2, nf + more);
        fieldKey = Arrays.copyOf(fieldKey, c);
        fieldVal = Arrays.copyOf(fieldVal, c);
    }

    void ensureAccesses(int more) {
        if (na + more <= kind.length) return;
        int c = Math.max(kind.length * 2, na + more);
        kind = Arrays.copyOf(kind, c);
        word = Arrays.copyOf(word, c);
        value = Arrays.copyOf(value, c);
    }

    void setTsc(int i, long a, long b) {
        if (hasTsc == null) {
            tscStart = new long[name.length];
            tscEnd = new long[name.length];
            hasTsc = new boolean[name.length];
        }
        tscStart[i] = a;
        tscEnd[i] = b;
        hasTsc[i] = true;
    }
}
