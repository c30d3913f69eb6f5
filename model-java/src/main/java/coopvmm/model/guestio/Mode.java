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
    /** Stopped by the VMM for good (a forbidden exit, or it kept the CPU). */
    STOPPED("stopped");

    private final String tla;

    Mode(String tla) {
        this.tla = tla;
    }

    public String tla() {
        return tla;
    }

    public static Mode fromTla(String s) {
        for (Mode m : values()) if (m.tla.equals(s)) return m;
        throw new IllegalArgumentException("not a vCPU mode: " + s);
    }
}
