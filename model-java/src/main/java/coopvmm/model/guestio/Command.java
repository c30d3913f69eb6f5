package coopvmm.model.guestio;

/** Command {@code n} of the console's script: {@code op} on managed vCPU {@code vcpu}. */
public record Command(int n, Op op, int vcpu) {
}
