package coopvmm.conformance.trace;

import coopvmm.conformance.Repo;
import coopvmm.model.mgmtring.MgmtRing;
import coopvmm.model.mgmtring.MgmtRingAction;
import coopvmm.model.mgmtring.MgmtRingState;
import coopvmm.model.ring.Pc;
import coopvmm.model.ring.RingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management ring's replay ({@link MgmtRingReplay}) on traces written from random walks of
 * its model, with the events and fields the reference VMM writes (mgmt.iopm.*, mgmt.vmm.*):
 * they conform and cover every action but a hostile console's; corrupted copies are rejected
 * at the corrupted event, saying what the model expected.
 */
class MgmtRingReplayTest {

    static final int SLOTS = 4;
    static Path dir;

    @BeforeAll
    static void dir() throws Exception {
        dir = Files.createDirectories(Repo.locate().reports().resolve("test-mgmt-replay"));
    }

    /** A walk of the model with six commands on channel 0, as trace lines (fair enough to end). */
    static List<String> walk(long seed) {
        RingConfig c = new RingConfig(SLOTS, RingConfig.U32, 6, false);
        MgmtRing ring = new MgmtRing(c);
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>(List.of("# coop-trace v=1 build=model cpus=2 iopms=1 ring_slots=16 slot_size=64 scenario=vm-admin seed=" + seed,
                "# mgmt slots=" + SLOTS));
        MgmtRingState s = MgmtRingState.init(c);
        for (int k = 0; k < 10_000 && !ring.done(s); k++) {
            List<MgmtRing.Step> next = new ArrayList<>();
            for (MgmtRing.Step st : ring.successors(s))   // a spurious wake now and then (never needed)
                if (st.action() != MgmtRingAction.FINISHED && (!st.action().tla().contains("SpuriousWake") || rnd.nextInt(4) == 0))
                    next.add(st);
            if (next.isEmpty())                             // both asleep: only a spurious wake moves on
                for (MgmtRing.Step st : ring.successors(s)) if (st.action().tla().contains("SpuriousWake")) next.add(st);
            MgmtRing.Step st = next.get(rnd.nextInt(next.size()));
            out.add("0 " + (st.action().tla().startsWith("Iopm") ? 1 : 0) + " " + (1000 + 10L * k) + " " + st.action().event()
                    + " iopm=0" + fields(st, s));
            s = st.next();
        }
        out.add("0 0 999999 run.end status=0");
        return out;
    }

    private static String fields(MgmtRing.Step st, MgmtRingState s) {
        MgmtRingState t = st.next();
        return switch (st.action()) {
            case IOPM_WRITE_COMMAND -> " id=" + s.nextId() + " pvt=" + t.cmdPvt();
            case IOPM_PUBLISH_COMMANDS -> " prod=" + t.cmdProd();
            case IOPM_NOTIFY_VMM -> " notify=" + (t.conPc() == Pc.IPI ? 1 : 0);
            case IOPM_TAKE_ANSWER -> " id=" + t.ansGot().get(t.ansGot().size() - 1) + " cons=" + t.ansCons();
            case IOPM_PREPARE_SLEEP -> " event=" + t.ansEvent();
            case IOPM_FINAL_CHECK -> " sleep=" + (t.conPc() == Pc.SLEEP ? 1 : 0);
            case VMM_TAKE_COMMAND -> " id=" + t.cmdGot().get(t.cmdGot().size() - 1) + " cons=" + t.cmdCons();
            case VMM_WRITE_ANSWER -> " id=" + s.pending().get(0) + " pvt=" + t.ansPvt();
            case VMM_PUBLISH_ANSWERS -> " prod=" + t.ansProd();
            case VMM_NOTIFY_IOPM -> " notify=" + (t.vmmPc() == Pc.IPI ? 1 : 0);
            case VMM_PREPARE_SLEEP -> " event=" + t.cmdEvent();
            case VMM_FINAL_CHECK -> " sleep=" + (t.vmmPc() == Pc.SLEEP ? 1 : 0);
            default -> "";
        };
    }

    static Trace trace(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name + ".log");
        Files.write(p, BootReplayTest.renumber(lines), StandardCharsets.ISO_8859_1);
        return Trace.read(p);
    }

    static int find(List<String> l, String what, int from) {
        for (int i = from; i < l.size(); i++) if (l.get(i).contains(" " + what + " ")) return i;
        throw new AssertionError("no " + what);
    }

    /** The replay of a corrupted copy, rejected at line {@code at}. */
    static Replay.Divergence<MgmtRingState> rejectedAt(String name, List<String> l, int at) throws Exception {
        var r = MgmtRingReplay.replay(trace(name, l));
        assertNotNull(r.divergence(), name + ": not rejected");
        assertEquals(at + 1, r.divergence().event().line(), () -> r.divergence().toString());
        System.out.println(name + ": " + r.divergence().event().name() + ": expected " + r.divergence().expected());
        return r.divergence();
    }

    @Test
    void walksOfTheModelConformAndCoverEveryActionButAHostileConsoles() throws Exception {
        Map<MgmtRingAction, Integer> covered = new EnumMap<>(MgmtRingAction.class);
        for (long seed = 1; seed <= 20; seed++) {
            List<String> l = walk(seed);
            var r = MgmtRingReplay.replay(trace("good-" + seed, l));
            long sd = seed;
            assertTrue(r.conforms(), () -> "seed " + sd + ": " + r.divergence());
            assertEquals(l.size() - 3, r.eventsChecked());
            r.coverage().forEach((a, n) -> covered.merge(a, n, Integer::sum));
        }
        for (MgmtRingAction a : MgmtRingAction.values())
            if (a != MgmtRingAction.FINISHED && a != MgmtRingAction.IOPM_PUBLISH_BOGUS && a != MgmtRingAction.VMM_DECLARE_CONSOLE_BROKEN)
                assertTrue(covered.containsKey(a), a + " not covered: " + covered);
        System.out.println("coverage over 20 walks: " + covered);
    }

    @Test
    void aWrongIdAnIndexOffByOneAndAWrongDecisionAreRejected() throws Exception {
        List<String> base = walk(3);
        String[][] checks = {{"mgmt.vmm.take_command", "id"}, {"mgmt.iopm.write_command", "pvt"},
                {"mgmt.vmm.publish_answers", "prod"}, {"mgmt.iopm.take_answer", "cons"}, {"mgmt.vmm.prepare_sleep", "event"}};
        for (String[] c : checks) {
            List<String> l = new ArrayList<>(base);
            int at = find(l, c[0], 0);
            long v = Long.parseLong(l.get(at).replaceAll(".* " + c[1] + "=(\\d+).*", "$1"));
            l.set(at, l.get(at).replace(" " + c[1] + "=" + v, " " + c[1] + "=" + (v + 1)));
            var d = rejectedAt("off-" + c[1], l, at);
            assertTrue(d.expected().contains("trace says " + c[1] + "=" + (v + 1)), d.expected());
        }
        List<String> l = new ArrayList<>(base);
        int at = find(l, "mgmt.iopm.final_check", 0);
        long sleep = Long.parseLong(l.get(at).replaceAll(".* sleep=(\\d+).*", "$1"));
        l.set(at, l.get(at).replace(" sleep=" + sleep, " sleep=" + (1 - sleep)));
        var d = rejectedAt("wrong-sleep", l, at);
        assertTrue(d.expected().startsWith("sleep=" + sleep + " ("), d.expected());
    }

    /**
     * A per-CPU (v2) record's late read of the peer's consumer index, as the v2 replay hands it
     * over (a field {@code r:cmd_cons}): an older bound conforms, one later than the model's
     * index is a read of a write not yet made.
     */
    @Test
    void aBoundReadLateConformsAndOneFromTheFutureIsRejected() throws Exception {
        Trace t = trace("bound", walk(3));
        int at = -1;
        for (int i = 0; i < t.events().size() && at < 0; i++)
            if (t.events().get(i).name().equals("mgmt.iopm.write_command") && t.events().get(i).get("id") >= 2) at = i;
        assertTrue(at >= 0, "a second command");
        assertTrue(MgmtRingReplay.replay(withBound(t, at, 0)).conforms(), "a bound of 0 (late: the first command was taken)");
        var d = MgmtRingReplay.replay(withBound(t, at, 1000)).divergence();
        assertNotNull(d);
        assertEquals("mgmt.iopm.write_command", d.event().name());
        assertTrue(d.expected().contains("r:cmd_cons=1000 is later than the model's cmdCons"), d.expected());
    }

    /** {@code t} with event {@code at} carrying the bound it read, {@code r:cmd_cons=read}. */
    private static Trace withBound(Trace t, int at, long read) {
        List<TraceEvent> ev = new ArrayList<>(t.events());
        TraceEvent e = ev.get(at);
        Map<String, Long> f = new java.util.LinkedHashMap<>(e.fields());
        f.put("r:cmd_cons", read);
        ev.set(at, new TraceEvent(e.line(), e.seq(), e.cpu(), e.tsc(), e.name(), f));
        return new Trace(t.file(), t.header(), t.zones(), t.comments(), ev);
    }

    @Test
    void aCommandTakenTwiceAndAWakeWithNoIpiAreRejected() throws Exception {
        List<String> base = walk(5);
        List<String> twice = new ArrayList<>(base);
        int at = find(twice, "mgmt.vmm.take_command", 0);
        twice.add(at + 1, twice.get(at));
        var d = rejectedAt("taken-twice", twice, at + 1);
        assertTrue(d.expected().startsWith("VmmTakeCommand enabled; it is not in this state") || d.expected().contains("trace says"),
                d.expected());

        List<String> wake = new ArrayList<>(base);                     // a wake before any IPI was sent
        int first = find(wake, "mgmt.iopm.write_command", 0);
        wake.add(first, "0 0 1 mgmt.vmm.wake iopm=0");
        var w = rejectedAt("wake-no-ipi", wake, first);
        assertTrue(w.expected().contains("no IPI to the VMM is pending"), w.expected());
    }

    @Test
    void eventsWithoutTheirSlotsLineAreAMalformedTrace() throws Exception {
        List<String> l = new ArrayList<>(walk(7));
        l.remove(1);
        Trace t = trace("no-slots", l);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> MgmtRingReplay.replay(t));
        assertTrue(e.getMessage().contains("no '# mgmt slots=..' line"), e.getMessage());
    }
}
