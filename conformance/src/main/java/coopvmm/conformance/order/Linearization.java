package coopvmm.conformance.order;

/**
 * The order of whole records that a replay through the models takes: each record placed at
 * its linearization point in the order of accesses ({@link OrderBuilder}), which is its last
 * write (a failover: its first, {@link #FIRST_WRITE_EVENT}), or its last access if it writes nothing (a record with no access follows its CPU's
 * previous record). O(records + accesses).
 *
 * <p>Why not "an order of whole records" (every record atomic, as the spec's actions are):
 * the lock-free runs show that the code's actions are not atomic, and correct. The host
 * harness found, in the reference ring, {@code iopm.consume} reading {@code req_prod} before
 * the VMM published and writing {@code req_cons} after the VMM's next {@code write_request}
 * read it: an order of the accesses exists, none of whole records. The reads such an action
 * makes before its write are guards on indexes that only grow (a stale one still allows the
 * step) or the slot its write frees (nobody else writes it before that write). So the record
 * takes effect at its write, and the replay checks it there against the model's state. The
 * actions for which that is not so are split in the spec: publish (a store, then a load:
 * {@code VmmNotifyIopm}), prepare-sleep (a load, then a store: {@code VmmSeeIdle}) and notify
 * (the load of the event index, then the store of the IPI count: {@code VmmSendIpi}).
 * A build that breaks those rules (frees a slot before copying it out) is then caught by the
 * replay: the id it copied is not the one the model holds at its write.
 */
public final class Linearization {

    private Linearization() {}

    /**
     * The one event that takes effect at its first write: a failover ({@code VmmDetectFailure})
     * appends the failed IOPM's interrupts to the lists of several others, one publish each, and
     * the first of those IOPMs may take its entry before the VMM publishes the last (seen under
     * MTTCG in {@code vm-failover} at smp 4). Each reader of those writes reads only its own list's
     * index, a guard that a later append leaves true, and the step's other effects are the VMM's
     * own (its table, its fail marks): so the step can be placed at its first publish.
     */
    static final String FIRST_WRITE_EVENT = "vmm.detect_failure";

    /** The records of {@code t} in the order of their linearization points in {@code accesses}. */
    public static Interleaving of(V2Trace t, Interleaving accesses) {
        int firstWrite = t.symbols.intern(FIRST_WRITE_EVENT);
        int nc = t.cpuCount();
        int[] nextEvent = new int[nc];
        Interleaving out = new Interleaving(t.cpuIds());
        int[] next = new int[nc], cur = new int[nc];
        for (int i = 0; i < accesses.runs(); i++) {
            int c = accesses.runCpuIndex(i), len = accesses.runLength(i);
            CpuLog l = t.log(c);
            int from = nextEvent[c], e = cur[c];
            for (int k = 0; k < len; k++) {
                int a = next[c]++;
                while (l.accStart[e + 1] <= a) e++;          // the record that holds access a
                if (a == point(l, e, firstWrite)) nextEvent[c] = e + 1;
            }
            cur[c] = e;
            out.add(c, nextEvent[c] - from);
        }
        for (int c = 0; c < nc; c++) out.add(c, t.log(c).n - nextEvent[c]);   // trailing records with no access
        return out;
    }

    /**
     * Record {@code e}'s linearization point: its last write (its first, for the event
     * {@code firstWrite}), else its last access (-1: it has none).
     */
    static int point(CpuLog l, int e, int firstWrite) {
        int a0 = l.accStart[e], a1 = l.accStart[e + 1];
        if (l.name[e] == firstWrite)
            for (int a = a0; a < a1; a++) if (l.kind[a] == Access.WRITE) return a;
        for (int a = a1 - 1; a >= a0; a--) if (l.kind[a] == Access.WRITE) return a;
        return a1 - 1;
    }

    /**
     * The order without the records beyond a cut: a record is dropped if it is at or after its
     * CPU's cut, or reads a write of a dropped record (its CPU's cut then moves to it). One pass:
     * the order is topological (a record writes at its linearization point, at or after
     * each of its reads), so a source is decided before its readers.
     */
    public static Interleaving withinCuts(V2Trace t, ReadsFrom rf, Interleaving order) {
        int nc = t.cpuCount();
        int[] cut = rf.cut.clone();
        boolean any = false;
        for (int c = 0; c < nc; c++) any |= cut[c] < t.log(c).n;
        if (!any) return order;
        int[] next = new int[nc];
        Interleaving out = new Interleaving(t.cpuIds());
        for (int i = 0; i < order.runs(); i++) {
            int c = order.runCpuIndex(i), len = order.runLength(i);
            CpuLog l = t.log(c);
            int kept = 0;
            for (int k = 0; k < len; k++) {
                int e = next[c]++;
                if (e >= cut[c]) continue;
                boolean drop = false;
                for (int a = l.accStart[e]; a < l.accStart[e + 1] && !drop; a++) {
                    if (l.kind[a] != Access.READ) continue;
                    int r = rf.run[c][a], s = rf.srcCpu[r];
                    if (rf.virtual[r]) drop = true;
                    else if (s >= 0 && s != c && rf.needEvent[r] - 1 >= cut[s]) drop = true;
                }
                if (drop) {
                    cut[c] = e;
                    continue;
                }
                kept++;
            }
            out.add(c, kept);
        }
        return out;
    }
}
