package coopvmm.conformance.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@link PerCpuTraceReader} read: each CPU's records ({@link CpuLog}, sorted by CPU id;
 * the CPU <em>index</em> used across this package is the position in that order), the words,
 * the header of the first file, the comments, and either no error or the first one (then the
 * records read before it are all here: a caller may look at them).
 * A CPU without {@code log.end} is cut short: {@link #partial()}, and {@link #partialReasons()}
 * says which.
 */
public final class V2Trace {

    final Symbols symbols;
    final Words words;
    final CpuLog[] logs;
    final List<String> files;
    final Map<String, String> header;
    final List<String> comments;
    final V2TraceException error;
    final List<String> partialReasons;

    V2Trace(Symbols symbols, Words words, CpuLog[] logs, List<String> files, Map<String, String> header,
            List<String> comments, V2TraceException error, List<String> partialReasons) {
        this.symbols = symbols;
        this.words = words;
        this.logs = logs;
        this.files = files;
        this.header = header;
        this.comments = comments;
        this.error = error;
        this.partialReasons = partialReasons;
    }

    public int cpuCount() {
        return logs.length;
    }

    public CpuLog log(int cpuIndex) {
        return logs[cpuIndex];
    }

    /** The index of the CPU with LAPIC id {@code cpu}, or -1. */
    public int indexOf(int cpu) {
        for (int i = 0; i < logs.length; i++) if (logs[i].cpu == cpu) return i;
        return -1;
    }

    public int[] cpuIds() {
        int[] ids = new int[logs.length];
        for (int i = 0; i < ids.length; i++) ids[i] = logs[i].cpu;
        return ids;
    }

    public Words words() {
        return words;
    }

    public long events() {
        long n = 0;
        for (CpuLog l : logs) n += l.n;
        return n;
    }

    public long accesses() {
        long n = 0;
        for (CpuLog l : logs) n += l.na;
        return n;
    }

    /** The first file's header fields ({@code v}, {@code build}, {@code cpus}, ...), or null if none was read. */
    public Map<String, String> header() {
        return header;
    }

    /** The {@code #} lines after each header, as they are. */
    public List<String> comments() {
        return comments;
    }

    public List<String> files() {
        return files;
    }

    /** The first error met, or null: the records before it are kept. */
    public V2TraceException error() {
        return error;
    }

    public boolean partial() {
        return !partialReasons.isEmpty();
    }

    public List<String> partialReasons() {
        return partialReasons;
    }

    /** Record {@code i} (its seq) of the CPU at {@code cpuIndex}, as an object. */
    public V2Event event(int cpuIndex, int i) {
        CpuLog l = logs[cpuIndex];
        if (i < 0 || i >= l.n) throw new IndexOutOfBoundsException("cpu " + l.cpu + " has " + l.n + " records, not " + i);
        int f0 = l.fieldStart[i], f1 = l.fieldStart[i + 1];
        String[] fk = new String[f1 - f0];
        long[] fv = new long[f1 - f0];
        for (int j = f0; j < f1; j++) {
            fk[j - f0] = symbols.name(l.fieldKey[j]);
            fv[j - f0] = l.fieldVal[j];
        }
        int a0 = l.accStart[i], a1 = l.accStart[i + 1];
        Access[] acc = new Access[a1 - a0];
        for (int j = a0; j < a1; j++) acc[j - a0] = access(cpuIndex, j);
        V2Event.Tsc tsc = l.hasTsc != null && l.hasTsc[i] ? new V2Event.Tsc(l.tscStart[i], l.tscEnd[i]) : null;
        return new V2Event(l.cpu, i, symbols.name(l.name[i]), l.channel[i], fk, fv, acc, tsc,
                files.get(l.file[i]), l.line[i]);
    }

    /** Access {@code a} of the CPU at {@code cpuIndex}. */
    public Access access(int cpuIndex, int a) {
        CpuLog l = logs[cpuIndex];
        int w = l.word[a];
        return w < 0 ? new Access(Access.Kind.FENCE, l.channel[l.eventOf(a)], null, 0)
                : new Access(Access.kindOf(l.kind[a]), words.channel(w), words.name(w), l.value[a]);
    }

    /** Every record of the CPU at {@code cpuIndex}, as objects (for small traces). */
    public List<V2Event> events(int cpuIndex) {
        List<V2Event> out = new ArrayList<>();
        for (int i = 0; i < logs[cpuIndex].n; i++) out.add(event(cpuIndex, i));
        return out;
    }

    String eventName(int cpuIndex, int i) {
        return symbols.name(logs[cpuIndex].name[i]);
    }

    /** {@code file:line} of record {@code i}. */
    String where(int cpuIndex, int i) {
        CpuLog l = logs[cpuIndex];
        return files.get(l.file[i]) + ":" + l.line[i];
    }

    /** {@code cpu 0 seq 17 vmm.publish_requests}. */
    String describe(int cpuIndex, int i) {
        return "cpu " + logs[cpuIndex].cpu + " seq " + i + " " + eventName(cpuIndex, i);
    }

    /** A V2TraceException located at record {@code i}. */
    V2TraceException errorAt(int cpuIndex, int i, String what) {
        CpuLog l = logs[cpuIndex];
        return new V2TraceException(files.get(l.file[i]), l.line[i], l.cpu, i, what, false);
    }
}
