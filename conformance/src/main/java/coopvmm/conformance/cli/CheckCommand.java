package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.tlc.DistributedTlc;
import coopvmm.conformance.tlc.SpecCatalog;
import coopvmm.conformance.tlc.SpecCatalog.Target;
import coopvmm.conformance.tlc.TlcResult.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./coop check}: model-check specs with TLC. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Model-check specs with TLC: verdict, property, states, depth, time.",
                "No SPEC: every spec in specs/. --simulate: random behaviours instead of every state.",
                "Exit 0 all hold, 1 a property violated, 2 usage or parse error."})
final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC", description = "a spec name in specs/ (CoopRing) or a .tla file")
    List<String> specs = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE.cfg", description = "check with this config only")
    Path config;

    @Option(names = "--workers", defaultValue = "1", description = "TLC workers: a number, or auto (one per core; default ${DEFAULT-VALUE})")
    String workers;

    @Option(names = "--deep", description = "use the larger *Deep.cfg bounds")
    boolean deep;

    @Option(names = "--timeout", defaultValue = "1800", description = "seconds per TLC run (default ${DEFAULT-VALUE})")
    long timeout;

    @Option(names = "--simulate", description = "random simulation instead of exhausting the state space: --traces behaviours of at most --depth steps each, every invariant and property checked on each (for bounds too big to exhaust)")
    boolean simulate;

    @Option(names = "--depth", defaultValue = "100", description = "with --simulate: steps per behaviour (default ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--traces", defaultValue = "10000", description = "with --simulate: behaviours (default ${DEFAULT-VALUE})")
    long traces;

    @Option(names = "--distributed", description = "TLC's distributed mode: a TLCServer and --local-workers TLCWorker processes on loopback, or the workers of --workers-on (safety only: TLC's distributed mode does not check liveness)")
    boolean distributed;

    @Option(names = "--local-workers", defaultValue = "2", description = "with --distributed: TLCWorker processes started here, on loopback (default ${DEFAULT-VALUE})")
    int localWorkers;

    @Option(names = "--workers-on", split = ",", paramLabel = "HOST", description = "with --distributed: start no local worker; the server listens on --port of every interface and waits for the workers started on these hosts (the command to start one is printed)")
    List<String> workersOn = new ArrayList<>();

    @Option(names = "--port", defaultValue = "10997", description = "with --workers-on: the TLC server's RMI port (default ${DEFAULT-VALUE}; local workers use a free loopback port)")
    int port;

    @Option(names = "--seed", defaultValue = "1", description = "with --simulate: TLC's random seed, so a run can be repeated (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        Repo repo = Repo.locate();
        List<Target> targets = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        if (specs.isEmpty()) files.addAll(SpecCatalog.specsIn(repo.specs()));
        for (String s : specs) {
            Path p = s.endsWith(".tla") ? Path.of(s) : repo.specs().resolve(s + ".tla");
            if (!Files.isRegularFile(p)) {
                System.err.println("coop check: no such spec: " + s + " (looked for " + repo.show(p) + ")");
                return Coop.USAGE;
            }
            files.add(p);
        }
        if (config != null && !Files.isRegularFile(config)) {
            System.err.println("coop check: no such config: " + config);
            return Coop.USAGE;
        }
        for (Path f : files) {
            List<Target> ts = config != null
                    ? List.of(new Target(f, config, SpecCatalog.expectedOf(f).orElse(null)))
                    : SpecCatalog.targetsOf(f, deep);
            if (ts.isEmpty()) {
                System.err.println("coop check: " + repo.show(f) + " has no " + (deep ? "*Deep.cfg" : ".cfg") + " beside it");
                return Coop.USAGE;
            }
            targets.addAll(ts);
        }
        int n;
        try {
            n = workers.equals("auto") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(workers);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            System.err.println("coop check: --workers is a positive number or auto, not " + workers);
            return Coop.USAGE;
        }
        List<String> tlcArgs = List.of();
        if (simulate) {
            if (depth < 1 || traces < 1) {
                System.err.println("coop check: --depth and --traces are positive numbers");
                return Coop.USAGE;
            }
            tlcArgs = List.of("-simulate", "num=" + traces, "-depth", Integer.toString(depth), "-seed", Long.toString(seed));
            System.out.printf("simulation: %d behaviours of at most %d steps per config, seed %d (states are those checked; no distinct count)%n",
                    traces, depth, seed);
        } else if (depth != 100 || traces != 10000 || seed != 1) {
            System.err.println("coop check: --depth, --traces and --seed go with --simulate");
            return Coop.USAGE;
        }
        ModelCheck mc = new ModelCheck(repo, n, timeout, System.out, tlcArgs);
        if (!distributed && (!workersOn.isEmpty() || localWorkers != 2 || port != 10997)) {
            System.err.println("coop check: --local-workers, --workers-on and --port go with --distributed");
            return Coop.USAGE;
        }
        if (distributed) {
            if (simulate || localWorkers < 1 || port < 1 || port > 65535) {
                System.err.println("coop check: --distributed takes --local-workers >= 1 or --workers-on, a port in 1..65535, and no --simulate");
                return Coop.USAGE;
            }
            boolean remote = !workersOn.isEmpty();
            System.out.println(remote
                    ? "distributed: a TLC server on port " + port + " for the workers of " + String.join(", ", workersOn)
                    : "distributed: a TLC server and " + localWorkers + " local workers, on loopback");
            mc.distributed(new DistributedTlc(repo.specs(), remote ? 0 : localWorkers, remote ? port : 0, timeout, System.out));
        }
        if (targets.size() == 1 && !distributed) mc.inProcessFirst();   // one config: TLC in this JVM
        List<ModelCheck.Row> rows = mc.checkAll(targets, true);
        return exitCode(rows);
    }

    static int exitCode(List<ModelCheck.Row> rows) {
        boolean error = rows.stream().anyMatch(r -> r.result().verdict() == Verdict.PARSE_ERROR
                || r.result().verdict() == Verdict.TLC_ERROR);
        if (error) return Coop.USAGE;
        return rows.stream().anyMatch(r -> r.result().verdict().isViolation()) ? Coop.FAILURE : Coop.OK;
    }
}
