package coopvmm.model.guestio;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The guest I/O model explored on its own, breadth first, over the bound of GuestIo.cfg: as
 * many distinct states as TLC finds, every invariant in every state, no deadlock (a state
 * without a step is one where every guest halted). A run over the deep bound that takes the
 * enabled steps in turn (never a failure but IOPM 1's, at step 10) halts every guest, every
 * I/O done once.
 */
class GuestIoModelTest {

    /** Distinct states reachable from Init; fails on the first invariant broken or deadlock. */
    static int explore(GuestIoConfig c) {
        GuestIo io = new GuestIo(c);
        GuestIoInvariants inv = new GuestIoInvariants(c);
        Set<GuestIoState> seen = new HashSet<>();
        ArrayDeque<GuestIoState> queue = new ArrayDeque<>();
        GuestIoState init = GuestIoState.init(c);
        seen.add(init);
        queue.add(init);
        while (!queue.isEmpty()) {
            GuestIoState s = queue.poll();
            List<String> bad = inv.violated(s);
            if (!bad.isEmpty()) fail(bad + " in " + s);
            List<GuestIo.Step> next = io.successors(s);
            if (next.isEmpty()) fail("deadlock in " + s);
            for (GuestIo.Step st : next) {
                if (st.action() == GuestIoAction.FINISHED) continue;
                if (seen.add(st.next())) queue.add(st.next());
            }
        }
        return seen.size();
    }

    @Test
    void theSmallBoundHasTlcsStatesAndKeepsEveryInvariant() {
        assertEquals(5_740, explore(GuestIoConfig.small()));
    }

    @Test
    void theManagementBoundHasTlcsStatesAndKeepsEveryInvariant() {
        assertEquals(16_864, explore(GuestIoConfig.admin()));
    }

    @Test
    void theConsolesScriptStartsTooEarlyThenCreatesStartsStopsStartsAndDestroysItsVm() {
        GuestIoConfig c = GuestIoConfig.admin();
        assertEquals(List.of(new Command(1, Op.START, 2), new Command(2, Op.CREATE, 2), new Command(3, Op.START, 2),
                new Command(4, Op.STOP, 2), new Command(5, Op.START, 2), new Command(6, Op.DESTROY, 2)),
                List.of(c.script(1), c.script(2), c.script(3), c.script(4), c.script(5), c.script(6)));
        GuestIo io = new GuestIo(c);
        GuestIoState s = GuestIoState.init(c);
        assertEquals(Mode.ABSENT, s.mode(2));
        // start before create is refused; create, then start, runs it
        GuestIoState refused = io.iopmIssueCommand(s, 1).flatMap(x -> io.vmmCarryOutCommand(x, 1)).orElseThrow();
        assertEquals(List.of(new Answer(1, false)), refused.ansQ(1));
        assertEquals(Mode.ABSENT, refused.mode(2));
        GuestIoState t = io.iopmIssueCommand(refused, 1).flatMap(x -> io.vmmCarryOutCommand(x, 1))
                .flatMap(x -> io.iopmIssueCommand(x, 1)).flatMap(x -> io.vmmCarryOutCommand(x, 1)).orElseThrow();
        assertEquals(Mode.GUEST, t.mode(2));
        assertEquals(List.of(new Answer(1, false), new Answer(2, true), new Answer(3, true)), t.ansQ(1));
        // a stop waits while the VM's exit is in flight
        GuestIoState w = io.vmmCaptureExit(t, 2).flatMap(x -> io.iopmIssueCommand(x, 1)).orElseThrow();
        assertTrue(io.vmmCarryOutCommand(w, 1).isEmpty(), "the stop waits for the exit");
        assertEquals(List.of(), new GuestIoInvariants(c).violated(w));
    }

    @Test
    void aFairRunWithAFailoverHaltsEveryGuest() {
        GuestIoConfig c = GuestIoConfig.deep();
        GuestIo io = new GuestIo(c);
        GuestIoState s = GuestIoState.init(c);
        boolean failedOne = false;
        for (int step = 0; step < 1_000; step++) {
            if (io.finished(s).isPresent()) break;
            if (!failedOne && step == 10) {
                s = io.iopmFail(s, 1).orElseThrow();
                failedOne = true;
            }
            Optional<GuestIoState> n = Optional.empty();
            for (GuestIo.Step st : io.successors(s))
                if (st.action() != GuestIoAction.IOPM_FAIL && st.action() != GuestIoAction.VMM_STOP_GUEST
                        && (n.isEmpty() || (step + st.param()) % 2 == 0))
                    n = Optional.of(st.next());
            s = n.orElseThrow(() -> new AssertionError("stuck"));
            assertEquals(List.of(), new GuestIoInvariants(c).violated(s), s.toString());
        }
        assertTrue(io.finished(s).isPresent(), "not halted: " + s);
        assertTrue(s.failed(1), "the failover happened");
        for (int v = 1; v <= c.nVcpu(); v++) {
            for (int k = 1; k <= c.nInsn(); k++) assertEquals(1, s.execs(v, k));
            assertEquals(Mode.HALTED, s.mode(v), "vCPU " + v + " checked its data and halted");
            assertEquals(v, s.rax(v), "vCPU " + v + "'s sectors read back its id, across the failover");
        }
    }

    @Test
    void aGuestWhoseSectorReadsBackWrongFailsItsCheck() {
        GuestIoConfig c = GuestIoConfig.small();
        GuestIo io = new GuestIo(c);
        GuestIoState s = GuestIoState.init(c);
        // vCPU 1's SEL, DATA out, STATUS and SEL, each served: sector 1 of disk 1 holds 1
        for (int k = 1; k <= 4; k++)
            s = io.vmmCaptureExit(s, 1).flatMap(x -> io.vmmSubmitExit(x, 1)).flatMap(x -> io.iopmServe(x, 1))
                    .flatMap(x -> io.vmmCompleteExit(x, 1)).flatMap(x -> io.vmmResumeGuest(x, 1)).orElseThrow();
        assertEquals(1, s.dev(1).sect(1));
        assertEquals(1, s.dev(1).sel(1));
        assertEquals(1, s.rax(1), "STATUS named the sector the write completed on");
        // then its DATA in, answered 0 as by a blank disk
        s = io.vmmCaptureExit(s, 1).flatMap(x -> io.vmmSubmitExit(x, 1)).orElseThrow();
        var b = s.with();
        b.dev = GuestIoState.set(s.dev(), 1, s.dev(1).withSect(1, 0));
        s = io.iopmServe(b.build(), 1).flatMap(x -> io.vmmCompleteExit(x, 1)).flatMap(x -> io.vmmResumeGuest(x, 1))
                .flatMap(x -> io.guestCheck(x, 1)).orElseThrow();
        assertEquals(List.of("GuestChecksPass"), new GuestIoInvariants(c).violated(s));
    }

    @Test
    void aCompletionNotReportedSendsTheReadToAnotherSector() {
        GuestIoConfig c = GuestIoConfig.small();
        GuestIo io = new GuestIo(c);
        GuestIoState s = GuestIoState.init(c);
        for (int k = 1; k <= 2; k++)   // SEL, DATA out
            s = io.vmmCaptureExit(s, 1).flatMap(x -> io.vmmSubmitExit(x, 1)).flatMap(x -> io.iopmServe(x, 1))
                    .flatMap(x -> io.vmmCompleteExit(x, 1)).flatMap(x -> io.vmmResumeGuest(x, 1)).orElseThrow();
        var b = s.with();
        b.dev = GuestIoState.set(s.dev(), 1, s.dev(1).withStat(1, 0));   // the controller forgot the write's completion
        s = b.build();
        for (int k = 3; k <= 5; k++)   // STATUS (0), SEL 0, DATA in (sector 0: 0)
            s = io.vmmCaptureExit(s, 1).flatMap(x -> io.vmmSubmitExit(x, 1)).flatMap(x -> io.iopmServe(x, 1))
                    .flatMap(x -> io.vmmCompleteExit(x, 1)).flatMap(x -> io.vmmResumeGuest(x, 1)).orElseThrow();
        assertEquals(0, s.dev(1).sel(1), "the second SEL took STATUS's value");
        s = io.guestCheck(s, 1).orElseThrow();
        assertEquals(List.of("GuestChecksPass"), new GuestIoInvariants(c).violated(s));
    }

    @Test
    void theProgramsAddressesAndInstructionsMatchTheSpec() {
        GuestIoConfig c = GuestIoConfig.deep();
        assertEquals(List.of(256, 258, 260, 262, 264, 276), List.of(c.addr(1), c.addr(2), c.addr(3), c.addr(4), c.addr(5), c.end()));
        assertEquals(List.of(Reg.SEL, Reg.DATA, Reg.STATUS, Reg.SEL, Reg.DATA, Reg.SEL),
                List.of(c.reg(1), c.reg(2), c.reg(3), c.reg(4), c.reg(5), c.reg(6)));
        assertEquals(List.of(Dir.OUT, Dir.OUT, Dir.IN, Dir.OUT, Dir.IN, Dir.OUT),
                List.of(c.dir(1), c.dir(2), c.dir(3), c.dir(4), c.dir(5), c.dir(6)));
        assertEquals(List.of(1, 1, 2, 2), List.of(c.port(1), c.port(5), c.port(6), c.port(10)), "five a disk, in turn");
        for (int k = 1; k <= c.nInsn(); k++) {
            assertEquals(k, c.insn(c.addr(k)));
            assertEquals(c.addr(k + 1), c.addr(k) + c.len(k), "the next instruction follows");
        }
        assertEquals(0, c.insn(257), "no instruction starts inside another");
        assertEquals(0, c.insn(c.end()));
        assertEquals("vmm.capture_exit", GuestIoAction.VMM_CAPTURE_EXIT.event());
        assertEquals("iopm_serve", GuestIoAction.IOPM_SERVE.cFunction());
        assertEquals(GuestIoAction.VMM_FAILOVER, GuestIoAction.fromEvent("vmm.failover"));
        assertEquals("guest.check", GuestIoAction.GUEST_CHECK.event());
    }
}
