package coopvmm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import coopvmm.fuzz.NativeRing.Ev;
import coopvmm.fuzz.NativeRing.Peer;
import coopvmm.fuzz.NativeRing.State;
import coopvmm.fuzz.NativeRing.Step;
import coopvmm.model.zone.Packet;
import coopvmm.model.zone.PacketCodec;
import coopvmm.model.zone.PacketType;
import org.junit.jupiter.api.Assumptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static coopvmm.model.zone.SharedZoneLayout.IPI_TO_IOPM;
import static coopvmm.model.zone.SharedZoneLayout.IPI_TO_VMM;
import static coopvmm.model.zone.SharedZoneLayout.REQ_CONS;
import static coopvmm.model.zone.SharedZoneLayout.REQ_EVENT;
import static coopvmm.model.zone.SharedZoneLayout.REQ_PROD;
import static coopvmm.model.zone.SharedZoneLayout.REQ_RING_OFFSET;
import static coopvmm.model.zone.SharedZoneLayout.RING_SLOTS;
import static coopvmm.model.zone.SharedZoneLayout.RSP_CONS;
import static coopvmm.model.zone.SharedZoneLayout.RSP_EVENT;
import static coopvmm.model.zone.SharedZoneLayout.RSP_PROD;
import static coopvmm.model.zone.SharedZoneLayout.SLOT_SIZE;

/**
 * Harness 2: a hostile peer against the C ring ({@code reference-vmm/ring/ring.c}, compiled
 * for the host, through JNI). The fuzzer plays one side and owns every byte that side may
 * write (its control area and its data area); it rewrites them between calls and, through
 * the "tape", between two reads ring.c makes inside one call ({@code hostile_arch.h}).
 * <ul>
 *   <li>{@link #iopmAttacksVmm}: the fuzzer is the IOPM; the C VMM side is under test.</li>
 *   <li>{@link #vmmAttacksIopm}: the fuzzer is the VMM; the C IOPM side is under test.</li>
 * </ul>
 * Oracles: ring.c never writes a byte the peer owns, never touches memory outside the
 * channel page (guard pages; UBSan); the peer's index is bounded as the spec says (a VMM
 * consume only when {@code 1 <= rsp_prod - rsp_cons <= RING_SLOTS} as read); a producer only
 * writes a slot that is free by the consumer index it read, its indexes run free and count
 * one per packet, and a published slot holds the packet written for it; ids answer
 * in order, once each; notify decisions follow {@code (old, new]}; going to sleep loads the
 * producer index (see idle), then arms the event index (prepare sleep; the peer may publish in
 * between), the final check re-reads the producer index, and a side never sleeps with work
 * waiting and no IPI pending (the lost wakeup, as a safety check on each interleaving the
 * fuzzer picks). The harness's IPI to the side under test is its count word
 * ({@code ipi_to_vmm}, {@code ipi_to_iopm}, docs/shared-zone.md), bumped when it notifies: a
 * wake takes an IPI only if the count moved since the last one it took.
 */
class HostilePeerNativeFuzzTest {

    /** No native library (no clang on this machine): skip, outside the fuzz test (Jazzer
     * would report an assumption failing inside it as a finding). */
    @org.junit.jupiter.api.BeforeAll
    static void nativeLibrary() {
        if (!NativeRing.available()) System.err.println("SKIPPED (C ring harness): " + NativeRing.unavailableReason());
        Assumptions.assumeTrue(NativeRing.available(), NativeRing::unavailableReason);
    }

    static final long U32 = 0xFFFF_FFFFL;
    static final int RSP_RING = REQ_RING_OFFSET + RING_SLOTS * SLOT_SIZE;

    static boolean needNotify(long old, long now, long event) {
        return ((now - event) & U32) < ((now - old) & U32);
    }

    static long dist(long c, long p) {
        return (p - c) & U32;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("C ring (" + NativeRing.mutant() + "): " + what);
    }

    static byte[] tape(FuzzedDataProvider d) {
        return d.consumeInt(0, 3) == 0 ? d.consumeBytes(d.consumeInt(1, 24)) : null;
    }

    /** A channel offset in a ring, named: {@code response slot 3, word 1 (channel offset 2244)}. */
    static String slotWord(int off) {
        boolean rsp = off >= RSP_RING;
        int in = off - (rsp ? RSP_RING : REQ_RING_OFFSET);
        return (rsp ? "response" : "request") + " slot " + in / SLOT_SIZE + ", word " + in % SLOT_SIZE / 4
                + " (channel offset " + off + ")";
    }

    static long slotId(NativeRing c, int ring, long idx) {
        return c.peek32(ring + (int) (idx & (RING_SLOTS - 1)) * SLOT_SIZE);
    }

    static long start(FuzzedDataProvider d) {
        return switch (d.consumeInt(0, 2)) {
            case 0 -> 0;
            case 1 -> (U32 + 1 - d.consumeInt(1, 3 * RING_SLOTS)) & U32;
            default -> Integer.toUnsignedLong(d.consumeInt());
        };
    }

    // =====================================================================================
    // The fuzzer is the IOPM; the C VMM is under test.

    @FuzzTest
    void iopmAttacksVmm(FuzzedDataProvider data) {
        try (NativeRing c = new NativeRing(data.consumeInt(1, 64), Peer.IOPM)) {
            new VmmUnderTest(c, data).run();
        }
    }

    static final class VmmUnderTest {
        final NativeRing c;
        final FuzzedDataProvider d;
        final long[] writtenIdx = new long[RING_SLOTS], writtenId = new long[RING_SLOTS];
        final boolean[] written = new boolean[RING_SLOTS];
        final List<Long> pending = new ArrayList<>();
        long peerReqCons, peerRspPvt;
        boolean honestCons = true, ipiVmm;
        long vmmTaken;               // ipi_to_vmm as the VMM's last wake that took an IPI read it

        VmmUnderTest(NativeRing c, FuzzedDataProvider d) {
            this.c = c;
            this.d = d;
            long s = start(d);
            if (s != 0) c.rebase(s);
            peerReqCons = peerRspPvt = s;
        }

        void run() {
            for (int ops = 0; ops < 300 && d.remainingBytes() > 0; ops++) {
                switch (d.consumeInt(0, 12)) {
                    case 0 -> vmm(Ev.VMM_WRITE_REQUEST);
                    case 1 -> vmm(Ev.VMM_PUBLISH_REQUESTS);
                    case 2 -> vmm(Ev.VMM_CONSUME_RESPONSE);
                    case 3 -> vmm(Ev.VMM_DECLARE_IOPM_BROKEN);
                    case 4 -> goIdle();
                    case 5 -> vmm(Ev.VMM_FINAL_CHECK);
                    case 6 -> wake();
                    case 7 -> peerConsume();
                    case 8 -> peerRespond(d.consumeInt(0, 3));
                    case 9 -> peerPublish(d.consumeInt(0, 3));
                    case 10 -> peerPoke();
                    case 11 -> c.write(RSP_RING + d.consumeInt(0, RING_SLOTS * SLOT_SIZE - 8), d.consumeBytes(8));
                    default -> {
                        int n = d.consumeInt(1, 40);
                        for (int i = 0; i < n; i++) {
                            vmm(Ev.VMM_WRITE_REQUEST);
                            vmm(Ev.VMM_PUBLISH_REQUESTS);
                            peerConsume();
                            peerRespond(0);
                            peerPublish(0);
                            wake();
                            vmm(Ev.VMM_CONSUME_RESPONSE);
                        }
                    }
                }
                State st = c.state();
                check(!(st.vmmPc() == NativeRing.PC_SLEEP && c.peek32(RSP_PROD) != c.peek32(RSP_CONS) && !ipiVmm),
                        "lost wakeup: the VMM sleeps with responses published (rsp_prod " + c.peek32(RSP_PROD)
                                + ", rsp_cons " + c.peek32(RSP_CONS) + ") and no IPI pending");
            }
        }

        /**
         * vmm_see_idle and, when it is taken, vmm_prepare_sleep, its next step; between the two
         * the peer may publish (on the old rsp_event: the final check must catch it).
         */
        void goIdle() {
            if (!vmm(Ev.VMM_SEE_IDLE).taken()) return;
            if (d.consumeBoolean()) {
                peerRespond(0);
                peerPublish(0);
            }
            Step p = vmm(Ev.VMM_PREPARE_SLEEP);
            check(p.taken(), "prepare_sleep refused after see_idle: ret " + p.ret());
        }

        void wake() {
            if (ipiVmm) {
                // a poke may have put the count back where the VMM last took it: send again
                if (c.peek32(IPI_TO_VMM) == vmmTaken) c.poke32(IPI_TO_VMM, (vmmTaken + 1) & U32);
                // not taken (the tape rewrote the count during the call): still pending
                ipiVmm = !vmm(Ev.VMM_WAKE).taken();
            } else if (d.consumeBoolean()) {
                vmm(Ev.VMM_SPURIOUS_WAKE);
            }
        }

        /** The peer sends the VMM an IPI: counts it in ipi_to_vmm first, as iopm_send_ipi does. */
        void notifyVmm() {
            ipiVmm = true;
            c.poke32(IPI_TO_VMM, (c.peek32(IPI_TO_VMM) + 1) & U32);
        }

        /** The peer changes rsp_prod: it notifies as the protocol says. */
        void setRspProd(long v) {
            long old = c.peek32(RSP_PROD);
            c.poke32(RSP_PROD, v);
            if (v != old && needNotify(old, v, c.peek32(RSP_EVENT))) notifyVmm();
        }

        void peerConsume() {
            long prod = c.peek32(REQ_PROD);
            if (prod == peerReqCons) return;
            if (honestCons) {
                check(dist(peerReqCons, prod) <= RING_SLOTS, "req_prod " + prod + " published "
                        + dist(peerReqCons, prod) + " ahead of req_cons " + peerReqCons + " (> RING_SLOTS)");
                int slot = (int) (peerReqCons & (RING_SLOTS - 1));
                long id = slotId(c, REQ_RING_OFFSET, peerReqCons);
                check(written[slot] && writtenIdx[slot] == peerReqCons && writtenId[slot] == id,
                        "published request slot of index " + peerReqCons + " holds id " + id
                                + ", not the request written for that index (stale slot)");
                pending.add(id);
            }
            peerReqCons = (peerReqCons + 1) & U32;
            c.poke32(REQ_CONS, peerReqCons);
        }

        void peerRespond(int mode) {
            byte[] img;
            long id = pending.isEmpty() ? d.consumeInt(0, 70) : pending.remove(0);
            if (mode == 3) {
                img = Arrays.copyOf(d.consumeBytes(SLOT_SIZE), SLOT_SIZE);
            } else {
                img = PacketCodec.image(new Packet(mode == 2 ? d.consumeInt(0, 70) : id,
                        PacketType.CONSOLE_WRITE.responseCode(), 0, 0, 0, new byte[0]));
            }
            c.write(RSP_RING + (int) (peerRspPvt & (RING_SLOTS - 1)) * SLOT_SIZE, img);
            peerRspPvt = (peerRspPvt + 1) & U32;
        }

        void peerPublish(int mode) {
            long cons = c.peek32(RSP_CONS);
            setRspProd(switch (mode) {
                case 0, 1 -> peerRspPvt;
                case 2 -> (cons + RING_SLOTS + 1 + d.consumeInt(0, 3)) & U32;
                default -> Integer.toUnsignedLong(d.consumeInt());
            });
        }

        void peerPoke() {
            switch (d.consumeInt(0, 3)) {
                case 0 -> setRspProd(Integer.toUnsignedLong(d.consumeInt()));
                case 1 -> {
                    c.poke32(REQ_CONS, Integer.toUnsignedLong(d.consumeInt()));
                    honestCons = false;
                }
                case 2 -> c.poke32(REQ_EVENT, Integer.toUnsignedLong(d.consumeInt()));
                default -> c.poke32(0x8C + 4 * d.consumeInt(0, 12), Integer.toUnsignedLong(d.consumeInt()));
            }
        }

        Step vmm(Ev ev) {
            State b = c.state();
            long reqProd0 = c.peek32(REQ_PROD), rspCons0 = c.peek32(RSP_CONS), rspProd0 = c.peek32(RSP_PROD);
            long rspEvent0 = c.peek32(RSP_EVENT);
            byte[] tp = tape(d);
            Step s = c.step(ev, 0, null, tp);
            State a = c.state();
            check(!s.foreignWrite(), ev + " wrote into the IOPM's area or ring");
            check(s.doubleFetch() < 0, ev + " read " + slotWord(s.doubleFetch())
                    + " twice: a double fetch (the IOPM may rewrite it between the reads)");
            long rspProd1 = c.peek32(RSP_PROD);
            if (rspProd1 != rspProd0) notifyVmm();   // the peer moved during the call: assume it notified
            if (c.peek32(REQ_CONS) != peerReqCons) honestCons = false; // the tape rewrote req_cons
            long prodRead = c.lastRead(RSP_PROD);
            boolean running = b.vmmPc() == NativeRing.PC_RUN && b.trusted();
            if (!b.trusted() && ev != Ev.VMM_FINAL_CHECK && ev != Ev.VMM_WAKE && ev != Ev.VMM_SPURIOUS_WAKE)
                check(!s.taken() && s.ret() != NativeRing.RING_BOGUS, ev + " taken after the IOPM was declared broken");
            switch (ev) {
                case VMM_WRITE_REQUEST -> {
                    long consRead = c.lastRead(REQ_CONS);
                    if (s.taken()) {
                        check(s.ev() == Ev.VMM_WRITE_REQUEST, "write_request did " + s.ev() + " (published?)");
                        check(s.id() == b.nextId() && b.nextId() <= b.maxReq(), "request id " + s.id() + ", next id was "
                                + b.nextId() + ", MaxReq " + b.maxReq());
                        check(s.idx() == ((b.reqPvt() + 1) & U32) && a.reqPvt() == s.idx(), "req_pvt " + b.reqPvt()
                                + " became " + a.reqPvt() + " after one request (indexes must run free)");
                        check(consRead >= 0 && dist(consRead, b.reqPvt()) < RING_SLOTS, "request written at index "
                                + b.reqPvt() + " with req_cons " + consRead + " read: the slot was not free");
                        check(slotId(c, REQ_RING_OFFSET, b.reqPvt()) == s.id(), "slot not written");
                        int slot = (int) (b.reqPvt() & (RING_SLOTS - 1));
                        written[slot] = true;
                        writtenIdx[slot] = b.reqPvt();
                        writtenId[slot] = s.id();
                    } else if (running && b.nextId() <= b.maxReq() && consRead >= 0 && !b.unfilled()) {
                        check(dist(consRead, b.reqPvt()) >= RING_SLOTS,
                                "write_request refused with a free slot (req_pvt " + b.reqPvt() + ", req_cons " + consRead + ")");
                    }
                }
                case VMM_PUBLISH_REQUESTS -> {
                    if (s.taken()) {
                        check(c.peek32(REQ_PROD) == a.reqPvt(), "req_prod " + c.peek32(REQ_PROD) + " != req_pvt " + a.reqPvt());
                        check(a.vmmPc() == NativeRing.PC_NOTIFY, "publish left the VMM at pc " + a.vmmPc() + ", not notify");
                        // the notify decision is ring.c's next step (after the full barrier): taken
                        // right after, as the locked build does
                        Step n = c.step(Ev.VMM_NOTIFY_IOPM, 0, null, tape(d));
                        check(!n.foreignWrite(), "VMM_NOTIFY_IOPM wrote into the IOPM's area or ring");
                        int expectPc = n.notifies() ? NativeRing.PC_IPI : NativeRing.PC_RUN;
                        check(n.taken() && c.state().vmmPc() == expectPc, "notify_iopm after a publish: ret "
                                + n.ret() + ", pc " + c.state().vmmPc());
                        long ev0 = c.lastRead(REQ_EVENT);
                        check(ev0 >= 0 && n.notifies() == needNotify(reqProd0, a.reqPvt(), ev0), "notify " + n.notifies()
                                + " for (" + reqProd0 + ", " + a.reqPvt() + "] with req_event " + ev0);
                        Step ipi = c.step(Ev.VMM_SEND_IPI, 0, null, tape(d));    // its send, only if decided
                        check(!ipi.foreignWrite(), "VMM_SEND_IPI wrote into the IOPM's area or ring");
                        check(ipi.taken() == n.notifies() && c.state().vmmPc() == NativeRing.PC_RUN,
                                "send_ipi after notify " + n.notifies() + ": ret " + ipi.ret() + ", pc " + c.state().vmmPc());
                    }
                }
                case VMM_CONSUME_RESPONSE -> {
                    if (s.ret() == 1) {
                        check(prodRead >= 0 && dist(rspCons0, prodRead) >= 1 && dist(rspCons0, prodRead) <= RING_SLOTS,
                                "consumed a response with rsp_prod " + prodRead + " read, rsp_cons " + rspCons0
                                        + ": distance " + dist(rspCons0, prodRead) + " is not in 1.." + RING_SLOTS);
                        check(c.peek32(RSP_CONS) == ((rspCons0 + 1) & U32), "rsp_cons did not advance by one");
                        byte[] slot = new byte[SLOT_SIZE];
                        c.read(RSP_RING + (int) (rspCons0 & (RING_SLOTS - 1)) * SLOT_SIZE, slot);
                        check(Arrays.equals(slot, c.lastResponse()), "delivered response differs from its slot");
                        check(a.rspGot() == b.rspGot() + 1, "rsp_got not counted");
                    } else if (s.ret() == NativeRing.RING_BOGUS) {
                        check(prodRead >= 0 && dist(rspCons0, prodRead) > RING_SLOTS, "RING_BOGUS with distance "
                                + dist(rspCons0, prodRead));
                        check(c.peek32(RSP_CONS) == rspCons0, "rsp_cons moved on a bogus index");
                    } else if (running) {
                        check(prodRead == rspCons0, "nothing consumed with rsp_prod " + prodRead + ", rsp_cons " + rspCons0);
                    }
                }
                case VMM_DECLARE_IOPM_BROKEN -> {
                    if (s.taken())
                        check(prodRead >= 0 && dist(rspCons0, prodRead) > RING_SLOTS && !a.trusted(),
                                "IOPM declared broken with distance " + dist(rspCons0, prodRead));
                    else if (running && prodRead >= 0)
                        check(dist(rspCons0, prodRead) <= RING_SLOTS, "a bogus rsp_prod " + prodRead + " not declared");
                }
                case VMM_SEE_IDLE -> {
                    if (s.taken()) {
                        check(prodRead == rspCons0 && a.vmmPc() == NativeRing.PC_IDLE, "went idle with rsp_prod "
                                + prodRead + ", rsp_cons " + rspCons0 + " (pc " + a.vmmPc() + ")");
                        check(reqProd0 == b.reqPvt() && b.rspGot() < b.nextId() - 1, "went idle with req_prod "
                                + reqProd0 + ", req_pvt " + b.reqPvt() + ", " + b.rspGot() + " of " + (b.nextId() - 1)
                                + " answered");
                        check(c.peek32(RSP_EVENT) == rspEvent0, "see_idle stored rsp_event");
                    }
                }
                case VMM_PREPARE_SLEEP -> {
                    check(s.taken() == (b.vmmPc() == NativeRing.PC_IDLE), "prepare_sleep enabled-ness at pc " + b.vmmPc());
                    if (s.taken())
                        check(c.peek32(RSP_EVENT) == ((rspCons0 + 1) & U32) && a.vmmPc() == NativeRing.PC_CHECK,
                                "rsp_event " + c.peek32(RSP_EVENT) + " armed, not rsp_cons + 1 (pc " + a.vmmPc() + ")");
                }
                case VMM_WAKE -> {
                    long sent = c.lastRead(IPI_TO_VMM);
                    check(s.taken() == (sent >= 0 && sent != vmmTaken), "wake " + (s.taken() ? "took" : "refused")
                            + " with ipi_to_vmm " + sent + " read, " + vmmTaken + " taken before");
                    if (s.taken()) vmmTaken = sent;
                }
                case VMM_FINAL_CHECK -> {
                    check(s.taken() == (b.vmmPc() == NativeRing.PC_CHECK), "final check enabled-ness");
                    if (s.taken())
                        check(prodRead >= 0 && s.sleep() == (prodRead == c.peek32(RSP_CONS)), "final check: sleep "
                                + s.sleep() + " with rsp_prod read " + prodRead + ", rsp_cons " + c.peek32(RSP_CONS));
                }
                default -> {
                }
            }
            return s;
        }
    }

    // =====================================================================================
    // The fuzzer is the VMM; the C IOPM is under test.

    @FuzzTest
    void vmmAttacksIopm(FuzzedDataProvider data) {
        try (NativeRing c = new NativeRing(0, Peer.VMM)) {
            new IopmUnderTest(c, data).run();
        }
    }

    static final class IopmUnderTest {
        final NativeRing c;
        final FuzzedDataProvider d;
        final List<Long> consumed = new ArrayList<>();
        int answered;
        long hReqPvt, nextId = 1;
        boolean ipiIopm;
        long iopmTaken;              // ipi_to_iopm as the IOPM's last wake that took an IPI read it

        IopmUnderTest(NativeRing c, FuzzedDataProvider d) {
            this.c = c;
            this.d = d;
            long s = start(d);
            if (s != 0) c.rebase(s);
            hReqPvt = s;
        }

        void run() {
            for (int ops = 0; ops < 300 && d.remainingBytes() > 0; ops++) {
                switch (d.consumeInt(0, 11)) {
                    case 0 -> iopm(Ev.IOPM_CONSUME);
                    case 1 -> iopm(Ev.IOPM_WRITE_RESPONSE);
                    case 2 -> iopm(Ev.IOPM_PUBLISH_RESPONSES);
                    case 3 -> goIdle();
                    case 4 -> iopm(Ev.IOPM_FINAL_CHECK);
                    case 5 -> wake();
                    case 6 -> peerWrite(d.consumeInt(0, 3));
                    case 7 -> peerPublish(d.consumeInt(0, 3));
                    case 8 -> peerConsume();
                    case 9 -> c.poke32(d.consumeBoolean() ? RSP_EVENT : 0x4C + 4 * d.consumeInt(0, 12),
                            Integer.toUnsignedLong(d.consumeInt()));
                    case 10 -> c.write(REQ_RING_OFFSET + d.consumeInt(0, RING_SLOTS * SLOT_SIZE - 8), d.consumeBytes(8));
                    default -> {
                        int n = d.consumeInt(1, 40);
                        for (int i = 0; i < n; i++) {
                            peerWrite(0);
                            peerPublish(0);
                            wake();
                            iopm(Ev.IOPM_CONSUME);
                            iopm(Ev.IOPM_WRITE_RESPONSE);
                            iopm(Ev.IOPM_PUBLISH_RESPONSES);
                            peerConsume();
                        }
                    }
                }
                State st = c.state();
                check(!(st.iopmPc() == NativeRing.PC_SLEEP && c.peek32(REQ_PROD) != c.peek32(REQ_CONS) && !ipiIopm),
                        "lost wakeup: the IOPM sleeps with requests published (req_prod " + c.peek32(REQ_PROD)
                                + ", req_cons " + c.peek32(REQ_CONS) + ") and no IPI pending");
            }
        }

        /** iopm_see_idle, then iopm_prepare_sleep; the peer may publish in between. */
        void goIdle() {
            if (!iopm(Ev.IOPM_SEE_IDLE).taken()) return;
            if (d.consumeBoolean()) {
                peerWrite(0);
                peerPublish(0);
            }
            Step p = iopm(Ev.IOPM_PREPARE_SLEEP);
            check(p.taken(), "prepare_sleep refused after see_idle: ret " + p.ret());
        }

        void wake() {
            if (ipiIopm) {
                if (c.peek32(IPI_TO_IOPM) == iopmTaken) c.poke32(IPI_TO_IOPM, (iopmTaken + 1) & U32);
                ipiIopm = !iopm(Ev.IOPM_WAKE).taken();
            } else if (d.consumeBoolean()) {
                iopm(Ev.IOPM_SPURIOUS_WAKE);
            }
        }

        /** The peer sends the IOPM an IPI: counts it in ipi_to_iopm first, as vmm_notify_iopm does. */
        void notifyIopm() {
            ipiIopm = true;
            c.poke32(IPI_TO_IOPM, (c.peek32(IPI_TO_IOPM) + 1) & U32);
        }

        void setReqProd(long v) {
            long old = c.peek32(REQ_PROD);
            c.poke32(REQ_PROD, v);
            if (v != old && needNotify(old, v, c.peek32(REQ_EVENT))) notifyIopm();
        }

        void peerWrite(int mode) {
            byte[] img = mode == 3 ? Arrays.copyOf(d.consumeBytes(SLOT_SIZE), SLOT_SIZE)
                    : PacketCodec.image(Packet.request(mode == 2 ? d.consumeInt(0, 70) : nextId,
                    PacketType.CONSOLE_WRITE, 0, new byte[0]));
            c.write(REQ_RING_OFFSET + (int) (hReqPvt & (RING_SLOTS - 1)) * SLOT_SIZE, img);
            hReqPvt = (hReqPvt + 1) & U32;
            nextId++;
        }

        void peerPublish(int mode) {
            long cons = c.peek32(REQ_CONS);
            setReqProd(switch (mode) {
                case 0, 1 -> hReqPvt;
                case 2 -> (cons + d.consumeInt(0, 2 * RING_SLOTS)) & U32;
                default -> Integer.toUnsignedLong(d.consumeInt());
            });
        }

        void peerConsume() {
            long prod = c.peek32(RSP_PROD), cons = c.peek32(RSP_CONS);
            long v = d.consumeInt(0, 7) == 0 ? Integer.toUnsignedLong(d.consumeInt())
                    : (cons + Math.min(dist(cons, prod), d.consumeInt(0, RING_SLOTS))) & U32;
            c.poke32(RSP_CONS, v);
        }

        Step iopm(Ev ev) {
            State b = c.state();
            long reqCons0 = c.peek32(REQ_CONS), rspProd0 = c.peek32(RSP_PROD), reqProd0 = c.peek32(REQ_PROD);
            long reqEvent0 = c.peek32(REQ_EVENT);
            Step s = c.step(ev, 0, null, tape(d));
            State a = c.state();
            check(!s.foreignWrite(), ev + " wrote into the VMM's area or ring");
            check(s.doubleFetch() < 0, ev + " read " + slotWord(s.doubleFetch())
                    + " twice: a double fetch (the VMM may rewrite it between the reads)");
            if (c.peek32(REQ_PROD) != reqProd0) notifyIopm();  // the peer moved during the call
            long prodRead = c.lastRead(REQ_PROD);
            boolean running = b.iopmPc() == NativeRing.PC_RUN;
            switch (ev) {
                case IOPM_CONSUME -> {
                    if (s.taken()) {
                        check(prodRead >= 0 && prodRead != reqCons0, "consumed with req_prod " + prodRead + " = req_cons");
                        check(c.peek32(REQ_CONS) == ((reqCons0 + 1) & U32), "req_cons did not advance by one");
                        check(s.id() == slotId(c, REQ_RING_OFFSET, reqCons0), "consumed id " + s.id() + " is not the slot's");
                        check(a.pendingCount() == b.pendingCount() + 1 && a.pendingCount() <= 16, "pending count "
                                + b.pendingCount() + " -> " + a.pendingCount());
                        consumed.add(s.id());
                    } else if (running && b.pendingCount() < 16) {
                        check(prodRead == reqCons0, "consume refused with req_prod " + prodRead + ", req_cons " + reqCons0);
                    }
                }
                case IOPM_WRITE_RESPONSE -> {
                    if (s.taken()) {
                        check(answered < consumed.size() && s.id() == consumed.get(answered), "response #" + (answered + 1)
                                + " answers id " + s.id() + ", but request #" + (answered + 1) + " had id "
                                + (answered < consumed.size() ? consumed.get(answered) : "(none)"));
                        answered++;
                        long consRead = c.lastRead(RSP_CONS);
                        check(consRead >= 0 && dist(consRead, b.rspPvt()) < RING_SLOTS, "response written at "
                                + b.rspPvt() + " with rsp_cons " + consRead + " read: the slot was not free");
                        check(a.rspPvt() == ((b.rspPvt() + 1) & U32), "rsp_pvt " + b.rspPvt() + " -> " + a.rspPvt());
                        check(slotId(c, RSP_RING, b.rspPvt()) == s.id(), "response slot not written");
                    }
                }
                case IOPM_PUBLISH_RESPONSES -> {
                    if (s.taken()) {
                        check(c.peek32(RSP_PROD) == a.rspPvt(), "rsp_prod != rsp_pvt after publishing");
                        check(a.iopmPc() == NativeRing.PC_NOTIFY, "publish left the IOPM at pc " + a.iopmPc() + ", not notify");
                        Step n = c.step(Ev.IOPM_NOTIFY_VMM, 0, null, tape(d));   // its notify step, right after
                        check(!n.foreignWrite(), "IOPM_NOTIFY_VMM wrote into the VMM's area or ring");
                        int expectPc = n.notifies() ? NativeRing.PC_IPI : NativeRing.PC_RUN;
                        check(n.taken() && c.state().iopmPc() == expectPc, "notify_vmm after a publish: ret "
                                + n.ret() + ", pc " + c.state().iopmPc());
                        long ev0 = c.lastRead(RSP_EVENT);
                        check(ev0 >= 0 && n.notifies() == needNotify(rspProd0, a.rspPvt(), ev0), "notify " + n.notifies()
                                + " for (" + rspProd0 + ", " + a.rspPvt() + "] with rsp_event " + ev0);
                        Step ipi = c.step(Ev.IOPM_SEND_IPI, 0, null, tape(d));   // its send, only if decided
                        check(!ipi.foreignWrite(), "IOPM_SEND_IPI wrote into the VMM's area or ring");
                        check(ipi.taken() == n.notifies() && c.state().iopmPc() == NativeRing.PC_RUN,
                                "send_ipi after notify " + n.notifies() + ": ret " + ipi.ret() + ", pc " + c.state().iopmPc());
                    }
                }
                case IOPM_SEE_IDLE -> {
                    if (s.taken()) {
                        check(prodRead == reqCons0 && a.iopmPc() == NativeRing.PC_IDLE, "went idle with req_prod "
                                + prodRead + ", req_cons " + reqCons0 + " (pc " + a.iopmPc() + ")");
                        check(b.pendingCount() == 0 && rspProd0 == b.rspPvt(), "went idle with " + b.pendingCount()
                                + " request(s) pending, rsp_prod " + rspProd0 + ", rsp_pvt " + b.rspPvt());
                        check(c.peek32(REQ_EVENT) == reqEvent0, "see_idle stored req_event");
                    }
                }
                case IOPM_PREPARE_SLEEP -> {
                    check(s.taken() == (b.iopmPc() == NativeRing.PC_IDLE), "prepare_sleep enabled-ness at pc " + b.iopmPc());
                    if (s.taken())
                        check(c.peek32(REQ_EVENT) == ((reqCons0 + 1) & U32) && a.iopmPc() == NativeRing.PC_CHECK,
                                "prepare_sleep left req_event at " + c.peek32(REQ_EVENT) + ", not req_cons + 1 = "
                                        + ((reqCons0 + 1) & U32) + ": a request published now would not be notified");
                }
                case IOPM_WAKE -> {
                    long sent = c.lastRead(IPI_TO_IOPM);
                    check(s.taken() == (sent >= 0 && sent != iopmTaken), "wake " + (s.taken() ? "took" : "refused")
                            + " with ipi_to_iopm " + sent + " read, " + iopmTaken + " taken before");
                    if (s.taken()) iopmTaken = sent;
                }
                case IOPM_FINAL_CHECK -> {
                    check(s.taken() == (b.iopmPc() == NativeRing.PC_CHECK), "final check enabled-ness");
                    if (s.taken())
                        check(prodRead >= 0 && s.sleep() == (prodRead == c.peek32(REQ_CONS)), "final check: sleep "
                                + s.sleep() + " with req_prod read " + prodRead + " (-1: not re-read), req_cons "
                                + c.peek32(REQ_CONS));
                }
                default -> {
                }
            }
            return s;
        }
    }
}
