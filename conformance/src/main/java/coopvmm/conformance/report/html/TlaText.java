package coopvmm.conformance.report.html;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** A value as {@link coopvmm.conformance.tla.TlaValues} parses it, printed back as TLA+ (as TLC prints it). */
public final class TlaText {

    private TlaText() {
    }

    public static String show(Object v) {
        if (v == null) return "(none)";
        if (v instanceof Boolean b) return b ? "TRUE" : "FALSE";
        if (v instanceof String s) return "\"" + s + "\"";
        if (v instanceof List<?> l) {
            StringJoiner j = new StringJoiner(", ", "<<", ">>");
            for (Object x : l) j.add(show(x));
            return j.toString();
        }
        if (v instanceof Set<?> s) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            for (Object x : s) j.add(show(x));
            return j.toString();
        }
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) return "[]";
            if (isRecord(m)) {
                StringJoiner j = new StringJoiner(", ", "[", "]");
                m.forEach((k, x) -> j.add(k + " |-> " + show(x)));
                return j.toString();
            }
            StringJoiner j = new StringJoiner(" @@ ", "(", ")");
            m.forEach((k, x) -> j.add(show(k) + " :> " + show(x)));
            return j.toString();
        }
        return v.toString();
    }

    /** A function whose domain is identifiers: a record, its fields reached with a dot. */
    static boolean isRecord(Map<?, ?> m) {
        return !m.isEmpty() && m.keySet().stream().allMatch(k -> k instanceof String s && s.matches("[A-Za-z_][A-Za-z0-9_]*"));
    }
}
