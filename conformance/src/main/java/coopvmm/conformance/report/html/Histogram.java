package coopvmm.conformance.report.html;

import java.util.Map;

import static coopvmm.conformance.report.html.Html.esc;
import static coopvmm.conformance.report.html.Html.num;

/** A histogram of one or more series of values (interrupt latencies), bars of a series side by side in each bin. */
public final class Histogram {

    static final int BINS = 24;

    private Histogram() {
    }

    /** {@code series}: name to values, all in {@code unit}; the empty series are left out. */
    public static String svg(String id, String title, String unit, Map<String, double[]> series) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        int n = 0;
        for (double[] v : series.values()) {
            for (double x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
                n++;
            }
        }
        StringBuilder b = new StringBuilder();
        Chart.open(b, "histogram", id, title, Chart.H, " data-values=\"" + n + "\"");
        if (n == 0) {
            b.append("<text x=\"").append(Chart.LEFT).append("\" y=\"60\">no values</text></svg>\n");
            return b.toString();
        }
        // Bins of a round width from a round start: 12.5 us bins read better than 11.83 us ones.
        double width = Chart.step(Math.max(hi - lo, 1e-9), BINS);
        double start = Math.floor(lo / width) * width;
        int bins = (int) Math.min(200, Math.floor((hi - start) / width) + 1);
        double end = start + bins * width;
        String[] names = series.entrySet().stream().filter(e -> e.getValue().length > 0).map(Map.Entry::getKey).toArray(String[]::new);
        int[][] counts = new int[names.length][bins];
        int max = 1;
        for (int s = 0; s < names.length; s++) {
            for (double x : series.get(names[s])) {
                int i = (int) Math.min(bins - 1, Math.floor((x - start) / width));
                max = Math.max(max, ++counts[s][i]);
            }
        }
        Chart.axes(b, start, end, 0, max, unit, "count");
        double bw = Chart.plotW() / bins;
        for (int s = 0; s < names.length; s++) {
            b.append("<g class=\"series\" data-series=\"").append(esc(names[s])).append("\" fill=\"").append(Chart.colour(s)).append("\">");
            for (int i = 0; i < bins; i++) {
                if (counts[s][i] == 0) continue;
                double x = Chart.LEFT + i * bw + 1 + s * (bw - 2) / names.length, y = Chart.sy(counts[s][i], 0, max);
                b.append("<rect class=\"bar\" x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                        .append(num(Math.max(1, (bw - 2) / names.length))).append("\" height=\"")
                        .append(num(Chart.TOP + Chart.plotH() - y)).append("\"><title>").append(esc(names[s])).append(": ")
                        .append(counts[s][i]).append(" in [").append(Chart.label(start + i * width)).append(", ")
                        .append(Chart.label(start + (i + 1) * width)).append(") ").append(esc(unit)).append("</title></rect>");
            }
            b.append("</g>\n");
        }
        Chart.legend(b, names);
        b.append("</svg>\n");
        return b.toString();
    }
}
