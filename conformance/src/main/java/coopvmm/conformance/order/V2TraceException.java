package coopvmm.conformance.order;

/**
 * A v2 log that breaks the format or its rules, located: {@code file:line: cpu C seq S: what}
 * (cpu and seq when the line got that far). {@link #malformed()}: the file itself is garbled
 * (a line that does not parse, no header, another version: exit 2); otherwise the lines parse
 * but the build broke a rule of the format (a gap, a repeat, a record after {@code log.end},
 * a second writer, a decreasing write, a value no one wrote: exit 1, as v1's gap).
 */
public final class V2TraceException extends RuntimeException {

    private final String file;
    private final int line;
    private final int cpu;
    private final long seq;
    private final boolean malformed;

    public V2TraceException(String file, int line, int cpu, long seq, String what, boolean malformed) {
        super(locate(file, line, cpu, seq) + what);
        this.file = file;
        this.line = line;
        this.cpu = cpu;
        this.seq = seq;
        this.malformed = malformed;
    }

    private static String locate(String file, int line, int cpu, long seq) {
        StringBuilder b = new StringBuilder();
        if (file != null) b.append(file).append(line > 0 ? ":" + line : "").append(": ");
        if (cpu >= 0) b.append("cpu ").append(cpu).append(' ');
        if (seq >= 0) b.append("seq ").append(seq).append(' ');
        if (cpu >= 0 || seq >= 0) b.setCharAt(b.length() - 1, ':');
        if (cpu >= 0 || seq >= 0) b.append(' ');
        return b.toString();
    }

    public String file() {
        return file;
    }

    /** 1-based line, 0 if none. */
    public int line() {
        return line;
    }

    /** -1 if the line did not get that far. */
    public int cpu() {
        return cpu;
    }

    /** -1 if the line did not get that far. */
    public long seq() {
        return seq;
    }

    public boolean malformed() {
        return malformed;
    }

    /** 2 for a garbled file, 1 for a rule the build broke. */
    public int exitCode() {
        return malformed ? 2 : 1;
    }
}
