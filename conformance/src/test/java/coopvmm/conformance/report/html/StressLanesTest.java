package coopvmm.conformance.report.html;

import coopvmm.conformance.order.Cycle;
import coopvmm.conformance.order.CycleClassifier;
import coopvmm.conformance.order.OrderCheck;
import coopvmm.conformance.order.OrderResult;
import coopvmm.conformance.order.V2Replay;
import coopvmm.conformance.report.html.LaneDiagram.Arrow;
import coopvmm.conformance.report.html.LaneDiagram.Row;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lock-free trace's cycle drawn across the CPUs' lanes: the store-buffering log of
 * OrderCheckTest (the VMM's barrier left out), checked by the real checker, drawn by
 * {@link StressLanes} and {@link LaneSvg}, read back as XML. Every access of the cycle is one
 * mark with its CPU and record, every edge an arrow whose two ends sit on the marks of its two
 * accesses; the check fails on a diagram with a mark moved or an arrow joined wrong.
 */
class StressLanesTest {

    private static String header;
    private static OrderResult sb;

    /** OrderCheckTest and its fixtures are package-private (in coopvmm.conformance.order): read, not copied. */
    static String header() throws Exception {
        Field h = Class.forName("coopvmm.conformance.order.OrderCheckTest").getDeclaredField("HEADER");
        h.setAccessible(true);
        return (String) h.get(null);
    }

    /** OrderCheckTest's store-buffering log with the VMM's barrier left out, checked. */
    static OrderResult storeBuffering() throws Exception {
        Method m = Class.forName("coopvmm.conformance.order.OrderCheckTest").getDeclaredMethod("storeBuffering", boolean.class);
        m.setAccessible(true);
        return OrderCheck.checkText("t.log", header() + m.invoke(null, false));
    }

    @BeforeAll
    static void storeBufferingLog() throws Exception {
        header = header();
        sb = storeBuffering();
        assertEquals(OrderResult.Outcome.CYCLE, sb.outcome(), sb.report());
        assertEquals(CycleClassifier.Kind.STORE_BUFFERING, sb.classification().kind());
    }

    private static Document svg(LaneDiagram d) {
        return Jsoup.parse(LaneSvg.render(d), "", Parser.xmlParser());
    }

    /**
     * Each access of {@code cycle} is exactly one {@code g.mark.cycle} on its CPU's lane, with its
     * CPU, record and access; nothing else is marked; each edge is an arrow labelled po/rf/fr,
     * from the mark of its access to the mark of the next, its line starting on the first
     * mark's circle and ending next to the second's.
     */
    static void assertCycleDrawn(Document d, Cycle cycle) {
        List<Cycle.Step> steps = cycle.steps();
        Elements marks = d.select("g.mark.cycle");
        assertEquals(steps.size(), marks.size(), "a mark per access of the cycle, no other");
        List<Element> byStep = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            Cycle.Step s = steps.get(k);
            Elements m = d.select("g.mark.cycle[data-step=" + k + "]");
            assertEquals(1, m.size(), "one mark for step " + k);
            Element e = m.first();
            assertEquals(Integer.toString(s.cpu()), e.attr("data-cpu"), "the cpu of step " + k);
            assertEquals(Integer.toString(s.seq()), e.attr("data-seq"), "the record of step " + k);
            assertEquals(s.what().toString(), e.attr("data-access"), "the access of step " + k);
            assertTrue(e.hasClass(s.cpu() == 0 ? "lane-vmm-cpu-0" : "lane-iopm-cpu-" + s.cpu()), "on its CPU's lane: " + e.outerHtml());
            assertTrue(e.select("text").text().contains(s.what().toString()), "its label says the access: " + e.text());
            byStep.add(e);
        }
        Elements arrows = d.select("g.arrow.cycle");
        assertEquals(steps.size(), arrows.size(), "an arrow per edge of the cycle");
        for (int k = 0; k < steps.size(); k++) {
            Element from = byStep.get(k), to = byStep.get((k + 1) % steps.size());
            String edge = steps.get(k).next().toString();
            Elements a = d.select("g.arrow.cycle[data-from=" + from.attr("data-row") + "][data-to=" + to.attr("data-row") + "]");
            assertEquals(1, a.size(), "an arrow from step " + k + " to step " + ((k + 1) % steps.size()));
            assertEquals(edge, a.first().selectFirst("text.arrow-label").text(), "the edge of step " + k);
            assertTrue(a.first().hasClass("edge-" + edge));
            double[] ends = ends(a.first());
            double[] c1 = centre(from), c2 = centre(to);
            assertTrue(Math.hypot(ends[0] - c1[0], ends[1] - c1[1]) < 0.5, "the arrow of step " + k + " starts on its mark");
            assertTrue(Math.hypot(ends[2] - c2[0], ends[3] - c2[1]) < 12, "the arrow of step " + k + " ends at the next mark");
        }
    }

    private static double[] centre(Element mark) {
        Element c = mark.selectFirst("circle");
        return new double[]{Double.parseDouble(c.attr("cx")), Double.parseDouble(c.attr("cy"))};
    }

    /** The first and last points of an arrow: a line, or a po arc ({@code M x,y C ... x,y}). */
    private static double[] ends(Element arrow) {
        Element line = arrow.selectFirst("line");
        if (line != null)
            return new double[]{num(line, "x1"), num(line, "y1"), num(line, "x2"), num(line, "y2")};
        String[] pts = arrow.selectFirst("path").attr("d").replaceAll("[MC]", " ").trim().split("\\s+");
        String[] a = pts[0].split(","), b = pts[pts.length - 1].split(",");
        return new double[]{Double.parseDouble(a[0]), Double.parseDouble(a[1]), Double.parseDouble(b[0]), Double.parseDouble(b[1])};
    }

    private static double num(Element e, String attr) {
        return Double.parseDouble(e.attr(attr));
    }

    @Test
    void everyAccessOfTheStoreBufferingCycleIsMarkedAndItsEdgesJoinTheMarks() {
        LaneDiagram d = StressLanes.cycle("sb", "store buffering", sb);
        assertEquals(List.of("VMM cpu 0", "IOPM cpu 1"), d.lanes());
        Document doc = svg(d);
        assertCycleDrawn(doc, sb.cycle());
        // From the log, not from the checker: the VMM's second publish and its unfenced load of
        // req_event, the IOPM's arming of req_event and its fenced load of req_prod.
        Set<String> marked = doc.select("g.mark.cycle").stream()
                .map(e -> e.attr("data-cpu") + "/" + e.attr("data-seq") + "/" + e.attr("data-access")).collect(Collectors.toSet());
        assertEquals(Set.of("0/5/w:req_prod=2", "0/6/r:req_event=1", "1/2/w:req_event=2", "1/3/r:req_prod=1"), marked);
        assertEquals(List.of("fr", "fr", "po", "po"), doc.select("g.arrow.cycle text.arrow-label").eachText().stream().sorted().toList());
        // The IOPM's final check is split into its barrier and its load: the barrier shows.
        assertEquals(1, doc.select("g.mark[data-cpu=1][data-seq=3][data-access=mb]").size(), "the IOPM's barrier is drawn");
        assertEquals(0, doc.select("g.mark[data-cpu=0][data-seq=6][data-access=mb]").size(), "the VMM's notify has none");
        // A read is drawn below the write it saw (reads-from within the drawn rows).
        Element publish1 = doc.selectFirst("g.mark[data-cpu=0][data-seq=1]"), consume1 = doc.selectFirst("g.mark[data-cpu=1][data-seq=1]");
        assertNotNull(publish1);
        assertNotNull(consume1);
        assertTrue(Integer.parseInt(publish1.attr("data-row")) < Integer.parseInt(consume1.attr("data-row")),
                "the IOPM's consume (req_prod=1) below the VMM's first publish");
    }

    @Test
    void aMisplacedMarkOrAMisjoinedArrowFailsTheCheck() {
        LaneDiagram d = StressLanes.cycle("sb", "store buffering", sb);
        // The mark of step 1 moved to the row above it (same lane or not): the check must say so.
        int row = -1;
        for (int i = 0; i < d.rows().size(); i++) if ("1".equals(d.rows().get(i).data().get("step"))) row = i;
        assertTrue(row > 0);
        List<Row> rows = new ArrayList<>(d.rows());
        Row marked = rows.get(row), above = rows.get(row - 1);
        Map<String, String> aboveData = new LinkedHashMap<>(above.data()), markedData = new LinkedHashMap<>(marked.data());
        aboveData.put("step", markedData.remove("step"));
        rows.set(row - 1, new Row(above.label(), above.lane(), above.text(), above.title(), List.of("cycle"), aboveData));
        rows.set(row, new Row(marked.label(), marked.lane(), marked.text(), marked.title(), List.of(), markedData));
        LaneDiagram moved = new LaneDiagram(d.id(), d.title(), d.lanes(), rows, d.arrows(), -1);
        AssertionError e = assertThrows(AssertionError.class, () -> assertCycleDrawn(svg(moved), sb.cycle()));
        assertFalse(e.getMessage().isEmpty());

        // An arrow from step 0 ending on the wrong mark.
        List<Arrow> arrows = new ArrayList<>(d.arrows());
        Arrow a = arrows.get(0);
        arrows.set(0, new Arrow(a.from(), a.to() + 1, a.toLane(), a.label(), a.classes()));
        LaneDiagram misjoined = new LaneDiagram(d.id(), d.title(), d.lanes(), d.rows(), arrows, -1);
        AssertionError e2 = assertThrows(AssertionError.class, () -> assertCycleDrawn(svg(misjoined), sb.cycle()));
        assertTrue(e2.getMessage().contains("an arrow from step 0"), e2.getMessage());
    }

    @Test
    void theFailureSaysTheClassificationAndTheMissingBarrier() {
        StressEntry.Failure f = StressLanes.failure(3, Path.of("round-3"), sb, null, sb.report());
        assertEquals(StressEntry.Kind.CYCLE, f.kind());
        assertEquals("store-buffering cycle, TSO-consistent", f.classification());
        assertEquals(List.of("a full barrier is missing between w:req_prod (cpu 0 seq 5, vmm.publish_requests) and r:req_event"
                + " (cpu 0 seq 6, vmm.notify_iopm)"), f.missingBarriers());
        assertEquals(4, f.cycleSteps().size());
        assertTrue(f.cycleSteps().get(0).startsWith("cpu 0 seq 5 vmm.publish_requests w:req_prod=2 (t.log:"), f.cycleSteps().get(0));
        assertCycleDrawn(svg(f.diagram()), sb.cycle());
        String mmd = MermaidText.of(f.diagram());
        assertEquals(4, mmd.lines().filter(l -> l.contains(" CYCLE")).count(), mmd);
        assertTrue(mmd.contains("L0 -) L0: po to #35;6 notify_iopm r#58;req_event=1"), mmd);
    }

    @Test
    void twoAccessesOfOneRecordAreTwoMarks() {
        // Message passing: the IOPM reads the new index, then the slot's old id, in one record.
        OrderResult mp = OrderCheck.checkText("t.log", header + """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=0 w:req.1.id=2
                0 2 vmm.publish_requests iopm=0 prod=2 w:req_prod=2
                0 3 log.end
                1 0 iopm.consume iopm=0 id=1 cons=1 r:req_prod=2 r:req.0.id=1 w:req_cons=1
                1 1 iopm.consume iopm=0 id=0 cons=2 r:req_prod=2 r:req.1.id=0 w:req_cons=2
                1 2 log.end
                """);
        assertEquals(CycleClassifier.Kind.MESSAGE_PASSING, mp.classification().kind(), mp.report());
        Document doc = svg(StressLanes.cycle("mp", "message passing", mp));
        assertCycleDrawn(doc, mp.cycle());
        assertEquals(List.of("r:req_prod=2", "r:req.1.id=0"), doc.select("g.mark.cycle[data-cpu=1]").eachAttr("data-access"));
        assertEquals(3, doc.select("g.mark[data-cpu=1][data-seq=1]").size(), "its record split into its three accesses");
    }

    @Test
    void aReplayDivergenceMarksTheDivergentRecord() {
        // Three requests into a ring of two slots with none consumed: the third write is not enabled.
        OrderResult full = OrderCheck.checkText("t.log", header + """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=0 w:req.1.id=2
                0 2 vmm.write_request iopm=0 id=3 pvt=3 r:req_cons=0 w:req.0.id=3
                0 3 log.end
                1 0 iopm.see_idle iopm=0 r:req_prod=0
                1 1 log.end
                """);
        assertTrue(full.ok(), full.report());
        V2Replay.Verdict v = V2Replay.ring(full);
        assertFalse(v.ok(), v.text());
        StressEntry.Failure f = StressLanes.failure(1, null, full, v, v.text());
        assertEquals(StressEntry.Kind.DIVERGENCE, f.kind(), f.note());
        assertTrue(f.focusLine().startsWith("cpu 0 seq 2 vmm.write_request at t.log:4"), f.focusLine());
        Document doc = svg(f.diagram());
        Elements divergent = doc.select("g.mark.divergent");
        assertEquals(1, divergent.size());
        assertEquals("0", divergent.first().attr("data-cpu"));
        assertEquals("2", divergent.first().attr("data-seq"));
        assertEquals(divergent.first(), doc.select("g.mark").last(), "the window ends at it");
        assertTrue(divergent.first().selectFirst("title").text().contains(f.expected()), "its tooltip says what the model expected");
        assertEquals(0, doc.select("g.mark.cycle").size());
    }
}
