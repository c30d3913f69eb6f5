package coopvmm.model.boot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Stateful property tests of the boot hand-off model. QuickTheories generates programs, lists
 * of choices; the program runs on {@link Boot} from {@code Init}, each choice picking one of the
 * enabled transitions (its index modulo their number, {@code Finished} left out), and after
 * every step every invariant of {@link BootInvariants} must hold. The boot loop is a long
 * fixed sequence of VMM steps, so choosing among the enabled transitions (rather than drawing
 * actions that are mostly disabled) is what gets random programs through the boot of every AP.
 *
 * <p>Liveness, on the model: every transition is taken a bounded number of times, so every
 * maximal run ends; run to its end without the rogue's (unfair) stray write, it must end
 * {@code Done}, every AP ready or failed ({@code EveryApSettles}), every AP neither dead nor
 * rogue ready ({@code HealthyApsReady}). A coverage record checks that the generated programs
 * reach the interesting states (ready, retried, slow AP started late, dead AP given up, rogue
 * faulted and given up, work queued, done).
 */
class BootStatefulTest {

    /** A generated program: the choice of each step. */
    record Program(List<Integer> choices) {
        Program {
            choices = List.copyOf(choices);
        }

        @Override
        public String toString() {
            return "Program of " + choices.size() + " choices " + choices;
        }
    }

    static Gen<Program> programs(int maxLen) {
        return lists().of(integers().between(0, 63)).ofSizeBetween(1, maxLen).map(Program::new);
    }

    /** States of interest a run reached; summed over all runs of a property. */
    static final class Coverage {
        boolean ready, retried, slowStartedLate, deadGivenUp, rogueFaulted, rogueGivenUp,
                workQueued, done, strayWrite;
        long steps;

        void see(BootConfig c, Boot boot, Boot.Step st) {
            steps++;
            BootState t = st.next();
            strayWrite |= st.action() == BootAction.IOPM_STRAY_WRITE;
            done |= boot.done(t);
            for (int a = 1; a <= c.numAps(); a++) {
                ready |= t.statusOf(a) == ApStatus.READY;
                retried |= t.triesOf(a) > 1;
                slowStartedLate |= c.slow().contains(a) && t.startsOf(a) > 0 && t.sipisOf(a) > 1;
                deadGivenUp |= c.dead().contains(a) && t.statusOf(a) == ApStatus.FAILED;
                rogueFaulted |= t.apOf(a) == ApState.FAULTED;
                rogueGivenUp |= t.apOf(a) == ApState.FAULTED && t.statusOf(a) == ApStatus.FAILED;
                workQueued |= t.workOf(a) > 0;
            }
        }

        @Override
        public String toString() {
            return "Coverage[steps=" + steps + ", ready=" + ready + ", retried=" + retried
                    + ", slowStartedLate=" + slowStartedLate + ", deadGivenUp=" + deadGivenUp
                    + ", rogueFaulted=" + rogueFaulted + ", rogueGivenUp=" + rogueGivenUp
                    + ", workQueued=" + workQueued + ", done=" + done + ", strayWrite=" + strayWrite + "]";
        }
    }

    /** The enabled transitions but {@code Finished} (and, if {@code fair}, the stray write). */
    static List<Boot.Step> enabled(Boot boot, BootState s, boolean fair) {
        List<Boot.Step> out = new ArrayList<>();
        for (Boot.Step st : boot.successors(s)) {
            if (st.action() == BootAction.FINISHED) continue;
            if (fair && st.action() == BootAction.IOPM_STRAY_WRITE) continue;
            out.add(st);
        }
        return out;
    }

    static String describe(Boot.Step st) {
        String s = st.action().tla();
        if (st.ap() > 0) s += "(" + st.ap() + (st.unit() >= 0 ? ", " + st.unit() : "") + ")";
        return s;
    }

    /**
     * Runs {@code p} on {@code boot} from Init, checking every state; then, if {@code toEnd},
     * goes on without stray writes until nothing is enabled and checks the end. Returns a
     * description of the first violation, or empty.
     */
    static Optional<String> run(Boot boot, Program p, boolean toEnd, Coverage cov) {
        BootConfig c = boot.config();
        BootInvariants inv = new BootInvariants(c);
        BootState s = BootState.init(c);
        List<String> atStart = inv.violated(s);
        if (!atStart.isEmpty()) return Optional.of("Init violates " + atStart);
        List<String> taken = new ArrayList<>();
        int k = 0;
        while (true) {
            boolean inProgram = k < p.choices().size();
            if (!inProgram && !toEnd) break;
            List<Boot.Step> en = enabled(boot, s, !inProgram);
            if (en.isEmpty()) break;
            Boot.Step st = en.get((inProgram ? p.choices().get(k) : k) % en.size());
            k++;
            taken.add(describe(st));
            if (cov != null) cov.see(c, boot, st);
            List<String> violated = inv.violated(st.next());
            if (!violated.isEmpty()) {
                return Optional.of(String.format("%s violated at step %d%n  config: %s%n  steps taken: %s%n"
                        + "  state before: %s%n  state after:  %s", violated, k, c, taken, s, st.next()));
            }
            s = st.next();
            if (k > 10_000) return Optional.of("the run does not end: " + taken);
        }
        if (!toEnd) return Optional.empty();
        List<String> live = new ArrayList<>();
        if (!boot.done(s)) live.add("deadlock: not Done and nothing enabled");
        for (int a = 1; a <= c.numAps(); a++) {
            if (s.statusOf(a) == ApStatus.BOOTING) live.add("EveryApSettles (AP " + a + ")");
            if (c.healthy(a) && s.statusOf(a) != ApStatus.READY) live.add("HealthyApsReady (AP " + a + ")");
        }
        if (live.isEmpty()) return Optional.empty();
        return Optional.of(String.format("%s violated at the end of the run%n  config: %s%n  steps taken: %s%n"
                + "  end state: %s", live, c, taken, s));
    }

    static Coverage check(Boot boot, int maxLen, int examples, boolean toEnd) {
        Coverage cov = new Coverage();
        qt().withExamples(examples).withShrinkCycles(5_000)
                .forAll(programs(maxLen))
                .checkAssert(p -> run(boot, p, toEnd, cov).ifPresent(msg -> fail(msg)));
        return cov;
    }

    static void assertCovered(Coverage cov) {
        assertTrue(cov.ready && cov.workQueued, () -> "no IOPM got ready and got work: " + cov);
        assertTrue(cov.retried && cov.slowStartedLate, () -> "no retry / late slow start: " + cov);
        assertTrue(cov.deadGivenUp, () -> "the dead AP was never given up: " + cov);
        assertTrue(cov.strayWrite && cov.rogueFaulted && cov.rogueGivenUp, () -> "no rogue faulted: " + cov);
        assertTrue(cov.done, () -> "no run got done: " + cov);
    }

    /** The bound of specs/BootHandoffDeep.cfg. */
    static BootConfig deep() {
        return new BootConfig(4, 3, 2, Set.of(2, 3), 3, Set.of(4), Set.of(1, 3), 2);
    }

    // ---- safety and liveness, per config -----------------------------------------------------

    @Test
    void safetySmallConfig() {
        Coverage cov = check(new Boot(BootConfig.small()), 150, 500, false);
        assertCovered(cov);
    }

    @Test
    void safetyDeepConfig() {
        Coverage cov = check(new Boot(deep()), 250, 400, false);
        assertCovered(cov);
    }

    @Test
    void everyRunEndsWithEveryApSettled() {
        for (BootConfig c : List.of(BootConfig.small(), deep(),
                new BootConfig(2, 1, 1, Set.of(), 0, Set.of(), Set.of(), 1),
                new BootConfig(3, 2, 3, Set.of(1, 2, 3), 5, Set.of(), Set.of(2), 2),
                // VMM CPUs: two APs run the VMM (one slow), then an IOPM that may be rogue and a dead one
                new BootConfig(4, 2, 2, Set.of(2), 2, Set.of(4), Set.of(3), 1, 2))) {
            Coverage cov = check(new Boot(c), 60, 200, true);
            assertTrue(cov.done, () -> "no run got done on " + c + ": " + cov);
        }
    }

    // ---- the properties can fail, and shrink -----------------------------------------------------

    /** {@code specs/mutants/BootSipiBeforeLayout.tla}: INIT-SIPI-SIPI right after the real-mode copy. */
    static final class SipiBeforeLayoutBoot extends Boot {
        SipiBeforeLayoutBoot(BootConfig c) {
            super(c);
        }

        @Override
        public Optional<BootState> vmmCopyRealMode(BootState s) {
            return super.vmmCopyRealMode(s).map(n -> {
                var b = n.with();
                b.vmmPc = VmmPc.INIT; // the bug: the protected-mode code is not laid yet
                return b.build();
            });
        }

        @Override
        public Optional<BootState> vmmSendSipi(BootState s) {
            return super.vmmSendSipi(s).map(n -> {
                if (n.vmmPc() != VmmPc.WAIT) return n;
                var b = n.with();
                b.vmmPc = VmmPc.PM; // ...it is copied while the AP runs
                return b.build();
            });
        }

        @Override
        public Optional<BootState> vmmCopyProtMode(BootState s) {
            return super.vmmCopyProtMode(s).map(n -> {
                if (n.vmmPc() != VmmPc.INIT) return n;
                var b = n.with();
                b.vmmPc = VmmPc.WAIT;
                return b.build();
            });
        }
    }

    private static final Pattern SMALLEST =
            Pattern.compile("Smallest found falsifying value\\(s\\) :-\\s*\\{?Program of (\\d+) choices");

    @Test
    void plantedSipiBeforeLayoutIsFoundAndShrunk() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> check(new SipiBeforeLayoutBoot(BootConfig.small()), 150, 500, false));
        String report = e.getMessage();
        assertTrue(report.contains("LaidBeforeStart"), () -> "the report does not name LaidBeforeStart:\n" + report);
        Matcher m = SMALLEST.matcher(report);
        assertTrue(m.find(), () -> "no shrunk program in the report:\n" + report);
        int len = Integer.parseInt(m.group(1));
        // alloc, 3 hand-off fields, real-mode copy, INIT, SIPI: the shortest counterexample
        assertTrue(len >= 7 && len <= 12, () -> "shrunk program has " + len + " choices:\n" + report);
    }

    /** {@code specs/mutants/BootWorkToVmmAp.tla}: ring work to every AP seen ready, a VMM AP too. */
    static final class WorkToVmmApBoot extends Boot {
        WorkToVmmApBoot(BootConfig c) {
            super(c);
        }

        @Override
        public Optional<BootState> vmmQueueWork(BootState s, int a) {
            if (s.statusOf(a) != ApStatus.READY || s.workOf(a) >= config().maxWork()) return Optional.empty();
            return Optional.of(s.with().work(a, s.workOf(a) + 1).build());
        }
    }

    @Test
    void plantedWorkToVmmApIsFound() {
        BootConfig vmmCpus = new BootConfig(3, 2, 2, Set.of(1), 2, Set.of(3), Set.of(2), 1, 1);
        AssertionError e = assertThrows(AssertionError.class,
                () -> check(new WorkToVmmApBoot(vmmCpus), 150, 500, false));
        String report = e.getMessage();
        assertTrue(report.contains("EachApItsRole"), () -> "the report does not name EachApItsRole:\n" + report);
    }

    /** {@code specs/mutants/BootSingleSipiNoRetry.tla}: one SIPI, and the first timeout is final. */
    static final class SingleSipiBoot extends Boot {
        SingleSipiBoot(BootConfig c) {
            super(c);
        }

        @Override
        public Optional<BootState> vmmSendSipi(BootState s) {
            if (s.vmmPc() != VmmPc.SIPI1) return Optional.empty();
            return super.vmmSendSipi(s).map(n -> {
                var b = n.with();
                b.vmmPc = VmmPc.WAIT;
                return b.build();
            });
        }

        @Override
        public Optional<BootState> vmmRetry(BootState s) {
            return Optional.empty();
        }

        @Override
        public Optional<BootState> vmmGiveUp(BootState s) {
            if (s.vmmPc() != VmmPc.WAIT || started(s, s.cur())) return Optional.empty();
            var b = nextAp(s, s.with().status(s.cur(), ApStatus.FAILED));
            return Optional.of(b.build());
        }
    }

    @Test
    void plantedSingleSipiFailsTheLiveness() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> check(new SingleSipiBoot(BootConfig.small()), 60, 200, true));
        assertTrue(e.getMessage().contains("HealthyApsReady (AP 2)"), e::getMessage);
    }

    // ---- names ------------------------------------------------------------------------------------

    @Test
    void traceNamesAreBootEventsAndRoundTrip() {
        Set<String> events = new HashSet<>();
        for (BootAction a : BootAction.values()) {
            assertEquals(a, BootAction.fromTla(a.tla()));
            if (a == BootAction.FINISHED) {
                assertNull(a.event());
                continue;
            }
            assertNotNull(a.event());
            assertTrue(a.event().matches("boot\\.[a-z]+(_[a-z]+)*"), a.event());
            assertTrue(events.add(a.event()), "duplicate event " + a.event());
            assertEquals(a, BootAction.fromEvent(a.event()));
        }
        assertEquals("boot.vmm_send_sipi", BootAction.VMM_SEND_SIPI.event());
        assertEquals("boot.ap_switch_to_protected", BootAction.AP_SWITCH_TO_PROTECTED.event());
        assertNull(BootAction.fromEvent("vmm.write_request"));
    }
}
