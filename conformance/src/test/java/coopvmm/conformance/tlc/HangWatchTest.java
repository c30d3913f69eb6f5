package coopvmm.conformance.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The hang detector of child TLCs: a child that uses no CPU is hung; one that ends has ended. */
class HangWatchTest {

    @Test
    void aChildThatSleepsIsHung() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            assertEquals(HangWatch.Outcome.HUNG, HangWatch.await(p, 30, 2));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aChildThatEndsHasEnded() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertEquals(HangWatch.Outcome.ENDED, HangWatch.await(p, 30, 2));
    }

    @Test
    void theTimeBoundComesFirstWhenItIsShorter() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            assertEquals(HangWatch.Outcome.TIMED_OUT, HangWatch.await(p, 1, 20));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
