package coopvmm.conformance.report.html;

import java.util.Locale;

/** Escaping and number formatting shared by the pages and their SVG: every text goes through {@link #esc}. */
public final class Html {

    private Html() {
    }

    /**
     * Text or an attribute value, escaped for HTML and for SVG inline in it. Control characters
     * (a trace or a TLC message may carry any byte) become U+FFFD: XML 1.0 cannot hold them.
     */
    public static String esc(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /** A coordinate or size, one decimal at most, never a locale's comma. */
    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A count with thousands separators, "-" for unknown (negative). */
    public static String count(long n) {
        return n < 0 ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f", s);
    }

    /** A value for an id or a class: letters, digits and '-' only. */
    public static String ident(String s) {
        String t = s.replaceAll("[^A-Za-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        return t.isEmpty() ? "x" : t;
    }

    /** At most {@code max} characters, the cut said. */
    public static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + " \u2026 (" + (s.length() - max) + " more characters)";
    }
}
