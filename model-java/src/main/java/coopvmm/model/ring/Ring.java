package coopvmm.model.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static coopvmm.model.ring.RingState.append;
import static coopvmm.model.ring.RingState.appendHistory;

/**
 * The actions of {@code CoopRing.tla}, one method each, same name, same enabling condition
 * and effect: a method returns the successor state, or empty when the action is not enabled.
 * Not final: a test alters one action to show that the spec-model agreement check can fail.
 */
public class Ring {

    private final RingConfig c;

    public Ring(RingConfig config) {
        this.c = config;
    }

    public RingConfig config() {
        return c;
    }

    /** One transition: the action taken and the state it leads to. */
    public record Step(RingAction action, RingState next) {
    }

    // ---- VMM actions -------------------------------------------------------------------

    /** The VMM writes the next request into the free slot at its private index. */
    public Optional<RingState> vmmWriteRequest(RingState s) {
        if (s.vmmPc() != Pc.RUN || !s.iopmTrusted() || s.nextId() > c.maxReq()
                || c.dist(s.reqCons(), s.reqPvt()) >= c.n()) return Optional.empty();
        var b = s.with();
        b.reqRing = s.reqRing().with(c.slot(s.reqPvt()), s.nextId());
        b.reqPvt = c.inc(s.reqPvt());
        b.nextId = s.nextId() + 1;
        return Optional.of(b.build());
    }

    /** The VMM publishes what it wrote, keeping the old producer index for the notify decision. */
    public Optional<RingState> vmmPublishRequests(RingState s) {
        if (s.vmmPc() != Pc.RUN || !s.iopmTrusted() || s.reqProd() == s.reqPvt())
            return Optional.empty();
        var b = s.with();
        b.reqProd = s.reqPvt();
        b.reqNotifyFrom = s.reqProd();
        b.vmmPc = Pc.NOTIFY;
        return Optional.of(b.build());
    }

    /**
     * After the full barrier: the VMM decides to notify the IOPM iff its event index lies in
     * (old, new]; the IPI itself is {@link #vmmSendIpi}.
     */
    public Optional<RingState> vmmNotifyIopm(RingState s) {
        if (s.vmmPc() != Pc.NOTIFY) return Optional.empty();
        var b = s.with();
        b.vmmPc = c.needNotify(s.reqNotifyFrom(), s.reqProd(), s.reqEvent()) ? Pc.IPI : Pc.RUN;
        b.reqNotifyFrom = 0;
        return Optional.of(b.build());
    }

    /** The VMM sends the IPI it decided on. */
    public Optional<RingState> vmmSendIpi(RingState s) {
        if (s.vmmPc() != Pc.IPI) return Optional.empty();
        var b = s.with();
        b.ipiIopm = true;
        b.vmmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    /** The VMM consumes one response, the IOPM's index being no more than N ahead. */
    public Optional<RingState> vmmConsumeResponse(RingState s) {
        if (s.vmmPc() != Pc.RUN || !s.iopmTrusted() || s.rspCons() == s.rspProd()
                || c.dist(s.rspCons(), s.rspProd()) > c.n()) return Optional.empty();
        var b = s.with();
        b.rspGot = appendHistory(s.rspGot(), s.rspRing().getInt(c.slot(s.rspCons())));
        b.rspCons = c.inc(s.rspCons());
        return Optional.of(b.build());
    }

    /** The IOPM's response index is more than N ahead: the VMM gives the IOPM up. */
    public Optional<RingState> vmmDeclareIopmBroken(RingState s) {
        if (s.vmmPc() != Pc.RUN || !s.iopmTrusted() || c.dist(s.rspCons(), s.rspProd()) <= c.n())
            return Optional.empty();
        var b = s.with();
        b.iopmTrusted = false;
        return Optional.of(b.build());
    }

    /** No response to consume, all published, a request outstanding: the VMM goes idle. */
    public Optional<RingState> vmmSeeIdle(RingState s) {
        if (s.vmmPc() != Pc.RUN || !s.iopmTrusted() || s.rspProd() != s.rspCons()
                || s.reqProd() != s.reqPvt() || s.rspGot().size() >= s.nextId() - 1)
            return Optional.empty();
        var b = s.with();
        b.vmmPc = Pc.IDLE;
        return Optional.of(b.build());
    }

    /** After {@code vmmSeeIdle}: arm the event index (the IOPM may have published in between). */
    public Optional<RingState> vmmPrepareSleep(RingState s) {
        if (s.vmmPc() != Pc.IDLE) return Optional.empty();
        var b = s.with();
        b.rspEvent = c.inc(s.rspCons());
        b.vmmPc = Pc.CHECK;
        return Optional.of(b.build());
    }

    /** Final check: sleep only if still nothing to consume. */
    public Optional<RingState> vmmFinalCheck(RingState s) {
        if (s.vmmPc() != Pc.CHECK) return Optional.empty();
        var b = s.with();
        b.vmmPc = s.rspProd() == s.rspCons() ? Pc.SLEEP : Pc.RUN;
        return Optional.of(b.build());
    }

    /** The BSP takes the pending IPI; a sleeping VMM wakes (any other pc stays). */
    public Optional<RingState> vmmWake(RingState s) {
        if (!s.ipiVmm()) return Optional.empty();
        var b = s.with();
        b.ipiVmm = false;
        if (s.vmmPc() == Pc.SLEEP) b.vmmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    /** A wake with no IPI: allowed, never relied on. */
    public Optional<RingState> vmmSpuriousWake(RingState s) {
        if (s.vmmPc() != Pc.SLEEP) return Optional.empty();
        var b = s.with();
        b.vmmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    // ---- IOPM actions ------------------------------------------------------------------

    /** The IOPM consumes one published request. */
    public Optional<RingState> iopmConsume(RingState s) {
        if (s.iopmPc() != Pc.RUN || s.reqCons() == s.reqProd()) return Optional.empty();
        int id = s.reqRing().getInt(c.slot(s.reqCons()));
        var b = s.with();
        b.reqGot = appendHistory(s.reqGot(), id);
        b.pending = appendHistory(s.pending(), id);
        b.reqCons = c.inc(s.reqCons());
        return Optional.of(b.build());
    }

    /** The IOPM answers the oldest consumed request into its free response slot. */
    public Optional<RingState> iopmWriteResponse(RingState s) {
        if (s.iopmPc() != Pc.RUN || s.pending().isEmpty()
                || c.dist(s.rspCons(), s.rspPvt()) >= c.n()) return Optional.empty();
        var b = s.with();
        b.rspRing = s.rspRing().with(c.slot(s.rspPvt()), s.pending().get(0));
        b.rspPvt = c.inc(s.rspPvt());
        b.pending = RingState.tailOf(s.pending());
        return Optional.of(b.build());
    }

    /** The IOPM publishes its responses, keeping the old producer index. */
    public Optional<RingState> iopmPublishResponses(RingState s) {
        if (s.iopmPc() != Pc.RUN || s.rspProd() == s.rspPvt()) return Optional.empty();
        var b = s.with();
        b.rspProd = s.rspPvt();
        b.rspNotifyFrom = s.rspProd();
        b.iopmPc = Pc.NOTIFY;
        return Optional.of(b.build());
    }

    /** After the full barrier: the IOPM decides to notify the VMM iff its event index was passed. */
    public Optional<RingState> iopmNotifyVmm(RingState s) {
        if (s.iopmPc() != Pc.NOTIFY) return Optional.empty();
        var b = s.with();
        b.iopmPc = c.needNotify(s.rspNotifyFrom(), s.rspProd(), s.rspEvent()) ? Pc.IPI : Pc.RUN;
        b.rspNotifyFrom = 0;
        return Optional.of(b.build());
    }

    /** The IOPM sends the IPI it decided on. */
    public Optional<RingState> iopmSendIpi(RingState s) {
        if (s.iopmPc() != Pc.IPI) return Optional.empty();
        var b = s.with();
        b.ipiVmm = true;
        b.iopmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    /** Fault: the IOPM publishes response index {@code p}, more than N ahead. */
    public Optional<RingState> iopmPublishBogus(RingState s, long p) {
        if (!c.peerFaults() || p < 0 || p >= c.idxMod() || c.dist(s.rspCons(), p) <= c.n())
            return Optional.empty();
        var b = s.with();
        b.rspProd = p;
        return Optional.of(b.build());
    }

    /** Nothing to consume, answer or publish: the IOPM goes idle. */
    public Optional<RingState> iopmSeeIdle(RingState s) {
        if (s.iopmPc() != Pc.RUN || s.reqProd() != s.reqCons() || !s.pending().isEmpty()
                || s.rspProd() != s.rspPvt()) return Optional.empty();
        var b = s.with();
        b.iopmPc = Pc.IDLE;
        return Optional.of(b.build());
    }

    /** After {@code iopmSeeIdle}: arm the event index. */
    public Optional<RingState> iopmPrepareSleep(RingState s) {
        if (s.iopmPc() != Pc.IDLE) return Optional.empty();
        var b = s.with();
        b.reqEvent = c.inc(s.reqCons());
        b.iopmPc = Pc.CHECK;
        return Optional.of(b.build());
    }

    /** Final check: sleep only if still no request. */
    public Optional<RingState> iopmFinalCheck(RingState s) {
        if (s.iopmPc() != Pc.CHECK) return Optional.empty();
        var b = s.with();
        b.iopmPc = s.reqProd() == s.reqCons() ? Pc.SLEEP : Pc.RUN;
        return Optional.of(b.build());
    }

    /** The AP takes the pending IPI; a sleeping IOPM wakes. */
    public Optional<RingState> iopmWake(RingState s) {
        if (!s.ipiIopm()) return Optional.empty();
        var b = s.with();
        b.ipiIopm = false;
        if (s.iopmPc() == Pc.SLEEP) b.iopmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    public Optional<RingState> iopmSpuriousWake(RingState s) {
        if (s.iopmPc() != Pc.SLEEP) return Optional.empty();
        var b = s.with();
        b.iopmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    // ---- the whole next-state relation -------------------------------------------------

    /** {@code Done}: every request answered and consumed, or the IOPM given up. */
    public boolean done(RingState s) {
        return (s.rspGot().size() == c.maxReq() && s.nextId() > c.maxReq()) || !s.iopmTrusted();
    }

    /** {@code Finished}: stutter once done. */
    public Optional<RingState> finished(RingState s) {
        return done(s) ? Optional.of(s) : Optional.empty();
    }

    /** Takes a parameterless action (every action but {@code IopmPublishBogus}). */
    public Optional<RingState> take(RingAction a, RingState s) {
        return switch (a) {
            case VMM_WRITE_REQUEST -> vmmWriteRequest(s);
            case VMM_PUBLISH_REQUESTS -> vmmPublishRequests(s);
            case VMM_NOTIFY_IOPM -> vmmNotifyIopm(s);
            case VMM_SEND_IPI -> vmmSendIpi(s);
            case VMM_CONSUME_RESPONSE -> vmmConsumeResponse(s);
            case VMM_DECLARE_IOPM_BROKEN -> vmmDeclareIopmBroken(s);
            case VMM_SEE_IDLE -> vmmSeeIdle(s);
            case VMM_PREPARE_SLEEP -> vmmPrepareSleep(s);
            case VMM_FINAL_CHECK -> vmmFinalCheck(s);
            case VMM_WAKE -> vmmWake(s);
            case VMM_SPURIOUS_WAKE -> vmmSpuriousWake(s);
            case IOPM_CONSUME -> iopmConsume(s);
            case IOPM_WRITE_RESPONSE -> iopmWriteResponse(s);
            case IOPM_PUBLISH_RESPONSES -> iopmPublishResponses(s);
            case IOPM_NOTIFY_VMM -> iopmNotifyVmm(s);
            case IOPM_SEND_IPI -> iopmSendIpi(s);
            case IOPM_PUBLISH_BOGUS -> throw new IllegalArgumentException(
                    "IopmPublishBogus takes the bogus index: use iopmPublishBogus(s, p)");
            case IOPM_SEE_IDLE -> iopmSeeIdle(s);
            case IOPM_PREPARE_SLEEP -> iopmPrepareSleep(s);
            case IOPM_FINAL_CHECK -> iopmFinalCheck(s);
            case IOPM_WAKE -> iopmWake(s);
            case IOPM_SPURIOUS_WAKE -> iopmSpuriousWake(s);
            case FINISHED -> finished(s);
        };
    }

    /** Every enabled action and its successor ({@code Next}). */
    public List<Step> successors(RingState s) {
        List<Step> out = new ArrayList<>();
        for (RingAction a : RingAction.values()) {
            if (a == RingAction.IOPM_PUBLISH_BOGUS) {
                if (!c.peerFaults() || c.idxMod() > 1 << 16) continue; // enumerable bounds only
                for (long p = 0; p < c.idxMod(); p++) {
                    long bogus = p;
                    iopmPublishBogus(s, bogus).ifPresent(n -> out.add(new Step(a, n)));
                }
                continue;
            }
            take(a, s).ifPresent(n -> out.add(new Step(a, n)));
        }
        return out;
    }
}
