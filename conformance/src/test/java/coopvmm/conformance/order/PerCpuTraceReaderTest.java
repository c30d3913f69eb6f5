package coopvmm.conformance.order;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The v2 reader: what a record parses to, and a located error (file:line, cpu, seq) for each
 * way a log can be broken, with the records before the error kept.
 */
class PerCpuTraceReaderTest {

    static final String HEADER = OrderCheckTest.HEADER;

    static V2Trace read(String body) {
        return PerCpuTraceReader.readText("t.log", HEADER + body);
    }

    static V2TraceException error(String body) {
        V2Trace t = read(body);
        assertNotNull(t.error(), "an error expected in:\n" + body);
        return t.error();
    }

    @Test
    void aRecordParsesToItsFieldsAccessesAndBox() {
        V2Trace t = read("""
                0 0 vmm.notify_iopm iopm=2 mb r:req_event=18446744073709551615 notify=1 w:ipi_to_iopm=7 tsc=10-12
                0 1 log.end
                1 0 log.end
                """);
        assertNull(t.error());
        assertFalse(t.partial());
        V2Event e = t.event(0, 0);
        assertEquals("vmm.notify_iopm", e.name());
        assertEquals(2, e.channel());
        assertArrayEquals(new String[]{"iopm", "notify"}, e.fieldNames(), "fields in the order of the line");
        assertArrayEquals(new long[]{2, 1}, e.fieldValues());
        assertEquals(List.of(new Access(Access.Kind.FENCE, 2, null, 0), new Access(Access.Kind.READ, 2, "req_event", -1L),
                new Access(Access.Kind.WRITE, 2, "ipi_to_iopm", 7)), List.of(e.accesses()));
        assertEquals(new V2Event.Tsc(10, 12), e.tsc());
        assertEquals("t.log:2", e.where());
        assertEquals("req_event@iopm2", t.words().display(0));
        assertEquals(1, t.words().initial(0));
    }

    @Test
    void eachMalformedTokenIsALocatedErrorNamingCpuAndSeq() {
        String[] bad = {
                "1 0 iopm.consume r:req_prod",            // an access without a value
                "1 0 iopm.consume r:req_prod=",            // no value
                "1 0 iopm.consume r:Req_prod=1",           // upper case
                "1 0 iopm.consume r:req..id=1",            // an empty word part
                "1 0 iopm.consume r:req_prod=-1",          // a sign
                "1 0 iopm.consume x:req_prod=1",           // not an access kind
                "1 0 iopm.consume iopm=0  r:req_prod=1",   // two spaces
                "1 0 iopm.consume id=99999999999999999999",   // out of range
                "1 0 iopm.consume tsc=5",                  // a box without its end
                "1 0 iopm.consume tsc=5-6 id=1",           // something after the box
                "1 0 iopm.consume mbx",                    // not a barrier
                "1 0 Iopm.consume",                        // the event name
        };
        for (String l : bad) {
            V2TraceException x = error(l + "\n");
            assertTrue(x.malformed(), l);
            assertEquals(2, x.exitCode());
            assertTrue(x.getMessage().startsWith("t.log:2: cpu 1 seq 0: "), l + " -> " + x.getMessage());
        }
        V2TraceException x = error("x 0 iopm.consume\n");
        assertEquals("t.log", x.file());
        assertEquals(2, x.line());
        assertTrue(x.getMessage().startsWith("t.log:2: garbled record"), x.getMessage());
    }

    @Test
    void aGapIsAnErrorAndTheRecordsBeforeItAreKept() {
        V2Trace t = read("""
                1 0 iopm.prepare_sleep iopm=0 r:req_prod=0 w:req_event=1
                1 1 iopm.final_check iopm=0 mb r:req_prod=0
                1 3 iopm.wake iopm=0 r:ipi_to_iopm=1
                """);
        V2TraceException x = t.error();
        assertFalse(x.malformed());
        assertEquals(1, x.exitCode());
        assertEquals("t.log:4: cpu 1 seq 3: a gap in cpu 1's log: seq 2 expected after seq 1 (t.log:3), records 2 are missing",
                x.getMessage());
        assertEquals(2, t.log(0).events(), "the records up to the error are kept");
        assertEquals(OrderResult.Outcome.ERROR, OrderCheck.check(t, 0).outcome());
        assertTrue(error("1 1 iopm.wake iopm=0\n").getMessage().contains("seq 0 expected (its first record)"));
    }

    @Test
    void twoCpusClaimingTheSameNumbersAreARepeat() {
        // cpu 0's buffer was drained under cpu 1's id: cpu 1's seq 0 and 1 come twice
        V2TraceException x = error("""
                1 0 iopm.prepare_sleep iopm=0 r:req_prod=0 w:req_event=1
                1 1 iopm.final_check iopm=0 mb r:req_prod=0
                1 0 vmm.publish_requests iopm=0 w:req_prod=1
                """);
        assertEquals("t.log:4: cpu 1 seq 0: seq 0 repeats in cpu 1's log (seq 0 was t.log:2, seq 1 the last): an overwritten"
                + " buffer, or two CPUs claiming the same numbers", x.getMessage());
        assertEquals(1, x.cpu());
        assertEquals(0, x.seq());
    }

    @Test
    void aRecordAfterLogEndIsAnError() {
        V2TraceException x = error("""
                0 0 vmm.publish_requests iopm=0 w:req_prod=1
                0 1 log.end
                0 2 vmm.publish_requests iopm=0 w:req_prod=2
                """);
        assertEquals("t.log:4: cpu 0 seq 2: a record after cpu 0's log.end (seq 1, t.log:3)", x.getMessage());
    }

    @Test
    void aLogWithoutLogEndIsCutShortAndAPartialLastLineIsDropped() {
        V2Trace t = read("""
                0 0 vmm.publish_requests iopm=0 w:req_prod=1
                0 1 log.end
                1 0 iopm.prepare_sleep iopm=0 r:req_prod=0 w:req_event=1
                1 1 iopm.final_check iopm=0 mb r:req_pr""");
        assertNull(t.error());
        assertTrue(t.partial());
        assertEquals(List.of("t.log:5: the file ends inside a line (a cut run): dropped",
                "cpu 1's log is cut short (no log.end after seq 0, t.log:4)"), t.partialReasons());
        assertEquals(1, t.log(1).events());
    }

    @Test
    void aMissingHeaderOrAnotherVersionIsMalformed() {
        V2Trace t = PerCpuTraceReader.readText("t.log", "0 0 vmm.publish_requests iopm=0 w:req_prod=1\n");
        assertTrue(t.error().malformed());
        assertTrue(t.error().getMessage().contains("no '# coop-trace v=2' header"), t.error().getMessage());
        t = PerCpuTraceReader.readText("t.log", "# coop-trace v=1 build=x\n");
        assertEquals("t.log:1: trace format version 1: this reader takes v=2 (per-CPU logs); v=1 traces go through"
                + " coopvmm.conformance.trace", t.error().getMessage());
        assertEquals(2, OrderCheck.check(t, 0).exitCode());
    }

    /**
     * The reader compares a name with the one at the same place of the event's last record
     * before it scans it: a record after one that named the same things reads as it would alone,
     * and so does a broken one (the same message).
     */
    @Test
    void aRecordAfterOneOfTheSameEventReadsAsItWouldAlone() {
        String good = "1 0 iopm.consume iopm=0 id=1 cons=1 r:req_prod=1 r:req.0.id=1 w:req_cons=1\n";
        String[] same = {
                "iopm=0 id=2 cons=2 r:req_prod=2 r:req.0.id=2 w:req_cons=2",
                "iopm=0 cons=2 id=2 r:req_prod=2 w:req_cons=2 r:req.0.id=2",   // another order
                "iopm=0 r:id=2 id=2 r:req.0.idx=2 mb r:req_prod=2 w:req_cons=2", // a field's name as a word
                "iopm=0 idd=2 i=2 req_prod=2 r:req_pro=2 r:req.0.id=18446744073709551615 w:req_cons=3 tsc=1-2",
        };
        for (String rest : same) {
            V2Trace alone = read("1 0 iopm.consume " + rest + "\n"), after = read(good + "1 1 iopm.consume " + rest + "\n");
            assertNull(alone.error(), rest);
            assertNull(after.error(), rest);
            V2Event a = alone.event(0, 0), b = after.event(0, 1);
            assertEquals(a.toLine().substring(4), b.toLine().substring(4), rest);
            assertEquals(List.of(a.accesses()), List.of(b.accesses()), rest);
        }
        String[] bad = {
                "iopm=0 id=2x cons=2",
                "iopm=0 id=99999999999999999999 cons=2",
                "iopm=0 id.x=2",
                "iopm=0 id=2 cons=2 r:req_prod=2 r:req.0.id.=2",
                "iopm=0 id=2 cons=2 r:req_prod=2 r:req.0.id",
                "iopm=0 id=2 cons=2 r:req_prod=",
                "iopm=0 id=2 cons=2 r:req_prod=1-2",
                "iopm=0 id=2 cons=2 w:req_cons=2 tsc=3",
                "iopm=99999999999 id=2",
        };
        for (String rest : bad) {
            String alone = error("1 0 iopm.consume " + rest + "\n").getMessage();
            String after = error(good + "1 1 iopm.consume " + rest + "\n").getMessage();
            assertTrue(alone.startsWith("t.log:2: cpu 1 seq 0: "), alone);
            assertEquals(alone.replace("t.log:2: cpu 1 seq 0: ", "t.log:3: cpu 1 seq 1: ").replace("1 0 iopm.consume", "1 1 iopm.consume"),
                    after, rest);
        }
    }
}
