package coopvmm.conformance.agreement;

import coopvmm.model.ring.Pc;
import coopvmm.model.ring.Ring;
import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingState;
import coopvmm.model.ring.Slots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Java ring model as {@code CoopRing.tla} sees it. */
public final class RingSpecModel implements SpecModel<RingState> {

    private final Ring ring;

    public RingSpecModel(Ring ring) {
        this.ring = ring;
    }

    @Override
    public RingState fromTla(Map<String, Object> v) {
        return new RingState(
                num(v, "reqProd"), num(v, "rspCons"), num(v, "rspEvent"),
                num(v, "rspProd"), num(v, "reqCons"), num(v, "reqEvent"),
                Slots.of(slots(v, "reqRing")), Slots.of(slots(v, "rspRing")),
                num(v, "reqPvt"), (int) num(v, "nextId"), ids(v, "rspGot"),
                Pc.fromTla((String) get(v, "vmmPc")), (Boolean) get(v, "iopmTrusted"),
                num(v, "rspPvt"), ids(v, "reqGot"), ids(v, "pending"),
                Pc.fromTla((String) get(v, "iopmPc")),
                (Boolean) get(v, "ipiVmm"), (Boolean) get(v, "ipiIopm"),
                num(v, "reqNotifyFrom"), num(v, "rspNotifyFrom"));
    }

    @Override
    public List<RingState> init() {
        return List.of(RingState.init(ring.config()));
    }

    @Override
    public List<Move<RingState>> successors(RingState s) {
        List<Move<RingState>> out = new ArrayList<>();
        for (Ring.Step st : ring.successors(s)) out.add(new Move<>(label(st.action()), st.next()));
        return out;
    }

    /**
     * TLC labels a step by the operator it came from: {@code IopmPublishBogus} is
     * {@code \E p \in Idx : IopmPublishBogusTo(p)}, so its steps are labelled with the inner name.
     */
    static String label(RingAction a) {
        return a == RingAction.IOPM_PUBLISH_BOGUS ? "IopmPublishBogusTo" : a.tla();
    }

    private static Object get(Map<String, Object> v, String name) {
        Object o = v.get(name);
        if (o == null) throw new IllegalArgumentException("CoopRing state without variable " + name);
        return o;
    }

    private static long num(Map<String, Object> v, String name) {
        return (Long) get(v, name);
    }

    /** A sequence of ids: TLC prints it {@code <<1, 2>>}. */
    private static List<Integer> ids(Map<String, Object> v, String name) {
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) get(v, name)) out.add(((Long) o).intValue());
        return out;
    }

    /** A ring, a function 0..N-1 -> id: TLC prints it {@code (0 :> 1 @@ 1 :> 0)}. */
    private static List<Integer> slots(Map<String, Object> v, String name) {
        Map<?, ?> f = (Map<?, ?>) get(v, name);
        List<Integer> out = new ArrayList<>();
        for (long k = 0; k < f.size(); k++) out.add(((Long) f.get(k)).intValue());
        return out;
    }
}
