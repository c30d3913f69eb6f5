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
    void itReplaysTheTraceForItsBudgetAndOncePerJvm() throws Exception {
        ReplayWarmUp.Done d = ReplayWarmUp.run(300);
        assertTrue(d.passes() >= 1 && d.events() >= d.passes(), d.describe());
        assertTrue(d.describe().matches("\\d+ passes, [\\d,]+ events in [\\d.]+ s \\(last pass [\\d,]+ events/s\\)"),
                d.describe());
        ReplayWarmUp.once(300);
        assertTrue(ReplayWarmUp.once(300).isEmpty(), "a second warm-up in the same JVM does nothing");
    }
}
