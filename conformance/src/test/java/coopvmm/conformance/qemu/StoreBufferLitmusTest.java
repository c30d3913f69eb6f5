package coopvmm.conformance.qemu;

import coopvmm.conformance.GuestRuns;
import coopvmm.conformance.Repo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store-buffer litmus kernel (scenarios {@code litmus} and {@code litmus-mb},
 * reference-vmm/litmus/): under multi-threaded TCG this QEMU and host still reorder a store
 * with a later load, so a lock-free run that shows no store-buffering cycle means something;
 * a full barrier between them forbids it; and deterministic mode (one host thread) never
 * reorders, which is why it can never show a barrier bug. The unfenced run stops at its tenth
 * reordering (LITMUS_ENOUGH), so its length depends on the host only up to its trial cap.
 */
class StoreBufferLitmusTest {

    private static final Pattern RESULT = Pattern.compile(
            "litmus\\.store_buffering trials=(\\d+) fenced=(\\d) both_stale=(\\d+) ms=(\\d+)");

    record Litmus(long trials, boolean fenced, long bothStale, long millis) {}

    static Litmus run(String scenario, long trials, boolean deterministic) throws Exception {
        Qemu q = GuestRuns.qemu();
        Path img = GuestRuns.image(null);
        Path dir = Files.createDirectories(Repo.locate().reports().resolve("test-litmus")
                .resolve(scenario + (deterministic ? "-deterministic" : "-mttcg")));
        QemuRun r = q.boot(img, 2, "scenario=" + scenario + " requests=" + trials + " seed=1", "tcg", deterministic,
                120, 300, dir);
        assertEquals(QemuRun.Outcome.EXITED, r.outcome(), () -> "the litmus run did not end: " + r);
        Matcher m = RESULT.matcher(Files.readString(r.trace(), StandardCharsets.ISO_8859_1));
        assertTrue(m.find(), "no litmus.store_buffering line in " + r.trace());
        Litmus l = new Litmus(Long.parseLong(m.group(1)), m.group(2).equals("1"), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)));
        System.out.printf("litmus %s%s: %s%n", scenario, deterministic ? " (deterministic)" : " (MTTCG)", l);
        return l;
    }

    @Test
    void multiThreadedTcgReordersAStoreWithALaterLoad() throws Exception {
        // two vCPUs run at once only on two host cores: with one, no reordering can show
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one host core");
        Litmus l = run("litmus", 2_000_000, false);
        assertTrue(l.bothStale() > 0, "no store->load reordering in " + l.trials() + " trials under multi-threaded TCG:"
                + " on this host a lock-free run could not show a missing full barrier");
    }

    @Test
    void aFullBarrierBetweenThemForbidsIt() throws Exception {
        Litmus l = run("litmus-mb", 200_000, false);
        assertTrue(l.fenced());
        assertEquals(200_000, l.trials());
        assertEquals(0, l.bothStale(), "ring_mb() did not order the store before the load");
    }

    @Test
    void deterministicModeNeverReorders() throws Exception {
        Litmus l = run("litmus", 2_000, true);
        assertEquals(2_000, l.trials());
        assertEquals(0, l.bothStale(), "one host thread reordered a store with a later load");
    }
}
