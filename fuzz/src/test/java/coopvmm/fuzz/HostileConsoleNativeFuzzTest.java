package coopvmm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import coopvmm.fuzz.NativeMgmt.Op;
import coopvmm.fuzz.NativeMgmt.Read;
import coopvmm.fuzz.NativeMgmt.State;
import coopvmm.fuzz.NativeMgmt.Step;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static coopvmm.fuzz.HostilePeerNativeFuzzTest.U32;
import static coopvmm.fuzz.HostilePeerNativeFuzzTest.dist;
import static coopvmm.fuzz.HostilePeerNativeFuzzTest.needNotify;
import static coopvmm.fuzz.HostilePeerNativeFuzzTest.tape;
import static coopvmm.model.zone.SharedZoneLayout.ANS_CONS;
import static coopvmm.model.zone.SharedZoneLayout.ANS_EVENT;
import static coopvmm.model.zone.SharedZoneLayout.ANS_N;
import static coopvmm.model.zone.SharedZoneLayout.ANS_OK;
import static coopvmm.model.zone.SharedZoneLayout.ANS_PROD;
import static coopvmm.model.zone.SharedZoneLayout.ANS_RING_OFFSET;
import static coopvmm.model.zone.SharedZoneLayout.AREA_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.CMD_CONS;
import static coopvmm.model.zone.SharedZoneLayout.CMD_EVENT;
import static coopvmm.model.zone.SharedZoneLayout.CMD_N;
import static coopvmm.model.zone.SharedZoneLayout.CMD_OP;
import static coopvmm.model.zone.SharedZoneLayout.CMD_PROD;
import static coopvmm.model.zone.SharedZoneLayout.CMD_RING_OFFSET;
import static coopvmm.model.zone.SharedZoneLayout.CMD_VCPU;
import static coopvmm.model.zone.SharedZoneLayout.MGMT_IOPM_AREA_OFFSET;
import static coopvmm.model.zone.SharedZoneLayout.MGMT_SLOTS;
import static coopvmm.model.zone.SharedZoneLayout.MGMT_SLOT_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.MGMT_VMM_AREA_OFFSET;
import static coopvmm.model.zone.SharedZoneLayout.mgmtEnd;

/**
 * Harness 2, management ring: a hostile console against the C VMM side of the management
 * ring ({@code reference-vmm/ring/mgmt_ring.c}, compiled for the host, through JNI:
 * {@link NativeMgmt}). The fuzzer is the console (an IOPM's user interface) and owns its
 * words: {@code cmd_prod}, {@code ans_cons}, {@code ans_event} and the command slots. It
 * issues commands and takes answers, honestly or not, rewrites its words between calls and,
 * through the tape, before each read the VMM makes inside one call ({@code hostile_arch.h}).
 * Oracles, each call against the harness's own account of the VMM's state:
 * <ul>
 *   <li>the VMM writes only its words ({@code mgmt.vmm}, {@code mgmt.ans}), and of those only
 *       the ones the call may change; it reads only the management ring (guard pages
 *       catch the rest);</li>
 *   <li>vmm_take_command reads {@code cmd_prod} once and takes a command only when
 *       {@code 1 <= cmd_prod - cmd_cons <= MGMT_SLOTS} as read; then the copy is the oldest
 *       slot's words as read, each read once, after the index and before the slot is freed,
 *       and {@code cmd_cons} moves by one; {@code MGMT_BOGUS} (the ring given up, nothing
 *       taken) exactly when too far, and no command is taken after it, ever;</li>
 *   <li>vmm_can_answer and vmm_answer_command decide from one read of {@code ans_cons}; an
 *       answer goes only into a slot free by it, {@code ans_prod} runs free (one per answer),
 *       the published slot holds the answer (the honest console checks each one it takes),
 *       and the IPI is decided per {@code (old, new]} of {@code ans_event}, read after the
 *       publish;</li>
 *   <li>vmm_mgmt_may_sleep arms {@code cmd_event = cmd_cons + 1}, re-reads {@code cmd_prod}
 *       after it, and says it may sleep exactly when that re-read showed no command.</li>
 * </ul>
 */
class HostileConsoleNativeFuzzTest {

    /** No native library (no clang on this machine): skip, outside the fuzz test (Jazzer
     * would report an assumption failing inside it as a finding). */
    @org.junit.jupiter.api.BeforeAll
    static void nativeLibrary() {
        if (!NativeRing.available()) System.err.println("SKIPPED (C management ring harness): " + NativeRing.unavailableReason());
        Assumptions.assumeTrue(NativeRing.available(), NativeRing::unavailableReason);
    }

    static final int WORD = 4;
    static final int MGMT_RING_BYTES = MGMT_SLOTS * MGMT_SLOT_SIZE;
    /** The command fields vmm_take_command copies (the reserved word it sets to 0). */
    static final int[] COPIED = {CMD_N, CMD_OP, CMD_VCPU};
    static final int CMD_RESERVED = CMD_VCPU + WORD;
    /** docs/shared-zone.md: op 1 create .. 4 destroy (the VMM's caller validates them, not the ring). */
    static final int OP_CREATE = 1, OP_DESTROY = 4;
    static final int MAX_OPS = 300;
    /** The console area's words past its three. */
    static final int CONSOLE_RESERVED = ANS_EVENT + WORD;
    static final int CONSOLE_RESERVED_WORDS = (MGMT_IOPM_AREA_OFFSET + AREA_SIZE - CONSOLE_RESERVED) / WORD;
    /** Every word the VMM owns: its area, then the answer slots. */
    static final int[] VMM_WORDS = vmmWords();

    static int[] vmmWords() {
        int area = AREA_SIZE / WORD, ring = MGMT_RING_BYTES / WORD;
        int[] w = new int[area + ring];
        for (int i = 0; i < area; i++) w[i] = MGMT_VMM_AREA_OFFSET + i * WORD;
        for (int i = 0; i < ring; i++) w[area + i] = ANS_RING_OFFSET + i * WORD;
        return w;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("C management ring (" + NativeMgmt.build() + "): " + what);
    }

    static int slotOf(long idx) {
        return (int) (idx & (MGMT_SLOTS - 1));
    }

    /** A channel offset of the management ring, named: {@code command slot 2, word 1 (0xba4)}. */
    static String where(int off) {
        String hex = " (0x" + Integer.toHexString(off) + ")";
        if (off >= CMD_RING_OFFSET && off < CMD_RING_OFFSET + MGMT_RING_BYTES)
            return "command slot " + (off - CMD_RING_OFFSET) / MGMT_SLOT_SIZE + ", word "
                    + (off - CMD_RING_OFFSET) % MGMT_SLOT_SIZE / WORD + hex;
        if (off >= ANS_RING_OFFSET && off < ANS_RING_OFFSET + MGMT_RING_BYTES)
            return "answer slot " + (off - ANS_RING_OFFSET) / MGMT_SLOT_SIZE + ", word "
                    + (off - ANS_RING_OFFSET) % MGMT_SLOT_SIZE / WORD + hex;
        String name = Map.of(CMD_PROD, "cmd_prod", ANS_CONS, "ans_cons", ANS_EVENT, "ans_event",
                ANS_PROD, "ans_prod", CMD_CONS, "cmd_cons", CMD_EVENT, "cmd_event").get(off);
        if (name != null) return name + hex;
        if (off >= MGMT_IOPM_AREA_OFFSET && off < MGMT_IOPM_AREA_OFFSET + AREA_SIZE) return "the console's area" + hex;
        if (off >= MGMT_VMM_AREA_OFFSET && off < MGMT_VMM_AREA_OFFSET + AREA_SIZE) return "the VMM's area" + hex;
        return "channel offset" + hex + ", outside the management ring";
    }

    static long start(FuzzedDataProvider d) {
        return switch (d.consumeInt(0, 2)) {
            case 0 -> 0;
            case 1 -> (U32 + 1 - d.consumeInt(1, 3 * MGMT_SLOTS)) & U32;
            default -> Integer.toUnsignedLong(d.consumeInt());
        };
    }

    @FuzzTest
    void consoleAttacksVmm(FuzzedDataProvider data) {
        try (NativeMgmt m = new NativeMgmt()) {
            new VmmUnderAttack(m, data).run();
        }
    }

    static final class VmmUnderAttack {
        final NativeMgmt m;
        final FuzzedDataProvider d;
        // the VMM's private state as it must be (struct mgmt_vmm)
        long cmdCons, ansPvt;
        boolean trusted = true;
        // the console's own state: commands written, answers taken
        long cmdPvt, ansCons;
        boolean honestAns = true;    // ans_cons holds only what the console's takes put there
        long nextCmd = 1, nextAnswer = 1;  // distinct answer numbers: any write of an answer shows
        final long[] pubIdx = new long[MGMT_SLOTS], pubN = new long[MGMT_SLOTS], pubOk = new long[MGMT_SLOTS];
        final boolean[] published = new boolean[MGMT_SLOTS];

        VmmUnderAttack(NativeMgmt m, FuzzedDataProvider d) {
            this.m = m;
            this.d = d;
            long cmd = start(d), ans = start(d);
            if (cmd != 0 || ans != 0) m.rebase(cmd, ans);
            cmdCons = cmdPvt = cmd;
            ansPvt = ansCons = ans;
        }

        void run() {
            for (int ops = 0; ops < MAX_OPS && d.remainingBytes() > 0; ops++) {
                switch (d.consumeInt(0, 9)) {
                    case 0 -> vmm(Op.TAKE_COMMAND);
                    case 1 -> vmm(Op.CAN_ANSWER);
                    case 2 -> vmm(Op.ANSWER_COMMAND);
                    case 3 -> vmm(Op.MAY_SLEEP);
                    case 4 -> issue(d.consumeInt(0, 2));
                    case 5 -> takeAnswer();
                    case 6 -> poke();
                    case 7 -> m.write(CMD_RING_OFFSET + d.consumeInt(0, MGMT_RING_BYTES - WORD), d.consumeBytes(WORD));
                    case 8 -> m.poke32(ANS_EVENT, (ansCons + 1) & U32);   // the console arms, to sleep
                    default -> {
                        // vmm/serve.c's serve_commands with the console at work: take, answer if room
                        int n = d.consumeInt(1, 40);
                        for (int i = 0; i < n; i++) {
                            issue(0);
                            if (vmm(Op.TAKE_COMMAND).ret() == 1 && vmm(Op.CAN_ANSWER).ret() == 1)
                                vmm(Op.ANSWER_COMMAND);
                            takeAnswer();
                            if (d.consumeBoolean()) vmm(Op.MAY_SLEEP);
                        }
                    }
                }
            }
        }

        /** The console writes a command (mode 0: only into a free slot; 1: even when full;
         * 2: fuzzer bytes) and publishes it. */
        void issue(int mode) {
            if (mode == 0 && dist(m.peek32(CMD_CONS), cmdPvt) >= MGMT_SLOTS) return;
            int slot = CMD_RING_OFFSET + slotOf(cmdPvt) * MGMT_SLOT_SIZE;
            if (mode == 2) {
                m.write(slot, Arrays.copyOf(d.consumeBytes(MGMT_SLOT_SIZE), MGMT_SLOT_SIZE));
            } else {
                m.poke32(slot + CMD_N, nextCmd);
                m.poke32(slot + CMD_OP, d.consumeInt(OP_CREATE, OP_DESTROY));
                m.poke32(slot + CMD_VCPU, Integer.toUnsignedLong(d.consumeInt()));
            }
            nextCmd++;
            cmdPvt = (cmdPvt + 1) & U32;
            m.poke32(CMD_PROD, cmdPvt);
        }

        /** The console takes the oldest answer; while honest it checks it is the one published. */
        void takeAnswer() {
            long prod = m.peek32(ANS_PROD);
            if (prod == ansCons) return;
            if (honestAns) {
                check(dist(ansCons, prod) <= MGMT_SLOTS, "ans_prod " + prod + " published " + dist(ansCons, prod)
                        + " ahead of the console's ans_cons " + ansCons + " (> MGMT_SLOTS)");
                int slot = slotOf(ansCons), off = ANS_RING_OFFSET + slot * MGMT_SLOT_SIZE;
                long n = m.peek32(off + ANS_N), ok = m.peek32(off + ANS_OK);
                check(published[slot] && pubIdx[slot] == ansCons && pubN[slot] == n && pubOk[slot] == ok,
                        "the answer slot of index " + ansCons + " holds n " + n + ", ok " + ok
                                + ", not the answer published for that index (stale or overwritten)");
            }
            ansCons = (ansCons + 1) & U32;
            m.poke32(ANS_CONS, ansCons);
        }

        void poke() {
            long cons = m.peek32(CMD_CONS);
            switch (d.consumeInt(0, 5)) {
                case 0 -> m.poke32(CMD_PROD, Integer.toUnsignedLong(d.consumeInt()));
                case 1 -> m.poke32(CMD_PROD, (cons + MGMT_SLOTS + 1 + d.consumeInt(0, MGMT_SLOTS)) & U32); // just too far
                case 2 -> m.poke32(CMD_PROD, (cons + d.consumeInt(0, MGMT_SLOTS)) & U32);  // within the bound
                case 3 -> {
                    m.poke32(ANS_CONS, Integer.toUnsignedLong(d.consumeInt()));
                    honestAns = false;
                }
                case 4 -> m.poke32(ANS_EVENT, Integer.toUnsignedLong(d.consumeInt()));
                default -> m.poke32(CONSOLE_RESERVED + WORD * d.consumeInt(0, CONSOLE_RESERVED_WORDS - 1),
                        Integer.toUnsignedLong(d.consumeInt()));
            }
        }

        long[] own() {
            long[] w = new long[VMM_WORDS.length];
            for (int i = 0; i < w.length; i++) w[i] = m.peek32(VMM_WORDS[i]);
            return w;
        }

        /** Every VMM word after the call is as before it, but those in {@code changed} (the
         * message is built only on a finding: this runs for every word of every call). */
        void expectOwn(Op op, long[] before, Map<Integer, Long> changed) {
            long[] after = own();
            for (int i = 0; i < after.length; i++) {
                long want = changed.getOrDefault(VMM_WORDS[i], before[i]);
                if (after[i] != want) check(false, op + " left " + where(VMM_WORDS[i]) + " at " + after[i] + ", not " + want
                        + (changed.containsKey(VMM_WORDS[i]) ? "" : " (a word this call must not write)"));
            }
        }

        /** Position of the first read of {@code off} in the call, or -1. */
        static int pos(Step s, int off) {
            for (int i = 0; i < s.reads().size(); i++) if (s.reads().get(i).off() == off) return i;
            return -1;
        }

        Step vmm(Op op) {
            long[] own0 = own();
            long n = 0, ok = 0;
            if (op == Op.ANSWER_COMMAND) {
                n = nextAnswer++;
                ok = d.consumeBoolean() ? 1 : 0;
            }
            Step s = m.step(op, n, ok, tape(d));
            check(s.foreignWrite() == 0, op + " wrote " + where(s.foreignWrite() - 1) + ": not a word of the VMM's");
            check(s.readCount() <= NativeMgmt.READ_LOG_MAX, op + " made " + s.readCount() + " reads in one call");
            for (Read r : s.reads())
                if (r.off() < MGMT_IOPM_AREA_OFFSET || r.off() >= mgmtEnd()) check(false, op + " read " + where(r.off()));
            if (m.peek32(ANS_CONS) != ansCons) honestAns = false;   // the tape rewrote it
            Map<Integer, Long> changed = new HashMap<>();
            switch (op) {
                case TAKE_COMMAND -> takeCommand(s, changed);
                case CAN_ANSWER -> {
                    long cons = oneRead(s, ANS_CONS, "the room");
                    boolean room = dist(cons, ansPvt) < MGMT_SLOTS;
                    check(s.ret() == (room ? 1 : 0), "can_answer " + s.ret() + " with ans_cons " + cons + " read, ans_pvt "
                            + ansPvt + " (" + dist(cons, ansPvt) + " answers untaken)");
                }
                case ANSWER_COMMAND -> answerCommand(s, n, ok, changed);
                case MAY_SLEEP -> {
                    long armed = (cmdCons + 1) & U32;
                    changed.put(CMD_EVENT, armed);
                    List<Read> prod = s.at(CMD_PROD);
                    check(!prod.isEmpty(), "may_sleep did not re-read cmd_prod (the final check)");
                    Read last = prod.get(prod.size() - 1);
                    check(last.cmdEvent() == armed, "may_sleep re-read cmd_prod with cmd_event " + last.cmdEvent()
                            + ", not yet armed to cmd_cons + 1 = " + armed
                            + ": a command published in between is neither seen nor notified");
                    check(s.ret() == (last.value() == cmdCons ? 1 : 0), "may_sleep " + s.ret() + " with cmd_prod re-read "
                            + last.value() + ", cmd_cons " + cmdCons);
                }
            }
            expectOwn(op, own0, changed);
            State a = m.state();
            check(a.cmdCons() == cmdCons && a.ansPvt() == ansPvt && a.trusted() == trusted, op + " left the VMM's state at "
                    + a + ", not cmd_cons " + cmdCons + ", ans_pvt " + ansPvt + ", trusted " + trusted);
            return s;
        }

        /** The value of the one read of {@code off} the call must make (it decides {@code what}). */
        static long oneRead(Step s, int off, String what) {
            List<Read> r = s.at(off);
            check(r.size() == 1, "read " + where(off) + " " + r.size() + " times: " + what
                    + " must come from one value (the console may rewrite it between reads)");
            return r.get(0).value();
        }

        void takeCommand(Step s, Map<Integer, Long> changed) {
            List<Read> prod = s.at(CMD_PROD);
            check(prod.size() <= 1, "take_command read cmd_prod " + prod.size()
                    + " times: the bound and the slot must come from one value");
            if (!trusted) {
                check(s.ret() == 0, "take_command returned " + s.ret()
                        + " after the ring was given up (a bogus cmd_prod): no command may be taken again");
                return;
            }
            long prodRead = oneRead(s, CMD_PROD, "the bound");
            long far = dist(cmdCons, prodRead);
            int slot = CMD_RING_OFFSET + slotOf(cmdCons) * MGMT_SLOT_SIZE;
            List<Read> slotReads = s.reads().stream()
                    .filter(r -> r.off() >= CMD_RING_OFFSET && r.off() < CMD_RING_OFFSET + MGMT_RING_BYTES).toList();
            switch (s.ret()) {
                case 1 -> {
                    check(far >= 1 && far <= MGMT_SLOTS, "took a command with cmd_prod " + prodRead + " read, cmd_cons "
                            + cmdCons + ": distance " + far + " is not in 1.." + MGMT_SLOTS);
                    for (Read r : slotReads)
                        check(r.off() >= slot && r.off() < slot + MGMT_SLOT_SIZE, "take_command read " + where(r.off())
                                + ", not the oldest command's (index " + cmdCons + ")");
                    for (int w : COPIED) {
                        long v = oneRead(s, slot + w, "the copy");
                        check(s.copy()[w / WORD] == v, "the copy's word " + w / WORD + " is " + s.copy()[w / WORD]
                                + ", the slot read " + v);
                        Read r = s.at(slot + w).get(0);
                        check(pos(s, slot + w) > pos(s, CMD_PROD), "read " + where(slot + w)
                                + " before cmd_prod: a slot before the index that publishes it");
                        check(r.cmdCons() == cmdCons, "read " + where(slot + w) + " with cmd_cons already "
                                + r.cmdCons() + ": the slot was freed before it was copied");
                    }
                    List<Read> res = s.at(slot + CMD_RESERVED);
                    long resWant = res.size() == 1 ? res.get(0).value() : 0;
                    check(res.size() <= 1 && s.copy()[CMD_RESERVED / WORD] == resWant, "the copy's reserved word is "
                            + s.copy()[CMD_RESERVED / WORD] + " (read " + res.size() + " times): neither 0 nor the slot's");
                    cmdCons = (cmdCons + 1) & U32;
                    changed.put(CMD_CONS, cmdCons);
                }
                case NativeMgmt.MGMT_BOGUS -> {
                    check(far > MGMT_SLOTS, "MGMT_BOGUS with cmd_prod " + prodRead + " read, cmd_cons " + cmdCons
                            + ": distance " + far + " is within the bound");
                    check(slotReads.isEmpty(), "take_command read " + (slotReads.isEmpty() ? "" : where(slotReads.get(0).off()))
                            + " of a bogus index");
                    trusted = false;
                }
                case 0 -> check(far == 0, "take_command took nothing with cmd_prod " + prodRead + " read, cmd_cons "
                        + cmdCons + ": distance " + far + (far > MGMT_SLOTS ? " (a bogus index: MGMT_BOGUS)" : " (a command waits)"));
                default -> check(false, "take_command returned " + s.ret());
            }
        }

        void answerCommand(Step s, long n, long ok, Map<Integer, Long> changed) {
            long cons = oneRead(s, ANS_CONS, "the free check");
            boolean room = dist(cons, ansPvt) < MGMT_SLOTS;
            int slot = slotOf(ansPvt), off = ANS_RING_OFFSET + slot * MGMT_SLOT_SIZE;
            if (s.ret() == 1) {
                check(room, "answer written at index " + ansPvt + " with ans_cons " + cons + " read: answer slot " + slot
                        + " was not free (the console had not taken its answer)");
                long old = ansPvt;
                ansPvt = (ansPvt + 1) & U32;
                changed.put(off + ANS_N, n);
                changed.put(off + ANS_OK, ok);
                changed.put(ANS_PROD, ansPvt);
                long event = oneRead(s, ANS_EVENT, "the notify decision");
                Read ev = s.at(ANS_EVENT).get(0);
                long publishedProd = m.peek32(ANS_PROD);     // its value is expectOwn's to check
                check(ev.ansProd() == publishedProd, "read ans_event with ans_prod still " + ev.ansProd()
                        + ", before publishing " + publishedProd + ": an event index armed in between is missed");
                check(s.ipi() == (needNotify(old, ansPvt, event) ? 1 : 0), "notify " + s.ipi() + " for (" + old
                        + ", " + ansPvt + "] with ans_event " + event + " read");
                pubIdx[slot] = old;
                pubN[slot] = n;
                pubOk[slot] = ok;
                published[slot] = true;
            } else {
                check(s.ret() == 0, "answer_command returned " + s.ret());
                check(!room, "answer refused with ans_cons " + cons + " read, ans_pvt " + ansPvt + ": slot " + slot + " was free");
            }
        }
    }
}
