package coopvmm.conformance.trace;

import coopvmm.conformance.Repo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static coopvmm.conformance.trace.BootReplayTest.find;
import static coopvmm.conformance.trace.GuestIoReplayTest.C;
import static coopvmm.conformance.trace.GuestIoReplayTest.field;
import static coopvmm.conformance.trace.GuestIoReplayTest.seqAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLC trace validation of guest I/O events against {@code GuestIo} ({@link GuestIoTraceSpec}):
 * a trace written from a behaviour of the model, with a failover, is accepted; corrupted
 * copies of it are rejected by TLC at the corrupted event, the same event the model replay
 * rejects. One TLC run per case (each about 2 s).
 */
class GuestIoTraceSpecTest {

    static Path dir;
    /** A behaviour of the model with a failover that re-issues requests. */
    static List<String> base;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createDirectories(Repo.locate().reports().resolve("test-guestio-tlc"));
        for (long seed = 1; base == null; seed++) {
            List<String> l = GuestIoTraces.walk(C, true, 12, seed);
            if (l.stream().anyMatch(x -> x.contains(" vmm.failover ") && !x.contains("reissued=0"))) base = l;
        }
        var r = GuestIoReplay.replay(trace("original", base));
        assertTrue(r.conforms(), () -> "the original does not conform: " + r.divergence() + " " + r.endFailures());
    }

    static Trace trace(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name + ".log");
        Files.write(p, BootReplayTest.renumber(lines), StandardCharsets.ISO_8859_1);
        return Trace.read(p);
    }

    /** TLC's verdict on the guest I/O events of {@code t}: the only projection the trace has. */
    static TlaTraceValidation.Verdict tlc(String name, Trace t) throws Exception {
        var v = new TlaTraceValidation(Repo.locate().specs(), 300).validateAll(t, dir.resolve("tlc-" + name));
        assertEquals(1, v.size(), v::toString);
        var g = v.get(0);
        assertEquals("GuestIo", g.spec());
        assertEquals(GuestIoTraceSpec.events(t).size(), g.events());
        System.out.println(name + ": " + g.what() + " against " + g.spec() + ": "
                + (g.accepted() ? "accepted" : g.reason()) + " (" + g.events() + " events, TLC " + g.seconds() + " s)");
        return g;
    }

    /** The corrupted copy {@code l}, changed at line {@code at}: rejected there by the model and by TLC. */
    static void rejectedAt(String name, List<String> l, int at, String event) throws Exception {
        assertNotEquals(base.get(at), l.get(at), "the copy is corrupted");
        Trace t = trace(name, l);
        long seq = seqAt(l, at);
        var r = GuestIoReplay.replay(t);
        assertNotNull(r.divergence(), name + ": the model accepts it");
        assertEquals(seq, r.divergence().event().seq(), () -> r.divergence().toString());
        var g = tlc(name, t);
        assertTrue(!g.accepted(), name + ": TLC accepts it");
        // every event before it is a guest I/O event (the header and the constants line are comments)
        assertEquals("no GuestIo step matches event #" + seq + " (line " + (at + 1) + ", " + event + ") after " + seq
                + " matched steps", g.reason());
    }

    @Test
    void tlcAcceptsAGuestStoppedByTheVmm() throws Exception {
        List<String> l = GuestIoTraces.walk(C, false, 12, 31, 6);
        assertTrue(l.stream().anyMatch(x -> x.contains(" vmm.stop_guest ")), "the walk stops a guest");
        var g = tlc("stopped", trace("stopped", l));
        assertTrue(g.accepted(), g::reason);
    }

    @Test
    void tlcAcceptsABehaviourOfTheModelWithAFailover() throws Exception {
        var g = tlc("good", trace("good", base));
        assertTrue(g.accepted(), g::reason);
        assertTrue(g.tlc().distinct() >= GuestIoTraceSpec.events(trace("good", base)).size(), "one state per event at least");
    }

    @Test
    void tlcAcceptsTheConsolesCommandsAndRejectsAWrongAnswer() throws Exception {
        List<String> l = GuestIoTraces.walk(GuestIoReplayTest.CA, false, 12, 40);
        assertTrue(l.stream().anyMatch(x -> x.contains(" vmm.carry_out_command ")), "the walk carries out commands");
        var g = tlc("admin", trace("admin", l));
        assertTrue(g.accepted(), g::reason);

        List<String> bad = new ArrayList<>(l);
        int at = find(bad, "vmm.carry_out_command", 0);
        bad.set(at, bad.get(at).replace(" ok=0", " ok=1"));      // the early start was refused
        Trace t = trace("admin-wrong-ok", bad);
        long seq = seqAt(bad, at);
        assertEquals(seq, GuestIoReplay.replay(t).divergence().event().seq());
        var b = tlc("admin-wrong-ok", t);
        assertEquals("no GuestIo step matches event #" + seq + " (line " + (at + 1) + ", vmm.carry_out_command) after " + seq
                + " matched steps", b.reason());
    }

    @Test
    void tlcRejectsACompletionAppliedToTheWrongVcpu() throws Exception {
        List<String> l = new ArrayList<>(base);
        int at = find(l, "vmm.complete_exit", 0);
        long v = field(l.get(at), "vcpu"), w = (v + 1) % C.nVcpu();
        l.set(at, l.get(at).replace(" vcpu=" + v, " vcpu=" + w));
        rejectedAt("wrong-vcpu", l, at, "vmm.complete_exit");
    }

    @Test
    void tlcRejectsAResumeAtTheExitsRip() throws Exception {
        List<String> l = new ArrayList<>(base);
        // the DATA out at 258 (2 bytes) resumes at 260; a build that did not advance RIP resumes at 258
        int at = find(l, "vmm.resume_guest", 0);
        while (field(l.get(at), "rip") != 260) at = find(l, "vmm.resume_guest", at + 1);
        l.set(at, l.get(at).replace(" rip=260", " rip=258"));
        rejectedAt("rip-not-advanced", l, at, "vmm.resume_guest");
    }
}
