package coopvmm.model.boot;

import java.util.Set;
import java.util.TreeSet;

/**
 * The constants of {@code BootHandoff.tla}, and the memory map they define.
 *
 * @param numAps   application processors, one IOPM each ({@code NumAPs}; APs are 1..numAps)
 * @param pmSize   units of an IOPM's protected-mode code ({@code PmSize})
 * @param maxTries INIT-SIPI-SIPI sequences per AP before the VMM gives it up ({@code MaxTries})
 * @param slow     APs slow out of INIT ({@code Slow})...
 * @param slowBy   ...that miss this many SIPIs ({@code SlowBy})
 * @param dead     APs that never respond ({@code Dead})
 * @param rogue    APs whose IOPM may write outside its zone ({@code Rogue})
 * @param maxWork  work items the VMM queues to each ready IOPM ({@code MaxWork})
 * @param nVmmAps  the first nVmmAps APs run the VMM, not an IOPM ({@code NVmmAps})
 */
public record BootConfig(int numAps, int pmSize, int maxTries, Set<Integer> slow, int slowBy,
                         Set<Integer> dead, Set<Integer> rogue, int maxWork, int nVmmAps) {

    /** Units of the VMM zone ({@code VmmSize}). */
    public static final int VMM_SIZE = 2;

    public BootConfig {
        if (numAps < 1) throw new IllegalArgumentException("NumAPs must be at least 1: " + numAps);
        if (pmSize < 1) throw new IllegalArgumentException("PmSize must be at least 1: " + pmSize);
        if (maxTries < 1) throw new IllegalArgumentException("MaxTries must be at least 1: " + maxTries);
        if (maxWork < 0) throw new IllegalArgumentException("MaxWork must be >= 0: " + maxWork);
        if (slowBy < 0 || slowBy >= 2 * maxTries)
            throw new IllegalArgumentException("SlowBy must be in 0 .. 2 * MaxTries - 1: " + slowBy);
        slow = Set.copyOf(new TreeSet<>(slow));
        dead = Set.copyOf(new TreeSet<>(dead));
        rogue = Set.copyOf(new TreeSet<>(rogue));
        for (Set<Integer> s : java.util.List.of(slow, dead, rogue))
            for (int a : s)
                if (a < 1 || a > numAps) throw new IllegalArgumentException("not an AP: " + a);
        if (nVmmAps < 0 || nVmmAps > numAps)
            throw new IllegalArgumentException("NVmmAps must be in 0 .. NumAPs: " + nVmmAps);
        for (int a : rogue)
            if (a <= nVmmAps) throw new IllegalArgumentException("a VMM AP cannot be a rogue IOPM: " + a);
    }

    /** Every AP an IOPM ({@code NVmmAps = 0}): the VMM on the BSP alone. */
    public BootConfig(int numAps, int pmSize, int maxTries, Set<Integer> slow, int slowBy,
                      Set<Integer> dead, Set<Integer> rogue, int maxWork) {
        this(numAps, pmSize, maxTries, slow, slowBy, dead, rogue, maxWork, 0);
    }

    /** {@code a \in VmmAPs}: AP a runs the VMM. */
    public boolean vmmAp(int a) {
        return a >= 1 && a <= nVmmAps;
    }

    /** {@code FirstStep(a)}: where the boot loop starts with AP a (a VMM AP needs no zone). */
    public VmmPc firstStep(int a) {
        return vmmAp(a) ? VmmPc.HANDOFF : VmmPc.ALLOC;
    }

    /** The bound of {@code specs/BootHandoff.cfg}. */
    public static BootConfig small() {
        return new BootConfig(3, 2, 2, Set.of(2), 1, Set.of(3), Set.of(1), 1);
    }

    /** {@code OneMiB}: the first unit at or above 1 MiB. */
    public int oneMiB() {
        return numAps + 1;
    }

    /** {@code VmmZone} is {@code [oneMiB, vmmEnd)}. */
    public int vmmEnd() {
        return oneMiB() + VMM_SIZE;
    }

    public boolean inVmmZone(int u) {
        return u >= oneMiB() && u < vmmEnd();
    }

    /** {@code SharedAt}: the shared zone, one unit. */
    public int sharedAt() {
        return vmmEnd();
    }

    /** {@code ZoneSize}: an IOPM's code, then its data. */
    public int zoneSize() {
        return pmSize + 1;
    }

    /** {@code FirstFree}. */
    public int firstFree() {
        return sharedAt() + 1;
    }

    /** {@code MemTop}: memory is units {@code 0 .. memTop - 1}. */
    public int memTop() {
        return firstFree() + numAps * zoneSize();
    }

    /** {@code RmAt(a)}: AP a's real-mode code, below 1 MiB (its SIPI vector). */
    public int rmAt(int a) {
        return a;
    }

    /** APs neither dead nor rogue: {@code APs \ (Dead \cup Rogue)}. */
    public boolean healthy(int a) {
        return !dead.contains(a) && !rogue.contains(a);
    }
}
