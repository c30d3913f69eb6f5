package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.SpecCatalog;
import coopvmm.conformance.tlc.SpecCatalog.Target;
import coopvmm.conformance.tlc.TlcResult.Verdict;
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
 * property its EXPECT line names), and prints one summary table.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The main job: model-check every spec (must hold) and every spec mutant",
                "(must be rejected with its expected property). Exit 0 all as expected, 1 not, 2 error."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--workers", defaultValue = "1", description = "TLC workers (default ${DEFAULT-VALUE})")
    int workers;

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
        if (error) return Coop.USAGE;
        return bad == 0 ? Coop.OK : Coop.FAILURE;
    }
}
