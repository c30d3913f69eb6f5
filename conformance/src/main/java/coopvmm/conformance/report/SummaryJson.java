package coopvmm.conformance.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.TlcResult;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code summary.json}: one run of {@code ./coop check} or {@code ./coop conform} as data, the
 * spine every other report (JUnit XML, pages) can be made from. Paths are relative to the
 * repository root when inside it, as the CLI prints them.
 */
public final class SummaryJson {

    public static final String CHECK_SCHEMA = "coop-check-summary/1", CONFORM_SCHEMA = "coop-conform-summary/1";

    private SummaryJson() {
    }

    /** {@code options}: how TLC was run (workers, timeout, extra TLC arguments, ...). */
    public static ObjectNode check(Repo repo, Map<String, ?> options, Map<String, ?> versions, List<CheckEntry> rows) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema", CHECK_SCHEMA);
        ObjectNode inputs = root.putObject("inputs");
        Set<String> specs = new LinkedHashSet<>(), configs = new LinkedHashSet<>();
        for (CheckEntry e : rows) {
            specs.add(repo.show(e.spec()));
            configs.add(repo.show(e.config()));
        }
        inputs.set("specs", strings(specs));
        inputs.set("configs", strings(configs));
        inputs.set("options", Json.MAPPER.valueToTree(options));
        root.set("versions", Json.MAPPER.valueToTree(versions));

        ArrayNode targets = root.putArray("targets");
        int asExpected = 0, holds = 0, violations = 0, errors = 0;
        double seconds = 0;
        for (CheckEntry e : rows) {
            TlcResult r = e.result();
            ObjectNode t = targets.addObject();
            t.put("spec", e.specName());
            t.put("config", e.configName());
            t.put("specFile", repo.show(e.spec()));
            t.put("configFile", repo.show(e.config()));
            t.put("expected", e.expected());
            t.put("verdict", r.verdict().text());
            t.put("property", r.property());
            t.put("message", r.message());
            putCount(t, "statesGenerated", r.generated());
            putCount(t, "statesDistinct", r.distinct());
            putCount(t, "depth", r.depth());
            t.put("seconds", round(r.seconds()));
            t.put("asExpected", e.asExpected());
            t.put("counterexampleStates", r.trace().size());
            t.put("rawOutput", r.rawOutput() == null ? null : repo.show(r.rawOutput()));
            t.put("itf", e.itf() == null ? null : repo.show(e.itf()));
            if (e.asExpected()) asExpected++;
            if (r.verdict() == TlcResult.Verdict.HOLDS) holds++;
            else if (r.verdict().isViolation()) violations++;
            else errors++;
            seconds += r.seconds();
        }
        ObjectNode totals = root.putObject("totals");
        totals.put("targets", rows.size());
        totals.put("asExpected", asExpected);
        totals.put("notAsExpected", rows.size() - asExpected);
        totals.put("holds", holds);
        totals.put("violations", violations);
        totals.put("errors", errors);
        totals.put("seconds", round(seconds));
        return root;
    }

    /** {@code inputs}: scenarios, smp, seeds, requests, image, imageSha256, options. */
    public static ObjectNode conform(Repo repo, Map<String, ?> inputs, Map<String, ?> versions, List<ConformEntry> runs) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema", CONFORM_SCHEMA);
        root.set("inputs", Json.MAPPER.valueToTree(inputs));
        root.set("versions", Json.MAPPER.valueToTree(versions));
        ArrayNode list = root.putArray("runs");
        int passed = 0, failed = 0, errors = 0;
        double seconds = 0;
        for (ConformEntry e : runs) {
            ObjectNode r = list.addObject();
            r.put("scenario", e.scenario());
            r.put("smp", e.smp());
            r.put("seed", e.seed());
            r.put("verdict", e.verdict());
            r.set("reasons", strings(e.findings()));
            putCount(r, "events", e.events());
            r.put("seconds", round(e.seconds()));
            putRate(r, "modelEventsPerSecond", e.modelRate());
            putRate(r, "tlaEventsPerSecond", e.tlaRate());
            r.put("reproduce", e.reproduce());
            r.put("dir", e.dir() == null ? null : repo.show(e.dir()));
            r.put("trace", e.dir() == null ? null : repo.show(e.dir().resolve("trace.log")));
            if (e.passed()) passed++;
            else if (e.isError()) errors++;
            else failed++;
            seconds += e.seconds();
        }
        ObjectNode totals = root.putObject("totals");
        totals.put("runs", runs.size());
        totals.put("conform", passed);
        totals.put("fail", failed);
        totals.put("errors", errors);
        totals.put("seconds", round(seconds));
        return root;
    }

    public static final String STRESS_SCHEMA = "coop-stress-summary/1";

    /**
     * {@code ./coop stress ring}: a campaign per mutant (one, or each of {@code --all-mutants}),
     * a row per round; the failing round's verdict, and its cycle or its divergent record.
     */
    public static ObjectNode stress(Repo repo, Map<String, ?> inputs, Map<String, ?> versions,
                                    List<coopvmm.conformance.report.html.StressEntry> campaigns) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema", STRESS_SCHEMA);
        root.set("inputs", Json.MAPPER.valueToTree(inputs));
        root.set("versions", Json.MAPPER.valueToTree(versions));
        ArrayNode list = root.putArray("campaigns");
        int rounds = 0, passed = 0, failed = 0, errors = 0, caught = 0;
        long answered = 0, events = 0;
        double seconds = 0;
        for (var e : campaigns) {
            ObjectNode c = list.addObject();
            c.put("mutant", e.mutant());
            c.put("caught", e.caught());
            c.put("exit", e.exit());
            c.put("seconds", round(e.wallSeconds()));
            c.put("reproduce", e.reproduce());
            c.put("harness", e.harness() == null ? null : repo.show(e.harness()));
            c.put("harnessSha256", e.harness() == null ? null : Reports.sha256(e.harness()));
            ArrayNode rs = c.putArray("rounds");
            for (var r : e.rounds()) {
                ObjectNode o = rs.addObject();
                o.put("round", r.round());
                o.put("requests", r.requests());
                o.put("answered", r.answered());
                o.put("trafficSeconds", round(r.trafficSeconds()));
                o.put("requestsPerSecond", Math.round(r.requestsPerSecond()));
                o.put("events", r.events());
                o.put("checkSeconds", round(r.checkSeconds()));
                o.put("eventsPerSecond", Math.round(r.eventsPerSecond()));
                o.put("verdict", r.verdict());
                o.put("finding", r.finding());
                o.put("dir", r.dir() == null ? null : repo.show(r.dir()));
                rounds++;
                if (r.holds()) passed++;
                else if (r.verdict().equals("error")) errors++;
                else failed++;
                answered += r.answered();
                events += r.events();
            }
            var f = e.failure();
            if (f == null) c.putNull("failure");
            else {
                ObjectNode o = c.putObject("failure");
                o.put("round", f.round());
                o.put("kind", f.kind().name().toLowerCase(java.util.Locale.ROOT));
                o.put("verdict", f.text());
                o.put("dir", f.dir() == null ? null : repo.show(f.dir()));
                o.put("classification", f.classification());
                o.put("reading", f.reading());
                o.set("missingBarriers", strings(f.missingBarriers()));
                o.set("cycle", strings(f.cycleSteps()));
                o.put("divergentRecord", f.focusLine());
                o.put("expected", f.expected());
            }
            if (e.caught()) caught++;
            seconds += e.wallSeconds();
        }
        ObjectNode totals = root.putObject("totals");
        totals.put("campaigns", campaigns.size());
        totals.put("caught", caught);
        totals.put("rounds", rounds);
        totals.put("passed", passed);
        totals.put("failed", failed);
        totals.put("errors", errors);
        totals.put("answered", answered);
        totals.put("events", events);
        totals.put("seconds", round(seconds));
        return root;
    }

    private static JsonNode strings(Iterable<String> xs) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        xs.forEach(a::add);
        return a;
    }

    /** TLC's "never said" (-1) is null, not a count. */
    private static void putCount(ObjectNode o, String name, long n) {
        if (n < 0) o.putNull(name);
        else o.put(name, n);
    }

    private static void putRate(ObjectNode o, String name, double r) {
        if (r < 0 || Double.isNaN(r)) o.putNull(name);
        else o.put(name, Math.round(r));
    }

    private static double round(double s) {
        return Math.round(s * 1000) / 1000.0;
    }
}
