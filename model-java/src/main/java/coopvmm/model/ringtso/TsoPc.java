package coopvmm.model.ringtso;

/**
 * Where a CPU is in ring.c ({@code vmmPc}, {@code iopmPc} of {@code CoopRingTSO.tla}, its
 * {@code Pcs}): between functions, or between two sub-steps of one function.
 */
public enum TsoPc {
    /** Between functions (CoopRing's "run"). */
    RUN("run"),
    /** The write function past its load of the peer's consumer index: the store is next. */
    WR("wr"),
    /** The publish past its write barrier, before its store of the producer index. */
    PUB("pub"),
    /** The publish past its store of the producer index: its mb and load of the event index. */
    PUB_MB("pubMb"),
    /** The load of the event index decided to notify: the IPI send is next. */
    IPI("ipi"),
    /** The consume past its load of the peer's producer index, at its read barrier. */
    CON_RMB("conRmb"),
    /** The consume at its load of the packet. */
    CON_SLOT("conSlot"),
    /** The consume past the packet load, at its write barrier. */
    CON_WMB("conWmb"),
    /** The consume at its store of the consumer index. */
    CON("con"),
    /** see_idle saw the ring empty (CoopRing's "idle"): prepare_sleep's store of the event index is next. */
    SLEEP_ST("sleepSt"),
    /** The final check (its mb and load) is next. */
    CHECK("check"),
    /** Halted until an IPI (or a spurious wake). */
    SLEEP("sleep");

    private final String tla;

    TsoPc(String tla) {
        this.tla = tla;
    }

    /** The TLA+ string value. */
    public String tla() {
        return tla;
    }

    public static TsoPc fromTla(String s) {
        for (TsoPc pc : values()) if (pc.tla.equals(s)) return pc;
        throw new IllegalArgumentException("not a CoopRingTSO pc: \"" + s + "\"");
    }
}
