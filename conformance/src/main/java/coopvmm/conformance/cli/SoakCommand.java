package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.qemu.Qemu;
import coopvmm.conformance.report.Reports;
import coopvmm.conformance.trace.TlaTraceValidation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./coop soak}: the no-false-alarm sweep. Every scenario at every CPU count over many
 * seeds, under a chosen host condition (idle, every core busy with a CPU hog, QEMU pinned to
 * one core), each run checked as {@code ./coop conform} checks it. A correct build must
 * conform on every run whatever the host does; a run in which the guest broke an assumption
 * a spec states (IrqRouting's tick, BootHandoff's start timeout) is counted apart, by name.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Every scenario x smp x N seeds under a host condition, checked as conform checks.",
                "Prints a table, then 'N passed, N failed'. Exit 0 every run conforms (a run that",
                "broke a spec's timing assumption is named and counted failed, but does not make",
                "it 1), 1 a run does not conform, 2 environment."})
final class SoakCommand implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "10", description = "seeds per scenario and smp (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--load", defaultValue = "none",
            description = "none (idle), cpu (a CPU hog on every core, started and stopped here), one-core (QEMU pinned to core 0)")
    String load;

    @Option(names = "--scenario", split = ",", description = "scenarios (default: every one)")
    List<String> scenarios = new ArrayList<>(ConformCommand.SCENARIOS);

    @Option(names = "--smp", split = ",", description = "CPU counts (default 2,3,4; a scenario skips those below its need)")
    List<Integer> smp = new ArrayList<>(List.of(2, 3, 4));

    @Option(names = "--seed", defaultValue = "1000", description = "first seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--requests", defaultValue = "60", description = "requests per IOPM (default ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--image", description = "the multiboot image (default: build the bundled reference VMM)")
    Path image;

    @Option(names = "--lock-free", description = "build and use the lock-free reference VMM (make TRACE=v2), checked from its per-CPU logs")
    boolean lockFree;

    @Option(names = "--no-warm-up", description = "do not warm the model replay's code before the first boot"
            + " (1.5 s; without it the replay of a short trace runs cold, at a tenth of its speed)")
    boolean noWarmUp;

    @Option(names = "--no-tla", description = "skip TLC trace validation (model replay only: about 3x faster)")
    boolean noTla;

    @Option(names = "--timeout", defaultValue = "60", description = "kill QEMU after this long with no output, seconds")
    long timeout;

    @Option(names = "--max-seconds", defaultValue = "900", description = "kill QEMU after this long in all, seconds")
    long maxSeconds;

    @Override
    public Integer call() throws Exception {
        if (!List.of("none", "cpu", "one-core").contains(load)) {
            System.err.println("coop soak: --load is none, cpu or one-core, not " + load);
            return Coop.USAGE;
        }
        if (runs < 1) {
            System.err.println("coop soak: --runs must be at least 1");
            return Coop.USAGE;
        }
        for (String s : scenarios)
            if (!ConformCommand.SCENARIOS.contains(s)) {
                System.err.println("coop soak: unknown scenario " + s + " (scenarios: " + String.join(", ", ConformCommand.SCENARIOS) + ")");
                return Coop.USAGE;
            }
        Repo repo = Repo.locate();
        Qemu qemu = Qemu.find();
        if (qemu == null) {
            System.err.println("coop soak: QEMU is missing: no qemu-system-i386 on the PATH (apt-get install -y qemu-system-x86)");
            return Coop.USAGE;
        }
        if (load.equals("one-core")) {
            if (!onPath("taskset")) {
                System.err.println("coop soak: --load one-core needs taskset (util-linux)");
                return Coop.USAGE;
            }
            qemu = qemu.through(List.of("taskset", "-c", "0"));
        }
        Path img = image != null ? image : ConformCommand.build(repo, null, lockFree);
        if (img == null) return Coop.USAGE;
        if (!Files.isRegularFile(img)) {
            System.err.println("coop soak: image missing: " + img);
            return Coop.USAGE;
        }
        Path base = Reports.newRunDir(repo.reports().resolve("soak"), "-" + load);
        TlaTraceValidation tla = noTla ? null : new TlaTraceValidation(repo.specs(), 900);
        ConformRun.Setup setup = new ConformRun.Setup(repo, qemu, img, requests, "tcg", timeout, maxSeconds, false, null, tla, !noWarmUp);

        int cores = Runtime.getRuntime().availableProcessors();
        Hogs hogs = new Hogs(load.equals("cpu") ? cores : 0);
        if (load.equals("cpu")) System.out.println("soak: " + cores + " CPU hog thread(s) started, one per core");
        long t0 = System.nanoTime();
        Map<String, Cell> cells = new LinkedHashMap<>();
        List<ConformRun.Result> failed = new ArrayList<>();
        List<ConformRun.Result> all = new ArrayList<>();
        boolean envError = false;
        System.out.printf("soak: %s, load %s, %d run(s) per scenario and smp, requests %d%s; runs kept in %s%n",
                repo.show(img), load, runs, requests, noTla ? ", model replay only (--no-tla)" : "", repo.show(base));
        try (PrintStream log = new PrintStream(Files.newOutputStream(base.resolve("conform.txt")), true, StandardCharsets.UTF_8)) {
            log.println(ConformRun.HEADER);
            outer:
            for (String scenario : scenarios) {
                for (int cpus : smp) {
                    if (cpus < ConformCommand.minSmp(scenario)) {
                        System.out.printf("  %s at smp %d skipped: it needs smp %d%n", scenario, cpus, ConformCommand.minSmp(scenario));
                        continue;
                    }
                    if (cpus > ConformCommand.maxSmp(scenario)) {
                        System.out.printf("  %s at smp %d skipped: it is made for smp %d at most%n", scenario, cpus,
                                ConformCommand.maxSmp(scenario));
                        continue;
                    }
                    Cell cell = cells.computeIfAbsent(scenario + " " + cpus, k -> new Cell(scenario, cpus));
                    for (int r = 0; r < runs; r++) {
                        long s = seed + r;
                        Path dir = base.resolve(scenario + "-smp" + cpus + "-seed" + s);
                        ByteArrayOutputStream buf = new ByteArrayOutputStream();
                        ConformRun.Result res;
                        try (PrintStream one = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
                            res = ConformRun.run(setup, scenario, cpus, s, dir, null, one);
                        }
                        String detail = buf.toString(StandardCharsets.UTF_8);
                        log.print(detail);
                        cell.add(res);
                        all.add(res);
                        String verdict = res.code() == Coop.OK ? "conforms"
                                : res.timingAssumption() ? "FAILS (timing assumption did not hold)" : "FAILS";
                        System.out.printf("  %-12s smp %d seed %-6d %6.1f s  %s%n", scenario, cpus, s, res.seconds(), verdict);
                        if (res.code() != Coop.OK) {
                            // what conform says of it, but for its table row and the guest's times
                            failed.add(res);
                            detail.lines().skip(1).filter(l -> !l.startsWith("  guest times:"))
                                    .forEach(l -> System.out.println("    " + l));
                        }
                        if (res.code() == Coop.USAGE) {
                            envError = true;
                            break outer;
                        }
                    }
                }
            }
        } finally {
            hogs.close();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        String table = table(cells);
        System.out.println();
        System.out.print(table);
        long passed = cells.values().stream().mapToLong(c -> c.conform).sum();
        long assumption = cells.values().stream().mapToLong(c -> c.assumption).sum();
        long other = failed.size() - assumption;
        String tail = String.format("load %s, wall %.0f s%s%n", load, wall, envError ? ", stopped at an environment error: partial" : "")
                + (assumption > 0 ? assumption + " of the failed: timing assumption did not hold (IrqRouting's tick or BootHandoff's start timeout; not a conformance failure)\n" : "")
                + passed + " passed, " + failed.size() + " failed\n";
        System.out.print(tail);
        Files.writeString(base.resolve("summary.txt"), table + tail);
        Reports.conform(repo, base, img, inputs(), all.stream().map(ConformRun.Result::entry).toList(), System.err);
        if (envError) return Coop.USAGE;
        return other > 0 ? Coop.FAILURE : Coop.OK;
    }

    /** What this soak was asked to do, for summary.json (the image is added by the report). */
    private Map<String, Object> inputs() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("load", load);
        o.put("runs", runs);
        o.put("timeoutSeconds", timeout);
        o.put("maxSeconds", maxSeconds);
        o.put("tla", !noTla);
        return ConformRun.sweepInputs(scenarios, smp, seed, runs, requests, o);
    }

    /** One row of the table: a scenario at one CPU count. */
    private static final class Cell {
        final String scenario;
        final int smp;
        final List<Double> seconds = new ArrayList<>();
        int conform, fail, assumption;

        Cell(String scenario, int smp) {
            this.scenario = scenario;
            this.smp = smp;
        }

        void add(ConformRun.Result r) {
            seconds.add(r.seconds());
            if (r.code() == Coop.OK) conform++;
            else fail++;
            if (r.code() != Coop.OK && r.timingAssumption()) assumption++;
        }

        double median() {
            List<Double> s = new ArrayList<>(seconds);
            s.sort(null);
            int n = s.size();
            return n == 0 ? 0 : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }

        double max() {
            return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    static String table(Map<String, Cell> cells) {
        StringBuilder b = new StringBuilder();
        String fmt = "%-13s %4s %5s %8s %5s %18s %9s %9s%n";
        b.append(String.format(fmt, "scenario", "smp", "runs", "conform", "fail", "timing assumption", "median s", "max s"));
        for (Cell c : cells.values())
            b.append(String.format(fmt, c.scenario, c.smp, c.seconds.size(), c.conform, c.fail, c.assumption,
                    String.format("%.1f", c.median()), String.format("%.1f", c.max())));
        return b.toString();
    }

    /**
     * One busy thread per core, in this JVM: they end when the soak ends, or with the JVM
     * whatever happens to it, so no hog outlives the command.
     */
    private static final class Hogs implements AutoCloseable {
        private volatile boolean stop;
        private final List<Thread> threads = new ArrayList<>();

        Hogs(int n) {
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(this::spin, "cpu-hog-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        private void spin() {
            long x = 1;
            while (!stop) x = x * 6364136223846793005L + 1442695040888963407L;
            if (x == 42) System.out.print("");   // the loop's result is used
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads) t.join();
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":"))
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }
}
