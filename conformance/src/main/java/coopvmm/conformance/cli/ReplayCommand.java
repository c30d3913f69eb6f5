package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.report.Reports;
import coopvmm.conformance.trace.TlaTraceValidation;
import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceCheck;
import coopvmm.conformance.trace.TraceFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./coop replay TRACE}: checks a saved trace against the model and the spec. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Check a saved trace: replay into the Java model, then TLC trace validation.",
                "A lock-free build's per-CPU trace (format v2) is checked as ./coop conform --lock-free checks it.",
                "Exit 0 conforms, 1 does not, 2 the trace is unreadable (file:line named)."})
final class ReplayCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", description = "a trace file (docs/trace-format.md)")
    Path trace;

    @Option(names = "--no-tla", description = "skip TLC trace validation (model replay only)")
    boolean noTla;

    @Override
    public Integer call() throws Exception {
        Repo repo = Repo.locate();
        if (java.nio.file.Files.isRegularFile(trace) && ConformLockFree.version(trace) == 2) return replayV2(repo);
        Trace t;
        try {
            t = Trace.read(trace);
        } catch (NoSuchFileException e) {
            System.err.println("coop replay: no such trace: " + trace);
            return Coop.USAGE;
        } catch (TraceFormatException e) {
            System.err.println(trace + ":" + e.line() + (e.seq() >= 0 ? ": event #" + e.seq() : "")
                    + ": " + e.getMessage());
            return e.nonConformance() ? Coop.FAILURE : Coop.USAGE;
        }
        Path work = Reports.newRunDir(repo.reports().resolve("replay"), "");
        TraceCheck.Report r;
        try {
            r = TraceCheck.check(t, work, noTla ? null : new TlaTraceValidation(repo.specs(), 900));
        } catch (TraceFormatException e) {
            System.err.println(trace + ":" + e.line() + (e.seq() >= 0 ? ": event #" + e.seq() : "") + ": " + e.getMessage());
            return Coop.USAGE;
        }
        System.out.printf("%s: %d events, %d checked (ring %d, boot %d, routing %d), %d IOPM(s), scenario %s%n", trace,
                t.events().size(), r.eventsChecked(), r.ringEvents(), r.boot() == null ? 0 : r.boot().eventsChecked(),
                r.irq() == null ? 0 : r.irq().eventsChecked(), t.iopms(), t.scenario());
        boolean ok = TraceVerdict.print(r, repo, System.out) && !r.partial();
        System.out.println(ok ? "conforms" : r.partial() && r.conforms()
                ? "PARTIAL: conforms as far as it goes, but the run was cut" : "DOES NOT CONFORM");
        return ok ? Coop.OK : Coop.FAILURE;
    }

    /**
     * A v2 trace: the order rebuilt from its per-CPU logs, then the replays and TLC in it, as
     * {@code ./coop conform --lock-free} does after a run; the guest's status is its run.end's.
     */
    private int replayV2(Repo repo) throws Exception {
        Path work = Reports.newRunDir(repo.reports().resolve("replay"), "");
        java.util.Map<String, String> h;
        try {
            h = header();
        } catch (TraceFormatException e) {
            System.err.println(trace + ":" + e.line() + ": " + e.getMessage());
            return Coop.USAGE;
        }
        String scenario = h.getOrDefault("scenario", "?");
        int cpus = Integer.parseInt(h.getOrDefault("cpus", "0"));
        long seed = Long.parseLong(h.getOrDefault("seed", "0"));
        ConformRun.Setup st = new ConformRun.Setup(repo, null, trace, 0, "tcg", 0, 0, false, "",
                noTla ? null : new TlaTraceValidation(repo.specs(), 900), false);
        coopvmm.conformance.qemu.QemuRun run = new coopvmm.conformance.qemu.QemuRun(
                coopvmm.conformance.qemu.QemuRun.Outcome.EXITED, endStatus(), 0, 0, work, null);
        System.out.println(ConformRun.HEADER);
        String head = String.format("%-12s %4d %5d", scenario, cpus, seed);
        ConformRun.Result r = ConformLockFree.check(st, scenario, cpus, seed, work, run, trace, "./coop replay " + trace,
                head, System.nanoTime(), null, System.out);
        return r.code();
    }

    /** The fields of the '# coop-trace' header line (the caller found it: a v2 trace has one). */
    private java.util.Map<String, String> header() throws java.io.IOException {
        try (var r = java.nio.file.Files.newBufferedReader(trace, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            int n = 0;
            for (String l; (l = r.readLine()) != null; n++)
                if (l.startsWith("# coop-trace")) return Trace.parseHeader(l, n + 1);
        }
        return java.util.Map.of();
    }

    /** The status field of the trace's run.end (0 when it has none: the order check says it is cut). */
    private int endStatus() throws java.io.IOException {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(" run\\.end .*?\\bstatus=(\\d+)");
        try (var lines = java.nio.file.Files.lines(trace, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.map(p::matcher).filter(java.util.regex.Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                    .reduce((a, b) -> b).orElse(0);
        }
    }
}
