package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.SpecCatalog;
import coopvmm.conformance.tlc.SpecCatalog.Target;
import coopvmm.conformance.tlc.TlcResult.Verdict;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./coop run}: the main job on the bundled defaults. Model-checks every spec in
 * specs/ (each must hold) and every variant in specs/mutants/ (each must be rejected with the
 * property its EXPECT line names), prints one summary table; then boots the bundled reference
 * VMM under QEMU on every scenario and checks its traces ({@code ./coop conform}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The main job: model-check every spec (must hold) and every spec mutant",
                "(must be rejected with its expected property), then conformance of the bundled",
                "reference VMM on every scenario. Exit 0 all as expected, 1 not, 2 error."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--workers", defaultValue = "1", description = "TLC workers (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--no-conform", description = "model-check only; skip the QEMU conformance runs")
    boolean skipConform;

    @Override
    public Integer call() throws Exception {
        Repo repo = Repo.locate();
        List<Target> targets = new ArrayList<>();
        for (Path spec : SpecCatalog.specsIn(repo.specs())) targets.addAll(SpecCatalog.targetsOf(spec, false));
        Path mutants = repo.specs().resolve("mutants");
        if (Files.isDirectory(mutants)) {
            for (Path spec : SpecCatalog.specsIn(mutants)) {
                if (SpecCatalog.expectedOf(spec).isEmpty()) {
                    System.err.println("coop run: " + repo.show(spec) + " has no EXPECT: line");
                    return Coop.USAGE;
                }
                targets.addAll(SpecCatalog.targetsOf(spec, false));
            }
        }
        System.out.println("== model checking: " + targets.size() + " TLC runs");
        ModelCheck mc = new ModelCheck(repo, workers, 1800, System.out);
        List<ModelCheck.Row> rows = mc.checkAll(targets, false);
        long bad = rows.stream().filter(r -> !r.asExpected()).count();
        boolean error = rows.stream().anyMatch(r -> r.result().verdict() == Verdict.PARSE_ERROR
                || r.result().verdict() == Verdict.TLC_ERROR);
        System.out.printf("== %d of %d as expected%n", rows.size() - bad, rows.size());
        if (error) return tally(rows.size() - bad, bad, Coop.USAGE);
        int check = bad == 0 ? Coop.OK : Coop.FAILURE;
        if (skipConform) return tally(rows.size() - bad, bad, check);

        System.out.println();
        System.out.println("== conformance: the bundled reference VMM under QEMU, checked against the models and the specs (CoopRing, BootHandoff, IrqRouting, GuestIo)");
        ConformCommand conform = new ConformCommand();
        new CommandLine(conform).parseArgs();   // its defaults: every scenario, smp 3
        int c = conform.call();
        System.out.println(c == Coop.OK ? "== every run conforms" : "== conformance FAILED (exit " + c + ")");
        long ok = conform.results.stream().filter(r -> r.code() == Coop.OK).count();
        return tally(rows.size() - bad + ok, bad + conform.results.size() - ok, Math.max(check, c));
    }

    /** The plain last line CI reads: model-checking rows and conformance runs together. */
    private static int tally(long passed, long failed, int exit) {
        System.out.println(passed + " passed, " + failed + " failed");
        return exit;
    }
}
