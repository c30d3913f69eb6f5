package coopvmm.conformance.trace;

import coopvmm.conformance.Repo;
import coopvmm.model.guestio.GuestIoAction;
import coopvmm.model.guestio.GuestIoConfig;
import coopvmm.model.guestio.GuestIoState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static coopvmm.conformance.trace.BootReplayTest.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest I/O replay on traces written from behaviours of the guest I/O model, and on
 * corrupted copies: each corruption is a known-bad input the replay must reject at the
 * corrupted event (its number), saying what the model expected. Each corrupted trace's
 * original is first shown to conform, so the rejection is the corruption's.
 */
class GuestIoReplayTest {

    /** Three vCPUs, three IOPMs each owning one port (port p on IOPM p), six I/Os each, two may stop. */
    static final GuestIoConfig C = new GuestIoConfig(3, 3, 3, 6, 2);
    /** The same, vCPU 3 (2 in the trace) a VM the console creates, starts, stops, starts and destroys. */
    static final GuestIoConfig CA = new GuestIoConfig(3, 3, 3, 6, 2, 1);

    static Path dir;

    @BeforeAll
    static void dir() throws Exception {
        dir = Files.createDirectories(Repo.locate().reports().resolve("test-guestio-replay"));
    }

    static Trace trace(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name + ".log");
        Files.write(p, BootReplayTest.renumber(lines), StandardCharsets.ISO_8859_1);
        return Trace.read(p);
    }

    /** A behaviour of the model, checked to conform as it is. */
    static List<String> good(String name, boolean failures, long seed) throws Exception {
        List<String> l = new ArrayList<>(GuestIoTraces.walk(C, failures, 12, seed));
        var r = GuestIoReplay.replay(trace(name + "-original", l));
        assertTrue(r.conforms(), () -> name + ": the original does not conform: " + r.divergence() + " " + r.endFailures());
        return l;
    }

    /** The event number of line {@code i} once renumbered (comment lines have none). */
    static long seqAt(List<String> l, int i) {
        long n = 0;
        for (int k = 0; k < i; k++) if (!l.get(k).startsWith("#")) n++;
        return n;
    }

    static long field(String line, String key) {
        return Long.parseLong(line.replaceAll(".* " + key + "=(\\d+).*", "$1"));
    }

    /** The replay of a corrupted copy, which must diverge at line {@code at} of {@code l}. */
    static Replay.Divergence<GuestIoState> rejectedAt(String name, List<String> l, int at, String event) throws Exception {
        var r = GuestIoReplay.replay(trace(name, l));
        assertNotNull(r.divergence(), name + ": not rejected");
        assertEquals(event, r.divergence().event().name(), () -> r.divergence().toString());
        assertEquals(seqAt(l, at), r.divergence().event().seq(), () -> r.divergence().toString());
        System.out.println(name + ": event #" + r.divergence().event().seq() + " " + r.divergence().event().name()
                + ": expected " + r.divergence().expected());
        return r.divergence();
    }

    @Test
    void behavioursOfTheModelConformAndCoverEveryAction() throws Exception {
        Map<GuestIoAction, Integer> covered = new EnumMap<>(GuestIoAction.class);
        int failovers = 0;
        for (boolean failures : List.of(false, true)) {
            for (long seed = 1; seed <= 6; seed++) {
                List<String> l = GuestIoTraces.walk(seed % 2 == 0 ? CA : C, failures, 12, seed);
                var r = GuestIoReplay.replay(trace("good-" + failures + "-" + seed, l));
                long seedNo = seed;
                assertNotNull(r);
                assertTrue(r.conforms(), () -> "seed " + seedNo + ": " + r.divergence() + " " + r.endFailures());
                assertFalse(r.partial());
                assertEquals(l.size() - 3, r.eventsChecked(), "every event but the header, constants and run.end");
                r.coverage().forEach((a, n) -> covered.merge(a, n, Integer::sum));
                if (!failures) assertFalse(r.coverage().containsKey(GuestIoAction.IOPM_FAIL));
                failovers += r.coverage().getOrDefault(GuestIoAction.VMM_FAILOVER, 0);
            }
        }
        // Finished is no event; the walks' guests are good ones, never stopped (a stop has its own test)
        Set<GuestIoAction> events = EnumSet.complementOf(EnumSet.of(GuestIoAction.FINISHED, GuestIoAction.VMM_STOP_GUEST));
        assertEquals(events, covered.keySet(), covered.toString());
        assertTrue(failovers >= 6, "failovers: " + failovers);
        System.out.println("coverage over 12 walks: " + covered);
    }

    /** The whole check (what conform and replay run) takes the guest I/O events too: the ring skips them, the guest I/O model judges them. */
    @Test
    void theWholeTraceCheckReplaysThem() throws Exception {
        List<String> l = good("whole-check", true, 24);
        var ok = TraceCheck.check(trace("whole-check", l), dir.resolve("whole-check"), null);
        assertTrue(ok.conforms() && ok.guestIo() != null && ok.guestIo().eventsChecked() > 0, () -> "" + ok.guestIo());
        int at = find(l, "vmm.complete_exit", 0);
        l.add(at + 1, l.get(at));
        var bad = TraceCheck.check(trace("whole-check-bad", l), dir.resolve("whole-check-bad"), null);
        assertTrue(!bad.conforms() && bad.guestIo().divergence() != null, () -> "" + bad.guestIo());
    }

    @Test
    void aCompletionAppliedToTheWrongVcpuIsRejected() throws Exception {
        List<String> l = good("wrong-vcpu", false, 21);
        int at = find(l, "vmm.complete_exit", 0);
        long v = field(l.get(at), "vcpu"), w = (v + 1) % C.nVcpu();
        l.set(at, l.get(at).replace(" vcpu=" + v, " vcpu=" + w));
        var d = rejectedAt("wrong-vcpu", l, at, "vmm.complete_exit");
        assertTrue(d.expected().startsWith("vcpu=" + v + " (the vCPU the oldest response of iopm="), d.expected());
        assertTrue(d.expected().contains("a response completes its own vCPU's exit; trace says vcpu=" + w), d.expected());
    }

    @Test
    void aStoppedGuestConformsAndAStopOfAWaitingVcpuIsRejected() throws Exception {
        List<String> l = new ArrayList<>(GuestIoTraces.walk(C, false, 12, 31, 6));
        var r = GuestIoReplay.replay(trace("stopped", l));
        assertTrue(r.conforms(), () -> "a stopped guest: " + r.divergence() + " " + r.endFailures());
        assertEquals(1, r.coverage().getOrDefault(GuestIoAction.VMM_STOP_GUEST, 0));
        // the same stop moved to just after a capture of that vCPU: it is exited, not running
        int stop = find(l, "vmm.stop_guest vcpu=0", 0), cap = find(l, "vmm.capture_exit vcpu=0", 0);
        List<String> bad = new ArrayList<>(l);
        String line = bad.remove(stop);
        bad.add(cap + 1, line);
        var d = rejectedAt("stop-while-exited", bad, cap + 1, "vmm.stop_guest");
        assertTrue(d.expected().contains("vcpu=0 is exited, not running guest code"), d.expected());
    }

    @Test
    void aResumeAtTheExitsRipIsRejected() throws Exception {
        List<String> l = good("rip-not-advanced", false, 22);
        // the in at 260 (STATUS, 2 bytes) resumes at 262; a build that did not advance RIP resumes at 260
        int at = find(l, "vmm.resume_guest", 0);
        while (field(l.get(at), "rip") != 262) at = find(l, "vmm.resume_guest", at + 1);
        l.set(at, l.get(at).replace(" rip=262", " rip=260"));
        var d = rejectedAt("rip-not-advanced", l, at, "vmm.resume_guest");
        assertEquals("rip=262 (past the in at rip=260; trace says rip=260)", d.expected());
    }

    @Test
    void aSecondCompletionOfTheSameExitIsRejected() throws Exception {
        List<String> l = good("second-completion", true, 23);
        int at = find(l, "vmm.complete_exit", 0);
        l.add(at + 1, l.get(at));
        var d = rejectedAt("second-completion", l, at + 1, "vmm.complete_exit");
        long v = field(l.get(at), "vcpu"), rip = field(l.get(at), "rip");
        assertTrue(d.expected().contains("vcpu=" + v + " is completed, not waiting: its exit at rip=" + rip
                + " was completed already"), d.expected());
    }

    @Test
    void aDroppedCaptureIsRejectedAtTheSubmitThatNeedsIt() throws Exception {
        List<String> l = good("dropped-capture", true, 24);
        int cap = find(l, "vmm.capture_exit vcpu=1", 0);
        cap = find(l, "vmm.capture_exit vcpu=1", cap + 1);                // its second exit, at rip=258
        l.remove(cap);
        int submit = find(l, "vmm.submit_exit vcpu=1", cap);
        var d = rejectedAt("dropped-capture", l, submit, "vmm.submit_exit");
        assertTrue(d.expected().startsWith("VmmSubmitExit(2) enabled; it is not in this state (vcpu=1 is guest, not exited:"
                + " no exit of it was captured; enabled: "), d.expected());
    }

    /** A behaviour with a failover of IOPM f after which a vCPU submits on f's old port. */
    static int[] failoverThenSubmitOnItsPort(List<String> l) {
        for (int fo = 0; fo < l.size(); fo++) {
            if (!l.get(fo).contains(" vmm.failover ")) continue;
            long f = field(l.get(fo), "iopm"), to = field(l.get(fo), "to");
            for (int k = fo + 1; k < l.size(); k++) {
                String x = l.get(k);
                if (x.contains(" vmm.failover ")) break;                 // one failover at a time
                if (!x.contains(" vmm.submit_exit ") || field(x, "iopm") != to) continue;
                int cap = k;
                while (!l.get(cap).contains(" vmm.capture_exit vcpu=" + field(x, "vcpu") + " ")) cap--;
                if (field(l.get(cap), "port") == f) return new int[] {fo, k};  // port f was IOPM f's at boot
            }
        }
        return null;
    }

    @Test
    void aRequestSentToAFailedIopmAfterItsFailoverIsRejected() throws Exception {
        for (long seed = 30; seed < 130; seed++) {
            List<String> l = GuestIoTraces.walk(C, true, 12, seed);
            int[] at = failoverThenSubmitOnItsPort(l);
            if (at == null) continue;
            good("failed-iopm", true, seed);
            long f = field(l.get(at[0]), "iopm"), to = field(l.get(at[0]), "to");
            l.set(at[1], l.get(at[1]).replace(" iopm=" + to, " iopm=" + f));
            var d = rejectedAt("failed-iopm", l, at[1], "vmm.submit_exit");
            assertEquals("iopm=" + to + " (the owner of port " + f + " now; trace says iopm=" + f
                    + ", declared failed by its vmm.failover)", d.expected());
            return;
        }
        throw new AssertionError("no walk submits on a failed-over port");
    }

    @Test
    void aFailoverThatDropsItsQueuedRequestsIsRejected() throws Exception {
        for (long seed = 1; seed < 100; seed++) {
            List<String> l = GuestIoTraces.walk(C, true, 12, seed);
            int at = -1;
            for (int k = 0; k < l.size() && at < 0; k++)
                if (l.get(k).contains(" vmm.failover ") && field(l.get(k), "reissued") > 0) at = k;
            if (at < 0) continue;
            long n = field(l.get(at), "reissued");
            l.set(at, l.get(at).replace(" reissued=" + n, " reissued=0"));
            var d = rejectedAt("failover-drops", l, at, "vmm.failover");
            assertTrue(d.expected().equals("reissued=" + n + " (the requests iopm=" + field(l.get(at), "iopm")
                    + " had not taken; trace says reissued=0)"), d.expected());
            return;
        }
        throw new AssertionError("no walk fails over with requests queued");
    }

    @Test
    void anInsResultNotAppliedIsRejected() throws Exception {
        List<String> l = good("wrong-al", false, 25);
        // the STATUS in at 260 comes after its vCPU's write was served: it names that sector, never 0
        int at = find(l, "vmm.resume_guest vcpu=2 rip=262", 0);
        l.set(at, l.get(at).replaceAll(" al=\\d+", " al=0"));
        var d = rejectedAt("wrong-al", l, at, "vmm.resume_guest");
        assertTrue(d.expected().startsWith("al="), d.expected());
        assertTrue(d.expected().endsWith("(the in's result; trace says al=0)"), d.expected());
    }

    @Test
    void aRunThatEndsWithExitsOutstandingFailsTheEnd() throws Exception {
        List<String> l = good("unfinished", false, 26);
        int submit = find(l, "vmm.submit_exit", 0);
        List<String> early = new ArrayList<>(l.subList(0, submit + 1));
        early.add("0 0 99999 run.end status=0 requests=0");
        var r = GuestIoReplay.replay(trace("unfinished", early));
        assertNull(r.divergence());
        assertTrue(r.endFailures().stream().anyMatch(x -> x.startsWith("EveryExitCompleted: vcpu=")), r.endFailures().toString());
        assertTrue(r.endFailures().stream().anyMatch(x -> x.startsWith("EveryGuestFinishes: vcpu=")), r.endFailures().toString());
        System.out.println("unfinished: " + r.endFailures());

        List<String> cut = new ArrayList<>(l.subList(0, submit + 1));            // no run.end: partial, no verdict on the end
        var c = GuestIoReplay.replay(trace("cut", cut));
        assertTrue(c.partial());
        assertTrue(c.conforms());
    }

    @Test
    void guestIoEventsWithoutTheirConstantsAreAMalformedTrace() throws Exception {
        List<String> l = good("no-constants", false, 27);
        int constants = find(l, "guestio", 0);
        l.remove(constants);
        Trace t = trace("no-constants", l);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> GuestIoReplay.replay(t));
        assertTrue(e.getMessage().contains("no '# guestio vcpus="), e.getMessage());
        assertEquals(constants + 1, e.line(), "the line of the first guest I/O event");
        assertEquals(0, e.seq());

        List<String> g = good("bad-constants", false, 27);
        g.set(constants, g.get(constants).replace("max_fail=2", "max_fail=3"));  // MaxFail < NIopm
        Trace bad = trace("bad-constants", g);
        TraceFormatException e2 = assertThrows(TraceFormatException.class, () -> GuestIoReplay.replay(bad));
        assertTrue(e2.getMessage().startsWith("bad '# guestio' constants: MaxFail"), e2.getMessage());
    }

    /** An admin walk of the model (the console's commands), checked to conform as it is. */
    static List<String> goodAdmin(String name, long seed) throws Exception {
        List<String> l = new ArrayList<>(GuestIoTraces.walk(CA, false, 12, seed));
        var r = GuestIoReplay.replay(trace(name + "-original", l));
        assertTrue(r.conforms(), () -> name + ": the original does not conform: " + r.divergence() + " " + r.endFailures());
        assertTrue(r.coverage().getOrDefault(GuestIoAction.VMM_CARRY_OUT_COMMAND, 0) == 6, r.coverage()::toString);
        return l;
    }

    @Test
    void aCommandAnsweredWrongIsRejected() throws Exception {
        List<String> l = goodAdmin("admin-wrong-ok", 40);
        int at = find(l, "vmm.carry_out_command", 0);                 // the start of an absent VM: refused
        l.set(at, l.get(at).replace(" ok=0", " ok=1"));
        var d = rejectedAt("admin-wrong-ok", l, at, "vmm.carry_out_command");
        assertEquals("ok=0 (a start of a VM that is absent is refused; trace says ok=1)", d.expected());
    }

    @Test
    void aCommandCarriedOutTwiceOrNeverIsRejected() throws Exception {
        List<String> l = goodAdmin("admin-twice", 41);
        int at = find(l, "vmm.carry_out_command", 0);
        List<String> twice = new ArrayList<>(l);
        twice.add(at + 1, l.get(at));
        var d = rejectedAt("admin-twice", twice, at + 1, "vmm.carry_out_command");
        assertTrue(d.expected().startsWith("n=2 (the oldest command on iopm=0's management ring") || d.expected().contains("no command"),
                d.expected());

        List<String> never = new ArrayList<>(l);                      // command 1 never carried out: the next
        never.remove(at);                                             // carry-out or answer names the wrong one
        int next = at;
        while (!never.get(next).contains(" vmm.carry_out_command ") && !never.get(next).contains(" iopm.take_answer ")) next++;
        String ev = never.get(next).contains(" vmm.carry_out_command ") ? "vmm.carry_out_command" : "iopm.take_answer";
        var n = rejectedAt("admin-never", never, next, ev);
        assertTrue(n.expected().startsWith("n=1 (") || n.expected().contains("has no answer to take"), n.expected());
    }

    /** Each field the replay checks, off by one in its first event, is rejected there; so is a parameter out of range. */
    @Test
    void everyFieldCheckCanFail() throws Exception {
        List<String> base = null;
        for (long seed = 1; base == null; seed++) {
            List<String> l = GuestIoTraces.walk(C, true, 12, seed);
            if (l.stream().anyMatch(x -> x.contains(" vmm.failover ") && !x.contains("reissued=0"))) base = good("fields", true, seed);
        }
        String[][] checks = {
                {"vmm.capture_exit", "rip"}, {"vmm.capture_exit", "port"}, {"vmm.capture_exit", "dir"}, {"vmm.capture_exit", "data"},
                {"vmm.submit_exit", "rip"}, {"vmm.submit_exit", "iopm"},
                {"iopm.serve", "vcpu"}, {"iopm.serve", "rip"}, {"iopm.serve", "result"},
                {"vmm.complete_exit", "vcpu"}, {"vmm.complete_exit", "rip"}, {"vmm.complete_exit", "result"},
                {"vmm.resume_guest", "rip"}, {"vmm.failover", "to"}, {"vmm.failover", "reissued"},
                {"guest.check", "al"}, {"guest.check", "pass"}};
        {   // reg= (the disk controller's register) is checked when the build traced it, as this one does
            List<String> l = new ArrayList<>(base);
            int at = find(l, "vmm.capture_exit", 0);
            long v = field(l.get(at), "reg");
            l.set(at, l.get(at).replace(" reg=" + v, " reg=" + (v + 1)));
            var d = rejectedAt("field-capture-reg", l, at, "vmm.capture_exit");
            assertEquals("reg=" + v + " (the register of the out at rip=256: SEL; trace says reg=" + (v + 1) + ")", d.expected());
        }
        for (String[] c : checks) {
            List<String> l = new ArrayList<>(base);
            int at = find(l, c[0], 0);
            long v = field(l.get(at), c[1]);
            l.set(at, l.get(at).replace(" " + c[1] + "=" + v, " " + c[1] + "=" + (v + 1)));
            var d = rejectedAt("field-" + c[0] + "-" + c[1], l, at, c[0]);
            assertTrue(d.expected().contains("trace says " + c[1] + "=" + (v + 1)), d.expected());

            List<String> m = new ArrayList<>(base);                           // the field missing
            m.set(at, m.get(at).replace(" " + c[1] + "=" + v, ""));
            var dm = rejectedAt("missing-" + c[0] + "-" + c[1], m, at, c[0]);
            assertTrue(dm.expected().contains("field " + c[1] + "=") || dm.expected().contains("field is missing"), dm.expected());
        }
        List<String> l = new ArrayList<>(base);
        int at = find(l, "vmm.capture_exit", 0);
        l.set(at, l.get(at).replaceAll(" vcpu=\\d+", " vcpu=7"));
        var d = rejectedAt("vcpu-out-of-range", l, at, "vmm.capture_exit");
        assertEquals("a vCPU of this run (vcpu=0..2), not vcpu=7", d.expected());
    }

    @Test
    void aTraceWithoutGuestIoEventsHasNoGuestIoVerdict() throws Exception {
        assertNull(GuestIoReplay.replay(trace("none", ModelTraces.irq(IrqReplayTest.C, 20, 1))));
    }
}
