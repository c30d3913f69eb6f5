package coopvmm.model.boot;

/** Where the VMM's boot loop is, for the AP it boots ({@code vmmPc}). */
public enum VmmPc {
    ALLOC("alloc"), HANDOFF("handoff"), RM("rm"), PM("pm"), INIT("init"), SIPI1("sipi1"),
    SIPI2("sipi2"), WAIT("wait"),
    /** Every AP booted or given up. */
    DONE("done");

    private final String tla;

    VmmPc(String tla) {
        this.tla = tla;
    }

    /** The TLA+ string value. */
    public String tla() {
        return tla;
    }

    public static VmmPc fromTla(String s) {
        for (VmmPc p : values()) if (p.tla.equals(s)) return p;
        throw new IllegalArgumentException("not a vmmPc value: \"" + s + "\"");
    }
}
