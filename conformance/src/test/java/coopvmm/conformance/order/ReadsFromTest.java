package coopvmm.conformance.order;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads-from's rules: one writer per word, writes never decrease, every value read was written. */
class ReadsFromTest {

    static OrderResult check(String body) {
        return OrderCheckTest.check(body);
    }

    @Test
    void aReadNamesTheFirstWriteOfItsRunOrTheInitialValue() {
        V2Trace t = PerCpuTraceReader.readText("t.log", OrderCheckTest.HEADER + """
                1 0 iopm.prepare_sleep iopm=0 r:req_prod=0 w:req_event=1
                1 1 iopm.prepare_sleep iopm=0 r:req_prod=0 w:req_event=2
                1 2 iopm.prepare_sleep iopm=0 r:req_prod=0 w:req_event=2
                1 3 log.end
                0 0 vmm.notify_iopm iopm=0 mb r:req_event=1
                0 1 vmm.notify_iopm iopm=0 mb r:req_event=2
                0 2 log.end
                """);
        ReadsFrom rf = ReadsFrom.of(t);
        assertEquals(null, rf.error());
        int vmm = t.indexOf(0), iopm = t.indexOf(1);
        assertEquals(-1, rf.sourceCpu(vmm, 1), "req_event=1 is its initial value (the IOPM's write of 1 repeats it)");
        assertEquals(iopm, rf.sourceCpu(vmm, 3));
        assertEquals(3, rf.sourceAccess(vmm, 3), "the first write of 2, not the second");
        OrderResult one = OrderCheckTest.check("""
                1 0 iopm.prepare_sleep iopm=0 r:req_prod=0 w:req_event=1
                1 1 log.end
                """);
        assertTrue(one.ok(), one.report());
        assertEquals(java.util.List.of("the header says cpus=2, the logs hold 1"), one.partialWhy());
    }

    @Test
    void aSecondWriterIsAnErrorNamingBoth() {
        OrderResult r = check("""
                0 0 vmm.publish_requests iopm=0 w:req_prod=1
                0 1 log.end
                1 0 iopm.publish_requests iopm=0 w:req_prod=2
                1 1 log.end
                """);
        assertEquals(OrderResult.Outcome.ERROR, r.outcome());
        assertEquals(1, r.exitCode());
        assertEquals("order: error: t.log:4: cpu 1 seq 0: w:req_prod=2: a second writer of req_prod: cpu 0 seq 0"
                + " vmm.publish_requests w:req_prod=1 (t.log:2) writes it too", r.verdict());
    }

    @Test
    void aDecreasingWriteIsAnError() {
        OrderResult r = check("""
                0 0 vmm.publish_requests iopm=0 w:req_prod=2
                0 1 vmm.publish_requests iopm=0 w:req_prod=1
                0 2 log.end
                """);
        assertEquals("order: error: t.log:3: cpu 0 seq 1: w:req_prod=1: a write below the last of req_prod (2, cpu 0 seq 0"
                + " vmm.publish_requests w:req_prod=2 (t.log:2)): a writer's values never decrease", r.verdict());
        OrderResult below = check("""
                1 0 iopm.prepare_sleep iopm=0 w:req_event=0
                1 1 log.end
                """);
        assertTrue(below.verdict().endsWith("w:req_event=0: a write below the last of req_event (its initial value 1):"
                + " a writer's values never decrease"), below.verdict());
    }

    @Test
    void aValueNoOneWroteIsAnErrorNamingTheRead() {
        OrderResult r = check("""
                0 0 vmm.publish_requests iopm=0 w:req_prod=1
                0 1 vmm.publish_requests iopm=0 w:req_prod=3
                0 2 log.end
                1 0 iopm.consume iopm=0 r:req_prod=2 r:req.0.id=0 w:req_cons=1
                1 1 log.end
                """);
        assertEquals(OrderResult.Outcome.ERROR, r.outcome());
        assertFalse(r.partial());
        assertEquals("order: error: t.log:5: cpu 1 seq 0: r:req_prod=2: a value no one wrote to req_prod (cpu 0 wrote 1, 3)",
                r.verdict());
        OrderResult none = check("""
                0 0 log.end
                1 0 iopm.wake iopm=0 r:ipi_to_iopm=1
                1 1 log.end
                """);
        assertTrue(none.verdict().endsWith("r:ipi_to_iopm=1: a value no one wrote to ipi_to_iopm (no CPU writes it; it holds"
                + " its initial value 0)"), none.verdict());
        // a value BELOW a cut-short writer's last write is still an error: it was never written
        OrderResult cut = check("""
                0 0 vmm.publish_requests iopm=0 w:req_prod=1
                0 1 vmm.publish_requests iopm=0 w:req_prod=3
                1 0 iopm.consume iopm=0 r:req_prod=2
                1 1 log.end
                """);
        assertEquals(OrderResult.Outcome.ERROR, cut.outcome(), cut.report());
    }
}
