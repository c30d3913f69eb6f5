package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.order.OrderCheck;
import coopvmm.conformance.order.OrderResult;
import coopvmm.conformance.order.V2Replay;
import coopvmm.conformance.qemu.QemuRun;
import coopvmm.conformance.trace.BootReplay;
import coopvmm.conformance.trace.GuestIoReplay;
import coopvmm.conformance.trace.GuestIoTraceSpec;
import coopvmm.conformance.trace.IrqReplay;
import coopvmm.conformance.trace.MgmtRingReplay;
import coopvmm.conformance.trace.Replay;
import coopvmm.conformance.trace.TlaTraceValidation;
import coopvmm.conformance.trace.TraceFormatException;
import coopvmm.model.ring.RingAction;
import coopvmm.conformance.trace.Trace;
import coopvmm.conformance.trace.TraceEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conform run of a lock-free build, whose trace is per-CPU logs (format v2) interleaved
 * by line on the debugcon port: the order rebuilt from the values each step read
 * ({@link OrderCheck}; none: the cycle, named as a missing barrier), then the ring events
 * replayed through the model in that order ({@link V2Replay}), and the scenario's own
 * expectations checked on it, and (unless --no-tla) each ring channel and the boot of that
 * order validated by TLC as any v1 trace's are. The boot records carry the two boot counters
 * of the trace zone (reference-vmm/include/trace.h), which order the VMM's and each AP's
 * steps; the routing records carry the routing words they read and wrote ({@code irq_prod.k},
 * {@code irq_beat.k}, {@code irq_clock}, ...) and the management rings' records the rings'
 * words, as the I/O ring's do, which order them; the models replay them all in the rebuilt
 * order too. A build whose routing or management records carry no accesses is not checked
 * there, and the row says so.
 */
final class ConformLockFree {

    /** Said under a v2 row whose routing records carry no accesses (an older build). */
    static final String ROUTING_NOT_CHECKED = "v2: routing steps are not checked (no accesses in their records)";
    /** Said under a v2 row whose management records carry no accesses (an older build). */
    static final String MGMT_NOT_CHECKED = "v2: management ring steps are not checked (no accesses in their records)";
    /** Said when the run's guest I/O cannot be ordered (GuestIoTraceSpec.unorderedInLogs). */
    static String guestNotChecked(String why) {
        return "v2: guest I/O is not checked " + why;
    }

    private ConformLockFree() {
    }

    /** 2 for a v2 trace (its first header line says v=2), else 1. */
    static int version(Path trace) throws IOException {
        if (!Files.isRegularFile(trace)) return 1;
        try (BufferedReader r = Files.newBufferedReader(trace, StandardCharsets.ISO_8859_1)) {
            for (String l; (l = r.readLine()) != null; ) {
                if (!l.startsWith("# coop-trace")) continue;
                return l.contains(" v=2") ? 2 : 1;
            }
        }
        return 1;
    }

    static ConformRun.Result check(ConformRun.Setup st, String scenario, int cpus, long seed, Path dir, QemuRun run,
                                   String repro, String head, long t0, Coverage coverage, PrintStream out)
            throws IOException, InterruptedException {
        return check(st, scenario, cpus, seed, dir, run, run.trace(), repro, head, t0, coverage, out);
    }

    /** As above, on the logs in {@code traceFile} (./coop replay: the user's file, named in every message). */
    static ConformRun.Result check(ConformRun.Setup st, String scenario, int cpus, long seed, Path dir, QemuRun run,
                                   Path traceFile, String repro, String head, long t0, Coverage coverage, PrintStream out)
            throws IOException, InterruptedException {
        Repo repo = st.repo();
        List<String> why = new ArrayList<>();
        long c0 = System.nanoTime();
        OrderResult order = OrderCheck.check(traceFile);
        if (order.outcome() == OrderResult.Outcome.ERROR) {
            out.printf("%s  ERROR: %s%n", head, order.verdict());
            out.println("    reproduce: " + repro);
            return ConformRun.done(scenario, cpus, seed, order.exitCode() == 1 ? Coop.FAILURE : Coop.USAGE,
                    List.of(order.verdict()), t0, false, repro, dir, new ConformRun.Stats(order.events(), -1, -1));
        }
        int code = Coop.OK;
        int checked = 0;
        List<String> notChecked = new ArrayList<>();
        List<TraceEvent> events = List.of();
        Map<RingAction, Integer> ringCoverage = Map.of();
        if (!order.ok()) {
            code = Coop.FAILURE;
            why.add(order.verdict());
            why.add(order.details());
        } else {
            V2Replay.Verdict v = V2Replay.ring(order);
            checked = v.eventsChecked();
            ringCoverage = v.coverage();
            if (!v.ok()) {
                code = Coop.FAILURE;
                why.add(v.text());
            }
            events = V2Replay.ordered(order);
        }
        Trace view = view(traceFile, order, events);
        boolean timingAssumption = false;
        // the routing steps are ordered when their records carry the routing words
        boolean routingOrdered = order.trace() != null && order.trace().words().hasRouting();
        // and the management rings' steps, when theirs carry the rings' words
        boolean mgmtOrdered = order.trace() != null && order.trace().words().hasManagement();
        if (order.ok()) {
            int said = why.size();
            var boot = replayed("boot", () -> BootReplay.replay(view), why);
            boolean anyRouting = !IrqReplay.events(view).isEmpty();
            if (anyRouting && !routingOrdered) notChecked.add(ROUTING_NOT_CHECKED);
            var irq = anyRouting && routingOrdered ? replayed("routing", () -> IrqReplay.replay(view), why) : null;
            boolean anyMgmt = !MgmtRingReplay.events(view).isEmpty();
            if (anyMgmt && !mgmtOrdered) notChecked.add(MGMT_NOT_CHECKED);
            var mgmt = anyMgmt && mgmtOrdered ? replayed("management ring", () -> MgmtRingReplay.replay(view), why) : null;
            // guest I/O across a failover, or with management commands, of a build that does not log their words
            String unordered = GuestIoTraceSpec.unorderedInLogs(view, routingOrdered, mgmtOrdered);
            boolean guestOrdered = unordered == null;
            if (!guestOrdered) notChecked.add(guestNotChecked(unordered));
            var guest = guestOrdered ? replayed("guest I/O", () -> GuestIoReplay.replay(view), why) : null;
            if (why.size() > said) code = Coop.FAILURE;
            timingAssumption = ConformRun.brokeTimingAssumption(irq, boot, why);
            if (boot != null) checked += boot.eventsChecked();
            if (irq != null) checked += irq.eventsChecked();
            if (mgmt != null) checked += mgmt.eventsChecked();
            if (guest != null) checked += guest.eventsChecked();
            if (coverage != null) coverage.addOrdered(ringCoverage, boot == null ? null : boot.coverage(),
                    irq == null ? null : irq.coverage(), guest == null ? null : guest.coverage(),
                    mgmt == null ? null : mgmt.coverage());
        }
        double checkSeconds = (System.nanoTime() - c0) / 1e9;
        double tlaRate = -1;
        if (st.tla() != null && code == Coop.OK) {
            long c1 = System.nanoTime();
            for (TlaTraceValidation.Verdict v : st.tla().validateOrdered(view, dir.resolve("tla"), order.trace(), routingOrdered)) {
                if (v.accepted()) continue;
                code = Coop.FAILURE;
                why.add("TLC, " + v.what() + " against " + v.spec() + ": " + v.reason());
            }
            double s = (System.nanoTime() - c1) / 1e9;
            tlaRate = s > 0 ? checked / s : 0;
        }
        TraceEvent end = view.end();
        boolean stalled = false;
        for (TraceEvent e : events)
            if (e.name().equals("run.stall")) {
                stalled = true;
                why.add("liveness failure: lost wakeup on channel " + e.get("iopm") + " (cpu " + e.cpu() + ", line "
                        + e.line() + ")");
            }
        if (stalled) code = Coop.FAILURE;
        if (ConformRun.guestEnd(run, stalled, "", why)) code = Coop.FAILURE;
        if (order.ok()) {
            List<String> vacuous = ScenarioExpectations.missing(scenario, view);
            if (!vacuous.isEmpty() && end != null) {
                code = Coop.FAILURE;
                why.add("scenario " + scenario + " did not exercise what it is for: no " + String.join(", no ", vacuous)
                        + " in the trace");
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double modelRate = checkSeconds > 0 ? order.events() / checkSeconds : 0;
        out.printf("%s %6s %8d %7d %9.1f %11.0f %11s %10s  %s%n", head, view.header().getOrDefault("iopms", "?"),
                order.events(), checked, secs, modelRate, tlaRate < 0 ? "-" : String.format("%.0f", tlaRate), guestRate(end),
                code == Coop.OK ? "conforms" : "FAILS");
        for (String w : why) out.println("  " + w);
        out.println("  " + order.verdict());
        for (String n : notChecked) out.println("  " + n);
        if (code != Coop.OK) {
            out.println("  kept: " + repo.show(dir) + (traceFile.equals(run.trace()) ? " (trace.log, serial.log, qemu.log)"
                    : " (TLC's output; the trace is " + traceFile + ")"));
            out.println("  reproduce: " + repro);
        }
        return ConformRun.done(scenario, cpus, seed, code, why, t0, timingAssumption, repro, dir,
                new ConformRun.Stats(order.events(), modelRate, tlaRate));
    }

    /** A replay of one protocol's events in the rebuilt order (null: the trace has none). */
    private interface ReplayOf<S, A extends Enum<A>> {
        Replay.Result<S, A> run() throws TraceFormatException;
    }

    /**
     * Runs {@code r} and says in {@code why} how it failed: its first divergent event or what
     * the end breaks, or the line it cannot read. Null when the trace has none of its events or
     * cannot be read there.
     */
    private static <S, A extends Enum<A>> Replay.Result<S, A> replayed(String what, ReplayOf<S, A> r, List<String> why) {
        try {
            Replay.Result<S, A> res = r.run();
            if (res != null && !res.conforms())
                why.add(res.divergence() != null ? what + " model: first divergent event: " + res.divergence().event().name()
                        + " (" + res.divergence().event().where() + ", cpu " + res.divergence().event().cpu() + "): "
                        + res.divergence().expected() : what + " model: at the end: " + String.join("; ", res.endFailures()));
            return res;
        } catch (TraceFormatException e) {
            why.add(what + ": line " + e.line() + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * The records in the rebuilt order as a trace of format v1 has them: its header, its zone
     * lines and other comments ('#' and the space taken off, as TraceReader keeps them).
     */
    static Trace view(Path file, OrderResult order, List<TraceEvent> events) {
        List<String> zones = new ArrayList<>(), comments = new ArrayList<>();
        if (order.trace() == null) return new Trace(file, Map.of(), zones, comments, events);
        for (String l : order.trace().comments()) {
            if (l.startsWith("# zone ")) zones.add(l.substring(2));
            else if (l.startsWith("# ")) comments.add(l.substring(2).strip());
        }
        return new Trace(file, order.trace().header(), zones, comments, events);
    }

    /** Requests answered per second of the guest's own time (run.end's us=, v2 records have no TSC). */
    static String guestRate(TraceEvent end) {
        if (end == null || !end.has("us") || !end.has("requests") || end.get("us") <= 0) return "-";
        return String.format("%.0f", end.get("requests") * 1e6 / end.get("us"));
    }
}
