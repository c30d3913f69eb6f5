package coopvmm.model.ring;

import coopvmm.model.History;

import java.util.ArrayList;
import java.util.List;

/**
 * One state of {@code CoopRing.tla}: a field per spec variable, same names, immutable. The
 * two histories ({@code rspGot}, {@code reqGot}) and the queue {@code pending} are
 * {@link History} values, changed in O(1) per step.
 * Indexes are longs so that one model serves both the small TLC bound and the real
 * unsigned 32-bit ring.
 */
public record RingState(
        // VMM-controlled area
        long reqProd, long rspCons, long rspEvent,
        // IOPM-controlled area
        long rspProd, long reqCons, long reqEvent,
        // data areas: slot -> id (0: never written)
        Slots reqRing, Slots rspRing,
        // VMM private
        long reqPvt, int nextId, List<Integer> rspGot, Pc vmmPc, boolean iopmTrusted,
        // IOPM private
        long rspPvt, List<Integer> reqGot, List<Integer> pending, Pc iopmPc,
        // IPI pending bits
        boolean ipiVmm, boolean ipiIopm,
        // in pc "notify": the producer index before the publish (else 0)
        long reqNotifyFrom, long rspNotifyFrom) {

    public RingState {
        if (reqRing == null || rspRing == null) throw new NullPointerException("a data area");
        // the histories grow by one per step: shared, not copied (O(1) per step)
        rspGot = History.of(rspGot);
        reqGot = History.of(reqGot);
        pending = History.of(pending);
    }

    /** {@code Init}. */
    public static RingState init(RingConfig c) {
        Slots empty = Slots.empty(c.n());
        return new RingState(0, 0, 1, 0, 0, 1, empty, empty, 0, 1, List.of(), Pc.RUN, true,
                0, List.of(), List.of(), Pc.RUN, false, false, 0, 0);
    }

    /** A copy-with builder: actions change a few fields and keep the rest. */
    public Builder with() {
        return new Builder(this);
    }

    /** Mutable only while an action builds its successor. */
    public static final class Builder {
        public long reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent, reqPvt, rspPvt;
        public long reqNotifyFrom, rspNotifyFrom;
        public Slots reqRing, rspRing;
        public List<Integer> rspGot, reqGot, pending;
        public int nextId;
        public Pc vmmPc, iopmPc;
        public boolean iopmTrusted, ipiVmm, ipiIopm;

        Builder(RingState s) {
            reqProd = s.reqProd; rspCons = s.rspCons; rspEvent = s.rspEvent;
            rspProd = s.rspProd; reqCons = s.reqCons; reqEvent = s.reqEvent;
            reqRing = s.reqRing; rspRing = s.rspRing;
            reqPvt = s.reqPvt; nextId = s.nextId; rspGot = s.rspGot; vmmPc = s.vmmPc;
            iopmTrusted = s.iopmTrusted; rspPvt = s.rspPvt; reqGot = s.reqGot;
            pending = s.pending; iopmPc = s.iopmPc; ipiVmm = s.ipiVmm; ipiIopm = s.ipiIopm;
            reqNotifyFrom = s.reqNotifyFrom; rspNotifyFrom = s.rspNotifyFrom;
        }

        public RingState build() {
            return new RingState(reqProd, rspCons, rspEvent, rspProd, reqCons, reqEvent,
                    reqRing, rspRing, reqPvt, nextId, rspGot, vmmPc, iopmTrusted, rspPvt,
                    reqGot, pending, iopmPc, ipiVmm, ipiIopm, reqNotifyFrom, rspNotifyFrom);
        }
    }

    /** A history with {@code x} appended, in O(1) amortised. */
    static List<Integer> appendHistory(List<Integer> s, int x) {
        return History.of(s).append(x);
    }

    /** The queue without its head, in O(1). */
    static List<Integer> tailOf(List<Integer> s) {
        return History.of(s).tail();
    }

    static List<Integer> append(List<Integer> s, int x) {
        List<Integer> r = new ArrayList<>(s.size() + 1);
        r.addAll(s);
        r.add(x);
        return r;
    }
}
