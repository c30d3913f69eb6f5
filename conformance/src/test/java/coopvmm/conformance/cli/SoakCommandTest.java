package coopvmm.conformance.cli;

import coopvmm.conformance.GuestRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./coop soak} on a few runs (the real sweep is far too long for CI): it passes the
 * reference build, fails a mutant build with the run named, skips what a scenario cannot do at
 * an smp, and refuses bad options.
 */
class SoakCommandTest {

    @BeforeAll
    static void needQemu() throws Exception {
        GuestRuns.qemu();
        GuestRuns.image(null);
    }

    @Test
    void theReferenceBuildPassesUnderCpuLoad() {
        CliRunner.Result r = CliRunner.run("soak", "--runs", "1", "--scenario", "ring-burst,irq-failover",
                "--smp", "2,3", "--load", "cpu", "--no-tla");
        System.out.println(r.out());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("irq-failover at smp 2 skipped: it needs smp 3"), r::toString);
        assertTrue(r.out().contains("CPU hog thread(s) started"), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("ring-burst\\s+3\\s+1\\s+1\\s+0\\s+0\\s+.*")), r::toString);
        assertTrue(r.out().strip().endsWith("3 passed, 0 failed"), r::toString);
    }

    @Test
    void aMutantBuildFailsTheSoakWithTheRunNamed() throws Exception {
        Path img = GuestRuns.image("off-by-one-full-rsp");
        CliRunner.Result r = CliRunner.run("soak", "--image", img.toString(), "--runs", "1", "--scenario",
                "ring-burst", "--smp", "2", "--no-tla", "--append-watchdog-free");
        assertEquals(2, r.exit(), "an unknown option is a usage error: " + r);
        CliRunner.Result f = CliRunner.run("soak", "--image", img.toString(), "--runs", "1", "--scenario",
                "ring-burst", "--smp", "2", "--load", "one-core", "--no-tla", "--timeout", "30");
        System.out.println(f.out());
        assertEquals(1, f.exit(), f::toString);
        assertTrue(f.out().contains("ring-burst   smp 2 seed 1000") && f.out().contains("FAILS"), f::toString);
        assertTrue(f.out().contains("first divergent event #") || f.out().contains("reproduce: ./coop conform"), f::toString);
        assertTrue(f.out().strip().endsWith("0 passed, 1 failed"), f::toString);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, CliRunner.run("soak", "--load", "heavy").exit());
        assertEquals(2, CliRunner.run("soak", "--scenario", "no-such-scenario").exit());
        assertEquals(2, CliRunner.run("soak", "--runs", "0").exit());
        assertEquals(0, CliRunner.run("soak", "--help").exit());
    }
}
