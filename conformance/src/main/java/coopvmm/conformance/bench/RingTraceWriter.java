package coopvmm.conformance.bench;

import coopvmm.model.ring.Pc;
import coopvmm.model.ring.Ring;
import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingConfig;
import coopvmm.model.ring.RingState;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes a ring trace of a given length from one random behaviour of the ring model (16 slots,
 * u32 indexes, one channel), in the format the reference VMM emits (docs/trace-format.md):
 * known-good input of any size for the checkers' benchmarks. The scheduler picks an enabled
 * action at random, so both rings fill, both sides sleep and wake. Streamed to disk: the
 * writer keeps one state, whatever the length. A see-idle step is taken together with the
 * prepare-sleep step after it and written as one {@code prepare_sleep} line, as the locked
 * build writes it: the version-1 reader reads that line as the two steps, back to back.
 */
public final class RingTraceWriter {

    private RingTraceWriter() {
    }

    /**
     * A trace of {@code events} ring events, then as many as it takes to answer every request
     * written (no new one), plus run.start and run.end.
     */
    public static void write(Path file, long events, long seed) throws IOException {
        write(file, events, seed, 0);
    }

    /**
     * As {@link #write(Path, long, long)}, and every {@code drainEvery} events (0: never) the VMM
     * writes no new request until every one is answered: a quiescent point, as real runs have
     * between bursts, where trace validation can cut the trace.
     */
    public static void write(Path file, long events, long seed, long drainEvery) throws IOException {
        // enough requests never to run out: every request takes at least 4 events
        int maxReq = (int) Math.min(Integer.MAX_VALUE - 1, events / 2 + 16);
        RingConfig c = new RingConfig(16, RingConfig.U32, maxReq, false);
        Ring ring = new Ring(c);
        Random rnd = new Random(seed);
        RingState s = RingState.init(c);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("# coop-trace v=1 build=model cpus=2 iopms=1 ring_slots=16 slot_size=64 scenario=ring seed="
                    + seed + "\n");
            long seq = 0;
            w.write(seq++ + " 0 1000 run.start requests=" + maxReq + "\n");
            List<Ring.Step> next = new ArrayList<>();
            // past `events`, no new request: the run drains, every request answered
            boolean draining = false;
            for (long i = 0; i < events || s.rspGot().size() < s.nextId() - 1; i++) {
                if (drainEvery > 0 && i % drainEvery == 0) draining = true;
                if (draining && quiet(s)) draining = false;
                boolean write = i < events && !draining;
                next.clear();
                for (Ring.Step st : ring.successors(s))
                    if (st.action() != RingAction.FINISHED && (write || st.action() != RingAction.VMM_WRITE_REQUEST))
                        next.add(st);
                if (next.isEmpty()) throw new IllegalStateException("the model stopped after " + i + " events");
                Ring.Step st = next.get(rnd.nextInt(next.size()));
                RingAction a = st.action();
                RingState t = st.next();
                if (a == RingAction.VMM_SEE_IDLE || a == RingAction.IOPM_SEE_IDLE) {
                    // its prepare-sleep at once, on the same line (two events of the reader's)
                    s = t;
                    a = a == RingAction.VMM_SEE_IDLE ? RingAction.VMM_PREPARE_SLEEP : RingAction.IOPM_PREPARE_SLEEP;
                    t = ring.take(a, s).orElseThrow();
                    i++;
                }
                w.write(seq++ + " " + (a.tla().startsWith("Vmm") ? 0 : 1) + " " + (1000 + seq * 10) + " "
                        + a.event() + " iopm=0" + fields(c, a, s, t) + "\n");
                s = t;
            }
            w.write(seq + " 0 " + (1000 + seq * 10) + " run.end status=0 requests=" + s.rspGot().size() + "\n");
        }
    }

    /** Everything written is published, consumed, answered and consumed back. */
    private static boolean quiet(RingState s) {
        return s.rspGot().size() == s.nextId() - 1 && s.reqProd() == s.reqPvt() && s.rspProd() == s.rspPvt()
                && s.rspCons() == s.rspPvt() && s.reqCons() == s.reqPvt();
    }

    private static String fields(RingConfig c, RingAction a, RingState s, RingState t) {
        return switch (a) {
            case VMM_WRITE_REQUEST -> " id=" + s.nextId() + " pvt=" + t.reqPvt();
            case VMM_PUBLISH_REQUESTS -> " prod=" + t.reqProd();
            case VMM_NOTIFY_IOPM -> " notify=" + (c.needNotify(s.reqNotifyFrom(), s.reqProd(), s.reqEvent()) ? 1 : 0);
            case VMM_CONSUME_RESPONSE -> " id=" + t.rspGot().get(t.rspGot().size() - 1) + " cons=" + t.rspCons();
            case IOPM_CONSUME -> " id=" + t.reqGot().get(t.reqGot().size() - 1) + " cons=" + t.reqCons();
            case IOPM_WRITE_RESPONSE -> " id=" + s.pending().get(0) + " pvt=" + t.rspPvt();
            case IOPM_PUBLISH_RESPONSES -> " prod=" + t.rspProd();
            case IOPM_NOTIFY_VMM -> " notify=" + (c.needNotify(s.rspNotifyFrom(), s.rspProd(), s.rspEvent()) ? 1 : 0);
            case VMM_PREPARE_SLEEP -> " event=" + t.rspEvent();
            case IOPM_PREPARE_SLEEP -> " event=" + t.reqEvent();
            case VMM_FINAL_CHECK -> " sleep=" + (t.vmmPc() == Pc.SLEEP ? 1 : 0);
            case IOPM_FINAL_CHECK -> " sleep=" + (t.iopmPc() == Pc.SLEEP ? 1 : 0);
            default -> "";
        };
    }
}
