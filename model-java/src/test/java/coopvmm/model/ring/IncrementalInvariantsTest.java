package coopvmm.model.ring;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RingInvariants#violatedAfter} (O(1) per step, what the trace replay uses) gives the
 * same verdict as {@link RingInvariants#violated} (the invariants over whole histories) on every
 * step out of a good state: on random walks of the model, and of models with planted bugs so
 * that the violating steps are covered too.
 */
class IncrementalInvariantsTest {

    /** A model whose IOPM consumes a stale slot now and then (RequestsInOrder, ResponsesInOrder break). */
    static final class StaleConsume extends Ring {
        StaleConsume(RingConfig c) {
            super(c);
        }

        @Override
        public Optional<RingState> iopmConsume(RingState s) {
            Optional<RingState> t = super.iopmConsume(s);
            if (t.isEmpty() || s.reqGot().size() % 3 != 2) return t;
            var b = t.get().with();
            b.reqGot = RingState.appendHistory(s.reqGot(), 1);     // id 1 again
            b.pending = RingState.append(s.pending(), 1);
            return Optional.of(b.build());
        }
    }

    /** A model whose VMM consumes a response past the published index (NoUnderflow breaks). */
    static final class EagerConsume extends Ring {
        EagerConsume(RingConfig c) {
            super(c);
        }

        @Override
        public Optional<RingState> vmmConsumeResponse(RingState s) {
            if (s.vmmPc() != Pc.RUN || !s.iopmTrusted() || s.rspGot().size() >= s.nextId() - 1) return Optional.empty();
            var b = s.with();
            b.rspGot = RingState.appendHistory(s.rspGot(), s.rspRing().get(config().slot(s.rspCons())));
            b.rspCons = config().inc(s.rspCons());
            return Optional.of(b.build());
        }
    }

    private static int walk(Function<RingConfig, Ring> model, RingConfig c, long seed, int steps, int[] violations) {
        Ring ring = model.apply(c);
        RingInvariants inv = new RingInvariants(c);
        Random rnd = new Random(seed);
        RingState s = RingState.init(c);
        int checked = 0;
        for (int i = 0; i < steps; i++) {
            List<Ring.Step> next = new ArrayList<>(ring.successors(s));
            next.removeIf(st -> st.action() == RingAction.FINISHED);
            if (next.isEmpty()) break;
            RingState t = next.get(rnd.nextInt(next.size())).next();
            List<String> full = inv.violated(t);
            assertEquals(full, inv.violatedAfter(s, t), "step " + i + " of seed " + seed + " from " + s + " to " + t);
            checked++;
            if (!full.isEmpty()) {
                violations[0]++;
                break;              // a replay stops at the first violated state
            }
            s = t;
        }
        return checked;
    }

    @Test
    void theIncrementalCheckAgreesWithTheWholeCheckOnTheReferenceModel() {
        int[] v = {0};
        int steps = 0;
        for (long seed = 0; seed < 60; seed++) {         // about 140,000 steps
            steps += walk(Ring::new, new RingConfig(2, 4, 12, false), seed, 400, v);
            steps += walk(Ring::new, new RingConfig(16, RingConfig.U32, 200, true), seed, 2000, v);
        }
        assertTrue(steps > 10_000, "enough steps: " + steps);
    }

    @Test
    void itAgreesOnViolatingStepsToo() {
        int[] v = {0};
        for (long seed = 0; seed < 200; seed++) {
            walk(AlteredRings.OffByOneFull::new, new RingConfig(2, 4, 12, false), seed, 400, v);
            walk(StaleConsume::new, new RingConfig(4, 8, 12, false), seed, 400, v);
            walk(EagerConsume::new, new RingConfig(4, 8, 12, false), seed, 400, v);
        }
        assertTrue(v[0] > 100, "the planted bugs were reached: " + v[0] + " violating steps");
    }
}
