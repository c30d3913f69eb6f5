package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.report.CheckEntry;
import coopvmm.conformance.report.Reports;
import coopvmm.conformance.tlc.CounterexamplePrinter;
import coopvmm.conformance.tlc.DistributedTlc;
import coopvmm.conformance.tlc.SpecCatalog;
import coopvmm.conformance.tlc.SpecCatalog.Target;
import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcResult.Verdict;
import coopvmm.conformance.tlc.TlcRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs TLC on a list of targets and prints the summary table and counterexamples. */
final class ModelCheck {

    private final Repo repo;
    private TlcRunner tlc;
    private boolean distributed;
    private final Path outDir;
    private final PrintStream out;
    private final List<String> tlcArgs;
    private final int workers;
    private final long timeoutSeconds;

    /** One row of the summary: the target, TLC's result, and whether it is as expected. */
    record Row(Target target, TlcResult result) {
        boolean asExpected() {
            if (!target.expectsViolation()) return result.verdict() == Verdict.HOLDS;
            return result.verdict().isViolation() && target.expected().equals(result.property());
        }
    }

    ModelCheck(Repo repo, int workers, long timeoutSeconds, PrintStream out) throws IOException {
        this(repo, workers, timeoutSeconds, out, List.of());
    }

    /** {@code tlcArgs}: passed to every TLC run as they are (e.g. {@code -simulate num=N -depth D}). */
    ModelCheck(Repo repo, int workers, long timeoutSeconds, PrintStream out, List<String> tlcArgs) throws IOException {
        this.tlcArgs = List.copyOf(tlcArgs);
        this.workers = workers;
        this.timeoutSeconds = timeoutSeconds;
        this.repo = repo;
        this.tlc = new TlcRunner(repo.specs(), workers, timeoutSeconds, out);
        this.outDir = Reports.newRunDir(repo.reports().resolve("check"), "");
        this.out = out;
    }

    /** Each check in TLC's distributed mode from now on: safety only, said per config that has liveness. */
    ModelCheck distributed(DistributedTlc d) {
        tlc = tlc.distributed(d);
        distributed = true;
        return this;
    }

    /** The first check in this JVM (one JVM start less: a command that checks one config). */
    ModelCheck inProcessFirst() {
        tlc = tlc.inProcessFirst();
        return this;
    }

    Path outDir() {
        return outDir;
    }

    List<Row> checkAll(List<Target> targets, boolean printTraces) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        List<CheckEntry> entries = new ArrayList<>();
        int[] widths = widths(targets);
        out.println(formatRow(widths, HEADERS));
        for (Target t : targets) {
            TlcResult r = checkOne(t);
            Row row = new Row(t, r);
            rows.add(row);
            Path itf = r.verdict().isViolation() ? Reports.itf(r, t.spec(), t.cfg(), System.err) : null;
            entries.add(new CheckEntry(t.spec(), t.cfg(), t.expected(), r, row.asExpected(), itf));
            out.println(formatRow(widths, cells(row)));
            if (distributed && !SpecCatalog.temporalProperties(t.cfg()).isEmpty())
                out.println("    note: " + DistributedTlc.SAFETY_ONLY + " (" + String.join(", ", SpecCatalog.temporalProperties(t.cfg())) + ")");
            if (r.verdict() == Verdict.PARSE_ERROR || r.verdict() == Verdict.TLC_ERROR) {
                out.println("    " + r.message());
                out.println("    raw TLC output: " + repo.show(r.rawOutput()));
            } else if (r.verdict().isViolation() && printTraces) {
                out.println("    counterexample (" + r.trace().size() + " states), "
                        + r.message() + (r.property() != null ? " [" + r.property() + "]" : "") + ":");
                CounterexamplePrinter.print(r, out);
                out.println("    raw TLC output: " + repo.show(r.rawOutput()));
                if (itf != null) out.println("    ITF trace: " + repo.show(itf));
            }
        }
        Reports.check(repo, outDir, options(), entries, System.err);
        out.println("TLC output kept in " + repo.show(outDir) + " (summary.json, junit.xml, report.html)");
        return rows;
    }

    /** How TLC was run, for summary.json. */
    private Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("workers", workers);
        o.put("timeoutSeconds", timeoutSeconds);
        o.put("tlcArgs", tlcArgs);
        o.put("distributed", distributed);
        return o;
    }

    /** Runs one target; a liveness violation is pinned on the property that fails alone. */
    TlcResult checkOne(Target t) throws IOException, InterruptedException {
        Path raw = outDir.resolve(t.name() + "-" + t.cfgName().replace(".cfg", "") + ".out");
        TlcResult r = tlc.check(t.spec(), t.cfg(), raw, tlcArgs);
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
            TlcResult one = tlc.check(spec, cfg, dir.resolve("tlc.out"), tlcArgs);
            if (one.verdict() == Verdict.LIVENESS_VIOLATED || one.verdict() == Verdict.PROPERTY_VIOLATED) {
                return p;
            }
        }
        return "liveness";
    }

    /** The summary table's columns: header, least width, and which are right-aligned (the numbers). */
    static final String[] HEADERS = {"spec", "config", "verdict", "property", "generated", "distinct",
            "depth", "seconds", "states/s"};
    private static final int[] LEAST_WIDTHS = {22, 22, 26, 24, 11, 10, 6, 8, 10};
    private static final int FIRST_RIGHT_ALIGNED = 4;
    private static final int SPEC = 0, CONFIG = 1, VERDICT = 2, PROPERTY = 3;
    private static final String AS_EXPECTED = "rejected as expected", NOT_AS_EXPECTED = "NOT AS EXPECTED";

    /**
     * The column widths for these targets, known before the first row: the spec and config
     * columns as wide as the longest name, the verdict column as its longest text, the property
     * column as the longest expected property. A property only TLC can name (a violation nobody
     * expected) may still be wider: {@link #formatRow} keeps the columns after it aligned.
     */
    static int[] widths(List<Target> targets) {
        int[] w = LEAST_WIDTHS.clone();
        for (Verdict v : Verdict.values()) w[VERDICT] = Math.max(w[VERDICT], v.text().length());
        w[VERDICT] = Math.max(w[VERDICT], Math.max(AS_EXPECTED.length(), NOT_AS_EXPECTED.length()));
        for (Target t : targets) {
            w[SPEC] = Math.max(w[SPEC], t.name().length());
            w[CONFIG] = Math.max(w[CONFIG], t.cfgName().length());
            if (t.expectsViolation()) w[PROPERTY] = Math.max(w[PROPERTY], t.expected().length());
        }
        return w;
    }

    /**
     * One line of the table: each cell padded to its column's width (text to the left, numbers
     * to the right), one space between cells. A cell wider than its column is printed whole and
     * what it overruns is taken from the padding of the cells after it, so the row is back in
     * line at the first column with room to spare.
     */
    static String formatRow(int[] widths, String... cells) {
        StringBuilder b = new StringBuilder();
        int overrun = 0;
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) b.append(' ');
            int pad = widths[i] - cells[i].length() - overrun;
            overrun = Math.max(0, -pad);
            String spaces = " ".repeat(Math.max(0, pad));
            if (i >= FIRST_RIGHT_ALIGNED) b.append(spaces).append(cells[i]);
            else b.append(cells[i]).append(spaces);
        }
        return b.toString();
    }

    private static String[] cells(Row row) {
        TlcResult r = row.result();
        String verdict = r.verdict().text();
        if (row.target().expectsViolation()) {
            verdict = (row.asExpected() ? AS_EXPECTED : NOT_AS_EXPECTED);
        }
        String prop = r.property() == null ? "-" : r.property();
        if (row.target().expectsViolation() && !row.asExpected()) prop = prop + " (want " + row.target().expected() + ")";
        return new String[] {row.target().name(), row.target().cfgName(), verdict, prop,
                count(r.generated()), count(r.distinct()), r.depth() < 0 ? "-" : Integer.toString(r.depth()),
                String.format("%.1f", r.seconds()), count(Math.round(r.statesPerSecond()))};
    }

    private static String count(long n) {
        return n < 0 ? "-" : String.format("%,d", n);
    }
}
