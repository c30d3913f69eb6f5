package coopvmm.model.guestio;

/** An IOPM's answer to the request of vCPU {@code vcpu} at {@code rip}: the result it computed. */
public record Response(int vcpu, int rip, int result) {
}
