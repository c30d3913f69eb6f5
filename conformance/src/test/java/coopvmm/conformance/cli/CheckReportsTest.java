package coopvmm.conformance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coopvmm.conformance.Repo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./coop check}'s reports read back the way their consumers read them: junit.xml with a
 * DOM parser (as a CI's JUnit reader does), summary.json and the ITF traces with Jackson. One
 * run of three targets: a spec that holds, a mutant rejected as expected, and a spec with no
 * EXPECT line that violates its invariant (the one failure).
 */
class CheckReportsTest {

    private static CliRunner.Result run;
    private static Path dir;

    /** Small, and its values are of every form ITF has: integer, string, boolean, sequence, set, record, function. */
    private static final String TALLY = """
            ---- MODULE Tally ----
            EXTENDS Naturals, Sequences
            VARIABLES n, log, seen, rec, f
            Init == n = 0 /\\ log = <<>> /\\ seen = {} /\\ rec = [who |-> "vmm", ok |-> TRUE] /\\ f = [i \\in 0..1 |-> 0]
            Next == /\\ n < 5 /\\ n' = n + 1 /\\ log' = Append(log, n) /\\ seen' = seen \\cup {n}
                    /\\ rec' = [rec EXCEPT !.ok = ~@] /\\ f' = [f EXCEPT ![n % 2] = n]
            Small == n < 3
            ====
            """;

    @BeforeAll
    static void checkThree() throws Exception {
        Path tmp = Files.createTempDirectory("coop-reports");
        Path tally = tmp.resolve("Tally.tla");
        Files.writeString(tally, TALLY);
        Files.writeString(tmp.resolve("Tally.cfg"), "INIT Init\nNEXT Next\nINVARIANT Small\n");
        Path specs = Repo.locate().specs();
        // BootHandoff with its small config alone (the spec has more configs than this test counts)
        Files.copy(specs.resolve("BootHandoff.tla"), tmp.resolve("BootHandoff.tla"));
        Files.copy(specs.resolve("BootHandoff.cfg"), tmp.resolve("BootHandoff.cfg"));
        run = CliRunner.run("check", tmp.resolve("BootHandoff.tla").toString(),
                specs.resolve("mutants/OffByOneFull.tla").toString(), tally.toString());
        assertEquals(1, run.exit(), run::toString);
        Matcher m = Pattern.compile("TLC output kept in (\\S+)").matcher(run.out());
        assertTrue(m.find(), run::toString);
        dir = Repo.locate().root().resolve(m.group(1));
    }

    @Test
    void junitXmlHasOneTestcasePerConfigAndTheOneFailure() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        Element suite = doc.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("errors"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(3, cases.getLength());
        Map<String, Element> byClass = new HashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            byClass.put(c.getAttribute("classname"), c);
            assertTrue(Double.parseDouble(c.getAttribute("time")) > 0, "time of " + c.getAttribute("classname"));
        }
        assertEquals("BootHandoff.cfg", byClass.get("BootHandoff").getAttribute("name"));
        assertEquals("OffByOneFull.cfg", byClass.get("OffByOneFull").getAttribute("name"));
        assertEquals(0, byClass.get("BootHandoff").getElementsByTagName("failure").getLength());
        assertEquals(0, byClass.get("OffByOneFull").getElementsByTagName("failure").getLength(),
                "a mutant rejected as expected passes");
        NodeList failures = byClass.get("Tally").getElementsByTagName("failure");
        assertEquals(1, failures.getLength());
        Element failure = (Element) failures.item(0);
        assertEquals("invariant violated: Small", failure.getAttribute("message"));
        String body = failure.getTextContent();
        assertTrue(body.contains("invariant violated: Small") && body.contains("counterexample (4 states)")
                && body.contains("n: 2 -> 3"), body);
        String attached = byClass.get("Tally").getElementsByTagName("system-out").item(0).getTextContent();
        assertTrue(attached.contains("[[ATTACHMENT|") && attached.contains("Tally-Tally.itf.json"), attached);
    }

    @Test
    void aSpecThatDoesNotParseIsAnErrorInJunitXml() throws Exception {
        Path tmp = Files.createTempDirectory("coop-reports");
        Path spec = tmp.resolve("Broken.tla");
        Files.writeString(spec, "---- MODULE Broken ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = x + + 1\n====\n");
        Files.writeString(tmp.resolve("Broken.cfg"), "INIT Init\nNEXT Next\n");
        CliRunner.Result r = CliRunner.run("check", spec.toString());
        assertEquals(2, r.exit(), r::toString);
        Matcher m = Pattern.compile("TLC output kept in (\\S+)").matcher(r.out());
        assertTrue(m.find(), r::toString);
        Path d = Repo.locate().root().resolve(m.group(1));
        Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(d.resolve("junit.xml").toFile())
                .getDocumentElement();
        assertEquals("1", suite.getAttribute("errors"));
        Element error = (Element) suite.getElementsByTagName("error").item(0);
        assertTrue(error.getAttribute("message").startsWith("parse error"), error.getAttribute("message"));
        JsonNode s = new ObjectMapper().readTree(d.resolve("summary.json").toFile());
        assertEquals(1, s.at("/totals/errors").asInt());
    }

    @Test
    void summaryJsonHasTheVerdictsCountsAndVersions() throws Exception {
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(3, s.at("/inputs/specs").size());
        assertTrue(s.at("/versions/tlc").asText().startsWith("2."), s.at("/versions").toString());
        assertFalse(s.at("/versions/jvm").asText().isEmpty());
        JsonNode t = s.get("targets");
        assertEquals(3, t.size());
        assertEquals("BootHandoff", t.get(0).get("spec").asText());
        assertEquals("holds", t.get(0).get("verdict").asText());
        assertTrue(t.get(0).get("expected").isNull());
        assertTrue(t.get(0).get("statesDistinct").asLong() > 0 && t.get(0).get("depth").asInt() > 0);
        assertTrue(t.get(0).get("asExpected").asBoolean());
        assertTrue(t.get(0).get("itf").isNull(), "no counterexample, no ITF");
        assertEquals("NoOverflow", t.get(1).get("expected").asText());
        assertEquals("invariant violated", t.get(1).get("verdict").asText());
        assertEquals("NoOverflow", t.get(1).get("property").asText());
        assertTrue(t.get(1).get("asExpected").asBoolean());
        assertEquals("Small", t.get(2).get("property").asText());
        assertFalse(t.get(2).get("asExpected").asBoolean());
        assertEquals(4, t.get(2).get("counterexampleStates").asInt());
        assertEquals(3, s.at("/totals/targets").asInt());
        assertEquals(2, s.at("/totals/asExpected").asInt());
        assertEquals(1, s.at("/totals/notAsExpected").asInt());
        assertEquals(1, s.at("/totals/holds").asInt());
        assertEquals(2, s.at("/totals/violations").asInt());
    }

    @Test
    void itfTracesHaveTheCounterexamplesStatesAndValues() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode s = json.readTree(dir.resolve("summary.json").toFile());

        // The mutant: as many states as the text counterexample, and its last nextId.
        JsonNode mutant = json.readTree(Repo.locate().root().resolve(s.at("/targets/1/itf").asText()).toFile());
        assertEquals("ITF", mutant.at("/#meta/format").asText());
        Matcher states = Pattern.compile("counterexample \\((\\d+) states\\)").matcher(run.out());
        assertTrue(states.find(), run::toString);
        JsonNode st = mutant.get("states");
        assertEquals(Integer.parseInt(states.group(1)), st.size());
        assertEquals(s.at("/targets/1/counterexampleStates").asInt(), st.size());
        for (int i = 0; i < st.size(); i++) assertEquals(i, st.get(i).at("/#meta/index").asInt());
        String section = run.out().substring(run.out().indexOf("OffByOneFull.cfg"), run.out().indexOf("Tally.cfg"));
        Matcher nextId = Pattern.compile("nextId: \\d+ -> (\\d+)").matcher(section);
        String last = null;
        while (nextId.find()) last = nextId.group(1);
        assertNotNull(last, section);
        assertEquals(last, st.get(st.size() - 1).at("/nextId/#bigint").asText());
        assertTrue(mutant.get("vars").toString().contains("\"nextId\""));

        // Tally: every value form, in the last state (n = 3).
        JsonNode tally = json.readTree(Repo.locate().root().resolve(s.at("/targets/2/itf").asText()).toFile());
        JsonNode end = tally.get("states").get(3);
        assertEquals(json.readTree("{\"#bigint\":\"3\"}"), end.get("n"));
        assertEquals(json.readTree("[{\"#bigint\":\"0\"},{\"#bigint\":\"1\"},{\"#bigint\":\"2\"}]"), end.get("log"));
        assertEquals(3, end.at("/seen/#set").size());
        assertEquals(json.readTree("{\"who\":\"vmm\",\"ok\":false}"), end.get("rec"));
        assertEquals(json.readTree("{\"#map\":[[{\"#bigint\":\"0\"},{\"#bigint\":\"2\"}],[{\"#bigint\":\"1\"},{\"#bigint\":\"1\"}]]}"),
                end.get("f"));
        assertEquals("Next", end.at("/#meta/action").asText());
    }
}
