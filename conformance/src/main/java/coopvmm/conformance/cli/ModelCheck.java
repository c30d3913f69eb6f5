package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.CounterexamplePrinter;
import coopvmm.conformance.tlc.SpecCatalog;
import coopvmm.conformance.tlc.SpecCatalog.Target;
import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcResult.Verdict;
import coopvmm.conformance.tlc.TlcRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Runs TLC on a list of targets and prints the summary table and counterexamples. */
final class ModelCheck {

    private final Repo repo;
    private final TlcRunner tlc;
    private final Path outDir;
    private final PrintStream out;

    /** One row of the summary: the target, TLC's result, and whether it is as expected. */
    record Row(Target target, TlcResult result) {
        boolean asExpected() {
            if (!target.expectsViolation()) return result.verdict() == Verdict.HOLDS;
            return result.verdict().isViolation() && target.expected().equals(result.property());
        }
    }

    ModelCheck(Repo repo, int workers, long timeoutSeconds, PrintStream out) throws IOException {
        this.repo = repo;
        this.tlc = new TlcRunner(repo.specs(), workers, timeoutSeconds);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        this.outDir = repo.reports().resolve("check").resolve(stamp);
        Files.createDirectories(outDir);
        this.out = out;
    }

    Path outDir() {
        return outDir;
    }

    List<Row> checkAll(List<Target> targets, boolean printTraces) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        header();
        for (Target t : targets) {
            TlcResult r = checkOne(t);
            Row row = new Row(t, r);
            rows.add(row);
            line(row);
            if (r.verdict() == Verdict.PARSE_ERROR || r.verdict() == Verdict.TLC_ERROR) {
                out.println("    " + r.message());
                out.println("    raw TLC output: " + repo.show(r.rawOutput()));
            } else if (r.verdict().isViolation() && printTraces) {
                out.println("    counterexample (" + r.trace().size() + " states), "
                        + r.message() + (r.property() != null ? " [" + r.property() + "]" : "") + ":");
                CounterexamplePrinter.print(r, out);
                out.println("    raw TLC output: " + repo.show(r.rawOutput()));
            }
        }
        out.println("TLC output kept in " + repo.show(outDir));
        return rows;
    }

    /** Runs one target; a liveness violation is pinned on the property that fails alone. */
    TlcResult checkOne(Target t) throws IOException, InterruptedException {
        Path raw = outDir.resolve(t.name() + "-" + t.cfgName().replace(".cfg", "") + ".out");
        TlcResult r = tlc.check(t.spec(), t.cfg(), raw, List.of());
        if (r.verdict() == Verdict.LIVENESS_VIOLATED && r.property() == null) {
            r = r.withProperty(pinLiveness(t));
        }
        return r;
    }

    /** TLC names no property on a temporal violation: check each one alone, first that fails. */
    private String pinLiveness(Target t) throws IOException, InterruptedException {
        List<String> props = SpecCatalog.temporalProperties(t.cfg());
        for (String p : props) {
            // TLC finds a config only beside its spec: copy both into a folder of their own.
            Path dir = Files.createDirectories(outDir.resolve("pin-" + t.name() + "-" + p));
            Path spec = Files.copy(t.spec(), dir.resolve(t.spec().getFileName()));
            Path cfg = dir.resolve(t.name() + ".cfg");
            Files.writeString(cfg, SpecCatalog.withOnlyProperty(t.cfg(), p));
            TlcResult one = tlc.check(spec, cfg, dir.resolve("tlc.out"), List.of());
            if (one.verdict() == Verdict.LIVENESS_VIOLATED || one.verdict() == Verdict.PROPERTY_VIOLATED) {
                return p;
            }
        }
        return "liveness";
    }

    private void header() {
        out.printf("%-22s %-22s %-26s %-24s %11s %10s %6s %8s %10s%n", "spec", "config", "verdict",
                "property", "generated", "distinct", "depth", "seconds", "states/s");
    }

    private void line(Row row) {
        TlcResult r = row.result();
        String verdict = r.verdict().text();
        if (row.target().expectsViolation()) {
            verdict = (row.asExpected() ? "rejected as expected" : "NOT AS EXPECTED");
        }
        String prop = r.property() == null ? "-" : r.property();
        if (row.target().expectsViolation() && !row.asExpected()) prop = prop + " (want " + row.target().expected() + ")";
        out.printf("%-22s %-22s %-26s %-24s %11s %10s %6s %8.1f %10s%n", row.target().name(),
                row.target().cfgName(), verdict, prop, count(r.generated()), count(r.distinct()),
                r.depth() < 0 ? "-" : Integer.toString(r.depth()), r.seconds(),
                count(Math.round(r.statesPerSecond())));
    }

    private static String count(long n) {
        return n < 0 ? "-" : String.format("%,d", n);
    }
}
