package coopvmm.conformance.bench;

import coopvmm.model.ring.RingAction;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A long trace made of a real one: the ring events of a reference VMM run's channel 0 (from
 * Init to the run's end, every request answered), copied onto channels 0, 1, 2, ... one copy
 * after another, between the run's run.start and run.end. Each copy is the real channel's
 * behaviour as it was (its events, fields and CPUs), so the checkers see a real trace's mix of
 * steps at any length, where {@link RingTraceWriter}'s are a random walk of the model. Sequence
 * numbers run on; each copy's time stamps follow the last one's.
 */
public final class RealTraceReplica {

    private RealTraceReplica() {
    }

    /** What {@link #write} made: the copies (channels) and the ring lines of each. */
    public record Made(int copies, int linesPerCopy) {
    }

    /**
     * Writes to {@code out} the replica of the v1 trace {@code real} (its lines) with at least
     * {@code events} ring lines: as many copies as that takes. The real trace must have one
     * channel (iopm=0), a run.start and a run.end.
     */
    public static Made write(Path out, List<String> real, long events) throws IOException {
        String header = null, start = null, end = null;
        List<String[]> ring = new ArrayList<>();
        long lastTsc = 0;
        for (String l : real) {
            if (l.startsWith("# coop-trace")) header = l;
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] w = l.split(" ", 5);
            if (w.length < 4) throw new IllegalArgumentException("not a v1 event line: " + l);
            lastTsc = Math.max(lastTsc, Long.parseLong(w[2]));
            if (w[3].equals("run.start")) start = l;
            else if (w[3].equals("run.end")) end = l;
            else if (RingAction.fromEvent(w[3]) != null) {
                if (w.length < 5 || !(" " + w[4] + " ").contains(" iopm=0 "))
                    throw new IllegalArgumentException("a ring event of another channel than 0: " + l);
                ring.add(w);
            }
        }
        if (header == null || start == null || end == null || ring.isEmpty())
            throw new IllegalArgumentException("the real trace needs its header, run.start, run.end and ring events");
        int copies = (int) Math.max(1, (events + ring.size() - 1) / ring.size());
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
            w.write(header.replaceFirst(" iopms=\\d+", " iopms=" + copies) + "\n");
            long seq = 0;
            w.write(renumber(start.split(" ", 5), seq++, 0, 0) + "\n");
            for (int c = 0; c < copies; c++)
                for (String[] e : ring) w.write(renumber(e, seq++, c * (lastTsc + 1), c) + "\n");
            w.write(renumber(end.split(" ", 5), seq, (copies - 1) * (lastTsc + 1), 0) + "\n");
        }
        return new Made(copies, ring.size());
    }

    /** An event line with sequence number {@code seq}, its time stamp moved on by {@code dt}, on channel {@code ch}. */
    private static String renumber(String[] e, long seq, long dt, int ch) {
        String fields = e.length < 5 ? "" : " " + (" " + e[4] + " ").replace(" iopm=0 ", " iopm=" + ch + " ").strip();
        return seq + " " + e[1] + " " + (Long.parseLong(e[2]) + dt) + " " + e[3] + fields;
    }
}
