package coopvmm.conformance.trace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up's bundled trace still conforms: a format change that broke it would warm the wrong paths. */
class ReplayWarmUpTest {

    @Test
    void theBundledTraceConforms() throws Exception {
        assertTrue(ReplayWarmUp.conforms());
    }

    @Test
    void itStopsWhenClosedAndWarmsOncePerJvm() throws Exception {
        ReplayWarmUp first = ReplayWarmUp.startAnyway(60_000);
        first.close();
        assertTrue(first.describe().matches("\\d+ passes, [\\d,]+ events in [\\d.]+ s"), first.describe());
        ReplayWarmUp.start(60_000).close();
        ReplayWarmUp again = ReplayWarmUp.start(60_000);
        again.close();
        assertTrue(again.describe().isEmpty(), "a second start in the same JVM does nothing");
    }
}
