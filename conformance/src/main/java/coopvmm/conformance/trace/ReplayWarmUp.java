package coopvmm.conformance.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

/**
 * Warms the model replay's code before the first guest of a JVM boots, so that the replay of
 * the run's own trace runs compiled code: a cold JVM replays a 7,700-event ring trace at about
 * 130k events/s (class initialisation, the interpreter, then C1), a warm one at over 1M.
 *
 * <p>It reads and replays bundled real traces ({@link #RESOURCES}: the reference VMM's
 * {@code irq-failover} at smp 3, 300 requests, whose ring, boot and routing events take every
 * replay's common paths, and its {@code ring} at smp 2, 600 requests, seed 3, so that the ring
 * replay, most of a long trace's events, gets its share: the routing replay's invariants took
 * most of the first one's time) through {@link TraceCheck#replay}, in the caller's thread, until
 * its time budget is spent (a stop once a pass's rate stopped rising came too early in a JVM
 * with both compilers: the first passes' rates are flat while C2 compiles in the background;
 * the launcher now runs conform and soak C1 only). It runs before QEMU starts,
 * never beside the guest: run while the guest ran, even at nice 19, it cost the guest a third
 * of its requests/s on 2 host cores (QEMU's vCPUs woke onto the core it used). Its time is
 * part of the first run's seconds from start to verdict. Its verdicts are not used;
 * {@link #conforms} says whether the bundled traces still conform, which a test checks, so
 * that a change of format is noticed.
 */
public final class ReplayWarmUp {

    /** The bundled traces, gzipped, beside this class. */
    static final List<String> RESOURCES = List.of("warm-up.trace.gz", "warm-up-ring.trace.gz");

    /** The bundled ring trace, gzipped: also the real trace {@code ./coop bench} replicates. */
    public static InputStream bundledRingTrace() {
        return ReplayWarmUp.class.getResourceAsStream(RESOURCES.get(1));
    }

    /** Once per JVM: a soak's later runs find it warm. */
    private static final AtomicBoolean DONE = new AtomicBoolean();

    /**
     * What a warm-up did.
     *
     * @param passes   replays of the bundled traces (each once a pass)
     * @param events   events replayed in all
     * @param seconds  its wall time
     * @param lastRate the last pass's events/s
     * @param tlaInputs TLC's inputs for the first trace were written once too (asked, and done)
     */
    public record Done(int passes, long events, double seconds, double lastRate, boolean tlaInputs) {
        public String describe() {
            return String.format("%d passes, %,d events in %.2f s (last pass %,.0f events/s)%s", passes, events, seconds,
                    lastRate, tlaInputs ? "; TLC's inputs written once" : "");
        }
    }

    private ReplayWarmUp() {
    }

    /**
     * Warms for {@code budgetMillis} (and one pass at least), the first time in this JVM; empty
     * later or when it cannot run. {@code tlaInputs}: then writes TLC's inputs for the trace
     * once too (and runs no TLC), for a run whose trace TLC validates.
     */
    public static Optional<Done> once(long budgetMillis, boolean tlaInputs) {
        if (DONE.getAndSet(true)) return Optional.empty();
        try {
            return Optional.of(run(budgetMillis, tlaInputs));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // a warm-up that cannot run costs only speed: the real replay is unaffected
        }
    }

    /** One warm-up, whether or not this JVM had one. */
    static Done run(long budgetMillis, boolean tlaInputs) throws IOException {
        long t0 = System.nanoTime(), budget = budgetMillis * 1_000_000L;
        List<Path> files = extract();
        try {
            int passes = 0;
            long events = 0;
            double last = 0;
            // read once: reading them again each pass took most of the budget, and the replay's
            // rate is what is measured (the run's own trace is read before its replay starts)
            List<Trace> traces = new ArrayList<>();
            for (Path f : files) traces.add(Trace.read(f));
            do {        // one pass at least, however slow the host: the budget bounds the rest
                long n = 0;
                double secs = 0;
                for (Trace t : traces) {
                    TraceCheck.Report r = TraceCheck.replay(t);
                    n += r.eventsChecked();
                    secs += r.replaySeconds();
                }
                last = secs > 0 ? n / secs : 0;
                events += n;
                passes++;
            } while (System.nanoTime() - t0 < budget);
            boolean wrote = tlaInputs && writeTlaInputs(traces.get(0));
            return new Done(passes, events, (System.nanoTime() - t0) / 1e9, last, wrote);
        } finally {
            for (Path f : files) Files.deleteIfExists(f);
        }
    }

    /** TLC's inputs for the first bundled trace written once, into a directory then deleted (see {@link TlaTraceValidation#writeInputs}). */
    private static boolean writeTlaInputs(Trace trace) {
        try {
            Path dir = Files.createTempDirectory("coop-warm-up-tla");
            try {
                TlaTraceValidation.writeInputs(trace, dir);
                return true;
            } finally {
                coopvmm.conformance.Trees.delete(dir);
            }
        } catch (IOException | RuntimeException e) {
            return false;   // only speed is lost: the real validation writes its own
        }
    }

    /** One replay of each bundled trace, in this thread (a test's check that they still conform). */
    public static boolean conforms() throws IOException {
        List<Path> files = extract();
        try {
            for (Path f : files) if (!TraceCheck.replay(Trace.read(f)).conforms()) return false;
            return true;
        } finally {
            for (Path f : files) Files.deleteIfExists(f);
        }
    }

    /** The bundled traces, each in a temporary file. */
    static List<Path> extract() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String name : RESOURCES) {
            Path f = Files.createTempFile("coop-warm-up", ".trace");
            out.add(f);
            try (InputStream in = ReplayWarmUp.class.getResourceAsStream(name)) {
                if (in == null) throw new IOException("resource " + name + " missing from the CLI's jar");
                try (GZIPInputStream z = new GZIPInputStream(in)) {
                    Files.write(f, z.readAllBytes());
                }
            }
        }
        return out;
    }
}
