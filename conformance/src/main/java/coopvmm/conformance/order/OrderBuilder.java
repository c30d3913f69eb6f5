package coopvmm.conformance.order;

/**
 * An order of all accesses consistent with po (each CPU's program order), rf (a write before
 * the reads that saw it) and fr (a read before the next write, of another value, of its word),
 * or the state in which none can go on. No edge list: a multi-pointer merge over the CPUs. An
 * access is ready when it is a barrier or a write repeating its run's value; a read, when the
 * write it saw is executed (the writer's pointer is past it); the first write of a run, when
 * every read of the word's previous run is executed (a counter per run). Each CPU runs while
 * its next access is ready; a round over all CPUs without progress means every CPU's next
 * access waits on another's: a cycle ({@link CycleFinder}). This is Kahn's topological sort
 * with the readiness test in place of in-degrees: it never blocks on an acyclic graph, and
 * each access is tried at most once per round in which something moved: linear time.
 */
public final class OrderBuilder {

    /** The order, or where it stuck: each CPU's next access, and the reads still due per run. */
    public record Result(Interleaving order, int[] heads, int[] pending, boolean ok) {}

    private OrderBuilder() {}

    public static Result build(V2Trace t, ReadsFrom rf) {
        int nc = t.cpuCount();
        int[] head = new int[nc];
        int[] pend = java.util.Arrays.copyOf(rf.reads, rf.runs);
        int[] srcCpu = rf.srcCpu, need = rf.needAcc, prev = rf.runPrev;
        Interleaving order = new Interleaving(t.cpuIds());
        int left = nc;
        for (int c = 0; c < nc; c++) if (t.log(c).na == 0) left--;
        while (left > 0) {
            boolean moved = false;
            for (int c = 0; c < nc; c++) {
                CpuLog l = t.log(c);
                int h = head[c], n = l.na, from = h;
                if (h == n) continue;
                byte[] kind = l.kind;
                int[] run = rf.run[c];
                while (h < n) {
                    int r = run[h];
                    byte k = kind[h];
                    if (k == Access.READ) {
                        int s = srcCpu[r];
                        if (s >= 0 && (s == c ? h : head[s]) < need[r]) break;
                        pend[r]--;
                    } else if (k == Access.WRITE && r >= 0) {
                        if (pend[prev[r]] > 0) break;   // below 0: late reads (Words.lags), not counted
                    }
                    h++;
                    head[c] = h;
                }
                if (h > from) {
                    moved = true;
                    order.add(c, h - from);
                    if (h == n) left--;
                }
            }
            if (!moved) return new Result(order, head, pend, false);
        }
        return new Result(order, head, pend, true);
    }
}
