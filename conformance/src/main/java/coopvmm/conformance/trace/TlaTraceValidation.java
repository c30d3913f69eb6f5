package coopvmm.conformance.trace;

import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcResult.Verdict;
import coopvmm.conformance.tlc.TlcRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Has TLC decide whether each channel of a trace is a behaviour of {@code CoopRing}. */
public final class TlaTraceValidation {

    /**
     * The verdict for one channel.
     *
     * @param channel  the IOPM index
     * @param events   ring events of the channel
     * @param accepted TLC matched every event
     * @param reason   why not: the event TLC could not match, or the invariant violated
     * @param seconds  TLC's time
     * @param tlc      TLC's result (raw output kept)
     */
    public record ChannelVerdict(int channel, int events, boolean accepted, String reason, double seconds,
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

    public ChannelVerdict validate(Trace trace, int k, Path dir) throws IOException, InterruptedException {
        List<TraceEvent> events = RingTraceSpec.channel(trace, k);
        Files.createDirectories(dir);
        String name = RingTraceSpec.moduleName(k);
        Path spec = dir.resolve(name + ".tla");
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(spec, RingTraceSpec.module(events, k));
        Files.writeString(cfg, RingTraceSpec.config(events, trace.ringSlots()));
        TlcResult r = tlc.check(spec, cfg, dir.resolve(name + ".out"), List.of());
        if (events.isEmpty()) return new ChannelVerdict(k, 0, true, null, r.seconds(), r);
        String out = Files.readString(r.rawOutput());
        Matcher m = VERDICT.matcher(out);
        if (r.verdict() != Verdict.HOLDS || r.distinct() < 1) {
            return new ChannelVerdict(k, events.size(), false, "TLC: " + r.verdict().text()
                    + (r.message() == null ? "" : ": " + r.message()) + " (see " + r.rawOutput() + ")", r.seconds(), r);
        }
        if (!m.find()) {
            int matched = (int) r.distinct() - 1;
            TraceEvent bad = events.get(Math.min(matched, events.size() - 1));
            return new ChannelVerdict(k, events.size(), false, "no CoopRing step matches event #" + bad.seq()
                    + " (line " + bad.line() + ", " + bad.name() + ") after " + matched + " matched steps",
                    r.seconds(), r);
        }
        int matched = Integer.parseInt(m.group(2));
        if (m.group(1).equals("TRACE_ACCEPTED")) return new ChannelVerdict(k, events.size(), true, null, r.seconds(), r);
        TraceEvent bad = matched > 0 ? events.get(matched - 1) : null;
        return new ChannelVerdict(k, events.size(), false, "CoopRing invariant " + m.group(3)
                + " is violated" + (bad == null ? " initially" : " after event #" + bad.seq()
                + " (line " + bad.line() + ", " + bad.name() + ")"), r.seconds(), r);
    }

    public Path specsDir() {
        return specs;
    }
}
