package coopvmm.conformance.order;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rebuilt order replayed through the ring model: a good exchange conforms; the race the
 * spec's split actions exist for (a publish between the peer's see-idle load and its
 * prepare-sleep store) conforms; a slot freed before it is copied out, which has an order of
 * accesses, is caught by the replay at the consume's write, located in its log.
 */
class V2ReplayTest {

    static String header(int slots) {
        return "# coop-trace v=2 build=test cpus=2 iopms=1 ring_slots=" + slots + " slot_size=64 scenario=ring seed=1\n";
    }

    static V2Replay.Verdict replay(int slots, String text) {
        OrderResult r = OrderCheck.checkText("t.log", header(slots) + text);
        assertTrue(r.ok(), r.report());
        V2Replay.Verdict v = V2Replay.ring(r);
        // the same verdict with the events made on a second thread (as a long order's are)
        V2Replay.Verdict fed = V2Replay.ring(r.trace(), r.eventOrder(), "", true);
        assertEquals(v.text(), fed.text());
        assertEquals(v.eventsChecked(), fed.eventsChecked());
        assertEquals(v.coverage(), fed.coverage());
        return v;
    }

    /** One request there and back; each side goes idle, sleeps and is woken by the other's IPI. */
    @Test
    void aRoundTripWithSleepsAndWakesConforms() {
        V2Replay.Verdict v = replay(16, """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 vmm.notify_iopm iopm=0 notify=1 mb r:req_event=1
                0 3 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
                0 4 vmm.see_idle iopm=0 r:rsp_prod=0
                0 5 vmm.prepare_sleep iopm=0 event=1 w:rsp_event=1
                0 6 vmm.final_check iopm=0 sleep=1 mb r:rsp_prod=0
                0 7 vmm.wake iopm=0 r:ipi_to_vmm=1
                0 8 vmm.consume_response iopm=0 id=1 cons=1 r:rsp_prod=1 r:rsp.0.id=1 w:rsp_cons=1
                0 9 run.end status=0 requests=1
                0 10 log.end
                1 0 iopm.see_idle iopm=0 r:req_prod=0
                1 1 iopm.prepare_sleep iopm=0 event=1 w:req_event=1
                1 2 iopm.final_check iopm=0 sleep=1 mb r:req_prod=0
                1 3 iopm.wake iopm=0 r:ipi_to_iopm=1
                1 4 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1
                1 5 iopm.write_response iopm=0 id=1 pvt=1 r:rsp_cons=0 w:rsp.0.id=1
                1 6 iopm.publish_responses iopm=0 prod=1 w:rsp_prod=1
                1 7 iopm.notify_vmm iopm=0 notify=1 mb r:rsp_event=1
                1 8 iopm.send_ipi iopm=0 w:ipi_to_vmm=1
                1 9 iopm.see_idle iopm=0 r:req_prod=1
                1 10 iopm.prepare_sleep iopm=0 event=2 w:req_event=2
                1 11 iopm.final_check iopm=0 sleep=1 mb r:req_prod=1
                1 12 log.end
                """);
        assertTrue(v.ok(), v.text());
        assertEquals(21, v.eventsChecked(), v.text());
    }

    /**
     * The IOPM saw the ring empty (req_prod=1), the VMM published request 2 and read the old
     * event index (no IPI), then the IOPM armed it and its final check found the request. No
     * order of atomic see-idle-and-arm steps explains it; the split spec does.
     */
    @Test
    void aPublishBetweenSeeIdleAndPrepareSleepConforms() {
        V2Replay.Verdict v = replay(16, """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 vmm.notify_iopm iopm=0 notify=1 mb r:req_event=1
                0 3 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
                0 4 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=0 w:req.1.id=2
                0 5 vmm.publish_requests iopm=0 prod=2 w:req_prod=2
                0 6 vmm.notify_iopm iopm=0 notify=0 mb r:req_event=1
                0 7 log.end
                1 0 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1
                1 1 iopm.write_response iopm=0 id=1 pvt=1 r:rsp_cons=0 w:rsp.0.id=1
                1 2 iopm.publish_responses iopm=0 prod=1 w:rsp_prod=1
                1 3 iopm.notify_vmm iopm=0 notify=1 mb r:rsp_event=1
                1 4 iopm.send_ipi iopm=0 w:ipi_to_vmm=1
                1 5 iopm.see_idle iopm=0 r:req_prod=1
                1 6 iopm.prepare_sleep iopm=0 event=2 w:req_event=2
                1 7 iopm.final_check iopm=0 sleep=0 mb r:req_prod=2
                1 8 iopm.consume iopm=0 id=2 cons=2 r:req_prod=2 r:req.1.id=2 w:req_cons=2
                1 9 log.end
                """);
        assertTrue(v.ok(), v.text());
        assertTrue(v.text().contains("partial"), "no run.end: said to be partial: " + v.text());
    }

    /** The free-before-copy mutant's signature: the consume wrote req_cons, the VMM refilled the slot, the consume copied it. */
    @Test
    void aSlotFreedBeforeItIsCopiedOutIsRejectedAtTheConsume() {
        V2Replay.Verdict v = replay(1, """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 vmm.notify_iopm iopm=0 notify=1 mb r:req_event=1
                0 3 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
                0 4 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=1 w:req.0.id=2
                0 5 log.end
                1 0 iopm.consume iopm=0 id=2 cons=1 r:req_prod=1 w:req_cons=1 r:req.0.id=2
                1 1 log.end
                """);
        assertFalse(v.ok(), v.text());
        assertTrue(v.text().startsWith("replay: iopm.consume (t.log:8, cpu 1 seq 0)"), v.text());
    }

    /**
     * The IOPM's notify loaded rsp_event=1, then the VMM (its final check saw the response)
     * consumed it, wrote and published request 2 and re-armed rsp_event=2, and only then did
     * the IOPM send its IPI (w:ipi_to_vmm=1). Found by ./coop stress --one-at-a-time on the
     * reference ring. The decision is the notify's, at its load (at the send the model's
     * rspEvent is 2 and would say "no IPI"); the IPI is the send's. The access order here is
     * the one the harness's logs had (given by hand: the merge alone may pick another).
     */
    @Test
    void aNotifyDecidesAtItsLoadAndItsIpiIsSentLater() {
        String text = header(16) + """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 vmm.notify_iopm iopm=0 notify=1 mb r:req_event=1
                0 3 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
                0 4 vmm.see_idle iopm=0 r:rsp_prod=0
                0 5 vmm.prepare_sleep iopm=0 event=1 w:rsp_event=1
                0 6 vmm.final_check iopm=0 sleep=0 mb r:rsp_prod=1
                0 7 vmm.consume_response iopm=0 id=1 cons=1 r:rsp_prod=1 r:rsp.0.id=1 w:rsp_cons=1
                0 8 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=1 w:req.1.id=2
                0 9 vmm.publish_requests iopm=0 prod=2 w:req_prod=2
                0 10 vmm.notify_iopm iopm=0 notify=0 mb r:req_event=1
                0 11 vmm.see_idle iopm=0 r:rsp_prod=1
                0 12 vmm.prepare_sleep iopm=0 event=2 w:rsp_event=2
                0 13 vmm.final_check iopm=0 sleep=1 mb r:rsp_prod=1
                0 14 vmm.wake iopm=0 r:ipi_to_vmm=1
                0 15 log.end
                1 0 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1
                1 1 iopm.write_response iopm=0 id=1 pvt=1 r:rsp_cons=0 w:rsp.0.id=1
                1 2 iopm.publish_responses iopm=0 prod=1 w:rsp_prod=1
                1 3 iopm.notify_vmm iopm=0 notify=1 mb r:rsp_event=1
                1 4 iopm.send_ipi iopm=0 w:ipi_to_vmm=1
                1 5 log.end
                """;
        V2Trace t = PerCpuTraceReader.readText("t.log", text);
        // accesses: the VMM's records 0..5, the IOPM's 0..3 (up to its load of rsp_event), the
        // VMM's 6..13 (it re-arms rsp_event=2), the IOPM's IPI send, the VMM's wake
        Interleaving acc = new Interleaving(t.cpuIds());
        int vmmBeforeFinal = t.log(0).accessStart(6), iopmBeforeSend = t.log(1).accessEnd(3);
        acc.add(0, vmmBeforeFinal);
        acc.add(1, iopmBeforeSend);
        acc.add(0, t.log(0).accessStart(14) - vmmBeforeFinal);
        acc.add(1, 1);
        acc.add(0, t.log(0).accesses() - t.log(0).accessStart(14));
        V2Replay.Verdict v = V2Replay.ring(t, Linearization.of(t, acc), "");
        assertTrue(v.ok(), v.text());
    }

    /**
     * Two IPIs the IOPM decided on before the VMM took either, taken by two wakes: the third
     * granularity finding of ./coop stress --one-at-a-time on the reference ring. With the IPI
     * sent in the notify step, both decisions can come before the first wake and the spec's one
     * pending bit holds them as one, so the second wake had no IPI to take ("VmmWake enabled;
     * it is not in this state"). With the send a step of its own, the wake that read
     * ipi_to_vmm=1 comes before the send that wrote 2 (from-read), whatever order the merge picks.
     */
    @Test
    void twoIpisDecidedBeforeEitherIsTakenAreTwoWakes() {
        V2Replay.Verdict v = replay(16, """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 vmm.notify_iopm iopm=0 notify=1 mb r:req_event=1
                0 3 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
                0 4 vmm.see_idle iopm=0 r:rsp_prod=0
                0 5 vmm.prepare_sleep iopm=0 event=1 w:rsp_event=1
                0 6 vmm.final_check iopm=0 sleep=0 mb r:rsp_prod=1
                0 7 vmm.consume_response iopm=0 id=1 cons=1 r:rsp_prod=1 r:rsp.0.id=1 w:rsp_cons=1
                0 8 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=1 w:req.1.id=2
                0 9 vmm.publish_requests iopm=0 prod=2 w:req_prod=2
                0 10 vmm.notify_iopm iopm=0 notify=0 mb r:req_event=1
                0 11 vmm.see_idle iopm=0 r:rsp_prod=1
                0 12 vmm.prepare_sleep iopm=0 event=2 w:rsp_event=2
                0 13 vmm.final_check iopm=0 sleep=1 mb r:rsp_prod=1
                0 14 vmm.wake iopm=0 r:ipi_to_vmm=1
                0 15 vmm.consume_response iopm=0 id=2 cons=2 r:rsp_prod=2 r:rsp.1.id=2 w:rsp_cons=2
                0 16 vmm.wake iopm=0 r:ipi_to_vmm=2
                0 17 run.end status=0 requests=2
                0 18 log.end
                1 0 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1
                1 1 iopm.write_response iopm=0 id=1 pvt=1 r:rsp_cons=0 w:rsp.0.id=1
                1 2 iopm.publish_responses iopm=0 prod=1 w:rsp_prod=1
                1 3 iopm.notify_vmm iopm=0 notify=1 mb r:rsp_event=1
                1 4 iopm.send_ipi iopm=0 w:ipi_to_vmm=1
                1 5 iopm.consume iopm=0 id=2 cons=2 r:req_prod=2 r:req.1.id=2 w:req_cons=2
                1 6 iopm.write_response iopm=0 id=2 pvt=2 r:rsp_cons=1 w:rsp.1.id=2
                1 7 iopm.publish_responses iopm=0 prod=2 w:rsp_prod=2
                1 8 iopm.notify_vmm iopm=0 notify=1 mb r:rsp_event=2
                1 9 iopm.send_ipi iopm=0 w:ipi_to_vmm=2
                1 10 iopm.see_idle iopm=0 r:req_prod=2
                1 11 iopm.prepare_sleep iopm=0 event=3 w:req_event=3
                1 12 iopm.final_check iopm=0 sleep=1 mb r:req_prod=2
                1 13 log.end
                """);
        assertTrue(v.ok(), v.text());
    }

    /**
     * Store buffering on the consumer indexes, as x86 does it: each side stores its consumer
     * index, then loads the peer's old one as the bound of the slot it fills. No order of the
     * accesses is sequentially consistent, and none need be: CoopRingTSO's mapping makes such a
     * read late, not wrong (Words.lags). {@code vmmBound} is the req_cons the VMM's third write
     * read: 1 is late by one and leaves a free slot; 0 leaves none, a ring full as read.
     */
    static String consumerIndexesReadLate(int vmmBound) {
        return """
                0 0 vmm.write_request iopm=0 id=1 pvt=1 r:req_cons=0 w:req.0.id=1
                0 1 vmm.publish_requests iopm=0 prod=1 w:req_prod=1
                0 2 vmm.notify_iopm iopm=0 notify=1 mb r:req_event=1
                0 3 vmm.send_ipi iopm=0 w:ipi_to_iopm=1
                0 4 vmm.write_request iopm=0 id=2 pvt=2 r:req_cons=0 w:req.1.id=2
                0 5 vmm.publish_requests iopm=0 prod=2 w:req_prod=2
                0 6 vmm.notify_iopm iopm=0 notify=0 mb r:req_event=1
                0 7 vmm.consume_response iopm=0 id=1 cons=1 r:rsp_prod=1 r:rsp.0.id=1 w:rsp_cons=1
                0 8 vmm.write_request iopm=0 id=3 pvt=3 r:req_cons=%d w:req.0.id=3
                0 9 log.end
                1 0 iopm.wake iopm=0 r:ipi_to_iopm=1
                1 1 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1
                1 2 iopm.write_response iopm=0 id=1 pvt=1 r:rsp_cons=0 w:rsp.0.id=1
                1 3 iopm.publish_responses iopm=0 prod=1 w:rsp_prod=1
                1 4 iopm.notify_vmm iopm=0 notify=1 mb r:rsp_event=1
                1 5 iopm.send_ipi iopm=0 w:ipi_to_vmm=1
                1 6 iopm.consume iopm=0 id=2 cons=2 r:req_prod=2 r:req.1.id=2 w:req_cons=2
                1 7 iopm.write_response iopm=0 id=2 pvt=2 r:rsp_cons=0 w:rsp.1.id=2
                1 8 log.end
                """.formatted(vmmBound);
    }

    @Test
    void consumerIndexesReadLateAreStoreBufferingThatConforms() {
        V2Replay.Verdict v = replay(2, consumerIndexesReadLate(1));
        assertTrue(v.ok(), v.text());
        assertEquals(17, v.eventsChecked(), v.text());
    }

    /** The check can fail: a late bound that leaves no free slot is a write into a ring full as the code saw it. */
    @Test
    void aLateBoundThatLeavesNoFreeSlotIsRejectedAtItsRecord() {
        V2Replay.Verdict v = replay(2, consumerIndexesReadLate(0));
        assertFalse(v.ok(), v.text());
        assertTrue(v.text().startsWith("replay: vmm.write_request (t.log:"), v.text());
        assertTrue(v.text().contains("cpu 0 seq 8"), v.text());
        assertTrue(v.text().contains("r:req_cons=0 leaves no free slot at pvt=2 (2 slots): the ring was full as read"), v.text());
    }
}
