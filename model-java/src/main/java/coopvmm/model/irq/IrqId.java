package coopvmm.model.irq;

/**
 * An interrupt {@code <<dev, k>>}: the k-th interrupt raised by device {@code dev}.
 * {@link #NONE} is the spec's {@code NoIrq}, {@code <<0, 0>>}, an empty slot.
 */
public record IrqId(int dev, int k) {

    public static final IrqId NONE = new IrqId(0, 0);

    public boolean isNone() {
        return dev == 0 && k == 0;
    }

    @Override
    public String toString() {
        return "<<" + dev + ", " + k + ">>";
    }
}
