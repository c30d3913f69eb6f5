package coopvmm.conformance.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

/**
 * Warms the model replay's code while the guest runs (when asked: {@link #ENV}), so that the replay of the run's own
 * trace does not pay the JVM's warm-up: a cold JVM replays a 7,600-event trace at about 25k
 * events/s (class initialisation, the interpreter, then C1), the same JVM a few hundred
 * thousand events later at over 1M. The CLI's JVM has nothing else to do while QEMU runs.
 *
 * <p>It reads and replays a bundled real trace ({@link #RESOURCE}: the reference VMM's
 * {@code irq-failover} at smp 3, 300 requests, whose ring, boot and routing events take every
 * replay's common paths) in a daemon thread, until {@link #close} or its time budget, once
 * per JVM, at the lowest CPU priority (it runs on what the guest leaves idle, or not at all).
 * Its verdicts are not used; {@link #conforms} says whether the bundled trace still
 * conforms, which a test checks, so that a change of format is noticed.
 */
public final class ReplayWarmUp implements AutoCloseable {

    /**
     * {@code COOP_WARM_UP=1} turns it on. Off by default: even at nice 19 it cost the guest a
     * third of its requests/s (lock-free {@code ring}, smp 3, 2,000 requests, 2 host cores: 26,510
     * against 38,512, means of 5 runs each, alternated), since QEMU's vCPUs wake onto a core it is
     * using and share the caches it sweeps. For runs whose guest figures do not matter.
     */
    static final String ENV = "COOP_WARM_UP";

    /** The bundled trace, gzipped, beside this class. */
    static final String RESOURCE = "warm-up.trace.gz";

    /** Once per JVM: a soak's later runs find it warm. */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private final Thread thread;
    private final long budgetNanos;
    private volatile boolean stop;
    private volatile int passes;
    private volatile long events;
    private volatile long nanos;

    private ReplayWarmUp(long budgetMillis, boolean run) {
        this.budgetNanos = budgetMillis * 1_000_000L;
        this.thread = run ? new Thread(this::loop, "replay-warm-up") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Starts warming for at most {@code budgetMillis} of wall time; a no-op after the first call in this JVM. */
    public static ReplayWarmUp start(long budgetMillis) {
        boolean on = "1".equals(System.getenv(ENV));
        return new ReplayWarmUp(budgetMillis, on && !STARTED.getAndSet(true));
    }

    /** A warm-up whether or not this JVM had one (tests). */
    static ReplayWarmUp startAnyway(long budgetMillis) {
        return new ReplayWarmUp(budgetMillis, true);
    }

    /** One replay of the bundled trace, in this thread (a test's check that it still conforms). */
    public static boolean conforms() throws IOException {
        Path f = extract();
        try {
            Trace t = Trace.read(f);
            return RingReplay.replay(t).conforms() && BootReplay.replay(t).conforms() && IrqReplay.replay(t).conforms();
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private void loop() {
        long t0 = System.nanoTime();
        Path f = null;
        try {
            if (!lowestPriority()) return;     // it would take CPU from the guest's vCPUs: no warm-up
            f = extract();
            while (!stop && System.nanoTime() - t0 < budgetNanos) {
                Trace t = Trace.read(f);
                RingReplay.replay(t);
                BootReplay.replay(t);
                IrqReplay.replay(t);
                events += t.events().size();
                passes++;
            }
        } catch (IOException | RuntimeException e) {
            // a warm-up that cannot run costs only speed: the real replay is unaffected
        } finally {
            nanos = System.nanoTime() - t0;
            if (f != null) try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a temp file left behind
            }
        }
    }

    /**
     * Gives this thread the lowest CPU priority (nice 19), so that it runs only on CPU the
     * guest leaves idle: at nice 0 it took a core from QEMU's vCPUs and halved the guest's
     * requests/s at smp 3 on 2 cores. Linux only (its threads have their own nice value); false
     * where it cannot be done.
     */
    private static boolean lowestPriority() {
        try {
            String task = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Process p = new ProcessBuilder("renice", "-n", "19", "-p", task).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path extract() throws IOException {
        Path f = Files.createTempFile("coop-warm-up", ".trace");
        try (InputStream in = ReplayWarmUp.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("resource " + RESOURCE + " missing from the CLI's jar");
            try (GZIPInputStream z = new GZIPInputStream(in)) {
                Files.write(f, z.readAllBytes());
            }
        }
        return f;
    }

    /** Stops warming and waits for the pass under way (a few milliseconds once warm). */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        if (thread != null) thread.join();
    }

    /** What the warm-up did: passes, events, seconds; empty when it did not run in this call. */
    public String describe() {
        return thread == null ? "" : String.format("%d passes, %,d events in %.2f s", passes, events, nanos / 1e9);
    }
}
