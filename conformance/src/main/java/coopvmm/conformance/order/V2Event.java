package coopvmm.conformance.order;

import java.util.Arrays;

/**
 * One v2 record, as an object (the reader keeps records in per-CPU primitive arrays,
 * {@link CpuLog}; {@link V2Trace#event} builds this view on demand).
 *
 * @param cpu         the CPU (LAPIC id) that logged it
 * @param seq         its number in that CPU's log (0, 1, 2, ...)
 * @param name        the event, e.g. {@code iopm.consume}
 * @param channel     the {@code iopm} field (0 when absent): the channel its words belong to
 * @param fieldNames  the {@code key=value} fields, in the order of the line
 * @param fieldValues their values (unsigned)
 * @param accesses    the accesses, in the order the CPU made them
 * @param tsc         the time box, or {@code null} if the record has none
 * @param file        the file it was read from
 * @param line        its line in that file (1-based)
 */
public record V2Event(int cpu, int seq, String name, int channel, String[] fieldNames, long[] fieldValues,
                      Access[] accesses, Tsc tsc, String file, int line) {

    /** {@code tsc=<start>-<end>}: read before the first access and after the last (unsigned). */
    public record Tsc(long start, long end) {
        @Override
        public String toString() {
            return "tsc=" + Long.toUnsignedString(start) + "-" + Long.toUnsignedString(end);
        }
    }

    /** The value of field {@code key} (the last one if repeated), or {@code dflt}. */
    public long field(String key, long dflt) {
        for (int i = fieldNames.length - 1; i >= 0; i--) if (fieldNames[i].equals(key)) return fieldValues[i];
        return dflt;
    }

    /** {@code file:line}. */
    public String where() {
        return file + ":" + line;
    }

    /** The record as a v2 line (fields, accesses, box). */
    public String toLine() {
        StringBuilder b = new StringBuilder().append(cpu).append(' ').append(seq).append(' ').append(name);
        for (int i = 0; i < fieldNames.length; i++)
            b.append(' ').append(fieldNames[i]).append('=').append(Long.toUnsignedString(fieldValues[i]));
        for (Access a : accesses) b.append(' ').append(a.kind() == Access.Kind.FENCE ? "mb"
                : (a.kind() == Access.Kind.READ ? "r:" : "w:") + a.word() + "=" + Long.toUnsignedString(a.value()));
        if (tsc != null) b.append(' ').append(tsc);
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof V2Event e && e.cpu == cpu && e.seq == seq && e.name.equals(name) && e.channel == channel
                && Arrays.equals(e.fieldNames, fieldNames) && Arrays.equals(e.fieldValues, fieldValues)
                && Arrays.equals(e.accesses, accesses) && java.util.Objects.equals(e.tsc, tsc)
                && e.file.equals(file) && e.line == line;
    }

    @Override
    public int hashCode() {
        return (cpu * 31 + seq) * 31 + line;
    }

    @Override
    public String toString() {
        return toLine() + " (" + where() + ")";
    }
}
