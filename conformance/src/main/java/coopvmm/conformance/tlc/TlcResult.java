package coopvmm.conformance.tlc;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one TLC run found, read from its output.
 *
 * @param verdict   the outcome
 * @param property  the property violated (invariant or property name), or null
 * @param message   the one-line description of the error, or null
 * @param generated states generated (-1 if TLC never said)
 * @param distinct  distinct states found (-1 if TLC never said)
 * @param depth     depth of the search (-1 if TLC never said)
 * @param seconds   wall time of the TLC process
 * @param trace     the counterexample, empty if none
 * @param loopTo    for a liveness counterexample: the step number the lasso returns to
 *                  ("Back to state k"), 0 if the trace ends stuttering, -1 if no lasso
 * @param rawOutput the file holding TLC's whole output
 * @param exitCode  TLC's own exit code
 */
public record TlcResult(Verdict verdict, String property, String message, long generated,
                        long distinct, int depth, double seconds, List<TraceStep> trace,
                        int loopTo, Path rawOutput, int exitCode) {

    public enum Verdict {
        HOLDS("holds"),
        INVARIANT_VIOLATED("invariant violated"),
        PROPERTY_VIOLATED("action property violated"),
        LIVENESS_VIOLATED("liveness violated"),
        DEADLOCK("deadlock"),
        PARSE_ERROR("parse error"),
        TLC_ERROR("TLC error");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** A property failed (exit 1), as opposed to a usage or parse problem (exit 2). */
        public boolean isViolation() {
            return this == INVARIANT_VIOLATED || this == PROPERTY_VIOLATED
                    || this == LIVENESS_VIOLATED || this == DEADLOCK;
        }
    }

    /** One state of a counterexample: the action that led to it and the variables. */
    public record TraceStep(int number, String action, Map<String, String> vars) {
    }

    public double statesPerSecond() {
        return seconds > 0 && generated >= 0 ? generated / seconds : 0;
    }

    /** This (timed-out) result, with whatever counts the partial output gave. */
    public TlcResult withPartialStats(TlcResult partial) {
        return new TlcResult(verdict, property, message, partial.generated, partial.distinct,
                partial.depth, seconds, trace, loopTo, rawOutput, exitCode);
    }

    public TlcResult withProperty(String p) {
        return new TlcResult(verdict, p, message, generated, distinct, depth, seconds, trace,
                loopTo, rawOutput, exitCode);
    }
}
