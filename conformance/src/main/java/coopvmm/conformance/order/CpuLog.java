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
    int[] name, channel, line;
    short[] file;
    int[] fieldStart, accStart;
    int nf;
    int[] fieldKey;
    long[] fieldVal;
    int na;
    byte[] kind;
    int[] word;
    long[] value;
    long[] tscStart, tscEnd;    // allocated at the first box
    boolean[] hasTsc;
    boolean ended;
    int endLine;
    short endFile;

    CpuLog(int cpu) {
        this(cpu, 64);
    }

    /**
     * With room for {@code events} records (and three fields and three accesses each) before
     * the first copy: the reader sizes a log from its file's length, as growing 1M-record
     * arrays by copies costs more than the parse (and the garbage they leave).
     */
    CpuLog(int cpu, int events) {
        this.cpu = cpu;
        int c = Math.max(64, events);
        name = new int[c];
        channel = new int[c];
        line = new int[c];
        file = new short[c];
        fieldStart = new int[c + 1];
        accStart = new int[c + 1];
        fieldKey = new int[3 * c];
        fieldVal = new long[3 * c];
        kind = new byte[3 * c];
        word = new int[3 * c];
        value = new long[3 * c];
    }

    /** The next capacity: half as much again (a size estimate that was short is short by little). */
    private static int grown(int c, int need) {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, c + (c >> 1) + 16L));
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
        int c = grown(name.length, n + 2);
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
        int c = grown(fieldKey.length, nf + more);
        fieldKey = Arrays.copyOf(fieldKey, c);
        fieldVal = Arrays.copyOf(fieldVal, c);
    }

    void ensureAccesses(int more) {
        if (na + more <= kind.length) return;
        int c = grown(kind.length, na + more);
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
