package coopvmm.model.guestio;

/** What a vCPU is doing ({@code mode[v]} of {@code GuestIo.tla}). */
public enum Mode {
    /** Running guest code. */
    GUEST("guest"),
    /** Its VM exit captured by the VMM. */
    EXITED("exited"),
    /** Its request submitted to an IOPM. */
    WAITING("waiting"),
    /** Its response applied; VM entry pending. */
    COMPLETED("completed"),
    /** Halted at its program's end, after checking its own data. */
    HALTED("halted"),
    /** A managed VM not created yet. */
    ABSENT("absent"),
    /** A managed VM created, not started. */
    CREATED("created"),
    /** A managed VM stopped by a command; it may be started again. */
    PAUSED("paused"),
    /** A managed VM destroyed. */
    DESTROYED("destroyed"),
    /** Stopped by the VMM for good (a forbidden exit, or it kept the CPU). */
    STOPPED("stopped");

    private final String tla;

    Mode(String tla) {
        this.tla = tla;
    }

    public String tla() {
        return tla;
    }

    /** {@code InExit(v)}: an exit not yet completed and re-entered past. */
    public boolean inExit() {
        return this == EXITED || this == WAITING || this == COMPLETED;
    }

    public static Mode fromTla(String s) {
        for (Mode m : values()) if (m.tla.equals(s)) return m;
        throw new IllegalArgumentException("not a vCPU mode: " + s);
    }
}
