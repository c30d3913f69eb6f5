package coopvmm.model.mgmtring;

import coopvmm.model.ring.RingConfig;
import coopvmm.model.ring.RingInvariants;
import coopvmm.model.ring.RingState;
import coopvmm.model.ring.Slots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The safety invariants of {@code MgmtRing.tla}. They are CoopRing's, the roles swapped (the
 * spec is CoopRing's text with the console as the requester and the VMM as the responder), so
 * they are checked on the role-swapped view of the state ({@link #asCoopRing}) by
 * {@link RingInvariants}, and reported under MgmtRing's names.
 */
public final class MgmtRingInvariants {

    /** CoopRing's invariant names -> MgmtRing's, in the order of {@code MgmtRing.cfg}. */
    private static final Map<String, String> NAMES = Map.of("TypeOK", "TypeOK", "NoOverflow", "NoOverflow",
            "NoUnderflow", "NoUnderflow", "RequestsInOrder", "CommandsInOrder", "ResponsesInOrder", "AnswersInOrder",
            "ResponsesAnswerOutstanding", "AnswersAnswerOutstanding");

    private final RingInvariants ring;

    public MgmtRingInvariants(RingConfig config) {
        this.ring = new RingInvariants(config);
    }

    /**
     * The state as CoopRing names it: the console's words and private state are the VMM's
     * (requester's), the VMM's are the IOPM's (responder's). {@code consoleTrusted} goes where
     * {@code iopmTrusted} is; no invariant reads either.
     */
    public static RingState asCoopRing(MgmtRingState s) {
        return new RingState(s.cmdProd(), s.ansCons(), s.ansEvent(), s.ansProd(), s.cmdCons(), s.cmdEvent(),
                Slots.of(s.cmdRing()), Slots.of(s.ansRing()), s.cmdPvt(), s.nextId(), s.ansGot(), s.conPc(), s.consoleTrusted(),
                s.ansPvt(), s.cmdGot(), s.pending(), s.vmmPc(), s.ipiConsole(), s.ipiVmm(), s.cmdNotifyFrom(),
                s.ansNotifyFrom());
    }

    /** The names of the invariants {@code s} violates. */
    public List<String> violated(MgmtRingState s) {
        List<String> out = new ArrayList<>();
        for (String n : ring.violated(asCoopRing(s))) out.add(NAMES.get(n));
        return out;
    }

    /** {@code OwnersWrite}, for one step: only the acting side's area changed. */
    public static boolean ownersWrite(MgmtRingAction a, MgmtRingState s, MgmtRingState t) {
        boolean consoleArea = s.cmdProd() == t.cmdProd() && s.ansCons() == t.ansCons() && s.ansEvent() == t.ansEvent();
        boolean vmmArea = s.ansProd() == t.ansProd() && s.cmdCons() == t.cmdCons() && s.cmdEvent() == t.cmdEvent();
        if (a == MgmtRingAction.FINISHED) return consoleArea && vmmArea;
        return a.tla().startsWith("Iopm") ? vmmArea : consoleArea;
    }
}
