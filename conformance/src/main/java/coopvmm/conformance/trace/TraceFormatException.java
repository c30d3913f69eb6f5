package coopvmm.conformance.trace;

/** A trace that is not well-formed: names the line and, when known, the event number. */
public final class TraceFormatException extends RuntimeException {

    private final int line;
    private final long seq;

    private final boolean nonConformance;

    public TraceFormatException(int line, long seq, String message) {
        this(line, seq, message, false);
    }

    /**
     * @param nonConformance the lines parse but break the format's rules (a gap in the
     *                       sequence numbers): a property of the build, not of the file
     */
    public TraceFormatException(int line, long seq, String message, boolean nonConformance) {
        super(message);
        this.line = line;
        this.seq = seq;
        this.nonConformance = nonConformance;
    }

    public boolean nonConformance() {
        return nonConformance;
    }

    public int line() {
        return line;
    }

    public long seq() {
        return seq;
    }
}
