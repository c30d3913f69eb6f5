package coopvmm.model.boot;

import coopvmm.model.boot.BootState.Content;
import coopvmm.model.boot.BootState.Handoff;
import coopvmm.model.boot.BootState.Zone;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The actions of {@code BootHandoff.tla}, one method each, same name, same enabling condition
 * and effect: a method returns the successor state, or empty when the action is not enabled.
 * Actions under {@code \E a \in APs} take the AP {@code a} (1-based); {@code IopmStrayWrite}
 * also takes the unit. Not final: tests alter one action to show that the checks can fail.
 */
public class Boot {

    private final BootConfig c;

    public Boot(BootConfig config) {
        this.c = config;
    }

    public BootConfig config() {
        return c;
    }

    /** One transition: the action taken, its AP (0: none), its unit (-1: none), the successor. */
    public record Step(BootAction action, int ap, int unit, BootState next) {
    }

    // ---- helpers of the spec -----------------------------------------------------------

    /** {@code Started(a)}. */
    public static boolean started(BootState s, int a) {
        return s.apOf(a).running();
    }

    /** {@code Allowed(a)}: what AP a's segment limits and page tables allow it to write. */
    public static boolean allowed(BootState s, int a, int u) {
        Handoff h = s.handoffOf(a);
        return (u >= h.lo() && u < h.hi()) || u == h.shared();
    }

    /** {@code NextAp}: the boot loop moves on to the next AP, or ends. */
    protected BootState.Builder nextAp(BootState s, BootState.Builder b) {
        b.cur = s.cur() + 1;
        b.vmmPc = s.cur() == c.numAps() ? VmmPc.DONE : c.firstStep(s.cur() + 1);
        return b;
    }

    // ---- VMM: the boot loop --------------------------------------------------------------

    /** The VMM allocates the IOPM's zone from free memory. */
    public Optional<BootState> vmmAllocZone(BootState s) {
        if (s.vmmPc() != VmmPc.ALLOC || s.freeAt() + c.zoneSize() > c.memTop()) return Optional.empty();
        var b = s.with().zone(s.cur(), new Zone(s.freeAt(), s.freeAt() + c.zoneSize()));
        b.freeAt = s.freeAt() + c.zoneSize();
        b.vmmPc = VmmPc.HANDOFF;
        return Optional.of(b.build());
    }

    /** {@code HandoffOf(a)}: an IOPM's entry and bounds are its zone, a VMM AP's the VMM's. */
    public Handoff handoffOf(BootState s, int a) {
        if (c.vmmAp(a)) return new Handoff(c.oneMiB(), c.oneMiB(), c.vmmEnd(), c.sharedAt());
        Zone z = s.zoneOf(a);
        return new Handoff(z.lo(), z.lo(), z.hi(), c.sharedAt());
    }

    /** The VMM writes the next field of the hand-off block: entry, bounds, shared zone. */
    public Optional<BootState> vmmWriteHandoff(BootState s) {
        if (s.vmmPc() != VmmPc.HANDOFF) return Optional.empty();
        Handoff h = s.handoffOf(s.cur());
        Handoff w = handoffOf(s, s.cur());
        Handoff h2 = h.entry() == 0 ? new Handoff(w.entry(), h.lo(), h.hi(), h.shared())
                : h.lo() == 0 ? new Handoff(h.entry(), w.lo(), w.hi(), h.shared())
                : new Handoff(h.entry(), h.lo(), h.hi(), c.sharedAt());
        var b = s.with().handoff(s.cur(), h2);
        b.vmmPc = h.entry() != 0 && h.lo() != 0 ? VmmPc.RM : VmmPc.HANDOFF;
        return Optional.of(b.build());
    }

    /** The VMM copies the real-mode code below 1 MiB (a VMM AP's protected-mode code is the VMM's). */
    public Optional<BootState> vmmCopyRealMode(BootState s) {
        if (s.vmmPc() != VmmPc.RM) return Optional.empty();
        var b = s.with().mem(c.rmAt(s.cur()), Content.rm(s.cur()));
        b.vmmPc = c.vmmAp(s.cur()) ? VmmPc.INIT : VmmPc.PM;
        return Optional.of(b.build());
    }

    /** The VMM copies the next unit of the protected-mode code into the IOPM's zone. */
    public Optional<BootState> vmmCopyProtMode(BootState s) {
        if (s.vmmPc() != VmmPc.PM) return Optional.empty();
        var b = s.with().mem(s.zoneOf(s.cur()).lo() + s.copied(), Content.pm(s.cur()));
        boolean last = s.copied() + 1 == c.pmSize();
        b.copied = last ? 0 : s.copied() + 1;
        b.vmmPc = last ? VmmPc.INIT : VmmPc.PM;
        return Optional.of(b.build());
    }

    /** The VMM sends INIT: the AP resets and waits for a SIPI (a dead AP does not respond). */
    public Optional<BootState> vmmSendInit(BootState s) {
        if (s.vmmPc() != VmmPc.INIT) return Optional.empty();
        int a = s.cur();
        var b = s.with().tries(a, s.triesOf(a) + 1);
        if (!c.dead().contains(a)) b.ap(a, ApState.WAIT_SIPI);
        b.vmmPc = VmmPc.SIPI1;
        return Optional.of(b.build());
    }

    /** The VMM sends a SIPI: a waiting AP starts, a slow one loses it, any other ignores it. */
    public Optional<BootState> vmmSendSipi(BootState s) {
        if (s.vmmPc() != VmmPc.SIPI1 && s.vmmPc() != VmmPc.SIPI2) return Optional.empty();
        int a = s.cur();
        var b = s.with().sipis(a, s.sipisOf(a) + 1);
        if (s.apOf(a) == ApState.WAIT_SIPI && s.lateByOf(a) > 0) {
            b.lateBy(a, s.lateByOf(a) - 1);
        } else if (s.apOf(a) == ApState.WAIT_SIPI) {
            b.ap(a, ApState.REAL).starts(a, s.startsOf(a) + 1);
        }
        b.vmmPc = s.vmmPc() == VmmPc.SIPI1 ? VmmPc.SIPI2 : VmmPc.WAIT;
        return Optional.of(b.build());
    }

    /** The AP started: on to the next AP. */
    public Optional<BootState> vmmSeeStarted(BootState s) {
        if (s.vmmPc() != VmmPc.WAIT || !started(s, s.cur())) return Optional.empty();
        return Optional.of(nextAp(s, s.with()).build());
    }

    /** Timeout, the AP did not start: INIT-SIPI-SIPI again. */
    public Optional<BootState> vmmRetry(BootState s) {
        if (s.vmmPc() != VmmPc.WAIT || started(s, s.cur()) || s.triesOf(s.cur()) >= c.maxTries())
            return Optional.empty();
        var b = s.with();
        b.vmmPc = VmmPc.INIT;
        return Optional.of(b.build());
    }

    /** Timeout after the last try: the AP is declared failed; on to the next. */
    public Optional<BootState> vmmGiveUp(BootState s) {
        if (s.vmmPc() != VmmPc.WAIT || started(s, s.cur()) || s.triesOf(s.cur()) != c.maxTries())
            return Optional.empty();
        return Optional.of(nextAp(s, s.with().status(s.cur(), ApStatus.FAILED)).build());
    }

    // ---- VMM: serving the IOPMs ------------------------------------------------------------

    /** The BSP takes AP a's ready IPI and reads its ready flag. */
    public Optional<BootState> vmmSeeReady(BootState s, int a) {
        if (!s.ipiOf(a)) return Optional.empty();
        var b = s.with().ipi(a, false);
        if (s.readyFlagOf(a) && s.statusOf(a) == ApStatus.BOOTING) b.status(a, ApStatus.READY);
        return Optional.of(b.build());
    }

    /** AP a's IOPM faulted: declared failed. */
    public Optional<BootState> vmmSeeFault(BootState s, int a) {
        if (s.apOf(a) != ApState.FAULTED || s.statusOf(a) != ApStatus.BOOTING) return Optional.empty();
        return Optional.of(s.with().status(a, ApStatus.FAILED).build());
    }

    /** The VMM queues work to an IOPM it saw ready. */
    public Optional<BootState> vmmQueueWork(BootState s, int a) {
        if (c.vmmAp(a) || s.statusOf(a) != ApStatus.READY || s.workOf(a) >= c.maxWork()) return Optional.empty();
        return Optional.of(s.with().work(a, s.workOf(a) + 1).build());
    }

    // ---- the APs and their IOPMs ---------------------------------------------------------------

    /** The real-mode code switches to protected mode (limits from the hand-off block). */
    public Optional<BootState> apSwitchToProtected(BootState s, int a) {
        if (s.apOf(a) != ApState.REAL) return Optional.empty();
        return Optional.of(s.with().ap(a, ApState.PROT).build());
    }

    /** The AP jumps to the protected-mode entry: the IOPM. */
    public Optional<BootState> apEnterIopm(BootState s, int a) {
        if (c.vmmAp(a) || s.apOf(a) != ApState.PROT) return Optional.empty();
        return Optional.of(s.with().ap(a, ApState.SETUP).build());
    }

    /** A VMM AP jumps to the VMM's AP entry and signals ready (flag, IPI). */
    public Optional<BootState> apEnterVmm(BootState s, int a) {
        if (!c.vmmAp(a) || s.apOf(a) != ApState.PROT) return Optional.empty();
        return Optional.of(s.with().ap(a, ApState.VMM).readyFlag(a, true).ipi(a, true).build());
    }

    /** The IOPM sets up: its data in the last unit of its zone. */
    public Optional<BootState> iopmSetUp(BootState s, int a) {
        if (s.apOf(a) != ApState.SETUP) return Optional.empty();
        return Optional.of(s.with().mem(s.handoffOf(a).hi() - 1, Content.data(a))
                .ap(a, ApState.SETUP_DONE).build());
    }

    /** The IOPM sets its ready flag in the shared zone and sends the IPI. */
    public Optional<BootState> iopmSignalReady(BootState s, int a) {
        if (s.apOf(a) != ApState.SETUP_DONE) return Optional.empty();
        return Optional.of(s.with().readyFlag(a, true).ipi(a, true).ap(a, ApState.READY).build());
    }

    /** Fault: rogue IOPM a writes unit u outside what it may write; the hardware faults it. */
    public Optional<BootState> iopmStrayWrite(BootState s, int a, int u) {
        if (!c.rogue().contains(a) || (s.apOf(a) != ApState.SETUP && s.apOf(a) != ApState.SETUP_DONE)
                || u < 0 || u >= c.memTop() || allowed(s, a, u)) return Optional.empty();
        return Optional.of(s.with().ap(a, ApState.FAULTED).build());
    }

    // ---- the whole next-state relation ---------------------------------------------------------

    /** {@code Done}: every AP booted or given up, every ready IOPM has its work. */
    public boolean done(BootState s) {
        if (s.vmmPc() != VmmPc.DONE) return false;
        for (int a = 1; a <= c.numAps(); a++) {
            boolean settled = s.statusOf(a) == ApStatus.FAILED
                    || s.statusOf(a) == ApStatus.READY && (c.vmmAp(a) || s.workOf(a) == c.maxWork());
            if (!settled) return false;
        }
        return true;
    }

    /** {@code Finished}: stutter once done. */
    public Optional<BootState> finished(BootState s) {
        return done(s) ? Optional.of(s) : Optional.empty();
    }

    /**
     * Takes action {@code act} on AP {@code a} (ignored by the boot loop's actions and
     * {@code Finished}) and, for {@code IopmStrayWrite}, unit {@code u}.
     */
    public Optional<BootState> take(BootAction act, BootState s, int a, int u) {
        if (act.perAp() && (a < 1 || a > c.numAps())) return Optional.empty();
        return switch (act) {
            case VMM_ALLOC_ZONE -> vmmAllocZone(s);
            case VMM_WRITE_HANDOFF -> vmmWriteHandoff(s);
            case VMM_COPY_REAL_MODE -> vmmCopyRealMode(s);
            case VMM_COPY_PROT_MODE -> vmmCopyProtMode(s);
            case VMM_SEND_INIT -> vmmSendInit(s);
            case VMM_SEND_SIPI -> vmmSendSipi(s);
            case VMM_SEE_STARTED -> vmmSeeStarted(s);
            case VMM_RETRY -> vmmRetry(s);
            case VMM_GIVE_UP -> vmmGiveUp(s);
            case VMM_SEE_READY -> vmmSeeReady(s, a);
            case VMM_SEE_FAULT -> vmmSeeFault(s, a);
            case VMM_QUEUE_WORK -> vmmQueueWork(s, a);
            case AP_SWITCH_TO_PROTECTED -> apSwitchToProtected(s, a);
            case AP_ENTER_IOPM -> apEnterIopm(s, a);
            case IOPM_SET_UP -> iopmSetUp(s, a);
            case IOPM_SIGNAL_READY -> iopmSignalReady(s, a);
            case AP_ENTER_VMM -> apEnterVmm(s, a);
            case IOPM_STRAY_WRITE -> iopmStrayWrite(s, a, u);
            case FINISHED -> finished(s);
        };
    }

    /** Every enabled action, with its AP and unit, and its successor ({@code Next}). */
    public List<Step> successors(BootState s) {
        List<Step> out = new ArrayList<>();
        for (BootAction act : BootAction.values()) {
            if (!act.perAp()) {
                take(act, s, 0, -1).ifPresent(n -> out.add(new Step(act, 0, -1, n)));
                continue;
            }
            for (int a = 1; a <= c.numAps(); a++) {
                if (act == BootAction.IOPM_STRAY_WRITE) {
                    for (int u = 0; u < c.memTop(); u++) {
                        int ap = a, unit = u;
                        iopmStrayWrite(s, a, u).ifPresent(n -> out.add(new Step(act, ap, unit, n)));
                    }
                    continue;
                }
                int ap = a;
                take(act, s, a, -1).ifPresent(n -> out.add(new Step(act, ap, -1, n)));
            }
        }
        return out;
    }
}
