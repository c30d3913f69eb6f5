package coopvmm.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C ring ({@code reference-vmm/ring/ring.c}, compiled for the host into
 * {@code fuzz/target/native/libcoopring.so} by {@code fuzz/native/build.sh}) through JNI.
 * One instance is one channel page (guard pages on both sides) plus the VMM's and the IOPM's
 * private state. Not thread-safe; close it.
 *
 * <p>The library is looked up at the system property {@code coopvmm.native.lib}, else at
 * {@code target/native/libcoopring.so} of the working directory (Surefire runs in
 * {@code fuzz/}). When it is missing, {@link #unavailableReason()} says why, and the
 * harnesses skip.
 */
public final class NativeRing implements AutoCloseable {

    /** {@code enum ring_event} of {@code ring.h}, same order. */
    public enum Ev {
        VMM_WRITE_REQUEST, VMM_PUBLISH_REQUESTS, VMM_CONSUME_RESPONSE, VMM_DECLARE_IOPM_BROKEN,
        VMM_PREPARE_SLEEP, VMM_FINAL_CHECK, VMM_WAKE, VMM_SPURIOUS_WAKE,
        IOPM_CONSUME, IOPM_WRITE_RESPONSE, IOPM_PUBLISH_RESPONSES, IOPM_PUBLISH_BOGUS,
        IOPM_PREPARE_SLEEP, IOPM_FINAL_CHECK, IOPM_WAKE, IOPM_SPURIOUS_WAKE,
        VMM_NOTIFY_IOPM, IOPM_NOTIFY_VMM,
        VMM_SEE_IDLE, IOPM_SEE_IDLE,
        VMM_SEND_IPI, IOPM_SEND_IPI
    }

    /** Which side the harness plays; the bytes that side owns are the "peer-owned" ones. */
    public enum Peer { NONE, IOPM, VMM }

    /** {@code RING_BOGUS}: vmm_consume_response saw rsp_prod more than RING_SLOTS ahead. */
    public static final int RING_BOGUS = 2;
    public static final int PC_RUN = 0, PC_CHECK = 1, PC_SLEEP = 2, PC_NOTIFY = 3, PC_IDLE = 4,
            PC_IPI = 5;

    /** What one step did: ring.c's return value and its {@code struct ring_step}. */
    public record Step(int ret, Ev ev, long id, long idx, boolean notifies, boolean sleep,
                       boolean foreignWrite, int tapeUsed, int doubleFetch) {
        public boolean taken() {
            return ret == 1;
        }
    }

    /** The private state of both sides (see {@code ring_jni.c}, {@code state}). */
    public record State(long reqPvt, long nextId, long maxReq, long rspGot, int vmmPc, boolean trusted,
                        boolean unfilled, long rspPvt, long reqGot, int iopmPc, int pendingCount,
                        long[] pending) {
    }

    private static final Path LIB = Path.of(System.getProperty("coopvmm.native.lib", "target/native/libcoopring.so"))
            .toAbsolutePath();
    private static final String REASON = absentReason();
    private static boolean loaded;

    /** Why there is no library file, or null. (Loading waits for the first ring: see {@link #load}.) */
    private static String absentReason() {
        if (Files.isRegularFile(LIB)) return null;
        Path why = LIB.resolveSibling("UNAVAILABLE");
        String detail = "";
        try {
            if (Files.isRegularFile(why)) detail = ": " + Files.readString(why).trim();
        } catch (Exception ignored) {
            // the reason file is only a hint
        }
        return "no native ring library at " + LIB + detail
                + " (built by fuzz/native/build.sh in generate-resources; needs clang)";
    }

    /**
     * Loads the library on first use, inside a fuzz test: its coverage counters register
     * with Jazzer's runtime, which is only there once Jazzer runs a fuzz test (loading it
     * earlier, from a class initialiser or a BeforeAll, crashed the JVM in the sancov
     * constructor). The library also holds the management ring ({@link NativeMgmt}).
     */
    static synchronized void load() {
        if (loaded) return;
        if (REASON != null) throw new IllegalStateException(REASON);
        try {
            System.load(LIB.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load " + LIB + ": " + e.getMessage()
                    + " (is LD_PRELOAD set to libjazzer_preload.so? see fuzz/pom.xml)", e);
        }
        loaded = true;
    }

    /** Null when the library is there, else why it is not. */
    public static String unavailableReason() {
        return REASON;
    }

    public static boolean available() {
        return REASON == null;
    }

    private long h;
    private final int[] out = new int[9];
    private final int[] st = new int[32];

    public NativeRing(int maxReq, Peer peer) {
        load();
        h = create(maxReq, peer.ordinal());
        if (h == 0) throw new OutOfMemoryError("native ring context");
    }

    /** Takes one action; {@code pkt} (64 bytes) or null for the default packet; {@code tape} or null. */
    public Step step(Ev ev, int arg, byte[] pkt, byte[] tape) {
        step(h, ev.ordinal(), arg, pkt, tape, out);
        Ev e = out[0] >= 1 ? Ev.values()[out[1]] : null;
        return new Step(out[0], e, Integer.toUnsignedLong(out[2]), Integer.toUnsignedLong(out[3]),
                out[4] != 0, out[5] != 0, out[6] != 0, out[7], out[8] == 0 ? -1 : out[8] - 1);
    }

    public Step step(Ev ev) {
        return step(ev, 0, null, null);
    }

    public State state() {
        state(h, st);
        int n = Math.min(st[11], 16);
        long[] pend = new long[n];
        for (int i = 0; i < n; i++) pend[i] = Integer.toUnsignedLong(st[12 + i]);
        return new State(u(st[0]), u(st[1]), u(st[2]), u(st[3]), st[4], st[5] != 0, st[6] != 0,
                u(st[7]), u(st[8]), st[9], st[11], pend);
    }

    /** u32 at channel offset {@code off}. */
    public long peek32(int off) {
        return peek32(h, off);
    }

    /** Writes a u32 at channel offset {@code off}, as the peer. */
    public void poke32(int off, long v) {
        poke32(h, off, (int) v);
    }

    public void read(int off, byte[] dst) {
        readBytes(h, off, dst);
    }

    public void write(int off, byte[] src) {
        writeBytes(h, off, src);
    }

    /** What ring.c last read of the control word at {@code off} in the last step, or -1. */
    public long lastRead(int off) {
        return lastRead(h, off);
    }

    /** The 64-byte private copy the last successful vmm_consume_response delivered. */
    public byte[] lastResponse() {
        byte[] b = new byte[64];
        lastResponse(h, b);
        return b;
    }

    /** Moves the fresh channel to start index {@code start} (see ring_jni.c); before any step. */
    public void rebase(long start) {
        rebase(h, (int) start);
    }

    public static String mutant() {
        load();
        return mutantName();
    }

    @Override
    public void close() {
        if (h != 0) destroy(h);
        h = 0;
    }

    private static long u(int x) {
        return Integer.toUnsignedLong(x);
    }

    private static native long create(int maxReq, int peer);

    private static native void destroy(long h);

    private static native String mutantName();

    private static native void step(long h, int ev, int arg, byte[] pkt, byte[] tape, int[] out);

    private static native long peek32(long h, int off);

    private static native void poke32(long h, int off, int v);

    private static native void readBytes(long h, int off, byte[] dst);

    private static native void writeBytes(long h, int off, byte[] src);

    private static native long lastRead(long h, int off);

    private static native void lastResponse(long h, byte[] dst);

    private static native int state(long h, int[] out);

    private static native void rebase(long h, int start);
}
