package coopvmm.model.irq;

import java.util.Optional;

/**
 * Routing models with one planted bug each, shared by the stateful property tests here and
 * the spec-model agreement test in conformance (through model-java's test jar).
 */
public final class AlteredIrqs {

    private AlteredIrqs() {
    }

    /** {@code specs/mutants/IrqRouteToFailed.tla}: the fast path routes by the boot-time table. */
    public static final class RouteToFailed extends Irq {
        public RouteToFailed(IrqConfig c) {
            super(c);
        }

        @Override
        public Optional<IrqState> vmmRoute(IrqState s) {
            IrqId x = s.vmmIsr();
            int i = config().initRoute(x.dev()); // the bug: not s.route(x.dev())
            if (x.isNone() || i == 0) return Optional.empty();
            var b = s.with();
            b.pend = IrqState.set(s.pend(), i, coopvmm.model.Seqs.append(s.pend(i), x));
            b.vmmIsr = IrqId.NONE;
            return Optional.of(b.build());
        }
    }

}
