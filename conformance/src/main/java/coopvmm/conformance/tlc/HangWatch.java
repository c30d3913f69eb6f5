package coopvmm.conformance.tlc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a child TLC, telling a run that ends or passes its time bound from one that hangs:
 * a TLC at work always burns CPU, so a child that used almost none for {@link #IDLE_SECONDS}
 * is deadlocked. TLC 2.18 was seen so once (main thread in {@code StateQueue.suspendAll}, its
 * only worker in {@code StateQueue.isAvail}, 3 s of CPU in 327 s).
 */
final class HangWatch {

    enum Outcome { ENDED, TIMED_OUT, HUNG }

    /** How long a child may sit without CPU before it counts as hung. */
    static final int IDLE_SECONDS = 20;
    /** CPU a deadlocked JVM still spends on its own threads (GC, JIT, our JMX reads) in that window. */
    private static final Duration IDLE_CPU = Duration.ofMillis(150);

    private HangWatch() {
    }

    /** Waits up to {@code timeoutSeconds}; the child is left running when it timed out or hung. */
    static Outcome await(Process p, long timeoutSeconds) throws InterruptedException {
        return await(p, timeoutSeconds, IDLE_SECONDS);
    }

    static Outcome await(Process p, long timeoutSeconds, int idleSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long windowStart = System.nanoTime();
        Duration windowCpu = cpu(p);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return p.isAlive() ? Outcome.TIMED_OUT : Outcome.ENDED;
            if (p.waitFor(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) return Outcome.ENDED;
            Duration now = cpu(p);
            if (now == null || windowCpu == null || now.minus(windowCpu).compareTo(IDLE_CPU) > 0) {
                windowStart = System.nanoTime();
                windowCpu = now;
            } else if (System.nanoTime() - windowStart >= TimeUnit.SECONDS.toNanos(idleSeconds)) {
                return Outcome.HUNG;
            }
        }
    }

    /** The child's CPU time so far, or null where the platform does not say (then no hang is seen). */
    private static Duration cpu(Process p) {
        return p.info().totalCpuDuration().orElse(null);
    }
}
