package coopvmm.conformance.report.html;

import coopvmm.conformance.Repo;
import coopvmm.conformance.report.CheckEntry;
import coopvmm.conformance.report.html.StateDiff.Change;
import coopvmm.conformance.tlc.CfgConstants;
import coopvmm.conformance.tlc.TlcResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static coopvmm.conformance.report.html.Html.count;
import static coopvmm.conformance.report.html.Html.esc;

/**
 * {@code report.html} of one {@code ./coop check}: the results table; per counterexample its
 * lane diagram (and a Mermaid text of it beside the page) and the fields each step changed;
 * the action coverage of each run TLC printed one for, never-enabled actions flagged.
 */
public final class CheckPage {

    public static final String FILE = "report.html";

    /** Values longer than this are cut in the table (the ITF trace has them whole). */
    static final int VALUE_CHARS = 400;

    private CheckPage() {
    }

    /** Writes the page (and a {@code .mmd} per counterexample) beside {@code file}. */
    public static void write(Path file, Repo repo, Map<String, ?> versions, List<CheckEntry> rows) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Page p = new Page("coop check: " + dir.getFileName());
        p.el("h1", "", "coop check");
        long ok = rows.stream().filter(CheckEntry::asExpected).count();
        p.el("p", "class=\"meta\"", "folder " + repo.show(dir) + " \u00b7 commit " + versions.get("commit") + " \u00b7 TLC "
                + versions.get("tlc") + " \u00b7 " + versions.get("jvm"));
        p.el("p", "class=\"totals\"", rows.size() + (rows.size() == 1 ? " target: " : " targets: ") + ok + " as expected, " + (rows.size() - ok) + " not");

        p.el("h2", "", "Results");
        p.raw("<table id=\"results\">\n<tr><th>spec</th><th>config</th><th>verdict</th><th>property</th><th>expected</th>"
                + "<th>generated</th><th>distinct</th><th>depth</th><th>seconds</th><th>counterexample</th></tr>\n");
        for (CheckEntry e : rows) {
            TlcResult r = e.result();
            String cls = e.isError() ? "error" : e.asExpected() ? "pass" : "fail";
            String verdict = e.expected() == null ? r.verdict().text()
                    : (e.asExpected() ? "rejected as expected" : "NOT AS EXPECTED") + " (" + r.verdict().text() + ")";
            p.raw("<tr class=\"" + cls + "\"><td>" + esc(e.specName()) + "</td><td>" + esc(e.configName()) + "</td><td class=\"verdict\">"
                    + esc(verdict) + "</td><td>" + esc(r.property() == null ? "-" : r.property()) + "</td><td>"
                    + esc(e.expected() == null ? "holds" : e.expected()) + "</td><td class=\"n\">" + count(r.generated())
                    + "</td><td class=\"n\">" + count(r.distinct()) + "</td><td class=\"n\">" + (r.depth() < 0 ? "-" : r.depth())
                    + "</td><td class=\"n\">" + Html.seconds(r.seconds()) + "</td><td>"
                    + (r.trace().isEmpty() ? "" : "<a href=\"#" + anchor(e) + "\">" + r.trace().size() + " states</a>")
                    + "</td></tr>\n");
            if (e.isError() && r.message() != null)
                p.raw("<tr class=\"error\"><td colspan=\"10\">" + esc(r.message()) + "</td></tr>\n");
        }
        p.raw("</table>\n");

        boolean any = false;
        for (CheckEntry e : rows) {
            if (e.result().trace().isEmpty()) continue;
            if (!any) p.el("h2", "", "Counterexamples");
            any = true;
            counterexample(p, file, repo, e);
        }

        p.el("h2", "", "Action coverage");
        boolean covered = false;
        for (CheckEntry e : rows) {
            List<TlcCoverage.Action> cov = TlcCoverage.read(e.result().rawOutput());
            if (cov.isEmpty()) continue;
            covered = true;
            long never = cov.stream().filter(TlcCoverage.Action::neverEnabled).count();
            p.el("h3", "", e.specName() + " / " + e.configName() + ": " + cov.size() + " actions, " + never + " never enabled");
            p.raw("<table class=\"coverage\" data-spec=\"" + esc(e.specName()) + "\">\n<tr><th>action</th><th>module</th>"
                    + "<th>distinct states</th><th>states generated</th><th></th></tr>\n");
            for (TlcCoverage.Action a : cov) {
                p.raw("<tr" + (a.neverEnabled() ? " class=\"never\"" : "") + " data-action=\"" + esc(a.name()) + "\"><td>"
                        + esc(a.name()) + "</td><td>" + esc(a.module() + ":" + a.line()) + "</td><td class=\"n\">" + count(a.distinct())
                        + "</td><td class=\"n\">" + count(a.generated()) + "</td><td>" + (a.neverEnabled() ? "never enabled" : "")
                        + "</td></tr>\n");
            }
            p.raw("</table>\n");
        }
        if (!covered)
            p.el("p", "class=\"note\"", "TLC printed no action coverage for these runs (it does with -coverage N).");
        p.write(file);
    }

    static String anchor(CheckEntry e) {
        return "cx-" + Html.ident(e.specName() + "-" + e.configName());
    }

    private static void counterexample(Page p, Path file, Repo repo, CheckEntry e) throws IOException {
        TlcResult r = e.result();
        Map<String, String> constants;
        try {
            constants = CfgConstants.read(e.config());
        } catch (IOException | RuntimeException x) {
            constants = Map.of();
        }
        String title = e.specName() + " / " + e.configName() + ": " + r.verdict().text()
                + (r.property() != null ? " " + r.property() : "");
        CounterexampleLanes.Result cx = CounterexampleLanes.of(anchor(e) + "-lanes", title, r, constants);
        Path mmd = file.resolveSibling(base(e) + ".mmd");
        Page.writeText(mmd, MermaidText.of(cx.diagram()));

        p.raw("<section class=\"counterexample\" id=\"" + anchor(e) + "\">\n");
        p.el("h3", "", title);
        if (r.message() != null) p.el("p", "", r.message() + " (" + r.trace().size() + " states"
                + (r.loopTo() > 0 ? ", then back to state " + r.loopTo() + " forever" : r.loopTo() == 0 ? ", then stuttering" : "") + ")");
        StringBuilder links = new StringBuilder("<p class=\"meta\">");
        links.append("<a href=\"").append(esc(Page.href(file, mmd))).append("\">Mermaid text</a>");
        if (e.itf() != null) links.append(" \u00b7 <a href=\"").append(esc(Page.href(file, e.itf()))).append("\">ITF trace</a>");
        if (r.rawOutput() != null) links.append(" \u00b7 <a href=\"").append(esc(Page.href(file, r.rawOutput()))).append("\">raw TLC output</a>");
        links.append(" \u00b7 spec ").append(esc(repo.show(e.spec()))).append("</p>\n");
        p.raw(links.toString());
        p.raw("<div class=\"diagram\">\n").raw(LaneSvg.render(cx.diagram())).raw("</div>\n");

        p.raw("<details open><summary>the fields each step changed</summary>\n<table class=\"changes\">\n"
                + "<tr><th>step</th><th>action</th><th>lane</th><th>field</th><th>before</th><th>after</th></tr>\n");
        LaneDiagram d = cx.diagram();
        for (int i = 0; i < r.trace().size(); i++) {
            LaneDiagram.Row row = d.rows().get(i);
            String lane = row.lane() < 0 ? "" : d.lanes().get(row.lane());
            List<Change> cs = cx.changes().get(i);
            if (i == 0) {
                // The initial state: every variable, whole.
                boolean first = true;
                for (var v : cx.states().get(0).entrySet()) {
                    p.raw("<tr data-step=\"" + row.label() + "\">" + (first ? "<td>" + esc(row.label()) + "</td><td>" + esc(row.text()) + "</td><td>"
                            + esc(lane) + "</td>" : "<td></td><td></td><td></td>") + "<td>" + esc(v.getKey()) + "</td><td></td><td>"
                            + esc(Html.cut(TlaText.show(v.getValue()), VALUE_CHARS)) + "</td></tr>\n");
                    first = false;
                }
                continue;
            }
            if (cs.isEmpty()) {
                p.raw("<tr data-step=\"" + row.label() + "\"><td>" + esc(row.label()) + "</td><td>" + esc(row.text()) + "</td><td>"
                        + esc(lane) + "</td><td colspan=\"3\" class=\"note\">nothing changed (a stuttering step)</td></tr>\n");
                continue;
            }
            for (int k = 0; k < cs.size(); k++) {
                Change c = cs.get(k);
                p.raw("<tr data-step=\"" + row.label() + "\">" + (k == 0 ? "<td>" + esc(row.label()) + "</td><td>" + esc(row.text())
                        + "</td><td>" + esc(lane) + "</td>" : "<td></td><td></td><td></td>") + "<td class=\"field\">" + esc(c.path())
                        + "</td><td>" + esc(Html.cut(c.beforeText(), VALUE_CHARS)) + "</td><td>"
                        + esc(Html.cut(c.afterText(), VALUE_CHARS)) + "</td></tr>\n");
            }
        }
        p.raw("</table>\n</details>\n</section>\n");
    }

    /** The counterexample's files are named after its raw output ({@code Spec-Config.out}). */
    static String base(CheckEntry e) {
        if (e.result().rawOutput() != null) return e.result().rawOutput().getFileName().toString().replaceFirst("\\.out$", "");
        return Html.ident(e.specName() + "-" + e.configName().replaceFirst("\\.cfg$", ""));
    }
}
