package coopvmm.conformance.order;

import java.util.ArrayList;
import java.util.List;

/**
 * What a cycle of the access order means. Its shape: {@link Kind#STORE_BUFFERING} (each CPU on
 * it enters by a write and leaves by a later read, and the CPUs are joined by fr: a store then
 * a load on each side, each load missing the other's store), {@link Kind#MESSAGE_PASSING} (two
 * CPUs: one writes twice, the other reads the second write (rf) and then misses the first (fr)),
 * or {@link Kind#OTHER}. Then whether x86-TSO allows the trace: the whole order is rebuilt with
 * TSO's program order ({@link TsoOrderBuilder}). If it exists, the trace is TSO-consistent but
 * not SC, and the write-to-read po edges of the cycle with no barrier between them (the ones
 * TSO drops) are where a full barrier is missing. If not, on x86 only a compiler reordering
 * explains it (a missing {@code volatile} or compiler barrier).
 */
public final class CycleClassifier {

    public enum Kind { STORE_BUFFERING, MESSAGE_PASSING, OTHER }

    /** A po edge of the cycle from a write to a later read with no barrier between them. */
    public record MissingBarrier(Cycle.Step store, Cycle.Step load) {
        @Override
        public String toString() {
            return store.shortLabel() + " and " + load.shortLabel();
        }
    }

    /**
     * @param kind            the cycle's shape
     * @param tsoConsistent   whether an order exists under x86-TSO's program order
     * @param missingBarriers when TSO-consistent, the W->R po edges of the cycle TSO drops
     * @param text            e.g. "store-buffering cycle, TSO-consistent: a full barrier is missing between ..."
     */
    public record Classification(Kind kind, boolean tsoConsistent, List<MissingBarrier> missingBarriers, String text) {}

    private CycleClassifier() {}

    public static Kind shape(Cycle cycle) {
        List<Cycle.Step> s = cycle.steps();
        int po = 0, wr = 0, ww = 0, rr = 0, fr = 0, rf = 0;
        for (int i = 0; i < s.size(); i++) {
            Cycle.Step a = s.get(i), b = s.get((i + 1) % s.size());
            switch (a.next()) {
                case PO -> {
                    po++;
                    Access.Kind x = a.what().kind(), y = b.what().kind();
                    if (x == Access.Kind.WRITE && y == Access.Kind.READ) wr++;
                    else if (x == Access.Kind.WRITE && y == Access.Kind.WRITE) ww++;
                    else if (x == Access.Kind.READ && y == Access.Kind.READ) rr++;
                }
                case FR -> fr++;
                case RF -> rf++;
            }
        }
        long cpus = cycle.cpus();
        if (po == cpus && wr == po && fr == cpus && rf == 0 && cpus >= 2) return Kind.STORE_BUFFERING;
        if (cpus == 2 && po == 2 && ww == 1 && rr == 1 && rf == 1 && fr == 1) return Kind.MESSAGE_PASSING;
        return Kind.OTHER;
    }

    public static Classification classify(V2Trace t, ReadsFrom rf, Cycle cycle) {
        Kind kind = shape(cycle);
        String name = switch (kind) {
            case STORE_BUFFERING -> "store-buffering cycle";
            case MESSAGE_PASSING -> "message-passing cycle";
            case OTHER -> "cycle";
        };
        boolean tso = TsoOrderBuilder.consistent(t, rf);
        List<MissingBarrier> missing = new ArrayList<>();
        if (tso) {
            List<Cycle.Step> s = cycle.steps();
            for (int i = 0; i < s.size(); i++) {
                Cycle.Step a = s.get(i), b = s.get((i + 1) % s.size());
                if (a.next() != Cycle.Edge.PO) continue;
                if (a.what().kind() != Access.Kind.WRITE || b.what().kind() != Access.Kind.READ) continue;
                if (b.beyondCut() || fenceBetween(t.log(a.cpuIndex()), a.access(), b.access())) continue;
                if (a.what().channel() == b.what().channel() && a.what().word().equals(b.what().word())) continue;
                missing.add(new MissingBarrier(a, b));
            }
        }
        String text;
        if (tso) {
            StringBuilder b = new StringBuilder(name).append(", TSO-consistent: ");
            if (missing.isEmpty()) b.append("x86-TSO allows it (no write-read pair of the cycle is unfenced)");
            else {
                b.append("a full barrier is missing between ");
                for (int i = 0; i < missing.size(); i++) b.append(i > 0 ? ", and between " : "").append(missing.get(i));
            }
            text = b.toString();
        } else if (kind == Kind.STORE_BUFFERING) {
            text = name + ", not TSO-consistent: a full barrier lies between each store and load of it, so on x86 only"
                    + " a compiler reordering (a missing volatile or compiler barrier, or a barrier not where the log says) explains it";
        } else {
            text = name + ", not TSO-consistent: on x86 only a compiler reordering (a missing volatile or compiler"
                    + " barrier) explains it";
        }
        return new Classification(kind, tso, List.copyOf(missing), text);
    }

    private static boolean fenceBetween(CpuLog l, int from, int to) {
        for (int a = from + 1; a < to; a++) if (l.kind[a] == Access.FENCE) return true;
        return false;
    }
}
