package coopvmm.conformance.trace;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a trace's events one at a time, as they come from the file: memory does not grow
 * with the trace. The same rules as {@link Trace#read}, which is built on it: lines before the
 * header are firmware noise; comments are kept ({@link #comments()}, {@link #zones()}, those
 * seen so far); a partial last line (a cut run) ends the events quietly; a garbled line, a gap
 * or a repeat in the sequence numbers, a missing header or another version is a
 * {@link TraceFormatException} naming the line. I/O errors come as {@link UncheckedIOException}.
 *
 * <p>A version-1 publish line that carries {@code notify=} ({@code vmm.publish_requests prod=P
 * notify=B}, the same of {@code iopm.publish_responses}) is two or three steps of the spec, taken
 * back to back (the locked build does them under its lock): it comes out as the publish
 * (without {@code notify}), then {@code vmm.notify_iopm notify=B} ({@code iopm.notify_vmm}), and
 * if B is 1 then {@code vmm.send_ipi} ({@code iopm.send_ipi}), all with the line's number,
 * sequence number, CPU and TSC, so that an error in any names the line. In the same way a version-1 {@code vmm.prepare_sleep event=E} line (the same of
 * {@code iopm.prepare_sleep}) is two steps, the load that saw nothing to do and the store of the
 * event index, which the locked build takes under one lock and traces as one line: it comes out
 * as {@code vmm.see_idle} (the channel its only field) and then the line's
 * {@code vmm.prepare_sleep}. Always: a version-1 build writes no see_idle line. This is the one
 * place those expansions are made: every checker sees the two events.
 */
public final class TraceReader implements Iterator<TraceEvent>, AutoCloseable {

    private static final int CHUNK = 1 << 16;

    private final Reader in;
    private final char[] buf = new char[CHUNK];
    private int pos, lim;
    private boolean eof;
    private final StringBuilder line = new StringBuilder();
    private int lineNo;
    private Map<String, String> header;
    private int headerLine;
    private final List<String> zones = new ArrayList<>(), comments = new ArrayList<>();
    private TraceEvent next;
    // the later parts of a v1 line that is several steps, due after `next`, in order
    private final TraceEvent[] queued = new TraceEvent[2];
    private int queuedAt, queuedEnd;
    private long want;
    private boolean done;

    public TraceReader(Path file) throws IOException {
        // The guest writes bytes; ISO-8859-1 maps each to one char, stray bytes included.
        this.in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
    }

    /** The header's fields; reads up to the header if need be. */
    public Map<String, String> header() {
        if (header == null && !done) advance();
        if (header == null) throw new TraceFormatException(lineNo, -1,
                "no '# coop-trace' header line: not a coop trace (or the guest wrote nothing)");
        return header;
    }

    public List<String> zones() {
        return zones;
    }

    public List<String> comments() {
        return comments;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) advance();
        if (next == null && header == null) header();   // throws: no header at all
        return next != null;
    }

    @Override
    public TraceEvent next() {
        if (!hasNext()) throw new NoSuchElementException();
        TraceEvent e = next;
        next = null;
        return e;
    }

    /** Reads lines until the next event (into {@code next}) or the end. */
    private void advance() {
        if (queuedAt < queuedEnd) {
            next = queued[queuedAt];
            queued[queuedAt++] = null;
            return;
        }
        try {
            String l;
            while ((l = readLine()) != null) {
                if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
                if (header == null) {
                    if (Trace.HEADER.matcher(l).matches()) {
                        header = Trace.parseHeader(l, lineNo);
                        headerLine = lineNo;
                        if (!Integer.toString(Trace.VERSION).equals(header.get("v")))
                            throw new TraceFormatException(headerLine, -1, "trace format version " + header.get("v")
                                    + ", this checker reads version " + Trace.VERSION
                                    + " (and the lock-free build's version 2, whose per-CPU logs it orders first)");
                    }
                    continue;
                }
                if (l.isEmpty()) continue;
                if (l.startsWith("#")) {
                    if (l.startsWith("# zone ")) zones.add(l.substring(2));
                    else if (l.startsWith("# ")) comments.add(l.substring(2).strip());
                    continue;
                }
                TraceEvent e = Trace.parseEvent(l, lineNo);
                if (e.seq() != want) {
                    throw new TraceFormatException(lineNo, e.seq(), "sequence number " + e.seq()
                            + " where " + want + " was due (a lost, repeated or reordered event)", true);
                }
                want++;
                next = e;
                queuedAt = queuedEnd = 0;
                String notify = notifyOf(e);
                if (notify != null) {
                    next = half(e, e.name(), "notify");
                    queued[queuedEnd++] = half(e, notify, "prod");
                    if (e.get("notify") == 1) queued[queuedEnd++] = part(e, sendIpiOf(e));
                }
                String idle = seeIdleOf(e);
                if (idle != null) {
                    next = half(e, idle, "event");
                    queued[queuedEnd++] = e;
                }
                return;
            }
            done = true;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** The name of the notify step of a v1 publish event that carries {@code notify=}, else null. */
    private static String notifyOf(TraceEvent e) {
        if (!e.has("notify")) return null;
        return switch (e.name()) {
            case "vmm.publish_requests" -> "vmm.notify_iopm";
            case "iopm.publish_responses" -> "iopm.notify_vmm";
            default -> null;
        };
    }

    /** The IPI send of a v1 publish line that says notify=1. */
    private static String sendIpiOf(TraceEvent e) {
        return e.name().startsWith("vmm.") ? "vmm.send_ipi" : "iopm.send_ipi";
    }

    /** The see-idle step that a v1 prepare-sleep line also stands for, else null. */
    private static String seeIdleOf(TraceEvent e) {
        return switch (e.name()) {
            case "vmm.prepare_sleep" -> "vmm.see_idle";
            case "iopm.prepare_sleep" -> "iopm.see_idle";
            default -> null;
        };
    }

    /** {@code e} as event {@code name}, at the same place, with the channel its only field. */
    private static TraceEvent part(TraceEvent e, String name) {
        Map<String, Long> f = new LinkedHashMap<>();
        if (e.has("iopm")) f.put("iopm", e.get("iopm"));
        return new TraceEvent(e.line(), e.seq(), e.cpu(), e.tsc(), name, f);
    }

    /** {@code e} as event {@code name}, at the same place, without its field {@code drop}. */
    private static TraceEvent half(TraceEvent e, String name, String drop) {
        Map<String, Long> f = new LinkedHashMap<>();
        for (var kv : e.fields().entrySet()) if (!kv.getKey().equals(drop)) f.put(kv.getKey(), kv.getValue());
        return new TraceEvent(e.line(), e.seq(), e.cpu(), e.tsc(), name, f);
    }

    /** The next whole line (without its newline); null at the end, or for a partial last line (a cut run). */
    private String readLine() throws IOException {
        line.setLength(0);
        for (;;) {
            if (pos == lim) {
                // what is in `line` had no newline: a partial line, dropped (a cut run), unless
                // the header is still to come (a run cut right after writing it)
                if (eof) return header == null && line.length() > 0 ? partialHeader() : null;
                lim = in.read(buf, 0, CHUNK);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    eof = true;
                    continue;
                }
            }
            int start = pos;
            while (pos < lim && buf[pos] != '\n') pos++;
            line.append(buf, start, pos - start);
            if (pos < lim) {
                pos++;                         // the newline
                lineNo++;
                return line.toString();
            }
        }
    }

    /** The unterminated last line, once, as a header candidate. */
    private String partialHeader() {
        String l = line.toString();
        line.setLength(0);
        lineNo++;
        return l;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
