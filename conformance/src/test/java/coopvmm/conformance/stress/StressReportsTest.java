package coopvmm.conformance.stress;

import com.fasterxml.jackson.databind.JsonNode;
import coopvmm.conformance.Repo;
import coopvmm.conformance.cli.CliRunner;
import coopvmm.conformance.report.Json;
import coopvmm.conformance.report.Reports;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./coop stress ring} end to end on a mutant caught in its first round (a ring declared
 * full one slot late: the 17th write of a 16-slot ring is not enabled, cpu 0 seq 16 in every
 * run), a round of 2000 requests: the folder it names holds summary.json, junit.xml and a
 * report.html whose divergent mark is that record, found in the kept log.
 */
class StressReportsTest {

    @Test
    void aCaughtMutantsReportsMarkTheDivergentRecord() throws Exception {
        CliRunner.Result r = CliRunner.run("stress", "ring", "--mutant", "off-by-one-full", "--requests", "2000", "--seconds", "1");
        assertEquals(1, r.exit(), r::toString);
        Matcher m = Pattern.compile("reports: (\\S+) \\(summary.json").matcher(r.out());
        assertTrue(m.find(), r.out());
        Path dir = Repo.locate().root().resolve(m.group(1));
        assertTrue(!r.err().contains("warning"), "every report written: " + r.err());

        Document page = Jsoup.parse(dir.resolve(Reports.PAGE).toFile(), "UTF-8");
        Element div = page.selectFirst("section.failure.divergence svg.lanes g.mark.divergent");
        assertNotNull(div, "a divergent mark");
        assertEquals("0", div.attr("data-cpu"));
        // The record it marks is the 17th write_request of the VMM's log, read from the log itself.
        String line = Files.readAllLines(dir.resolve("round-1/cpu0.log")).get(Integer.parseInt(div.attr("data-line")) - 1);
        assertTrue(line.startsWith("0 " + div.attr("data-seq") + " vmm.write_request ") && line.contains(" id=17 "), line);
        assertTrue(page.selectFirst("section.failure div.expected").text().startsWith("the model expected: VmmWriteRequest"));

        JsonNode s = Json.mapper().readTree(dir.resolve(Reports.SUMMARY).toFile());
        assertEquals("coop-stress-summary/1", s.get("schema").asText());
        assertTrue(s.get("campaigns").get(0).get("caught").asBoolean());
        assertEquals("divergence", s.get("campaigns").get(0).get("failure").get("kind").asText());
        Document junit = Jsoup.parse(Files.readString(dir.resolve(Reports.JUNIT)), "", Parser.xmlParser());
        assertEquals(1, junit.select("testcase[name=round-1] failure").size());
    }
}
