package coopvmm.conformance.trace;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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
                                    + ", this checker reads version " + Trace.VERSION);
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
                return;
            }
            done = true;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
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
