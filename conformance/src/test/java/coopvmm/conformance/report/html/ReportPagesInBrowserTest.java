package coopvmm.conformance.report.html;

import coopvmm.conformance.Trees;
import coopvmm.conformance.Repo;
import coopvmm.conformance.report.CheckEntry;
import coopvmm.conformance.report.ConformEntry;
import coopvmm.conformance.report.Reports;
import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcRunner;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both report pages as a person sees them: written by {@link Reports} as the commands write
 * them, opened from disk in headless chromium, which saves a screenshot beside each page and
 * dumps the DOM it built; the DOM must have the diagram, the plots, and the divergent mark on
 * the event the trace was corrupted at. The check page is of a real TLC counterexample (a
 * small two-sided spec with a lost wakeup, checked here with {@code -coverage}); the conform
 * page of synthetic runs (no QEMU). Pages and screenshots stay in {@code reports/test-html/}.
 */
class ReportPagesInBrowserTest {

    /** A VMM and an IOPM sharing a counter and an IPI; the IOPM sleeps without re-checking. */
    static final String WAKE = """
            ---- MODULE Wake ----
            EXTENDS Naturals
            VARIABLES vmmPc, iopmPc, prod, cons, ipiIopm, ring, stats
            vars == <<vmmPc, iopmPc, prod, cons, ipiIopm, ring, stats>>
            Init == /\\ vmmPc = "run" /\\ iopmPc = "sleep" /\\ prod = 0 /\\ cons = 0 /\\ ipiIopm = FALSE
                    /\\ ring = [i \\in 0..1 |-> 0] /\\ stats = [notified |-> 0, skipped |-> 0]
            VmmWrite == /\\ vmmPc = "run" /\\ prod < 2 /\\ ring' = [ring EXCEPT ![prod % 2] = prod + 1]
                        /\\ prod' = prod + 1 /\\ vmmPc' = "notify" /\\ UNCHANGED <<iopmPc, cons, ipiIopm, stats>>
            VmmNotifyIopm == /\\ vmmPc = "notify" /\\ vmmPc' = "run"
                             /\\ IF iopmPc = "sleep" THEN ipiIopm' = TRUE /\\ stats' = [stats EXCEPT !.notified = @ + 1]
                                ELSE ipiIopm' = ipiIopm /\\ stats' = [stats EXCEPT !.skipped = @ + 1]
                             /\\ UNCHANGED <<iopmPc, prod, cons, ring>>
            IopmConsume == /\\ iopmPc = "run" /\\ cons < prod /\\ cons' = cons + 1
                           /\\ UNCHANGED <<vmmPc, iopmPc, prod, ipiIopm, ring, stats>>
            IopmSeeIdle == /\\ iopmPc = "run" /\\ cons = prod /\\ iopmPc' = "idle"
                           /\\ UNCHANGED <<vmmPc, prod, cons, ipiIopm, ring, stats>>
            IopmSleep == /\\ iopmPc = "idle" /\\ iopmPc' = "sleep" /\\ UNCHANGED <<vmmPc, prod, cons, ipiIopm, ring, stats>>
            IopmWake == /\\ iopmPc = "sleep" /\\ ipiIopm /\\ ipiIopm' = FALSE /\\ iopmPc' = "run"
                        /\\ UNCHANGED <<vmmPc, prod, cons, ring, stats>>
            IopmSpuriousWake == /\\ iopmPc = "sleep" /\\ prod > 2 /\\ iopmPc' = "run"
                                /\\ UNCHANGED <<vmmPc, prod, cons, ipiIopm, ring, stats>>
            Finished == /\\ vmmPc = "run" /\\ prod = 2 /\\ UNCHANGED vars
            Next == VmmWrite \\/ VmmNotifyIopm \\/ IopmConsume \\/ IopmSeeIdle \\/ IopmSleep \\/ IopmWake
                    \\/ IopmSpuriousWake \\/ Finished
            NoLostWakeup == ~(iopmPc = "sleep" /\\ cons < prod /\\ ~ipiIopm /\\ vmmPc = "run")
            ====
            """;

    static final int WIDTH = 1280, HEIGHT = 2000;

    private static Chromium chromium;
    private static Path checkDir, conformDir;
    private static Document check, conform;
    private static SyntheticRuns.Divergent divergent;
    private static ConformEntry figures;

    @BeforeAll
    static void writeAndRender() throws Exception {
        chromium = new Chromium(Chromium.require());
        Repo repo = Repo.locate();
        Path base = repo.reports().resolve("test-html");
        checkDir = Trees.fresh(base.resolve("check"));
        conformDir = Trees.fresh(base.resolve("conform"));

        Path specDir = Files.createDirectories(checkDir.resolve("spec"));
        Path spec = Files.writeString(specDir.resolve("Wake.tla"), WAKE);
        Path cfg = Files.writeString(specDir.resolve("Wake.cfg"), "INIT Init\nNEXT Next\nINVARIANT NoLostWakeup\n");
        TlcResult r = new TlcRunner(repo.specs(), 1, 120).check(spec, cfg, checkDir.resolve("Wake-Wake.out"), List.of("-coverage", "1"));
        assertEquals(TlcResult.Verdict.INVARIANT_VIOLATED, r.verdict(), () -> "TLC: " + r.message());
        ByteArrayOutputStream warn = new ByteArrayOutputStream();
        PrintStream w = new PrintStream(warn, true, StandardCharsets.UTF_8);
        Path itf = Reports.itf(r, spec, cfg, w);
        long t0 = System.nanoTime();
        Reports.check(repo, checkDir, Map.of("workers", 1), List.of(new CheckEntry(spec, cfg, null, r, false, itf)), w);
        long checkMs = (System.nanoTime() - t0) / 1_000_000;

        divergent = SyntheticRuns.divergentRing(conformDir.resolve("ring-smp2-seed5"), 5);
        figures = SyntheticRuns.conformingWithFigures(conformDir.resolve("irq-fail-smp3-seed6"), 6, 300);
        List<ConformEntry> runs = List.of(figures, divergent.entry(), SyntheticRuns.error(conformDir.resolve("boot-smp3-seed7"), 7));
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("scenarios", List.of("irq-fail", "ring", "boot"));
        t0 = System.nanoTime();
        Reports.conform(repo, conformDir, null, in, runs, w);
        long conformMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("", warn.toString(StandardCharsets.UTF_8), "no report failed");

        check = render(checkDir, "check", checkMs);
        conform = render(conformDir, "conform", conformMs);
    }

    /** The page's DOM as the browser built it, and its screenshot beside it. */
    private static Document render(Path dir, String what, long writeMs) throws Exception {
        Path page = dir.resolve(Reports.PAGE), png = dir.resolve("report.png");
        long t0 = System.nanoTime();
        String dom = chromium.render(page, png, WIDTH, HEIGHT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%s report: %s, %.1f KB, written in %d ms; chromium rendered it (DOM and screenshot) in %d ms: %s%n",
                what, page, Files.size(page) / 1024.0, writeMs, ms, png);
        return Jsoup.parse(dom, page.toUri().toString());
    }

    @Test
    void checkPageHasTheResultsAndTheCounterexampleAsLanes() {
        Elements rows = check.select("table#results tr");
        assertEquals(2, rows.size(), "a header and one target");
        assertTrue(rows.get(1).text().contains("Wake") && rows.get(1).text().contains("invariant violated")
                && rows.get(1).text().contains("NoLostWakeup"), rows.get(1).text());
        Element svg = check.selectFirst("section.counterexample svg.lanes");
        assertNotNull(svg, "a lane diagram");
        assertEquals(List.of("VMM", "IOPM"), svg.select("g.lane text").eachText());
        Elements marks = svg.select("g.mark");
        assertEquals(9, marks.size(), "one mark per state of the 9-state counterexample");
        assertEquals(List.of("Init", "VmmWrite", "VmmNotifyIopm", "IopmWake", "IopmConsume", "IopmSeeIdle", "VmmWrite",
                "VmmNotifyIopm", "IopmSleep"), marks.eachAttr("data-action"));
        assertTrue(marks.get(2).hasClass("lane-vmm") && marks.get(3).hasClass("lane-iopm"), "lanes from the action names");
        assertTrue(marks.last().hasClass("violation"), "the state that breaks the invariant is marked");
        assertEquals(1, svg.select("g.mark.violation").size());
        // The IPI: sent by the first VmmNotifyIopm (row 2), taken by IopmWake (row 3).
        Elements arrows = svg.select("g.arrow");
        assertEquals(1, arrows.size(), arrows.outerHtml());
        assertEquals("2", arrows.first().attr("data-from"));
        assertEquals("3", arrows.first().attr("data-to"));
        assertTrue(arrows.first().text().contains("ipiIopm"));

        // Only what changed, down to the key.
        assertEquals(List.of("prod", "ring[0]", "vmmPc"), fields(2));
        assertEquals(List.of("ipiIopm", "stats.notified", "vmmPc"), fields(3));
        assertEquals(List.of("stats.skipped", "vmmPc"), fields(8));

        // Coverage from TLC's -coverage: the action that can never be enabled is flagged.
        Elements never = check.select("table.coverage tr.never");
        assertEquals(List.of("IopmSpuriousWake"), never.eachAttr("data-action"));
        assertTrue(never.text().contains("never enabled"));
        assertTrue(check.select("table.coverage tr[data-action=IopmWake]").hasText());
    }

    /** The fields the changes table lists for a step, sorted (TLC prints variables in no fixed order). */
    private static List<String> fields(int step) {
        return check.select("table.changes tr[data-step=" + step + "] td.field").eachText().stream().sorted().toList();
    }

    @Test
    void checkPageHasItsMermaidTextBesideIt() throws Exception {
        Path mmd = checkDir.resolve("Wake-Wake.mmd");
        String m = Files.readString(mmd);
        assertTrue(m.startsWith("sequenceDiagram\n") && m.contains("participant L0 as VMM") && m.contains("participant L1 as IOPM"), m);
        assertTrue(m.contains("L0 -) L1: ipiIopm (taken at 4)"), m);
        assertTrue(m.contains("Note over L1: 9 IopmSleep VIOLATION"), m);
        assertEquals("Wake-Wake.mmd", check.select("section.counterexample a").first().attr("href"));
    }

    @Test
    void conformPageMarksTheDivergentEvent() {
        Elements marked = conform.select("svg.lanes g.mark.divergent");
        assertEquals(1, marked.size(), "one divergent run, one divergent mark");
        Element m = marked.first();
        assertEquals(Long.toString(divergent.seq()), m.attr("data-event"), "the event the trace was corrupted at");
        assertEquals(Integer.toString(divergent.line()), m.attr("data-line"));
        assertEquals("iopm.consume", m.attr("data-name"));
        Element svg = m.closest("svg");
        assertEquals(31, svg.select("g.mark").size(), "30 events before it, and it");
        assertEquals(m, svg.select("g.mark").last());
        Element expected = conform.selectFirst("section.failure div.expected");
        assertNotNull(expected);
        assertEquals(m.attr("data-event"), expected.attr("data-event"));
        assertEquals("the model expected: " + divergent.expected(), expected.text());
        assertTrue(conform.select("section.failure p.focus-line").text()
                .contains("first divergent event #" + divergent.seq() + " at trace.log:" + divergent.line()));
        assertFalse(svg.select("g.arrow").isEmpty(), "the IPIs of the window are drawn");
    }

    @Test
    void conformPageHasARowPerRunAndThePlots() {
        Elements rows = conform.select("table#runs tr[data-run]");
        assertEquals(List.of("conforms", "fails", "error"), rows.select("td.verdict").eachText());
        assertEquals(List.of("pass", "fail", "error"), rows.eachAttr("class"));

        Element hist = conform.selectFirst("svg.chart.histogram");
        assertNotNull(hist, "the latency histogram");
        assertEquals("600", hist.attr("data-values"), "300 VMM-local and 300 routed latencies");
        int counted = 0;
        for (Element bar : hist.select("rect.bar")) counted += Integer.parseInt(bar.selectFirst("title").text().replaceAll("^[^:]*: (\\d+) in.*$", "$1"));
        assertEquals(600, counted, "every latency in one bin");
        assertEquals(2, hist.select("g.series").size());

        Elements lines = conform.select("svg.chart.linechart");
        assertEquals(2, lines.size(), "requests over time for both runs with a trace");
        assertEquals("requests-run-1", lines.get(0).id(), "the failed run first");
        Element withFailover = conform.selectFirst("svg#requests-run-0");
        assertEquals(1, withFailover.select("rect.band.failover").size(), "the failover window shaded");
        assertFalse(withFailover.select("polyline.series").isEmpty());

        Element boot = conform.selectFirst("svg.chart.barchart");
        assertEquals(List.of("run 0 irq-fail \u00b7 IOPM 0", "run 0 irq-fail \u00b7 IOPM 1"), boot.select("g.bar").eachAttr("data-label"));
    }

    @Test
    void conformPageHasTheCoverageAcrossRuns() {
        Element table = conform.selectFirst("table#coverage");
        assertNotNull(table);
        assertFalse(table.select("tr[data-action=CoopRing.IopmConsume]").hasClass("never"));
        assertTrue(table.select("tr[data-action=CoopRing.VmmDeclareIopmBroken]").hasClass("never"),
                "a ring run with a trusted peer never declares it broken");
        assertTrue(conform.selectFirst("p.never-list").text().contains("CoopRing.VmmDeclareIopmBroken"));
        assertEquals(List.of("run 0", "run 1", "run 2"), table.select("tr").first().select("th").eachText().subList(4, 7));
    }

    @Test
    void pagesAreSelfContainedAndScreenshotted() throws Exception {
        for (Document d : List.of(check, conform)) {
            assertTrue(d.select("script").isEmpty(), "no script");
            assertTrue(d.select("link[href], img[src], iframe, object, embed").isEmpty(), "nothing fetched");
            assertFalse(d.html().contains("http://") && d.select("[src^=http], [href^=http]").size() > 0);
            assertFalse(d.select("style").isEmpty(), "styles inline");
        }
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        for (Path dir : List.of(checkDir, conformDir)) {
            Path shot = dir.resolve("report.png");
            byte[] b = Files.readAllBytes(shot);
            assertArrayEquals(png, java.util.Arrays.copyOf(b, 4), shot + " is a PNG");
            // A blank page compresses to a few KB; tables, lanes and charts do not.
            assertTrue(b.length > 30_000, shot + ": " + b.length + " bytes");
        }
    }
}
