package coopvmm.model.mgmtring;

import coopvmm.model.History;
import coopvmm.model.ring.Pc;
import coopvmm.model.ring.RingConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One state of {@code MgmtRing.tla}: a field per spec variable, same names, immutable; the
 * histories and the queue {@code pending} are {@link History} values (O(1) per step).
 */
public record MgmtRingState(
        // management IOPM area (the console writes it)
        long cmdProd, long ansCons, long ansEvent,
        // management VMM area (the VMM writes it)
        long ansProd, long cmdCons, long cmdEvent,
        // slots: slot -> id (0: never written)
        List<Integer> cmdRing, List<Integer> ansRing,
        // the console's private state
        long cmdPvt, int nextId, List<Integer> ansGot, Pc conPc, long cmdNotifyFrom,
        // the VMM's private state
        boolean consoleTrusted, long ansPvt, List<Integer> cmdGot, List<Integer> pending, Pc vmmPc,
        long ansNotifyFrom,
        // IPI pending bits
        boolean ipiConsole, boolean ipiVmm) {

    public MgmtRingState {
        cmdRing = List.copyOf(cmdRing);
        ansRing = List.copyOf(ansRing);
        ansGot = History.of(ansGot);
        cmdGot = History.of(cmdGot);
        pending = History.of(pending);
    }

    /** {@code Init}. */
    public static MgmtRingState init(RingConfig c) {
        List<Integer> empty = new ArrayList<>();
        for (int i = 0; i < c.n(); i++) empty.add(0);
        return new MgmtRingState(0, 0, 1, 0, 0, 1, empty, empty, 0, 1, List.of(), Pc.RUN, 0,
                true, 0, List.of(), List.of(), Pc.RUN, 0, false, false);
    }

    public Builder with() {
        return new Builder(this);
    }

    /** Mutable only while an action builds its successor. */
    public static final class Builder {
        public long cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent, cmdPvt, ansPvt;
        public long cmdNotifyFrom, ansNotifyFrom;
        public List<Integer> cmdRing, ansRing, ansGot, cmdGot, pending;
        public int nextId;
        public Pc conPc, vmmPc;
        public boolean consoleTrusted, ipiConsole, ipiVmm;

        Builder(MgmtRingState s) {
            cmdProd = s.cmdProd; ansCons = s.ansCons; ansEvent = s.ansEvent;
            ansProd = s.ansProd; cmdCons = s.cmdCons; cmdEvent = s.cmdEvent;
            cmdRing = s.cmdRing; ansRing = s.ansRing;
            cmdPvt = s.cmdPvt; nextId = s.nextId; ansGot = s.ansGot; conPc = s.conPc; cmdNotifyFrom = s.cmdNotifyFrom;
            consoleTrusted = s.consoleTrusted; ansPvt = s.ansPvt; cmdGot = s.cmdGot; pending = s.pending;
            vmmPc = s.vmmPc; ansNotifyFrom = s.ansNotifyFrom; ipiConsole = s.ipiConsole; ipiVmm = s.ipiVmm;
        }

        public MgmtRingState build() {
            return new MgmtRingState(cmdProd, ansCons, ansEvent, ansProd, cmdCons, cmdEvent, cmdRing, ansRing,
                    cmdPvt, nextId, ansGot, conPc, cmdNotifyFrom, consoleTrusted, ansPvt, cmdGot, pending, vmmPc,
                    ansNotifyFrom, ipiConsole, ipiVmm);
        }
    }

    /** A slot area with slot {@code i} written. */
    static List<Integer> set(List<Integer> s, int i, int x) {
        Integer[] r = s.toArray(new Integer[0]);
        r[i] = x;
        return List.of(r);
    }
}
