package coopvmm.conformance.trace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written event-line scanner: what it accepts, and a located error for each way a
 * line can be garbled (the rules of docs/trace-format.md).
 */
class TraceParseTest {

    @Test
    void aLineParsesToItsFields() {
        TraceEvent e = Trace.parseEvent("12 1 18446744073709551615 iopm.consume iopm=0 id=7 cons=3", 40);
        assertEquals(40, e.line());
        assertEquals(12, e.seq());
        assertEquals(1, e.cpu());
        assertEquals(-1L, e.tsc(), "an unsigned 64-bit TSC");
        assertEquals("iopm.consume", e.name());
        assertSame("iopm.consume", e.name(), "names are interned");
        assertEquals(7, e.get("id"));
        assertEquals(3, e.get("cons"));
        assertTrue(e.has("iopm"));
        assertFalse(e.has("prod"));
        assertEquals(java.util.List.of("iopm", "id", "cons"), java.util.List.copyOf(e.fields().keySet()));
    }

    @Test
    void aRepeatedKeyKeepsItsLastValueAndTrailingSpacesEndNothing() {
        TraceEvent e = Trace.parseEvent("3 0 9 run.end a=1 a=2  ", 1);
        assertEquals(2, e.get("a"));
        assertEquals(1, e.fields().size());
        assertEquals(0, Trace.parseEvent("4 0 9 run.end", 1).fields().size());
    }

    @Test
    void eachGarbledFormIsALocatedError() {
        String[] bad = {
            "1 0 9",                       // no event name
            "1 x 9 run.end",               // cpu not a number
            "1  0 9 run.end",              // two spaces: an empty field
            "1 0 9 Run.end",               // upper case in the name
            "1 0 9 run",                   // a name without a family
            "1 0 9 run.end id",            // a field without =
            "1 0 9 run.end id=",           // no value
            "1 0 9 run.end id=-3",         // a sign
            "1 0 9 run.end 9d=3",          // a key starting with a digit
            "1 0 9 run.end id=99999999999999999999",   // out of range
        };
        for (String l : bad) {
            TraceFormatException x = assertThrows(TraceFormatException.class, () -> Trace.parseEvent(l, 77), l);
            assertEquals(77, x.line(), l + ": " + x.getMessage());
        }
    }

    /** A v1 trace: the header, then {@code lines} numbered from 0 (seq, cpu, tsc prepended). */
    private static java.nio.file.Path v1(String... lines) throws java.io.IOException {
        StringBuilder b = new StringBuilder("# coop-trace v=1 build=t cpus=2 iopms=1 ring_slots=2 slot_size=64 scenario=t seed=1\n");
        for (int k = 0; k < lines.length; k++) b.append(k).append(lines[k].startsWith("iopm.") ? " 1 " : " 0 ")
                .append(100 + k).append(' ').append(lines[k]).append('\n');
        java.nio.file.Path f = java.nio.file.Files.createTempFile("v1-", ".log");
        java.nio.file.Files.writeString(f, b);
        f.toFile().deleteOnExit();
        return f;
    }

    @Test
    void aV1PublishWithNotifyIsThePublishThenItsNotifyThenItsIpi() throws Exception {
        Trace t = Trace.read(v1("vmm.write_request iopm=0 id=1 pvt=1", "vmm.publish_requests iopm=0 prod=1 notify=1",
                "iopm.consume iopm=0 id=1 cons=1", "iopm.write_response iopm=0 id=1 pvt=1",
                "iopm.publish_responses iopm=0 prod=1 notify=1", "vmm.consume_response iopm=0 id=1 cons=1",
                "run.end status=0 requests=1"));
        java.util.List<String> names = t.events().stream().map(TraceEvent::name).toList();
        assertEquals(java.util.List.of("vmm.write_request", "vmm.publish_requests", "vmm.notify_iopm", "vmm.send_ipi",
                "iopm.consume", "iopm.write_response", "iopm.publish_responses", "iopm.notify_vmm", "iopm.send_ipi",
                "vmm.consume_response", "run.end"), names);
        TraceEvent pub = t.events().get(1), not = t.events().get(2), ipi = t.events().get(3);
        assertEquals(pub.line(), not.line(), "all three parts keep the line");
        assertEquals(pub.line(), ipi.line(), "all three parts keep the line");
        assertEquals(1, pub.seq());
        assertEquals(1, not.seq());
        assertEquals(1, ipi.seq());
        assertEquals(java.util.List.of("iopm"), java.util.List.copyOf(ipi.fields().keySet()), "send_ipi: the channel only");
        assertFalse(pub.has("notify"));
        assertEquals(1, pub.get("prod"));
        assertFalse(not.has("prod"));
        assertEquals(1, not.get("notify"));
        assertEquals(0, not.get("iopm"));
        assertEquals(5, t.events().get(9).seq(), "the numbering of the lines goes on");
        Trace quiet = Trace.read(v1("vmm.write_request iopm=0 id=1 pvt=1", "vmm.publish_requests iopm=0 prod=1 notify=0"));
        assertEquals(java.util.List.of("vmm.write_request", "vmm.publish_requests", "vmm.notify_iopm"),
                quiet.events().stream().map(TraceEvent::name).toList(), "notify=0: no IPI is sent");
        assertTrue(RingReplay.replay(t).conforms(), () -> RingReplay.replay(t).divergence().toString());
    }

    @Test
    void theSplitFormIsAcceptedAndAWrongNotifyIsPinnedOnItsLine() throws Exception {
        // between the VMM's publish and its notify, the IOPM takes the request, answers it and
        // re-arms its event index past it: the VMM's load then sees no IPI due (no order of the
        // once atomic publish explains that notify=0)
        Trace split = Trace.read(v1("vmm.write_request iopm=0 id=1 pvt=1", "vmm.publish_requests iopm=0 prod=1",
                "iopm.consume iopm=0 id=1 cons=1", "iopm.write_response iopm=0 id=1 pvt=1",
                "iopm.publish_responses iopm=0 prod=1", "iopm.notify_vmm iopm=0 notify=1", "iopm.send_ipi iopm=0",
                "iopm.prepare_sleep iopm=0 event=2", "vmm.notify_iopm iopm=0 notify=0",
                "iopm.final_check iopm=0 sleep=1"));
        assertEquals(11, split.events().size(), "the prepare_sleep line is two events");
        var r = RingReplay.replay(split);
        assertEquals(null, r.divergence(), "the IOPM may act between the publish and the notify");
        assertEquals(11, r.eventsChecked());
        Trace bad = Trace.read(v1("vmm.write_request iopm=0 id=1 pvt=1", "vmm.publish_requests iopm=0 prod=1 notify=0"));
        var d = RingReplay.replay(bad).divergence();
        assertEquals("vmm.notify_iopm", d.event().name(), "the IOPM's event index 1 lies in (0, 1]: an IPI was due");
        assertEquals(3, d.event().line());
        assertTrue(d.expected().contains("notify=1"), d.expected());
    }
    @Test
    void aV1PrepareSleepIsSeeIdleThenPrepareSleep() throws Exception {
        Trace t = Trace.read(v1("vmm.write_request iopm=0 id=1 pvt=1", "vmm.publish_requests iopm=0 prod=1 notify=1",
                "vmm.prepare_sleep iopm=0 event=1", "vmm.final_check iopm=0 sleep=1", "iopm.wake iopm=0",
                "iopm.consume iopm=0 id=1 cons=1", "iopm.write_response iopm=0 id=1 pvt=1",
                "iopm.publish_responses iopm=0 prod=1 notify=1", "iopm.prepare_sleep iopm=0 event=2",
                "iopm.final_check iopm=0 sleep=1", "vmm.wake iopm=0", "vmm.consume_response iopm=0 id=1 cons=1",
                "run.end status=0 requests=1"));
        java.util.List<String> names = t.events().stream().map(TraceEvent::name).toList();
        assertEquals(java.util.List.of("vmm.write_request", "vmm.publish_requests", "vmm.notify_iopm", "vmm.send_ipi",
                "vmm.see_idle", "vmm.prepare_sleep", "vmm.final_check", "iopm.wake", "iopm.consume", "iopm.write_response",
                "iopm.publish_responses", "iopm.notify_vmm", "iopm.send_ipi", "iopm.see_idle", "iopm.prepare_sleep",
                "iopm.final_check", "vmm.wake", "vmm.consume_response", "run.end"), names);
        TraceEvent idle = t.events().get(4), prep = t.events().get(5);
        assertEquals(idle.line(), prep.line(), "both halves keep the line");
        assertEquals(2, idle.seq());
        assertEquals(2, prep.seq());
        assertEquals(java.util.List.of("iopm"), java.util.List.copyOf(idle.fields().keySet()), "see_idle: the channel only");
        assertEquals(1, prep.get("event"));
        var r = RingReplay.replay(t);
        assertTrue(r.conforms(), () -> String.valueOf(r.divergence()));
        assertEquals(1, r.coverage().get(coopvmm.model.ring.RingAction.VMM_SEE_IDLE));
        assertEquals(1, r.coverage().get(coopvmm.model.ring.RingAction.IOPM_SEE_IDLE));

        // nothing outstanding: the VMM cannot go idle, and the error is the line's see_idle half
        Trace bad = Trace.read(v1("vmm.prepare_sleep iopm=0 event=1"));
        var d = RingReplay.replay(bad).divergence();
        assertEquals("vmm.see_idle", d.event().name());
        assertEquals(2, d.event().line());
    }

    /** A v2 trace's events (as V2Replay makes them) go straight to the replay: see_idle is its own event. */
    @Test
    void separateSeeIdleEventsReplayAndAPrepareSleepNeedsOne() {
        java.util.List<TraceEvent> evs = new java.util.ArrayList<>();
        String[][] steps = {{"vmm.write_request", "id", "1", "pvt", "1"}, {"vmm.publish_requests", "prod", "1"},
                {"vmm.notify_iopm", "notify", "1"}, {"vmm.send_ipi"}, {"vmm.see_idle"},
                // the IOPM publishes its answer between the VMM's load and its store of rsp_event:
                // its notify loads the old event index 1, in (0, 1]: an IPI all the same
                {"iopm.wake"}, {"iopm.consume", "id", "1", "cons", "1"}, {"iopm.write_response", "id", "1", "pvt", "1"},
                {"iopm.publish_responses", "prod", "1"}, {"iopm.notify_vmm", "notify", "1"}, {"iopm.send_ipi"},
                {"vmm.prepare_sleep", "event", "1"}, {"vmm.final_check", "sleep", "0"},
                {"vmm.consume_response", "id", "1", "cons", "1"}};
        for (int i = 0; i < steps.length; i++) evs.add(event(i, steps[i]));
        var r = Replay.run(new RingReplay(2), evs);
        assertEquals(null, r.divergence());
        assertEquals(steps.length, r.eventsChecked());

        // a prepare_sleep with no see_idle before it: PrepareSleep is not enabled at "run"
        java.util.List<TraceEvent> skip = new java.util.ArrayList<>(evs.subList(0, 4));
        skip.add(event(4, new String[] {"vmm.prepare_sleep", "event", "1"}));
        var d = Replay.run(new RingReplay(2), skip).divergence();
        assertEquals("vmm.prepare_sleep", d.event().name());
        assertTrue(d.expected().contains("VmmPrepareSleep enabled"), d.expected());
        assertTrue(d.expected().contains("VmmSeeIdle"), d.expected());
    }

    /** Event {@code i} of a v2-style channel 0: the name, then key, value pairs. */
    private static TraceEvent event(int i, String[] step) {
        int n = (step.length - 1) / 2;
        String[] keys = new String[n + 1];
        long[] values = new long[n + 1];
        keys[0] = "iopm";
        for (int j = 0; j < n; j++) {
            keys[j + 1] = step[1 + 2 * j];
            values[j + 1] = Long.parseLong(step[2 + 2 * j]);
        }
        return TraceEvent.of(i + 1, i, step[0].startsWith("iopm.") ? 1 : 0, 0, step[0], keys, values);
    }
}
