package coopvmm.model.ring;

import java.util.List;
import java.util.Optional;

/**
 * Ring models with one planted bug each, shared by the tests that must show they can fail:
 * the stateful property tests here and the spec-model agreement test in conformance (through
 * model-java's test jar).
 */
public final class AlteredRings {

    private AlteredRings() {
    }

    /** {@code specs/mutants/OffByOneFull.tla}: the VMM's full check is {@code Dist <= N}. */
    public static final class OffByOneFull extends Ring {
        public OffByOneFull(RingConfig c) {
            super(c);
        }

        @Override
        public Optional<RingState> vmmWriteRequest(RingState s) {
            RingConfig c = config();
            if (s.vmmPc() != Pc.RUN || !s.iopmTrusted() || s.nextId() > c.maxReq()
                    || c.dist(s.reqCons(), s.reqPvt()) > c.n()) // the bug: should be >= N
                return Optional.empty();
            var b = s.with();
            b.reqRing = s.reqRing().with(c.slot(s.reqPvt()), s.nextId());
            b.reqPvt = c.inc(s.reqPvt());
            b.nextId = s.nextId() + 1;
            return Optional.of(b.build());
        }
    }

}
