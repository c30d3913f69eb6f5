package coopvmm.conformance.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed trace, format version 1 (docs/trace-format.md): the header, the zone table, the
 * other comment lines (the constants of the boot and routing protocols among them), the
 * events in sequence order.
 */
public record Trace(Path file, Map<String, String> header, List<String> zones, List<String> comments,
                    List<TraceEvent> events) {

    public static final int VERSION = 1;

    static final Pattern HEADER = Pattern.compile("^# coop-trace(\\s.*)?$");
    private static final Pattern KV = Pattern.compile("^([a-z_][a-z0-9_]*)=(\\S*)$");
    private static final Pattern NUMBER = Pattern.compile("^\\d+$");

    public int iopms() {
        return Integer.parseInt(header.getOrDefault("iopms", "0"));
    }

    public int ringSlots() {
        return Integer.parseInt(header.getOrDefault("ring_slots", "16"));
    }

    public String scenario() {
        return header.getOrDefault("scenario", "?");
    }

    /**
     * The fields of the first comment line {@code # <name> k=v ...} (e.g. {@code # boot
     * pm_units=4 ...}), or null when there is none. Words that are not {@code k=v} are
     * kept under their position ("0", "1", ...).
     */
    public Map<String, String> comment(String name) {
        for (String c : comments) {
            String[] w = c.split("\\s+");
            if (w.length == 0 || !w[0].equals(name)) continue;
            Map<String, String> out = new LinkedHashMap<>();
            for (int k = 1; k < w.length; k++) {
                int eq = w[k].indexOf('=');
                if (eq > 0) out.put(w[k].substring(0, eq), w[k].substring(eq + 1));
                else out.put(Integer.toString(k - 1), w[k]);
            }
            return out;
        }
        return null;
    }

    /** The number under {@code key} of a {@link #comment} line; IllegalArgumentException if absent or not a number. */
    public static int number(Map<String, String> comment, String key) {
        String v = comment.get(key);
        if (v == null) throw new IllegalArgumentException("no " + key + "=");
        return Integer.decode(v);
    }

    /** Every comment line {@code # <name> ...}, split in words after the name. */
    public List<List<String>> comments(String name) {
        List<List<String>> out = new ArrayList<>();
        for (String c : comments) {
            String[] w = c.split("\\s+");
            if (w.length > 0 && w[0].equals(name)) out.add(List.of(w).subList(1, w.length));
        }
        return out;
    }

    /** The zone {@code name} of the zone table as {@code [lo, hi)}, or null. */
    public long[] zone(String name) {
        for (String z : zones) {
            String[] w = z.split("\\s+");
            if (w.length == 4 && w[1].equals(name))
                return new long[] {Long.decode(w[2]), Long.decode(w[3])};
        }
        return null;
    }

    /** The {@code run.end} event, or null when the trace was cut. */
    public TraceEvent end() {
        for (int k = events.size() - 1; k >= 0; k--) if (events.get(k).name().equals("run.end")) return events.get(k);
        return null;
    }

    /**
     * Reads a trace. Lines before the header are firmware noise and skipped; a missing
     * header, another version, a line that does not parse or a gap in the sequence numbers
     * is a {@link TraceFormatException} naming the line.
     */
    public static Trace read(Path file) throws IOException {
        List<TraceEvent> events = new ArrayList<>();
        try (TraceReader r = new TraceReader(file)) {
            while (r.hasNext()) events.add(r.next());
            return new Trace(file, r.header(), List.copyOf(r.zones()), List.copyOf(r.comments()), events);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static Map<String, String> parseHeader(String line, int lineNo) {
        Map<String, String> h = new LinkedHashMap<>();
        String rest = line.substring("# coop-trace".length()).strip();
        if (rest.isEmpty()) throw new TraceFormatException(lineNo, -1, "header has no fields");
        for (String w : rest.split("\\s+")) {
            Matcher m = KV.matcher(w);
            if (!m.matches()) throw new TraceFormatException(lineNo, -1, "bad header field '" + w + "'");
            h.put(m.group(1), m.group(2));
        }
        if (!h.containsKey("v")) throw new TraceFormatException(lineNo, -1, "header without version v=");
        return h;
    }

    static TraceEvent parseEvent(String line, int lineNo) {
        String[] w = line.split(" ");
        if (w.length < 4) throw new TraceFormatException(lineNo, -1, "garbled line (want '<seq> <cpu> <tsc> <event> k=v...'): "
                + abbreviate(line));
        for (int k = 0; k < 3; k++) {
            if (!NUMBER.matcher(w[k]).matches()) throw new TraceFormatException(lineNo, -1,
                    "garbled line (field " + (k + 1) + " is not a number): " + abbreviate(line));
        }
        long seq = parse(w[0], lineNo, -1);
        if (!w[3].matches("[a-z_]+(\\.[a-z_]+)+")) throw new TraceFormatException(lineNo, seq,
                "garbled event name '" + abbreviate(w[3]) + "'");
        Map<String, Long> fields = new LinkedHashMap<>();
        for (int k = 4; k < w.length; k++) {
            Matcher m = KV.matcher(w[k]);
            if (!m.matches() || !NUMBER.matcher(m.group(2)).matches())
                throw new TraceFormatException(lineNo, seq, "garbled field '" + abbreviate(w[k]) + "'");
            fields.put(m.group(1), parse(m.group(2), lineNo, seq));
        }
        return new TraceEvent(lineNo, seq, (int) parse(w[1], lineNo, seq), parseUnsigned(w[2], lineNo, seq),
                w[3], fields);
    }

    private static long parse(String s, int lineNo, long seq) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(lineNo, seq, "number out of range: " + abbreviate(s));
        }
    }

    private static long parseUnsigned(String s, int lineNo, long seq) {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(lineNo, seq, "number out of range: " + abbreviate(s));
        }
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }
}
