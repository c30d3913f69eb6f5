package coopvmm.conformance.report.html;

import coopvmm.conformance.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import coopvmm.conformance.Repo;
import coopvmm.conformance.order.OrderResult;
import coopvmm.conformance.report.Json;
import coopvmm.conformance.report.Reports;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stress reports as {@link Reports#stress} writes them, read back: the page's DOM (as
 * jsoup parses the file, and as headless chromium built it: one render, about 2.5 s, its
 * screenshot kept), summary.json and junit.xml. No harness is run: the rounds are made up, the
 * failing one's cycle is the real checker's on OrderCheckTest's store-buffering log. The
 * reports stay in {@code reports/test-html/stress/} for a reader.
 */
class StressPageTest {

    private static Path dir;
    private static OrderResult sb;
    private static Document page;

    @BeforeAll
    static void writeTheReports() throws Exception {
        Repo repo = Repo.locate();
        dir = Trees.fresh(repo.reports().resolve("test-html/stress"));
        Path round2 = Files.createDirectories(dir.resolve("round-2"));
        Files.writeString(round2.resolve("cpu0.log"), "# v2\n");
        sb = StressLanesTest.storeBuffering();
        List<StressEntry.Round> rounds = List.of(
                new StressEntry.Round(1, 500_000, 500_000, 0.25, 2_300_000, 1.9, "holds", null, null),
                new StressEntry.Round(2, 500_000, 500_000, 0.26, 2_310_000, 2.0, "fails", sb.verdict(), round2));
        StressEntry e = new StressEntry("no-vmm-publish-mb", rounds, StressLanes.failure(2, round2, sb, null, sb.report()),
                "./coop stress ring --mutant no-vmm-publish-mb --one-at-a-time --requests 500000 --seconds 30", 6.1, 1, null);
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("mutant", "no-vmm-publish-mb");
        in.put("requests", 500_000);
        ByteArrayOutputStream warn = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        Reports.stress(repo, dir, in, List.of(e), false, new PrintStream(warn, true, StandardCharsets.UTF_8));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("", warn.toString(StandardCharsets.UTF_8), "no report failed");
        Path file = dir.resolve(Reports.PAGE);
        System.out.printf("stress report: %s, %.1f KB, written in %d ms%n", file, Files.size(file) / 1024.0, ms);
        page = Jsoup.parse(file.toFile(), "UTF-8");
    }

    @Test
    void thePageHasTheRoundsAndTheCycleDrawn() {
        cycleSection(page);
    }

    /** What the page must show of the store-buffering round, in a DOM from the file or from the browser. */
    private static void cycleSection(Document d) {
        assertTrue(d.select("script, link[href], img[src], iframe, object, embed").isEmpty(), "self-contained");
        assertEquals(List.of("holds", "fails"), d.select("table#rounds tr[data-round] td.verdict").eachText());
        assertEquals(List.of("pass", "fail"), d.select("table#rounds tr[data-round]").eachAttr("class"));
        Element f = d.selectFirst("section.failure.cycle");
        assertNotNull(f, "the failing round's section");
        assertEquals("store-buffering cycle, TSO-consistent", f.selectFirst("p.classification").text());
        assertTrue(f.selectFirst("ul.missing-barriers").text().startsWith("a full barrier is missing between w:req_prod (cpu 0 seq 5"));
        assertEquals(4, f.select("ol.cycle-steps li").size());
        Document svg = Jsoup.parse(f.selectFirst("svg.lanes").outerHtml(), "", Parser.xmlParser());
        StressLanesTest.assertCycleDrawn(svg, sb.cycle());
        assertEquals("#" + f.id(), d.selectFirst("table#rounds tr[data-round=2] a").attr("href"), "the failing row links to it");
        assertEquals("round-2/cpu0.log", f.selectFirst("a[href$=cpu0.log]").attr("href"), "links relative to the page");
    }

    @Test
    void theBrowserShowsTheSameAndTheScreenshotIsKept() throws Exception {
        Path file = dir.resolve(Reports.PAGE), png = dir.resolve("report.png");
        long t0 = System.nanoTime();
        String dom = new Chromium(Chromium.require()).render(file, png, 1280, 1400);
        System.out.printf("stress report rendered by chromium in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, png);
        cycleSection(Jsoup.parse(dom, file.toUri().toString()));
        // A blank page compresses to a few KB; a table and a diagram do not.
        assertTrue(Files.size(png) > 30_000, png + ": " + Files.size(png) + " bytes");
    }

    @Test
    void theSummaryAndTheJUnitXmlReadBack() throws Exception {
        assertTrue(Files.readString(dir.resolve("no-vmm-publish-mb-round-2.mmd")).startsWith("sequenceDiagram\n"));
        JsonNode s = Json.mapper().readTree(dir.resolve(Reports.SUMMARY).toFile());
        assertEquals("coop-stress-summary/1", s.get("schema").asText());
        JsonNode c = s.get("campaigns").get(0);
        assertEquals(2, c.get("rounds").size());
        assertEquals("cycle", c.get("failure").get("kind").asText());
        assertEquals("store-buffering cycle, TSO-consistent", c.get("failure").get("classification").asText());
        assertEquals(1, s.get("totals").get("failed").asInt());

        Document junit = Jsoup.parse(Files.readString(dir.resolve(Reports.JUNIT)), "", Parser.xmlParser());
        assertEquals("2", junit.selectFirst("testsuite").attr("tests"));
        assertEquals("1", junit.selectFirst("testsuite").attr("failures"));
        assertEquals(List.of("round-1", "round-2"), junit.select("testcase").eachAttr("name"));
        assertTrue(junit.select("testcase[name=round-2] failure").text().contains("reproduce: ./coop stress ring --mutant"));
    }

    @Test
    void allMutantsIsAMutantsTableAndACaughtMutantPasses() throws Exception {
        Path dir = Files.createTempDirectory("coop-stress-page");
        StressEntry.Round held = new StressEntry.Round(1, 1000, 1000, 0.01, 4900, 0.1, "holds", null, null);
        StressEntry.Round fails = new StressEntry.Round(1, 1000, 1000, 0.01, 4900, 0.1, "fails", "replay: x", null);
        StressEntry caught = new StressEntry("off-by-one-full", List.of(fails), StressLanes.other(1, "replay: x", null, "n"), "r1", 1, 1, null);
        StressEntry missed = new StressEntry("no-iopm-sleep-mb", List.of(held), null, "r2", 1, 0, null);
        Reports.stress(Repo.locate(), dir, Map.of("mutant", "all"), List.of(caught, missed), true, System.err);
        Document d = Jsoup.parse(dir.resolve(Reports.PAGE).toFile(), "UTF-8");
        assertEquals(List.of("off-by-one-full", "no-iopm-sleep-mb"), d.select("table#mutants tr[data-mutant]").eachAttr("data-mutant"));
        assertEquals(List.of("pass", "fail"), d.select("table#mutants tr[data-mutant]").eachAttr("class"));
        Document junit = Jsoup.parse(Files.readString(dir.resolve(Reports.JUNIT)), "", Parser.xmlParser());
        assertEquals(List.of("off-by-one-full", "no-iopm-sleep-mb"), junit.select("testcase").eachAttr("name"));
        assertTrue(junit.select("testcase[name=off-by-one-full] failure").isEmpty(), "a mutant caught passes");
        assertTrue(junit.selectFirst("testcase[name=no-iopm-sleep-mb] failure").attr("message").startsWith("not caught in 1 rounds"));
    }
}
