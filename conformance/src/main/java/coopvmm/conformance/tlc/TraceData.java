package coopvmm.conformance.tlc;

import tlc2.overrides.TLAPlusOperator;
import tlc2.tool.EvalException;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.UniqueString;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Java definition of {@code TraceData!Pieces(file)} (resource {@code TraceData.tla}),
 * run inside TLC: the trace comes from a plain file, so TLC's parser never sees it.
 *
 * <p>The file, written by {@link #write}: a line {@code piece} opens each piece, then one
 * line per event, {@code <Action> <line> <field>=<n> ...}. Each event becomes the record
 * {@code [a |-> "<Action>", line |-> <line>, <field> |-> <n>, ...]}.
 */
public final class TraceData {

    /** The module TLC looks for, copied beside the generated modules. */
    public static final String MODULE = "TraceData";

    private static final UniqueString A = UniqueString.uniqueStringOf("a"), LINE = UniqueString.uniqueStringOf("line");

    private TraceData() {
    }

    /** One event as the file has it: the spec action, its trace line, its fields. */
    public record Event(String action, int line, Map<String, Long> fields) {
    }

    /** Writes pieces of events in the file format above. */
    public static void write(Path file, List<List<Event>> pieces) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("# coop trace data for TLC (TraceData.tla): 'piece', then '<Action> <line> <field>=<n>...' per event\n");
            for (List<Event> p : pieces) {
                w.write("piece\n");
                for (Event e : p) {
                    w.write(e.action());
                    w.write(' ');
                    w.write(Integer.toString(e.line()));
                    for (var f : e.fields().entrySet()) {
                        w.write(' ');
                        w.write(f.getKey());
                        w.write('=');
                        w.write(Long.toString(f.getValue()));
                    }
                    w.write('\n');
                }
            }
        }
    }

    /**
     * Copies {@code TraceData.tla} into {@code dir}, where the generated modules EXTEND it: left
     * as it is when it is there already, else moved into place whole (TLC runs in parallel may
     * be reading it).
     */
    public static synchronized void installModule(Path dir) throws IOException {
        byte[] text;
        try (var in = TraceData.class.getResourceAsStream(MODULE + ".tla")) {
            if (in == null) throw new IOException("resource " + MODULE + ".tla missing from the CLI's jar");
            text = in.readAllBytes();
        }
        Path f = dir.resolve(MODULE + ".tla");
        if (Files.exists(f) && java.util.Arrays.equals(Files.readAllBytes(f), text)) return;
        Path tmp = Files.createTempFile(dir, MODULE, ".tmp");
        Files.write(tmp, text);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code Pieces(file)}: the pieces of the trace data in {@code file}. */
    @TLAPlusOperator(identifier = "Pieces", module = MODULE, warn = false)
    public static Value pieces(Value file) {
        if (!(file instanceof StringValue s)) throw new EvalException(tlc2.output.EC.GENERAL, "TraceData!Pieces: the file name must be a string");
        Path path = Path.of(s.getVal().toString());
        List<Value> pieces = new ArrayList<>();
        List<Value> cur = null;
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.US_ASCII)) {
            String l;
            while ((l = r.readLine()) != null) {
                lineNo++;
                if (l.isEmpty() || l.startsWith("#")) continue;
                if (l.equals("piece")) {
                    if (cur != null) pieces.add(new TupleValue(cur.toArray(new Value[0])));
                    cur = new ArrayList<>();
                    continue;
                }
                if (cur == null) throw new IOException("an event before the first 'piece' line");
                cur.add(event(l));
            }
        } catch (IOException | RuntimeException e) {
            throw new EvalException(tlc2.output.EC.GENERAL, "TraceData!Pieces: " + path + ":" + lineNo + ": " + e.getMessage());
        }
        if (cur != null) pieces.add(new TupleValue(cur.toArray(new Value[0])));
        return new TupleValue(pieces.toArray(new Value[0]));
    }

    private static Value event(String l) {
        String[] w = l.split(" ");
        if (w.length < 2) throw new IllegalArgumentException("want '<Action> <line> <field>=<n>...', got '" + l + "'");
        UniqueString[] names = new UniqueString[w.length];
        Value[] values = new Value[w.length];
        names[0] = A;
        values[0] = new StringValue(w[0]);
        names[1] = LINE;
        values[1] = IntValue.gen(Integer.parseInt(w[1]));
        for (int k = 2; k < w.length; k++) {
            int eq = w[k].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("field '" + w[k] + "' is not <field>=<n>");
            names[k] = UniqueString.uniqueStringOf(w[k].substring(0, eq));
            values[k] = IntValue.gen(Math.toIntExact(Long.parseLong(w[k].substring(eq + 1))));
        }
        return new RecordValue(names, values, false);
    }
}
