package coopvmm.conformance.order;

import java.util.Arrays;

/**
 * A total order of the items (accesses or records) of several CPUs that keeps each CPU's
 * program order, as runs: "cpu A's next k items, then cpu B's next m, ...". Compact (a run
 * per CPU switch, and the merge switches only when blocked) and cheap to walk.
 */
public final class Interleaving {

    /** Visits one item: the CPU's LAPIC id, the CPU's index in the trace, the item's index in that CPU's log. */
    public interface Visitor {
        void visit(int cpu, int cpuIndex, int index);
    }

    private final int[] cpuIds;
    private int[] runCpu = new int[16], runLen = new int[16];
    private int runs;
    private long size;

    Interleaving(int[] cpuIds) {
        this.cpuIds = cpuIds;
    }

    void add(int cpuIndex, int count) {
        if (count <= 0) return;
        size += count;
        if (runs > 0 && runCpu[runs - 1] == cpuIndex) {
            runLen[runs - 1] += count;
            return;
        }
        if (runs == runCpu.length) {
            runCpu = Arrays.copyOf(runCpu, runs * 2);
            runLen = Arrays.copyOf(runLen, runs * 2);
        }
        runCpu[runs] = cpuIndex;
        runLen[runs++] = count;
    }

    /** Items in the order. */
    public long size() {
        return size;
    }

    /** CPU switches + 1. */
    public int runs() {
        return runs;
    }

    public int runCpuIndex(int i) {
        return runCpu[i];
    }

    public int runLength(int i) {
        return runLen[i];
    }

    public void forEach(Visitor v) {
        int[] next = new int[cpuIds.length];
        for (int r = 0; r < runs; r++) {
            int c = runCpu[r];
            for (int k = 0; k < runLen[r]; k++) v.visit(cpuIds[c], c, next[c]++);
        }
    }

    /** The order as pairs {@code [cpu0, index0, cpu1, index1, ...]} (LAPIC ids; for small traces). */
    public int[] toPairs() {
        if (size > Integer.MAX_VALUE / 2) throw new IllegalStateException("too large for an array: walk it with forEach");
        int[] out = new int[(int) size * 2];
        int[] at = {0};
        forEach((cpu, ci, i) -> {
            out[at[0]++] = cpu;
            out[at[0]++] = i;
        });
        return out;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < Math.min(runs, 20); r++) b.append(r > 0 ? " " : "").append("cpu").append(cpuIds[runCpu[r]]).append('x').append(runLen[r]);
        return b.append(runs > 20 ? " ..." : "").toString();
    }
}
