package coopvmm.model.guestio;

/**
 * A VM exit the VMM captured: the RIP of the I/O instruction, its port, direction and the
 * data an OUT writes. {@link #NONE} is the spec's {@code NoExit}.
 */
public record Exit(int rip, int port, Dir dir, int data) {

    public static final Exit NONE = new Exit(0, 0, Dir.NONE, 0);

    public boolean isNone() {
        return equals(NONE);
    }
}
