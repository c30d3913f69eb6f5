package coopvmm.conformance.trace;

import coopvmm.conformance.Repo;
import coopvmm.model.boot.BootConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The boot checkers (model replay with its address checks, TLC trace validation against
 * {@code BootHandoff}) on traces written from behaviours of the boot model, and on corrupted
 * copies: each corruption is a known-bad input the checkers must reject, naming the event.
 */
class BootReplayTest {

    /** Three APs: a rogue, a slow one (two SIPIs late: the retry path), a dead one. */
    static final BootConfig FAULTY = new BootConfig(3, 4, 2, Set.of(2), 2, Set.of(3), Set.of(1), 1);
    static final BootConfig HEALTHY = new BootConfig(2, 4, 2, Set.of(), 2, Set.of(), Set.of(), 1);
    /**
     * vmm_cpus=2: AP 1 runs the VMM, then a slow IOPM, a rogue and a dead one (the trace's fault
     * masks are per IOPM: the reference VMM injects no fault into a VMM AP).
     */
    static final BootConfig VMM_CPUS = new BootConfig(4, 4, 2, Set.of(2), 2, Set.of(4), Set.of(3), 1, 1);

    static Path dir;

    @BeforeAll
    static void dir() throws Exception {
        dir = Files.createDirectories(Repo.locate().reports().resolve("test-boot-replay"));
    }

    static Trace trace(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name + ".log");
        Files.write(p, renumber(lines), StandardCharsets.ISO_8859_1);
        return Trace.read(p);
    }

    /** Event lines numbered 0, 1, 2, ... again after a line was moved or dropped. */
    static List<String> renumber(List<String> lines) {
        List<String> out = new ArrayList<>();
        long seq = 0;
        for (String l : lines) out.add(l.startsWith("#") ? l : (seq++) + l.substring(l.indexOf(' ')));
        return out;
    }

    static int find(List<String> l, String event, int from) {
        for (int i = from; i < l.size(); i++) if (l.get(i).contains(" " + event + " ") || l.get(i).endsWith(" " + event)) return i;
        throw new AssertionError("no " + event + " after line " + from);
    }

    static List<String> good(BootConfig c, long seed) {
        return new ArrayList<>(ModelTraces.boot(c, seed));
    }

    /** A behaviour in which the rogue did fault (the model may let it behave). */
    static List<String> withStray(long from) {
        for (long seed = from; ; seed++) {
            List<String> l = good(FAULTY, seed);
            if (l.stream().anyMatch(x -> x.contains("boot.iopm_stray_write"))) return l;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void behavioursOfTheModelConform(long seed) throws Exception {
        for (BootConfig c : List.of(FAULTY, HEALTHY, VMM_CPUS)) {
            var r = BootReplay.replay(trace("good-" + seed, good(c, seed)));
            assertNotNull(r);
            assertTrue(r.conforms(), () -> "seed " + seed + ": " + r.divergence() + " " + r.endFailures());
            assertFalse(r.partial());
        }
    }

    @Test
    void tlcAcceptsABehaviourOfTheModel() throws Exception {
        Trace t = trace("tlc-good", withStray(1));
        var v = new TlaTraceValidation(Repo.locate().specs(), 300).validateAll(t, dir.resolve("tlc-good"));
        assertEquals(1, v.size(), "one projection: boot (no ring events)");
        assertTrue(v.get(0).accepted(), () -> v.get(0).reason());
        assertEquals("BootHandoff", v.get(0).spec());
    }

    @Test
    void sipiBeforeTheProtectedModeCopyIsRejectedByModelAndTlc() throws Exception {
        List<String> l = good(HEALTHY, 3);
        int copy = find(l, "boot.vmm_copy_prot_mode", 0);
        int init = find(l, "boot.vmm_send_init", 0);
        l.add(copy, l.remove(init));
        Trace t = trace("sipi-before-layout", l);
        var r = BootReplay.replay(t);
        assertNotNull(r.divergence());
        assertEquals("boot.vmm_send_init", r.divergence().event().name());
        assertTrue(r.divergence().expected().contains("VmmSendInit(1) enabled"), r.divergence().expected());
        var v = new TlaTraceValidation(Repo.locate().specs(), 300).validateAll(t, dir.resolve("tlc-sipi"));
        assertFalse(v.get(0).accepted());
        assertTrue(v.get(0).reason().contains("no BootHandoff step matches event #" + r.divergence().event().seq()), v.get(0).reason());
    }

    @Test
    void overlappingZonesAreRejectedByTheAddressCheck() throws Exception {
        List<String> l = good(HEALTHY, 4);
        int first = find(l, "boot.vmm_alloc_zone", 0);
        int second = find(l, "boot.vmm_alloc_zone", first + 1);
        String lohi = l.get(first).substring(l.get(first).indexOf(" lo="));
        l.set(second, l.get(second).substring(0, l.get(second).indexOf(" lo=")) + lohi);
        var r = BootReplay.replay(trace("zone-overlap", l));
        assertNotNull(r.divergence());
        assertTrue(r.divergence().expected().contains("ZonesDisjoint: IOPM 1's zone"), r.divergence().expected());
    }

    @Test
    void givingUpASlowApBeforeTheLastTryIsRejected() throws Exception {
        List<String> l = good(FAULTY, 5);
        int retry = find(l, "boot.vmm_retry iopm=1", 0);
        l.set(retry, l.get(retry).replace("boot.vmm_retry", "boot.vmm_give_up"));
        var r = BootReplay.replay(trace("no-retry", l));
        assertNotNull(r.divergence());
        assertEquals("boot.vmm_give_up", r.divergence().event().name());
        assertTrue(r.divergence().expected().contains("VmmRetry"), r.divergence().expected());
        assertFalse(BootReplay.brokeTimingAssumption(r.divergence()), "the slow AP had not started: a protocol error");
    }

    /**
     * A retry of an AP that a SIPI started is no step of BootHandoff, whose VmmRetry assumes the
     * check-in comes before the timeout: the divergence names that assumption (a correct build
     * on a host that left the AP unscheduled past the timeout), which conform counts apart.
     */
    @Test
    void aRetryOfAStartedApNamesTheStartTimeoutAssumption() throws Exception {
        List<String> l = good(HEALTHY, 2);
        int seen = find(l, "boot.vmm_see_started", 0);
        l.set(seen, l.get(seen).replace("boot.vmm_see_started", "boot.vmm_retry"));
        var r = BootReplay.replay(trace("late-check-in", l));
        assertNotNull(r.divergence());
        assertEquals("boot.vmm_retry", r.divergence().event().name());
        assertTrue(r.divergence().expected().contains("VmmRetry(1) enabled; it is not in this state"), r.divergence().expected());
        assertTrue(r.divergence().expected().endsWith("IOPM 0 started (a SIPI took it to its real-mode code), so the spec's "
                + BootReplay.TIMING_ASSUMPTION + " does not hold here"), r.divergence().expected());
        assertTrue(BootReplay.brokeTimingAssumption(r.divergence()));
    }

    @Test
    void readyBeforeSetUpIsRejected() throws Exception {
        List<String> l = good(HEALTHY, 6);
        int setUp = find(l, "boot.iopm_set_up", 0);
        String who = l.get(setUp).substring(l.get(setUp).indexOf(" iopm="));
        int ready = find(l, "boot.iopm_signal_ready" + who, setUp);
        l.add(setUp, l.remove(ready));
        var r = BootReplay.replay(trace("ready-before-setup", l));
        assertNotNull(r.divergence());
        assertEquals("boot.iopm_signal_ready", r.divergence().event().name());
    }

    @Test
    void aStrayWriteInsideItsOwnZoneIsNotAFaultTheSpecAllows() throws Exception {
        List<String> l = withStray(10);
        int stray = find(l, "boot.iopm_stray_write", 0);
        l.set(stray, l.get(stray).replaceAll(" addr=\\d+", " addr=" + (ModelTraces.ZONE_BASE + 0x200000)));
        var r = BootReplay.replay(trace("stray-inside", l));
        assertNotNull(r.divergence());
        assertEquals("boot.iopm_stray_write", r.divergence().event().name());
    }

    @Test
    void brokenCanariesAndUnsettledApsFailTheEnd() throws Exception {
        List<String> l = good(HEALTHY, 7);
        l.set(l.size() - 1, l.get(l.size() - 1).replace("vmm_zone_intact=1", "vmm_zone_intact=0"));
        var r = BootReplay.replay(trace("canary", l));
        assertTrue(r.endFailures().stream().anyMatch(f -> f.startsWith("VmmZoneIntact")), r.endFailures().toString());

        List<String> cut = good(HEALTHY, 7);
        int ready = find(cut, "boot.vmm_see_ready", 0);
        List<String> early = new ArrayList<>(cut.subList(0, ready));
        early.add("0 0 99999 run.end status=0 requests=0 vmm_zone_intact=1");
        var r2 = BootReplay.replay(trace("unsettled", early));
        assertTrue(r2.endFailures().stream().anyMatch(f -> f.startsWith("EveryApSettles")), r2.endFailures().toString());
    }

    @Test
    void bootEventsWithoutTheirConstantsAreAMalformedTrace() throws Exception {
        List<String> l = good(HEALTHY, 8);
        l.removeIf(x -> x.startsWith("# boot "));
        Trace t = trace("no-constants", l);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> BootReplay.replay(t));
        assertTrue(e.getMessage().contains("'# boot"), e.getMessage());
        assertTrue(e.line() > 0);
    }

    /** A vmm_cpus behaviour in which the VMM AP came up. */
    static List<String> withVmmAp(long from) {
        for (long seed = from; ; seed++) {
            List<String> l = good(VMM_CPUS, seed);
            if (l.stream().anyMatch(x -> x.contains("boot.ap_enter_vmm vmm_ap=0"))) return l;
        }
    }

    @Test
    void aVmmApsBootConformsAndTlcAcceptsIt() throws Exception {
        Trace t = trace("vmm-ap-good", withVmmAp(1));
        var r = BootReplay.replay(t);
        assertTrue(r.conforms(), () -> r.divergence() + " " + r.endFailures());
        assertTrue(r.coverage().containsKey(coopvmm.model.boot.BootAction.AP_ENTER_VMM));
        var v = new TlaTraceValidation(Repo.locate().specs(), 300).validateAll(t, dir.resolve("tlc-vmm-ap-good"));
        assertTrue(v.get(0).accepted(), () -> v.get(0).reason());
    }

    @Test
    void aVmmApEnteringTheIopmIsRejectedByModelAndTlc() throws Exception {
        List<String> l = withVmmAp(1);
        int at = find(l, "boot.ap_enter_vmm", 0);
        l.set(at, l.get(at).replace("boot.ap_enter_vmm", "boot.ap_enter_iopm"));
        Trace t = trace("vmm-ap-enters-iopm", l);
        var r = BootReplay.replay(t);
        assertNotNull(r.divergence());
        assertEquals("boot.ap_enter_iopm", r.divergence().event().name());
        assertTrue(r.divergence().expected().contains("ApEnterIopm(1) enabled"), r.divergence().expected());
        var v = new TlaTraceValidation(Repo.locate().specs(), 300).validateAll(t, dir.resolve("tlc-vmm-ap-enters-iopm"));
        assertFalse(v.get(0).accepted());
        assertTrue(v.get(0).reason().contains("no BootHandoff step matches event #" + r.divergence().event().seq()), v.get(0).reason());
    }

    @Test
    void aVmmApsHandoffOutsideTheVmmZoneIsRejectedByTheAddressCheck() throws Exception {
        List<String> l = withVmmAp(1);
        int first = find(l, "boot.vmm_write_handoff", 0);
        int bounds = find(l, "boot.vmm_write_handoff", first + 1);
        l.set(bounds, l.get(bounds).substring(0, l.get(bounds).indexOf(" lo=")) + " lo=" + ModelTraces.ZONE_BASE
                + " hi=" + (ModelTraces.ZONE_BASE + ModelTraces.ZONE_SIZE));
        var r = BootReplay.replay(trace("vmm-ap-bounds", l));
        assertNotNull(r.divergence());
        assertTrue(r.divergence().expected().contains("VMM AP 0's bounds the VMM zone's"), r.divergence().expected());
    }

    @Test
    void anEventForAVmmApTheRunDoesNotHaveIsRejected() throws Exception {
        List<String> l = withVmmAp(1);
        int at = find(l, "boot.ap_enter_vmm", 0);
        l.set(at, l.get(at).replace("vmm_ap=0", "vmm_ap=1"));
        var r = BootReplay.replay(trace("vmm-ap-unknown", l));
        assertNotNull(r.divergence());
        assertTrue(r.divergence().expected().contains("a VMM AP of this run (vmm_aps=1), not vmm_ap=1"), r.divergence().expected());
    }

    @Test
    void aBootEventWithoutItsApIsNamedByTheReplayAndSkippedByTheFigures() throws Exception {
        List<String> l = good(HEALTHY, 2);
        int at = find(l, "boot.vmm_alloc_zone", 0);
        l.set(at, l.get(at).replace(" iopm=0", ""));
        Trace t = trace("alloc-without-iopm", l);
        var r = BootReplay.replay(t);
        assertNotNull(r.divergence());
        assertEquals("boot.vmm_alloc_zone", r.divergence().event().name());
        assertTrue(r.divergence().expected().contains("a field iopm=<k>"), r.divergence().expected());
        TraceFigures f = TraceFigures.of(t);       // used to throw: the figures read iopm= unguarded
        assertFalse(f.bootToReady().containsKey(0), "IOPM 0's zone was never allocated, as far as the trace says");
        assertTrue(f.bootToReady().containsKey(1), f.toString());
    }
}
