package coopvmm.model.ringtso;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared words of {@code CoopRingTSO.tla} by address, the spec's numbers: the VMM's control
 * area (1-3), the IOPM's (4-6), the two IPIs (7, 8: stores to the local APIC, never in memory),
 * the request slots from 10 and the response slots from 20 (N is at most 10).
 */
public final class Addr {

    private Addr() {
    }

    public static final int REQ_PROD = 1, RSP_CONS = 2, RSP_EVENT = 3;
    public static final int RSP_PROD = 4, REQ_CONS = 5, REQ_EVENT = 6;
    public static final int IPI_TO_IOPM = 7, IPI_TO_VMM = 8;

    /** {@code ReqSlot(s)}. */
    public static int reqSlot(int s) {
        return 10 + s;
    }

    /** {@code RspSlot(s)}. */
    public static int rspSlot(int s) {
        return 20 + s;
    }

    /** {@code VmmAddrs}: what the VMM may store to (besides its IPI). */
    public static List<Integer> vmm(int n) {
        List<Integer> out = new ArrayList<>(List.of(REQ_PROD, RSP_CONS, RSP_EVENT));
        for (int s = 0; s < n; s++) out.add(reqSlot(s));
        return out;
    }

    /** {@code IopmAddrs}. */
    public static List<Integer> iopm(int n) {
        List<Integer> out = new ArrayList<>(List.of(RSP_PROD, REQ_CONS, REQ_EVENT));
        for (int s = 0; s < n; s++) out.add(rspSlot(s));
        return out;
    }

    /** {@code Addrs}, in increasing order: the domain of {@code mem}. */
    public static List<Integer> all(int n) {
        List<Integer> out = new ArrayList<>(vmm(n));
        out.addAll(iopm(n));
        out.sort(null);
        return out;
    }

    /** The length of the array that holds {@code mem} indexed by address (holes stay 0). */
    public static int words(int n) {
        return rspSlot(n);
    }
}
