package coopvmm.model.irq;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Stateful property tests of the interrupt-routing model: QuickTheories generates programs
 * (lists of commands, each an {@link IrqAction} and its parameter), the program runs on
 * {@link Irq} from {@code Init} with disabled commands skipped, and after every step every
 * invariant of {@link IrqInvariants} must hold. A coverage record checks that the programs
 * reach the interesting states (a failover, interrupts re-delivered, handled by the VMM and
 * by an IOPM, every interrupt handled). A fair round-robin run checks the liveness side.
 */
class IrqStatefulTest {

    /** One step of a program: an action and its parameter (device or IOPM; 0 if none). */
    record Command(IrqAction action, int param) {
        @Override
        public String toString() {
            return action.param() == IrqAction.Param.NONE ? action.tla() : action.tla() + "(" + param + ")";
        }
    }

    record Program(List<Command> commands) {
        Program {
            commands = List.copyOf(commands);
        }

        @Override
        public String toString() {
            return "Program of " + commands.size() + " commands " + commands;
        }
    }

    /** Every (action, parameter) pair of {@code c}. */
    static List<Command> allCommands(IrqConfig c) {
        Irq irq = new Irq(c);
        List<Command> out = new ArrayList<>();
        for (IrqAction a : IrqAction.values()) for (int p : irq.params(a)) out.add(new Command(a, p));
        return out;
    }

    /**
     * Programs of up to {@code maxLen} commands. Each element is one draw whose simplest value
     * (index 0) is "no command", so that the shrinker can delete commands from the middle.
     */
    static Gen<Program> programs(IrqConfig c, int maxLen) {
        List<Optional<Command>> choices = new ArrayList<>();
        choices.add(Optional.empty());
        for (Command cmd : allCommands(c)) choices.add(Optional.of(cmd));
        Gen<Optional<Command>> cmd = arbitrary().pick(choices);
        return lists().of(cmd).ofSizeBetween(1, maxLen).map(l -> {
            List<Command> cmds = new ArrayList<>();
            for (Optional<Command> oc : l) oc.ifPresent(cmds::add);
            return new Program(cmds);
        });
    }

    static final class Coverage {
        boolean failover, redelivered, vmmHandled, iopmHandled, allHandled, requeued;
        long steps;

        void see(Command cmd, IrqState s, IrqState t) {
            steps++;
            if (cmd.action() == IrqAction.VMM_DETECT_FAILURE) {
                failover = true;
                redelivered |= !s.pend(cmd.param()).isEmpty();
                requeued |= s.ringReq(cmd.param()) > 0;
            }
            vmmHandled |= cmd.action() == IrqAction.VMM_HANDLE;
            iopmHandled |= cmd.action() == IrqAction.IOPM_HANDLE;
            allHandled |= t.nRaised() > 0 && t.nHandled() == t.nRaised();
        }

        @Override
        public String toString() {
            return "Coverage[steps=" + steps + ", failover=" + failover + ", redelivered=" + redelivered
                    + ", requeued=" + requeued + ", vmmHandled=" + vmmHandled + ", iopmHandled="
                    + iopmHandled + ", allHandled=" + allHandled + "]";
        }
    }

    /** Runs {@code p}; returns a description of the first violation, or empty. */
    static Optional<String> run(Irq irq, Program p, Coverage cov) {
        IrqConfig c = irq.config();
        IrqInvariants inv = new IrqInvariants(c);
        IrqState s = IrqState.init(c);
        List<String> atStart = inv.violated(s);
        if (!atStart.isEmpty()) return Optional.of("Init violates " + atStart);
        List<Command> executed = new ArrayList<>();
        for (int i = 0; i < p.commands().size(); i++) {
            Command cmd = p.commands().get(i);
            Optional<IrqState> next = irq.take(cmd.action(), s, cmd.param());
            if (next.isEmpty()) continue;
            IrqState t = next.get();
            executed.add(cmd);
            if (cov != null) cov.see(cmd, s, t);
            List<String> violated = inv.violated(t);
            if (!violated.isEmpty())
                return Optional.of(String.format("%s violated at command %d of %d (%s), step %d%n"
                                + "  config: %s%n  steps taken: %s%n  state before: %s%n  state after:  %s",
                        violated, i + 1, p.commands().size(), cmd, executed.size(), c, executed, s, t));
            s = t;
        }
        return Optional.empty();
    }

    static Coverage checkSafety(Irq irq, int maxLen, int examples) {
        Coverage cov = new Coverage();
        qt().withExamples(examples).withShrinkCycles(5_000)
                .forAll(programs(irq.config(), maxLen))
                .checkAssert(p -> run(irq, p, cov).ifPresent(msg -> fail(msg)));
        return cov;
    }

    static void assertCovered(Coverage cov) {
        assertTrue(cov.failover && cov.redelivered, () -> "no failover re-delivered an interrupt: " + cov);
        assertTrue(cov.requeued, () -> "no failover re-queued a ring request: " + cov);
        assertTrue(cov.vmmHandled && cov.iopmHandled, () -> "a handler never ran: " + cov);
        assertTrue(cov.allHandled, () -> "no program got every interrupt handled: " + cov);
    }

    // ---- safety ------------------------------------------------------------------------------

    @Test
    void safetySmallConfig() {
        Coverage cov = checkSafety(new Irq(IrqConfig.small()), 200, 1_500);
        assertCovered(cov);
    }

    @Test
    void safetyDeepConfig() {
        Coverage cov = checkSafety(new Irq(IrqConfig.deep()), 300, 1_000);
        assertCovered(cov);
    }

    @Test
    void safetyManyDevicesAndIopms() {
        // 8 devices (2 in the VMM), 4 IOPMs of which 3 may stop: repeated failovers
        // (random programs over 50 commands rarely drain all: "all handled" is not required here)
        Coverage cov = checkSafety(new Irq(new IrqConfig(8, 2, 4, 8, 4, 3, 2)), 1_000, 400);
        assertTrue(cov.failover && cov.redelivered && cov.requeued, () -> "no full failover: " + cov);
        assertTrue(cov.vmmHandled && cov.iopmHandled, () -> "a handler never ran: " + cov);
    }

    // ---- the property can fail, and shrinks ----------------------------------------------------

    @Test
    void plantedRouteToFailedIsFoundAndShrunk() {
        IrqConfig c = IrqConfig.small();
        AssertionError e = assertThrows(AssertionError.class,
                () -> checkSafety(new AlteredIrqs.RouteToFailed(c), 200, 1_500));
        String report = e.getMessage();
        assertTrue(report.contains("NoDeliveryToFailed"), () -> "the report does not name NoDeliveryToFailed:\n" + report);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("Smallest found falsifying value\\(s\\) :-\\s*\\{?Program of (\\d+) commands").matcher(report);
        assertTrue(m.find(), () -> "no shrunk program in the report:\n" + report);
        int len = Integer.parseInt(m.group(1));
        // IopmStop, two ClockTicks, VmmDetectFailure, DeviceRaise, VmmAccept, VmmRoute
        assertTrue(len >= 7 && len <= 20, () -> "shrunk program has " + len + " commands:\n" + report);
    }

    // ---- liveness: a fair run handles every interrupt and answers every request -----------------

    /**
     * A fair run: the environment first raises every interrupt, issues every request and stops
     * IOPM {@code stop} (0: none); then the fair actions (everything but DeviceRaise,
     * VmmRequest, IopmStop) run round robin. It must reach "all handled, all answered, every
     * stopped IOPM failed" within a bound, with the invariants holding throughout.
     */
    static IrqState runFair(Irq irq, int stop, int seedDevice) {
        IrqConfig c = irq.config();
        IrqInvariants inv = new IrqInvariants(c);
        IrqState s = IrqState.init(c);
        for (int n = 0; n < c.maxIrq(); n++)
            s = irq.deviceRaise(s, (seedDevice + n) % c.nDev() + 1).orElseThrow();
        for (int n = 0; n < c.maxReq(); n++) s = irq.vmmRequest(s, n % c.nIopm() + 1).orElseThrow();
        // route a bit before the stop, so the stopped IOPM holds interrupts
        for (int n = 0; n < 2; n++) {
            IrqState a = irq.vmmAccept(s).orElse(s);
            s = irq.vmmRoute(a).or(() -> irq.vmmHandle(a)).orElse(a);
        }
        if (stop > 0) s = irq.iopmStop(s, stop).orElseThrow();
        List<Command> fair = new ArrayList<>();
        for (Command cmd : allCommands(c))
            if (cmd.action() != IrqAction.DEVICE_RAISE && cmd.action() != IrqAction.VMM_REQUEST
                    && cmd.action() != IrqAction.IOPM_STOP) fair.add(cmd);
        int next = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            boolean stoppedFailed = stop == 0 || s.failed(stop);
            if (s.nHandled() == c.maxIrq() && s.answered() == c.maxReq() && stoppedFailed) return s;
            Optional<IrqState> t = Optional.empty();
            for (int k = 0; k < fair.size() && t.isEmpty(); k++) {
                Command cmd = fair.get((next + k) % fair.size());
                t = irq.take(cmd.action(), s, cmd.param());
                if (t.isPresent()) next = (next + k + 1) % fair.size();
            }
            if (t.isEmpty()) fail("deadlock: " + s);
            List<String> v = inv.violated(t.get());
            if (!v.isEmpty()) fail(v + " violated on a fair run: " + t.get());
            s = t.get();
        }
        fail("not done after 10000 fair steps: " + s);
        return s;
    }

    @Test
    void fairRunsHandleEverything() {
        for (IrqConfig c : List.of(IrqConfig.small(), IrqConfig.deep(), new IrqConfig(8, 2, 4, 8, 4, 3, 2))) {
            qt().withExamples(50).forAll(integers().between(0, c.nIopm()), integers().between(0, c.nDev() - 1))
                    .checkAssert((stop, dev) -> {
                        IrqState end = runFair(new Irq(c), stop, dev);
                        assertEquals(c.maxIrq(), end.nRaised());
                        assertTrue(new IrqInvariants(c).noLostInterrupt(end));
                    });
        }
    }

    /** {@code specs/mutants/IrqLosePending.tla}: the failover drops the dead IOPM's pending list. */
    static final class LosePendingIrq extends Irq {
        LosePendingIrq(IrqConfig c) {
            super(c);
        }

        @Override
        protected List<List<IrqId>> redeliver(IrqState s, int f, List<Integer> r) {
            List<List<IrqId>> out = new ArrayList<>(s.pend());
            out.set(f - 1, List.of());
            return out;
        }
    }

    @Test
    void plantedLosePendingFailsTheFairRun() {
        IrqConfig c = IrqConfig.small();
        AssertionError e = assertThrows(AssertionError.class, () -> {
            for (int stop = 1; stop <= c.nIopm(); stop++)
                for (int dev = 0; dev < c.nDev(); dev++) runFair(new LosePendingIrq(c), stop, dev);
        });
        assertTrue(e.getMessage().contains("NoLostInterrupt"), e::getMessage);
    }

    @Test
    void traceNames() {
        assertEquals("vmm.detect_failure", IrqAction.VMM_DETECT_FAILURE.event());
        assertEquals("iopm.take", IrqAction.IOPM_TAKE.event());
        assertEquals("iopm.stop", IrqAction.IOPM_STOP.event());
        assertEquals("irq.device_raise", IrqAction.DEVICE_RAISE.event());
        assertEquals("irq.clock_tick", IrqAction.CLOCK_TICK.event());
        for (IrqAction a : IrqAction.values()) {
            assertEquals(a, IrqAction.fromEvent(a.event()));
            assertEquals(a, IrqAction.fromTla(a.tla()));
        }
    }
}
