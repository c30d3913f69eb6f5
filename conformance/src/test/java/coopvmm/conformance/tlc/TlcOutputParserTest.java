package coopvmm.conformance.tlc;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verdicts read from TLC's output. Distributed TLC prints a counterexample without naming the
 * invariant, and its server may then throw while the workers re-register (a NullPointerException
 * seen in CI on OffByOneFull): the verdict is the violation, not a TLC error. An exception with
 * no counterexample before it stays a TLC error.
 */
class TlcOutputParserTest {

    private static final String TRACE = """
            TLC server at vm is ready (2026-12-01 17:46:21)
            Error: The behavior up to this point is:
            State 1: <Initial predicate>
            /\\ reqPvt = 2

            State 2: <BuggyVmmWriteRequest line 11, col 5 to line 19, col 74 of module OffByOneFull>
            /\\ reqPvt = 3

            """;

    private static final String NPE = """
            Error: TLC threw an unexpected exception.
            This was probably caused by an error in the spec or model.
            The exception was a java.lang.NullPointerException
            : Cannot read the array length because "this.states" is null
            vm, work completed. Thank you!
            """;

    @Test
    void anExceptionAfterADistributedCounterexampleIsStillTheViolation() {
        TlcResult r = TlcOutputParser.parse(TRACE + NPE, 1.0, Path.of("x.out"), 0);
        assertEquals(TlcResult.Verdict.INVARIANT_VIOLATED, r.verdict(), r.toString());
        assertTrue(r.message().contains("safety violation"), r.message());
    }

    @Test
    void anExceptionWithNoCounterexampleIsATlcError() {
        TlcResult r = TlcOutputParser.parse("TLC server at vm is ready\n" + NPE, 1.0, Path.of("x.out"), 0);
        assertEquals(TlcResult.Verdict.TLC_ERROR, r.verdict(), r.toString());
    }
}
