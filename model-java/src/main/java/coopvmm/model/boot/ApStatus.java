package coopvmm.model.boot;

/** The VMM's view of an AP ({@code status[a]}). */
public enum ApStatus {
    BOOTING("booting"), READY("ready"), FAILED("failed");

    private final String tla;

    ApStatus(String tla) {
        this.tla = tla;
    }

    /** The TLA+ string value. */
    public String tla() {
        return tla;
    }

    public static ApStatus fromTla(String s) {
        for (ApStatus a : values()) if (a.tla.equals(s)) return a;
        throw new IllegalArgumentException("not a status value: \"" + s + "\"");
    }
}
