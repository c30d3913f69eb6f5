package coopvmm.conformance.order;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole checker on small hand-made v2 logs: a good exchange is accepted with an order that
 * respects reads-from; the split publish/notify makes the prepare-sleep race SC; store buffering
 * is TSO-consistent exactly when a barrier is missing; message passing is never; a slot freed
 * before it is copied out has an order of accesses, with the consume placed at its write (the
 * replay catches it: V2ReplayTest).
 */
class OrderCheckTest {

    static final String HEADER = "# coop-trace v=2 build=test cpus=2 iopms=1 ring_slots=2 slot_size=64 scenario=ring seed=1\n";

    @TempDir
    Path dir;

    /** A full round trip: request, publish, notify, consume, response, publish, notify, consume, sleep and wake. */
    static final String VMM = """
            0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
            0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
            0 2 vmm.notify_iopm iopm=0 notify=1 mb r:req_event=1
            0 3 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
            0 4 vmm.prepare_sleep iopm=0 event=1 r:rsp_prod=0 w:rsp_event=1
            0 5 vmm.final_check iopm=0 sleep=1 mb r:rsp_prod=0
            0 6 vmm.wake iopm=0 r:ipi_to_vmm=1
            0 7 vmm.consume_response iopm=0 id=1 cons=1 r:rsp_prod=1 r:rsp.0.id=1 w:rsp_cons=1
            0 8 log.end
            """;
    static final String IOPM = """
            1 0 iopm.prepare_sleep iopm=0 event=1 r:req_prod=0 w:req_event=1 tsc=100-105
            1 1 iopm.final_check iopm=0 sleep=1 mb r:req_prod=0
            1 2 iopm.wake iopm=0 r:ipi_to_iopm=1
            1 3 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1
            1 4 iopm.write_response iopm=0 id=1 pvt=1 r:rsp_cons=0 w:rsp.0.id=1
            1 5 iopm.publish_responses iopm=0 prod=1 w:rsp_prod=1
            1 6 iopm.notify_vmm iopm=0 notify=1 mb r:rsp_event=1
            1 7 iopm.send_ipi iopm=0 w:ipi_to_vmm=1
            1 8 iopm.prepare_sleep iopm=0 event=2 r:req_prod=1 w:req_event=2
            1 9 iopm.final_check iopm=0 sleep=1 mb r:req_prod=1
            1 10 log.end
            """;

    static OrderResult check(String text) {
        return OrderCheck.checkText("t.log", HEADER + text);
    }

    /** Every read comes after the record whose write it saw (rf), in the returned order. */
    static void assertRespectsReadsFrom(OrderResult r) {
        V2Trace t = r.trace();
        Map<String, Integer> position = new HashMap<>();
        int[] at = {0};
        r.eventOrder().forEach((cpu, ci, i) -> position.put(ci + ":" + i, at[0]++));
        ReadsFrom rf = ReadsFrom.of(t);
        for (int c = 0; c < t.cpuCount(); c++) {
            CpuLog l = t.log(c);
            for (int e = 0; e < l.events(); e++) {
                Integer me = position.get(c + ":" + e);
                if (me == null) continue;
                for (int a = l.accessStart(e); a < l.accessEnd(e); a++) {
                    if (t.access(c, a).kind() != Access.Kind.READ || rf.sourceCpu(c, a) < 0) continue;
                    int sc = rf.sourceCpu(c, a), se = t.log(sc).eventOf(rf.sourceAccess(c, a));
                    if (sc == c && se == e) continue;
                    Integer src = position.get(sc + ":" + se);
                    assertNotNull(src, "the source of " + t.event(c, e) + " is in the order");
                    assertTrue(src < me, t.event(sc, se) + " before " + t.event(c, e));
                }
            }
        }
    }

    @Test
    void aGoodExchangeIsSequentiallyConsistentAndItsOrderRespectsReadsFrom() throws Exception {
        OrderResult r = check(VMM + IOPM);
        assertEquals(OrderResult.Outcome.SEQUENTIALLY_CONSISTENT, r.outcome(), r.report());
        assertEquals("order: 18 events on 2 CPUs rebuilt, sequentially consistent", r.verdict());
        assertEquals(0, r.exitCode());
        assertFalse(r.partial());
        assertEquals(18, r.eventOrder().size());
        assertRespectsReadsFrom(r);
        assertEquals(new V2Event.Tsc(100, 105), r.trace().event(1, 0).tsc(), "the box is kept");

        // the same records in one file per CPU, and interleaved in one file: the same verdict
        Path a = dir.resolve("cpu0.log"), b = dir.resolve("cpu1.log");
        Files.writeString(a, "firmware noise\n" + HEADER + VMM);
        Files.writeString(b, HEADER + "# a comment\n" + IOPM);
        OrderResult two = OrderCheck.check(a, b);
        assertTrue(two.ok(), two.report());
        assertEquals(List.of("# a comment"), two.trace().comments());
        String[] v = VMM.split("\n"), i = IOPM.split("\n");
        StringBuilder mixed = new StringBuilder();
        for (int k = 0; k < Math.max(v.length, i.length); k++) {
            if (k < i.length) mixed.append(i[k]).append('\n');
            if (k < v.length) mixed.append(v[k]).append('\n');
        }
        OrderResult one = check(mixed.toString());
        assertTrue(one.ok(), one.report());
        assertRespectsReadsFrom(one);
    }

    @Test
    void theSplitPublishAndNotifyMakeThePrepareSleepRaceSequentiallyConsistent() {
        // the IOPM arms req_event (1, its initial value) before the VMM publishes; its final
        // check sees the request; the VMM's notify reads the event index after publishing
        OrderResult r = check("""
                0 0 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 1 vmm.notify_iopm iopm=0 mb r:req_event=1 notify=1
                0 2 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
                0 3 log.end
                1 0 iopm.prepare_sleep iopm=0 event=1 r:req_prod=0 w:req_event=1
                1 1 iopm.final_check iopm=0 sleep=0 mb r:req_prod=1
                1 2 log.end
                """);
        assertTrue(r.ok(), r.report());
        int[] pairs = r.eventOrder().toPairs();
        assertEquals(10, pairs.length);
        assertEquals(List.of(1, 0), List.of(pairs[0], pairs[1]), "prepare_sleep read req_prod=0: it comes first");
        assertRespectsReadsFrom(r);
    }

    /** Store buffering: each side stores, then loads the other's word and misses its store. */
    static String storeBuffering(boolean vmmBarrier) {
        return """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 vmm.notify_iopm iopm=0 notify=1 mb r:req_event=1
                0 3 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
                0 4 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=1 w:req.1.id=2
                0 5 vmm.publish_requests iopm=0 prod=2 w:req_prod=2
                0 6 vmm.notify_iopm iopm=0 notify=0 %s r:req_event=1
                0 7 log.end
                1 0 iopm.wake iopm=0 r:ipi_to_iopm=1
                1 1 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1
                1 2 iopm.prepare_sleep iopm=0 event=2 r:req_prod=1 w:req_event=2
                1 3 iopm.final_check iopm=0 sleep=1 mb r:req_prod=1
                1 4 log.end
                """.formatted(vmmBarrier ? "mb" : "").replace("  ", " ");
    }

    @Test
    void storeBufferingWithBothBarriersIsNotTsoConsistent() {
        OrderResult r = check(storeBuffering(true));
        assertEquals(OrderResult.Outcome.CYCLE, r.outcome(), r.report());
        assertEquals(1, r.exitCode());
        assertEquals(CycleClassifier.Kind.STORE_BUFFERING, r.classification().kind(), r.report());
        assertFalse(r.classification().tsoConsistent());
        assertTrue(r.verdict().startsWith("order: no sequentially consistent order: store-buffering cycle, not TSO-consistent"), r.verdict());
        assertEquals("cpu 0 seq 5 vmm.publish_requests w:req_prod=2 --po--> cpu 0 seq 6 vmm.notify_iopm r:req_event=1"
                + " --fr--> cpu 1 seq 2 iopm.prepare_sleep w:req_event=2 --po--> cpu 1 seq 3 iopm.final_check r:req_prod=1"
                + " --fr--> cpu 0 seq 5 vmm.publish_requests w:req_prod=2", r.cycle().toString());
    }

    @Test
    void storeBufferingWithoutTheVmmBarrierIsTsoConsistentAndNamesTheMissingBarrier() {
        OrderResult r = check(storeBuffering(false));
        assertEquals(OrderResult.Outcome.CYCLE, r.outcome(), r.report());
        assertEquals(CycleClassifier.Kind.STORE_BUFFERING, r.classification().kind());
        assertTrue(r.classification().tsoConsistent(), r.report());
        assertEquals("order: no sequentially consistent order: store-buffering cycle, TSO-consistent: a full barrier is"
                + " missing between w:req_prod (cpu 0 seq 5, vmm.publish_requests) and r:req_event (cpu 0 seq 6,"
                + " vmm.notify_iopm)", r.verdict());
        assertEquals(1, r.classification().missingBarriers().size(), "the IOPM's side has its barrier");
    }

    @Test
    void aStaleSlotReadAfterTheIndexIsMessagePassingAndNotTsoConsistent() {
        OrderResult r = check("""
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 log.end
                1 0 iopm.consume iopm=0 id=0 cons=1 r:req_prod=1 r:req.0.id=0 w:req_cons=1
                1 1 log.end
                """);
        assertEquals(OrderResult.Outcome.CYCLE, r.outcome(), r.report());
        assertEquals(CycleClassifier.Kind.MESSAGE_PASSING, r.classification().kind(), r.report());
        assertFalse(r.classification().tsoConsistent());
        assertEquals("order: no sequentially consistent order: message-passing cycle, not TSO-consistent: on x86 only a"
                + " compiler reordering (a missing volatile or compiler barrier) explains it", r.verdict());
        assertEquals("cpu 0 seq 0 vmm.write_request w:req.0.id=1 --po--> cpu 0 seq 1 vmm.publish_requests w:req_prod=1"
                + " --rf--> cpu 1 seq 0 iopm.consume r:req_prod=1 --po--> cpu 1 seq 0 iopm.consume r:req.0.id=0"
                + " --fr--> cpu 0 seq 0 vmm.write_request w:req.0.id=1", r.cycle().toString());
    }

    @Test
    void aSlotFreedBeforeItIsCopiedOutIsPlacedAtItsWriteForTheReplayToCatch() {
        // the accesses have an order (the bug is not an ordering anomaly); the consume takes
        // effect at its write of req_cons, before the VMM overwrote the slot it copies later:
        // the replay then sees id=2 copied where the model's slot holds 1 (V2ReplayTest)
        OrderResult r = check("""
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=1 w:req.0.id=2
                0 3 log.end
                1 0 iopm.consume iopm=0 id=2 cons=1 r:req_prod=1 w:req_cons=1 r:req.0.id=2
                1 1 log.end
                """);
        assertEquals(OrderResult.Outcome.SEQUENTIALLY_CONSISTENT, r.outcome(), r.report());
        assertNull(r.cycle());
        assertEquals(List.of(0, 0, 0, 1, 1, 0, 0, 2), Arrays.stream(r.eventOrder().toPairs()).boxed().toList(),
                "write, publish, the consume at its write of req_cons, then the write that read it");
    }

    @Test
    void aLogCutShortIsCheckedAsFarAsItGoes() {
        // the VMM's log stops after its second publish (no log.end); the IOPM saw req_prod=3,
        // beyond it: that record and the IOPM's later ones are not ordered
        OrderResult r = check("""
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                1 0 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1
                1 1 iopm.consume iopm=0 id=0 cons=2 r:req_prod=3 r:req.1.id=0 w:req_cons=2
                1 2 iopm.prepare_sleep iopm=0 event=3 r:req_prod=3 w:req_event=3
                1 3 log.end
                """);
        assertEquals(OrderResult.Outcome.SEQUENTIALLY_CONSISTENT, r.outcome(), r.report());
        assertEquals(0, r.exitCode());
        assertTrue(r.partial());
        assertEquals(3, r.eventOrder().size(), "cpu 1's seq 1 and 2 are beyond the cut");
        assertTrue(r.partialWhy().get(0).startsWith("cpu 0's log is cut short (no log.end after seq 1, t.log:3)"), r.partialWhy().toString());
        assertTrue(r.partialWhy().get(1).startsWith("cpu 1 seq 1 iopm.consume (t.log:5) read req_prod=3, beyond the end of cpu 0's log"),
                r.partialWhy().toString());
        assertTrue(r.verdict().contains("sequentially consistent as far as the logs go (3 events ordered); partial:"), r.verdict());
    }

    @Test
    void aCycleThroughAWriteBeyondTheCutIsStillACycle() {
        // cpu 1 read req_prod=2 beyond cpu 0's cut, then wrote req_cons=1, which cpu 0 read
        // BEFORE its log ends: the unseen write came after that read, so no order exists
        OrderResult r = check("""
                0 0 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 1 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=1 w:req.1.id=2
                1 0 iopm.consume iopm=0 id=1 cons=1 r:req_prod=2 w:req_cons=1
                1 1 log.end
                """);
        assertEquals(OrderResult.Outcome.CYCLE, r.outcome(), r.report());
        assertTrue(r.cycle().toString().contains("cpu 0 (beyond the end of its log) w:req_prod=2"), r.cycle().toString());
    }
}
