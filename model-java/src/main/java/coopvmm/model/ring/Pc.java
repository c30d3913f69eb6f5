package coopvmm.model.ring;

/** Where a side of the ring is in its sleep protocol ({@code vmmPc}, {@code iopmPc}). */
public enum Pc {
    /** Working: may produce, consume, or see that there is nothing to do. */
    RUN("run"),
    /** Event index set; the final check is still to come. */
    CHECK("check"),
    /** Halted until an IPI (or a spurious wake). */
    SLEEP("sleep"),
    /**
     * Producer index published, the IPI decision (after the full barrier) still to come.
     * After the first three, so that the ordinals stay those of ring.h's {@code enum ring_pc}.
     */
    NOTIFY("notify"),
    /**
     * Saw nothing to do ({@code SeeIdle}), the event index not yet set ({@code PrepareSleep}).
     * After NOTIFY, so that its ordinal is ring.h's {@code RING_PC_IDLE = 4}.
     */
    IDLE("idle"),
    /**
     * Decided to notify ({@code NotifyIopm}/{@code NotifyVmm}), the IPI not yet sent
     * ({@code SendIpi}). Last: ring.h's {@code RING_PC_IPI = 5}.
     */
    IPI("ipi");

    private final String tla;

    Pc(String tla) {
        this.tla = tla;
    }

    /** The TLA+ string value. */
    public String tla() {
        return tla;
    }

    public static Pc fromTla(String s) {
        for (Pc pc : values()) if (pc.tla.equals(s)) return pc;
        throw new IllegalArgumentException("not a pc value: \"" + s + "\"");
    }
}
