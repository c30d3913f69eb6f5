package coopvmm.conformance.order;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads-from: the write each read saw. A word (channel, name) has one writer CPU, whose values
 * never decrease (from the word's initial value on), so the writes of a word fall into
 * <em>runs</em> of equal values; a read names the run of the value it saw, and so its first
 * write (or the initial value, run of no write). Runs are numbered; for each access the run
 * it reads or, for the write that starts a run, the run it starts ({@link #run}, -1 for
 * barriers and for writes that repeat the run's value). From-read falls out: the reads of a
 * run come before the first write of the next run of the word ({@link #prev}), but for a
 * peer's reads of a consumer index, which may be late ({@link Words#lags}).
 *
 * <p>Errors (the first one found, {@link #error()}): a second writer CPU of a word (naming both);
 * a write below the last (or below the initial value); a read of a value no one wrote. But a
 * read of a value above the last write of a writer whose log was cut short (or of a word no
 * logged CPU writes, when some CPU is cut short or missing) is not an error: it is beyond the
 * cut. It reads a <em>virtual</em> run whose source is the end of the writer's log; the reading
 * CPU's records from that one on are not part of the order handed on ({@link #cut}), and the
 * result is partial. Time: one pass over the writes, one over the reads, a binary search each.
 */
public final class ReadsFrom {

    final V2Trace trace;
    /** Per CPU index, per access: the run read, or started (first write of a run), or -1. */
    final int[][] run;
    // per run
    int runs;
    int[] runWord, runPrev, srcCpu, needAcc, needEvent, reads;
    long[] runValue;
    boolean[] virtual;
    /** Per word: its writer's CPU index, or -1. */
    final int[] writer;
    /** Per CPU index: the first record beyond a cut (the CPU's record count if none). */
    final int[] cut;
    final List<String> partialReasons = new ArrayList<>();
    V2TraceException error;

    private ReadsFrom(V2Trace t) {
        this.trace = t;
        int c = t.cpuCount();
        run = new int[c][];
        cut = new int[c];
        writer = new int[t.words.size()];
        for (int i = 0; i < c; i++) {
            run[i] = new int[t.log(i).na];
            cut[i] = t.log(i).n;
        }
    }

    /** Computes reads-from for a trace (its records as read, even if the reader stopped at an error). */
    public static ReadsFrom of(V2Trace t) {
        ReadsFrom rf = new ReadsFrom(t);
        rf.compute();
        return rf;
    }

    public V2TraceException error() {
        return error;
    }

    public boolean partial() {
        return !partialReasons.isEmpty();
    }

    /** Why the order stops short of some CPU's end: reads beyond another CPU's cut. */
    public List<String> partialReasons() {
        return partialReasons;
    }

    /** The first record of the CPU at {@code cpuIndex} that is beyond a cut (its count if none). */
    public int cut(int cpuIndex) {
        return cut[cpuIndex];
    }

    /** Number of runs (initial ones included). */
    public int runs() {
        return runs;
    }

    /** A read of word {@code w} by the CPU at {@code cpuIndex} may be late: a peer's read of a consumer index ({@link Words#lags}), which orders no later write. */
    boolean late(int w, int cpuIndex) {
        return trace.words.lags(w) && writer[w] != cpuIndex;
    }

    /** For the read {@code a} of the CPU at {@code cpuIndex}: the CPU index of the write it saw, -1 for the initial value. */
    public int sourceCpu(int cpuIndex, int a) {
        return srcCpu[run[cpuIndex][a]];
    }

    /** For the read {@code a}: the access index of the write it saw (-1 for the initial value; the writer's access count beyond its cut). */
    public int sourceAccess(int cpuIndex, int a) {
        int r = run[cpuIndex][a];
        return srcCpu[r] < 0 ? -1 : virtual[r] ? needAcc[r] : needAcc[r] - 1;
    }

    /** Whether the read {@code a} saw a write beyond its writer's cut. */
    public boolean beyondCut(int cpuIndex, int a) {
        return virtual[run[cpuIndex][a]];
    }

    private void ensureRuns(int more) {
        if (runWord != null && runs + more <= runWord.length) return;
        int cap = Math.max(runWord == null ? 64 : runWord.length * 2, runs + more);
        runWord = runWord == null ? new int[cap] : Arrays.copyOf(runWord, cap);
        runPrev = runPrev == null ? new int[cap] : Arrays.copyOf(runPrev, cap);
        srcCpu = srcCpu == null ? new int[cap] : Arrays.copyOf(srcCpu, cap);
        needAcc = needAcc == null ? new int[cap] : Arrays.copyOf(needAcc, cap);
        needEvent = needEvent == null ? new int[cap] : Arrays.copyOf(needEvent, cap);
        reads = reads == null ? new int[cap] : Arrays.copyOf(reads, cap);
        runValue = runValue == null ? new long[cap] : Arrays.copyOf(runValue, cap);
        virtual = virtual == null ? new boolean[cap] : Arrays.copyOf(virtual, cap);
    }

    private int newRun(int w, int prev, int cpu, int acc1, int ev1, long value, boolean virt) {
        ensureRuns(1);
        int r = runs++;
        runWord[r] = w;
        runPrev[r] = prev;
        srcCpu[r] = cpu;
        needAcc[r] = acc1;
        needEvent[r] = ev1;
        runValue[r] = value;
        virtual[r] = virt;
        return r;
    }

    private static int writes(V2Trace t) {
        long n = 0;
        for (int c = 0; c < t.cpuCount(); c++) {
            CpuLog l = t.log(c);
            for (int a = 0; a < l.na; a++) if (l.kind[a] == Access.WRITE) n++;
        }
        return (int) Math.min(n, Integer.MAX_VALUE - 64);
    }

    private String writeAt(int c, int e, int a) {
        return "cpu " + trace.log(c).cpu + " seq " + e + " " + trace.eventName(c, e) + " " + trace.access(c, a)
                + " (" + trace.where(c, e) + ")";
    }

    private void compute() {
        V2Trace t = trace;
        Words words = t.words;
        int nw = words.size();
        ensureRuns(2 * nw + writes(t) + 16);    // a run per word, per write at most, a virtual one per word: no copies
        int[] current = new int[nw];
        int[] lastEvent = new int[nw], lastAcc = new int[nw];
        Arrays.fill(writer, -1);
        for (int w = 0; w < nw; w++) current[w] = newRun(w, -1, -1, 0, 0, words.initial(w), false);
        // writes: one writer, never decreasing; runs
        for (int c = 0; c < t.cpuCount(); c++) {
            CpuLog l = t.log(c);
            int[] rc = run[c];
            for (int e = 0; e < l.n; e++) {
                for (int a = l.accStart[e], end = l.accStart[e + 1]; a < end; a++) {
                    if (l.kind[a] != Access.WRITE) {
                        rc[a] = -1;
                        continue;
                    }
                    int w = l.word[a];
                    long v = l.value[a];
                    if (writer[w] < 0) writer[w] = c;
                    else if (writer[w] != c) {
                        error = t.errorAt(c, e, trace.access(c, a) + ": a second writer of " + words.display(w)
                                + ": " + writeAt(writer[w], lastEvent[w], lastAcc[w]) + " writes it too");
                        return;
                    }
                    int cur = current[w];
                    int cmp = Long.compareUnsigned(v, runValue[cur]);
                    if (cmp < 0) {
                        error = t.errorAt(c, e, trace.access(c, a) + ": a write below the last of " + words.display(w)
                                + " (" + (srcCpu[cur] < 0 ? "its initial value " + Long.toUnsignedString(runValue[cur])
                                : Long.toUnsignedString(runValue[cur]) + ", " + writeAt(c, lastEvent[w], lastAcc[w])) + ")"
                                + ": a writer's values never decrease");
                        return;
                    }
                    rc[a] = cmp == 0 ? -1 : (current[w] = newRun(w, cur, c, a + 1, e + 1, v, false));
                    lastEvent[w] = e;
                    lastAcc[w] = a;
                }
            }
        }
        // per word, its runs in value order (a chain back from the current run)
        int real = runs;
        int[] start = new int[nw + 1];
        for (int r = 0; r < real; r++) start[runWord[r] + 1]++;
        for (int w = 0; w < nw; w++) start[w + 1] += start[w];
        int[] byWord = new int[real];
        for (int w = 0; w < nw; w++) {
            int i = start[w + 1];
            for (int r = current[w]; r >= 0; r = runPrev[r]) byWord[--i] = r;
        }
        int cutLogs = 0;
        for (int c = 0; c < t.cpuCount(); c++) if (!t.log(c).ended) cutLogs++;
        boolean missing = t.partialReasons.stream().anyMatch(s -> s.startsWith("the header says"));
        int[] virtualRun = new int[nw];
        Arrays.fill(virtualRun, -1);
        // reads
        int[] cursor = new int[nw];
        for (int c = 0; c < t.cpuCount(); c++) {
            CpuLog l = t.log(c);
            Arrays.fill(cursor, -1);
            int[] rc = run[c];
            for (int e = 0; e < l.n; e++) {
                for (int a = l.accStart[e], end = l.accStart[e + 1]; a < end; a++) {
                    if (l.kind[a] != Access.READ) continue;
                    int w = l.word[a];
                    long v = l.value[a];
                    int lo = start[w], hi = start[w + 1] - 1;
                    int found = -1;
                    // a reader's values of a word mostly stay or step forward: try where it was first
                    int at = cursor[w];
                    if (at >= lo && at <= hi) {
                        if (runValue[byWord[at]] == v) {
                            found = byWord[at];
                            lo = hi + 1;
                        } else if (at < hi && runValue[byWord[at + 1]] == v) {
                            found = byWord[at + 1];
                            cursor[w] = at + 1;
                            lo = hi + 1;
                        }
                    }
                    while (lo <= hi) {
                        int mid = (lo + hi) >>> 1;
                        int cmp = Long.compareUnsigned(runValue[byWord[mid]], v);
                        if (cmp == 0) {
                            found = byWord[mid];
                            cursor[w] = mid;
                            break;
                        }
                        if (cmp < 0) lo = mid + 1;
                        else hi = mid - 1;
                    }
                    if (found >= 0) {
                        rc[a] = found;
                        if (!late(w, c)) reads[found]++;
                        continue;
                    }
                    int wc = writer[w];
                    long last = runValue[current[w]];
                    boolean beyond = wc >= 0 ? !t.log(wc).ended && Long.compareUnsigned(v, last) > 0
                            : missing || cutLogs > (t.log(c).ended ? 0 : 1);
                    if (!beyond) {
                        error = t.errorAt(c, e, trace.access(c, a) + ": a value no one wrote to " + words.display(w)
                                + (wc < 0 ? " (no CPU writes it; it holds its initial value "
                                + Long.toUnsignedString(words.initial(w)) + ")"
                                : " (cpu " + t.log(wc).cpu + " wrote " + values(w, start, byWord) + ")"));
                        return;
                    }
                    if (virtualRun[w] < 0) {
                        virtualRun[w] = wc >= 0 ? newRun(w, -1, wc, t.log(wc).na, t.log(wc).n, v, true)
                                : newRun(w, -1, -1, 0, 0, v, true);
                    }
                    rc[a] = virtualRun[w];
                    if (e < cut[c]) {
                        cut[c] = e;
                        partialReasons.add(trace.describe(c, e) + " (" + trace.where(c, e) + ") read "
                                + trace.access(c, a).assignment() + ", beyond the end of "
                                + (wc >= 0 ? "cpu " + t.log(wc).cpu + "'s log, which was cut short (its last write of "
                                + words.display(w) + " is " + Long.toUnsignedString(last) + ")"
                                : "the logs (no logged CPU writes " + words.display(w) + ")")
                                + (e == 0 ? ": no record of cpu " + l.cpu + " is ordered"
                                : ": cpu " + l.cpu + " is ordered up to its seq " + (e - 1)));
                    }
                }
            }
        }
    }

    private String values(int w, int[] start, int[] byWord) {
        int n = start[w + 1] - start[w];
        StringBuilder b = new StringBuilder();
        int from = start[w] + 1;                   // skip the initial run
        if (n - 1 <= 6) {
            for (int i = from; i < start[w + 1]; i++) b.append(i > from ? ", " : "").append(Long.toUnsignedString(runValue[byWord[i]]));
        } else {
            for (int i = from; i < from + 3; i++) b.append(i > from ? ", " : "").append(Long.toUnsignedString(runValue[byWord[i]]));
            b.append(", ..., ").append(Long.toUnsignedString(runValue[byWord[start[w + 1] - 1]]));
        }
        return b.length() == 0 ? "nothing to it" : b.toString();
    }
}
