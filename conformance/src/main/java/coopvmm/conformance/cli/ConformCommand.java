package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.qemu.Qemu;
import coopvmm.conformance.qemu.QemuRun;
import coopvmm.conformance.trace.TlaTraceValidation;
import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceCheck;
import coopvmm.conformance.trace.TraceEvent;
import coopvmm.conformance.trace.TraceFigures;
import coopvmm.conformance.trace.TraceFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./coop conform}: boots a build under QEMU, captures its trace, and checks it
 * against the Java model and the TLA+ spec.
 */
@Command(name = "conform", mixinStandardHelpOptions = true,
        description = {"Boot a build under QEMU and check its trace against the model and the spec.",
                "Exit 0 every run conforms, 1 a run does not (divergence, liveness, guest failure),",
                "2 environment (QEMU missing, image missing or not bootable, garbled trace)."})
final class ConformCommand implements Callable<Integer> {

    /** Guest status codes of the reference VMM (reference-vmm/include/status.h). */
    static final int RUN_OK = 0, RUN_STALL = 3;

    @Option(names = "--image", description = "the multiboot image (default: build the bundled reference VMM)")
    Path image;

    @Option(names = "--mutant", description = "build and use the reference VMM with this mutant (reference-vmm/mutants.txt)")
    String mutant;

    /** The scenarios of the reference VMM (reference-vmm/README.md), run by default. */
    static final List<String> SCENARIOS = List.of("ring", "ring-burst", "ring-sleep", "ring-hostile",
            "boot", "boot-rogue", "boot-slow", "boot-dead", "irq", "irq-balance", "irq-failover", "irq-vmm-local");

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

    @Option(names = "--timeout", defaultValue = "60", description = "host timeout per boot, seconds")
    long timeout;

    @Option(names = "--deterministic", description = "one host thread and -icount: reproducible byte for byte from the seed")
    boolean deterministic;

    @Option(names = "--no-tla", description = "skip TLC trace validation (model replay only)")
    boolean noTla;

    @Option(names = "--append", description = "more kernel command-line words, e.g. iopm_idle_us=200")
    String extraAppend;

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
            img = build(repo, mutant);
            if (img == null) return Coop.USAGE;
        }
        if (!Files.isRegularFile(img)) {
            System.err.println("coop conform: image missing: " + img);
            return Coop.USAGE;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path base = repo.reports().resolve("conform").resolve(stamp);
        TlaTraceValidation tla = noTla ? null : new TlaTraceValidation(repo.specs(), 900);
        Coverage coverage = new Coverage();
        int worst = Coop.OK;
        System.out.printf("%-12s %4s %5s %6s %8s %7s %9s %11s %11s %10s  %s%n", "scenario", "smp", "seed",
                "iopms", "events", "checked", "seconds", "model ev/s", "TLA ev/s", "guest rq/s", "verdict");
        int runNo = 0;
        for (String scenario : scenarios) {
            for (int r = 0; r < runs; r++, runNo++) {
                int cpus = smp.get(runNo % smp.size());
                long s = seed + r;
                Path dir = base.resolve(scenario + "-smp" + cpus + "-seed" + s);
                int code = one(repo, qemu, img, scenario, cpus, s, dir, tla, coverage);
                worst = Math.max(worst, code == Coop.USAGE ? 3 : code);
            }
        }
        coverage.print(System.out);
        System.out.println("runs kept in " + repo.show(base));
        return worst == 3 ? Coop.USAGE : worst;
    }

    private int one(Repo repo, Qemu qemu, Path img, String scenario, int cpus, long s, Path dir,
                    TlaTraceValidation tla, Coverage coverage) throws IOException, InterruptedException {
        String append = "scenario=" + scenario + " requests=" + requests + " seed=" + s
                + (extraAppend == null || extraAppend.isBlank() ? "" : " " + extraAppend.strip());
        long t0 = System.nanoTime();
        QemuRun run = qemu.boot(img, cpus, append, accel, deterministic, timeout, dir);
        String repro = "./coop conform --image " + repo.show(img) + " --scenario " + scenario + " --smp " + cpus
                + " --seed " + s + " --requests " + requests + (deterministic ? " --deterministic" : "")
                + (extraAppend == null || extraAppend.isBlank() ? "" : " --append '" + extraAppend.strip() + "'");
        String head = String.format("%-12s %4d %5d", scenario, cpus, s);
        if (run.outcome() == QemuRun.Outcome.QEMU_ERROR) {
            System.out.printf("%s  ERROR: QEMU could not boot %s: %s%n", head, repo.show(img), firstLine(run.qemuLog()));
            return Coop.USAGE;
        }
        Trace trace;
        try {
            trace = Trace.read(run.trace());
        } catch (TraceFormatException e) {
            String where = repo.show(run.trace()) + ":" + e.line() + (e.seq() >= 0 ? ": event #" + e.seq() : "");
            boolean noHeader = e.getMessage().startsWith("no '# coop-trace' header");
            System.out.printf("%s  ERROR: %s: %s%s%n", head, where, e.getMessage(),
                    noHeader ? " (image not bootable? " + run.outcome().name().toLowerCase() + ")" : "");
            System.out.println("    reproduce: " + repro);
            return e.nonConformance() ? Coop.FAILURE : Coop.USAGE;
        }
        TraceCheck.Report rep;
        try {
            rep = TraceCheck.check(trace, dir, tla);
        } catch (TraceFormatException e) {
            System.out.printf("%s  ERROR: %s:%d%s: %s%n", head, repo.show(run.trace()), e.line(),
                    e.seq() >= 0 ? ": event #" + e.seq() : "", e.getMessage());
            System.out.println("    reproduce: " + repro);
            return Coop.USAGE;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        coverage.add(rep);
        int code = Coop.OK;
        List<String> why = new ArrayList<>();
        TraceEvent end = trace.end();
        List<TraceEvent> stalls = trace.events().stream().filter(e -> e.name().equals("run.stall")).toList();
        if (!stalls.isEmpty() || run.guestStatus() == RUN_STALL) {
            code = Coop.FAILURE;
            for (TraceEvent st : stalls) {
                why.add("liveness failure: lost wakeup on channel " + st.get("iopm") + ": the IOPM sleeps with "
                        + (st.get("req_prod") - st.get("req_cons")) + " request(s) published and unconsumed, "
                        + st.get("outstanding") + " outstanding (event #" + st.seq() + ", line " + st.line() + ")");
            }
            if (stalls.isEmpty()) why.add("liveness failure: the guest's watchdog saw a stall");
        }
        switch (run.outcome()) {
            case TIMEOUT -> {
                code = Coop.FAILURE;
                why.add("guest hang: no exit within " + timeout + " s (QEMU killed); the trace is partial");
            }
            case CRASHED -> {
                code = Coop.FAILURE;
                why.add("guest crash: QEMU exited " + run.qemuExit() + " with no status from the guest (triple fault?)");
            }
            case EXITED -> {
                if (run.guestStatus() != RUN_OK && stalls.isEmpty() && run.guestStatus() != RUN_STALL) {
                    code = Coop.FAILURE;
                    why.add("the guest ended with status " + run.guestStatus() + " (see reference-vmm/include/status.h)"
                            + (end == null ? "" : " at event #" + end.seq()));
                }
            }
            default -> {
            }
        }
        if (!rep.conforms()) code = Coop.FAILURE;
        List<String> vacuous = ScenarioExpectations.missing(scenario, trace);
        if (!vacuous.isEmpty() && end != null) {
            code = Coop.FAILURE;
            why.add("scenario " + scenario + " did not exercise what it is for: no " + String.join(", no ", vacuous)
                    + " in the trace");
        }
        double modelRate = rep.replaySeconds() > 0 ? rep.eventsChecked() / rep.replaySeconds() : 0;
        double tlaRate = rep.tlaSeconds() > 0 ? rep.eventsChecked() / rep.tlaSeconds() : 0;
        System.out.printf("%s %6d %8d %7d %9.1f %11.0f %11s %10s  %s%n", head, trace.iopms(), trace.events().size(),
                rep.eventsChecked(), secs, modelRate, tla == null ? "-" : String.format("%.0f", tlaRate),
                guestRate(trace, run), code == Coop.OK ? "conforms" : "FAILS");
        for (String w : why) System.out.println("  " + w);
        TraceVerdict.print(rep, repo, System.out);
        TraceFigures fig = TraceFigures.of(trace);
        if (!fig.isEmpty()) {
            long khz = tscKhz(trace, run);
            System.out.println("  guest times: " + fig.describe(khz));
            if (khz > 0) Files.write(dir.getParent().resolve("figures.tsv"),
                    fig.rows(dir.getFileName().toString(), khz), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        if (code != Coop.OK) {
            System.out.println("  kept: " + repo.show(dir) + " (trace.log, serial.log, qemu.log)");
            System.out.println("  reproduce: " + repro);
        }
        Files.writeString(dir.resolve("verdict"), (code == Coop.OK ? "conforms" : "fails") + "\n" + String.join("\n", why) + "\n");
        return code;
    }

    /** Requests answered per second of guest time, from the TSC stamps of run.start and run.end. */
    private static String guestRate(Trace t, QemuRun run) {
        long khz = tscKhz(t, run);
        TraceEvent start = t.events().stream().filter(e -> e.name().equals("run.start")).findFirst().orElse(null);
        TraceEvent end = t.end();
        if (khz <= 0 || start == null || end == null || !end.has("requests") || end.tsc() <= start.tsc()) return "-";
        double seconds = (end.tsc() - start.tsc()) / (khz * 1000.0);
        return String.format("%.0f", end.get("requests") / seconds);
    }

    private static final Pattern TSC_KHZ = Pattern.compile("tsc (\\d+) kHz");

    private static long tscKhz(Trace t, QemuRun run) {
        String h = t.header().get("tsc_khz");
        if (h != null) return Long.parseLong(h);
        try {
            Matcher m = TSC_KHZ.matcher(Files.readString(run.serial(), java.nio.charset.StandardCharsets.ISO_8859_1));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String firstLine(Path p) throws IOException {
        if (!Files.exists(p)) return "(no log)";
        return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).findFirst().orElse("(empty log)");
    }

    /** Builds the reference VMM (a mutant if named) with make; null on failure (said on stderr). */
    static Path build(Repo repo, String mutant) throws IOException, InterruptedException {
        Path dir = repo.root().resolve("reference-vmm");
        List<String> cmd = new ArrayList<>(List.of("make", "-s", "-C", dir.toString()));
        if (mutant != null) cmd.add("MUTANT=" + mutant);
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
        return dir.resolve("build").resolve(mutant == null ? "coopvmm.elf" : "coopvmm-" + mutant + ".elf");
    }
}
