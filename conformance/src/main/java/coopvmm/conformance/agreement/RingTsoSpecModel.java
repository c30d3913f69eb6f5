package coopvmm.conformance.agreement;

import coopvmm.model.ringtso.Addr;
import coopvmm.model.ringtso.Tso;
import coopvmm.model.ringtso.TsoPc;
import coopvmm.model.ringtso.TsoState;
import coopvmm.model.ringtso.TsoState.Store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Java TSO ring model as {@code CoopRingTSO.tla} sees it. */
public final class RingTsoSpecModel implements SpecModel<TsoState> {

    private final Tso tso;

    public RingTsoSpecModel(Tso tso) {
        this.tso = tso;
    }

    @Override
    public TsoState fromTla(Map<String, Object> v) {
        return new TsoState(
                mem(v), buffer(v, "vBuf"), buffer(v, "iBuf"),
                num(v, "reqPvt"), (int) num(v, "nextId"), ids(v, "rspGot"), pc(v, "vmmPc"),
                num(v, "vOld"), (int) num(v, "vReg"),
                num(v, "rspPvt"), ids(v, "reqGot"), ids(v, "pending"), pc(v, "iopmPc"),
                num(v, "iOld"), (int) num(v, "iReg"),
                bool(v, "ipiVmm"), bool(v, "ipiIopm"));
    }

    @Override
    public List<TsoState> init() {
        return List.of(TsoState.init(tso.config()));
    }

    /** Every action of CoopRingTSO is its own operator: TLC's label is the TLA+ name. */
    @Override
    public List<Move<TsoState>> successors(TsoState s) {
        List<Move<TsoState>> out = new ArrayList<>();
        for (Tso.Step st : tso.successors(s)) out.add(new Move<>(st.action().tla(), st.next()));
        return out;
    }

    private static Object get(Map<String, Object> v, String name) {
        Object o = v.get(name);
        if (o == null) throw new IllegalArgumentException("CoopRingTSO state without variable " + name);
        return o;
    }

    private static long num(Map<String, Object> v, String name) {
        return (Long) get(v, name);
    }

    private static boolean bool(Map<String, Object> v, String name) {
        return (Boolean) get(v, name);
    }

    private static TsoPc pc(Map<String, Object> v, String name) {
        return TsoPc.fromTla((String) get(v, name));
    }

    /** A sequence of ids: TLC prints it {@code <<1, 2>>}. */
    private static List<Integer> ids(Map<String, Object> v, String name) {
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) get(v, name)) out.add(((Long) o).intValue());
        return out;
    }

    /** A store buffer, a sequence of {@code <<addr, value>>}, oldest first. */
    private static List<Store> buffer(Map<String, Object> v, String name) {
        List<Store> out = new ArrayList<>();
        for (Object o : (List<?>) get(v, name)) {
            List<?> e = (List<?>) o;
            out.add(new Store(((Long) e.get(0)).intValue(), (Long) e.get(1)));
        }
        return out;
    }

    /**
     * Memory, a function Addrs -> value: TLC prints it {@code (1 :> 0 @@ 2 :> 0 @@ ...)}. Its
     * domain must be exactly Addrs of the model's N (the holes of the array stay 0).
     */
    private List<Long> mem(Map<String, Object> v) {
        Map<?, ?> f = (Map<?, ?>) get(v, "mem");
        int n = tso.config().n();
        Long[] m = new Long[Addr.words(n)];
        Arrays.fill(m, 0L);
        Set<Integer> dom = new HashSet<>();
        for (var e : f.entrySet()) {
            int a = ((Long) e.getKey()).intValue();
            dom.add(a);
            m[a] = (Long) e.getValue();
        }
        if (!dom.equals(new HashSet<>(Addr.all(n))))
            throw new IllegalArgumentException("mem's domain " + dom + " is not Addrs " + Addr.all(n));
        return List.of(m);
    }
}
