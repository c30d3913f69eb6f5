package coopvmm.conformance.trace;

import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private final TlcRunner tlc;
    private final Path specs;

    public TlaTraceValidation(Path specsDir, long timeoutSeconds) {
        this.specs = specsDir;
        this.tlc = new TlcRunner(specsDir, 1, timeoutSeconds);
    }

    /**
     * Every projection of the trace that has events: ring channels, boot, routing. {@code ring}:
     * the ring replay of the trace, whose quiescent points cut each channel into pieces (null:
     * the ring is replayed here to find them).
     */
    public List<Verdict> validateAll(Trace trace, Path dir, RingReplay ring) throws IOException, InterruptedException {
        if (ring == null) ring = cutsOf(trace);
        List<Verdict> out = new ArrayList<>();
        for (int k = 0; k < trace.iopms(); k++) {
            if (!RingTraceSpec.channel(trace, k).isEmpty()) out.add(validate(trace, k, dir, ring.cuts(k)));
        }
        List<TraceEvent> boot = BootTraceSpec.events(trace);
        if (!boot.isEmpty()) {
            out.add(check("boot", "BootHandoff", BootTraceSpec.MODULE, BootTraceSpec.module(trace, boot),
                    BootTraceSpec.config(trace, boot), boot, dir));
        }
        List<TraceEvent> irq = IrqTraceSpec.events(trace);
        if (!irq.isEmpty()) {
            out.add(check("routing", "IrqRouting", IrqTraceSpec.MODULE, IrqTraceSpec.module(irq),
                    IrqTraceSpec.config(trace, irq), irq, dir));
        }
        return out;
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

    private static final Pattern PIECE = Pattern.compile(
            "<<\"(TRACE_ACCEPTED|TRACE_INVARIANT|TRACE_STUCK|TRACE_END_MISMATCH)\", (\\d+), (\\d+)(?:, \\{([^}]*)\\})?>>");

    /**
     * Ring channel {@code k} against {@code CoopRing}, in pieces cut at quiescent points
     * ({@code cuts}: those the ring replay found; {@link RingTraceSpec#modules}), each module of pieces one TLC run: the
     * channel is a behaviour when every piece is matched and ends where the next one starts.
     * The first failing event, in trace order, is the verdict's reason.
     */
    public Verdict validate(Trace trace, int k, Path dir, List<RingReplay.Cut> cuts) throws IOException, InterruptedException {
        List<TraceEvent> events = RingTraceSpec.channel(trace, k);
        List<List<RingTraceSpec.Piece>> modules = RingTraceSpec.modules(events, cuts);
        double seconds = 0;
        TlcResult last = null;
        for (int m = 0; m < modules.size(); m++) {
            List<RingTraceSpec.Piece> pieces = modules.get(m);
            String name = RingTraceSpec.moduleName(k, m);
            Files.createDirectories(dir);
            Path specFile = dir.resolve(name + ".tla"), cfg = dir.resolve(name + ".cfg");
            Files.writeString(specFile, RingTraceSpec.module(name, events, pieces, k));
            Files.writeString(cfg, RingTraceSpec.config(events, pieces, trace.ringSlots()));
            TlcResult r = tlc.check(specFile, cfg, dir.resolve(name + ".out"), List.of());
            seconds += r.seconds();
            last = r;
            String what = "channel " + k;
            if (r.verdict() != TlcResult.Verdict.HOLDS || r.distinct() < 1) {
                return new Verdict(what, "CoopRing", events.size(), false, "TLC: " + r.verdict().text()
                        + (r.message() == null ? "" : ": " + r.message()) + " (see " + r.rawOutput() + ")", seconds, r);
            }
            String failure = firstFailure(Files.readString(r.rawOutput()), pieces, events);
            if (failure != null) return new Verdict(what, "CoopRing", events.size(), false, failure, seconds, r);
        }
        return new Verdict("channel " + k, "CoopRing", events.size(), true, null, seconds, last);
    }

    /** The first failing event of the pieces, in trace order, from TLC's printed verdicts; null when all were accepted. */
    private static String firstFailure(String out, List<RingTraceSpec.Piece> pieces, List<TraceEvent> events) {
        Matcher m = PIECE.matcher(out);
        String[] why = new String[pieces.size()];
        int[] at = new int[pieces.size()];
        boolean[] accepted = new boolean[pieces.size()];
        while (m.find()) {
            int seg = Integer.parseInt(m.group(2)) - 1, pos = Integer.parseInt(m.group(3));
            if (seg < 0 || seg >= pieces.size()) continue;
            RingTraceSpec.Piece p = pieces.get(seg);
            switch (m.group(1)) {
                case "TRACE_ACCEPTED" -> accepted[seg] = true;
                case "TRACE_STUCK" -> {
                    TraceEvent bad = events.get(p.from() + pos);
                    at[seg] = p.from() + pos;
                    why[seg] = "no CoopRing step matches event #" + bad.seq() + " (line " + bad.line() + ", " + bad.name()
                            + ") after " + (p.from() + pos) + " matched steps";
                }
                case "TRACE_INVARIANT" -> {
                    TraceEvent bad = pos > 0 ? events.get(p.from() + pos - 1) : null;
                    at[seg] = p.from() + pos - 1;
                    why[seg] = "CoopRing invariant " + m.group(4) + " is violated" + (bad == null ? " at the start of a piece"
                            : " after event #" + bad.seq() + " (line " + bad.line() + ", " + bad.name() + ")");
                }
                default -> {
                    TraceEvent lastEv = events.get(p.to() - 1);
                    at[seg] = p.to() - 1;
                    why[seg] = "the piece ending at event #" + lastEv.seq() + " (line " + lastEv.line()
                            + ") does not end in the state the model replay reached there";
                }
            }
        }
        int first = -1;
        for (int i = 0; i < pieces.size(); i++) {
            if (accepted[i]) continue;
            if (why[i] == null) {
                why[i] = "TLC gave no verdict for the piece of events " + pieces.get(i).from() + ".." + pieces.get(i).to();
                at[i] = pieces.get(i).from();
            }
            if (first < 0 || at[i] < at[first]) first = i;
        }
        return first < 0 ? null : why[first];
    }

    /** Writes the module and its config to {@code dir}, runs TLC, reads its verdict. */
    Verdict check(String what, String spec, String name, String module, String cfgText, List<TraceEvent> events,
                  Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path specFile = dir.resolve(name + ".tla");
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(specFile, module);
        Files.writeString(cfg, cfgText);
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
