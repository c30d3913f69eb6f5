package coopvmm.conformance.tlc;

import coopvmm.conformance.tlc.TlcResult.TraceStep;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/** Prints a counterexample as numbered steps: the action, then only what it changed. */
public final class CounterexamplePrinter {

    private CounterexamplePrinter() {
    }

    public static void print(TlcResult r, PrintStream out) {
        if (r.trace().isEmpty()) return;
        Map<String, String> prev = null;
        for (TraceStep step : r.trace()) {
            out.printf("  %3d. %s%n", step.number(), step.action());
            for (var e : step.vars().entrySet()) {
                String before = prev == null ? null : prev.get(e.getKey());
                if (prev == null) {
                    out.printf("         %s = %s%n", e.getKey(), e.getValue());
                } else if (!Objects.equals(before, e.getValue())) {
                    out.printf("         %s: %s -> %s%n", e.getKey(), before, e.getValue());
                }
            }
            prev = step.vars();
        }
        if (r.loopTo() > 0) {
            out.printf("       then back to step %d: the behaviour repeats forever%n", r.loopTo());
        } else if (r.loopTo() == 0) {
            out.printf("       then stutters forever%n");
        }
    }
}
