package coopvmm.conformance.trace;

/** A trace that is not well-formed: names the line and, when known, the event number. */
public final class TraceFormatException extends RuntimeException {

    private final int line;
    private final long seq;

    public TraceFormatException(int line, long seq, String message) {
        super(message);
        this.line = line;
        this.seq = seq;
    }

    public int line() {
        return line;
    }

    public long seq() {
        return seq;
    }
}
