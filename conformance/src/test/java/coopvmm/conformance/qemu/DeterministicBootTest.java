package coopvmm.conformance.qemu;

import coopvmm.conformance.GuestRuns;
import coopvmm.conformance.Repo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --deterministic}: the same seed gives the same trace, byte for byte, for a ring, a
 * boot (with its retry path) and a routing scenario (with its failover).
 */
class DeterministicBootTest {

    @ParameterizedTest
    @ValueSource(strings = {"ring-sleep", "boot-slow", "irq-failover"})
    void twoDeterministicRunsOfOneSeedGiveTheSameTrace(String scenario) throws Exception {
        Qemu q = GuestRuns.qemu();
        Path img = GuestRuns.image(null);
        Path base = Files.createDirectories(Repo.locate().reports().resolve("test-deterministic").resolve(scenario));
        String append = "scenario=" + scenario + " requests=40 seed=5";
        QemuRun a = q.boot(img, 3, append, "tcg", true, 120, base.resolve("a"));
        QemuRun b = q.boot(img, 3, append, "tcg", true, 120, base.resolve("b"));
        assertEquals(QemuRun.Outcome.EXITED, a.outcome());
        assertEquals(0, a.guestStatus());
        byte[] ta = Files.readAllBytes(a.trace()), tb = Files.readAllBytes(b.trace());
        assertTrue(ta.length > 1000, "a real trace");
        assertArrayEquals(ta, tb, "deterministic runs of one seed differ");
    }
}
