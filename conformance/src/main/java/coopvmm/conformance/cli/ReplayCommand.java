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
                "Exit 0 conforms, 1 does not, 2 the trace is unreadable (file:line named)."})
final class ReplayCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", description = "a trace file (docs/trace-format.md)")
    Path trace;

    @Option(names = "--no-tla", description = "skip TLC trace validation (model replay only)")
    boolean noTla;

    @Override
    public Integer call() throws Exception {
        Repo repo = Repo.locate();
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
}
