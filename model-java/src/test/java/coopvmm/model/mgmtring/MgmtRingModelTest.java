package coopvmm.model.mgmtring;

import coopvmm.model.ring.RingConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The management ring model explored on its own over MgmtRing.cfg's bound: as many distinct
 * states as TLC finds, every invariant everywhere, no deadlock; under a hostile console the
 * VMM gives the ring up and never takes a command past the bound.
 */
class MgmtRingModelTest {

    static int explore(RingConfig c) {
        MgmtRing ring = new MgmtRing(c);
        MgmtRingInvariants inv = new MgmtRingInvariants(c);
        Set<MgmtRingState> seen = new HashSet<>();
        ArrayDeque<MgmtRingState> queue = new ArrayDeque<>();
        MgmtRingState init = MgmtRingState.init(c);
        seen.add(init);
        queue.add(init);
        while (!queue.isEmpty()) {
            MgmtRingState s = queue.poll();
            List<String> bad = inv.violated(s);
            if (!bad.isEmpty()) fail(bad + " in " + s);
            List<MgmtRing.Step> next = ring.successors(s);
            if (next.isEmpty()) fail("deadlock in " + s);
            for (MgmtRing.Step st : next) {
                if (!MgmtRingInvariants.ownersWrite(st.action(), s, st.next())) fail("OwnersWrite: " + st.action() + " in " + s);
                if (st.action() != MgmtRingAction.FINISHED && seen.add(st.next())) queue.add(st.next());
            }
        }
        return seen.size();
    }

    @Test
    void theSmallBoundHasTlcsStatesAndKeepsEveryInvariant() {
        assertEquals(17_946, explore(new RingConfig(2, 4, 4, false)));
    }

    @Test
    void aHostileConsoleIsGivenUpAndNothingPastTheBoundIsTaken() {
        RingConfig c = new RingConfig(2, 4, 4, true);
        assertEquals(65_777, explore(c));
        MgmtRing ring = new MgmtRing(c);
        MgmtRingState bogus = ring.iopmPublishBogus(MgmtRingState.init(c), 3).orElseThrow();
        assertTrue(ring.vmmTakeCommand(bogus).isEmpty(), "3 ahead of 0 with N = 2: not taken");
        MgmtRingState given = ring.vmmDeclareConsoleBroken(bogus).orElseThrow();
        assertFalse(given.consoleTrusted());
        assertTrue(ring.done(given));
    }
}
