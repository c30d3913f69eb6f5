package coopvmm.conformance.trace;

import coopvmm.conformance.Repo;
import coopvmm.model.irq.IrqConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static coopvmm.conformance.trace.BootReplayTest.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing checkers (model replay, TLC trace validation against {@code IrqRouting}) on
 * traces written from behaviours of the routing model, and on corrupted copies of them.
 */
class IrqReplayTest {

    /** One VMM device, four IOPM devices, three IOPMs of which one may stop. */
    static final IrqConfig C = new IrqConfig(5, 1, 3, 40, 12, 1, 2);

    @BeforeAll
    static void dir() throws Exception {
        BootReplayTest.dir = Files.createDirectories(Repo.locate().reports().resolve("test-irq-replay"));
    }

    static Trace trace(String name, List<String> lines) throws Exception {
        return BootReplayTest.trace(name, lines);
    }

    /** A behaviour with a failover in it. */
    static List<String> withFailover(long from) {
        for (long seed = from; ; seed++) {
            List<String> l = ModelTraces.irq(C, 250, seed);
            if (l.stream().anyMatch(x -> x.contains(" vmm.detect_failure ") && !x.contains("redelivered=0")))
                return new ArrayList<>(l);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void behavioursOfTheModelConform(long seed) throws Exception {
        var r = IrqReplay.replay(trace("good-" + seed, ModelTraces.irq(C, 250, seed)));
        assertNotNull(r);
        assertTrue(r.conforms(), () -> "seed " + seed + ": " + r.divergence() + " " + r.endFailures());
    }

    @Test
    void tlcAcceptsABehaviourWithAFailover() throws Exception {
        Trace t = trace("tlc-good", withFailover(1));
        var v = new TlaTraceValidation(Repo.locate().specs(), 300).validateAll(t, BootReplayTest.dir.resolve("tlc-good"));
        assertEquals("IrqRouting", v.get(v.size() - 1).spec());
        assertTrue(v.get(v.size() - 1).accepted(), () -> v.get(v.size() - 1).reason());
    }

    @Test
    void routingToAnotherIopmThanTheTableIsRejectedByModelAndTlc() throws Exception {
        List<String> l = withFailover(20);
        int route = find(l, "vmm.route", 0);
        String line = l.get(route);
        long to = Long.parseLong(line.replaceAll(".* iopm=(\\d+).*", "$1"));
        l.set(route, line.replaceAll(" iopm=\\d+", " iopm=" + ((to + 1) % 3)));
        Trace t = trace("wrong-route", l);
        var r = IrqReplay.replay(t);
        assertNotNull(r.divergence());
        assertEquals("vmm.route", r.divergence().event().name());
        assertTrue(r.divergence().expected().contains("routed by the table"), r.divergence().expected());
        var v = new TlaTraceValidation(Repo.locate().specs(), 300).validateAll(t, BootReplayTest.dir.resolve("tlc-wrong-route"));
        assertFalse(v.get(v.size() - 1).accepted());
        assertTrue(v.get(v.size() - 1).reason().contains("event #" + r.divergence().event().seq()), v.get(v.size() - 1).reason());
    }

    @Test
    void aFailoverThatLosesPendingInterruptsIsRejected() throws Exception {
        List<String> l = withFailover(40);
        int f = find(l, "vmm.detect_failure", 0);
        String line = l.get(f);
        long n = Long.parseLong(line.replaceAll(".* redelivered=(\\d+).*", "$1"));
        l.set(f, line.replaceAll(" redelivered=\\d+", " redelivered=" + (n - 1)));
        var r = IrqReplay.replay(trace("lose-pending", l));
        assertNotNull(r.divergence());
        assertTrue(r.divergence().expected().contains("redelivered=" + n), r.divergence().expected());
    }

    @Test
    void handlingAnInterruptTwiceIsRejected() throws Exception {
        List<String> l = withFailover(60);
        int h = find(l, "iopm.handle", 0);
        l.add(h + 1, l.get(h));
        var r = IrqReplay.replay(trace("double-handle", l));
        assertNotNull(r.divergence());
        assertEquals("iopm.handle", r.divergence().event().name());
        assertFalse(IrqReplay.brokeTimingAssumption(r.divergence()), "a protocol rule, not the timing assumption");
    }

    @Test
    void aClockTickAnIopmDidNotTakeBreaksTheTimingAssumption() throws Exception {
        List<String> l = withFailover(80);
        int tick = find(l, "iopm.tick", 0);
        l.remove(tick);
        var r = IrqReplay.replay(trace("missed-tick", l));
        assertNotNull(r.divergence());
        assertTrue(r.divergence().expected().contains("timing assumption")
                || r.divergence().expected().contains("IopmTick"), r.divergence().expected());
        // named as a broken timing assumption exactly when the clock tick is what diverged
        assertEquals(r.divergence().event().name().equals("irq.clock_tick"), IrqReplay.brokeTimingAssumption(r.divergence()),
                r.divergence().toString());
    }

    /** The tick's missed= field is checked against the model's beats, both ways. */
    @Test
    void aTickWhoseMissedBeatsDisagreeWithTheModelIsRejected() throws Exception {
        List<String> l = withFailover(80);
        int seen = -1, missed = -1;
        for (int i = 0; i < l.size(); i++) {
            if (seen < 0 && l.get(i).endsWith(" irq.clock_tick missed=0") && i > find(l, "iopm.tick", 0)) seen = i;
            if (missed < 0 && l.get(i).contains(" irq.clock_tick missed=") && !l.get(i).endsWith("missed=0")) missed = i;
        }
        assertTrue(seen >= 0 && missed >= 0, "a tick that saw every beat, and one that missed one");
        List<String> late = new ArrayList<>(l);
        late.set(seen, late.get(seen).replace("missed=0", "missed=7"));   // every IOPM, the live ones too
        var r = IrqReplay.replay(trace("tick-missed-a-beat", late));
        assertNotNull(r.divergence());
        assertEquals("irq.clock_tick", r.divergence().event().name());
        assertTrue(IrqReplay.brokeTimingAssumption(r.divergence()), r.divergence().expected());

        List<String> ghost = new ArrayList<>(l);
        ghost.set(missed, ghost.get(missed).replaceFirst("missed=\\d+", "missed=0"));
        var g = IrqReplay.replay(trace("tick-saw-a-ghost-beat", ghost));
        assertNotNull(g.divergence());
        assertEquals("irq.clock_tick", g.divergence().event().name());
        assertTrue(g.divergence().expected().contains("has not beaten since the previous tick"), g.divergence().expected());
        assertFalse(IrqReplay.brokeTimingAssumption(g.divergence()), "a beat no IOPM gave is not late, it is wrong");
    }

    @Test
    void aRunThatEndsWithInterruptsUnhandledFailsTheEnd() throws Exception {
        List<String> l = withFailover(100);
        int raise = find(l, "irq.device_raise", 0);
        List<String> early = new ArrayList<>(l.subList(0, raise + 1));
        early.add("0 0 99999 run.end status=0 requests=0 irqs=0");
        var r = IrqReplay.replay(trace("unhandled", early));
        assertTrue(r.endFailures().stream().anyMatch(x -> x.startsWith("AllIrqsHandled")), r.endFailures().toString());
    }

    @Test
    void figuresPairEveryHandledInterruptWithItsRaise() throws Exception {
        Trace t = trace("figures", withFailover(120));
        TraceFigures f = TraceFigures.of(t);
        long vmm = t.events().stream().filter(e -> e.name().equals("vmm.handle")).count();
        long iopm = t.events().stream().filter(e -> e.name().equals("iopm.handle")).count();
        assertEquals(vmm, f.vmmLocal().size());
        assertEquals(iopm, f.routed().size());
        assertTrue(f.routed().stream().allMatch(x -> x > 0), "a handle comes after its raise");
        assertTrue(f.describe(1000).contains("IOPM-routed irq latency"), f.describe(1000));
    }
}
