package coopvmm.model.ringtso;

import coopvmm.model.ring.RingConfig;

import java.util.EnumSet;
import java.util.Set;

/**
 * The constants of {@code CoopRingTSO.tla}, checked as its ASSUMEs check them.
 *
 * @param n        slots in each ring ({@code N}, at most 10: the slot addresses must not overlap)
 * @param idxMod   free-running indexes wrap here ({@code IdxMod})
 * @param maxReq   requests the VMM issues ({@code MaxReq})
 * @param bufDepth stores a store buffer holds ({@code BufDepth}; an IPI does not count)
 * @param fences   the barriers present ({@code Fences})
 */
public record TsoConfig(int n, long idxMod, int maxReq, int bufDepth, Set<Fence> fences) {

    public TsoConfig {
        if (n < 1 || n > 10) throw new IllegalArgumentException("N must be in 1..10: " + n);
        if (idxMod < 2L * n || idxMod % n != 0)
            throw new IllegalArgumentException("IdxMod must be a multiple of N and at least 2N: " + idxMod);
        if (maxReq < 0) throw new IllegalArgumentException("MaxReq must be >= 0: " + maxReq);
        if (bufDepth < 1) throw new IllegalArgumentException("BufDepth must be >= 1: " + bufDepth);
        fences = fences.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fences));
    }

    /** The bound of {@code specs/CoopRingTSO.cfg}: every barrier. */
    public static TsoConfig small() {
        return new TsoConfig(2, 4, 2, 2, EnumSet.allOf(Fence.class));
    }

    /** This bound with other barriers. */
    public TsoConfig withFences(Set<Fence> f) {
        return new TsoConfig(n, idxMod, maxReq, bufDepth, f);
    }

    /** {@code Has(f)}. */
    public boolean has(Fence f) {
        return fences.contains(f);
    }

    /** {@code Inc(i)}, as CoopRing's. */
    public long inc(long i) {
        return RingConfig.inc(i, idxMod);
    }

    /** {@code Dist(c, p)}: packets between consumer index c and producer index p. */
    public long dist(long c, long p) {
        return RingConfig.dist(c, p, idxMod);
    }

    /** {@code Slot(i)}. */
    public int slot(long i) {
        return (int) (i % n);
    }

    /** {@code NeedNotify(old, new, event)}: the event index lies in (old, new]. */
    public boolean needNotify(long old, long now, long event) {
        return RingConfig.needNotify(old, now, event, idxMod);
    }
}
