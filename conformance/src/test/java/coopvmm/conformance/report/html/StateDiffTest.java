package coopvmm.conformance.report.html;

import coopvmm.conformance.report.html.StateDiff.Change;
import coopvmm.conformance.tlc.TlcResult;
import coopvmm.conformance.tlc.TlcResult.TraceStep;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The changed fields of a step, down to the key; and the lanes and arrows read from action names. */
class StateDiffTest {

    private static List<String> diff(Map<String, String> a, Map<String, String> b) {
        return StateDiff.changes(StateDiff.parse(a), StateDiff.parse(b)).stream()
                .map(c -> c.path() + ": " + c.beforeText() + " -> " + c.afterText()).toList();
    }

    @Test
    void onlyTheChangedKeys() {
        assertEquals(List.of("mem[10]: 0 -> 1"),
                diff(Map.of("mem", "(1 :> 0 @@ 10 :> 0)"), Map.of("mem", "(1 :> 0 @@ 10 :> 1)")));
        assertEquals(List.of("handoff[1].entry: 0 -> 7"),
                diff(Map.of("handoff", "<<[lo |-> 0, entry |-> 0], [lo |-> 0, entry |-> 0]>>"),
                        Map.of("handoff", "<<[lo |-> 0, entry |-> 7], [lo |-> 0, entry |-> 0]>>")));
        assertEquals(List.of("pend[1][1]: (none) -> <<2, 1>>"),
                diff(Map.of("pend", "<<<<>>, <<>>>>"), Map.of("pend", "<<<<<<2, 1>>>>, <<>>>>")));
        assertEquals(List.of("log[3]: (none) -> 2"), diff(Map.of("log", "<<0, 1>>"), Map.of("log", "<<0, 1, 2>>")));
        assertEquals(List.of("buf: <<<<10, 1>>, <<1, 1>>>> -> <<<<1, 1>>>>"),
                diff(Map.of("buf", "<<<<10, 1>>, <<1, 1>>>>"), Map.of("buf", "<<<<1, 1>>>>")), "a queue popped: the whole value");
        assertEquals(List.of("s: {1} -> {1, 2}"), diff(Map.of("s", "{1}"), Map.of("s", "{1, 2}")));
        assertEquals(List.of(), diff(Map.of("x", "\"a\""), Map.of("x", "\"a\"")));
    }

    private static TraceStep step(int n, String action, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return new TraceStep(n, action, m);
    }

    @Test
    void lanesFromActionNamesAndTheIopmFromTheKeyItChanged() {
        // IrqRouting-like: two IOPMs, an IOPM's action known by the index it changed.
        List<TraceStep> t = List.of(
                step(1, "Init", "up", "<<TRUE, TRUE>>", "tickIopm", "<<FALSE, FALSE>>", "pend", "<<<<>>, <<>>>>", "x", "0"),
                step(2, "ClockTick", "tickIopm", "<<TRUE, TRUE>>"),
                step(3, "IopmTick", "tickIopm", "<<TRUE, FALSE>>"),
                step(4, "BuggyVmmRoute", "pend", "<<<<>>, <<<<1, 1>>>>>>"),
                step(5, "IopmStop", "up", "<<FALSE, TRUE>>"),
                step(6, "FlushVmm", "x", "1"));
        TlcResult r = new TlcResult(TlcResult.Verdict.INVARIANT_VIOLATED, "P", "m", 1, 1, 6, 1, t, -1, null, 1);
        CounterexampleLanes.Result cx = CounterexampleLanes.of("i", "irq", r, Map.of("NIopm", "2"));
        LaneDiagram d = cx.diagram();
        assertEquals(List.of("VMM", "IOPM 1", "IOPM 2", "environment"), d.lanes());
        List<String> lanes = d.rows().stream().map(x -> x.lane() < 0 ? "all" : d.lanes().get(x.lane())).toList();
        assertEquals(List.of("all", "environment", "IOPM 2", "VMM", "IOPM 1", "VMM"), lanes);
        assertEquals(List.of("violation"), d.rows().get(5).classes(), "the last state breaks the invariant");
        // The clock's tick to each IOPM (IOPM 2's taken at its tick); the routed interrupt to IOPM 2, pending.
        List<String> arrows = d.arrows().stream().map(a -> a.label() + " " + a.from() + "->" + a.to() + "@" + d.lanes().get(a.toLane())).toList();
        assertEquals(List.of("tickIopm[1] 1->-1@IOPM 1", "tickIopm[2] 1->2@IOPM 2", "pend[2] 3->-1@IOPM 2"), arrows);
        List<Change> c3 = cx.changes().get(3);
        assertEquals("pend[2][1]", c3.get(0).path(), "down to the key");
    }
}
