package coopvmm.model.ringtso;

import coopvmm.model.ringtso.TsoState.Store;

import java.util.List;

/**
 * Safety invariants of {@code CoopRingTSO.tla} that are its own (the others are CoopRing's,
 * through the refinement mapping): {@code OwnersWrite}, the buffer bound of {@code TypeOK}, and
 * {@code SleeperHasWakeup}, the no-lost-wakeup property the full barriers exist for.
 */
public final class TsoInvariants {

    private final TsoConfig c;

    public TsoInvariants(TsoConfig config) {
        this.c = config;
    }

    /** {@code OwnersWrite}: each CPU stores only into its own areas (and its own IPI). */
    public boolean ownersWrite(TsoState s) {
        List<Integer> v = Addr.vmm(c.n()), i = Addr.iopm(c.n());
        for (Store e : s.vBuf()) if (e.addr() != Addr.IPI_TO_IOPM && !v.contains(e.addr())) return false;
        for (Store e : s.iBuf()) if (e.addr() != Addr.IPI_TO_VMM && !i.contains(e.addr())) return false;
        return true;
    }

    /** {@code Len(vBuf) <= BufDepth + 1 /\ Len(iBuf) <= BufDepth + 1} (an IPI may go past the bound). */
    public boolean buffersBounded(TsoState s) {
        return s.vBuf().size() <= c.bufDepth() + 1 && s.iBuf().size() <= c.bufDepth() + 1;
    }

    /** {@code IopmHasWork}: a request published in the VMM's program order and not consumed. */
    public boolean iopmHasWork(TsoState s) {
        return s.vView(Addr.REQ_PROD) != s.iView(Addr.REQ_CONS);
    }

    public boolean vmmHasWork(TsoState s) {
        return s.iView(Addr.RSP_PROD) != s.vView(Addr.RSP_CONS);
    }

    /** {@code IpiComingToIopm}: pending, in the VMM's buffer, or about to be decided on. */
    public boolean ipiComingToIopm(TsoState s) {
        return s.ipiIopm()
                || s.vBuf().stream().anyMatch(e -> e.addr() == Addr.IPI_TO_IOPM)
                || s.vmmPc() == TsoPc.PUB_MB && c.needNotify(s.vOld(), s.reqPvt(), s.mem(Addr.REQ_EVENT))
                || s.vmmPc() == TsoPc.IPI;
    }

    public boolean ipiComingToVmm(TsoState s) {
        return s.ipiVmm()
                || s.iBuf().stream().anyMatch(e -> e.addr() == Addr.IPI_TO_VMM)
                || s.iopmPc() == TsoPc.PUB_MB && c.needNotify(s.iOld(), s.rspPvt(), s.mem(Addr.RSP_EVENT))
                || s.iopmPc() == TsoPc.IPI;
    }

    /** {@code SleeperHasWakeup}: a side asleep with work pending has an IPI on its way. */
    public boolean sleeperHasWakeup(TsoState s) {
        return (s.iopmPc() != TsoPc.SLEEP || !iopmHasWork(s) || ipiComingToIopm(s))
                && (s.vmmPc() != TsoPc.SLEEP || !vmmHasWork(s) || ipiComingToVmm(s));
    }

    /** The name of the first invariant {@code s} violates, or null. */
    public String violated(TsoState s) {
        if (!buffersBounded(s)) return "TypeOK";
        if (!ownersWrite(s)) return "OwnersWrite";
        if (!sleeperHasWakeup(s)) return "SleeperHasWakeup";
        return null;
    }
}
