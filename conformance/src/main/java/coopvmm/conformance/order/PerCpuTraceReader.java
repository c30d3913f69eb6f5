package coopvmm.conformance.order;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads files of trace format v2 (docs/trace-format.md, "Trace format, version 2") and groups
 * their records per CPU: {@code <cpu> <seq> <event> [k=v ...] [r:<word>=<v> | w:<word>=<v> | mb ...] [tsc=<a>-<b>]}.
 * Fields and accesses may come in any order on the line (fields are usually first); the
 * accesses keep their order, which is the CPU's. Each file needs its header
 * {@code # coop-trace v=2 ...}; lines before it are firmware noise, {@code #} lines after it
 * are comments (kept), blank lines are skipped. Several files are merged by CPU, in the order
 * they are added: a CPU's records must continue its numbering across them.
 *
 * <p>The bytes are scanned in 64 KiB chunks and names interned from the bytes: no String per
 * line. Errors are located ({@code file:line: cpu C seq S: ...}, {@link V2TraceException}):
 * a line that does not parse (malformed, exit 2); a gap in a CPU's seq; a repeat or a lower
 * seq (an overwritten buffer, or two CPUs claiming the same numbers); a record after
 * {@code log.end}. The first error stops the reading and is kept in {@link V2Trace#error()}
 * with every record before it. A last line without its newline that does not parse is a cut
 * (the guest stopped mid-line) and is dropped. A CPU with no {@code log.end} is cut short:
 * its records are kept and the trace is partial; so is a trace with fewer CPUs than its header's
 * {@code cpus=}.
 *
 * <p>The {@code tsc=} box is parsed and kept (V2Event.tsc); nothing uses it yet: the order is
 * rebuilt from the values alone, so an untrusted clock can never reject a good log.
 */
public final class PerCpuTraceReader {

    private static final byte[] HEADER = "# coop-trace".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_CPU = 1 << 16;
    /** Character classes of a name: 1 = [a-z_], 2 = [0-9], 4 = '.', 0 = anything else. */
    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) CLASS[c] = 1;
        CLASS['_'] = 1;
        for (int c = '0'; c <= '9'; c++) CLASS[c] = 2;
        CLASS['.'] = 4;
    }

    /** Word ids of channel 0..63 by name symbol (-1 unknown yet): no hash lookup per access. */
    private int[][] wordCache = new int[64][];

    private final Symbols symbols = new Symbols();
    private final Words words = new Words();
    private final int logEnd = symbols.intern("log.end"), iopm = symbols.intern("iopm");
    private CpuLog[] byId = new CpuLog[8];
    private final List<String> files = new ArrayList<>(), comments = new ArrayList<>(), notes = new ArrayList<>();
    private Map<String, String> header;
    private V2TraceException error;

    // the file being read
    private String fileName;
    private short fileIndex;
    private int lineNo;
    private boolean sawHeader;
    /** Records the file may hold, from its length (0: unknown): the first CPU met in it gets room for them. */
    private int sizeHint;
    /** A record's length in bytes, about (85 to 95 in the host harness's logs; a low guess costs one copy). */
    private static final int BYTES_PER_RECORD = 80;

    // the line being parsed (committed to its CpuLog only once it all parses)
    private int[] fk = new int[8];
    private long[] fv = new long[8];
    private int nfk;
    private byte[] ak = new byte[8];
    private int[] aw = new int[8];
    private long[] av = new long[8];
    private int nak;
    private int lineCpu;
    private long lineSeq;

    /** Reads files, in order. I/O errors are thrown; format errors are in the result. */
    public static V2Trace read(Path... files) throws IOException {
        return read(Arrays.asList(files));
    }

    public static V2Trace read(List<Path> files) throws IOException {
        PerCpuTraceReader r = new PerCpuTraceReader();
        for (Path f : files) r.add(f);
        return r.finish();
    }

    /**
     * Reads files at once, one thread each (up to the cores), when each file holds its own
     * CPUs (a file per CPU, as the host harness and a per-CPU drain write them); the same
     * result as {@link #read(List)}, which it falls back to when two files share a CPU.
     */
    public static V2Trace readParallel(List<Path> files) throws IOException {
        if (files.size() < 2) return read(files);
        int threads = Math.min(files.size(), Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "v2-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<PerCpuTraceReader>> parts = new ArrayList<>();
            for (Path f : files) parts.add(pool.submit(() -> new PerCpuTraceReader().add(f)));
            List<PerCpuTraceReader> read = new ArrayList<>();
            for (var f : parts) read.add(f.get());
            PerCpuTraceReader merged = merge(read);
            return merged != null ? merged.finish() : read(files);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the logs", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The readers' records in one reader, in the order given (nothing after the first error,
     * as a sequential read would stop there); null when two of them hold the same CPU.
     */
    private static PerCpuTraceReader merge(List<PerCpuTraceReader> parts) {
        PerCpuTraceReader to = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            for (CpuLog l : parts.get(i).byId)
                if (l != null && l.cpu < to.byId.length && to.byId[l.cpu] != null) return null;
        }
        for (int i = 1; i < parts.size() && to.error == null; i++) {
            PerCpuTraceReader p = parts.get(i);
            int[] sym = new int[p.symbols.size()];
            for (int k = 0; k < sym.length; k++) sym[k] = to.symbols.intern(p.symbols.name(k));
            int[] word = new int[p.words.size()];
            for (int w = 0; w < word.length; w++) word[w] = to.words.id(p.words.channel(w), sym[p.words.nameSymbol(w)], to.symbols);
            short fileBase = (short) to.files.size();
            to.files.addAll(p.files);
            for (CpuLog l : p.byId) {
                if (l == null) continue;
                for (int k = 0; k < l.n; k++) {
                    l.name[k] = sym[l.name[k]];
                    l.file[k] += fileBase;
                }
                for (int k = 0; k < l.nf; k++) l.fieldKey[k] = sym[l.fieldKey[k]];
                for (int k = 0; k < l.na; k++) if (l.word[k] >= 0) l.word[k] = word[l.word[k]];
                l.endFile += fileBase;
                if (l.cpu >= to.byId.length) to.byId = Arrays.copyOf(to.byId, Math.max(to.byId.length * 2, l.cpu + 1));
                to.byId[l.cpu] = l;
            }
            to.comments.addAll(p.comments);
            to.notes.addAll(p.notes);
            if (to.header == null) to.header = p.header;
            to.error = p.error;
        }
        return to;
    }

    /** One file given as text (tests). */
    public static V2Trace readText(String name, String text) {
        return new PerCpuTraceReader().addText(name, text).finish();
    }

    public PerCpuTraceReader add(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            sizeHint = (int) Math.min(Integer.MAX_VALUE, Files.size(file) / BYTES_PER_RECORD);
            return add(file.toString(), in);
        } finally {
            sizeHint = 0;
        }
    }

    public PerCpuTraceReader addText(String name, String text) {
        try {
            return add(name, new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads one file (closing the stream is the caller's); nothing more is read after an error. */
    public PerCpuTraceReader add(String name, InputStream in) throws IOException {
        if (error != null) return this;
        if (files.size() == Short.MAX_VALUE) throw new IllegalArgumentException("too many files");
        fileName = name;
        fileIndex = (short) files.size();
        files.add(name);
        lineNo = 0;
        sawHeader = false;
        byte[] buf = new byte[1 << 16];
        int start = 0, lim = 0, scan = 0;
        while (error == null) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                if (start < lim) line(buf, start, lim, true);
                break;
            }
            lim += r;
            int last = lim - 1;
            while (last >= scan && buf[last] != '\n') last--;
            if (last >= scan) start = lines(buf, start, last + 1);
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, lim - start);
                lim -= start;
                start = 0;
            }
            scan = lim;
            if (lim == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);   // a line longer than the buffer
        }
        if (error == null && !sawHeader)
            error = new V2TraceException(name, lineNo, -1, -1, "no '# coop-trace v=2' header line: not a coop trace"
                    + " (or the guest wrote nothing)", true);
        return this;
    }

    /** The records read so far, grouped per CPU, with the first error if any. */
    public V2Trace finish() {
        List<CpuLog> logs = new ArrayList<>();
        for (CpuLog l : byId) if (l != null) logs.add(l);
        List<String> partial = new ArrayList<>(notes);
        for (CpuLog l : logs) {
            if (l.ended) continue;
            partial.add(l.n == 0 ? "cpu " + l.cpu + "'s log is cut short (no log.end)"
                    : "cpu " + l.cpu + "'s log is cut short (no log.end after seq " + (l.n - 1) + ", "
                    + files.get(l.file[l.n - 1]) + ":" + l.line[l.n - 1] + ")");
        }
        String cpus = header == null ? null : header.get("cpus");
        if (cpus != null && cpus.matches("\\d{1,6}") && Integer.parseInt(cpus) > logs.size())
            partial.add("the header says cpus=" + cpus + ", the logs hold " + logs.size());
        return new V2Trace(symbols, words, logs.toArray(new CpuLog[0]), Collections.unmodifiableList(files),
                header, Collections.unmodifiableList(comments), error, Collections.unmodifiableList(partial));
    }

    /** The complete lines of {@code [s, end)} ({@code b[end - 1]} is a newline); returns where it stopped. */
    private int lines(byte[] b, int s, int end) {
        int p = s;
        while (p < end && error == null) {
            byte c = b[p];
            if (!sawHeader || c == '#' || c == '\n' || c == '\r' || c == ' ') {
                int nl = p;
                while (b[nl] != '\n') nl++;
                line(b, p, nl, false);
                p = nl + 1;
                continue;
            }
            lineNo++;
            try {
                p = record(b, p, end) + 1;
            } catch (V2TraceException x) {
                error = x;
            }
        }
        return p;
    }

    private void line(byte[] b, int s, int e, boolean unterminated) {
        lineNo++;
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\r')) e--;
        if (!sawHeader) {
            if (startsWith(b, s, e, HEADER)) header(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            return;
        }
        if (e == s) return;
        if (b[s] == '#') {
            comments.add(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            return;
        }
        try {
            record(b, s, e);
        } catch (V2TraceException x) {
            if (unterminated && x.malformed()) {
                notes.add(fileName + ":" + lineNo + ": the file ends inside a line (a cut run): dropped");
                return;
            }
            error = x;
        }
    }

    private void header(String l) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String t : l.substring(HEADER.length).trim().split(" +")) {
            int eq = t.indexOf('=');
            if (eq > 0) h.put(t.substring(0, eq), t.substring(eq + 1));
        }
        if (!"2".equals(h.get("v"))) {
            error = new V2TraceException(fileName, lineNo, -1, -1, "trace format version " + h.get("v")
                    + ": this reader takes v=2 (per-CPU logs); v=1 traces go through coopvmm.conformance.trace", true);
            return;
        }
        sawHeader = true;
        if (header == null) header = Collections.unmodifiableMap(h);
    }

    private V2TraceException garbled(String what, byte[] b, int s, int e) {
        int le = s;
        while (le < e && b[le] != '\n') le++;
        while (le > s && (b[le - 1] == ' ' || b[le - 1] == '\r')) le--;
        e = le;
        String text = new String(b, s, Math.min(e - s, 120), StandardCharsets.ISO_8859_1);
        return new V2TraceException(fileName, lineNo, lineCpu, lineSeq, what + ": " + text, true);
    }

    private static int tokenEnd(byte[] b, int p, int e) {
        while (p < e) {
            byte c = b[p];
            if (c == ' ' || c == '\n' || c == '\r') break;
            p++;
        }
        return p;
    }

    /** From {@code p}, only spaces and carriage returns up to the newline (or the end): where that newline is, else -1. */
    private static int blankToEnd(byte[] b, int p, int e) {
        while (p < e) {
            byte c = b[p];
            if (c == '\n') return p;
            if (c != ' ' && c != '\r') return -1;
            p++;
        }
        return p;
    }

    private static boolean ends(byte[] b, int p, int e) {
        return p == e || b[p] == '\n' || blankToEnd(b, p, e) >= 0;
    }

    /** Digits only, at most 19 (a signed long); -1 if not. 20-digit unsigned values go through {@link #unsigned}. */
    private static long number(byte[] b, int from, int to) {
        if (from >= to || to - from > 19) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    /** An unsigned 64-bit decimal; throws if it is not one. */
    private long unsigned(byte[] b, int from, int to, int s, int e, int t, int p) {
        long v = number(b, from, to);
        if (v >= 0) return v;
        String what = t < 0 ? "time box" : "value in '" + token(b, t, p) + "'";
        if (to - from == 20) {
            for (int i = from; i < to; i++)
                if (b[i] < '0' || b[i] > '9') throw garbled("garbled " + what, b, s, e);
            try {
                return Long.parseUnsignedLong(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException x) {
                throw garbled(what + " out of range", b, s, e);
            }
        }
        throw garbled("garbled " + what, b, s, e);
    }

    private static boolean startsWith(byte[] b, int s, int e, byte[] p) {
        if (e - s < p.length) return false;
        for (int i = 0; i < p.length; i++) if (b[s + i] != p[i]) return false;
        return true;
    }

    private static boolean lower(byte c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** {@code [a-z_]+(\.[a-z_]+)+}. */
    private static boolean eventName(byte[] b, int from, int to) {
        int parts = 0, run = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '.') {
                if (run == 0) return false;
                parts++;
                run = 0;
            } else if (lower(c)) run++;
            else return false;
        }
        return run > 0 && parts >= 1;
    }

    private long num;          // the value of the last number scanned by digits()

    /** Scans decimal digits from {@code p}: their end, the value in {@link #num}; -1 if none or more than 19. */
    private int digits(byte[] b, int p, int e) {
        int q = p;
        long v = 0;
        while (q < e) {
            int d = b[q] - '0';
            if (d < 0 || d > 9) break;
            v = v * 10 + d;
            q++;
        }
        if (q == p || q - p > 19) return -1;
        num = v;
        return q;
    }

    /** An unsigned value from {@code from} to the token's end {@code p}: {@link #num}, or a located error. */
    private void value(byte[] b, int from, int p, int s, int e, int t) {
        int q = digits(b, from, p);
        if (q != p) num = unsigned(b, from, p, s, e, t, p);
    }

    /**
     * Parses the record starting at {@code s} (a line ends at a newline or at {@code e}) and
     * commits it; returns where the line ends (its newline, or {@code e}).
     */
    private int record(byte[] b, int s, int e) {
        lineCpu = -1;
        lineSeq = -1;
        int p = digits(b, s, e);
        if (p < 0 || (b[p] != ' ' && !ends(b, p, e))) throw garbled("garbled record (want '<cpu> <seq> <event> ...'; the cpu is not a number)", b, s, e);
        if (num >= MAX_CPU) throw garbled("cpu " + num + " out of range", b, s, e);
        int cpu = (int) num;
        lineCpu = cpu;
        if (ends(b, p, e)) throw garbled("garbled record (want '<cpu> <seq> <event> ...')", b, s, e);
        int t = p + 1;
        p = digits(b, t, e);
        if (p < 0 || (b[p] != ' ' && !ends(b, p, e))) throw garbled("garbled record (want '<cpu> <seq> <event> ...'; the seq is not a number)", b, s, e);
        if (num >= Integer.MAX_VALUE - 1) throw garbled("seq " + num + " out of range", b, s, e);
        int seq = (int) num;
        lineSeq = seq;
        if (ends(b, p, e)) throw garbled("garbled record (no event name)", b, s, e);
        t = p + 1;
        p = tokenEnd(b, t, e);
        if (p < e && b[p] != ' ' && b[p] != '\n' && blankToEnd(b, p, e) < 0) throw garbled("garbled event name", b, s, e);
        if (!eventName(b, t, p)) throw garbled("garbled event name '" + new String(b, t, p - t, StandardCharsets.ISO_8859_1) + "'", b, s, e);
        int event = symbols.intern(b, t, p);
        int[] shape = shape(event);
        nfk = 0;
        nak = 0;
        long channel = 0;
        boolean box = false;
        long tsc0 = 0, tsc1 = 0;
        for (int j = 0; ; j++) {            // j: the token's place after the event name
            if (p == e || b[p] == '\n') break;
            int nl = blankToEnd(b, p, e);
            if (nl >= 0) {                      // trailing spaces end nothing
                p = nl;
                break;
            }
            if (b[p] != ' ') throw garbled("garbled record (a stray character)", b, s, e);
            t = p + 1;
            if (b[t] == ' ') throw garbled("garbled record (two spaces: an empty field)", b, s, e);
            if (box) throw garbled("garbled record ('" + token(b, t, tokenEnd(b, t, e)) + "' after the tsc box, which ends a record)", b, s, e);
            byte c0 = b[t];
            boolean access = (c0 == 'r' || c0 == 'w') && t + 1 < e && b[t + 1] == ':';
            if (!access && c0 == 'm' && t + 1 < e && b[t + 1] == 'b' && (t + 2 == e || b[t + 2] == ' ' || b[t + 2] == '\n' || b[t + 2] == '\r')) {
                addAccess(Access.FENCE, -1, 0);
                p = t + 2;
                continue;
            }
            int n0 = access ? t + 2 : t;
            // the common case: the name this place had in the last record of this event, a short decimal value
            int guess = j < shape.length ? shape[j] : -1;
            if (guess >= 0 && (guess & 1) == (access ? 1 : 0)) {
                int sym = guess >>> 1, q = same(b, n0, e, symbols.bytes(sym));
                int pe = q < 0 ? -1 : digits(b, q + 1, e);
                if (pe > 0 && (pe == e || b[pe] == ' ' || b[pe] == '\n' || b[pe] == '\r')) {
                    p = pe;
                    if (access) addAccess(c0 == 'r' ? Access.READ : Access.WRITE, sym, num);
                    else {
                        addField(sym, b, s, e);
                        if (sym == iopm) channel = num;
                    }
                    continue;
                }
            }
            // a name up to '=': [a-z_][a-z0-9_]* (with single inner dots for a word), hashed as it is checked
            int q = n0, h = 0;
            byte prev = '.';
            boolean ok = true;
            int allowed = access ? 7 : 3;
            if (q < e && CLASS[b[q] & 0xff] != 1) ok = false;        // a name starts with [a-z_]
            while (q < e) {
                byte c = b[q];
                if (c == '=' || c == ' ' || c == '\n' || c == '\r') break;
                int k = CLASS[c & 0xff];
                if ((k & allowed) == 0 || (k == 4 && prev == '.')) ok = false;
                h = 31 * h + c;
                prev = c;
                q++;
            }
            // a short decimal value and a space or the line's end: one scan
            if (ok && q != n0 && q < e && b[q] == '=' && prev != '.') {
                int pe = digits(b, q + 1, e);
                if (pe > 0 && (pe == e || b[pe] == ' ' || b[pe] == '\n' || b[pe] == '\r')
                        && !(q - t == 3 && b[t] == 't' && b[t + 1] == 's' && b[t + 2] == 'c')) {
                    p = pe;
                    int sym = symbols.intern(b, n0, q, h);
                    shape = remember(event, j, sym, access);
                    if (access) {
                        addAccess(c0 == 'r' ? Access.READ : Access.WRITE, sym, num);
                        continue;
                    }
                    addField(sym, b, s, e);
                    if (sym == iopm) channel = num;
                    continue;
                }
            }
            p = tokenEnd(b, q, e);
            if (!ok || q == n0 || q == e || b[q] != '=' || prev == '.') {
                if (access) throw garbled("garbled access '" + token(b, t, p) + "' (want r:<word>=<value> or w:<word>=<value>)", b, s, e);
                throw garbled("garbled field '" + token(b, t, p) + "' (want key=value, r:/w:<word>=<value>, mb or tsc=<a>-<b>)", b, s, e);
            }
            if (access) {
                value(b, q + 1, p, s, e, t);
                int sym = symbols.intern(b, n0, q, h);
                shape = remember(event, j, sym, true);
                addAccess(c0 == 'r' ? Access.READ : Access.WRITE, sym, num);
                continue;
            }
            if (q - t == 3 && b[t] == 't' && b[t + 1] == 's' && b[t + 2] == 'c') {
                int dash = indexOf(b, q + 1, p, (byte) '-');
                if (dash < 0) throw garbled("garbled time box '" + token(b, t, p) + "' (want tsc=<a>-<b>)", b, s, e);
                tsc0 = unsigned(b, q + 1, dash, s, e, -1, -1);
                tsc1 = unsigned(b, dash + 1, p, s, e, -1, -1);
                box = true;
                continue;
            }
            value(b, q + 1, p, s, e, t);
            int sym = symbols.intern(b, t, q, h);
            shape = remember(event, j, sym, false);
            addField(sym, b, s, e);
            if (sym == iopm) channel = num;
        }
        commit(cpu, seq, event, (int) channel, box, tsc0, tsc1);
        return p;
    }

    /**
     * Per event symbol, the names of its last record place by place ({@code symbol << 1 | 1} for
     * an access's word, {@code symbol << 1} for a field's key, -1 none): a record mostly names what
     * the last one of its event did, so a name is compared with that one's bytes, not scanned,
     * hashed and looked up. Only a name that passed the checks of its kind is remembered, and the
     * same bytes pass the same checks: the guess changes no verdict.
     */
    private int[][] shapes = new int[64][];
    private static final int[] NO_SHAPE = new int[0];
    private static final int SHAPE_PLACES = 16;

    private int[] shape(int event) {
        if (event >= shapes.length) shapes = Arrays.copyOf(shapes, Math.max(shapes.length * 2, event + 1));
        int[] sh = shapes[event];
        return sh == null ? NO_SHAPE : sh;
    }

    private int[] remember(int event, int j, int sym, boolean access) {
        int[] sh = shapes[event];
        if (j >= SHAPE_PLACES) return sh == null ? NO_SHAPE : sh;
        if (sh == null) {
            sh = new int[SHAPE_PLACES];
            Arrays.fill(sh, -1);
            shapes[event] = sh;
        }
        sh[j] = sym << 1 | (access ? 1 : 0);
        return sh;
    }

    /** Whether {@code b} from {@code p} is {@code name} then '=' (before {@code e}): where the '=' is, else -1. */
    private static int same(byte[] b, int p, int e, byte[] name) {
        int q = p + name.length;
        if (q >= e || b[q] != '=') return -1;
        for (int i = 0; i < name.length; i++) if (b[p + i] != name[i]) return -1;
        return q;
    }

    /** The field {@code key} with the value in {@link #num}. */
    private void addField(int key, byte[] b, int s, int e) {
        if (key == iopm && (num < 0 || num > Integer.MAX_VALUE))
            throw garbled("channel iopm=" + Long.toUnsignedString(num) + " out of range", b, s, e);
        if (nfk == fk.length) {
            fk = Arrays.copyOf(fk, nfk * 2);
            fv = Arrays.copyOf(fv, nfk * 2);
        }
        fk[nfk] = key;
        fv[nfk++] = num;
    }

    private static String token(byte[] b, int t, int p) {
        return new String(b, t, Math.min(p - t, 80), StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    private void addAccess(byte kind, int sym, long v) {
        if (nak == ak.length) {
            ak = Arrays.copyOf(ak, nak * 2);
            aw = Arrays.copyOf(aw, nak * 2);
            av = Arrays.copyOf(av, nak * 2);
        }
        ak[nak] = kind;
        aw[nak] = sym;
        av[nak++] = v;
    }

    private int word(int channel, int sym) {
        if (channel >= wordCache.length) return words.id(channel, sym, symbols);
        int[] c = wordCache[channel];
        if (c == null || sym >= c.length) {
            int[] n = new int[Math.max(symbols.size(), sym + 1) + 16];
            Arrays.fill(n, -1);
            if (c != null) System.arraycopy(c, 0, n, 0, c.length);
            wordCache[channel] = c = n;
        }
        int w = c[sym];
        if (w < 0) c[sym] = w = words.id(channel, sym, symbols);
        return w;
    }

    private void commit(int cpu, int seq, int event, int channel, boolean box, long tsc0, long tsc1) {
        if (cpu >= byId.length) byId = Arrays.copyOf(byId, Math.max(byId.length * 2, cpu + 1));
        CpuLog l = byId[cpu];
        if (l == null) {
            byId[cpu] = l = new CpuLog(cpu, sizeHint);
            sizeHint = 0;
        }
        if (l.ended)
            throw new V2TraceException(fileName, lineNo, cpu, seq, "a record after cpu " + cpu + "'s log.end (seq "
                    + l.n + ", " + files.get(l.endFile) + ":" + l.endLine + ")", false);
        if (seq != l.n) {
            if (seq > l.n)
                throw new V2TraceException(fileName, lineNo, cpu, seq, "a gap in cpu " + cpu + "'s log: seq " + l.n
                        + " expected" + (l.n == 0 ? " (its first record)" : " after seq " + (l.n - 1) + " ("
                        + files.get(l.file[l.n - 1]) + ":" + l.line[l.n - 1] + ")") + ", records " + l.n
                        + (seq - 1 > l.n ? ".." + (seq - 1) : "") + " are missing", false);
            throw new V2TraceException(fileName, lineNo, cpu, seq, "seq " + seq + " repeats in cpu " + cpu
                    + "'s log (seq " + seq + " was " + files.get(l.file[seq]) + ":" + l.line[seq] + ", seq " + (l.n - 1)
                    + " the last): an overwritten buffer, or two CPUs claiming the same numbers", false);
        }
        if (event == logEnd) {
            l.ended = true;
            l.endLine = lineNo;
            l.endFile = fileIndex;
            return;
        }
        l.ensureEvent();
        l.ensureFields(nfk);
        l.ensureAccesses(nak);
        int i = l.n;
        l.name[i] = event;
        l.channel[i] = channel;
        l.line[i] = lineNo;
        l.file[i] = fileIndex;
        System.arraycopy(fk, 0, l.fieldKey, l.nf, nfk);
        System.arraycopy(fv, 0, l.fieldVal, l.nf, nfk);
        l.nf += nfk;
        for (int j = 0; j < nak; j++) {
            int a = l.na + j;
            l.kind[a] = ak[j];
            l.word[a] = ak[j] == Access.FENCE ? -1 : word(channel, aw[j]);
            l.value[a] = av[j];
        }
        l.na += nak;
        if (box) l.setTsc(i, tsc0, tsc1);
        l.n = i + 1;
        l.fieldStart[i + 1] = l.nf;
        l.accStart[i + 1] = l.na;
    }
}
