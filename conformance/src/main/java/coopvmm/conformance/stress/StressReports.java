package coopvmm.conformance.stress;

import coopvmm.conformance.Repo;
import coopvmm.conformance.report.Reports;
import coopvmm.conformance.report.html.StressEntry;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports of one {@code ./coop stress ring} (summary.json, junit.xml, report.html in its
 * folder), made from the campaigns' outcomes. Like every report, one that cannot be written is
 * one warning line and changes nothing else.
 */
public final class StressReports {

    private StressReports() {
    }

    /** A campaign's outcome as the reports take it. */
    public static StressEntry entry(Repo repo, String mutant, StressRun.Options o, StressRun.Outcome r) {
        Path bin = repo.root().resolve("reference-vmm/build/host").resolve(mutant == null ? "ring-stress" : "ring-stress-" + mutant);
        return new StressEntry(mutant, r.rows(), r.focus(), StressRun.reproduce(mutant, o), r.wallNanos() / 1e9, r.exit(), bin);
    }

    /** The options as the summary's inputs. */
    public static Map<String, Object> inputs(String mutant, boolean allMutants, StressRun.Options o) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("protocol", "ring");
        in.put("mutant", allMutants ? "all" : mutant == null ? "reference" : mutant);
        in.put("seconds", o.seconds());
        in.put("requests", o.requests());
        in.put("locked", o.locked());
        in.put("oneAtATime", o.oneAtATime());
        in.put("lockstep", o.lockstep());
        in.put("jitter", o.jitter());
        in.put("stallMs", o.stallMillis());
        in.put("keep", o.keep());
        return in;
    }

    public static void write(Repo repo, Path dir, String mutant, boolean allMutants, StressRun.Options o, List<StressEntry> campaigns,
                             PrintStream warn) {
        Reports.stress(repo, dir, inputs(mutant, allMutants, o), campaigns, allMutants, warn);
    }
}
