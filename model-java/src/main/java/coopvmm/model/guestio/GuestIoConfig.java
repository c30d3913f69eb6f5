package coopvmm.model.guestio;

/**
 * The constants of {@code GuestIo.tla}, and the guest program they define: instruction k
 * (1..nInsn) is an {@code out imm8, al} or an {@code in al, imm8} ({@link #dir(int)}), 2 bytes
 * each, on register {@link #reg(int)} of disk {@link #port(int)}, at address {@link #addr(int)}:
 * a disk's five in a row are SEL, DATA out, STATUS, SEL, DATA in.
 *
 * @param nVcpu   vCPUs 1..nVcpu ({@code NVcpu})
 * @param nIopm   IOPMs 1..nIopm ({@code NIopm})
 * @param nDev    devices (ports) 1..nDev ({@code NDev})
 * @param nInsn   port-I/O instructions in each guest's program ({@code NInsn})
 * @param maxFail IOPMs that may stop, fewer than nIopm ({@code MaxFail})
 * @param nAdmin  the last nAdmin vCPUs are VMs the console manages ({@code NAdmin})
 */
public record GuestIoConfig(int nVcpu, int nIopm, int nDev, int nInsn, int maxFail, int nAdmin) {

    /** {@code Base}: the address of the first instruction. */
    public static final int BASE = 256;
    /** {@code ILen(k)}: every instruction is an opcode and its imm8 port. */
    public static final int INSN_BYTES = 2;

    /** {@code Ops}: each managed VM's commands, in order. */
    public static final java.util.List<Op> OPS = java.util.List.of(Op.START, Op.CREATE, Op.START, Op.STOP, Op.START, Op.DESTROY);
    /** {@code Console}: the IOPM whose user interface issues the commands. */
    public static final int CONSOLE = 1;

    /** No managed VM (NAdmin = 0). */
    public GuestIoConfig(int nVcpu, int nIopm, int nDev, int nInsn, int maxFail) {
        this(nVcpu, nIopm, nDev, nInsn, maxFail, 0);
    }

    public GuestIoConfig {
        if (nVcpu < 1 || nIopm < 1 || nDev < 1 || nInsn < 1)
            throw new IllegalArgumentException("NVcpu, NIopm, NDev and NInsn must be at least 1");
        if (maxFail < 0 || maxFail >= nIopm)
            throw new IllegalArgumentException("MaxFail must be in 0..NIopm-1: " + maxFail);
        if (nAdmin < 0 || nAdmin > nVcpu)
            throw new IllegalArgumentException("NAdmin must be in 0..NVcpu: " + nAdmin);
    }

    /** The bound of {@code specs/GuestIo.cfg}. */
    public static GuestIoConfig small() {
        return new GuestIoConfig(2, 2, 1, 5, 1);
    }

    /** The bound of {@code specs/GuestIoDeep.cfg}. */
    public static GuestIoConfig deep() {
        return new GuestIoConfig(2, 3, 2, 10, 2);
    }

    /** The bound of {@code specs/GuestIoAdmin.cfg}. */
    public static GuestIoConfig admin() {
        return new GuestIoConfig(2, 2, 1, 3, 0, 1);
    }

    /** {@code v \in Managed}: a VM the console manages. */
    public boolean managed(int v) {
        return v > nVcpu - nAdmin && v <= nVcpu;
    }

    /** {@code NCmd}: the commands of the console's script. */
    public int nCmd() {
        return nAdmin * OPS.size();
    }

    /** {@code Script(n)}, n in 1..nCmd. */
    public Command script(int n) {
        return new Command(n, OPS.get((n - 1) % OPS.size()), nVcpu - nAdmin + 1 + (n - 1) / OPS.size());
    }

    /** {@code Step(k)}: 0 SEL, 1 DATA out, 2 STATUS, 3 SEL, 4 DATA in. */
    private static int step(int k) {
        return (k - 1) % 5;
    }

    /** {@code Dir(k)}: the SELs and the first DATA are OUTs, STATUS and the second DATA INs. */
    public Dir dir(int k) {
        int st = step(k);
        return st == 2 || st == 4 ? Dir.IN : Dir.OUT;
    }

    /** {@code Reg(k)}. */
    public Reg reg(int k) {
        return switch (step(k)) {
            case 0, 3 -> Reg.SEL;
            case 2 -> Reg.STATUS;
            default -> Reg.DATA;
        };
    }

    /** {@code ILen(k)}: the instruction's length in bytes. */
    public int len(int k) {
        return INSN_BYTES;
    }

    /** {@code Port(k)}: the disk. */
    public int port(int k) {
        return ((k - 1) / 5) % nDev + 1;
    }

    /** {@code Addr(k)}. */
    public int addr(int k) {
        return BASE + INSN_BYTES * (k - 1);
    }

    /** {@code End}: where the guest halts. */
    public int end() {
        return addr(nInsn + 1);
    }

    /** {@code Insn(a)}: the instruction at address a, or 0 if none is. */
    public int insn(int a) {
        int k = (a - BASE) / INSN_BYTES + 1;
        return a >= BASE && (a - BASE) % INSN_BYTES == 0 && k <= nInsn ? k : 0;
    }

    /** {@code InitRoute[d]}: devices dealt round robin over the IOPMs. */
    public int initRoute(int d) {
        return (d - 1) % nIopm + 1;
    }
}
