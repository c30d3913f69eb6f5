package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.SpecCatalog;
import coopvmm.conformance.tlc.SpecCatalog.Target;
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

    @Test
    void theRingOnTsoHoldsWithEveryBarrierAndWithoutTheCompilerOnlyOnes() {
        CliRunner.Result r = CliRunner.run("check", "CoopRingTSO");
        assertEquals(0, r.exit(), r::toString);
        for (String cfg : new String[] {"CoopRingTSO.cfg", "CoopRingTSONoWmb.cfg", "CoopRingTSONoRmb.cfg"})
            assertTrue(r.out().matches("(?s).*" + cfg.replace(".", "\\.") + "\\s+holds.*"), cfg + ": " + r);
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

    private static Target target(String dir, String spec, String cfg, String expected) {
        return new Target(Path.of(dir, spec + ".tla"), Path.of(dir, cfg), expected);
    }

    private static String[] row(Target t, String verdict, String property) {
        return new String[] {t.name(), t.cfgName(), verdict, property, "6,691", "1,450", "50", "4.3", "1,561"};
    }

    @Test
    void aLongSpecOrConfigNameKeepsEveryColumnAligned() {
        Target shortName = target("specs", "BootHandoff", "BootHandoff.cfg", null);
        Target longName = target("specs/mutants", "BootOverlappingZones", "BootOverlappingZones.cfg", "ZonesDisjoint");
        Target longer = target("specs/mutants", "AMutantWithAVeryLongNameIndeed", "AMutantWithAVeryLongNameIndeed.cfg",
                "AnExpectedPropertyWithALongName");
        int[] widths = ModelCheck.widths(List.of(shortName, longName, longer));
        String header = ModelCheck.formatRow(widths, ModelCheck.HEADERS);
        List<String> rows = List.of(
                ModelCheck.formatRow(widths, row(shortName, "holds", "-")),
                ModelCheck.formatRow(widths, row(longName, "rejected as expected", "ZonesDisjoint")),
                ModelCheck.formatRow(widths, row(longer, "rejected as expected", "AnExpectedPropertyWithALongName")));
        int verdictAt = header.indexOf("verdict"), propertyAt = header.indexOf("property");
        int generatedEnds = header.indexOf("generated") + "generated".length();
        assertEquals("holds", rows.get(0).substring(verdictAt, verdictAt + 5), header + "\n" + rows);
        for (String r : rows.subList(1, 3)) {
            assertEquals("rejected as expected", r.substring(verdictAt, verdictAt + 20), header + "\n" + r);
        }
        assertEquals("ZonesDisjoint", rows.get(1).substring(propertyAt, propertyAt + 13), header + "\n" + rows);
        for (String r : rows) {
            assertEquals("6,691", r.substring(generatedEnds - 5, generatedEnds), header + "\n" + r);
            assertEquals(header.length(), r.length(), "the last column ends where the header's does:\n" + header + "\n" + r);
        }
    }

    @Test
    void shortNamesPrintTheTableAsItAlwaysWas() {
        Target t = target("specs", "CoopRing", "CoopRing.cfg", null);
        int[] widths = ModelCheck.widths(List.of(t));
        assertEquals(String.format("%-22s %-22s %-26s %-24s %11s %10s %6s %8s %10s", (Object[]) ModelCheck.HEADERS),
                ModelCheck.formatRow(widths, ModelCheck.HEADERS));
        assertEquals(String.format("%-22s %-22s %-26s %-24s %11s %10s %6s %8.1f %10s", "CoopRing", "CoopRing.cfg",
                        "holds", "-", "6,691", "1,450", "50", 4.3, "1,561"),
                ModelCheck.formatRow(widths, row(t, "holds", "-")));
    }

    @Test
    void aPropertyNobodyExpectedPutsTheRowBackInLineAtTheNextRoomyColumn() {
        Target t = target("specs", "CoopRing", "CoopRing.cfg", null);
        int[] widths = ModelCheck.widths(List.of(t));
        String header = ModelCheck.formatRow(widths, ModelCheck.HEADERS);
        String r = ModelCheck.formatRow(widths, row(t, "invariant violated", "ResponsesAnswerOutstanding"));
        int generatedEnds = header.indexOf("generated") + "generated".length();
        assertTrue(r.contains("ResponsesAnswerOutstanding "), r);
        assertEquals("6,691", r.substring(generatedEnds - 5, generatedEnds), header + "\n" + r);
        assertEquals(header.length(), r.length(), header + "\n" + r);
    }

    @Test
    void aSimulationOfAGoodSpecHoldsAndOfMutantsIsRejected() {
        CliRunner.Result good = CliRunner.run("check", "CoopRing", "--config",
                Repo.locate().specs().resolve("CoopRing.cfg").toString(), "--simulate", "--traces", "100", "--depth", "40");
        assertEquals(0, good.exit(), good.out() + good.err());
        assertTrue(good.out().contains("simulation: 100 behaviours"), good.out());
        for (String m : new String[] {"OffByOneFull", "MissingFinalCheck"}) {
            CliRunner.Result bad = CliRunner.run("check", Repo.locate().specs().resolve("mutants/" + m + ".tla").toString(),
                    "--simulate", "--traces", "500");
            assertEquals(1, bad.exit(), bad.out() + bad.err());
            assertTrue(bad.out().contains("rejected as expected"), bad.out());
        }
        assertEquals(2, CliRunner.run("check", "CoopRing", "--depth", "5").exit(), "--depth without --simulate");
    }
}
