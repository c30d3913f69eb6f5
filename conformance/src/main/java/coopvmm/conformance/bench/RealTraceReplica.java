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
 * after another, then the run's run.end. Each copy is the real channel's behaviour as it was
 * (its events, fields and CPUs: the header keeps the real run's cpus, every copy's IOPM steps
 * are on the real IOPM's CPU), so the checkers see a real trace's mix of steps at any length,
 * where {@link RingTraceWriter}'s are a random walk of the model. The first copy keeps the
 * run.start where the real trace has it; run.start and run.end say the requests of all the
 * copies. Sequence numbers run on; each copy's time stamps follow the last one's.
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
        String header = null, end = null;
        List<String[]> first = new ArrayList<>(), ring = new ArrayList<>();   // the first copy keeps run.start
        long lastTsc = 0;
        boolean started = false;
        for (String l : real) {
            if (l.startsWith("# coop-trace")) header = l;
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] w = l.split(" ", 5);
            if (w.length < 4) throw new IllegalArgumentException("not a v1 event line: " + l);
            lastTsc = Math.max(lastTsc, Long.parseLong(w[2]));
            if (w[3].equals("run.start")) {
                started = true;
                first.add(w);
            } else if (w[3].equals("run.end")) {
                end = l;
            } else if (RingAction.fromEvent(w[3]) != null) {
                if (w.length < 5 || !(" " + w[4] + " ").contains(" iopm=0 "))
                    throw new IllegalArgumentException("a ring event of another channel than 0: " + l);
                first.add(w);
                ring.add(w);
            }
        }
        if (header == null || !started || end == null || ring.isEmpty())
            throw new IllegalArgumentException("the real trace needs its header, run.start, run.end and ring events");
        int copies = (int) Math.max(1, (events + ring.size() - 1) / ring.size());
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII)) {
            w.write(header.replaceFirst(" iopms=\\d+", " iopms=" + copies) + "\n");
            long seq = 0;
            for (String[] e : first) w.write(renumber(e, seq++, 0, 0, copies) + "\n");
            for (int c = 1; c < copies; c++)
                for (String[] e : ring) w.write(renumber(e, seq++, c * (lastTsc + 1), c, copies) + "\n");
            w.write(renumber(end.split(" ", 5), seq, (copies - 1) * (lastTsc + 1), 0, copies) + "\n");
        }
        return new Made(copies, ring.size());
    }

    /**
     * An event line with sequence number {@code seq}, its time stamp moved on by {@code dt}, on
     * channel {@code ch}; a run event's {@code requests=} made those of {@code copies} copies.
     */
    private static String renumber(String[] e, long seq, long dt, int ch, int copies) {
        StringBuilder b = new StringBuilder().append(seq).append(' ').append(e[1]).append(' ')
                .append(Long.parseLong(e[2]) + dt).append(' ').append(e[3]);
        if (e.length == 5) {
            boolean run = e[3].startsWith("run.");
            for (String f : e[4].split(" ")) {
                if (f.isEmpty()) continue;
                if (f.equals("iopm=0")) f = "iopm=" + ch;
                else if (run && f.startsWith("requests=")) f = "requests=" + Long.parseLong(f.substring(9)) * copies;
                b.append(' ').append(f);
            }
        }
        return b.toString();
    }
}
