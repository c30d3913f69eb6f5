package coopvmm.conformance.report.html;

import java.util.List;

import static coopvmm.conformance.report.html.Html.esc;
import static coopvmm.conformance.report.html.Html.num;

/** Horizontal bars, one per label (boot to ready per IOPM). */
public final class BarChart {

    static final int BAR = 18, LABEL_W = 190, TOP = 30;

    private BarChart() {
    }

    public static String svg(String id, String title, String unit, List<String> labels, double[] values) {
        double max = 0;
        for (double v : values) max = Math.max(max, v);
        if (max <= 0) max = 1;
        int h = TOP + labels.size() * (BAR + 4) + 12;
        StringBuilder b = new StringBuilder();
        Chart.open(b, "barchart", id, title, h, " data-bars=\"" + labels.size() + "\"");
        double left = LABEL_W, right = Chart.W - 70;
        for (int i = 0; i < labels.size(); i++) {
            double y = TOP + i * (BAR + 4), w = (right - left) * values[i] / max;
            b.append("<g class=\"bar\" data-label=\"").append(esc(labels.get(i))).append("\"><text x=\"").append(num(left - 6))
                    .append("\" y=\"").append(num(y + 13)).append("\" text-anchor=\"end\">").append(esc(labels.get(i)))
                    .append("</text><rect x=\"").append(num(left)).append("\" y=\"").append(num(y)).append("\" width=\"")
                    .append(num(Math.max(1, w))).append("\" height=\"").append(BAR).append("\" fill=\"").append(Chart.colour(0))
                    .append("\"/><text x=\"").append(num(left + w + 4)).append("\" y=\"").append(num(y + 13)).append("\">")
                    .append(esc(Chart.label(values[i]) + " " + unit)).append("</text></g>\n");
        }
        b.append("</svg>\n");
        return b.toString();
    }
}
