package coopvmm.conformance.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coopvmm.conformance.Repo;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** conform's summary.json and junit.xml from synthetic runs (no QEMU), read back by their consumers' parsers. */
class ConformReportsTest {

    private static final String DIVERGENCE = "  model: first divergent event #41 at trace.log:57: iopm.consume iopm=1 idx=3";

    private static List<ConformEntry> runs(Path base) {
        return List.of(
                new ConformEntry("ring", 3, 7, "conforms", List.of(), 1234, 2.5, 50000, 900,
                        "./coop conform --scenario ring --smp 3 --seed 7", base.resolve("ring-smp3-seed7"),
                        "ring 3 7 ... conforms\n"),
                new ConformEntry("ring-burst", 2, 8, "fails", List.of(), 800, 3.25, 40000, -1,
                        "./coop conform --scenario ring-burst --smp 2 --seed 8", base.resolve("ring-burst-smp2-seed8"),
                        "ring-burst 2 8 ... FAILS\n" + DIVERGENCE + "\n    the model expected: a full ring\u0001\n"),
                new ConformEntry("boot", 3, 9, "error", List.of("QEMU could not boot the image"), -1, 0.5, -1, -1,
                        "./coop conform --scenario boot --smp 3 --seed 9", base.resolve("boot-smp3-seed9"), ""));
    }

    private static Map<String, Object> inputs() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("scenarios", List.of("ring", "ring-burst", "boot"));
        in.put("smp", List.of(3, 2));
        in.put("seeds", List.of(7L));
        in.put("requests", 300);
        in.put("options", Map.of("accel", "tcg"));
        return in;
    }

    @Test
    void junitXmlAndSummaryJsonReadBack() throws Exception {
        Path base = Files.createTempDirectory("coop-conform-report");
        Path image = Files.writeString(base.resolve("coopvmm.elf"), "not really an image");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(image)));
        ByteArrayOutputStream warn = new ByteArrayOutputStream();
        Reports.conform(Repo.locate(), base, image, inputs(), runs(base), new PrintStream(warn, true, StandardCharsets.UTF_8));
        assertEquals("", warn.toString(StandardCharsets.UTF_8));

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(base.resolve("junit.xml").toFile());
        Element suite = doc.getDocumentElement();
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("errors"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(3, cases.getLength());
        Element ring = (Element) cases.item(0), burst = (Element) cases.item(1), boot = (Element) cases.item(2);
        assertEquals("conform.ring", ring.getAttribute("classname"));
        assertEquals("smp3-seed7", ring.getAttribute("name"));
        assertEquals("2.500", ring.getAttribute("time"));
        assertEquals(0, ring.getElementsByTagName("failure").getLength());
        Map<String, String> props = properties(burst);
        assertEquals("8", props.get("seed"));
        assertEquals("2", props.get("smp"));
        assertEquals(sha, props.get("image.sha256"));
        assertEquals("./coop conform --scenario ring-burst --smp 2 --seed 8", props.get("reproduce"));
        Element failure = (Element) burst.getElementsByTagName("failure").item(0);
        assertEquals(DIVERGENCE.strip(), failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("the model expected: a full ring"), failure.getTextContent());
        assertTrue(failure.getTextContent().contains("reproduce: ./coop conform --scenario ring-burst"));
        String out = burst.getElementsByTagName("system-out").item(0).getTextContent();
        assertTrue(out.contains("[[ATTACHMENT|" + base.resolve("ring-burst-smp2-seed8/trace.log").toAbsolutePath() + "]]"), out);
        Element error = (Element) boot.getElementsByTagName("error").item(0);
        assertEquals("QEMU could not boot the image", error.getAttribute("message"));

        JsonNode s = new ObjectMapper().readTree(base.resolve("summary.json").toFile());
        assertEquals(sha, s.at("/inputs/imageSha256").asText());
        assertEquals(300, s.at("/inputs/requests").asInt());
        assertFalse(s.at("/versions/jvm").asText().isEmpty());
        JsonNode r = s.get("runs");
        assertEquals(3, r.size());
        assertEquals("conforms", r.get(0).get("verdict").asText());
        assertEquals(1234, r.get(0).get("events").asLong());
        assertEquals(50000, r.get(0).get("modelEventsPerSecond").asLong());
        assertEquals(900, r.get(0).get("tlaEventsPerSecond").asLong());
        assertEquals("fails", r.get(1).get("verdict").asText());
        assertTrue(r.get(1).get("tlaEventsPerSecond").isNull(), "TLA not run");
        assertEquals(DIVERGENCE.strip(), r.get(1).get("reasons").get(0).asText(), "the divergence is a reason");
        assertEquals("./coop conform --scenario ring-burst --smp 2 --seed 8", r.get(1).get("reproduce").asText());
        assertTrue(r.get(1).get("dir").asText().endsWith("ring-burst-smp2-seed8"));
        assertEquals("error", r.get(2).get("verdict").asText());
        assertEquals("QEMU could not boot the image", r.get(2).get("reasons").get(0).asText());
        assertTrue(r.get(2).get("events").isNull());
        assertEquals(1, s.at("/totals/conform").asInt());
        assertEquals(1, s.at("/totals/fail").asInt());
        assertEquals(1, s.at("/totals/errors").asInt());

        // report.html beside them; these runs kept no trace facts, so a row each and nothing drawn.
        String page = Files.readString(base.resolve(Reports.PAGE));
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("<table id=\"runs\">"), page);
        assertEquals(3, page.split("<tr class=\"", -1).length - 1, "a row per run");
        assertTrue(page.contains("no trace was read for this run"), page);
        assertFalse(page.contains("\u0001"), "a control character of the detail is not copied into the page");
    }

    @Test
    void aReportThatCannotBeWrittenIsOneWarningLine() throws Exception {
        Path base = Files.createTempDirectory("coop-conform-report");
        Path notADir = Files.writeString(base.resolve("file"), "x");
        ByteArrayOutputStream warn = new ByteArrayOutputStream();
        Reports.conform(Repo.locate(), notADir.resolve("run"), null, inputs(), runs(base),
                new PrintStream(warn, true, StandardCharsets.UTF_8));
        String w = warn.toString(StandardCharsets.UTF_8);
        assertTrue(w.startsWith("warning: could not write the reports"), w);
        assertEquals(1, w.lines().count(), w);
    }

    private static Map<String, String> properties(Element testcase) {
        Map<String, String> m = new HashMap<>();
        NodeList ps = testcase.getElementsByTagName("property");
        for (int i = 0; i < ps.getLength(); i++) {
            Element p = (Element) ps.item(i);
            m.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        return m;
    }
}
