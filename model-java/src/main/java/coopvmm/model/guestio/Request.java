package coopvmm.model.guestio;

/** A request on an IOPM's ring: vCPU {@code vcpu}'s exit at {@code rip}. */
public record Request(int vcpu, int rip, int port, Dir dir, int data) {

    /** {@code Request(v)}: the request the VMM makes of v's captured exit. */
    public static Request of(int vcpu, Exit e) {
        return new Request(vcpu, e.rip(), e.port(), e.dir(), e.data());
    }
}
