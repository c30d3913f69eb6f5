package coopvmm.model.guestio;

/** A disk controller's registers ({@code Reg(k)} of {@code GuestIo.tla}). */
public enum Reg {
    /** out: select the sector the data names. */
    SEL("sel", 0),
    /** out: write the data to the selected sector; in: read it. */
    DATA("data", 1),
    /** in: the sector the last DATA command completed on. */
    STATUS("status", 2);

    private final String tla;
    private final int code;

    Reg(String tla, int code) {
        this.tla = tla;
        this.code = code;
    }

    public String tla() {
        return tla;
    }

    /** The register's number in the trace and the C ({@code DISK_REG_*}): its port's offset from the disk's first. */
    public int code() {
        return code;
    }
}
