package coopvmm.conformance.trace;

import coopvmm.conformance.trace.TlaTraceValidation.ChannelVerdict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks one trace twice: replay into the Java model, then TLC trace validation per channel. */
public final class TraceCheck {

    /**
     * Both verdicts and their speeds.
     *
     * @param replay         the model replay
     * @param replaySeconds  its time
     * @param channels       TLC's verdict per channel (empty when TLA validation is off)
     * @param tlaSeconds     TLC's total time
     */
    public record Report(Trace trace, RingReplay.Result replay, double replaySeconds,
                         List<ChannelVerdict> channels, double tlaSeconds) {
        public boolean conforms() {
            return replay.conforms() && channels.stream().allMatch(ChannelVerdict::accepted);
        }

        public int ringEvents() {
            return replay.eventsChecked();
        }
    }

    private TraceCheck() {
    }

    public static Report check(Trace trace, Path workDir, TlaTraceValidation tla) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        RingReplay.Result replay = RingReplay.replay(trace);
        double replaySeconds = (System.nanoTime() - t0) / 1e9;
        List<ChannelVerdict> channels = new ArrayList<>();
        long t1 = System.nanoTime();
        if (tla != null) {
            for (int k = 0; k < Math.max(1, trace.iopms()); k++) {
                channels.add(tla.validate(trace, k, workDir.resolve("tla")));
            }
        }
        return new Report(trace, replay, replaySeconds, channels, (System.nanoTime() - t1) / 1e9);
    }
}
