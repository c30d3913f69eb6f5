package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.SpecCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./coop check}: verdicts, properties named, exit codes, readable errors. */
class CheckCommandTest {

    @Test
    void coopRingHoldsAndSaysHowBig() {
        CliRunner.Result r = CliRunner.run("check", "CoopRing");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("CoopRing.cfg") && r.out().contains("holds"), r::toString);
        assertTrue(r.out().matches("(?s).*holds\\s+-\\s+[\\d,]+\\s+[\\d,]+\\s+\\d+.*"), "counts printed: " + r);
    }

    static List<Path> mutants() throws Exception {
        return SpecCatalog.specsIn(Repo.locate().specs().resolve("mutants"));
    }

    @ParameterizedTest
    @MethodSource("mutants")
    void everySpecMutantIsRejectedWithItsExpectedProperty(Path mutant) throws Exception {
        String expected = SpecCatalog.expectedOf(mutant).orElseThrow();
        CliRunner.Result r = CliRunner.run("check", mutant.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("rejected as expected") && r.out().contains(expected), r::toString);
        assertTrue(r.out().contains("counterexample"), "a counterexample is printed: " + r);
    }

    @Test
    void aSpecThatDoesNotParseIsOneLineWithFileAndLine() throws Exception {
        Path dir = Files.createTempDirectory("coop-parse");
        Path spec = dir.resolve("Broken.tla");
        Files.writeString(spec, "---- MODULE Broken ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\n"
                + "Next == x' = x + + 1\n====\n");
        Files.writeString(dir.resolve("Broken.cfg"), "INIT Init\nNEXT Next\n");
        CliRunner.Result r = CliRunner.run("check", spec.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("Broken.tla:5:"), "file:line named: " + r);
        assertTrue(r.out().contains("parse error"), r::toString);
    }

    @Test
    void anUnknownSpecIsAUsageError() {
        CliRunner.Result r = CliRunner.run("check", "NoSuchSpec");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("no such spec"), r::toString);
    }
}
