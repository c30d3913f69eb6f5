package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.qemu.Qemu;
import coopvmm.conformance.qemu.QemuRun;
import coopvmm.conformance.report.ConformEntry;
import coopvmm.conformance.report.RunFacts;
import coopvmm.conformance.trace.BootReplay;
import coopvmm.conformance.trace.IrqReplay;
import coopvmm.conformance.trace.Replay;
import coopvmm.conformance.trace.TlaTraceValidation;
import coopvmm.conformance.trace.ReplayWarmUp;
import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceCheck;
import coopvmm.conformance.trace.TraceEvent;
import coopvmm.conformance.trace.TraceFigures;
import coopvmm.conformance.trace.TraceFormatException;
import coopvmm.model.boot.BootAction;
import coopvmm.model.boot.BootState;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.irq.IrqState;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One conformance run: boot the image under QEMU, read its trace, check it against the
 * models and the specs, and say the verdict as one row of the conform table (with the reasons,
 * the divergence, the guest's times and the command that reproduces it). Shared by
 * {@code ./coop conform} and {@code ./coop soak}.
 */
final class ConformRun {

    /** Guest status codes of the reference VMM (reference-vmm/include/status.h). */
    static final int RUN_OK = 0, RUN_STALL = 3, RUN_BAD_ARGS = 6;

    /** What every run of one command shares. */
    record Setup(Repo repo, Qemu qemu, Path image, int requests, String accel, long quietSeconds, long maxSeconds,
                 boolean deterministic, String extraAppend, TlaTraceValidation tla, boolean warmUp) {
        String extra() {
            return extraAppend == null || extraAppend.isBlank() ? "" : extraAppend.strip();
        }
    }

    /**
     * The verdict of one run.
     *
     * @param code             {@link Coop#OK}, {@link Coop#FAILURE} or {@link Coop#USAGE}
     * @param why              the reasons of a failure, one line each
     * @param timingAssumption the failure is the guest breaking an assumption a spec states
     *                         (IrqRouting's tick, BootHandoff's start timeout), not a rule of a protocol
     */
    record Result(String scenario, int smp, long seed, int code, List<String> why, double seconds,
                  boolean timingAssumption, String reproduce, Stats stats, Path dir, String detail) {

        /** The run as the reports (summary.json, junit.xml, report.html) see it. */
        ConformEntry entry() {
            String verdict = code == Coop.OK ? "conforms" : code == Coop.USAGE ? "error" : "fails";
            return new ConformEntry(scenario, smp, seed, verdict, why, stats.events(), seconds, stats.modelRate(),
                    stats.tlaRate(), reproduce, dir, detail, stats.facts());
        }

        Result withDetail(String d) {
            return new Result(scenario, smp, seed, code, why, seconds, timingAssumption, reproduce, stats, dir, d);
        }
    }

    /**
     * The trace's size and the checkers' speeds (-1: not known, the run ended before them), and
     * what report.html shows of the trace (null: not read).
     */
    record Stats(long events, double modelRate, double tlaRate, RunFacts facts) {
        static final Stats NONE = new Stats(-1, -1, -1);

        Stats(long events, double modelRate, double tlaRate) {
            this(events, modelRate, tlaRate, null);
        }
    }

    static final String HEADER = String.format("%-12s %4s %5s %6s %8s %7s %9s %11s %11s %10s  %s", "scenario", "smp",
            "seed", "iopms", "events", "checked", "seconds", "model ev/s", "TLA ev/s", "guest rq/s", "verdict");

    private ConformRun() {
    }

    /** One run; what it prints goes to {@code out} and is kept in the result too (for junit.xml). */
    static Result run(Setup st, String scenario, int cpus, long s, Path dir, Coverage coverage, PrintStream out)
            throws IOException, InterruptedException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(b, off, len);
                copy.write(b, off, len);
            }

            @Override
            public void flush() {
                out.flush();
            }
        }, true, StandardCharsets.UTF_8);
        Result r = check(st, scenario, cpus, s, dir, coverage, both);
        both.flush();
        return r.withDetail(copy.toString(StandardCharsets.UTF_8));
    }

    /**
     * The warm-up's time: on 2 cores, in the launcher's C1-only JVM, a 6,000-event ring trace
     * replayed after it at 0.85M to 2.5M events/s after 0.5 s of warm-up, 1.5M to 2.4M after
     * 1.5 s (3 runs each, alternated).
     */
    static final long WARM_UP_MILLIS = 1500;
    /** The longest wait for TLC's children started ahead (about 1.2 s on 2 cores at 2.6 GHz). */
    private static final long PRESTART_WAIT_MILLIS = 5000;
    /** A channel's trace events per request, about (7,630 for 1,000 requests of ring at smp 2). */
    private static final int RECORDS_PER_REQUEST = 8;

    private static Result check(Setup st, String scenario, int cpus, long s, Path dir, Coverage coverage,
                                PrintStream out) throws IOException, InterruptedException {
        Repo repo = st.repo();
        String extra = st.extra();
        String append = "scenario=" + scenario + " requests=" + st.requests() + " seed=" + s
                + (extra.isEmpty() ? "" : " " + extra);
        long t0 = System.nanoTime();
        // TLC's JVMs for the trace's validation (a channel per IOPM, the boot, the routing) start
        // and parse ahead first, alone: beside the guest they cost it a third of its requests/s,
        // beside the warm-up most of its passes (2 cores)
        if (st.tla() != null) {
            st.tla().prestart(cpus + 1, st.requests() * RECORDS_PER_REQUEST);
            st.tla().awaitPrestarted(PRESTART_WAIT_MILLIS);
        }
        // then the JVM warms the replay's code before its first guest boots (see ReplayWarmUp)
        Optional<ReplayWarmUp.Done> warm = st.warmUp() ? ReplayWarmUp.once(WARM_UP_MILLIS, st.tla() != null) : Optional.empty();
        QemuRun run = st.qemu().boot(st.image(), cpus, append, st.accel(), st.deterministic(), st.quietSeconds(),
                st.maxSeconds(), dir);
        String repro = "./coop conform --image " + repo.show(st.image()) + " --scenario " + scenario + " --smp " + cpus
                + " --seed " + s + " --requests " + st.requests() + (st.deterministic() ? " --deterministic" : "")
                + (extra.isEmpty() ? "" : " --append '" + extra + "'");
        String head = String.format("%-12s %4d %5d", scenario, cpus, s);
        List<String> why = new ArrayList<>();
        if (run.outcome() == QemuRun.Outcome.QEMU_ERROR) {
            out.printf("%s  ERROR: QEMU could not boot %s: %s%n", head, repo.show(st.image()), firstLine(run.qemuLog()));
            return done(scenario, cpus, s, Coop.USAGE, List.of("QEMU could not boot the image"), t0, false, repro, dir,
                    Stats.NONE);
        }
        if (run.guestStatus() == RUN_BAD_ARGS) {
            // a usage error, not a failure: the kernel refused its command line before it ran anything
            out.printf("%s  ERROR: the reference VMM refused its command line '%s' (status %d; a key out of range,"
                    + " e.g. vmm_cpus= leaving no IOPM, or one the build does not take; see %s)%n", head, append,
                    RUN_BAD_ARGS, repo.show(dir.resolve("serial.log")));
            out.println("    reproduce: " + repro);
            return done(scenario, cpus, s, Coop.USAGE, List.of("the reference VMM refused its command line: " + append), t0,
                    false, repro, dir, Stats.NONE);
        }
        if (ConformLockFree.version(run.trace()) == 2) {
            Result r = ConformLockFree.check(st, scenario, cpus, s, dir, run, repro, head, t0, coverage, out);
            warm.ifPresent(w -> out.println("  model replay warmed before the guest booted: " + w.describe()));
            return r;
        }
        Trace trace;
        try {
            trace = Trace.read(run.trace());
        } catch (TraceFormatException e) {
            String where = repo.show(run.trace()) + ":" + e.line() + (e.seq() >= 0 ? ": event #" + e.seq() : "");
            boolean noHeader = e.getMessage().startsWith("no '# coop-trace' header");
            out.printf("%s  ERROR: %s: %s%s%n", head, where, e.getMessage(),
                    noHeader ? " (image not bootable? " + run.outcome().name().toLowerCase() + ")" : "");
            out.println("    reproduce: " + repro);
            return done(scenario, cpus, s, e.nonConformance() ? Coop.FAILURE : Coop.USAGE,
                    List.of(where + ": " + e.getMessage()), t0, false, repro, dir, Stats.NONE);
        }
        TraceCheck.Report rep;
        try {
            rep = TraceCheck.check(trace, dir, st.tla());
        } catch (TraceFormatException e) {
            out.printf("%s  ERROR: %s:%d%s: %s%n", head, repo.show(run.trace()), e.line(),
                    e.seq() >= 0 ? ": event #" + e.seq() : "", e.getMessage());
            out.println("    reproduce: " + repro);
            return done(scenario, cpus, s, Coop.USAGE, List.of(e.getMessage()), t0, false, repro, dir,
                    new Stats(trace.events().size(), -1, -1));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (coverage != null) coverage.add(rep);
        int code = Coop.OK;
        TraceEvent end = trace.end();
        List<TraceEvent> stalls = trace.events().stream().filter(e -> e.name().equals("run.stall")).toList();
        if (!stalls.isEmpty() || run.guestStatus() == RUN_STALL) {
            code = Coop.FAILURE;
            for (TraceEvent stall : stalls) {
                why.add("liveness failure: lost wakeup on channel " + stall.get("iopm") + ": the IOPM sleeps with "
                        + (stall.get("req_prod") - stall.get("req_cons")) + " request(s) published and unconsumed, "
                        + stall.get("outstanding") + " outstanding (event #" + stall.seq() + ", line " + stall.line() + ")");
            }
            if (stalls.isEmpty()) why.add("liveness failure: the guest's watchdog saw a stall");
        }
        if (guestEnd(run, !stalls.isEmpty() || run.guestStatus() == RUN_STALL,
                end == null ? "" : " at event #" + end.seq(), why)) code = Coop.FAILURE;
        if (!rep.conforms()) code = Coop.FAILURE;
        List<String> vacuous = ScenarioExpectations.missing(scenario, trace);
        if (!vacuous.isEmpty() && end != null) {
            code = Coop.FAILURE;
            why.add("scenario " + scenario + " did not exercise what it is for: no " + String.join(", no ", vacuous)
                    + " in the trace");
        }
        boolean assumption = brokeTimingAssumption(rep.irq(), rep.boot(), why);
        double modelRate = rep.replaySeconds() > 0 ? rep.eventsChecked() / rep.replaySeconds() : 0;
        double tlaRate = rep.tlaSeconds() > 0 ? rep.eventsChecked() / rep.tlaSeconds() : 0;
        out.printf("%s %6d %8d %7d %9.1f %11.0f %11s %10s  %s%n", head, trace.iopms(), trace.events().size(),
                rep.eventsChecked(), secs, modelRate, st.tla() == null ? "-" : String.format("%.0f", tlaRate),
                guestRate(trace, run), code == Coop.OK ? "conforms" : "FAILS");
        for (String w : why) out.println("  " + w);
        warm.ifPresent(w -> out.println("  model replay warmed before the guest booted: " + w.describe()));
        TraceVerdict.print(rep, repo, out);
        TraceFigures fig = TraceFigures.of(trace);
        if (!fig.isEmpty()) {
            long khz = tscKhz(trace, run);
            out.println("  guest times: " + fig.describe(khz));
            if (khz > 0) Files.write(dir.getParent().resolve("figures.tsv"), fig.rows(dir.getFileName().toString(), khz),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (code != Coop.OK) {
            out.println("  kept: " + repo.show(dir) + " (trace.log, serial.log, qemu.log)");
            out.println("  reproduce: " + repro);
        }
        return done(scenario, cpus, s, code, why, t0, assumption, repro, dir,
                new Stats(trace.events().size(), modelRate, st.tla() == null ? -1 : tlaRate,
                        RunFacts.of(trace, rep, fig, tscKhz(trace, run))));
    }

    /**
     * How QEMU's run ended, as reasons added to {@code why}: a hang (killed), a crash, or a
     * guest status other than OK, unless {@code statusSaid} (a stall already says it);
     * {@code at} follows the status. True when it added one.
     */
    static boolean guestEnd(QemuRun run, boolean statusSaid, String at, List<String> why) {
        switch (run.outcome()) {
            case TIMEOUT -> why.add("guest hang: " + run.killed() + " (QEMU killed); the trace is partial");
            case CRASHED -> why.add("guest crash: QEMU exited " + run.qemuExit() + " with no status from the guest (triple fault?)");
            case EXITED -> {
                if (run.guestStatus() == RUN_OK || statusSaid) return false;
                why.add("the guest ended with status " + run.guestStatus() + " (see reference-vmm/include/status.h)" + at);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the routing or the boot replay (either may be null: not run) diverged where the
     * guest broke a timing assumption its spec states (IrqRouting's tick, BootHandoff's start
     * timeout) rather than a protocol rule; each such one is said in {@code why}.
     */
    static boolean brokeTimingAssumption(Replay.Result<IrqState, IrqAction> irq, Replay.Result<BootState, BootAction> boot,
                                         List<String> why) {
        boolean irqLate = irq != null && IrqReplay.brokeTimingAssumption(irq.divergence());
        boolean bootLate = boot != null && BootReplay.brokeTimingAssumption(boot.divergence());
        if (irqLate) why.add("timing assumption did not hold: " + irq.divergence().expected());
        if (bootLate) why.add("timing assumption did not hold: " + boot.divergence().expected());
        return irqLate || bootLate;
    }

    static Result done(String scenario, int cpus, long seed, int code, List<String> why, long t0,
                               boolean assumption, String repro, Path dir, Stats stats) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("verdict"), (code == Coop.OK ? "conforms" : "fails") + "\n"
                + String.join("\n", why) + "\n");
        return new Result(scenario, cpus, seed, code, List.copyOf(why), (System.nanoTime() - t0) / 1e9, assumption, repro,
                stats, dir, null);
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
            Matcher m = TSC_KHZ.matcher(Files.readString(run.serial(), StandardCharsets.ISO_8859_1));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String firstLine(Path p) throws IOException {
        if (!Files.exists(p)) return "(no log)";
        return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).findFirst().orElse("(empty log)");
    }

    /**
     * The inputs of a sweep (conform or soak) for summary.json: scenarios, smp, the seeds each
     * scenario and smp gets ({@code runs} from {@code seed}), requests, and the command's own
     * {@code options}.
     */
    static java.util.Map<String, Object> sweepInputs(List<String> scenarios, List<Integer> smp, long seed, int runs,
                                                     int requests, java.util.Map<String, Object> options) {
        java.util.Map<String, Object> in = new java.util.LinkedHashMap<>();
        in.put("scenarios", scenarios);
        in.put("smp", smp);
        List<Long> seeds = new ArrayList<>();
        for (int r = 0; r < runs; r++) seeds.add(seed + r);
        in.put("seeds", seeds);
        in.put("requests", requests);
        in.put("options", options);
        return in;
    }
}
