package coopvmm.conformance.report.html;

import coopvmm.conformance.report.html.LaneDiagram.Arrow;
import coopvmm.conformance.report.html.LaneDiagram.Row;

import static coopvmm.conformance.report.html.Html.esc;
import static coopvmm.conformance.report.html.Html.num;

/**
 * Draws a {@link LaneDiagram} as hand-written SVG: deterministic (the same diagram, the same
 * bytes), self-contained (colours as attributes, so the SVG reads the same copied out of the
 * page), and every mark a {@code <g class="mark ...">} with its {@code data-*} attributes, so a
 * test can find the divergent one.
 */
public final class LaneSvg {

    static final int GUTTER = 64, HEADER = 40, ROW = 24, MIN_LANE = 150, MAX_LANE = 330, LABEL_CHARS = 44;
    static final double CHAR = 6.9;
    static final String FOCUS = "#d62728";
    private static final String[] COLOURS = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"};
    static final String ENV = "#7f7f7f";

    private LaneSvg() {
    }

    public static String render(LaneDiagram d) {
        int n = d.lanes().size();
        double[] x0 = new double[n + 1];
        x0[0] = GUTTER;
        for (int l = 0; l < n; l++) x0[l + 1] = x0[l] + width(d, l);
        double w = x0[n] + 16, h = HEADER + d.rows().size() * ROW + 16;
        String id = Html.ident(d.id());
        StringBuilder b = new StringBuilder(4096 + d.rows().size() * 400);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lanes\" id=\"").append(id)
                .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h))
                .append("\" viewBox=\"0 0 ").append(num(w)).append(' ').append(num(h))
                .append("\" font-family=\"ui-monospace, Menlo, Consolas, monospace\" font-size=\"12\" role=\"img\" aria-label=\"")
                .append(esc(d.title())).append("\">\n");
        b.append("<title>").append(esc(d.title())).append("</title>\n");
        b.append("<defs><marker id=\"").append(id).append("-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker>");
        // A second arrowhead, in the focus colour, only for diagrams that have cycle edges (others keep their bytes).
        if (d.arrows().stream().anyMatch(a -> a.has("cycle")))
            b.append("<marker id=\"").append(id).append("-arrow-focus\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(FOCUS).append("\"/></marker>");
        b.append("</defs>\n");

        // Row bands first, under everything: the focus row stands out across every lane.
        for (int i = 0; i < d.rows().size(); i++) {
            Row r = d.rows().get(i);
            boolean focus = focus(r);
            if (focus || i % 2 == 1) {
                b.append("<rect class=\"").append(focus ? "row-focus" : "row-band").append("\" x=\"0\" y=\"")
                        .append(num(top(i))).append("\" width=\"").append(num(w)).append("\" height=\"").append(ROW)
                        .append("\" fill=\"").append(focus ? "#fde0e0" : "#f6f8fa").append("\"/>\n");
            }
        }
        // Lanes: a header box and a lifeline each.
        for (int l = 0; l < n; l++) {
            double cx = life(x0, l);
            String c = colour(d.lanes().get(l), l);
            b.append("<g class=\"lane lane-").append(Html.ident(d.lanes().get(l).toLowerCase())).append("\">")
                    .append("<rect x=\"").append(num(x0[l] + 2)).append("\" y=\"6\" width=\"").append(num(x0[l + 1] - x0[l] - 4))
                    .append("\" height=\"24\" rx=\"4\" fill=\"").append(c).append("\"/>")
                    .append("<text x=\"").append(num(x0[l] + 10)).append("\" y=\"22\" fill=\"#fff\" font-weight=\"bold\">")
                    .append(esc(d.lanes().get(l))).append("</text>")
                    .append("<line x1=\"").append(num(cx)).append("\" y1=\"30\" x2=\"").append(num(cx)).append("\" y2=\"")
                    .append(num(h - 8)).append("\" stroke=\"").append(c).append("\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/></g>\n");
        }
        // Row labels in the gutter.
        for (int i = 0; i < d.rows().size(); i++) {
            b.append("<text class=\"row-label\" x=\"").append(GUTTER - 8).append("\" y=\"").append(num(mid(i) + 4))
                    .append("\" text-anchor=\"end\" fill=\"#57606a\">").append(esc(d.rows().get(i).label())).append("</text>\n");
        }
        // Arrows under the marks, so a mark is never hidden by a line.
        for (Arrow a : d.arrows()) arrow(b, d, x0, a, id);
        if (d.loopTo() >= 0 && d.loopTo() < d.rows().size() && !d.rows().isEmpty()) {
            double y1 = mid(d.rows().size() - 1), y2 = mid(d.loopTo());
            b.append("<path class=\"loop\" d=\"M").append(GUTTER - 4).append(',').append(num(y1)).append(" C10,")
                    .append(num(y1)).append(" 10,").append(num(y2)).append(' ').append(GUTTER - 4).append(',').append(num(y2))
                    .append("\" fill=\"none\" stroke=\"").append(FOCUS).append("\" stroke-width=\"1.5\" marker-end=\"url(#")
                    .append(id).append("-arrow)\"><title>the behaviour repeats from here forever</title></path>\n");
        }
        for (int i = 0; i < d.rows().size(); i++) mark(b, d, x0, i, w);
        b.append("</svg>\n");
        return b.toString();
    }

    private static void mark(StringBuilder b, LaneDiagram d, double[] x0, int i, double w) {
        Row r = d.rows().get(i);
        boolean focus = focus(r);
        StringBuilder cls = new StringBuilder("mark");
        if (r.lane() >= 0) cls.append(" lane-").append(Html.ident(d.lanes().get(r.lane()).toLowerCase()));
        for (String c : r.classes()) cls.append(' ').append(Html.ident(c));
        b.append("<g class=\"").append(cls).append('"');
        if (r.has("divergent")) b.append(" id=\"").append(Html.ident(d.id())).append("-divergent\"");
        for (var e : r.data().entrySet()) b.append(" data-").append(Html.ident(e.getKey())).append("=\"").append(esc(e.getValue())).append('"');
        b.append("><title>").append(esc(r.title())).append("</title>");
        double y = mid(i);
        String text = Html.cut(r.text(), LABEL_CHARS);
        if (r.lane() < 0) {
            // The initial state: a line across every lane.
            b.append("<line x1=\"").append(num(x0[0])).append("\" y1=\"").append(num(y)).append("\" x2=\"")
                    .append(num(w - 16)).append("\" y2=\"").append(num(y)).append("\" stroke=\"#8c959f\" stroke-dasharray=\"6 3\"/>")
                    .append("<text x=\"").append(num(x0[0] + 6)).append("\" y=\"").append(num(y + 4))
                    .append("\" fill=\"#57606a\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">")
                    .append(esc(text)).append("</text></g>\n");
            return;
        }
        double cx = life(x0, r.lane());
        String c = focus ? FOCUS : colour(d.lanes().get(r.lane()), r.lane());
        b.append("<circle cx=\"").append(num(cx)).append("\" cy=\"").append(num(y)).append("\" r=\"").append(focus ? 8 : 5)
                .append("\" fill=\"").append(c).append("\"").append(focus ? " stroke=\"#000\" stroke-width=\"1.5\"" : "").append("/>")
                .append("<text x=\"").append(num(cx + 12)).append("\" y=\"").append(num(y + 4)).append("\" fill=\"")
                .append(focus ? FOCUS : "#24292f").append('"').append(focus ? " font-weight=\"bold\"" : "").append('>')
                .append(esc(text)).append("</text></g>\n");
    }

    /** A mark drawn in the focus colour: the failing step, or an access of a cycle. */
    static boolean focus(Row r) {
        return r.has("divergent") || r.has("violation") || r.has("stall") || r.has("cycle");
    }

    private static void arrow(StringBuilder b, LaneDiagram d, double[] x0, Arrow a, String id) {
        Row from = d.rows().get(a.from());
        if (from.lane() < 0 || a.toLane() < 0 || a.toLane() >= d.lanes().size()) return;
        double x1 = life(x0, from.lane()), y1 = mid(a.from());
        double x2 = life(x0, a.toLane()), y2 = a.pending() ? y1 + ROW / 2.0 : mid(a.to());
        String stroke = a.has("cycle") ? FOCUS : "#444", head = id + (a.has("cycle") ? "-arrow-focus" : "-arrow");
        StringBuilder cls = new StringBuilder("arrow");
        if (a.pending()) cls.append(" pending");
        for (String c : a.classes()) cls.append(' ').append(Html.ident(c));
        if (x1 == x2 && !a.pending()) {
            // Along one lane (program order): an arc left of the lifeline, so it does not run
            // through the marks between its ends; it ends pointing at the target mark.
            double bulge = Math.min(40, 24 + 4 * Math.abs(a.to() - a.from()));
            b.append("<g class=\"").append(cls).append("\" data-from=\"").append(a.from()).append("\" data-to=\"").append(a.to())
                    .append("\"><title>").append(esc(a.label())).append("</title>")
                    .append("<path d=\"M").append(num(x1)).append(',').append(num(y1)).append(" C").append(num(x1 - bulge)).append(',')
                    .append(num(y1)).append(' ').append(num(x1 - bulge)).append(',').append(num(y2)).append(' ').append(num(x2 - 9))
                    .append(',').append(num(y2)).append("\" fill=\"none\" stroke=\"").append(stroke)
                    .append("\" stroke-width=\"1.4\" marker-end=\"url(#").append(head).append(")\"/>")
                    .append("<text class=\"arrow-label\" x=\"").append(num(x1 - bulge * 0.75 - 2)).append("\" y=\"")
                    .append(num((y1 + y2) / 2 + 3.5)).append("\" text-anchor=\"end\" font-size=\"10\" fill=\"").append(stroke)
                    .append("\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">").append(esc(a.label())).append("</text></g>\n");
            return;
        }
        if (x1 == x2) x2 += 0.01;   // a lane to itself: still a visible arrow
        // Stop short of the target mark so the arrowhead shows.
        double dx = x2 - x1, dy = y2 - y1, len = Math.hypot(dx, dy), cut = a.pending() ? 0 : 7;
        double ex = x2 - dx / len * cut, ey = y2 - dy / len * cut;
        // The label goes where no mark's text can be: in the gap between the sender's row and
        // the next (a row has one mark, its text at the row's middle), where the arrow crosses
        // it; a pending arrow's just past its head, which ends in that gap.
        // An arrow going up (a from-read edge drawn against the rows) crosses the gap above its sender.
        double gap = y2 >= y1 ? top(a.from() + 1) : top(a.from());
        double lx = a.pending() ? x2 + 6 : x1 + (x2 - x1) * (gap - y1) / (y2 - y1), ly = gap + 3.5;
        String anchor = a.pending() ? "start" : "middle";
        b.append("<g class=\"").append(cls).append("\" data-from=\"").append(a.from())
                .append("\" data-to=\"").append(a.to()).append("\"><title>").append(esc(a.label()))
                .append(a.pending() ? " (not taken in this diagram)" : "").append("</title>")
                .append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(ex))
                .append("\" y2=\"").append(num(ey)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"1.4\"")
                .append(a.pending() ? " stroke-dasharray=\"4 3\"" : "").append(" marker-end=\"url(#").append(head).append(")\"/>")
                .append("<text class=\"arrow-label\" x=\"").append(num(lx)).append("\" y=\"").append(num(ly))
                .append("\" text-anchor=\"").append(anchor).append("\" font-size=\"10\" fill=\"").append(stroke).append("\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">")
                .append(esc(a.label()))
                .append(a.pending() ? " (not taken)" : "").append("</text></g>\n");
    }

    private static double width(LaneDiagram d, int lane) {
        int longest = d.lanes().get(lane).length();
        for (Row r : d.rows()) if (r.lane() == lane) longest = Math.max(longest, Math.min(LABEL_CHARS + 2, r.text().length()));
        return Math.max(MIN_LANE, Math.min(MAX_LANE, longest * CHAR + 36));
    }

    static double top(int row) {
        return HEADER + row * ROW;
    }

    static double mid(int row) {
        return top(row) + ROW / 2.0;
    }

    private static double life(double[] x0, int lane) {
        return x0[lane] + 14;
    }

    /** The VMM blue, the IOPMs each their own colour, anything else (devices, the clock) grey. */
    static String colour(String lane, int index) {
        String l = lane.toLowerCase();
        if (l.startsWith("vmm")) return COLOURS[0];
        if (l.startsWith("iopm") || l.startsWith("ap")) return COLOURS[1 + Math.floorMod(index - 1, COLOURS.length - 1)];
        return ENV;
    }
}
