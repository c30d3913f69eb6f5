package coopvmm.model.guestio;

/** The direction of a port-I/O instruction, as {@code GuestIo.tla} spells it. */
public enum Dir {
    IN("in"), OUT("out"), NONE("none");

    private final String tla;

    Dir(String tla) {
        this.tla = tla;
    }

    public String tla() {
        return tla;
    }

    public static Dir fromTla(String s) {
        for (Dir d : values()) if (d.tla.equals(s)) return d;
        throw new IllegalArgumentException("not a direction: " + s);
    }
}
