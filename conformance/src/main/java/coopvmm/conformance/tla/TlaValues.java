package coopvmm.conformance.tla;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the TLA+ values TLC prints (integers, strings, booleans, sequences {@code <<..>>},
 * functions {@code (0 :> a @@ 1 :> b)}, records {@code [f |-> v]}, sets {@code {..}}) into
 * plain Java: Long, String, Boolean, List, Map, Set. A sequence and a function with domain
 * 1..n are the same TLA+ value; both come out as a List here.
 */
public final class TlaValues {

    private final String s;
    private int i;

    private TlaValues(String s) {
        this.s = s;
    }

    /** Parses one value; throws IllegalArgumentException naming the column on bad input. */
    public static Object parse(String text) {
        TlaValues p = new TlaValues(text);
        Object v = p.value();
        p.ws();
        if (p.i != p.s.length()) throw p.error("trailing text");
        return v;
    }

    /**
     * Parses a TLC state, lines of {@code /\ var = value} (a value may span lines), into
     * variable -> value, in the order printed.
     */
    public static Map<String, Object> parseState(String text) {
        Map<String, Object> vars = new LinkedHashMap<>();
        String body = text.strip();
        if (!body.startsWith("/\\")) {
            // A single variable is printed without the conjunction bullet.
            int eq = body.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("not a state: " + abbreviate(body));
            vars.put(body.substring(0, eq).strip(), parse(body.substring(eq + 1)));
            return vars;
        }
        for (String conj : body.substring(2).split("\n?/\\\\ ")) {
            int eq = conj.indexOf(" = ");
            if (eq < 0) throw new IllegalArgumentException("not a variable binding: " + abbreviate(conj));
            vars.put(conj.substring(0, eq).strip(), parse(conj.substring(eq + 3)));
        }
        return vars;
    }

    private static String abbreviate(String t) {
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }

    private Object value() {
        ws();
        if (i >= s.length()) throw error("value expected");
        char c = s.charAt(i);
        if (c == '"') return string();
        if (c == '<' && s.startsWith("<<", i)) return sequence();
        if (c == '(') return function();
        if (c == '[') return record();
        if (c == '{') return set();
        if (c == '-' || Character.isDigit(c)) return number();
        if (s.startsWith("TRUE", i)) { i += 4; return Boolean.TRUE; }
        if (s.startsWith("FALSE", i)) { i += 5; return Boolean.FALSE; }
        throw error("unexpected '" + c + "'");
    }

    private String string() {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
            if (s.charAt(i) == '\\' && i + 1 < s.length()) i++;
            b.append(s.charAt(i++));
        }
        expect("\"");
        return b.toString();
    }

    private Long number() {
        int start = i;
        if (s.charAt(i) == '-') i++;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        try {
            return Long.parseLong(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw error("bad number");
        }
    }

    private List<Object> sequence() {
        i += 2;
        List<Object> out = new ArrayList<>();
        ws();
        if (s.startsWith(">>", i)) { i += 2; return out; }
        while (true) {
            out.add(value());
            ws();
            if (s.startsWith(">>", i)) { i += 2; return out; }
            expect(",");
        }
    }

    /** {@code (k1 :> v1 @@ k2 :> v2)}; a function with domain 1..n becomes a List. */
    private Object function() {
        i++;
        Map<Object, Object> out = new LinkedHashMap<>();
        while (true) {
            Object k = value();
            ws();
            expect(":>");
            out.put(k, value());
            ws();
            if (peek(')')) { i++; break; }
            expect("@@");
        }
        return out;
    }

    private Map<Object, Object> record() {
        i++;
        Map<Object, Object> out = new LinkedHashMap<>();
        ws();
        if (peek(']')) { i++; return out; }
        while (true) {
            ws();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            String field = s.substring(start, i);
            ws();
            expect("|->");
            out.put(field, value());
            ws();
            if (peek(']')) { i++; return out; }
            expect(",");
        }
    }

    private Set<Object> set() {
        i++;
        Set<Object> out = new LinkedHashSet<>();
        ws();
        if (peek('}')) { i++; return out; }
        while (true) {
            out.add(value());
            ws();
            if (peek('}')) { i++; return out; }
            expect(",");
        }
    }

    private boolean peek(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private void expect(String t) {
        ws();
        if (!s.startsWith(t, i)) throw error("'" + t + "' expected");
        i += t.length();
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("TLA+ value, column " + (i + 1) + ": " + what
                + " in: " + abbreviate(s));
    }
}
