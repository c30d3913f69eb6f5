package coopvmm.conformance.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

/**
 * Warms the model replay's code before the first guest of a JVM boots, so that the replay of
 * the run's own trace runs compiled code: a cold JVM replays a 7,700-event ring trace at about
 * 130k events/s (class initialisation, the interpreter, then C1), a warm one at over 1M.
 *
 * <p>It reads and replays a bundled real trace ({@link #RESOURCE}: the reference VMM's
 * {@code irq-failover} at smp 3, 300 requests, whose ring, boot and routing events take every
 * replay's common paths) through {@link TraceCheck#replay}, in the caller's thread, until
 * its time budget is spent (stopping once a pass's rate stopped rising came too early: the
 * first passes' rates are flat while C2 compiles in the background). It runs before QEMU starts,
 * never beside the guest: run while the guest ran, even at nice 19, it cost the guest a third
 * of its requests/s on 2 host cores (QEMU's vCPUs woke onto the core it used). Its time is
 * part of the first run's seconds from start to verdict. Its verdicts are not used;
 * {@link #conforms} says whether the bundled trace still conforms, which a test checks, so
 * that a change of format is noticed.
 */
public final class ReplayWarmUp {

    /** The bundled trace, gzipped, beside this class. */
    static final String RESOURCE = "warm-up.trace.gz";

    /** Once per JVM: a soak's later runs find it warm. */
    private static final AtomicBoolean DONE = new AtomicBoolean();

    /**
     * What a warm-up did.
     *
     * @param passes   replays of the bundled trace
     * @param events   events replayed in all
     * @param seconds  its wall time
     * @param lastRate the last pass's events/s
     * @param tlaInputs TLC's inputs for the trace were written once too
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
        Path f = extract();
        try {
            int passes = 0;
            long events = 0;
            double last = 0;
            do {        // one pass at least, however slow the host: the budget bounds the rest
                Trace t = Trace.read(f);
                TraceCheck.Report r = TraceCheck.replay(t);
                last = r.replaySeconds() > 0 ? r.eventsChecked() / r.replaySeconds() : 0;
                events += r.eventsChecked();
                passes++;
            } while (System.nanoTime() - t0 < budget);
            if (tlaInputs) writeTlaInputs(f);
            return new Done(passes, events, (System.nanoTime() - t0) / 1e9, last, tlaInputs);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** TLC's inputs for the bundled trace written once, into a directory then deleted (see {@link TlaTraceValidation#writeInputs}). */
    private static void writeTlaInputs(Path trace) throws IOException {
        Path dir = Files.createTempDirectory("coop-warm-up-tla");
        try {
            TlaTraceValidation.writeInputs(Trace.read(trace), dir);
        } finally {
            coopvmm.conformance.Trees.delete(dir);
        }
    }

    /** One replay of the bundled trace, in this thread (a test's check that it still conforms). */
    public static boolean conforms() throws IOException {
        Path f = extract();
        try {
            return TraceCheck.replay(Trace.read(f)).conforms();
        } finally {
            Files.deleteIfExists(f);
        }
    }

    static Path extract() throws IOException {
        Path f = Files.createTempFile("coop-warm-up", ".trace");
        try (InputStream in = ReplayWarmUp.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("resource " + RESOURCE + " missing from the CLI's jar");
            try (GZIPInputStream z = new GZIPInputStream(in)) {
                Files.write(f, z.readAllBytes());
            }
        }
        return f;
    }
}
