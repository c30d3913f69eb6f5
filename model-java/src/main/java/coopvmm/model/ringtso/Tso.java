package coopvmm.model.ringtso;

import coopvmm.model.ringtso.TsoState.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static coopvmm.model.Seqs.append;
import static coopvmm.model.Seqs.tail;

/**
 * The actions of {@code CoopRingTSO.tla}, one method each, same name, same enabling condition
 * and effect: a method returns the successor state, or empty when the action is not enabled.
 * A load reads memory ({@code mem[a]}) where the spec does and the CPU's own view
 * ({@code VView}, {@code IView}) where the spec does: the two differ exactly when the CPU has
 * a store to that word still in its buffer.
 * Not final: a test alters one action to show that the spec-model agreement check can fail.
 */
public class Tso {

    private final TsoConfig c;

    public Tso(TsoConfig config) {
        this.c = config;
    }

    public TsoConfig config() {
        return c;
    }

    /** One transition: the action taken and the state it leads to. */
    public record Step(TsoAction action, TsoState next) {
    }

    // ---- helpers of the spec ----------------------------------------------------------

    /** {@code CanStore(b)}: a full buffer stalls a store until a flush. */
    protected boolean canStore(List<Store> b) {
        return b.size() < c.bufDepth();
    }

    /** {@code Store(b, a, v)}. */
    protected static List<Store> store(List<Store> b, int a, long v) {
        return append(b, new Store(a, v));
    }

    /** A full barrier: waits for its CPU's empty buffer, if the barrier is present. */
    protected boolean fencePasses(Fence f, List<Store> buf) {
        return !c.has(f) || buf.isEmpty();
    }

    /**
     * {@code SendIpiToIopm}: the ICR store goes behind the VMM's buffered stores (not counted
     * against BufDepth), or, the buffer being empty, the IPI is pending at once.
     */
    private void sendIpiToIopm(TsoState s, TsoState.Builder b) {
        if (!s.vBuf().isEmpty()) b.vBuf = store(s.vBuf(), Addr.IPI_TO_IOPM, 1);
        else b.ipiIopm = true;
    }

    /** {@code SendIpiToVmm}. */
    private void sendIpiToVmm(TsoState s, TsoState.Builder b) {
        if (!s.iBuf().isEmpty()) b.iBuf = store(s.iBuf(), Addr.IPI_TO_VMM, 1);
        else b.ipiVmm = true;
    }

    /** {@code AfterConProd(f)}: the consume's next pc, skipping an absent read barrier. */
    private TsoPc afterConProd(Fence f) {
        return c.has(f) ? TsoPc.CON_RMB : TsoPc.CON_SLOT;
    }

    /** {@code AfterConSlot(f)}: skipping an absent write barrier. */
    private TsoPc afterConSlot(Fence f) {
        return c.has(f) ? TsoPc.CON_WMB : TsoPc.CON;
    }

    // ---- VMM steps -----------------------------------------------------------------------

    /** vmm_write_request, load of the IOPM's req_cons: the ring is not full. */
    public Optional<TsoState> vmmWriteRequestReadCons(TsoState s) {
        if (s.vmmPc() != TsoPc.RUN || s.nextId() > c.maxReq()
                || c.dist(s.mem(Addr.REQ_CONS), s.reqPvt()) >= c.n()) return Optional.empty();
        var b = s.with();
        b.vmmPc = TsoPc.WR;
        return Optional.of(b.build());
    }

    /** vmm_write_request, the store of the packet into its slot (CoopRing's VmmWriteRequest). */
    public Optional<TsoState> vmmWriteRequest(TsoState s) {
        if (s.vmmPc() != TsoPc.WR || !canStore(s.vBuf())) return Optional.empty();
        var b = s.with();
        b.vBuf = store(s.vBuf(), Addr.reqSlot(c.slot(s.reqPvt())), s.nextId());
        b.reqPvt = c.inc(s.reqPvt());
        b.nextId = s.nextId() + 1;
        b.vmmPc = TsoPc.RUN;
        return Optional.of(b.build());
    }

    /** vmm_publish_requests: its own req_prod differs from req_pvt; the wmb (waits for nothing). */
    public Optional<TsoState> vmmPublishWmb(TsoState s) {
        if (!c.has(Fence.VMM_PUBLISH_WMB) || s.vmmPc() != TsoPc.RUN
                || s.vView(Addr.REQ_PROD) == s.reqPvt()) return Optional.empty();
        var b = s.with();
        b.vmmPc = TsoPc.PUB;
        return Optional.of(b.build());
    }

    /** vmm_publish_requests, the store of req_prod (past the wmb, or its check with no wmb). */
    public Optional<TsoState> vmmPublishRequests(TsoState s) {
        boolean at = c.has(Fence.VMM_PUBLISH_WMB) ? s.vmmPc() == TsoPc.PUB
                : s.vmmPc() == TsoPc.RUN && s.vView(Addr.REQ_PROD) != s.reqPvt();
        if (!at || !canStore(s.vBuf())) return Optional.empty();
        var b = s.with();
        b.vOld = s.vView(Addr.REQ_PROD);
        b.vBuf = store(s.vBuf(), Addr.REQ_PROD, s.reqPvt());
        b.vmmPc = TsoPc.PUB_MB;
        return Optional.of(b.build());
    }

    /** vmm_publish_requests, the mb (empty buffer), then the load of req_event: notify iff in (old, new]. */
    public Optional<TsoState> vmmPublishNotify(TsoState s) {
        if (s.vmmPc() != TsoPc.PUB_MB || !fencePasses(Fence.VMM_PUBLISH_MB, s.vBuf()))
            return Optional.empty();
        var b = s.with();
        b.vmmPc = c.needNotify(s.vOld(), s.reqPvt(), s.mem(Addr.REQ_EVENT)) ? TsoPc.IPI : TsoPc.RUN;
        b.vOld = 0; // a dead register is cleared, as the spec does (fewer states)
        return Optional.of(b.build());
    }

    /** vmm_send_ipi: the IPI the load decided on. */
    public Optional<TsoState> vmmSendIpi(TsoState s) {
        if (s.vmmPc() != TsoPc.IPI) return Optional.empty();
        var b = s.with();
        sendIpiToIopm(s, b);
        b.vmmPc = TsoPc.RUN;
        return Optional.of(b.build());
    }

    /** vmm_consume_response, load of the IOPM's rsp_prod: a response is there (no more than N). */
    public Optional<TsoState> vmmConsumeReadProd(TsoState s) {
        long cons = s.vView(Addr.RSP_CONS);
        if (s.vmmPc() != TsoPc.RUN || s.mem(Addr.RSP_PROD) == cons
                || c.dist(cons, s.mem(Addr.RSP_PROD)) > c.n()) return Optional.empty();
        var b = s.with();
        b.vmmPc = afterConProd(Fence.VMM_CONSUME_RMB);
        return Optional.of(b.build());
    }

    /** vmm_consume_response, the read barrier "index before the packet". */
    public Optional<TsoState> vmmConsumeRmb(TsoState s) {
        if (s.vmmPc() != TsoPc.CON_RMB) return Optional.empty();
        var b = s.with();
        b.vmmPc = TsoPc.CON_SLOT;
        return Optional.of(b.build());
    }

    /** vmm_consume_response, load of the packet out of its response slot. */
    public Optional<TsoState> vmmConsumeReadSlot(TsoState s) {
        if (s.vmmPc() != TsoPc.CON_SLOT) return Optional.empty();
        var b = s.with();
        b.vReg = (int) s.load(s.vBuf(), Addr.rspSlot(c.slot(s.vView(Addr.RSP_CONS))));
        b.vmmPc = afterConSlot(Fence.VMM_CONSUME_WMB);
        return Optional.of(b.build());
    }

    /** vmm_consume_response, the write barrier "packet copied before the slot is freed". */
    public Optional<TsoState> vmmConsumeWmb(TsoState s) {
        if (s.vmmPc() != TsoPc.CON_WMB) return Optional.empty();
        var b = s.with();
        b.vmmPc = TsoPc.CON;
        return Optional.of(b.build());
    }

    /** vmm_consume_response, the store of rsp_cons + 1 (CoopRing's VmmConsumeResponse). */
    public Optional<TsoState> vmmConsumeResponse(TsoState s) {
        if (s.vmmPc() != TsoPc.CON || !canStore(s.vBuf())) return Optional.empty();
        var b = s.with();
        b.vBuf = store(s.vBuf(), Addr.RSP_CONS, c.inc(s.vView(Addr.RSP_CONS)));
        b.rspGot = append(s.rspGot(), s.vReg());
        b.vmmPc = TsoPc.RUN;
        b.vReg = 0;
        return Optional.of(b.build());
    }

    /** vmm_see_idle, load of rsp_prod: no response, all published, a request outstanding. */
    public Optional<TsoState> vmmSeeIdle(TsoState s) {
        if (s.vmmPc() != TsoPc.RUN || s.mem(Addr.RSP_PROD) != s.vView(Addr.RSP_CONS)
                || s.vView(Addr.REQ_PROD) != s.reqPvt() || s.rspGot().size() >= s.nextId() - 1)
            return Optional.empty();
        var b = s.with();
        b.vmmPc = TsoPc.SLEEP_ST;
        return Optional.of(b.build());
    }

    /** vmm_prepare_sleep, the store of rsp_event = rsp_cons + 1. */
    public Optional<TsoState> vmmPrepareSleep(TsoState s) {
        if (s.vmmPc() != TsoPc.SLEEP_ST || !canStore(s.vBuf())) return Optional.empty();
        var b = s.with();
        b.vBuf = store(s.vBuf(), Addr.RSP_EVENT, c.inc(s.vView(Addr.RSP_CONS)));
        b.vmmPc = TsoPc.CHECK;
        return Optional.of(b.build());
    }

    /** vmm_final_check: the mb (empty buffer), then the load of rsp_prod: sleep only if still none. */
    public Optional<TsoState> vmmFinalCheck(TsoState s) {
        if (s.vmmPc() != TsoPc.CHECK || !fencePasses(Fence.VMM_SLEEP_MB, s.vBuf())) return Optional.empty();
        var b = s.with();
        b.vmmPc = s.mem(Addr.RSP_PROD) == s.vView(Addr.RSP_CONS) ? TsoPc.SLEEP : TsoPc.RUN;
        return Optional.of(b.build());
    }

    /** The IPI handler on the BSP: takes the pending IPI, wakes a sleeping VMM. */
    public Optional<TsoState> vmmWake(TsoState s) {
        if (!s.ipiVmm()) return Optional.empty();
        var b = s.with();
        b.ipiVmm = false;
        if (s.vmmPc() == TsoPc.SLEEP) b.vmmPc = TsoPc.RUN;
        return Optional.of(b.build());
    }

    /** A wake with no IPI: allowed, never relied on. */
    public Optional<TsoState> vmmSpuriousWake(TsoState s) {
        if (s.vmmPc() != TsoPc.SLEEP) return Optional.empty();
        var b = s.with();
        b.vmmPc = TsoPc.RUN;
        return Optional.of(b.build());
    }

    // ---- IOPM steps ----------------------------------------------------------------------

    /** iopm_consume, load of the VMM's req_prod: a request is there. */
    public Optional<TsoState> iopmConsumeReadProd(TsoState s) {
        if (s.iopmPc() != TsoPc.RUN || s.mem(Addr.REQ_PROD) == s.iView(Addr.REQ_CONS))
            return Optional.empty();
        var b = s.with();
        b.iopmPc = afterConProd(Fence.IOPM_CONSUME_RMB);
        return Optional.of(b.build());
    }

    /** iopm_consume, the read barrier "index before the packet". */
    public Optional<TsoState> iopmConsumeRmb(TsoState s) {
        if (s.iopmPc() != TsoPc.CON_RMB) return Optional.empty();
        var b = s.with();
        b.iopmPc = TsoPc.CON_SLOT;
        return Optional.of(b.build());
    }

    /** iopm_consume, load of the packet out of its request slot. */
    public Optional<TsoState> iopmConsumeReadSlot(TsoState s) {
        if (s.iopmPc() != TsoPc.CON_SLOT) return Optional.empty();
        var b = s.with();
        b.iReg = (int) s.load(s.iBuf(), Addr.reqSlot(c.slot(s.iView(Addr.REQ_CONS))));
        b.iopmPc = afterConSlot(Fence.IOPM_CONSUME_WMB);
        return Optional.of(b.build());
    }

    /** iopm_consume, the write barrier "packet copied before the slot is freed". */
    public Optional<TsoState> iopmConsumeWmb(TsoState s) {
        if (s.iopmPc() != TsoPc.CON_WMB) return Optional.empty();
        var b = s.with();
        b.iopmPc = TsoPc.CON;
        return Optional.of(b.build());
    }

    /** iopm_consume, the store of req_cons + 1 (CoopRing's IopmConsume). */
    public Optional<TsoState> iopmConsume(TsoState s) {
        if (s.iopmPc() != TsoPc.CON || !canStore(s.iBuf())) return Optional.empty();
        var b = s.with();
        b.iBuf = store(s.iBuf(), Addr.REQ_CONS, c.inc(s.iView(Addr.REQ_CONS)));
        b.reqGot = append(s.reqGot(), s.iReg());
        b.pending = append(s.pending(), s.iReg());
        b.iopmPc = TsoPc.RUN;
        b.iReg = 0;
        return Optional.of(b.build());
    }

    /** iopm_write_response, load of the VMM's rsp_cons: the response ring is not full. */
    public Optional<TsoState> iopmWriteResponseReadCons(TsoState s) {
        if (s.iopmPc() != TsoPc.RUN || s.pending().isEmpty()
                || c.dist(s.mem(Addr.RSP_CONS), s.rspPvt()) >= c.n()) return Optional.empty();
        var b = s.with();
        b.iopmPc = TsoPc.WR;
        return Optional.of(b.build());
    }

    /** iopm_write_response, the store of the response into its slot (CoopRing's IopmWriteResponse). */
    public Optional<TsoState> iopmWriteResponse(TsoState s) {
        if (s.iopmPc() != TsoPc.WR || !canStore(s.iBuf())) return Optional.empty();
        var b = s.with();
        b.iBuf = store(s.iBuf(), Addr.rspSlot(c.slot(s.rspPvt())), s.pending().get(0));
        b.rspPvt = c.inc(s.rspPvt());
        b.pending = tail(s.pending());
        b.iopmPc = TsoPc.RUN;
        return Optional.of(b.build());
    }

    /** iopm_publish_responses: its own rsp_prod differs from rsp_pvt; the wmb. */
    public Optional<TsoState> iopmPublishWmb(TsoState s) {
        if (!c.has(Fence.IOPM_PUBLISH_WMB) || s.iopmPc() != TsoPc.RUN
                || s.iView(Addr.RSP_PROD) == s.rspPvt()) return Optional.empty();
        var b = s.with();
        b.iopmPc = TsoPc.PUB;
        return Optional.of(b.build());
    }

    /** iopm_publish_responses, the store of rsp_prod. */
    public Optional<TsoState> iopmPublishResponses(TsoState s) {
        boolean at = c.has(Fence.IOPM_PUBLISH_WMB) ? s.iopmPc() == TsoPc.PUB
                : s.iopmPc() == TsoPc.RUN && s.iView(Addr.RSP_PROD) != s.rspPvt();
        if (!at || !canStore(s.iBuf())) return Optional.empty();
        var b = s.with();
        b.iOld = s.iView(Addr.RSP_PROD);
        b.iBuf = store(s.iBuf(), Addr.RSP_PROD, s.rspPvt());
        b.iopmPc = TsoPc.PUB_MB;
        return Optional.of(b.build());
    }

    /** iopm_publish_responses, the mb, then the load of rsp_event: notify iff in (old, new]. */
    public Optional<TsoState> iopmPublishNotify(TsoState s) {
        if (s.iopmPc() != TsoPc.PUB_MB || !fencePasses(Fence.IOPM_PUBLISH_MB, s.iBuf()))
            return Optional.empty();
        var b = s.with();
        b.iopmPc = c.needNotify(s.iOld(), s.rspPvt(), s.mem(Addr.RSP_EVENT)) ? TsoPc.IPI : TsoPc.RUN;
        b.iOld = 0;
        return Optional.of(b.build());
    }

    /** iopm_send_ipi. */
    public Optional<TsoState> iopmSendIpi(TsoState s) {
        if (s.iopmPc() != TsoPc.IPI) return Optional.empty();
        var b = s.with();
        sendIpiToVmm(s, b);
        b.iopmPc = TsoPc.RUN;
        return Optional.of(b.build());
    }

    /** iopm_see_idle, load of req_prod: no request, nothing left to answer or publish. */
    public Optional<TsoState> iopmSeeIdle(TsoState s) {
        if (s.iopmPc() != TsoPc.RUN || !s.pending().isEmpty()
                || s.mem(Addr.REQ_PROD) != s.iView(Addr.REQ_CONS)
                || s.iView(Addr.RSP_PROD) != s.rspPvt()) return Optional.empty();
        var b = s.with();
        b.iopmPc = TsoPc.SLEEP_ST;
        return Optional.of(b.build());
    }

    /** iopm_prepare_sleep, the store of req_event = req_cons + 1. */
    public Optional<TsoState> iopmPrepareSleep(TsoState s) {
        if (s.iopmPc() != TsoPc.SLEEP_ST || !canStore(s.iBuf())) return Optional.empty();
        var b = s.with();
        b.iBuf = store(s.iBuf(), Addr.REQ_EVENT, c.inc(s.iView(Addr.REQ_CONS)));
        b.iopmPc = TsoPc.CHECK;
        return Optional.of(b.build());
    }

    /** iopm_final_check: the mb, then the load of req_prod: sleep only if still no request. */
    public Optional<TsoState> iopmFinalCheck(TsoState s) {
        if (s.iopmPc() != TsoPc.CHECK || !fencePasses(Fence.IOPM_SLEEP_MB, s.iBuf())) return Optional.empty();
        var b = s.with();
        b.iopmPc = s.mem(Addr.REQ_PROD) == s.iView(Addr.REQ_CONS) ? TsoPc.SLEEP : TsoPc.RUN;
        return Optional.of(b.build());
    }

    /** The IPI handler on the AP: takes the pending IPI, wakes a sleeping IOPM. */
    public Optional<TsoState> iopmWake(TsoState s) {
        if (!s.ipiIopm()) return Optional.empty();
        var b = s.with();
        b.ipiIopm = false;
        if (s.iopmPc() == TsoPc.SLEEP) b.iopmPc = TsoPc.RUN;
        return Optional.of(b.build());
    }

    /** A wake with no IPI: allowed, never relied on. */
    public Optional<TsoState> iopmSpuriousWake(TsoState s) {
        if (s.iopmPc() != TsoPc.SLEEP) return Optional.empty();
        var b = s.with();
        b.iopmPc = TsoPc.RUN;
        return Optional.of(b.build());
    }

    // ---- the memory system -----------------------------------------------------------------

    /** The VMM's oldest buffered store becomes visible (an IPI becomes pending). */
    public Optional<TsoState> flushVmm(TsoState s) {
        if (s.vBuf().isEmpty()) return Optional.empty();
        Store e = s.vBuf().get(0);
        var b = s.with();
        if (e.addr() == Addr.IPI_TO_IOPM) b.ipiIopm = true;
        else b.mem = TsoState.set(s.mem(), e.addr(), e.value());
        b.vBuf = tail(s.vBuf());
        return Optional.of(b.build());
    }

    /** The IOPM's oldest buffered store becomes visible. */
    public Optional<TsoState> flushIopm(TsoState s) {
        if (s.iBuf().isEmpty()) return Optional.empty();
        Store e = s.iBuf().get(0);
        var b = s.with();
        if (e.addr() == Addr.IPI_TO_VMM) b.ipiVmm = true;
        else b.mem = TsoState.set(s.mem(), e.addr(), e.value());
        b.iBuf = tail(s.iBuf());
        return Optional.of(b.build());
    }

    // ---- the whole next-state relation -----------------------------------------------------

    /** {@code Done}: every request answered and its answer consumed. */
    public boolean done(TsoState s) {
        return s.rspGot().size() == c.maxReq() && s.nextId() > c.maxReq();
    }

    /** {@code Finished}: stutter once done. */
    public Optional<TsoState> finished(TsoState s) {
        return done(s) ? Optional.of(s) : Optional.empty();
    }

    /** Takes one action. */
    public Optional<TsoState> take(TsoAction a, TsoState s) {
        return switch (a) {
            case VMM_WRITE_REQUEST_READ_CONS -> vmmWriteRequestReadCons(s);
            case VMM_WRITE_REQUEST -> vmmWriteRequest(s);
            case VMM_PUBLISH_WMB -> vmmPublishWmb(s);
            case VMM_PUBLISH_REQUESTS -> vmmPublishRequests(s);
            case VMM_PUBLISH_NOTIFY -> vmmPublishNotify(s);
            case VMM_SEND_IPI -> vmmSendIpi(s);
            case VMM_CONSUME_READ_PROD -> vmmConsumeReadProd(s);
            case VMM_CONSUME_RMB -> vmmConsumeRmb(s);
            case VMM_CONSUME_READ_SLOT -> vmmConsumeReadSlot(s);
            case VMM_CONSUME_WMB -> vmmConsumeWmb(s);
            case VMM_CONSUME_RESPONSE -> vmmConsumeResponse(s);
            case VMM_SEE_IDLE -> vmmSeeIdle(s);
            case VMM_PREPARE_SLEEP -> vmmPrepareSleep(s);
            case VMM_FINAL_CHECK -> vmmFinalCheck(s);
            case VMM_WAKE -> vmmWake(s);
            case VMM_SPURIOUS_WAKE -> vmmSpuriousWake(s);
            case IOPM_CONSUME_READ_PROD -> iopmConsumeReadProd(s);
            case IOPM_CONSUME_RMB -> iopmConsumeRmb(s);
            case IOPM_CONSUME_READ_SLOT -> iopmConsumeReadSlot(s);
            case IOPM_CONSUME_WMB -> iopmConsumeWmb(s);
            case IOPM_CONSUME -> iopmConsume(s);
            case IOPM_WRITE_RESPONSE_READ_CONS -> iopmWriteResponseReadCons(s);
            case IOPM_WRITE_RESPONSE -> iopmWriteResponse(s);
            case IOPM_PUBLISH_WMB -> iopmPublishWmb(s);
            case IOPM_PUBLISH_RESPONSES -> iopmPublishResponses(s);
            case IOPM_PUBLISH_NOTIFY -> iopmPublishNotify(s);
            case IOPM_SEND_IPI -> iopmSendIpi(s);
            case IOPM_SEE_IDLE -> iopmSeeIdle(s);
            case IOPM_PREPARE_SLEEP -> iopmPrepareSleep(s);
            case IOPM_FINAL_CHECK -> iopmFinalCheck(s);
            case IOPM_WAKE -> iopmWake(s);
            case IOPM_SPURIOUS_WAKE -> iopmSpuriousWake(s);
            case FLUSH_VMM -> flushVmm(s);
            case FLUSH_IOPM -> flushIopm(s);
            case FINISHED -> finished(s);
        };
    }

    /** Every enabled action and its successor ({@code Next}). */
    public List<Step> successors(TsoState s) {
        List<Step> out = new ArrayList<>();
        for (TsoAction a : TsoAction.values()) take(a, s).ifPresent(n -> out.add(new Step(a, n)));
        return out;
    }
}
