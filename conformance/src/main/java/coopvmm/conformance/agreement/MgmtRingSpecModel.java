package coopvmm.conformance.agreement;

import coopvmm.model.mgmtring.MgmtRing;
import coopvmm.model.mgmtring.MgmtRingAction;
import coopvmm.model.mgmtring.MgmtRingState;
import coopvmm.model.ring.Pc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Java management ring model as {@code MgmtRing.tla} sees it. */
public final class MgmtRingSpecModel implements SpecModel<MgmtRingState> {

    private static final String SPEC = "MgmtRing";

    private final MgmtRing ring;

    public MgmtRingSpecModel(MgmtRing ring) {
        this.ring = ring;
    }

    @Override
    public MgmtRingState fromTla(Map<String, Object> v) {
        return new MgmtRingState(
                num(v, "cmdProd"), num(v, "ansCons"), num(v, "ansEvent"),
                num(v, "ansProd"), num(v, "cmdCons"), num(v, "cmdEvent"),
                slots(v, "cmdRing"), slots(v, "ansRing"),
                num(v, "cmdPvt"), (int) num(v, "nextId"), TlaState.ints(TlaState.get(v, SPEC, "ansGot")),
                Pc.fromTla((String) TlaState.get(v, SPEC, "conPc")), num(v, "cmdNotifyFrom"),
                (Boolean) TlaState.get(v, SPEC, "consoleTrusted"), num(v, "ansPvt"),
                TlaState.ints(TlaState.get(v, SPEC, "cmdGot")), TlaState.ints(TlaState.get(v, SPEC, "pending")),
                Pc.fromTla((String) TlaState.get(v, SPEC, "vmmPc")), num(v, "ansNotifyFrom"),
                (Boolean) TlaState.get(v, SPEC, "ipiConsole"), (Boolean) TlaState.get(v, SPEC, "ipiVmm"));
    }

    @Override
    public List<MgmtRingState> init() {
        return List.of(MgmtRingState.init(ring.config()));
    }

    /** As {@link RingSpecModel}: TLC labels the bogus steps with the inner operator's name. */
    @Override
    public List<Move<MgmtRingState>> successors(MgmtRingState s) {
        List<Move<MgmtRingState>> out = new ArrayList<>();
        for (MgmtRing.Step st : ring.successors(s))
            out.add(new Move<>(st.action() == MgmtRingAction.IOPM_PUBLISH_BOGUS ? "IopmPublishBogusTo" : st.action().tla(),
                    st.next()));
        return out;
    }

    private static long num(Map<String, Object> v, String name) {
        return (Long) TlaState.get(v, SPEC, name);
    }

    /** A slot area, a function 0..N-1 -> id: TLC prints it {@code (0 :> 1 @@ 1 :> 0)}. */
    private static List<Integer> slots(Map<String, Object> v, String name) {
        Map<?, ?> f = (Map<?, ?>) TlaState.get(v, SPEC, name);
        List<Integer> out = new ArrayList<>();
        for (long k = 0; k < f.size(); k++) out.add(((Long) f.get(k)).intValue());
        return out;
    }
}
