package coopvmm.conformance.stress;

import coopvmm.conformance.Trees;
import coopvmm.conformance.order.OrderCheck;
import coopvmm.conformance.order.OrderResult;
import coopvmm.conformance.order.V2Replay;
import coopvmm.conformance.report.html.StressEntry;
import coopvmm.conformance.report.html.StressLanes;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rounds of the host harness until one fails or the time is up, each round's logs checked as
 * a lock-free kernel's are: the order rebuilt ({@link OrderCheck}: a cycle is named, with the
 * barrier it shows missing), then replayed through the ring model ({@link V2Replay}). A round
 * that holds has its logs deleted unless asked to keep them; a failing one keeps them.
 */
public final class StressRun {

    /** Options of a campaign. */
    public record Options(double seconds, long requests, boolean locked, boolean oneAtATime, boolean lockstep, int jitter,
                          int stallMillis, boolean keep) {}

    /**
     * What a campaign found.
     *
     * @param rounds        rounds run
     * @param answered      requests answered over all rounds
     * @param events        events traced and checked
     * @param wallNanos     start to the end (or to the detection)
     * @param trafficNanos  the harness's own time, both threads running
     * @param checkNanos    order rebuilt and replayed
     * @param failure       the failing round's verdict, or null
     * @param failedRound   its folder, or null
     * @param exit          0 holds, 1 a failure, 2 environment
     * @param rows          a row per round, for the reports
     * @param focus         the failing round as the reports draw it (its cycle or its divergence), or null
     */
    public record Outcome(int rounds, long answered, long events, long wallNanos, long trafficNanos, long checkNanos,
                          String failure, Path failedRound, int exit, List<StressEntry.Round> rows, StressEntry.Failure focus) {
        public boolean caught() {
            return failure != null;
        }
    }

    private StressRun() {}

    /** Runs rounds into {@code base}/round-N, printing a row per round to {@code out} (null: quiet). */
    public static Outcome run(HostHarness h, Options o, Path base, PrintStream out) throws IOException, InterruptedException {
        long t0 = System.nanoTime(), traffic = 0, check = 0, answered = 0, events = 0;
        int round = 0;
        List<StressEntry.Round> rows = new ArrayList<>();
        while (round == 0 || (System.nanoTime() - t0) / 1e9 < o.seconds()) {
            round++;
            Path dir = base.resolve("round-" + round);
            HostHarness.Round r;
            try {
                r = h.run(o.requests(), dir, o.stallMillis(), o.locked(), o.oneAtATime(), o.lockstep(), o.jitter(), 600);
            } catch (HostHarness.Unavailable e) {
                String why = "round " + round + ": " + e.getMessage();
                rows.add(new StressEntry.Round(round, o.requests(), 0, 0, 0, 0, "error", why, dir));
                return new Outcome(round, answered, events, System.nanoTime() - t0, traffic, check, why, dir, 2,
                        List.copyOf(rows), StressLanes.other(round, why, dir, "the harness did not run: nothing to draw"));
            }
            long c0 = System.nanoTime();
            OrderResult order = OrderCheck.check(r.logs());
            V2Replay.Verdict replay = order.ok() ? V2Replay.ring(order) : null;
            long c1 = System.nanoTime();
            traffic += r.nanos();
            check += c1 - c0;
            answered += r.answered();
            events += r.events();
            String failure = failure(r, order, replay);
            if (out != null)
                out.printf(Locale.ROOT, "%6d %10d %10.3f %10.0f %11d %8.2f %14.0f  %s%n", round, r.answered(),
                        r.nanos() / 1e9, r.requestsPerSecond(), r.events(), (c1 - c0) / 1e9,
                        r.events() * 1e9 / (c1 - c0), failure == null ? "holds" : "FAILS");
            int exit = failure == null ? 0 : order.exitCode() == 2 ? 2 : 1;
            rows.add(new StressEntry.Round(round, o.requests(), r.answered(), r.nanos() / 1e9, r.events(), (c1 - c0) / 1e9,
                    exit == 0 ? "holds" : exit == 2 ? "error" : "fails",
                    failure == null ? null : failure.lines().findFirst().orElse(""), failure != null || o.keep() ? dir : null));
            if (failure != null)
                return new Outcome(round, answered, events, System.nanoTime() - t0, traffic, check, failure, dir, exit,
                        List.copyOf(rows), focus(round, dir, order, replay, failure));
            if (!o.keep()) Trees.delete(dir);
        }
        return new Outcome(round, answered, events, System.nanoTime() - t0, traffic, check, null, null, 0, List.copyOf(rows), null);
    }

    /**
     * What the reports draw of the failing round, cut from its logs now, while they are in
     * memory (the outcome keeps only this). A drawing that fails is said on the page; it never
     * changes the verdict.
     */
    private static StressEntry.Failure focus(int round, Path dir, OrderResult order, V2Replay.Verdict replay, String failure) {
        try {
            return StressLanes.failure(round, dir, order, replay, failure);
        } catch (RuntimeException | LinkageError e) {
            return StressLanes.other(round, failure, dir, "could not draw this round: " + e);
        }
    }

    /** The command that reruns a campaign with these options ({@code mutant} null: the reference ring). */
    public static String reproduce(String mutant, Options o) {
        return String.format(Locale.ROOT, "./coop stress ring%s%s%s%s --requests %d --seconds %s", mutant == null ? "" : " --mutant " + mutant,
                o.locked() ? " --locked" : "", (o.oneAtATime() ? " --one-at-a-time" : "") + (o.lockstep() ? " --lockstep" : ""),
                (o.jitter() > 0 ? " --jitter " + o.jitter() : "")
                        + (o.stallMillis() != 2000 ? " --stall-ms " + o.stallMillis() : ""),
                o.requests(), o.seconds() == Math.rint(o.seconds()) ? Long.toString((long) o.seconds()) : Double.toString(o.seconds()));
    }

    /** The column heads of the rows {@link #run} prints. */
    public static final String HEADER = " round   requests  traffic s      req/s      events  check s   checked ev/s  verdict";

    /** The round's failure, in words, or null if it holds. */
    static String failure(HostHarness.Round r, OrderResult order, V2Replay.Verdict replay) {
        if (!order.ok()) return order.report();
        if (!replay.ok()) return replay.text();
        if (r.stalled()) return "stalled: a side slept for the whole --stall-ms with no IPI (a lost wakeup), "
                + (r.requests() - r.answered()) + " request(s) unanswered";
        if (r.badResponses() > 0) return r.badResponses() + " response(s) answered the wrong request";
        return null;
    }

}
