package coopvmm.conformance.agreement;

import coopvmm.model.boot.ApState;
import coopvmm.model.boot.ApStatus;
import coopvmm.model.boot.Boot;
import coopvmm.model.boot.BootAction;
import coopvmm.model.boot.BootState;
import coopvmm.model.boot.BootState.Content;
import coopvmm.model.boot.BootState.Handoff;
import coopvmm.model.boot.BootState.Zone;
import coopvmm.model.boot.VmmPc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The Java boot hand-off model as {@code BootHandoff.tla} sees it. */
public final class BootSpecModel implements SpecModel<BootState> {

    private final Boot boot;

    public BootSpecModel(Boot boot) {
        this.boot = boot;
    }

    @Override
    public BootState fromTla(Map<String, Object> v) {
        return new BootState(
                VmmPc.fromTla((String) get(v, "vmmPc")), (int) num(v, "cur"), (int) num(v, "freeAt"),
                (int) num(v, "copied"), perAp(v, "zone", BootSpecModel::zone),
                perAp(v, "tries", BootSpecModel::integer), perAp(v, "sipis", BootSpecModel::integer),
                perAp(v, "status", o -> ApStatus.fromTla((String) o)), perAp(v, "work", BootSpecModel::integer),
                mem(v), perAp(v, "handoff", BootSpecModel::handoff),
                perAp(v, "readyFlag", o -> (Boolean) o), perAp(v, "ipi", o -> (Boolean) o),
                perAp(v, "ap", o -> ApState.fromTla((String) o)),
                perAp(v, "lateBy", BootSpecModel::integer), perAp(v, "starts", BootSpecModel::integer));
    }

    @Override
    public List<BootState> init() {
        return List.of(BootState.init(boot.config()));
    }

    @Override
    public List<Move<BootState>> successors(BootState s) {
        List<Move<BootState>> out = new ArrayList<>();
        for (Boot.Step st : boot.successors(s)) out.add(new Move<>(label(st.action()), st.next()));
        return out;
    }

    /**
     * TLC labels a step by the operator it came from; every action of BootHandoff is its own
     * operator ({@code \E u \in Units : IopmStrayWrite(a, u)} is labelled IopmStrayWrite), so
     * the label is the TLA+ name.
     */
    static String label(BootAction a) {
        return a.tla();
    }

    private static Object get(Map<String, Object> v, String name) {
        Object o = v.get(name);
        if (o == null) throw new IllegalArgumentException("BootHandoff state without variable " + name);
        return o;
    }

    private static long num(Map<String, Object> v, String name) {
        return (Long) get(v, name);
    }

    private static Integer integer(Object o) {
        return ((Long) o).intValue();
    }

    /** A function over APs = 1..NumAPs: TLC prints it as a sequence {@code <<x1, x2>>}. */
    private static <T> List<T> perAp(Map<String, Object> v, String name, Function<Object, T> f) {
        List<T> out = new ArrayList<>();
        for (Object o : (List<?>) get(v, name)) out.add(f.apply(o));
        return out;
    }

    /** {@code [lo |-> l, hi |-> h]}. */
    private static Zone zone(Object o) {
        Map<?, ?> r = (Map<?, ?>) o;
        return new Zone(integer(r.get("lo")), integer(r.get("hi")));
    }

    /** {@code [entry |-> e, lo |-> l, hi |-> h, shared |-> s]}. */
    private static Handoff handoff(Object o) {
        Map<?, ?> r = (Map<?, ?>) o;
        return new Handoff(integer(r.get("entry")), integer(r.get("lo")), integer(r.get("hi")),
                integer(r.get("shared")));
    }

    /** Memory, a function 0..MemTop-1 -> {@code <<kind, owner>>}: TLC prints {@code (0 :> <<"bios", 0>> @@ ...)}. */
    private static List<Content> mem(Map<String, Object> v) {
        Map<?, ?> f = (Map<?, ?>) get(v, "mem");
        List<Content> out = new ArrayList<>();
        for (long u = 0; u < f.size(); u++) {
            List<?> t = (List<?>) f.get(u);
            if (t == null) throw new IllegalArgumentException("mem has no unit " + u);
            out.add(new Content((String) t.get(0), integer(t.get(1))));
        }
        return out;
    }
}
