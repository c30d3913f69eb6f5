package coopvmm.conformance.trace;

import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcRunner;
import coopvmm.conformance.tlc.TraceData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Has TLC decide whether a trace is a behaviour of the specs: each ring channel against
 * {@code CoopRing}, the boot events against {@code BootHandoff}, the routing events against
 * {@code IrqRouting}. Each projection becomes a generated trace module (see
 * {@link TraceModules}) that prints TRACE_ACCEPTED or TRACE_INVARIANT, or nothing when it
 * gets stuck on an event no step of the spec matches.
 */
public final class TlaTraceValidation {

    /**
     * TLC's verdict on one projection of a trace.
     *
     * @param what     which projection: {@code channel 0}, {@code boot}, {@code routing}
     * @param spec     the spec it was checked against
     * @param events   events of the projection
     * @param accepted TLC matched every event
     * @param reason   why not: the event TLC could not match, or the invariant violated
     * @param seconds  TLC's time
     * @param tlc      TLC's result (raw output kept)
     */
    public record Verdict(String what, String spec, int events, boolean accepted, String reason, double seconds,
                          TlcResult tlc) {
    }

    private static final Pattern VERDICT = Pattern.compile(
            "<<\"(TRACE_ACCEPTED|TRACE_INVARIANT)\", (\\d+)(?:, \\{([^}]*)\\})?>>");

    private final TlcRunner tlc, traceTlc;

    /**
     * Below this many events a ring module's TLC compiles with C1 only (see
     * {@link TlcRunner#forTraces}): measured here, C1 wins at 38,000 events (4.1 s against
     * 4.5) and loses at 152,000.
     */
    static final int C1_RECORDS = 60_000;
    /** The specs the projections' modules extend: each child started ahead parses them all (it may get any job). */
    private static final List<String> PROJECTED = List.of("CoopRing", "BootHandoff", "IrqRouting", "GuestIo");
    private final Path specs;

    public TlaTraceValidation(Path specsDir, long timeoutSeconds) {
        this.specs = specsDir;
        this.tlc = new TlcRunner(specsDir, 1, timeoutSeconds).forTraces(true);
        this.traceTlc = tlc.withTraceData();
    }

    /**
     * Starts child JVMs ahead for the next validation's TLC runs (see {@link TlcRunner#prestart}):
     * one per core at most, for a trace of about {@code ringRecords} events a channel (which
     * decides the children's compiler, as for {@link #C1_RECORDS}).
     */
    public void prestart(int runs, int ringRecords) throws IOException {
        List<Path> extended = new ArrayList<>();
        for (String spec : PROJECTED) extended.add(specs.resolve(spec + ".tla"));
        traceTlc.prestart(Math.min(runs, Runtime.getRuntime().availableProcessors()), ringRecords < C1_RECORDS, extended);
    }

    /** Waits for the children {@link #prestart} started to be ready, {@code millis} at most (see {@link TlcRunner#awaitStandbys}). */
    public void awaitPrestarted(long millis) throws InterruptedException {
        traceTlc.awaitStandbys(millis);
    }

    /**
     * Every projection of the trace that has events: ring channels, boot, routing. {@code ring}:
     * the ring replay of the trace, whose quiescent points cut each channel into pieces (null:
     * the ring is replayed here to find them).
     */
    public List<Verdict> validateAll(Trace trace, Path dir, RingReplay ring) throws IOException, InterruptedException {
        return validate(trace, dir, ring, true, null);
    }

    /**
     * The projections of {@code trace}, the order rebuilt from a lock-free build's per-CPU logs
     * {@code logs}: ring channels and boot, and routing when {@code routing} (its records carry
     * the accesses that order them across CPUs); guest I/O unless a failover or management
     * commands leave it unordered ({@link GuestIoTraceSpec#unorderedInLogs}). Each ring channel
     * is also cross-checked without the rebuilt order ({@link RingTwoCursorSpec}).
     */
    public List<Verdict> validateOrdered(Trace trace, Path dir, coopvmm.conformance.order.V2Trace logs, boolean routing)
            throws IOException, InterruptedException {
        return validate(trace, dir, null, routing, logs);
    }

    private List<Verdict> validate(Trace trace, Path dir, RingReplay ring, boolean routing,
                                   coopvmm.conformance.order.V2Trace logs) throws IOException, InterruptedException {
        if (ring == null) ring = cutsOf(trace);
        RingReplay cuts = ring;
        // the projections are independent TLC runs: as many at once as there are cores
        List<java.util.concurrent.Callable<Verdict>> jobs = new ArrayList<>();
        for (int k = 0; k < trace.iopms(); k++) {
            int ch = k;
            if (!RingTraceSpec.channel(trace, k).isEmpty()) jobs.add(() -> validate(trace, ch, dir, cuts.cuts(ch)));
        }
        List<TraceEvent> boot = BootTraceSpec.events(trace);
        if (!boot.isEmpty()) {
            jobs.add(() -> check("boot", "BootHandoff", BootTraceSpec.MODULE, BootTraceSpec.module(trace, boot),
                    BootTraceSpec.config(trace, boot), boot, dir));
        }
        if (logs != null) {
            List<coopvmm.conformance.order.V2Event> records = new ArrayList<>();
            for (int c = 0; c < logs.cpuCount(); c++) records.addAll(logs.events(c));
            for (int k = 0; k < trace.iopms(); k++) {
                var sides = RingTwoCursorSpec.sides(records, k);
                if (sides.get(0).isEmpty() && sides.get(1).isEmpty()) continue;
                int ch = k;
                jobs.add(() -> crossCheck(sides, ch, trace.ringSlots(), dir));
            }
        }
        List<TraceEvent> irq = routing ? IrqTraceSpec.events(trace) : List.of();
        if (!irq.isEmpty()) {
            jobs.add(() -> routing(trace, irq, dir));
        }
        // guest I/O in a rebuilt order too: each iopm.serve record precedes its publish in
        // program order, so it precedes the consume and the completion that follow it; but not
        // with a failover or management commands (GuestIoTraceSpec.unorderedInLogs)
        List<TraceEvent> guest = logs == null || GuestIoTraceSpec.unorderedInLogs(trace, routing, logs.words().hasManagement()) == null
                ? GuestIoTraceSpec.events(trace) : List.of();
        if (!guest.isEmpty()) {
            jobs.add(() -> guestIo(trace, guest, dir));
        }
        Files.createDirectories(dir);
        TraceData.installModule(dir);   // before the ring jobs start, which all read it
        var pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(jobs.size(), Runtime.getRuntime().availableProcessors())));
        try {
            List<Verdict> out = new ArrayList<>();
            for (var f : pool.invokeAll(jobs)) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new IOException(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    public List<Verdict> validateAll(Trace trace, Path dir) throws IOException, InterruptedException {
        return validateAll(trace, dir, null);
    }

    private static RingReplay cutsOf(Trace trace) {
        RingReplay ring = new RingReplay(trace);
        Replay.run(ring, trace.events());
        return ring;
    }

    /** Ring channel {@code k} against {@code CoopRing}. */
    public Verdict validate(Trace trace, int k, Path dir) throws IOException, InterruptedException {
        return validate(trace, k, dir, cutsOf(trace).cuts(k));
    }

    /**
     * Ring channel {@code k} against {@code CoopRing}, in pieces cut at quiescent points
     * ({@code cuts}: those the ring replay found; {@link RingTraceSpec#modules}), each module of
     * pieces one TLC run, its events read from a data file ({@link TraceData}): the channel is
     * a behaviour when every piece is matched and ends where the next one starts. TLC stops at
     * the first failure it finds, which is the verdict's reason.
     */
    public Verdict validate(Trace trace, int k, Path dir, List<RingReplay.Cut> cuts) throws IOException, InterruptedException {
        List<TraceEvent> events = RingTraceSpec.channel(trace, k);
        List<List<RingTraceSpec.Piece>> modules = RingTraceSpec.modules(events, cuts);
        Files.createDirectories(dir);
        TraceData.installModule(dir);
        double seconds = 0;
        TlcResult last = null;
        String what = "channel " + k;
        for (int m = 0; m < modules.size(); m++) {
            List<RingTraceSpec.Piece> pieces = modules.get(m);
            String name = RingTraceSpec.moduleName(k, m);
            Path specFile = writeRing(name, events, pieces, k, trace.ringSlots(), dir), cfg = dir.resolve(name + ".cfg");
            int records = 0;
            for (RingTraceSpec.Piece p : pieces) records += p.to() - p.from();
            TlcResult r = (records < C1_RECORDS ? traceTlc : traceTlc.forTraces(false))
                    .check(specFile, cfg, dir.resolve(name + ".out"), List.of());
            seconds += r.seconds();
            last = r;
            if (r.verdict() == TlcResult.Verdict.HOLDS && r.distinct() >= 1) continue;
            String failure = failure(r, pieces, events);
            return new Verdict(what, "CoopRing", events.size(), false, failure != null ? failure : "TLC: " + r.verdict().text()
                    + (r.message() == null ? "" : ": " + r.message()) + " (see " + r.rawOutput() + ")", seconds, r);
        }
        return new Verdict(what, "CoopRing", events.size(), true, null, seconds, last);
    }

    /** Writes one ring module of {@code pieces}, its data and its config to {@code dir}; the module's path. */
    private static Path writeRing(String name, List<TraceEvent> events, List<RingTraceSpec.Piece> pieces, int k, int slots,
                                  Path dir) throws IOException {
        Path specFile = dir.resolve(name + ".tla"), data = dir.resolve(name + ".data");
        TraceData.write(data, RingTraceSpec.data(events, pieces));
        Files.writeString(specFile, RingTraceSpec.module(name, pieces, k, data));
        Files.writeString(dir.resolve(name + ".cfg"), RingTraceSpec.config(events, pieces, slots));
        return specFile;
    }

    /**
     * Writes what TLC would be given for {@code trace}'s first ring channel and its boot into
     * {@code dir}, and runs no TLC: run once on a warm-up's trace ({@link ReplayWarmUp}), so
     * that the first real validation does not write its inputs with cold code (about 0.2 s of
     * a 6,000-event ring trace's validation).
     */
    static void writeInputs(Trace trace, Path dir) throws IOException {
        RingReplay cuts = cutsOf(trace);
        Files.createDirectories(dir);
        TraceData.installModule(dir);
        List<TraceEvent> events = RingTraceSpec.channel(trace, 0);
        if (!events.isEmpty()) {
            List<RingTraceSpec.Piece> pieces = RingTraceSpec.modules(events, cuts.cuts(0)).get(0);
            writeRing(RingTraceSpec.moduleName(0, 0), events, pieces, 0, trace.ringSlots(), dir);
        }
        List<TraceEvent> boot = BootTraceSpec.events(trace);
        if (!boot.isEmpty())
            writeModule(dir, BootTraceSpec.MODULE, BootTraceSpec.module(trace, boot), BootTraceSpec.config(trace, boot));
    }

    /** Writes {@code name}'s module and config to {@code dir}; the module's path. */
    private static Path writeModule(Path dir, String name, String module, String cfgText) throws IOException {
        Files.createDirectories(dir);
        Path specFile = dir.resolve(name + ".tla");
        Files.writeString(specFile, module);
        Files.writeString(dir.resolve(name + ".cfg"), cfgText);
        return specFile;
    }

    /**
     * What TLC's error says of the pieces, from its counterexample's last state ({@code seg},
     * {@code pos}): an invariant broken after an event, a piece stuck at an event, or a piece
     * ending elsewhere than the next one starts. Null when TLC's error is none of these.
     */
    private static String failure(TlcResult r, List<RingTraceSpec.Piece> pieces, List<TraceEvent> events) {
        if (r.trace().isEmpty()) return null;
        Map<String, String> vars = r.trace().get(r.trace().size() - 1).vars();
        int seg = parseInt(vars.get("seg")) - 1, pos = parseInt(vars.get("pos"));
        if (seg < 0 || seg >= pieces.size() || pos < 0) return null;
        RingTraceSpec.Piece p = pieces.get(seg);
        int len = p.to() - p.from();
        if (r.verdict() == TlcResult.Verdict.INVARIANT_VIOLATED) {
            TraceEvent bad = pos > 0 ? events.get(p.from() + pos - 1) : null;
            return "CoopRing invariant " + r.property() + " is violated" + (bad == null ? " at the start of a piece"
                    : " after event #" + bad.seq() + " (line " + bad.line() + ", " + bad.name() + ")");
        }
        if (r.verdict() != TlcResult.Verdict.DEADLOCK || pos > len) return null;
        if (pos < len) {
            TraceEvent bad = events.get(p.from() + pos);
            return "no CoopRing step matches event #" + bad.seq() + " (line " + bad.line() + ", " + bad.name()
                    + ") after " + (p.from() + pos) + " matched steps";
        }
        TraceEvent lastEv = events.get(p.to() - 1);
        return "the piece ending at event #" + lastEv.seq() + " (line " + lastEv.line()
                + ") does not end in the state the model replay reached there";
    }

    private static final Pattern REACHED = Pattern.compile("<<\"REACHED\", (\\d+), (\\d+)>>");

    /**
     * Channel {@code k}'s two logs against {@code CoopRing} by {@link RingTwoCursorSpec}: TLC
     * interleaves them itself. Rejected: the furthest interleaving's next records.
     */
    public Verdict crossCheck(List<List<coopvmm.conformance.order.V2Event>> sides, int k, int slots, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TraceData.installModule(dir);
        String what = "channel " + k + " (two cursors)";
        int events = sides.get(0).size() + sides.get(1).size();
        var data = RingTwoCursorSpec.data(sides);
        if (data == null) return new Verdict(what, "CoopRing", events, true, null, 0, null);   // past TLC's integers: not checked
        String name = RingTwoCursorSpec.moduleName(k);
        Path specFile = dir.resolve(name + ".tla"), cfg = dir.resolve(name + ".cfg"), file = dir.resolve(name + ".data");
        TraceData.write(file, data);
        Files.writeString(specFile, RingTwoCursorSpec.module(name, k, file));
        Files.writeString(cfg, RingTwoCursorSpec.config(sides, slots));
        TlcResult r = traceTlc.check(specFile, cfg, dir.resolve(name + ".out"), List.of());
        String out = Files.readString(r.rawOutput());
        if (out.contains("<<\"TRACE_ACCEPTED\"")) return new Verdict(what, "CoopRing", events, true, null, r.seconds(), r);
        Matcher m = REACHED.matcher(out);
        int i = 0, j = 0;
        boolean any = false;
        while (m.find()) {
            i = Integer.parseInt(m.group(1));
            j = Integer.parseInt(m.group(2));
            any = true;
        }
        if (!any && r.verdict() != TlcResult.Verdict.HOLDS)
            return new Verdict(what, "CoopRing", events, false, "TLC: " + r.verdict().text()
                    + (r.message() == null ? "" : ": " + r.message()) + " (see " + r.rawOutput() + ")", r.seconds(), r);
        var vmm = sides.get(0);
        var iopm = sides.get(1);
        String next = (i < vmm.size() ? "the VMM's " + vmm.get(i).name() + " (" + vmm.get(i).where() + ")" : "the VMM's log ended")
                + ", " + (j < iopm.size() ? "the IOPM's " + iopm.get(j).name() + " (" + iopm.get(j).where() + ")" : "the IOPM's log ended");
        return new Verdict(what, "CoopRing", events, false, "no interleaving of the two logs is a CoopRing behaviour past "
                + i + " VMM and " + j + " IOPM records; next: " + next, r.seconds(), r);
    }

    /** The routing events against IrqRouting: the events as data, TLC's own verdicts. */
    private Verdict routing(Trace trace, List<TraceEvent> irq, Path dir) throws IOException, InterruptedException {
        return whole("routing", "IrqRouting", IrqTraceSpec.MODULE, irq, IrqTraceSpec.data(irq),
                IrqTraceSpec::module, IrqTraceSpec.config(trace, irq), dir);
    }

    /** The guest I/O events against GuestIo: the events as data, TLC's own verdicts. */
    private Verdict guestIo(Trace trace, List<TraceEvent> io, Path dir) throws IOException, InterruptedException {
        return whole("guest I/O", "GuestIo", GuestIoTraceSpec.MODULE, io, GuestIoTraceSpec.data(io),
                GuestIoTraceSpec::module, GuestIoTraceSpec.config(trace, io), dir);
    }

    /**
     * One whole projection ({@link TraceModules#closeWhole}) against {@code spec}: its events
     * written as data, the module made for that file, TLC run, and TLC's own verdict read from
     * its last state's {@code pos}: an invariant broken after an event, or no step matching one.
     */
    private Verdict whole(String what, String spec, String name, List<TraceEvent> events,
                          List<List<TraceData.Event>> data, java.util.function.Function<Path, String> module,
                          String cfgText, Path dir) throws IOException, InterruptedException {
        Path specFile = dir.resolve(name + ".tla"), cfg = dir.resolve(name + ".cfg"), file = dir.resolve(name + ".data");
        TraceData.write(file, data);
        Files.writeString(specFile, module.apply(file));
        Files.writeString(cfg, cfgText);
        TlcResult r = traceTlc.check(specFile, cfg, dir.resolve(name + ".out"), List.of());
        if (r.verdict() == TlcResult.Verdict.HOLDS && r.distinct() >= 1)
            return new Verdict(what, spec, events.size(), true, null, r.seconds(), r);
        String why = null;
        int pos = r.trace().isEmpty() ? -1 : parseInt(r.trace().get(r.trace().size() - 1).vars().get("pos"));
        if (pos >= 0 && pos <= events.size()) {
            if (r.verdict() == TlcResult.Verdict.INVARIANT_VIOLATED) {
                TraceEvent bad = pos > 0 ? events.get(pos - 1) : null;
                why = spec + " invariant " + r.property() + " is violated" + (bad == null ? " initially"
                        : " after event #" + bad.seq() + " (line " + bad.line() + ", " + bad.name() + ")");
            } else if (r.verdict() == TlcResult.Verdict.DEADLOCK && pos < events.size()) {
                TraceEvent bad = events.get(pos);
                why = "no " + spec + " step matches event #" + bad.seq() + " (line " + bad.line() + ", " + bad.name()
                        + ") after " + pos + " matched steps";
            }
        }
        if (why == null) why = "TLC: " + r.verdict().text() + (r.message() == null ? "" : ": " + r.message())
                + " (see " + r.rawOutput() + ")";
        return new Verdict(what, spec, events.size(), false, why, r.seconds(), r);
    }

    private static int parseInt(String s) {
        try {
            return s == null ? -1 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Writes the module and its config to {@code dir}, runs TLC, reads its verdict. */
    Verdict check(String what, String spec, String name, String module, String cfgText, List<TraceEvent> events,
                  Path dir) throws IOException, InterruptedException {
        Path specFile = writeModule(dir, name, module, cfgText), cfg = dir.resolve(name + ".cfg");
        TlcResult r = tlc.check(specFile, cfg, dir.resolve(name + ".out"), List.of());
        if (events.isEmpty()) return new Verdict(what, spec, 0, true, null, r.seconds(), r);
        String out = Files.readString(r.rawOutput());
        Matcher m = VERDICT.matcher(out);
        if (r.verdict() != TlcResult.Verdict.HOLDS || r.distinct() < 1) {
            return new Verdict(what, spec, events.size(), false, "TLC: " + r.verdict().text()
                    + (r.message() == null ? "" : ": " + r.message()) + " (see " + r.rawOutput() + ")", r.seconds(), r);
        }
        if (!m.find()) {
            int matched = (int) r.distinct() - 1;
            TraceEvent bad = events.get(Math.min(matched, events.size() - 1));
            return new Verdict(what, spec, events.size(), false, "no " + spec + " step matches event #" + bad.seq()
                    + " (line " + bad.line() + ", " + bad.name() + ") after " + matched + " matched steps",
                    r.seconds(), r);
        }
        int matched = Integer.parseInt(m.group(2));
        if (m.group(1).equals("TRACE_ACCEPTED")) return new Verdict(what, spec, events.size(), true, null, r.seconds(), r);
        TraceEvent bad = matched > 0 ? events.get(matched - 1) : null;
        return new Verdict(what, spec, events.size(), false, spec + " invariant " + m.group(3)
                + " is violated" + (bad == null ? " initially" : " after event #" + bad.seq()
                + " (line " + bad.line() + ", " + bad.name() + ")"), r.seconds(), r);
    }

    public Path specsDir() {
        return specs;
    }
}
