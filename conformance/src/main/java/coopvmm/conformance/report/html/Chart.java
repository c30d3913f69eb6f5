package coopvmm.conformance.report.html;

import static coopvmm.conformance.report.html.Html.esc;
import static coopvmm.conformance.report.html.Html.num;

/** What every chart shares: its frame, axes with round ticks, a legend, the series colours. */
final class Chart {

    static final int W = 640, H = 260, LEFT = 64, RIGHT = 16, TOP = 44, BOTTOM = 44;
    static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

    private Chart() {
    }

    static double plotW() {
        return W - LEFT - RIGHT;
    }

    static double plotH() {
        return H - TOP - BOTTOM;
    }

    /** The opening tag, title and frame; {@code kind} is its class (histogram, linechart, barchart). */
    static void open(StringBuilder b, String kind, String id, String title, int height, String data) {
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ").append(kind).append("\" id=\"")
                .append(Html.ident(id)).append("\" width=\"").append(W).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(height)
                .append("\" font-family=\"system-ui, sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"").append(esc(title))
                .append('"').append(data).append(">\n<title>").append(esc(title)).append("</title>\n")
                .append("<text class=\"chart-title\" x=\"").append(LEFT).append("\" y=\"18\" font-size=\"13\" font-weight=\"bold\">")
                .append(esc(title)).append("</text>\n");
    }

    /** Both axes, ticks at round values, and their labels. */
    static void axes(StringBuilder b, double x0, double x1, double y0, double y1, String xLabel, String yLabel) {
        double bottom = TOP + plotH();
        b.append("<g class=\"axes\" stroke=\"#57606a\"><line x1=\"").append(LEFT).append("\" y1=\"").append(num(bottom))
                .append("\" x2=\"").append(num(LEFT + plotW())).append("\" y2=\"").append(num(bottom)).append("\"/><line x1=\"")
                .append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT).append("\" y2=\"").append(num(bottom))
                .append("\"/></g>\n<g class=\"ticks\" fill=\"#57606a\">");
        double xs = step(x1 - x0, 6);
        for (double v = Math.ceil(x0 / xs) * xs; v <= x1 + xs * 1e-9; v += xs) {
            double x = sx(v, x0, x1);
            b.append("<line x1=\"").append(num(x)).append("\" y1=\"").append(num(bottom)).append("\" x2=\"").append(num(x))
                    .append("\" y2=\"").append(num(bottom + 4)).append("\" stroke=\"#57606a\"/><text x=\"").append(num(x))
                    .append("\" y=\"").append(num(bottom + 16)).append("\" text-anchor=\"middle\">").append(esc(label(v))).append("</text>");
        }
        double ys = step(y1 - y0, 5);
        for (double v = Math.ceil(y0 / ys) * ys; v <= y1 + ys * 1e-9; v += ys) {
            double y = sy(v, y0, y1);
            b.append("<line x1=\"").append(LEFT - 4).append("\" y1=\"").append(num(y)).append("\" x2=\"").append(num(LEFT + plotW()))
                    .append("\" y2=\"").append(num(y)).append("\" stroke=\"#d0d7de\"/><text x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(num(y + 4)).append("\" text-anchor=\"end\">").append(esc(label(v))).append("</text>");
        }
        b.append("</g>\n<text class=\"x-label\" x=\"").append(num(LEFT + plotW() / 2)).append("\" y=\"").append(H - 6)
                .append("\" text-anchor=\"middle\">").append(esc(xLabel)).append("</text>\n<text class=\"y-label\" x=\"12\" y=\"")
                .append(num(TOP + plotH() / 2)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
                .append(num(TOP + plotH() / 2)).append(")\">").append(esc(yLabel)).append("</text>\n");
    }

    static void legend(StringBuilder b, String[] names) {
        double x = LEFT + plotW();
        for (int i = names.length - 1; i >= 0; i--) {
            x -= names[i].length() * 6.2 + 26;
            // Under the title, right-aligned: a long title never runs into it.
            b.append("<g class=\"legend\"><rect x=\"").append(num(x)).append("\" y=\"24\" width=\"10\" height=\"10\" fill=\"")
                    .append(colour(i)).append("\"/><text x=\"").append(num(x + 14)).append("\" y=\"33\">").append(esc(names[i]))
                    .append("</text></g>");
        }
        b.append('\n');
    }

    static String colour(int i) {
        return COLOURS[Math.floorMod(i, COLOURS.length)];
    }

    static double sx(double v, double x0, double x1) {
        return LEFT + (x1 == x0 ? 0 : (v - x0) / (x1 - x0) * plotW());
    }

    static double sy(double v, double y0, double y1) {
        return TOP + plotH() - (y1 == y0 ? 0 : (v - y0) / (y1 - y0) * plotH());
    }

    /** A round step (1, 2 or 5 times a power of ten) giving about {@code n} ticks over {@code range}. */
    static double step(double range, int n) {
        if (!(range > 0)) return 1;
        double raw = range / n, p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    /** A tick label: short (12k, 3.5M) so the axis stays readable. */
    static String label(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) return num(v / 1e9) + "G";
        if (a >= 1e6) return num(Math.round(v / 1e5) / 10.0) + "M";
        if (a >= 1e4) return num(Math.round(v / 1e2) / 10.0) + "k";
        return num(Math.round(v * 100) / 100.0);
    }
}
