package coopvmm.conformance.agreement;

import coopvmm.model.History;
import coopvmm.model.irq.Irq;
import coopvmm.model.irq.IrqId;
import coopvmm.model.irq.IrqState;

import static coopvmm.conformance.agreement.TlaState.bools;
import static coopvmm.conformance.agreement.TlaState.get;
import static coopvmm.conformance.agreement.TlaState.ints;
import static coopvmm.conformance.agreement.TlaState.list;
import static coopvmm.conformance.agreement.TlaState.num;
import static coopvmm.conformance.agreement.TlaState.seqOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Java interrupt-routing model as {@code IrqRouting.tla} sees it. */
public final class IrqSpecModel implements SpecModel<IrqState> {

    private static final String SPEC = "IrqRouting";

    private final Irq irq;

    public IrqSpecModel(Irq irq) {
        this.irq = irq;
    }

    @Override
    public IrqState fromTla(Map<String, Object> v) {
        return new IrqState(
                ints(get(v, SPEC, "raised")), irqs(get(v, SPEC, "ioapic")),
                irqId(get(v, SPEC, "vmmIsr")), ints(get(v, SPEC, "route")), bools(get(v, SPEC, "failed")),
                ints(get(v, SPEC, "miss")), num(get(v, SPEC, "issued")), num(get(v, SPEC, "answered")),
                seqOf(get(v, SPEC, "pend"), IrqSpecModel::irqs), ints(get(v, SPEC, "ringReq")),
                bools(get(v, SPEC, "beat")), bools(get(v, SPEC, "up")), seqOf(get(v, SPEC, "iopmIsr"), IrqSpecModel::irqId),
                bools(get(v, SPEC, "tickIopm")), seqOf(get(v, SPEC, "done"), x -> History.of(TlaState.ints(x))));
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

    /** An interrupt {@code <<d, k>>} ({@code <<0, 0>>} is NoIrq). */
    private static IrqId irqId(Object o) {
        List<?> p = list(o);
        IrqId x = new IrqId(num(p.get(0)), num(p.get(1)));
        return x.isNone() ? IrqId.NONE : x;
    }

    private static List<IrqId> irqs(Object o) {
        return seqOf(o, IrqSpecModel::irqId);
    }
}
