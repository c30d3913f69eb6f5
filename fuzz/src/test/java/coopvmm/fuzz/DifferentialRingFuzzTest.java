package coopvmm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import coopvmm.fuzz.NativeRing.Ev;
import coopvmm.model.ring.Pc;
import coopvmm.model.ring.Ring;
import coopvmm.model.ring.RingAction;
import coopvmm.model.ring.RingConfig;
import coopvmm.model.ring.RingInvariants;
import coopvmm.model.ring.RingState;
import coopvmm.model.zone.SharedZoneLayout;
import org.junit.jupiter.api.Assumptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Harness 3: the same fuzzed sequence of ring actions on the C ring ({@code ring.c} through
 * JNI, both sides in one process on one channel page) and on the Java model of
 * {@code CoopRing.tla} ({@link Ring}, N = 16, IdxMod = 2^32, PeerFaults on). After every
 * action: same enabled-ness, same event, same ids, same notify and sleep decisions, and the
 * same state (the six shared indexes, both rings' slot ids, both sides' private state and the
 * IPI pending bits, which the harness keeps for the C side from its IPI sends).
 * Any difference is a finding. The model's invariants are checked at the end.
 *
 * <p>Not compared, by design: the C IOPM stops consuming with 16 requests pending
 * ({@code IOPM_PENDING_MAX}, a scheduling choice); the model's queue is unbounded, so a
 * consume the C side refuses for that reason is skipped on both sides.
 */
class DifferentialRingFuzzTest {

    /** No native library (no clang on this machine): skip, outside the fuzz test (Jazzer
     * would report an assumption failing inside it as a finding). */
    @org.junit.jupiter.api.BeforeAll
    static void nativeLibrary() {
        if (!NativeRing.available()) System.err.println("SKIPPED (C ring harness): " + NativeRing.unavailableReason());
        Assumptions.assumeTrue(NativeRing.available(), NativeRing::unavailableReason);
    }

    static final long U32 = 0xFFFF_FFFFL;
    static final int N = SharedZoneLayout.RING_SLOTS;
    /** Actions per input, bursts included (a double answer needs about 100 round trips). */
    static final int MAX_STEPS = 2000;

    /** Parameterless actions the fuzzer picks from (Finished and bogus publishing apart). */
    static final RingAction[] ACTIONS = {
            RingAction.VMM_WRITE_REQUEST, RingAction.VMM_PUBLISH_REQUESTS, RingAction.VMM_CONSUME_RESPONSE,
            RingAction.VMM_DECLARE_IOPM_BROKEN, RingAction.VMM_PREPARE_SLEEP, RingAction.VMM_FINAL_CHECK,
            RingAction.VMM_WAKE, RingAction.VMM_SPURIOUS_WAKE, RingAction.IOPM_CONSUME,
            RingAction.IOPM_WRITE_RESPONSE, RingAction.IOPM_PUBLISH_RESPONSES, RingAction.IOPM_PREPARE_SLEEP,
            RingAction.IOPM_FINAL_CHECK, RingAction.IOPM_WAKE, RingAction.IOPM_SPURIOUS_WAKE,
            RingAction.VMM_NOTIFY_IOPM, RingAction.IOPM_NOTIFY_VMM, RingAction.VMM_SEE_IDLE,
            RingAction.IOPM_SEE_IDLE, RingAction.VMM_SEND_IPI, RingAction.IOPM_SEND_IPI};

    /** One request's round trip. */
    static final RingAction[] CYCLE = {
            RingAction.VMM_WRITE_REQUEST, RingAction.VMM_PUBLISH_REQUESTS, RingAction.VMM_NOTIFY_IOPM,
            RingAction.VMM_SEND_IPI, RingAction.IOPM_WAKE, RingAction.IOPM_CONSUME,
            RingAction.IOPM_WRITE_RESPONSE, RingAction.IOPM_PUBLISH_RESPONSES, RingAction.IOPM_NOTIFY_VMM,
            RingAction.IOPM_SEND_IPI, RingAction.VMM_WAKE, RingAction.VMM_CONSUME_RESPONSE};

    @FuzzTest
    void cVersusModel(FuzzedDataProvider data) {
        int maxReq = data.consumeBoolean() ? data.consumeInt(1, 40) : data.consumeInt(90, 400);
        long start = switch (data.consumeInt(0, 2)) {
            case 0 -> 0;
            case 1 -> (U32 + 1 - data.consumeInt(1, 3 * N)) & U32; // wraps within the run
            default -> Integer.toUnsignedLong(data.consumeInt());
        };
        try (NativeRing c = new NativeRing(maxReq, NativeRing.Peer.NONE)) {
            new Diff(c, maxReq, start).run(data);
        }
    }

    static final class Diff {
        final NativeRing c;
        final RingConfig cfg;
        final Ring model;
        RingState s;
        boolean ipiVmm, ipiIopm;     // the C side's IPI pending bits, from its IPI sends
        // the last steps, formatted only when a difference is reported
        final Object[] trail = new Object[16];
        int trailPos;
        int steps;
        final byte[] page = new byte[SharedZoneLayout.channelUsed()];
        final java.nio.ByteBuffer pb = java.nio.ByteBuffer.wrap(page).order(java.nio.ByteOrder.LITTLE_ENDIAN);

        Diff(NativeRing c, int maxReq, long start) {
            this.c = c;
            this.cfg = new RingConfig(N, RingConfig.U32, maxReq, true);
            this.model = new Ring(cfg);
            RingState init = RingState.init(cfg);
            if (start != 0) {
                c.rebase(start);
                var b = init.with();
                b.reqProd = b.rspCons = b.rspProd = b.reqCons = b.reqPvt = b.rspPvt = start;
                b.rspEvent = b.reqEvent = (start + 1) & U32;
                init = b.build();
            }
            this.s = init;
            note("start " + start + ", MaxReq " + maxReq);
            compare("init");
        }

        void run(FuzzedDataProvider data) {
            for (int ops = 0; ops < 400 && steps < MAX_STEPS && data.remainingBytes() > 0; ops++) {
                // an action, two picks of one, a bogus publish, three bursts
                int op = data.consumeInt(0, ACTIONS.length + 5);
                if (op < ACTIONS.length) {
                    act(ACTIONS[op]);
                } else if (op < ACTIONS.length + 2) {
                    act(data.pickValue(ACTIONS));
                } else if (op == ACTIONS.length + 2) {
                    bogus(data.consumeBoolean() ? data.consumeInt(0, 3) : data.consumeInt() & 0x7FFF_FFFF);
                } else {
                    int n = data.consumeInt(1, 128);   // a burst of round trips
                    for (int i = 0; i < n && steps < MAX_STEPS; i++) for (RingAction a : CYCLE) act(a);
                }
            }
            List<String> bad = new RingInvariants(cfg).violated(s);
            check(bad.isEmpty(), "model invariants violated: " + bad);
        }

        void note(Object o) {
            trail[trailPos++ % trail.length] = o;
        }

        void act(RingAction a) {
            steps++;
            if (a == RingAction.VMM_WAKE && !ipiVmm || a == RingAction.IOPM_WAKE && !ipiIopm) {
                // the IPI handler runs only when an IPI is pending
                check(model.take(a, s).isEmpty(), a + ": model enabled, but no IPI is pending on the C side");
                return;
            }
            NativeRing.State before = c.state();
            if (a == RingAction.IOPM_CONSUME && before.pendingCount() >= 16 && before.iopmPc() == NativeRing.PC_RUN) {
                NativeRing.Step st = c.step(Ev.IOPM_CONSUME);
                check(!st.taken(), "IOPM consumed with IOPM_PENDING_MAX pending");
                note(a + " (C: pending full, skipped)");
                return;
            }
            Optional<RingState> next = model.take(a, s);
            NativeRing.Step st = c.step(Ev.valueOf(a.name()));
            note(new Object[]{a, st, next.isPresent()});
            check(st.taken() == next.isPresent(), a + ": C " + (st.taken() ? "took it" : "did not (ret " + st.ret() + ")")
                    + ", model " + (next.isPresent() ? "enabled" : "disabled"));
            if (!st.taken()) return;
            check(st.ev() == Ev.valueOf(a.name()), a + ": C reported event " + st.ev());
            RingState t = next.get();
            switch (a) {
                case VMM_WRITE_REQUEST -> check(st.id() == s.nextId(), "request id " + st.id() + ", model " + s.nextId());
                case VMM_CONSUME_RESPONSE -> check(st.id() == last(t.rspGot()), "VMM got response " + st.id()
                        + ", model " + last(t.rspGot()));
                case IOPM_CONSUME -> check(st.id() == last(t.reqGot()), "IOPM got request " + st.id()
                        + ", model " + last(t.reqGot()));
                case IOPM_WRITE_RESPONSE -> check(st.id() == s.pending().get(0), "response id " + st.id()
                        + ", model answers " + s.pending().get(0));
                case VMM_NOTIFY_IOPM -> {
                    check(st.notifies() == cfg.needNotify(s.reqNotifyFrom(), s.reqProd(), s.reqEvent()),
                            "notify IOPM: C " + st.notifies());
                }
                case IOPM_NOTIFY_VMM -> {
                    check(st.notifies() == cfg.needNotify(s.rspNotifyFrom(), s.rspProd(), s.rspEvent()),
                            "notify VMM: C " + st.notifies());
                }
                case VMM_SEND_IPI -> ipiIopm = true;
                case IOPM_SEND_IPI -> ipiVmm = true;
                case VMM_FINAL_CHECK -> check(st.sleep() == (t.vmmPc() == Pc.SLEEP), "VMM sleep: C " + st.sleep());
                case IOPM_FINAL_CHECK -> check(st.sleep() == (t.iopmPc() == Pc.SLEEP), "IOPM sleep: C " + st.sleep());
                case VMM_WAKE -> ipiVmm = false;
                case IOPM_WAKE -> ipiIopm = false;
                default -> {
                }
            }
            s = t;
            compare(a.toString());
        }

        void bogus(long skew) {
            long p = (s.rspCons() + N + 1 + skew) & U32;
            Optional<RingState> next = model.iopmPublishBogus(s, p);
            NativeRing.Step st = c.step(Ev.IOPM_PUBLISH_BOGUS, (int) skew, null, null);
            note(new Object[]{"IOPM_PUBLISH_BOGUS(" + p + ")", st, next.isPresent()});
            check(st.taken() && next.isPresent(), "bogus publish: C " + st.taken() + ", model " + next.isPresent());
            check(st.idx() == p, "bogus index " + st.idx() + ", model " + p);
            s = next.get();
            compare("IOPM_PUBLISH_BOGUS");
        }

        static long last(List<Integer> l) {
            return l.isEmpty() ? -1 : l.get(l.size() - 1);
        }

        void compare(String after) {
            NativeRing.State x = c.state();
            c.read(0, page);
            eq("reqProd", u32(SharedZoneLayout.REQ_PROD), s.reqProd(), after);
            eq("rspCons", u32(SharedZoneLayout.RSP_CONS), s.rspCons(), after);
            eq("rspEvent", u32(SharedZoneLayout.RSP_EVENT), s.rspEvent(), after);
            eq("rspProd", u32(SharedZoneLayout.RSP_PROD), s.rspProd(), after);
            eq("reqCons", u32(SharedZoneLayout.REQ_CONS), s.reqCons(), after);
            eq("reqEvent", u32(SharedZoneLayout.REQ_EVENT), s.reqEvent(), after);
            eq("reqPvt", x.reqPvt(), s.reqPvt(), after);
            eq("rspPvt", x.rspPvt(), s.rspPvt(), after);
            eq("nextId", x.nextId(), s.nextId(), after);
            eq("Len(rspGot)", x.rspGot(), s.rspGot().size(), after);
            eq("Len(reqGot)", x.reqGot(), s.reqGot().size(), after);
            eq("vmmPc", x.vmmPc(), s.vmmPc().ordinal(), after);
            eq("iopmPc", x.iopmPc(), s.iopmPc().ordinal(), after);
            check(x.trusted() == s.iopmTrusted(), "iopmTrusted: C " + x.trusted() + ", model " + s.iopmTrusted()
                    + " after " + after);
            check(ipiVmm == s.ipiVmm() && ipiIopm == s.ipiIopm(), "IPI bits: C " + ipiVmm + "/" + ipiIopm
                    + ", model " + s.ipiVmm() + "/" + s.ipiIopm() + " after " + after);
            eq("Len(pending)", x.pendingCount(), s.pending().size(), after);
            for (int i = 0; i < x.pendingCount(); i++)
                eq("pending[]", x.pending()[i], s.pending().get(i), after);
            for (int i = 0; i < N; i++) {
                eq("reqRing[]", u32(SharedZoneLayout.REQ_RING_OFFSET + i * SharedZoneLayout.SLOT_SIZE),
                        s.reqRing().get(i), after);
                eq("rspRing[]", u32(SharedZoneLayout.rspRingOffset() + i * SharedZoneLayout.SLOT_SIZE),
                        s.rspRing().get(i), after);
            }
        }

        long u32(int off) {
            return Integer.toUnsignedLong(pb.getInt(off));
        }

        void eq(String what, long cValue, long modelValue, String after) {
            check(cValue == modelValue, what + ": C " + cValue + ", model " + modelValue + " after " + after);
        }

        void check(boolean ok, String what) {
            if (ok) return;
            StringBuilder b = new StringBuilder();
            for (int i = Math.max(0, trailPos - trail.length); i < trailPos; i++) {
                Object o = trail[i % trail.length];
                b.append("\n  ").append(o instanceof Object[] t
                        ? t[0] + " -> C " + t[1] + ((Boolean) t[2] ? "" : " / model disabled") : o);
            }
            throw new AssertionError("C ring (" + NativeRing.mutant() + ") and model differ: " + what
                    + " (step " + steps + ")\nlast steps:" + b);
        }
    }
}
