package coopvmm.conformance.trace;

import java.util.Map;

/**
 * One event line of a trace (docs/trace-format.md).
 *
 * @param line   line number in the trace file (1-based)
 * @param seq    global sequence number
 * @param cpu    LAPIC id of the CPU that took the step
 * @param tsc    that CPU's time-stamp counter
 * @param name   event name, e.g. {@code iopm.consume}
 * @param fields key=value fields, in order (never negative: the format has digits only)
 */
public record TraceEvent(int line, long seq, int cpu, long tsc, String name, Map<String, Long> fields) {

    public TraceEvent {
        fields = TraceFields.of(fields);
    }

    /** An event whose fields are given as two arrays (taken as they are: not copied). */
    public static TraceEvent of(int line, long seq, int cpu, long tsc, String name, String[] keys, long[] values) {
        return new TraceEvent(line, seq, cpu, tsc, name, new TraceFields(keys, values, keys.length));
    }

    /** A field that must be there. */
    public long get(String key) {
        long v = ((TraceFields) fields).find(key);
        if (v < 0) throw new TraceFormatException(line, seq, name + " has no field " + key);
        return v;
    }

    /** The value of {@code key}, or -1 when the event has no such field (values are never negative). */
    public long find(String key) {
        return ((TraceFields) fields).find(key);
    }

    public boolean has(String key) {
        return ((TraceFields) fields).find(key) >= 0;
    }

    /** Where it is, for messages: {@code line 12, event #10}. */
    public String where() {
        return "line " + line + ", event #" + seq;
    }
}
