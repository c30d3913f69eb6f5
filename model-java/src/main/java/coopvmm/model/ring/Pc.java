package coopvmm.model.ring;

/** Where a side of the ring is in its sleep protocol ({@code vmmPc}, {@code iopmPc}). */
public enum Pc {
    /** Working: may produce, consume, or prepare to sleep. */
    RUN("run"),
    /** Event index set; the final check is still to come. */
    CHECK("check"),
    /** Halted until an IPI (or a spurious wake). */
    SLEEP("sleep");

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
