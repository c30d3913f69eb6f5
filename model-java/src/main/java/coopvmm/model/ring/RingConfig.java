package coopvmm.model.ring;

/**
 * The constants of {@code CoopRing.tla}.
 *
 * @param n          slots in each ring ({@code N})
 * @param idxMod     free-running indexes wrap here ({@code IdxMod}; 2^32 on real hardware)
 * @param maxReq     requests the VMM issues ({@code MaxReq})
 * @param peerFaults may the IOPM publish a bogus response index ({@code PeerFaults})
 */
public record RingConfig(int n, long idxMod, int maxReq, boolean peerFaults) {

    /** The index space of the real ring: unsigned 32-bit counters. */
    public static final long U32 = 1L << 32;

    public RingConfig {
        if (n < 1) throw new IllegalArgumentException("N must be at least 1: " + n);
        if (idxMod < 2L * n || idxMod % n != 0)
            throw new IllegalArgumentException("IdxMod must be a multiple of N and at least 2N: " + idxMod);
        if (maxReq < 0) throw new IllegalArgumentException("MaxReq must be >= 0: " + maxReq);
    }

    /** The bound of {@code specs/CoopRing.cfg}. */
    public static RingConfig small() {
        return new RingConfig(2, 4, 5, false);
    }

    /** {@code Inc(i)}. */
    public long inc(long i) {
        return inc(i, idxMod);
    }

    /** {@code Dist(c, p)}: packets between consumer index c and producer index p. */
    public long dist(long c, long p) {
        return dist(c, p, idxMod);
    }

    /** {@code Slot(i)}. */
    public int slot(long i) {
        return (int) (i % n);
    }

    /** {@code NeedNotify(old, new, event)}: the event index lies in (old, new]. */
    public boolean needNotify(long old, long now, long event) {
        return needNotify(old, now, event, idxMod);
    }

    // The index arithmetic itself, shared with the TSO ring (TsoConfig), which has the same indexes.

    public static long inc(long i, long idxMod) {
        return (i + 1) % idxMod;
    }

    public static long dist(long c, long p, long idxMod) {
        return Math.floorMod(p - c, idxMod);
    }

    public static boolean needNotify(long old, long now, long event, long idxMod) {
        return dist(event, now, idxMod) < dist(old, now, idxMod);
    }
}
