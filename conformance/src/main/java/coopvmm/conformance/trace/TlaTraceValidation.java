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

    /** Every projection of the trace that has events: ring channels, boot, routing. */
    public List<Verdict> validateAll(Trace trace, Path dir) throws IOException, InterruptedException {
        List<Verdict> out = new ArrayList<>();
        for (int k = 0; k < trace.iopms(); k++) {
            if (!RingTraceSpec.channel(trace, k).isEmpty()) out.add(validate(trace, k, dir));
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

    /** Ring channel {@code k} against {@code CoopRing}. */
    public Verdict validate(Trace trace, int k, Path dir) throws IOException, InterruptedException {
        List<TraceEvent> events = RingTraceSpec.channel(trace, k);
        return check("channel " + k, "CoopRing", RingTraceSpec.moduleName(k), RingTraceSpec.module(events, k),
                RingTraceSpec.config(events, trace.ringSlots()), events, dir);
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
