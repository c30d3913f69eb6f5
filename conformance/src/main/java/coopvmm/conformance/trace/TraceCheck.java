package coopvmm.conformance.trace;

import coopvmm.conformance.trace.TlaTraceValidation.Verdict;
import coopvmm.model.boot.BootAction;
import coopvmm.model.boot.BootState;
import coopvmm.model.guestio.GuestIoAction;
import coopvmm.model.guestio.GuestIoState;
import coopvmm.model.mgmtring.MgmtRingAction;
import coopvmm.model.mgmtring.MgmtRingState;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.irq.IrqState;
import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks one trace twice: replay into the Java models (ring per channel, boot, routing: each
 * protocol whose events the trace has), then TLC trace validation of each projection.
 */
public final class TraceCheck {

    /**
     * Every verdict and its speed.
     *
     * @param replay         the ring replay
     * @param boot           the boot replay, or null (no boot events)
     * @param irq            the routing replay, or null (no routing events)
     * @param guestIo        the guest I/O replay, or null (no guest I/O events)
     * @param mgmt           the management ring replay, or null (no management ring events)
     * @param replaySeconds  the replays' time
     * @param tla            TLC's verdict per projection (empty when TLA validation is off)
     * @param tlaSeconds     TLC's total time
     */
    public record Report(Trace trace, Replay.Result<RingState, RingAction> replay, Replay.Result<BootState, BootAction> boot,
                         Replay.Result<IrqState, IrqAction> irq, Replay.Result<GuestIoState, GuestIoAction> guestIo,
                         Replay.Result<MgmtRingState, MgmtRingAction> mgmt,
                         double replaySeconds, List<Verdict> tla, double tlaSeconds) {
        public boolean conforms() {
            return replay.conforms() && (boot == null || boot.conforms()) && (irq == null || irq.conforms())
                    && (guestIo == null || guestIo.conforms()) && (mgmt == null || mgmt.conforms())
                    && tla.stream().allMatch(Verdict::accepted);
        }

        /** Events the models checked, over every protocol. */
        public int eventsChecked() {
            return replay.eventsChecked() + (boot == null ? 0 : boot.eventsChecked()) + (irq == null ? 0 : irq.eventsChecked())
                    + (guestIo == null ? 0 : guestIo.eventsChecked()) + (mgmt == null ? 0 : mgmt.eventsChecked());
        }

        public int ringEvents() {
            return replay.eventsChecked();
        }

        public boolean partial() {
            return replay.partial();
        }
    }

    private TraceCheck() {
    }

    /** A trace whose boot or routing constants are missing or bad throws {@link TraceFormatException}. */
    public static Report check(Trace trace, Path workDir, TlaTraceValidation tla) throws IOException, InterruptedException {
        Report r = replay(trace);
        long t1 = System.nanoTime();
        List<Verdict> verdicts = tla == null ? List.of()
                : tla.validateAll(trace, workDir.resolve("tla"), (RingReplay) r.replay().protocol());
        return new Report(trace, r.replay(), r.boot(), r.irq(), r.guestIo(), r.mgmt(), r.replaySeconds(), verdicts,
                (System.nanoTime() - t1) / 1e9);
    }

    /** The model replays alone (no TLC): every protocol whose events the trace has. */
    public static Report replay(Trace trace) {
        long t0 = System.nanoTime();
        var replay = RingReplay.replay(trace);
        ProtocolEvents own = ProtocolEvents.of(trace);
        var boot = BootReplay.replay(trace, own.boot());
        var irq = IrqReplay.replay(trace, own.irq());
        var guestIo = GuestIoReplay.replay(trace, own.guestIo());
        var mgmt = MgmtRingReplay.replay(trace, own.mgmt());
        return new Report(trace, replay, boot, irq, guestIo, mgmt, (System.nanoTime() - t0) / 1e9, List.of(), 0);
    }
}
