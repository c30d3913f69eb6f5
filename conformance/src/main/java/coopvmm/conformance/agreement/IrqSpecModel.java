package coopvmm.conformance.agreement;

import coopvmm.model.irq.Irq;
import coopvmm.model.irq.IrqId;
import coopvmm.model.irq.IrqState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Java interrupt-routing model as {@code IrqRouting.tla} sees it. */
public final class IrqSpecModel implements SpecModel<IrqState> {

    private final Irq irq;

    public IrqSpecModel(Irq irq) {
        this.irq = irq;
    }

    @Override
    public IrqState fromTla(Map<String, Object> v) {
        return new IrqState(
                ints(get(v, "raised")), irqs(get(v, "ioapic")),
                irqId(get(v, "vmmIsr")), ints(get(v, "route")), bools(get(v, "failed")),
                ints(get(v, "miss")), num(get(v, "issued")), num(get(v, "answered")),
                seqOf(get(v, "pend"), IrqSpecModel::irqs), ints(get(v, "ringReq")),
                bools(get(v, "beat")), bools(get(v, "up")), seqOf(get(v, "iopmIsr"), IrqSpecModel::irqId),
                bools(get(v, "tickIopm")), seqOf(get(v, "done"), IrqSpecModel::ints));
    }

    @Override
    public List<IrqState> init() {
        return List.of(IrqState.init(irq.config()));
    }

    /**
     * TLC labels a step of {@code \E i \in Iopm : IopmTake(i)} by the operator's name,
     * {@code IopmTake}: the parameter is not in the label, so the TLA name is.
     */
    @Override
    public List<Move<IrqState>> successors(IrqState s) {
        List<Move<IrqState>> out = new ArrayList<>();
        for (Irq.Step st : irq.successors(s)) out.add(new Move<>(st.action().tla(), st.next()));
        return out;
    }

    private static Object get(Map<String, Object> v, String name) {
        Object o = v.get(name);
        if (o == null) throw new IllegalArgumentException("IrqRouting state without variable " + name);
        return o;
    }

    private static int num(Object o) {
        return ((Long) o).intValue();
    }

    /** A function with domain 1..n (or a sequence): TLC prints {@code <<a, b>>}, parsed as a List. */
    private static List<?> list(Object o) {
        if (o instanceof List<?> l) return l;
        // an empty function or sequence may print as a map-free form; anything else is a bug
        throw new IllegalArgumentException("not a sequence: " + o);
    }

    private static List<Integer> ints(Object o) {
        List<Integer> out = new ArrayList<>();
        for (Object x : list(o)) out.add(num(x));
        return out;
    }

    private static List<Boolean> bools(Object o) {
        List<Boolean> out = new ArrayList<>();
        for (Object x : list(o)) out.add((Boolean) x);
        return out;
    }

    /** An interrupt {@code <<d, k>>} ({@code <<0, 0>>} is NoIrq). */
    private static IrqId irqId(Object o) {
        List<?> p = list(o);
        IrqId x = new IrqId(num(p.get(0)), num(p.get(1)));
        return x.isNone() ? IrqId.NONE : x;
    }

    private static List<IrqId> irqs(Object o) {
        List<IrqId> out = new ArrayList<>();
        for (Object x : list(o)) out.add(irqId(x));
        return out;
    }

    private static <T> List<T> seqOf(Object o, java.util.function.Function<Object, T> f) {
        List<T> out = new ArrayList<>();
        for (Object x : list(o)) out.add(f.apply(x));
        return out;
    }
}
