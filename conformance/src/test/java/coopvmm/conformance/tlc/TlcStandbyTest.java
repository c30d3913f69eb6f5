package coopvmm.conformance.tlc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A TLC started ahead ({@link TlcStandby}) gives the verdict a fresh child gives, holding or not. */
class TlcStandbyTest {

    private static final String SPEC = """
            ---- MODULE Count ----
            EXTENDS Naturals
            VARIABLE x
            Init == x = 0
            Next == x < 5 /\\ x' = x + 1
            Small == x < %d
            ====
            """;

    private static Path spec(Path dir, int bound) throws Exception {
        Path d = Files.createDirectories(dir.resolve("b" + bound));
        Files.writeString(d.resolve("Count.cfg"), "INIT Init\nNEXT Next\nINVARIANT Small\nCHECK_DEADLOCK FALSE\n");
        return Files.writeString(d.resolve("Count.tla"), SPEC.formatted(bound));
    }

    @Test
    void aStandbyChecksAsAFreshChildDoes(@TempDir Path dir) throws Exception {
        TlcRunner r = new TlcRunner(dir, 1, 120).forTraces(true);
        Path holds = spec(dir, 10), fails = spec(dir, 3);
        TlcResult fresh = r.check(holds, holds.resolveSibling("Count.cfg"), dir.resolve("fresh.out"), List.of());

        // each standby parses ahead the module of the same name the other check has, and one
        // that does not parse: neither may change a verdict, nor show in the run's output
        Path broken = Files.writeString(Files.createDirectories(dir.resolve("broken")).resolve("Broken.tla"),
                "---- MODULE Broken ----\nVARIABLE\n");
        r.prestart(2, true, List.of(broken, fails));
        assertEquals(2, r.standbysReady());
        r.awaitStandbys(60_000);
        assertEquals(2, r.standbysWaiting(), "each said it waits for its job (its ready file), parsed ahead");
        TlcResult ahead = r.check(holds, holds.resolveSibling("Count.cfg"), dir.resolve("ahead.out"), List.of());
        assertEquals(1, r.standbysReady(), "the check took one");
        assertEquals(TlcResult.Verdict.HOLDS, ahead.verdict(), Files.readString(ahead.rawOutput()));
        assertFalse(Files.readString(ahead.rawOutput()).contains("Broken"), "the parse ahead said nothing");
        assertEquals(fresh.distinct(), ahead.distinct());
        assertEquals(6, ahead.distinct());

        TlcResult bad = r.check(fails, fails.resolveSibling("Count.cfg"), dir.resolve("bad.out"), List.of());
        assertEquals(0, r.standbysReady());
        assertEquals(TlcResult.Verdict.INVARIANT_VIOLATED, bad.verdict(), Files.readString(bad.rawOutput()));
        assertEquals("Small", bad.property());
    }

    @Test
    void aStandbyOfTheOtherCompilerIsLeft(@TempDir Path dir) throws Exception {
        TlcRunner r = new TlcRunner(dir, 1, 120).forTraces(true);
        r.prestart(1, false, List.of());                      // C2: not what a short run asks for
        assertEquals(1, r.standbysReady());
        Path holds = spec(dir, 10);
        TlcResult res = r.check(holds, holds.resolveSibling("Count.cfg"), dir.resolve("c1.out"), List.of());
        assertEquals(TlcResult.Verdict.HOLDS, res.verdict());
        assertEquals(1, r.standbysReady(), "a short run does not take a C2 standby");
    }
}
