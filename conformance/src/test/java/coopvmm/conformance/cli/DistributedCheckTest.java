package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./coop check --distributed}: TLC's own distributed mode, a server and two workers on
 * loopback, finds the same distinct states as one TLC process, says that it checked no
 * liveness, and still rejects a safety mutant.
 */
class DistributedCheckTest {

    private static final Pattern ROW = Pattern.compile("CoopRing\\s+CoopRing(?:Safety)?\\.cfg\\s+holds\\s+-\\s+([\\d,]+)\\s+([\\d,]+)");

    private static final String CFG = Repo.locate().specs().resolve("CoopRing.cfg").toString();

    private static long distinct(String out) {
        Matcher m = ROW.matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(2).replace(",", ""));
    }

    /**
     * The one-process count from CoopRing.cfg's invariants alone (a copy without its PROPERTIES,
     * beside a copy of the spec): the same states, without the liveness check that distributed
     * TLC skips anyway and that took most of this test's time.
     */
    @Test
    void twoLoopbackWorkersFindTheSameStatesAsOneProcess(@TempDir Path dir) throws Exception {
        Path specs = Repo.locate().specs();
        Files.copy(specs.resolve("CoopRing.tla"), dir.resolve("CoopRing.tla"));
        String cfg = Files.readString(Path.of(CFG));
        Files.writeString(dir.resolve("CoopRingSafety.cfg"), cfg.substring(0, cfg.indexOf("PROPERTIES")));
        CliRunner.Result one = CliRunner.run("check", dir.resolve("CoopRing.tla").toString(), "--config",
                dir.resolve("CoopRingSafety.cfg").toString());
        assertEquals(0, one.exit(), one.out() + one.err());
        CliRunner.Result dist = CliRunner.run("check", "CoopRing", "--config", CFG, "--distributed",
                "--local-workers", "2");
        assertEquals(0, dist.exit(), dist.out() + dist.err());
        assertTrue(dist.out().contains("2 local workers, on loopback"), dist.out());
        assertEquals(distinct(one.out()), distinct(dist.out()), "the same distinct states");
        assertTrue(dist.out().contains("PROPERTIES were not checked"), "safety only, and said: " + dist.out());
    }

    @Test
    void aSafetyMutantIsStillRejected() {
        CliRunner.Result r = CliRunner.run("check", Repo.locate().specs().resolve("mutants/OffByOneFull.tla").toString(), "--distributed");
        assertEquals(1, r.exit(), r.out() + r.err());
    }

    @Test
    void distributedOptionsWithoutDistributedAreAUsageError() {
        assertEquals(2, CliRunner.run("check", "CoopRing", "--local-workers", "3").exit());
        assertEquals(2, CliRunner.run("check", "CoopRing", "--distributed", "--simulate").exit());
    }
}
