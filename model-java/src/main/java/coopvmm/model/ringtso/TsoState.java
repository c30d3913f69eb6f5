package coopvmm.model.ringtso;

import java.util.Arrays;
import java.util.List;

/**
 * One state of {@code CoopRingTSO.tla}: a field per spec variable, same names, immutable.
 * {@code mem} is held indexed by address ({@link Addr}); the words that are not in
 * {@code Addrs} (0, 7-9, the slots past N) stay 0 and are never read, so equality is the
 * spec's. The lists are small (a buffer holds at most BufDepth + 1 entries, the histories
 * MaxReq), so each step copies them: plain immutable lists, value equality.
 */
public record TsoState(
        // memory and the two store buffers
        List<Long> mem, List<Store> vBuf, List<Store> iBuf,
        // VMM private (as CoopRing), its pc in ring.c, its two registers
        long reqPvt, int nextId, List<Integer> rspGot, TsoPc vmmPc, long vOld, int vReg,
        // IOPM private
        long rspPvt, List<Integer> reqGot, List<Integer> pending, TsoPc iopmPc, long iOld, int iReg,
        // the IPI pending bits
        boolean ipiVmm, boolean ipiIopm) {

    /** One buffered store, {@code <<addr, value>>}. */
    public record Store(int addr, long value) {
    }

    public TsoState {
        mem = List.copyOf(mem);
        vBuf = List.copyOf(vBuf);
        iBuf = List.copyOf(iBuf);
        rspGot = List.copyOf(rspGot);
        reqGot = List.copyOf(reqGot);
        pending = List.copyOf(pending);
    }

    /** {@code Init}: memory all 0 but the two event indexes at 1, buffers empty. */
    public static TsoState init(TsoConfig c) {
        Long[] m = new Long[Addr.words(c.n())];
        Arrays.fill(m, 0L);
        m[Addr.RSP_EVENT] = 1L;
        m[Addr.REQ_EVENT] = 1L;
        return new TsoState(List.of(m), List.of(), List.of(), 0, 1, List.of(), TsoPc.RUN, 0, 0,
                0, List.of(), List.of(), TsoPc.RUN, 0, 0, false, false);
    }

    /** {@code mem[a]}: what every CPU can see. */
    public long mem(int a) {
        return mem.get(a);
    }

    /** {@code Load(b, a)}: the newest store to {@code a} in buffer {@code b}, else memory. */
    public long load(List<Store> b, int a) {
        for (int i = b.size() - 1; i >= 0; i--) if (b.get(i).addr() == a) return b.get(i).value();
        return mem(a);
    }

    /** {@code VView(a)}: the VMM's view of a word. */
    public long vView(int a) {
        return load(vBuf, a);
    }

    /** {@code IView(a)}: the IOPM's view. */
    public long iView(int a) {
        return load(iBuf, a);
    }

    /** A copy-with builder: actions change a few fields and keep the rest. */
    public Builder with() {
        return new Builder(this);
    }

    /** Mutable only while an action builds its successor. */
    public static final class Builder {
        public List<Long> mem;
        public List<Store> vBuf, iBuf;
        public long reqPvt, vOld, rspPvt, iOld;
        public int nextId, vReg, iReg;
        public List<Integer> rspGot, reqGot, pending;
        public TsoPc vmmPc, iopmPc;
        public boolean ipiVmm, ipiIopm;

        Builder(TsoState s) {
            mem = s.mem; vBuf = s.vBuf; iBuf = s.iBuf;
            reqPvt = s.reqPvt; nextId = s.nextId; rspGot = s.rspGot; vmmPc = s.vmmPc;
            vOld = s.vOld; vReg = s.vReg;
            rspPvt = s.rspPvt; reqGot = s.reqGot; pending = s.pending; iopmPc = s.iopmPc;
            iOld = s.iOld; iReg = s.iReg;
            ipiVmm = s.ipiVmm; ipiIopm = s.ipiIopm;
        }

        public TsoState build() {
            return new TsoState(mem, vBuf, iBuf, reqPvt, nextId, rspGot, vmmPc, vOld, vReg,
                    rspPvt, reqGot, pending, iopmPc, iOld, iReg, ipiVmm, ipiIopm);
        }
    }


    /** {@code [m EXCEPT ![a] = v]}. */
    public static List<Long> set(List<Long> m, int a, long v) {
        Long[] r = m.toArray(new Long[0]);
        r[a] = v;
        return List.of(r);
    }
}
