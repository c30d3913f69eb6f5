package coopvmm.conformance.report.html;

import coopvmm.conformance.report.RunFacts;
import coopvmm.conformance.trace.TraceEvent;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lane diagram of a divergence, read back as XML: the divergent mark is on the event the
 * trace was corrupted at (found from the file, not from the report), the events before it are
 * there in order, the IPIs are arrows to the wake that took them.
 */
class LaneSvgTest {

    private static SyntheticRuns.Divergent run;
    private static RunFacts.Focus focus;

    @BeforeAll
    static void corruptedRun() throws Exception {
        run = SyntheticRuns.divergentRing(Files.createTempDirectory("coop-lanes"), 5);
        assertEquals(1, run.entry().facts().focus().size(), "one divergence: the ring model's");
        focus = run.entry().facts().focus().get(0);
    }

    private static Document svg(LaneDiagram d) {
        return Jsoup.parse(LaneSvg.render(d), "", Parser.xmlParser());
    }

    /** The one divergent mark is event #seq of trace.log line {@code line}. */
    static Element assertMarked(Document svg, long seq, int line) {
        Elements marked = svg.select("g.mark.divergent");
        assertEquals(1, marked.size(), "one divergent mark");
        Element m = marked.first();
        assertEquals(Long.toString(seq), m.attr("data-event"), "the divergent mark's event");
        assertEquals(Integer.toString(line), m.attr("data-line"), "the divergent mark's line");
        return m;
    }

    @Test
    void theDivergentMarkIsTheCorruptedEvent() {
        Document d = svg(TraceLanes.of("t", "test", focus));
        Element m = assertMarked(d, run.seq(), run.line());
        assertEquals("iopm.consume", m.attr("data-name"));
        assertTrue(m.select("text").text().startsWith("iopm.consume id="), m.outerHtml());
        assertTrue(m.select("title").text().contains(run.expected()), "the tooltip says what the model expected");
        Elements marks = d.select("g.mark");
        assertEquals(RunFacts.WINDOW + 1, marks.size(), "the 30 events before it, and it");
        assertEquals(m, marks.last(), "it is the last mark: the window ends at the divergence");
        long prev = -1;
        for (Element e : marks) {
            long s = Long.parseLong(e.attr("data-event"));
            assertTrue(s >= prev, "events in trace order");
            prev = s;
        }
        assertEquals(1, d.select("rect.row-focus").size(), "its row is highlighted across the lanes");
        assertEquals("t-divergent", m.id());
    }

    @Test
    void aMarkOnAnotherEventFailsTheCheck() {
        // The check above must be able to fail: the same window with its last event dropped
        // marks the event before the divergence, and the assertion says so.
        List<TraceEvent> shorter = focus.events().subList(0, focus.events().size() - 1);
        RunFacts.Focus wrong = new RunFacts.Focus(focus.checker(), focus.kind(), focus.expected(), shorter);
        Document d = svg(TraceLanes.of("w", "wrong", wrong));
        AssertionError e = assertThrows(AssertionError.class, () -> assertMarked(d, run.seq(), run.line()));
        assertTrue(e.getMessage().contains("the divergent mark's event"), e.getMessage());
    }

    @Test
    void ipisAreArrowsToTheWakeThatTookThem() {
        LaneDiagram diagram = TraceLanes.of("a", "arrows", focus);
        assertEquals(List.of("VMM", "IOPM 0"), diagram.lanes());
        List<TraceEvent> ev = focus.events();
        int sent = 0;
        for (int i = 0; i < ev.size(); i++) {
            TraceEvent e = ev.get(i);
            if (!(e.name().endsWith("notify_iopm") || e.name().endsWith("notify_vmm")) || e.get("notify") != 1) continue;
            sent++;
            String side = e.name().substring(0, e.name().indexOf('.') + 1);
            // The IPI leaves at the side's send step when its next step is one (the spec's *SendIpi).
            int from = i;
            for (int j = i + 1; j < ev.size(); j++)
                if (ev.get(j).name().startsWith(side)) {
                    if (ev.get(j).name().equals(side + "send_ipi")) from = j;
                    break;
                }
            String wake = side.equals("vmm.") ? "iopm.wake" : "vmm.wake";
            int taken = -1;
            for (int j = from + 1; j < ev.size() && taken < 0; j++) if (ev.get(j).name().equals(wake)) taken = j;
            int f = from, to = taken;
            assertTrue(diagram.arrows().stream().anyMatch(a -> a.from() == f && a.to() == to && a.label().equals("IPI")),
                    "an arrow from #" + ev.get(from).seq() + " to " + (to < 0 ? "nowhere (not taken)" : "#" + ev.get(to).seq()));
        }
        assertTrue(sent > 0, "the window has an IPI: the check is not vacuous");
        assertEquals(sent, diagram.arrows().size(), "an arrow per IPI sent, no other");
        Document d = svg(diagram);
        assertEquals(sent, d.select("g.arrow").size());
        for (Element a : d.select("g.arrow")) assertFalse(a.select("line").attr("marker-end").isEmpty(), "an arrowhead");
    }

    @Test
    void theMermaidTextMarksTheSameEvent() {
        String m = MermaidText.of(TraceLanes.of("m", "mermaid", focus));
        assertTrue(m.startsWith("sequenceDiagram\n"), m);
        List<String> diverges = m.lines().filter(l -> l.contains("DIVERGES")).toList();
        assertEquals(1, diverges.size(), m);
        assertTrue(diverges.get(0).contains("#35;" + run.seq() + " iopm.consume"), diverges.get(0));
        assertTrue(diverges.get(0).contains("Note over L1"), "on IOPM 0's lane: " + diverges.get(0));
    }

    @Test
    void theSvgIsTheSameEveryTime() {
        assertEquals(LaneSvg.render(TraceLanes.of("s", "same", focus)), LaneSvg.render(TraceLanes.of("s", "same", focus)));
    }

    @Test
    void textIsEscaped() {
        LaneDiagram d = new LaneDiagram("e", "<b>&\"", List.of("VMM <1>"),
                List.of(new LaneDiagram.Row("1", 0, "a<b & \"c\"", "t<", List.of(), java.util.Map.of("x", "\"<"))), List.of(), -1);
        String s = LaneSvg.render(d);
        assertFalse(s.contains("a<b"), s);
        Document doc = Jsoup.parse(s, "", Parser.xmlParser());
        assertEquals("a<b & \"c\"", doc.select("g.mark text").text());
        assertEquals("\"<", doc.select("g.mark").attr("data-x"));
        assertEquals("VMM <1>", doc.select("g.lane text").text());
    }
}
