package coopvmm.model.irq;

/**
 * The constants of {@code IrqRouting.tla}.
 *
 * @param nDev      devices 1..nDev ({@code NDev})
 * @param nVmmDev   devices 1..nVmmDev are handled in the VMM ({@code NVmmDev})
 * @param nIopm     IOPMs 1..nIopm ({@code NIopm})
 * @param maxIrq    interrupts raised in one behaviour ({@code MaxIrq})
 * @param maxReq    ring requests issued in one behaviour ({@code MaxReq})
 * @param maxCrash  IOPMs that may stop, fewer than nIopm ({@code MaxCrash})
 * @param missLimit missed heartbeats after which an IOPM is declared failed ({@code MissLimit})
 */
public record IrqConfig(int nDev, int nVmmDev, int nIopm, int maxIrq, int maxReq, int maxCrash, int missLimit) {

    public IrqConfig {
        if (nDev < 1) throw new IllegalArgumentException("NDev must be at least 1: " + nDev);
        if (nVmmDev < 0 || nVmmDev > nDev) throw new IllegalArgumentException("NVmmDev must be in 0..NDev: " + nVmmDev);
        if (nIopm < 1) throw new IllegalArgumentException("NIopm must be at least 1: " + nIopm);
        if (maxIrq < 0 || maxReq < 0) throw new IllegalArgumentException("MaxIrq and MaxReq must be >= 0");
        if (maxCrash < 0 || maxCrash >= nIopm)
            throw new IllegalArgumentException("MaxCrash must be in 0..NIopm-1: " + maxCrash);
        if (missLimit < 1) throw new IllegalArgumentException("MissLimit must be at least 1: " + missLimit);
    }

    /** The bound of {@code specs/IrqRouting.cfg}. */
    public static IrqConfig small() {
        return new IrqConfig(3, 1, 2, 2, 1, 1, 1);
    }

    /** The bound of {@code specs/IrqRoutingDeep.cfg}. */
    public static IrqConfig deep() {
        return new IrqConfig(4, 1, 3, 2, 1, 2, 1);
    }

    /** Is device {@code d} one of the VMM's own ({@code d \in VmmDev})? */
    public boolean vmmDev(int d) {
        return d <= nVmmDev;
    }

    /** {@code Cardinality(IopmDev)}. */
    public int iopmDevs() {
        return nDev - nVmmDev;
    }

    /** {@code InitRoute[d]}: the VMM's devices to 0, the others dealt round robin. */
    public int initRoute(int d) {
        return vmmDev(d) ? 0 : ((d - nVmmDev - 1) % nIopm) + 1;
    }

    /** {@code CeilDiv(a, b)}. */
    public static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
