package coopvmm.model.ringtso;

import coopvmm.model.ringtso.TsoState.Store;

import java.util.List;

/**
 * TSO ring models with one planted bug each, for the tests that must show they can fail (the
 * spec-model agreement test in conformance uses them through model-java's test jar).
 */
public final class AlteredTso {

    private AlteredTso() {
    }

    /**
     * A full barrier that does not wait: {@code mb} is taken with stores still in the buffer
     * (as if ring_mb() compiled to a mere compiler barrier), while the config says it is there.
     */
    public static final class FenceThatDoesNotWait extends Tso {
        private final Fence broken;

        public FenceThatDoesNotWait(TsoConfig c, Fence broken) {
            super(c);
            this.broken = broken;
        }

        @Override
        protected boolean fencePasses(Fence f, List<Store> buf) {
            return f == broken || super.fencePasses(f, buf);
        }
    }
}
