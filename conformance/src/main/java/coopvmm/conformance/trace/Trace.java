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
 * events in sequence order (a publish line with {@code notify=} is two events, the publish and
 * its notify step, and a prepare-sleep line two, its see-idle step and itself, each pair at the
 * same line and sequence number: see {@link TraceReader}).
 */
public record Trace(Path file, Map<String, String> header, List<String> zones, List<String> comments,
                    List<TraceEvent> events) {

    public static final int VERSION = 1;

    static final Pattern HEADER = Pattern.compile("^# coop-trace(\\s.*)?$");
    private static final Pattern KV = Pattern.compile("^([a-z_][a-z0-9_]*)=(\\S*)$");

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

    /** The fields of a {@code # coop-trace} header line (either format version); a bad one throws. */
    public static Map<String, String> parseHeader(String line, int lineNo) {
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

    /**
     * One event line, {@code <seq> <cpu> <tsc> <event> k=v...}, single spaces. Scanned by
     * hand (no split, no regex): it runs once per event of traces of millions. Names and keys
     * are interned, so the replay compares them by reference.
     */
    static TraceEvent parseEvent(String line, int lineNo) {
        int n = line.length();
        while (n > 0 && line.charAt(n - 1) == ' ') n--;      // trailing spaces end nothing
        if (n < line.length()) line = line.substring(0, n);
        long[] head = new long[3];
        int at = 0;
        for (int k = 0; k < 3; k++) {
            int end = next(line, at);
            if (end == n) throw new TraceFormatException(lineNo, -1,
                    "garbled line (want '<seq> <cpu> <tsc> <event> k=v...'): " + abbreviate(line));
            if (!digits(line, at, end)) throw new TraceFormatException(lineNo, -1,
                    "garbled line (field " + (k + 1) + " is not a number): " + abbreviate(line));
            head[k] = number(line, at, end, k == 2, lineNo, k == 0 ? -1 : head[0]);
            at = end + 1;
        }
        long seq = head[0];
        int end = next(line, at);
        if (!eventName(line, at, end)) throw new TraceFormatException(lineNo, seq,
                "garbled event name '" + abbreviate(line.substring(at, end)) + "'");
        String name = intern(line, at, end);
        String[] keys = new String[4];
        long[] values = new long[4];
        int size = 0;
        for (at = end + 1; at <= n && end < n; at = end + 1) {
            end = next(line, at);
            int eq = line.indexOf('=', at);
            if (eq < 0 || eq >= end || !key(line, at, eq) || !digits(line, eq + 1, end))
                throw new TraceFormatException(lineNo, seq, "garbled field '" + abbreviate(line.substring(at, end)) + "'");
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            String k = intern(line, at, eq);
            long v = number(line, eq + 1, end, false, lineNo, seq);
            int i = 0;
            while (i < size && keys[i] != k) i++;              // a repeated key: the last value holds
            keys[i] = k;
            values[i] = v;
            if (i == size) size++;
        }
        return new TraceEvent(lineNo, seq, (int) head[1], head[2], name, new TraceFields(keys, values, size));
    }

    /** Where the token starting at {@code at} ends: the next space, or the line's end. */
    private static int next(String l, int at) {
        int sp = l.indexOf(' ', at);
        return sp < 0 ? l.length() : sp;
    }

    private static boolean digits(String l, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) if (l.charAt(i) < '0' || l.charAt(i) > '9') return false;
        return true;
    }

    /** {@code [a-z_]+(\\.[a-z_]+)+}. */
    private static boolean eventName(String l, int from, int to) {
        int parts = 0, run = 0;
        for (int i = from; i < to; i++) {
            char c = l.charAt(i);
            if (c == '.') {
                if (run == 0) return false;
                parts++;
                run = 0;
            } else if ((c >= 'a' && c <= 'z') || c == '_') {
                run++;
            } else {
                return false;
            }
        }
        return run > 0 && parts >= 1;
    }

    /** {@code [a-z_][a-z0-9_]*}. */
    private static boolean key(String l, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            char c = l.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || c == '_' || (i > from && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    /** A run of digits as a number: signed 63-bit, or unsigned 64-bit (a TSC). */
    private static long number(String l, int from, int to, boolean unsigned, int lineNo, long seq) {
        if (to - from <= 18) {
            long v = 0;
            for (int i = from; i < to; i++) v = v * 10 + (l.charAt(i) - '0');
            return v;
        }
        String s = l.substring(from, to);
        return unsigned ? parseUnsigned(s, lineNo, seq) : parse(s, lineNo, seq);
    }

    /**
     * Names and keys seen so far, by a hash of their characters: an open-addressed table
     * looked up straight from the line, so a known name costs no new String. The format has a
     * few dozen; a garbled trace with more gets plain substrings once the table is half full.
     */
    private static final String[] NAMES = new String[1024];

    /** The one instance (the JVM's interned one, as the checker's literals) of {@code l[from, to)}. */
    private static String intern(String l, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + l.charAt(i);
        int len = to - from, mask = NAMES.length - 1;
        synchronized (NAMES) {
            for (int probe = 0, slot = (h ^ (h >>> 16)) & mask; probe < NAMES.length / 2; probe++, slot = (slot + 1) & mask) {
                String s = NAMES[slot];
                if (s == null) {
                    String t = l.substring(from, to).intern();
                    NAMES[slot] = t;
                    return t;
                }
                if (s.length() == len && l.regionMatches(from, s, 0, len)) return s;
            }
        }
        return l.substring(from, to);
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
