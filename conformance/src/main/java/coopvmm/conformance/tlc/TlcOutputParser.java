package coopvmm.conformance.tlc;

import coopvmm.conformance.tlc.TlcResult.TraceStep;
import coopvmm.conformance.tlc.TlcResult.Verdict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads TLC's plain text output (TLC 2.18) into a {@link TlcResult}. */
public final class TlcOutputParser {

    private static final Pattern INVARIANT = Pattern.compile("^Error: Invariant (\\w+) is violated");
    private static final Pattern ACTION_PROPERTY = Pattern.compile("^Error: Action property (\\w+) is violated");
    private static final Pattern STATS = Pattern.compile(
            "([\\d,]+) states generated, ([\\d,]+) distinct states found");
    private static final Pattern DEPTH = Pattern.compile("depth of the complete state graph search is (\\d+)");
    private static final Pattern STATE = Pattern.compile("^State (\\d+): (.*)$");
    private static final Pattern BACK_TO = Pattern.compile("^Back to state (\\d+)");
    private static final Pattern ACTION_NAME = Pattern.compile("^<(\\w+)");
    /** Simulation mode's count: it prints no distinct states, only the states it checked. */
    private static final Pattern SIM_PROGRESS = Pattern.compile("^Progress: ([\\d,]+) states checked");
    private static final Pattern PARSE_AT = Pattern.compile("at line (\\d+), column (\\d+)");
    private static final Pattern SEMANTIC_AT = Pattern.compile(
            "^line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)");
    private static final Pattern PARSING_FILE = Pattern.compile("^Parsing file (.*)$");

    private TlcOutputParser() {
    }

    public static TlcResult parse(String out, double seconds, Path raw, int exitCode) {
        String[] lines = out.split("\r?\n");
        Verdict verdict = null;
        String property = null;
        String message = null;
        long generated = -1, distinct = -1;
        int depth = -1;
        int loopTo = -1;
        List<TraceStep> trace = new ArrayList<>();
        String currentFile = null;
        boolean behaviour = false;     // a counterexample was printed

        for (int k = 0; k < lines.length; k++) {
            String line = lines[k];
            Matcher m;
            if ((m = PARSING_FILE.matcher(line)).find()) currentFile = m.group(1);
            if ((m = INVARIANT.matcher(line)).find()) {
                verdict = Verdict.INVARIANT_VIOLATED;
                property = m.group(1);
                message = "invariant " + property + " is violated";
            } else if ((m = ACTION_PROPERTY.matcher(line)).find()) {
                verdict = Verdict.PROPERTY_VIOLATED;
                property = m.group(1);
                message = "action property " + property + " is violated";
            } else if (line.startsWith("Error: Temporal properties were violated")) {
                verdict = Verdict.LIVENESS_VIOLATED;
                message = "temporal properties were violated";
            } else if (line.startsWith("Error: Deadlock reached")) {
                verdict = Verdict.DEADLOCK;
                property = "Deadlock";
                message = "deadlock reached";
            } else if (line.startsWith("***Parse Error***")) {
                verdict = Verdict.PARSE_ERROR;
                message = parseErrorMessage(lines, k, currentFile);
            } else if (line.startsWith("*** Errors:") && verdict == null) {
                verdict = Verdict.PARSE_ERROR;
                message = semanticErrorMessage(lines, k);
            } else if ((m = STATS.matcher(line)).find()) {
                generated = Long.parseLong(m.group(1).replace(",", ""));
                distinct = Long.parseLong(m.group(2).replace(",", ""));
            } else if ((m = SIM_PROGRESS.matcher(line)).find()) {
                generated = Long.parseLong(m.group(1).replace(",", ""));
            } else if ((m = DEPTH.matcher(line)).find()) {
                depth = Integer.parseInt(m.group(1));
            } else if ((m = STATE.matcher(line)).find()) {
                k = readState(lines, k, Integer.parseInt(m.group(1)), actionOf(m.group(2)), trace);
            } else if ((m = BACK_TO.matcher(line)).find()) {
                loopTo = Integer.parseInt(m.group(1));
            } else if (line.matches("^State \\d+: Stuttering.*") || line.contains(": Stuttering")) {
                loopTo = 0;
            } else if (line.startsWith("Error: The behavior up to this point is:")) {
                behaviour = true;
            } else if (verdict == null && !behaviour && line.startsWith("Error:")
                    && !line.startsWith("Error: The following")) {
                // (after a counterexample, an error is TLC's own trouble finishing: distributed
                // TLC's server can throw while its workers re-register; the verdict is the trace)
                verdict = Verdict.TLC_ERROR;
                message = line.substring("Error:".length()).strip();
                if (k + 1 < lines.length && !lines[k + 1].isBlank())
                    message = message + " " + lines[k + 1].strip();
            }
        }
        if (verdict == null && out.contains("Error: The behavior up to this point is:")) {
            // TLC's distributed server prints the counterexample but not which invariant it breaks
            verdict = Verdict.INVARIANT_VIOLATED;
            message = "a safety violation (distributed TLC does not name the invariant: check without --distributed to name it)";
        }
        if (verdict == null) {
            // a simulation that ends without an error has no "completed" line: its exit code says it
            boolean completed = out.contains("Model checking completed. No error has been found.")
                    || (exitCode == 0 && out.contains("Running Random Simulation") && out.contains("Finished in"));
            verdict = completed ? Verdict.HOLDS : Verdict.TLC_ERROR;
            if (!completed) message = "TLC ended (exit " + exitCode + ") without a verdict";
        }
        if (verdict == Verdict.PARSE_ERROR && message == null) message = "parse error";
        if (verdict == Verdict.TLC_ERROR && out.contains("Parsing or semantic analysis failed")) {
            verdict = Verdict.PARSE_ERROR;
        }
        return new TlcResult(verdict, property, message, generated, distinct, depth, seconds,
                List.copyOf(trace), loopTo, raw, exitCode);
    }

    private static String actionOf(String header) {
        if (header.startsWith("<Initial predicate>")) return "Init";
        Matcher m = ACTION_NAME.matcher(header);
        return m.find() ? m.group(1) : header.strip();
    }

    /** Reads the {@code /\ var = value} lines after a "State n:" header. */
    private static int readState(String[] lines, int k, int number, String action, List<TraceStep> out) {
        Map<String, String> vars = new LinkedHashMap<>();
        String var = null;
        StringBuilder val = null;
        int j = k + 1;
        for (; j < lines.length && !lines[j].isBlank(); j++) {
            String l = lines[j];
            if (l.startsWith("/\\ ")) {
                if (var != null) vars.put(var, val.toString().strip());
                int eq = l.indexOf(" = ");
                var = l.substring(3, eq).strip();
                val = new StringBuilder(l.substring(eq + 3));
            } else if (var == null && l.contains(" = ")) {
                int eq = l.indexOf(" = ");
                var = l.substring(0, eq).strip();
                val = new StringBuilder(l.substring(eq + 3));
            } else if (val != null) {
                val.append(' ').append(l.strip());
            }
        }
        if (var != null) vars.put(var, val.toString().strip());
        out.add(new TraceStep(number, action, vars));
        return j;
    }

    private static String parseErrorMessage(String[] lines, int k, String file) {
        String expecting = null, at = null;
        int line = -1, col = -1;
        for (int j = k + 1; j < Math.min(lines.length, k + 12); j++) {
            String l = lines[j].strip();
            if (l.startsWith("Was expecting") && expecting == null) expecting = l;
            Matcher m = PARSE_AT.matcher(l);
            if (m.find() && line < 0) {
                line = Integer.parseInt(m.group(1));
                col = Integer.parseInt(m.group(2));
                at = l.substring(0, m.start()).strip();
            }
        }
        String where = (file == null ? "?" : file) + ":" + (line < 0 ? "?" : line + ":" + col);
        StringBuilder msg = new StringBuilder(where).append(": parse error");
        if (at != null && !at.isEmpty()) msg.append(": ").append(at);
        if (expecting != null) msg.append("; ").append(Character.toLowerCase(expecting.charAt(0)))
                .append(expecting.substring(1));
        return msg.toString();
    }

    private static String semanticErrorMessage(String[] lines, int k) {
        for (int j = k + 1; j < Math.min(lines.length, k + 10); j++) {
            Matcher m = SEMANTIC_AT.matcher(lines[j].strip());
            if (m.find()) {
                String what = "";
                for (int t = j + 1; t < Math.min(lines.length, j + 5); t++) {
                    if (!lines[t].isBlank()) { what = lines[t].strip(); break; }
                }
                return m.group(3) + ".tla:" + m.group(1) + ":" + m.group(2) + ": " + what;
            }
        }
        return "semantic error";
    }
}
