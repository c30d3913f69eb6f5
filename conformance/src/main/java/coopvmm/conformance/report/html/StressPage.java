package coopvmm.conformance.report.html;

import coopvmm.conformance.Repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static coopvmm.conformance.report.html.Html.count;
import static coopvmm.conformance.report.html.Html.esc;

/**
 * {@code report.html} of one {@code ./coop stress ring}: the rounds table (with
 * {@code --all-mutants}, the mutants table first, a row per mutant); for a failing round, its
 * verdict and its lane diagram: a cycle drawn across the CPUs' lanes (each access of it marked
 * {@code class="cycle"}, its edges arrows labelled po/rf/fr) with the classification and the
 * missing barrier as text, or the records before the replay's divergent one and it, marked
 * {@code divergent}, with what the model expected. The Mermaid text of each diagram beside it.
 */
public final class StressPage {

    public static final String FILE = "report.html";

    private StressPage() {
    }

    /**
     * @param allMutants the campaigns are the mutants of ring.c (a mutant caught passes)
     */
    public static void write(Path file, Repo repo, Map<String, ?> inputs, Map<String, ?> versions, List<StressEntry> campaigns,
                             boolean allMutants) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Page p = new Page("coop stress: " + dir.getFileName());
        p.el("h1", "", "Stress: " + dir.getFileName());
        p.el("p", "class=\"meta\"", "folder " + repo.show(dir) + " \u00b7 commit " + or(versions.get("commit")) + " \u00b7 "
                + or(versions.get("jvm")));
        p.el("p", "class=\"meta inputs\"", options(inputs));
        int rounds = campaigns.stream().mapToInt(e -> e.rounds().size()).sum();
        if (allMutants) {
            long caught = campaigns.stream().filter(StressEntry::caught).count();
            long err = campaigns.stream().filter(StressEntry::isError).count();
            p.el("p", "class=\"totals\"", campaigns.size() + " mutants: " + caught + " caught, " + (campaigns.size() - caught - err)
                    + " not caught, " + err + " errors (" + rounds + " rounds)");
            mutants(p, campaigns);
        } else {
            StressEntry e = campaigns.get(0);
            long held = e.rounds().stream().filter(StressEntry.Round::holds).count();
            p.el("p", "class=\"totals\"", e.rounds().size() + (e.rounds().size() == 1 ? " round: " : " rounds: ") + held + " passed, "
                    + (e.rounds().size() - held) + " failed \u00b7 " + count(e.answered()) + " requests, " + count(e.events())
                    + " events in " + Html.seconds(e.wallSeconds()) + " s (traffic " + Html.seconds(e.trafficSeconds())
                    + " s, checks " + Html.seconds(e.checkSeconds()) + " s)");
        }

        p.el("h2", "", "Rounds");
        p.raw("<table id=\"rounds\">\n<tr>" + (allMutants ? "<th>mutant</th>" : "") + "<th>round</th><th>requests</th>"
                + "<th>traffic s</th><th>req/s</th><th>events</th><th>check s</th><th>checked ev/s</th><th>verdict</th><th>finding</th></tr>\n");
        for (StressEntry e : campaigns)
            for (StressEntry.Round r : e.rounds()) {
                String cls = r.holds() ? "pass" : r.verdict().equals("error") ? "error" : "fail";
                boolean linked = e.failure() != null && e.failure().round() == r.round();
                String round = linked ? "<a href=\"#" + anchor(e) + "\">" + r.round() + "</a>" : Integer.toString(r.round());
                p.raw("<tr class=\"" + cls + "\" data-round=\"" + r.round() + "\"" + (allMutants ? " data-mutant=\"" + esc(e.name()) + "\"" : "")
                        + ">" + (allMutants ? "<td>" + esc(e.name()) + "</td>" : "") + "<td class=\"n\">" + round + "</td><td class=\"n\">"
                        + count(r.answered()) + "</td><td class=\"n\">" + String.format(Locale.ROOT, "%.3f", r.trafficSeconds())
                        + "</td><td class=\"n\">" + count(Math.round(r.requestsPerSecond())) + "</td><td class=\"n\">" + count(r.events())
                        + "</td><td class=\"n\">" + String.format(Locale.ROOT, "%.2f", r.checkSeconds()) + "</td><td class=\"n\">"
                        + count(Math.round(r.eventsPerSecond())) + "</td><td class=\"verdict\">" + esc(r.verdict()) + "</td><td>"
                        + esc(r.finding() == null ? "" : Html.cut(r.finding(), 200)) + "</td></tr>\n");
            }
        p.raw("</table>\n");

        boolean any = false;
        for (StressEntry e : campaigns) {
            if (e.failure() == null) continue;
            if (!any) p.el("h2", "", "Failures");
            any = true;
            failure(p, file, repo, e);
        }
        p.write(file);
    }

    private static String or(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static String options(Map<String, ?> inputs) {
        StringBuilder b = new StringBuilder();
        for (var e : inputs.entrySet()) {
            if (e.getValue() == null) continue;
            if (b.length() > 0) b.append(" \u00b7 ");
            b.append(e.getKey()).append(' ').append(e.getValue());
        }
        return b.toString();
    }

    static String anchor(StressEntry e) {
        return "failure-" + Html.ident(e.name()) + "-round-" + e.failure().round();
    }

    private static void mutants(Page p, List<StressEntry> campaigns) {
        p.el("h2", "", "Mutants");
        p.raw("<table id=\"mutants\">\n<tr><th>mutant</th><th>caught</th><th>round</th><th>seconds (traffic)</th><th>requests</th>"
                + "<th>verdict</th></tr>\n");
        for (StressEntry e : campaigns) {
            String cls = e.caught() ? "pass" : e.isError() ? "error" : "fail";
            String caught = e.caught() ? "<a href=\"#" + anchor(e) + "\">yes</a>" : e.isError() ? "error"
                    : "no, in " + e.rounds().size() + " rounds";
            p.raw("<tr class=\"" + cls + "\" data-mutant=\"" + esc(e.name()) + "\"><td>" + esc(e.name()) + "</td><td class=\"verdict\">"
                    + caught + "</td><td class=\"n\">" + (e.failure() != null ? e.failure().round() : "-") + "</td><td class=\"n\">"
                    + (e.caught() ? String.format(Locale.ROOT, "%.1f (%.2f)", e.wallSeconds(), e.trafficSeconds()) : "-")
                    + "</td><td class=\"n\">" + count(e.answered()) + "</td><td>"
                    + esc(e.failure() == null ? "-" : Html.cut(e.failure().headline(), 200)) + "</td></tr>\n");
        }
        p.raw("</table>\n");
    }

    private static void failure(Page p, Path file, Repo repo, StressEntry e) throws IOException {
        StressEntry.Failure f = e.failure();
        p.raw("<section class=\"failure " + f.kind().name().toLowerCase(Locale.ROOT) + "\" id=\"" + anchor(e) + "\" data-round=\""
                + f.round() + "\" data-mutant=\"" + esc(e.name()) + "\">\n");
        p.el("h3", "", e.name() + ", round " + f.round() + ": " + Html.cut(f.headline(), 300));
        if (f.kind() == StressEntry.Kind.CYCLE) {
            if (f.classification() != null) p.el("p", "class=\"classification\"", f.classification());
            // The reading names the missing barriers in one sentence; the list says each on its own line.
            if (f.reading() != null && f.missingBarriers().isEmpty()) p.el("p", "class=\"reading\"", f.reading());
            if (!f.missingBarriers().isEmpty()) {
                p.raw("<ul class=\"missing-barriers\">\n");
                for (String m : f.missingBarriers()) p.el("li", "", m);
                p.raw("</ul>\n");
            }
            p.raw("<ol class=\"cycle-steps\">\n");
            for (String s : f.cycleSteps()) p.el("li", "", s);
            p.raw("</ol>\n");
            p.el("p", "class=\"note\"", "The logs have no global order: the rows put a read below the write it saw; each"
                    + " edge of the cycle is a red arrow (po: program order, rf: the read saw that write, fr: the read missed"
                    + " that write), and a po arc joins two accesses of one CPU. No order can keep them all.");
        } else if (f.kind() == StressEntry.Kind.DIVERGENCE) {
            p.el("p", "class=\"focus-line\"", "replay: first divergent record " + f.focusLine());
            p.raw("<div class=\"expected\">the model expected: " + esc(f.expected()) + "</div>\n");
        }
        if (f.diagram() != null) {
            Path mmd = file.resolveSibling(Html.ident(e.name()) + "-round-" + f.round() + ".mmd");
            Page.writeText(mmd, MermaidText.of(f.diagram()));
            p.raw("<div class=\"diagram\">\n").raw(LaneSvg.render(f.diagram())).raw("</div>\n");
            p.raw("<p class=\"meta\"><a href=\"" + esc(Page.href(file, mmd)) + "\">Mermaid text</a></p>\n");
        }
        if (f.note() != null) p.el("p", "class=\"note\"", f.note());
        StringBuilder links = new StringBuilder("<p class=\"meta\">");
        if (f.dir() != null) {
            for (String log : List.of("cpu0.log", "cpu1.log", "harness.txt"))
                if (Files.exists(f.dir().resolve(log)))
                    links.append("<a href=\"").append(esc(Page.href(file, f.dir().resolve(log)))).append("\">").append(log).append("</a> \u00b7 ");
            links.append("kept in ").append(esc(repo.show(f.dir()))).append(" \u00b7 ");
        }
        links.append("reproduce: <code>").append(esc(e.reproduce())).append("</code></p>\n");
        p.raw(links.toString());
        p.raw("<details" + (f.kind() == StressEntry.Kind.OTHER ? " open" : "") + "><summary>the verdict, whole</summary><pre>"
                + esc(Html.cut(f.text(), 20_000)) + "</pre></details>\n");
        p.raw("</section>\n");
    }
}
