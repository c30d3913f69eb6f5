package coopvmm.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The VMM side of the management ring ({@code reference-vmm/ring/mgmt_ring.c}, built into the
 * same library as the ring, {@link NativeRing}) through JNI ({@code src/main/c/mgmt_jni.c}).
 * One instance is one channel page (guard pages on both sides), its management ring at its
 * real offset, and the VMM's private state; the caller plays the console and owns the
 * console's words. Not thread-safe; close it.
 */
public final class NativeMgmt implements AutoCloseable {

    /** The VMM's calls, in {@code mgmt_jni.c}'s order. */
    public enum Op { TAKE_COMMAND, CAN_ANSWER, ANSWER_COMMAND, MAY_SLEEP }

    /** {@code MGMT_BOGUS}: vmm_take_command saw cmd_prod more than MGMT_SLOTS ahead. */
    public static final int MGMT_BOGUS = 2;
    /** {@code *notify} before a call (mgmt_jni.c): the call did not decide it. */
    public static final int NOTIFY_UNSET = -1;
    /** The reads a call logs at most (mgmt_jni.c's READ_LOG_MAX). */
    public static final int READ_LOG_MAX = 32;
    private static final int READ_REC_INTS = 5;
    private static final int OUT_COUNT = 9;
    private static final int STATE_INTS = 3;

    /**
     * One READ_ONCE32 of the call: its channel offset, the value it got, and the VMM's own
     * words (ans_prod, cmd_cons, cmd_event) in the channel at that moment.
     */
    public record Read(int off, long value, long ansProd, long cmdCons, long cmdEvent) {
    }

    /**
     * What one call did: its return value; the IPI decision, *notify ({@link #NOTIFY_UNSET} if
     * none); the command copy (n, op, vcpu, reserved) vmm_take_command left in its output;
     * 1 + the offset of a byte outside the VMM's words that changed, or 0; tape bytes used;
     * the number of reads and the first {@link #READ_LOG_MAX} of them, in order.
     */
    public record Step(int ret, int ipi, long[] copy, int foreignWrite, int tapeUsed, int readCount,
                       List<Read> reads) {

        /** The reads of the word at channel offset {@code off}, in order. */
        public List<Read> at(int off) {
            return reads.stream().filter(r -> r.off() == off).toList();
        }
    }

    /** The VMM's private state ({@code struct mgmt_vmm}). */
    public record State(long cmdCons, long ansPvt, boolean trusted) {
    }

    private long h;
    private final int[] out = new int[OUT_COUNT];
    private final int[] log = new int[READ_LOG_MAX * READ_REC_INTS];
    private final int[] st = new int[STATE_INTS];

    public NativeMgmt() {
        NativeRing.load();
        h = create();
        if (h == 0) throw new OutOfMemoryError("native management ring context");
    }

    /** One call; {@code n}, {@code ok}: the answer of {@link Op#ANSWER_COMMAND}; {@code tape} or null. */
    public Step step(Op op, long n, long ok, byte[] tape) {
        step(h, op.ordinal(), (int) n, (int) ok, tape, out, log);
        int count = out[8];
        List<Read> reads = new ArrayList<>();
        for (int i = 0; i < Math.min(count, READ_LOG_MAX); i++) {
            int b = i * READ_REC_INTS;
            reads.add(new Read(log[b], u(log[b + 1]), u(log[b + 2]), u(log[b + 3]), u(log[b + 4])));
        }
        return new Step(out[0], out[1], new long[] {u(out[2]), u(out[3]), u(out[4]), u(out[5])}, out[6], out[7],
                count, reads);
    }

    public State state() {
        state(h, st);
        return new State(u(st[0]), u(st[1]), st[2] != 0);
    }

    /** u32 at channel offset {@code off}. */
    public long peek32(int off) {
        return peek32(h, off);
    }

    /** Writes a u32 at channel offset {@code off}, as the console. */
    public void poke32(int off, long v) {
        poke32(h, off, (int) v);
    }

    public void read(int off, byte[] dst) {
        readBytes(h, off, dst);
    }

    /** Writes bytes at channel offset {@code off}, as the console. */
    public void write(int off, byte[] src) {
        writeBytes(h, off, src);
    }

    /** Moves the fresh ring to command index {@code cmd} and answer index {@code ans}; before any call. */
    public void rebase(long cmd, long ans) {
        rebase(h, (int) cmd, (int) ans);
    }

    /** The mutant the library was built with ({@code fuzz/native/build.sh}), or "ref". */
    public static String build() {
        NativeRing.load();
        return buildName();
    }

    @Override
    public void close() {
        if (h != 0) destroy(h);
        h = 0;
    }

    private static long u(int x) {
        return Integer.toUnsignedLong(x);
    }

    private static native long create();

    private static native void destroy(long h);

    private static native String buildName();

    private static native void step(long h, int op, int n, int ok, byte[] tape, int[] out, int[] reads);

    private static native long peek32(long h, int off);

    private static native void poke32(long h, int off, int v);

    private static native void readBytes(long h, int off, byte[] dst);

    private static native void writeBytes(long h, int off, byte[] src);

    private static native void state(long h, int[] out);

    private static native void rebase(long h, int cmd, int ans);
}
