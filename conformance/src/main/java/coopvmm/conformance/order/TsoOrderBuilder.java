package coopvmm.conformance.order;

/**
 * {@link OrderBuilder} with x86-TSO's program order: a write may be ordered after a LATER read
 * of another word (it sits in the store buffer), unless a barrier ({@code mb}) lies between them;
 * write-write, read-read and read-write order is kept, and a read stays after the CPU's own
 * earlier writes of the same word (store forwarding; own words are not logged, so this is rare).
 * Each CPU has two pointers: its reads and barriers in order, its writes in order. A read is
 * ready when its source is executed (and its own earlier writes of that word are); a barrier
 * when every earlier write is; a write when every earlier read and barrier is and, first of its
 * run, when the previous run's reads are. Acyclicity of ppo + rf + fr, linear time.
 */
public final class TsoOrderBuilder {

    private TsoOrderBuilder() {}

    /** Whether an order exists under x86-TSO's program order. */
    public static boolean consistent(V2Trace t, ReadsFrom rf) {
        int nc = t.cpuCount();
        int[] rp = new int[nc], wp = new int[nc];
        int[] pend = java.util.Arrays.copyOf(rf.reads, rf.runs);
        int[] srcCpu = rf.srcCpu, need = rf.needAcc, prev = rf.runPrev;
        // reads of a word this CPU writes itself: the index + 1 of its last earlier write of it
        java.util.Map<Long, Integer> own = new java.util.HashMap<>();
        int[] lastOwn = new int[t.words.size()];
        for (int c = 0; c < nc; c++) {
            CpuLog l = t.log(c);
            java.util.Arrays.fill(lastOwn, 0);
            for (int a = 0; a < l.na; a++) {
                if (l.kind[a] == Access.WRITE) lastOwn[l.word[a]] = a + 1;
                else if (l.kind[a] == Access.READ && rf.writer[l.word[a]] == c && lastOwn[l.word[a]] > 0)
                    own.put(((long) c << 32) | a, lastOwn[l.word[a]]);
            }
        }
        boolean anyOwn = !own.isEmpty();
        int left = nc;
        for (int c = 0; c < nc; c++) {
            CpuLog l = t.log(c);
            while (rp[c] < l.na && l.kind[rp[c]] == Access.WRITE) rp[c]++;
            while (wp[c] < l.na && l.kind[wp[c]] != Access.WRITE) wp[c]++;
            if (rp[c] == l.na && wp[c] == l.na) left--;
        }
        while (left > 0) {
            boolean movedRound = false;
            for (int c = 0; c < nc; c++) {
                CpuLog l = t.log(c);
                int n = l.na;
                if (rp[c] == n && wp[c] == n) continue;
                byte[] kind = l.kind;
                int[] run = rf.run[c];
                boolean moved = true;
                while (moved) {
                    moved = false;
                    int r0 = rp[c];
                    while (r0 < n) {
                        byte k = kind[r0];
                        if (k == Access.WRITE) {
                            r0++;
                            continue;
                        }
                        if (k == Access.READ) {
                            int r = run[r0], s = srcCpu[r];
                            if (s >= 0 && wp[s] < need[r]) break;
                            if (anyOwn) {
                                Integer dep = own.get(((long) c << 32) | r0);
                                if (dep != null && wp[c] < dep) break;
                            }
                            pend[r]--;
                        } else if (wp[c] < r0) break;          // a barrier: every earlier write first
                        r0++;
                        moved = true;
                        rp[c] = r0;
                    }
                    rp[c] = r0;
                    int w0 = wp[c];
                    while (w0 < n) {
                        if (kind[w0] != Access.WRITE) {
                            w0++;
                            continue;
                        }
                        if (rp[c] < w0) break;                 // an earlier read or barrier first
                        int r = run[w0];
                        if (r >= 0 && pend[prev[r]] > 0) break;   // below 0: late reads (Words.lags)
                        w0++;
                        moved = true;
                        wp[c] = w0;
                    }
                    wp[c] = w0;
                    if (moved) movedRound = true;
                }
                if (rp[c] == n && wp[c] == n) left--;
            }
            if (!movedRound) return false;
        }
        return true;
    }
}
