package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.qemu.Qemu;
import coopvmm.conformance.report.Reports;
import coopvmm.conformance.trace.TlaTraceValidation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./coop conform}: boots a build under QEMU, captures its trace, and checks it
 * against the Java model and the TLA+ spec.
 */
@Command(name = "conform", mixinStandardHelpOptions = true,
        description = {"Boot a build under QEMU and check its trace against the model and the spec.",
                "Exit 0 every run conforms, 1 a run does not (divergence, liveness, guest failure),",
                "2 environment (QEMU missing, image missing or not bootable, garbled trace)."})
final class ConformCommand implements Callable<Integer> {

    @Option(names = "--image", description = "the multiboot image (default: build the bundled reference VMM)")
    Path image;

    @Option(names = "--mutant", description = "build and use the reference VMM with this mutant (reference-vmm/mutants.txt)")
    String mutant;

    /** The scenarios of the reference VMM (reference-vmm/README.md), run by default. */
    static final List<String> SCENARIOS = List.of("ring", "ring-burst", "ring-sleep", "ring-hostile",
            "boot", "boot-rogue", "boot-slow", "boot-dead", "boot-vmm", "irq", "irq-balance", "irq-failover", "irq-vmm-local",
            "vm-io", "vm-failover", "vm-rogue", "vm-admin");

    /** The CPUs a scenario needs to do what it is for (one VMM and two IOPMs: one to fail, one to go on). */
    static int minSmp(String scenario) {
        return switch (scenario) {
            case "boot-rogue", "boot-dead", "boot-vmm", "irq-failover", "irq-balance", "vm-failover", "vm-rogue" -> 3;
            default -> 2;
        };
    }

    /**
     * The most CPUs a scenario is made for: vm-rogue's guests are stopped by the VMM alone, so
     * more IOPMs add nothing to what it shows (it runs at any count when asked).
     */
    static int maxSmp(String scenario) {
        // (boot-vmm: one VMM AP, vmm_cpus=2, so it needs a third CPU for an IOPM)
        return scenario.equals("vm-rogue") ? 3 : Integer.MAX_VALUE;
    }

    @Option(names = "--lock-free", description = "build and use the lock-free reference VMM (make TRACE=v2: no trace lock, per-CPU logs of format v2)")
    boolean lockFree;

    @Option(names = "--scenario", split = ",", description = "scenarios, comma-separated (default: every one: ${DEFAULT-VALUE})")
    List<String> scenarios = new ArrayList<>(SCENARIOS);

    @Option(names = "--runs", defaultValue = "1", description = "runs per scenario, seeds seed, seed+1, ...")
    int runs;

    @Option(names = "--seed", defaultValue = "7")
    long seed;

    @Option(names = "--smp", split = ",", description = "CPUs (1 VMM + IOPMs), one or a list cycled over runs (default 3)")
    List<Integer> smp = new ArrayList<>(List.of(3));

    @Option(names = "--requests", defaultValue = "300", description = "requests per IOPM (default ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--accel", defaultValue = "tcg", description = "tcg, kvm or auto (default ${DEFAULT-VALUE})")
    String accel;

    @Option(names = "--timeout", defaultValue = "60",
            description = "kill QEMU when the guest has written nothing for this long, seconds (default ${DEFAULT-VALUE}; more than the guest's watchdog)")
    long timeout;

    @Option(names = "--max-seconds", defaultValue = "900", description = "kill QEMU after this long in all, seconds (default ${DEFAULT-VALUE})")
    long maxSeconds;

    @Option(names = "--deterministic", description = "one host thread and -icount: reproducible byte for byte from the seed")
    boolean deterministic;

    @Option(names = "--no-tla", description = "skip TLC trace validation (model replay only)")
    boolean noTla;

    @Option(names = "--no-warm-up", description = "do not warm the model replay's code before the first boot"
            + " (1.5 s; without it the replay of a short trace runs cold, at a tenth of its speed)")
    boolean noWarmUp;

    @Option(names = "--append", description = "more kernel command-line words, e.g. iopm_idle_us=200")
    String extraAppend;

    /** The runs of the last call, in order (./coop run counts them). */
    final List<ConformRun.Result> results = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Repo repo = Repo.locate();
        Qemu qemu = Qemu.find();
        if (qemu == null) {
            System.err.println("coop conform: QEMU is missing: no qemu-system-i386 on the PATH "
                    + "(apt-get install -y qemu-system-x86, or set COOP_QEMU)");
            return Coop.USAGE;
        }
        if (!List.of("tcg", "kvm", "auto").contains(accel)) {
            System.err.println("coop conform: --accel is tcg, kvm or auto, not " + accel);
            return Coop.USAGE;
        }
        Path img = image;
        if (img == null) {
            img = build(repo, mutant, lockFree);
            if (img == null) return Coop.USAGE;
        }
        if (!Files.isRegularFile(img)) {
            System.err.println("coop conform: image missing: " + img);
            return Coop.USAGE;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path base = repo.reports().resolve("conform").resolve(stamp);
        TlaTraceValidation tla = noTla ? null : new TlaTraceValidation(repo.specs(), 900);
        ConformRun.Setup setup = new ConformRun.Setup(repo, qemu, img, requests, accel, timeout, maxSeconds,
                deterministic, extraAppend, tla, !noWarmUp);
        Coverage coverage = new Coverage();
        int worst = Coop.OK;
        System.out.println(ConformRun.HEADER);
        int runNo = 0;
        for (String scenario : scenarios) {
            for (int r = 0; r < runs; r++, runNo++) {
                int cpus = smp.get(runNo % smp.size());
                long s = seed + r;
                Path dir = base.resolve(scenario + "-smp" + cpus + "-seed" + s);
                ConformRun.Result res = ConformRun.run(setup, scenario, cpus, s, dir, coverage, System.out);
                results.add(res);
                int code = res.code();
                worst = Math.max(worst, code == Coop.USAGE ? 3 : code);
            }
        }
        coverage.print(System.out);
        Reports.conform(repo, base, img, inputs(), results.stream().map(ConformRun.Result::entry).toList(), System.err);
        System.out.println("runs kept in " + repo.show(base) + " (summary.json, junit.xml, report.html)");
        return worst == 3 ? Coop.USAGE : worst;
    }

    /** What this run was asked to do, for summary.json (the image is added by the report). */
    private Map<String, Object> inputs() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mutant", mutant);
        o.put("lockFree", lockFree);
        o.put("runs", runs);
        o.put("accel", accel);
        o.put("timeoutSeconds", timeout);
        o.put("maxSeconds", maxSeconds);
        o.put("deterministic", deterministic);
        o.put("tla", !noTla);
        o.put("append", extraAppend);
        return ConformRun.sweepInputs(scenarios, smp, seed, runs, requests, o);
    }

    /** Builds the reference VMM (a mutant if named) with make; null on failure (said on stderr). */
    static Path build(Repo repo, String mutant) throws IOException, InterruptedException {
        return build(repo, mutant, false);
    }

    /** As above; {@code lockFree}: the lock-free build (make TRACE=v2), build/coopvmm-lockfree[-mutant].elf. */
    static Path build(Repo repo, String mutant, boolean lockFree) throws IOException, InterruptedException {
        Path dir = repo.root().resolve("reference-vmm");
        // one compiler per core: a build is about 30 files (3.1 s with -j1, 1.6 s with -j2 here)
        List<String> cmd = new ArrayList<>(List.of("make", "-s", "-j" + Runtime.getRuntime().availableProcessors(),
                "-C", dir.toString()));
        if (mutant != null) cmd.add("MUTANT=" + mutant);
        if (lockFree) cmd.add("TRACE=v2");
        Path log = Files.createTempFile("coop-make", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            System.err.println("coop conform: make did not finish in 600 s");
            return null;
        }
        if (p.exitValue() != 0) {
            System.err.println("coop conform: building the reference VMM failed (" + String.join(" ", cmd) + "):");
            Files.readAllLines(log).stream().limit(20).forEach(l -> System.err.println("  " + l));
            return null;
        }
        String name = lockFree ? "coopvmm-lockfree" : "coopvmm";
        return dir.resolve("build").resolve(mutant == null ? name + ".elf" : name + "-" + mutant + ".elf");
    }
}
