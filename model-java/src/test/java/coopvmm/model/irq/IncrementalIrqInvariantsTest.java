package coopvmm.model.irq;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IrqInvariants#violatedAfter} (O(1) per step in the run's length, what the routing
 * replay uses) gives the same verdict as {@link IrqInvariants#violated} (every invariant over
 * the whole state) on every step out of a good state: on random walks of the model, and of
 * models with planted bugs, one per invariant on the history, so that the violating steps are
 * covered too.
 */
class IncrementalIrqInvariantsTest {

    /** The IOPM handles its interrupt but leaves it pending: it takes it again (HandledAtMostOnce). */
    static final class HandleTwice extends Irq {
        HandleTwice(IrqConfig c) {
            super(c);
        }

        @Override
        public Optional<IrqState> iopmHandle(IrqState s, int i) {
            return super.iopmHandle(s, i).map(t -> {
                var b = t.with();
                b.pend = s.pend();
                return b.build();
            });
        }
    }

    /** The VMM accepts the IOAPIC's newest interrupt, not its oldest (PerDeviceOrder, and nothing else first). */
    static final class AcceptNewest extends Irq {
        AcceptNewest(IrqConfig c) {
            super(c);
        }

        @Override
        public Optional<IrqState> vmmAccept(IrqState s) {
            return super.vmmAccept(s).map(t -> {
                int n = s.ioapic().size();
                var b = t.with();
                b.vmmIsr = s.ioapic().get(n - 1);
                b.ioapic = s.ioapic().subList(0, n - 1);
                return b.build();
            });
        }
    }

    /** The VMM's driver records the device's next interrupt, not the one it took (HandledWereRaised). */
    static final class HandleAhead extends Irq {
        HandleAhead(IrqConfig c) {
            super(c);
        }

        @Override
        public Optional<IrqState> vmmHandle(IrqState s) {
            return super.vmmHandle(s).map(t -> {
                var b = t.with();
                IrqId x = s.vmmIsr();
                b.done = IrqState.handled(s.done(), x.dev(), s.raised(x.dev()) + 1);
                return b.build();
            });
        }
    }

    private static int walk(Function<IrqConfig, Irq> model, IrqConfig c, long seed, int steps, int[] violations) {
        Irq irq = model.apply(c);
        IrqInvariants inv = new IrqInvariants(c);
        Random rnd = new Random(seed);
        IrqState s = IrqState.init(c);
        int checked = 0;
        for (int i = 0; i < steps; i++) {
            List<Irq.Step> next = irq.successors(s);
            if (next.isEmpty()) break;
            IrqState t = next.get(rnd.nextInt(next.size())).next();
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
        for (long seed = 0; seed < 20; seed++) {
            steps += walk(Irq::new, IrqConfig.deep(), seed, 400, v);
            steps += walk(Irq::new, new IrqConfig(4, 1, 3, 150, 20, 2, 2), seed, 1500, v);
        }
        assertEquals(0, v[0], "the reference model violates nothing");
        assertTrue(steps > 10_000, "enough steps: " + steps);
    }

    @Test
    void itAgreesOnViolatingStepsToo() {
        List<Function<IrqConfig, Irq>> bugs = List.of(HandleTwice::new, AcceptNewest::new,
                IrqStatefulTest.LosePendingIrq::new,   // a failover drops the failed IOPM's pending list: NoLostInterrupt
                HandleAhead::new, AlteredIrqs.RouteToFailed::new);
        for (Function<IrqConfig, Irq> bug : bugs) {
            int[] v = {0};
            for (long seed = 0; seed < 60; seed++) {
                walk(bug, IrqConfig.deep(), seed, 400, v);
                walk(bug, new IrqConfig(4, 1, 3, 60, 10, 2, 2), seed, 600, v);
            }
            assertTrue(v[0] > 20, "the planted bug " + bug.apply(IrqConfig.small()).getClass().getSimpleName()
                    + " was reached: " + v[0] + " violating steps");
        }
    }
}
