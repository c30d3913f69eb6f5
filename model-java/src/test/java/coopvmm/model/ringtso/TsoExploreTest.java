package coopvmm.model.ringtso;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The model's own reachable space, breadth first, against the figures CoopRingTSO.tla gives
 * for TLC (distinct states of CoopRingTSO.cfg, NoWmb, NoRmb), SleeperHasWakeup on every state;
 * and the same search finds the lost wakeup once a full barrier is gone (or does not wait).
 */
class TsoExploreTest {

    static final Set<Fence> ALL = EnumSet.allOf(Fence.class);

    /** The number of distinct states, or -1 - depth when an invariant breaks. */
    static String explore(Tso m, int[] count) {
        TsoInvariants inv = new TsoInvariants(m.config());
        Set<TsoState> seen = new HashSet<>();
        ArrayDeque<TsoState> queue = new ArrayDeque<>();
        TsoState init = TsoState.init(m.config());
        seen.add(init);
        queue.add(init);
        while (!queue.isEmpty()) {
            TsoState s = queue.poll();
            String bad = inv.violated(s);
            if (bad != null) {
                count[0] = seen.size();
                return bad;
            }
            for (Tso.Step st : m.successors(s)) if (seen.add(st.next())) queue.add(st.next());
        }
        count[0] = seen.size();
        return null;
    }

    static Set<Fence> without(Fence... out) {
        Set<Fence> f = EnumSet.allOf(Fence.class);
        for (Fence x : out) f.remove(x);
        return f;
    }

    @Test
    void reachableStatesAreTheSpecsFigures() {
        int[] n = new int[1];
        assertNull(explore(new Tso(TsoConfig.small()), n));
        assertEquals(8_872, n[0], "CoopRingTSO.cfg");
        assertNull(explore(new Tso(TsoConfig.small().withFences(without(Fence.VMM_PUBLISH_WMB,
                Fence.VMM_CONSUME_WMB, Fence.IOPM_CONSUME_WMB, Fence.IOPM_PUBLISH_WMB))), n));
        assertEquals(7_023, n[0], "CoopRingTSONoWmb.cfg");
        assertNull(explore(new Tso(TsoConfig.small().withFences(without(Fence.VMM_CONSUME_RMB,
                Fence.IOPM_CONSUME_RMB))), n));
        assertEquals(8_098, n[0], "CoopRingTSONoRmb.cfg");
    }

    @Test
    void eachFullBarrierIsNeeded() {
        int[] n = new int[1];
        for (Fence mb : new Fence[] {Fence.VMM_PUBLISH_MB, Fence.IOPM_PUBLISH_MB, Fence.VMM_SLEEP_MB,
                Fence.IOPM_SLEEP_MB}) {
            assertEquals("SleeperHasWakeup", explore(new Tso(TsoConfig.small().withFences(without(mb))), n),
                    "without " + mb.tla());
            assertNotNull(explore(new AlteredTso.FenceThatDoesNotWait(TsoConfig.small(), mb), n),
                    mb.tla() + " that does not wait");
        }
    }
}
