package coopvmm.model.guestio;

/** A disk controller's registers ({@code Reg(k)} of {@code GuestIo.tla}). */
public enum Reg {
    /** out: select the sector the data names. */
    SEL("sel"),
    /** out: write the data to the selected sector; in: read it. */
    DATA("data"),
    /** in: the sector the last DATA command completed on. */
    STATUS("status");

    private final String tla;

    Reg(String tla) {
        this.tla = tla;
    }

    public String tla() {
        return tla;
    }
}
