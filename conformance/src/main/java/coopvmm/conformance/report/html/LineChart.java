package coopvmm.conformance.report.html;

import java.util.List;

import static coopvmm.conformance.report.html.Html.esc;
import static coopvmm.conformance.report.html.Html.num;

/** Lines over time (requests answered per channel), with shaded windows (a failover). */
public final class LineChart {

    public record Series(String name, double[] x, double[] y) {
    }

    public record Band(String label, double from, double to) {
    }

    private LineChart() {
    }

    public static String svg(String id, String title, String xLabel, String yLabel, List<Series> series, List<Band> bands) {
        double x0 = 0, x1 = 0, y1 = 0;
        int points = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                x1 = Math.max(x1, s.x()[i]);
                y1 = Math.max(y1, s.y()[i]);
                points++;
            }
        }
        for (Band band : bands) x1 = Math.max(x1, band.to());
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= 0) y1 = 1;
        StringBuilder b = new StringBuilder();
        Chart.open(b, "linechart", id, title, Chart.H, " data-points=\"" + points + "\" data-bands=\"" + bands.size() + "\"");
        for (Band band : bands) {
            double a = Chart.sx(band.from(), x0, x1), z = Chart.sx(band.to(), x0, x1);
            b.append("<rect class=\"band failover\" x=\"").append(num(a)).append("\" y=\"").append(Chart.TOP).append("\" width=\"")
                    .append(num(Math.max(2, z - a))).append("\" height=\"").append(num(Chart.plotH()))
                    .append("\" fill=\"#d62728\" fill-opacity=\"0.15\"><title>").append(esc(band.label())).append("</title></rect>")
                    .append("<text x=\"").append(num(a + 3)).append("\" y=\"").append(Chart.TOP + 12)
                    .append("\" fill=\"#b31d28\">").append(esc(band.label())).append("</text>\n");
        }
        Chart.axes(b, x0, x1, 0, y1, xLabel, yLabel);
        for (int s = 0; s < series.size(); s++) {
            Series sr = series.get(s);
            if (sr.x().length == 0) continue;
            // A step line: a count stays where it is until the next event raises it.
            StringBuilder pts = new StringBuilder();
            double prevY = Chart.sy(0, 0, y1);
            pts.append(num(Chart.sx(x0, x0, x1))).append(',').append(num(prevY));
            for (int i = 0; i < sr.x().length; i++) {
                double x = Chart.sx(sr.x()[i], x0, x1), y = Chart.sy(sr.y()[i], 0, y1);
                pts.append(' ').append(num(x)).append(',').append(num(prevY)).append(' ').append(num(x)).append(',').append(num(y));
                prevY = y;
            }
            b.append("<polyline class=\"series\" data-series=\"").append(esc(sr.name())).append("\" points=\"").append(pts)
                    .append("\" fill=\"none\" stroke=\"").append(Chart.colour(s)).append("\" stroke-width=\"1.6\"><title>")
                    .append(esc(sr.name())).append(": ").append(Chart.label(sr.y()[sr.y().length - 1])).append(' ').append(esc(yLabel))
                    .append("</title></polyline>\n");
        }
        Chart.legend(b, series.stream().map(Series::name).toArray(String[]::new));
        b.append("</svg>\n");
        return b.toString();
    }
}
