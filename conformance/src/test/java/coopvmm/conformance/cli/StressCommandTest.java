package coopvmm.conformance.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./coop stress ring}: the reference ring on two host threads holds whatever the host
 * does (any interleaving of a correct ring is a CoopRing behaviour, so the outcome does not
 * depend on the host's speed or load); bad options and an unknown mutant are usage errors.
 * The mutants' detection is a matter of time on real cores: it is measured by the command
 * (README, "Lock-free traces"), and the checks that catch them are shown on hand-made logs
 * (coopvmm.conformance.order tests).
 */
class StressCommandTest {

    @Test
    void theReferenceRingHoldsOnTwoHostThreads() {
        CliRunner.Result r = CliRunner.run("stress", "ring", "--seconds", "0.01", "--requests", "20000", "--stall-ms", "60000");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("1 passed, 0 failed"), r.out());
        assertTrue(r.out().matches("(?s).*\\s1\\s+20000\\s.*holds.*"), "a round of 20000 requests that holds: " + r.out());
    }

    /** In lockstep too: the rendezvous only picks which interleavings race, each one a CoopRing behaviour. */
    @Test
    void theReferenceRingHoldsInLockstep() {
        CliRunner.Result r = CliRunner.run("stress", "ring", "--lockstep", "--seconds", "0.01", "--requests", "20000",
                "--stall-ms", "60000");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("(in lockstep)") && r.out().contains("1 passed, 0 failed"), r.out());
    }

    @Test
    void anUnknownMutantIsAUsageError() {
        CliRunner.Result r = CliRunner.run("stress", "ring", "--mutant", "no-such-bug", "--seconds", "0.01");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("no-such-bug"), r.err());
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, CliRunner.run("stress", "ring", "--requests", "0").exit());
        assertEquals(2, CliRunner.run("stress", "boot").exit());
        assertEquals(0, CliRunner.run("stress", "--help").exit());
    }
}
