package coopvmm.conformance.cli;

import coopvmm.conformance.Repo;
import coopvmm.conformance.order.OrderCheck;
import coopvmm.conformance.order.OrderResult;
import coopvmm.conformance.order.RoutingLogGenerator;
import coopvmm.conformance.order.V2Replay;
import coopvmm.conformance.trace.IrqReplay;
import coopvmm.conformance.trace.Replay;
import coopvmm.conformance.trace.TlaTraceValidation;
import coopvmm.conformance.trace.Trace;
import coopvmm.model.irq.IrqAction;
import coopvmm.model.irq.IrqConfig;
import coopvmm.model.irq.IrqState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing in the lock-free build's per-CPU logs: the order rebuilt from the routing words each
 * record read and wrote, then the routing model (and TLC) in that order, as
 * {@code ./coop conform --lock-free} does it ({@link ConformLockFree}). On logs written from
 * behaviours of the model (one CPU's log after another, so only the values order them), and on
 * corrupted copies.
 */
class LockFreeRoutingTest {

    /** One VMM device, four IOPM devices, three IOPMs of which one may stop; no ring requests. */
    static final IrqConfig C = new IrqConfig(5, 1, 3, 40, 0, 1, 2);
    static Path dir;

    @BeforeAll
    static void dir() throws Exception {
        dir = Files.createDirectories(Repo.locate().reports().resolve("test-lockfree-routing"));
    }

    record Checked(OrderResult order, Trace view, Replay.Result<IrqState, IrqAction> replay) {}

    static Checked check(String name, List<String> lines) throws Exception {
        Path f = Files.write(dir.resolve(name + ".log"), lines);
        OrderResult o = OrderCheck.check(f);
        if (!o.ok()) return new Checked(o, null, null);
        Trace view = ConformLockFree.view(f, o, V2Replay.ordered(o));
        return new Checked(o, view, IrqReplay.replay(view));
    }

    /** The logs of a behaviour with a failover that re-delivers to two IOPMs and follows a handled interrupt. */
    static List<String> withFailover(long from) {
        for (long seed = from; ; seed++) {
            List<String> l = RoutingLogGenerator.write(C, 300, seed).lines();
            if (l.stream().anyMatch(x -> x.contains(" vmm.detect_failure ") && x.matches(".*r:irq_cons\\.\\d=[1-9].*")
                    && x.split(" w:irq_prod").length > 2))
                return new ArrayList<>(l);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void behavioursOfTheModelConformInTheRebuiltOrder(long seed) throws Exception {
        RoutingLogGenerator.Logs logs = RoutingLogGenerator.write(C, 300, seed);
        Checked c = check("good-" + seed, logs.lines());
        assertTrue(c.order().ok(), () -> c.order().verdict() + " " + c.order().details());
        assertEquals(logs.records(), c.order().events());
        assertTrue(c.replay().conforms(), () -> "seed " + seed + ": " + c.replay().divergence() + " " + c.replay().endFailures());
    }

    @Test
    void aFailoverIsOrderedBeforeTheTakesOfWhatItReDelivered() throws Exception {
        Checked c = check("failover", withFailover(1));
        assertTrue(c.replay().conforms(), () -> String.valueOf(c.replay().divergence()));
        assertEquals(1, c.replay().coverage().get(IrqAction.VMM_DETECT_FAILURE));
        assertEquals(1, c.replay().coverage().get(IrqAction.IOPM_STOP));
        var v = new TlaTraceValidation(Repo.locate().specs(), 300).validateOrdered(c.view(), dir.resolve("tlc-failover"),
                c.order().trace(), true);
        var routing = v.stream().filter(x -> x.spec().equals("IrqRouting")).findFirst().orElseThrow();
        assertTrue(routing.accepted(), routing::reason);
    }

    /**
     * A tick that saw IOPM k's beat is made to have read k's previous one and found no beat (and
     * no stop mark): k, running, beat late. Whichever side of k's beat the order puts the tick,
     * the routing model rejects it at the tick, as the spec's timing assumption broken.
     */
    @Test
    void aBeatTheTickMissedFromARunningIopmBreaksTheTimingAssumption() throws Exception {
        List<String> l = withFailover(1);
        Pattern tick = Pattern.compile(" irq\\.clock_tick missed=(\\d+) (.*)w:irq_clock=(\\d+)$");
        for (int at = 0; at < l.size(); at++) {
            Matcher m = tick.matcher(l.get(at));
            if (!m.find()) continue;
            long clock = Long.parseLong(m.group(3)) - 1;
            int k = live(l, m.group(2), clock);
            if (k < 0 || clock == 0) continue;
            int missed = Integer.parseInt(m.group(1)) | 1 << k;
            l.set(at, l.get(at).replace("missed=" + m.group(1), "missed=" + missed)
                    .replace("r:irq_beat." + k + "=" + clock, "r:irq_beat." + k + "=" + (clock - 1) + " r:irq_stop." + k + "=0"));
            Checked c = check("late-beat", l);
            System.out.println("late beat: " + c.replay().divergence());
            assertTrue(c.order().ok(), c.order()::verdict);
            var d = c.replay().divergence();
            assertTrue(d != null && d.event().name().equals("irq.clock_tick"), () -> String.valueOf(d));
            assertTrue(IrqReplay.brokeTimingAssumption(d), d::expected);
            return;
        }
        throw new AssertionError("no tick saw a beat of a running IOPM after an earlier beat");
    }

    /** An IOPM whose beat the tick's reads {@code reads} saw at {@code clock}, that beat before at clock - 1 and never stops; -1: none. */
    private static int live(List<String> l, String reads, long clock) {
        for (int k = 0; k < C.nIopm(); k++) {
            if (!reads.contains("r:irq_beat." + k + "=" + clock + " ")) continue;
            String stop = "iopm.stop iopm=" + k + " ", before = "w:irq_beat." + k + "=" + (clock - 1);
            if (l.stream().noneMatch(x -> x.contains(stop)) && l.stream().anyMatch(x -> x.endsWith(before))) return k;
        }
        return -1;
    }

    /** A failover that read the failed IOPM's acknowledgement index one behind re-delivers what it handled. */
    @Test
    void aFailoverThatReadsAStaleAcknowledgementIsRejected() throws Exception {
        List<String> l = withFailover(1);
        Pattern p = Pattern.compile(" vmm\\.detect_failure .*r:irq_cons\\.(\\d)=(\\d+)");
        int at = first(l, p);
        Matcher m = p.matcher(l.get(at));
        assertTrue(m.find());
        long stale = Long.parseLong(m.group(2)) - 1;
        l.set(at, l.get(at).replace("r:irq_cons." + m.group(1) + "=" + m.group(2), "r:irq_cons." + m.group(1) + "=" + stale));
        Checked c = check("stale-ack", l);
        System.out.println("stale acknowledgement: " + c.order().verdict() + " " + c.order().details()
                + (c.replay() == null ? "" : " / " + c.replay().divergence()));
        // the stop it follows came after the acknowledgement it missed: a cycle, or else the model's divergence
        if (c.order().ok()) {
            assertFalse(c.replay().conforms(), "the model rejects it");
            assertTrue(c.replay().divergence() != null, () -> String.valueOf(c.replay().endFailures()));
        } else {
            assertEquals(OrderResult.Outcome.CYCLE, c.order().outcome(), c.order()::verdict);
            assertTrue(c.order().details().contains("irq_cons." + m.group(1)), c.order()::details);
        }
    }

    /** A tick that read the beat an IOPM took from the tick's own new clock has no order: a cycle. */
    @Test
    void aTickThatSawABeatOfItsOwnClockIsACycle() throws Exception {
        List<String> l = withFailover(1);
        Pattern tick = Pattern.compile(" irq\\.clock_tick .*w:irq_clock=(\\d+)$");
        for (int at = 0; at < l.size(); at++) {
            Matcher m = tick.matcher(l.get(at));
            if (!m.find()) continue;
            String next = m.group(1);
            for (int k = 0; k < C.nIopm(); k++) {
                String own = "w:irq_beat." + k + "=" + next;
                if (l.stream().noneMatch(x -> x.endsWith(own)) || !l.get(at).contains("r:irq_beat." + k + "=")) continue;
                l.set(at, l.get(at).replaceFirst("r:irq_beat\\." + k + "=\\d+", "r:irq_beat." + k + "=" + next));
                Checked c = check("cycle", l);
                System.out.println("beat of its own clock: " + c.order().verdict() + " " + c.order().details());
                assertEquals(OrderResult.Outcome.CYCLE, c.order().outcome(), c.order()::verdict);
                assertTrue(c.order().details().contains("irq_beat." + k) && c.order().details().contains("irq_clock"),
                        c.order()::details);
                return;
            }
        }
        throw new AssertionError("no tick whose clock an IOPM beat to");
    }

    private static int first(List<String> l, Pattern p) {
        for (int i = 0; i < l.size(); i++) if (p.matcher(l.get(i)).find()) return i;
        throw new AssertionError("no line matches " + p);
    }
}
