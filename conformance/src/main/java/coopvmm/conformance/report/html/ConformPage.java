package coopvmm.conformance.report.html;

import coopvmm.conformance.Repo;
import coopvmm.conformance.report.ConformEntry;
import coopvmm.conformance.report.RunFacts;
import coopvmm.conformance.trace.TraceEvent;
import coopvmm.conformance.trace.TraceFigures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static coopvmm.conformance.report.html.Html.count;
import static coopvmm.conformance.report.html.Html.esc;

/**
 * {@code report.html} of one {@code ./coop conform} or {@code ./coop soak}: a row per run;
 * for a failed run the lane diagram of the events before its first divergence, the divergent
 * event marked ({@code class="divergent"}, {@code data-event} its number), and what the model
 * expected; plots of the guest's times (interrupt latency, boot to ready, requests over time
 * with the failover shaded) and the action coverage across the runs.
 */
public final class ConformPage {

    public static final String FILE = "report.html";

    /** Requests-over-time charts drawn (failed runs first): a soak of 90 runs needs no 90 charts. */
    static final int MAX_TIME_CHARTS = 12;
    /** Bars of the boot-to-ready chart. */
    static final int MAX_BOOT_BARS = 24;
    /** Runs shown as columns of the coverage table; more, and the table shows totals only. */
    static final int MAX_COVERAGE_COLUMNS = 12;

    private ConformPage() {
    }

    public static void write(Path file, Repo repo, Map<String, ?> inputs, Map<String, ?> versions, List<ConformEntry> runs)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Page p = new Page("coop conform: " + dir.getFileName());
        p.el("h1", "", "Conformance: " + dir.getFileName());
        p.el("p", "class=\"meta\"", "folder " + repo.show(dir) + " \u00b7 image " + or(inputs.get("image")) + " (sha256 "
                + or(inputs.get("imageSha256")) + ") \u00b7 commit " + or(versions.get("commit")) + " \u00b7 TLC " + or(versions.get("tlc")));
        long pass = runs.stream().filter(ConformEntry::passed).count(), err = runs.stream().filter(ConformEntry::isError).count();
        p.el("p", "class=\"totals\"", runs.size() + (runs.size() == 1 ? " run: " : " runs: ") + pass + " conform, " + (runs.size() - pass - err) + " fail, "
                + err + " errors");

        p.el("h2", "", "Runs");
        p.raw("<table id=\"runs\">\n<tr><th>#</th><th>scenario</th><th>smp</th><th>seed</th><th>events</th><th>seconds</th>"
                + "<th>model ev/s</th><th>verdict</th><th>first finding</th></tr>\n");
        for (int k = 0; k < runs.size(); k++) {
            ConformEntry e = runs.get(k);
            String cls = e.passed() ? "pass" : e.isError() ? "error" : "fail";
            List<String> f = e.findings();
            p.raw("<tr class=\"" + cls + "\" data-run=\"" + k + "\"><td>" + (e.passed() ? k : "<a href=\"#run-" + k + "\">" + k + "</a>")
                    + "</td><td>" + esc(e.scenario()) + "</td><td class=\"n\">" + e.smp() + "</td><td class=\"n\">" + e.seed()
                    + "</td><td class=\"n\">" + count(e.events()) + "</td><td class=\"n\">" + Html.seconds(e.seconds())
                    + "</td><td class=\"n\">" + (e.modelRate() < 0 ? "-" : count(Math.round(e.modelRate()))) + "</td><td class=\"verdict\">"
                    + esc(e.verdict()) + "</td><td>" + esc(f.isEmpty() ? "" : Html.cut(f.get(0), 200)) + "</td></tr>\n");
        }
        p.raw("</table>\n");

        boolean anyFail = false;
        for (int k = 0; k < runs.size(); k++) {
            ConformEntry e = runs.get(k);
            if (e.passed()) continue;
            if (!anyFail) p.el("h2", "", "Failures");
            anyFail = true;
            failure(p, file, k, e);
        }

        p.el("h2", "", "Plots");
        p.raw("<div class=\"charts\">\n");
        latency(p, runs);
        boot(p, runs);
        p.raw("</div>\n");
        requests(p, runs);

        p.el("h2", "", "Action coverage across the runs");
        coverage(p, runs);
        p.write(file);
    }

    private static String or(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static void failure(Page p, Path file, int k, ConformEntry e) throws IOException {
        p.raw("<section class=\"failure\" id=\"run-" + k + "\" data-run=\"" + k + "\">\n");
        p.el("h3", "", "run " + k + ": " + e.scenario() + ", smp " + e.smp() + ", seed " + e.seed() + ": " + e.verdict());
        List<String> f = e.findings();
        if (!f.isEmpty()) {
            p.raw("<ul class=\"findings\">\n");
            for (String s : f) p.el("li", "", s);
            p.raw("</ul>\n");
        }
        RunFacts facts = e.facts();
        if (facts == null || facts.focus().isEmpty()) {
            p.el("p", "class=\"note\"", facts == null ? "no trace was read for this run: nothing to draw"
                    : "no event to mark: the checkers named no divergent event (see the findings)");
        } else {
            for (int j = 0; j < facts.focus().size(); j++) {
                RunFacts.Focus fo = facts.focus().get(j);
                TraceEvent ev = fo.event();
                String what = fo.kind().equals("stall") ? "lost wakeup at event #" : "first divergent event #";
                p.el("p", "class=\"focus-line\"", fo.checker() + ": " + what + ev.seq() + " at trace.log:" + ev.line() + ": " + ev.name());
                p.raw("<div class=\"expected\" data-event=\"" + ev.seq() + "\">" + (fo.kind().equals("stall") ? "" : "the model expected: ")
                        + esc(fo.expected()) + "</div>\n");
                String id = "run-" + k + "-" + j + "-lanes";
                LaneDiagram d = TraceLanes.of(id, "run " + k + " (" + e.scenario() + " smp " + e.smp() + " seed " + e.seed() + "): the "
                        + (fo.events().size() - 1) + " events before event #" + ev.seq() + ", and it", fo);
                Path mmd = file.resolveSibling((e.dir() == null ? "run-" + k : e.dir().getFileName().toString()) + "-" + j + ".mmd");
                Page.writeText(mmd, MermaidText.of(d));
                p.raw("<div class=\"diagram\">\n").raw(LaneSvg.render(d)).raw("</div>\n");
                p.raw("<p class=\"meta\"><a href=\"" + esc(Page.href(file, mmd)) + "\">Mermaid text</a></p>\n");
            }
        }
        StringBuilder links = new StringBuilder("<p class=\"meta\">");
        if (e.dir() != null) {
            links.append("<a href=\"").append(esc(Page.href(file, e.dir().resolve("trace.log")))).append("\">trace.log</a> \u00b7 ")
                    .append("<a href=\"").append(esc(Page.href(file, e.dir().resolve("serial.log")))).append("\">serial.log</a> \u00b7 ");
        }
        links.append("reproduce: <code>").append(esc(e.reproduce())).append("</code></p>\n");
        p.raw(links.toString());
        if (e.detail() != null && !e.detail().isBlank())
            p.raw("<details><summary>what the run printed</summary><pre>" + esc(Html.cut(e.detail(), 20_000)) + "</pre></details>\n");
        p.raw("</section>\n");
    }

    /** Microseconds when the TSC rate is known; else TSC ticks, said in the unit. */
    private static double us(long ticks, long khz) {
        return khz > 0 ? ticks * 1000.0 / khz : ticks;
    }

    private static void latency(Page p, List<ConformEntry> runs) {
        List<Double> vmm = new ArrayList<>(), routed = new ArrayList<>();
        int skipped = 0, with = 0;
        for (ConformEntry e : runs) {
            TraceFigures fig = e.facts() == null ? null : e.facts().figures();
            if (fig == null || (fig.vmmLocal().isEmpty() && fig.routed().isEmpty())) continue;
            long khz = e.facts().tscKhz();
            if (khz <= 0) {
                skipped++;   // ticks of unknown length cannot be pooled with microseconds
                continue;
            }
            with++;
            fig.vmmLocal().forEach(x -> vmm.add(us(x, khz)));
            fig.routed().forEach(x -> routed.add(us(x, khz)));
        }
        if (with == 0) {
            p.el("p", "class=\"note\"", "Interrupt latency: no run has interrupt figures (the routing scenarios have them)"
                    + (skipped > 0 ? "; " + skipped + " without a TSC rate" : "") + ".");
            return;
        }
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("VMM-local (" + vmm.size() + ")", vmm.stream().mapToDouble(Double::doubleValue).toArray());
        s.put("IOPM-routed (" + routed.size() + ")", routed.stream().mapToDouble(Double::doubleValue).toArray());
        p.raw(Histogram.svg("latency", "Interrupt latency, raised to handled (" + with + " run" + (with == 1 ? "" : "s")
                + (skipped > 0 ? "; " + skipped + " without a TSC rate left out" : "") + ")", "\u00b5s", s));
    }

    private static void boot(Page p, List<ConformEntry> runs) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int more = 0;
        for (int k = 0; k < runs.size(); k++) {
            ConformEntry e = runs.get(k);
            TraceFigures fig = e.facts() == null ? null : e.facts().figures();
            if (fig == null || e.facts().tscKhz() <= 0) continue;
            for (var b : new java.util.TreeMap<>(fig.bootToReady()).entrySet()) {
                if (labels.size() >= MAX_BOOT_BARS) {
                    more++;
                    continue;
                }
                labels.add("run " + k + " " + e.scenario() + " \u00b7 IOPM " + b.getKey());
                values.add(us(b.getValue(), e.facts().tscKhz()));
            }
        }
        if (labels.isEmpty()) {
            p.el("p", "class=\"note\"", "Boot to ready: no run has boot figures (the boot scenarios have them).");
            return;
        }
        p.raw(BarChart.svg("boot-to-ready", "Boot to ready per IOPM" + (more > 0 ? " (" + more + " more left out)" : ""), "\u00b5s",
                labels, values.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    private static void requests(Page p, List<ConformEntry> runs) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < runs.size(); k++) if (!runs.get(k).passed()) order.add(k);
        for (int k = 0; k < runs.size(); k++) if (runs.get(k).passed()) order.add(k);
        int drawn = 0, left = 0;
        StringBuilder charts = new StringBuilder();
        for (int k : order) {
            ConformEntry e = runs.get(k);
            if (e.facts() == null || e.facts().requests().isEmpty()) continue;
            if (drawn >= MAX_TIME_CHARTS) {
                left++;
                continue;
            }
            long khz = e.facts().tscKhz();
            double div = khz > 0 ? khz : 1;   // TSC ticks to ms
            String unit = khz > 0 ? "ms since the first event" : "TSC ticks since the first event";
            List<LineChart.Series> s = new ArrayList<>();
            for (RunFacts.Series r : e.facts().requests()) {
                double[] x = new double[r.x().length], y = new double[r.y().length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.x()[i] / div;
                    y[i] = r.y()[i];
                }
                s.add(new LineChart.Series(r.name(), x, y));
            }
            List<LineChart.Band> bands = new ArrayList<>();
            for (RunFacts.Window w : e.facts().failovers()) bands.add(new LineChart.Band(w.label(), w.from() / div, w.to() / div));
            charts.append(LineChart.svg("requests-run-" + k, "Requests answered over time: run " + k + " (" + e.scenario() + " smp "
                    + e.smp() + " seed " + e.seed() + ", " + e.verdict() + ")", unit, "requests answered", s, bands));
            drawn++;
        }
        if (drawn == 0) {
            p.el("p", "class=\"note\"", "Requests over time: no run has ring responses in its trace.");
            return;
        }
        p.raw("<div class=\"charts\">\n").raw(charts.toString()).raw("</div>\n");
        if (left > 0) p.el("p", "class=\"note\"", left + " more runs not drawn (failed runs come first).");
    }

    private static void coverage(Page p, List<ConformEntry> runs) {
        // spec -> action -> per-run counts (-1: the run did not check this spec)
        Map<String, Map<String, long[]>> all = new LinkedHashMap<>();
        int n = runs.size();
        for (int k = 0; k < n; k++) {
            RunFacts f = runs.get(k).facts();
            if (f == null) continue;
            for (var spec : f.coverage().entrySet())
                for (var a : spec.getValue().entrySet()) {
                    long[] c = all.computeIfAbsent(spec.getKey(), x -> new LinkedHashMap<>()).computeIfAbsent(a.getKey(), x -> {
                        long[] z = new long[n];
                        java.util.Arrays.fill(z, -1);
                        return z;
                    });
                    c[k] = a.getValue();
                }
        }
        if (all.isEmpty()) {
            p.el("p", "class=\"note\"", "No run was replayed through the models: no coverage.");
            return;
        }
        boolean columns = n <= MAX_COVERAGE_COLUMNS;
        StringBuilder h = new StringBuilder("<table id=\"coverage\">\n<tr><th>spec</th><th>action</th><th>total</th><th>runs that took it</th>");
        if (columns) for (int k = 0; k < n; k++) h.append("<th>run ").append(k).append("</th>");
        h.append("</tr>\n");
        List<String> never = new ArrayList<>();
        for (var spec : all.entrySet()) {
            for (var a : spec.getValue().entrySet()) {
                long total = 0;
                int took = 0, checked = 0;
                for (long c : a.getValue()) {
                    if (c < 0) continue;
                    checked++;
                    total += c;
                    if (c > 0) took++;
                }
                boolean none = total == 0;
                if (none) never.add(spec.getKey() + "." + a.getKey());
                h.append("<tr").append(none ? " class=\"never\"" : "").append(" data-action=\"").append(esc(spec.getKey() + "." + a.getKey()))
                        .append("\"><td>").append(esc(spec.getKey())).append("</td><td>").append(esc(a.getKey())).append("</td><td class=\"n\">")
                        .append(count(total)).append("</td><td class=\"n\">").append(took).append(" of ").append(checked).append("</td>");
                if (columns) for (long c : a.getValue())
                    h.append(c == 0 ? "<td class=\"n never\">0</td>" : "<td class=\"n\">" + (c < 0 ? "" : count(c)) + "</td>");
                h.append("</tr>\n");
            }
        }
        h.append("</table>\n");
        p.raw(h.toString());
        p.el("p", never.isEmpty() ? "" : "class=\"never-list\"", never.isEmpty() ? "Every action was taken by some run."
                : "Not reached by these runs: " + String.join(", ", never));
    }
}
