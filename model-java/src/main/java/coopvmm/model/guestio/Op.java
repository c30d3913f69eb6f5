package coopvmm.model.guestio;

/** A management command's operation ({@code Ops} of {@code GuestIo.tla}), with its trace code. */
public enum Op {
    CREATE("create", 1),
    START("start", 2),
    STOP("stop", 3),
    DESTROY("destroy", 4);

    private final String tla;
    private final int code;

    Op(String tla, int code) {
        this.tla = tla;
        this.code = code;
    }

    public String tla() {
        return tla;
    }

    /** The number a trace's {@code op=} field carries (docs/trace-format.md). */
    public int code() {
        return code;
    }

    public static Op fromTla(String s) {
        for (Op o : values()) if (o.tla.equals(s)) return o;
        throw new IllegalArgumentException("not a management op: " + s);
    }

    /** The op of trace code {@code c}, or null. */
    public static Op fromCode(long c) {
        for (Op o : values()) if (o.code == c) return o;
        return null;
    }
}
