package coopvmm.model.mgmtring;

import coopvmm.model.History;
import coopvmm.model.ring.Pc;
import coopvmm.model.ring.RingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static coopvmm.model.mgmtring.MgmtRingState.set;

/**
 * The actions of {@code MgmtRing.tla}, one method each, same name, same enabling condition
 * and effect (empty when not enabled). {@link RingConfig}'s {@code maxReq} is the spec's
 * {@code MaxCmd}. Not final: a test alters one action to show that agreement can fail.
 */
public class MgmtRing {

    private final RingConfig c;

    public MgmtRing(RingConfig config) {
        this.c = config;
    }

    public RingConfig config() {
        return c;
    }

    /** One transition: the action taken and the state it leads to. */
    public record Step(MgmtRingAction action, MgmtRingState next) {
    }

    // ---- the console (an IOPM's user interface) ----------------------------------------

    /** The console writes its next command into the free slot at its private index. */
    public Optional<MgmtRingState> iopmWriteCommand(MgmtRingState s) {
        if (s.conPc() != Pc.RUN || s.nextId() > c.maxReq() || c.dist(s.cmdCons(), s.cmdPvt()) >= c.n())
            return Optional.empty();
        var b = s.with();
        b.cmdRing = set(s.cmdRing(), c.slot(s.cmdPvt()), s.nextId());
        b.cmdPvt = c.inc(s.cmdPvt());
        b.nextId = s.nextId() + 1;
        return Optional.of(b.build());
    }

    /** The console publishes what it wrote, keeping the old index for the notify decision. */
    public Optional<MgmtRingState> iopmPublishCommands(MgmtRingState s) {
        if (s.conPc() != Pc.RUN || s.cmdProd() == s.cmdPvt()) return Optional.empty();
        var b = s.with();
        b.cmdProd = s.cmdPvt();
        b.cmdNotifyFrom = s.cmdProd();
        b.conPc = Pc.NOTIFY;
        return Optional.of(b.build());
    }

    /** After the full barrier: notify the VMM iff its event index lies in (old, new]. */
    public Optional<MgmtRingState> iopmNotifyVmm(MgmtRingState s) {
        if (s.conPc() != Pc.NOTIFY) return Optional.empty();
        var b = s.with();
        b.conPc = c.needNotify(s.cmdNotifyFrom(), s.cmdProd(), s.cmdEvent()) ? Pc.IPI : Pc.RUN;
        b.cmdNotifyFrom = 0;
        return Optional.of(b.build());
    }

    /** The console sends the IPI it decided on. */
    public Optional<MgmtRingState> iopmSendIpi(MgmtRingState s) {
        if (s.conPc() != Pc.IPI) return Optional.empty();
        var b = s.with();
        b.ipiVmm = true;
        b.conPc = Pc.RUN;
        return Optional.of(b.build());
    }

    /** The console takes one published answer (none past N ahead). */
    public Optional<MgmtRingState> iopmTakeAnswer(MgmtRingState s) {
        if (s.conPc() != Pc.RUN || s.ansCons() == s.ansProd() || c.dist(s.ansCons(), s.ansProd()) > c.n())
            return Optional.empty();
        var b = s.with();
        b.ansGot = History.of(s.ansGot()).append(s.ansRing().get(c.slot(s.ansCons())));
        b.ansCons = c.inc(s.ansCons());
        return Optional.of(b.build());
    }

    /** No answer to take, all published, a command outstanding: the console goes idle. */
    public Optional<MgmtRingState> iopmSeeIdle(MgmtRingState s) {
        if (s.conPc() != Pc.RUN || s.ansProd() != s.ansCons() || s.cmdProd() != s.cmdPvt()
                || s.ansGot().size() >= s.nextId() - 1) return Optional.empty();
        var b = s.with();
        b.conPc = Pc.IDLE;
        return Optional.of(b.build());
    }

    /** After {@code iopmSeeIdle}: arm the answer event index. */
    public Optional<MgmtRingState> iopmPrepareSleep(MgmtRingState s) {
        if (s.conPc() != Pc.IDLE) return Optional.empty();
        var b = s.with();
        b.ansEvent = c.inc(s.ansCons());
        b.conPc = Pc.CHECK;
        return Optional.of(b.build());
    }

    /** Final check: sleep only if still no answer. */
    public Optional<MgmtRingState> iopmFinalCheck(MgmtRingState s) {
        if (s.conPc() != Pc.CHECK) return Optional.empty();
        var b = s.with();
        b.conPc = s.ansProd() == s.ansCons() ? Pc.SLEEP : Pc.RUN;
        return Optional.of(b.build());
    }

    /** The console's AP takes the pending IPI; a sleeping console wakes. */
    public Optional<MgmtRingState> iopmWake(MgmtRingState s) {
        if (!s.ipiConsole()) return Optional.empty();
        var b = s.with();
        b.ipiConsole = false;
        if (s.conPc() == Pc.SLEEP) b.conPc = Pc.RUN;
        return Optional.of(b.build());
    }

    public Optional<MgmtRingState> iopmSpuriousWake(MgmtRingState s) {
        if (s.conPc() != Pc.SLEEP) return Optional.empty();
        var b = s.with();
        b.conPc = Pc.RUN;
        return Optional.of(b.build());
    }

    /** Fault: a hostile console publishes command index {@code p}, more than N ahead. */
    public Optional<MgmtRingState> iopmPublishBogus(MgmtRingState s, long p) {
        if (!c.peerFaults() || p < 0 || p >= c.idxMod() || c.dist(s.cmdCons(), p) <= c.n())
            return Optional.empty();
        var b = s.with();
        b.cmdProd = p;
        return Optional.of(b.build());
    }

    // ---- the VMM -----------------------------------------------------------------------

    /** The VMM takes one published command, the console's index no more than N ahead. */
    public Optional<MgmtRingState> vmmTakeCommand(MgmtRingState s) {
        if (s.vmmPc() != Pc.RUN || !s.consoleTrusted() || s.cmdCons() == s.cmdProd()
                || c.dist(s.cmdCons(), s.cmdProd()) > c.n()) return Optional.empty();
        int id = s.cmdRing().get(c.slot(s.cmdCons()));
        var b = s.with();
        b.cmdGot = History.of(s.cmdGot()).append(id);
        b.pending = History.of(s.pending()).append(id);
        b.cmdCons = c.inc(s.cmdCons());
        return Optional.of(b.build());
    }

    /** The console's index is more than N ahead: the VMM gives the ring up. */
    public Optional<MgmtRingState> vmmDeclareConsoleBroken(MgmtRingState s) {
        if (s.vmmPc() != Pc.RUN || !s.consoleTrusted() || c.dist(s.cmdCons(), s.cmdProd()) <= c.n())
            return Optional.empty();
        var b = s.with();
        b.consoleTrusted = false;
        return Optional.of(b.build());
    }

    /** The VMM answers the oldest command taken, into its free answer slot. */
    public Optional<MgmtRingState> vmmWriteAnswer(MgmtRingState s) {
        if (s.vmmPc() != Pc.RUN || !s.consoleTrusted() || s.pending().isEmpty()
                || c.dist(s.ansCons(), s.ansPvt()) >= c.n()) return Optional.empty();
        var b = s.with();
        b.ansRing = set(s.ansRing(), c.slot(s.ansPvt()), s.pending().get(0));
        b.ansPvt = c.inc(s.ansPvt());
        b.pending = History.of(s.pending()).tail();
        return Optional.of(b.build());
    }

    /** The VMM publishes its answers, keeping the old producer index. */
    public Optional<MgmtRingState> vmmPublishAnswers(MgmtRingState s) {
        if (s.vmmPc() != Pc.RUN || !s.consoleTrusted() || s.ansProd() == s.ansPvt()) return Optional.empty();
        var b = s.with();
        b.ansProd = s.ansPvt();
        b.ansNotifyFrom = s.ansProd();
        b.vmmPc = Pc.NOTIFY;
        return Optional.of(b.build());
    }

    /** After the full barrier: notify the console iff its event index was passed. */
    public Optional<MgmtRingState> vmmNotifyIopm(MgmtRingState s) {
        if (s.vmmPc() != Pc.NOTIFY) return Optional.empty();
        var b = s.with();
        b.vmmPc = c.needNotify(s.ansNotifyFrom(), s.ansProd(), s.ansEvent()) ? Pc.IPI : Pc.RUN;
        b.ansNotifyFrom = 0;
        return Optional.of(b.build());
    }

    /** The VMM sends the IPI it decided on. */
    public Optional<MgmtRingState> vmmSendIpi(MgmtRingState s) {
        if (s.vmmPc() != Pc.IPI) return Optional.empty();
        var b = s.with();
        b.ipiConsole = true;
        b.vmmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    /** No command to take, nothing to answer or publish: the VMM goes idle. */
    public Optional<MgmtRingState> vmmSeeIdle(MgmtRingState s) {
        if (s.vmmPc() != Pc.RUN || !s.consoleTrusted() || s.cmdProd() != s.cmdCons() || !s.pending().isEmpty()
                || s.ansProd() != s.ansPvt()) return Optional.empty();
        var b = s.with();
        b.vmmPc = Pc.IDLE;
        return Optional.of(b.build());
    }

    /** After {@code vmmSeeIdle}: arm the command event index. */
    public Optional<MgmtRingState> vmmPrepareSleep(MgmtRingState s) {
        if (s.vmmPc() != Pc.IDLE) return Optional.empty();
        var b = s.with();
        b.cmdEvent = c.inc(s.cmdCons());
        b.vmmPc = Pc.CHECK;
        return Optional.of(b.build());
    }

    /** Final check: sleep only if still no command. */
    public Optional<MgmtRingState> vmmFinalCheck(MgmtRingState s) {
        if (s.vmmPc() != Pc.CHECK) return Optional.empty();
        var b = s.with();
        b.vmmPc = s.cmdProd() == s.cmdCons() ? Pc.SLEEP : Pc.RUN;
        return Optional.of(b.build());
    }

    /** The BSP takes the pending IPI; a sleeping VMM wakes. */
    public Optional<MgmtRingState> vmmWake(MgmtRingState s) {
        if (!s.ipiVmm()) return Optional.empty();
        var b = s.with();
        b.ipiVmm = false;
        if (s.vmmPc() == Pc.SLEEP) b.vmmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    public Optional<MgmtRingState> vmmSpuriousWake(MgmtRingState s) {
        if (s.vmmPc() != Pc.SLEEP) return Optional.empty();
        var b = s.with();
        b.vmmPc = Pc.RUN;
        return Optional.of(b.build());
    }

    // ---- the whole next-state relation -------------------------------------------------

    /** {@code Done}: every command answered and taken, or the console given up. */
    public boolean done(MgmtRingState s) {
        return (s.ansGot().size() == c.maxReq() && s.nextId() > c.maxReq()) || !s.consoleTrusted();
    }

    /** Takes a parameterless action (every action but {@code IopmPublishBogus}). */
    public Optional<MgmtRingState> take(MgmtRingAction a, MgmtRingState s) {
        return switch (a) {
            case IOPM_WRITE_COMMAND -> iopmWriteCommand(s);
            case IOPM_PUBLISH_COMMANDS -> iopmPublishCommands(s);
            case IOPM_NOTIFY_VMM -> iopmNotifyVmm(s);
            case IOPM_SEND_IPI -> iopmSendIpi(s);
            case IOPM_TAKE_ANSWER -> iopmTakeAnswer(s);
            case IOPM_SEE_IDLE -> iopmSeeIdle(s);
            case IOPM_PREPARE_SLEEP -> iopmPrepareSleep(s);
            case IOPM_FINAL_CHECK -> iopmFinalCheck(s);
            case IOPM_WAKE -> iopmWake(s);
            case IOPM_SPURIOUS_WAKE -> iopmSpuriousWake(s);
            case IOPM_PUBLISH_BOGUS -> throw new IllegalArgumentException(
                    "IopmPublishBogus takes the bogus index: use iopmPublishBogus(s, p)");
            case VMM_TAKE_COMMAND -> vmmTakeCommand(s);
            case VMM_DECLARE_CONSOLE_BROKEN -> vmmDeclareConsoleBroken(s);
            case VMM_WRITE_ANSWER -> vmmWriteAnswer(s);
            case VMM_PUBLISH_ANSWERS -> vmmPublishAnswers(s);
            case VMM_NOTIFY_IOPM -> vmmNotifyIopm(s);
            case VMM_SEND_IPI -> vmmSendIpi(s);
            case VMM_SEE_IDLE -> vmmSeeIdle(s);
            case VMM_PREPARE_SLEEP -> vmmPrepareSleep(s);
            case VMM_FINAL_CHECK -> vmmFinalCheck(s);
            case VMM_WAKE -> vmmWake(s);
            case VMM_SPURIOUS_WAKE -> vmmSpuriousWake(s);
            case FINISHED -> done(s) ? Optional.of(s) : Optional.empty();
        };
    }

    /** Every enabled action and its successor ({@code Next}). */
    public List<Step> successors(MgmtRingState s) {
        List<Step> out = new ArrayList<>();
        for (MgmtRingAction a : MgmtRingAction.values()) {
            if (a == MgmtRingAction.IOPM_PUBLISH_BOGUS) {
                if (!c.peerFaults() || c.idxMod() > 1 << 16) continue;   // enumerable bounds only
                for (long p = 0; p < c.idxMod(); p++) iopmPublishBogus(s, p).ifPresent(n -> out.add(new Step(a, n)));
                continue;
            }
            take(a, s).ifPresent(n -> out.add(new Step(a, n)));
        }
        return out;
    }
}
