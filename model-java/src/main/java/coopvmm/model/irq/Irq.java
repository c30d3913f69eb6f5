package coopvmm.model.irq;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static coopvmm.model.Seqs.append;
import static coopvmm.model.irq.IrqState.set;
import static coopvmm.model.Seqs.tail;

/**
 * The actions of {@code IrqRouting.tla}, one method each, same name, same enabling condition
 * and effect: a method returns the successor state, or empty when the action is not enabled.
 * Parameterised actions ({@code DeviceRaise(d)}, {@code IopmTake(i)}, ...) take the parameter.
 * Not final: tests alter one action to show that the checks can fail.
 */
public class Irq {

    private final IrqConfig c;

    public Irq(IrqConfig config) {
        this.c = config;
    }

    public IrqConfig config() {
        return c;
    }

    /** One transition: the action taken, its parameter (0 if none), and the state it leads to. */
    public record Step(IrqAction action, int param, IrqState next) {
    }

    // ---- environment ---------------------------------------------------------------------

    /** Device d raises its next interrupt; the IOAPIC sends it to the BSP. */
    public Optional<IrqState> deviceRaise(IrqState s, int d) {
        if (d < 1 || d > c.nDev() || s.nRaised() >= c.maxIrq()) return Optional.empty();
        var b = s.with();
        b.raised = set(s.raised(), d, s.raised(d) + 1);
        b.ioapic = append(s.ioapic(), new IrqId(d, s.raised(d) + 1));
        return Optional.of(b.build());
    }

    /**
     * The clock ticks at the BSP and every AP; the VMM's tick handler counts missed beats.
     * Enabled only when every running IOPM took the previous tick (the timing assumption).
     */
    public Optional<IrqState> clockTick(IrqState s) {
        for (int i = 1; i <= c.nIopm(); i++) if (s.up(i) && s.tickIopm(i)) return Optional.empty();
        var b = s.with();
        b.miss = missAfterCheck(s);
        b.beat = nCopies(c.nIopm(), false);
        b.tickIopm = nCopies(c.nIopm(), true);
        return Optional.of(b.build());
    }

    /** The VMM's heartbeat check: a beat resets the miss count, none adds one (capped). */
    protected List<Integer> missAfterCheck(IrqState s) {
        List<Integer> miss = new ArrayList<>();
        for (int i = 1; i <= c.nIopm(); i++) {
            int m = s.miss(i);
            miss.add(s.failed(i) ? m : s.beat(i) ? 0 : m < c.missLimit() ? m + 1 : m);
        }
        return miss;
    }

    /** IOPM i stops for good (crash or hang); at most MaxCrash IOPMs stop. */
    public Optional<IrqState> iopmStop(IrqState s, int i) {
        if (!iopm(i) || !s.up(i)) return Optional.empty();
        long down = s.up().stream().filter(u -> !u).count();
        if (down >= c.maxCrash()) return Optional.empty();
        var b = s.with();
        b.up = set(s.up(), i, false);
        return Optional.of(b.build());
    }

    // ---- VMM actions ---------------------------------------------------------------------

    /** The VMM accepts the oldest interrupt from the IOAPIC, its in-service register empty. */
    public Optional<IrqState> vmmAccept(IrqState s) {
        if (!s.vmmIsr().isNone() || s.ioapic().isEmpty()) return Optional.empty();
        var b = s.with();
        b.vmmIsr = s.ioapic().get(0);
        b.ioapic = tail(s.ioapic());
        return Optional.of(b.build());
    }

    /** A VMM device's interrupt: the VMM's driver handles it, then the EOI. */
    public Optional<IrqState> vmmHandle(IrqState s) {
        IrqId x = s.vmmIsr();
        if (x.isNone() || s.route(x.dev()) != 0) return Optional.empty();
        var b = s.with();
        b.done = IrqState.handled(s.done(), x.dev(), x.k());
        b.vmmIsr = IrqId.NONE;
        return Optional.of(b.build());
    }

    /** An IOPM device's interrupt: marked pending for its IOPM, IPI, then the EOI. */
    public Optional<IrqState> vmmRoute(IrqState s) {
        IrqId x = s.vmmIsr();
        if (x.isNone() || s.route(x.dev()) == 0) return Optional.empty();
        int i = s.route(x.dev());
        var b = s.with();
        b.pend = set(s.pend(), i, append(s.pend(i), x));
        b.vmmIsr = IrqId.NONE;
        return Optional.of(b.build());
    }

    /** A guest's I/O request goes on the ring of IOPM i, one the VMM uses. */
    public Optional<IrqState> vmmRequest(IrqState s, int i) {
        if (!iopm(i) || s.issued() >= c.maxReq() || s.failed(i)) return Optional.empty();
        var b = s.with();
        b.ringReq = set(s.ringReq(), i, s.ringReq(i) + 1);
        b.issued = s.issued() + 1;
        return Optional.of(b.build());
    }

    /**
     * IOPM f missed MissLimit beats: marked failed, its devices rebalanced over the live
     * IOPMs, its unacknowledged interrupts re-delivered, its ring requests re-queued.
     */
    public Optional<IrqState> vmmDetectFailure(IrqState s, int f) {
        if (!iopm(f) || s.failed(f) || s.miss(f) < c.missLimit()) return Optional.empty();
        List<Integer> others = new ArrayList<>(s.live());
        others.remove(Integer.valueOf(f));
        if (others.isEmpty()) return Optional.empty();
        List<Integer> r = newRoute(s, f, others);
        var b = s.with();
        b.route = r;
        b.pend = redeliver(s, f, r);
        int to = requeueTo(r, others);
        List<Integer> req = new ArrayList<>(s.ringReq());
        req.set(to - 1, s.ringReq(to) + s.ringReq(f));
        req.set(f - 1, 0);
        b.ringReq = req;
        b.failed = set(s.failed(), f, true);
        b.iopmIsr = set(s.iopmIsr(), f, IrqId.NONE);
        return Optional.of(b.build());
    }

    /**
     * {@code NewRoute(f)} = {@code Rebalance}: each device of f, lowest first, moves to the
     * IOPM of {@code live} with the fewest devices, lowest id on a tie.
     */
    protected List<Integer> newRoute(IrqState s, int f, List<Integer> live) {
        List<Integer> r = new ArrayList<>(s.route());
        for (int d = 1; d <= c.nDev(); d++) {
            if (s.route(d) != f) continue;
            List<Integer> load = new ArrayList<>();
            for (int i = 1; i <= c.nIopm(); i++) load.add(IrqState.load(r, i));
            r.set(d - 1, argMin(load, live));
        }
        return r;
    }

    /** {@code RequeueTo(f, r)}: the lowest-numbered live IOPM other than f (r is not used). */
    public int requeueTo(List<Integer> r, List<Integer> others) {
        return others.stream().min(Integer::compare).orElseThrow();
    }

    /** {@code Redeliver(f, r)}: f's pending list, in order, to each device's new IOPM. */
    protected List<List<IrqId>> redeliver(IrqState s, int f, List<Integer> r) {
        List<List<IrqId>> out = new ArrayList<>();
        for (int i = 1; i <= c.nIopm(); i++) {
            if (i == f) { out.add(List.of()); continue; }
            List<IrqId> p = new ArrayList<>(s.pend(i));
            for (IrqId x : s.pend(f)) if (r.get(x.dev() - 1) == i) p.add(x);
            out.add(p);
        }
        return out;
    }

    /** {@code ArgMin(f, L)}: the i in L with the least f[i], lowest on a tie. */
    static int argMin(List<Integer> f, List<Integer> live) {
        int best = -1;
        for (int i : live) if (best < 0 || f.get(i - 1) < f.get(best - 1) || (f.get(i - 1).equals(f.get(best - 1)) && i < best)) best = i;
        return best;
    }

    // ---- IOPM actions --------------------------------------------------------------------

    /** IOPM i, idle, takes its oldest pending interrupt (still unacknowledged). */
    public Optional<IrqState> iopmTake(IrqState s, int i) {
        if (!iopm(i) || !s.up(i) || !s.iopmIsr(i).isNone() || s.pend(i).isEmpty()) return Optional.empty();
        var b = s.with();
        b.iopmIsr = set(s.iopmIsr(), i, s.pend(i).get(0));
        return Optional.of(b.build());
    }

    /** IOPM i handles its interrupt, then acknowledges it (off its pending list). */
    public Optional<IrqState> iopmHandle(IrqState s, int i) {
        if (!iopm(i) || !s.up(i) || s.iopmIsr(i).isNone()) return Optional.empty();
        IrqId x = s.iopmIsr(i);
        var b = s.with();
        b.done = IrqState.handled(s.done(), x.dev(), x.k());
        b.pend = set(s.pend(), i, tail(s.pend(i)));
        b.iopmIsr = set(s.iopmIsr(), i, IrqId.NONE);
        return Optional.of(b.build());
    }

    /** IOPM i answers one request on its ring. */
    public Optional<IrqState> iopmAnswer(IrqState s, int i) {
        if (!iopm(i) || !s.up(i) || s.ringReq(i) == 0) return Optional.empty();
        var b = s.with();
        b.ringReq = set(s.ringReq(), i, s.ringReq(i) - 1);
        b.answered = s.answered() + 1;
        return Optional.of(b.build());
    }

    /** IOPM i takes its tick and beats its heartbeat. */
    public Optional<IrqState> iopmTick(IrqState s, int i) {
        if (!iopm(i) || !s.up(i) || !s.tickIopm(i)) return Optional.empty();
        var b = s.with();
        b.tickIopm = set(s.tickIopm(), i, false);
        b.beat = set(s.beat(), i, true);
        return Optional.of(b.build());
    }

    // ---- the whole next-state relation ---------------------------------------------------

    /** Takes action {@code a} with parameter {@code p} (ignored by parameterless actions). */
    public Optional<IrqState> take(IrqAction a, IrqState s, int p) {
        return switch (a) {
            case DEVICE_RAISE -> deviceRaise(s, p);
            case CLOCK_TICK -> clockTick(s);
            case IOPM_STOP -> iopmStop(s, p);
            case VMM_ACCEPT -> vmmAccept(s);
            case VMM_HANDLE -> vmmHandle(s);
            case VMM_ROUTE -> vmmRoute(s);
            case VMM_REQUEST -> vmmRequest(s, p);
            case VMM_DETECT_FAILURE -> vmmDetectFailure(s, p);
            case IOPM_TAKE -> iopmTake(s, p);
            case IOPM_HANDLE -> iopmHandle(s, p);
            case IOPM_ANSWER -> iopmAnswer(s, p);
            case IOPM_TICK -> iopmTick(s, p);
        };
    }

    /** The parameters action {@code a} ranges over: devices, IOPMs, or just 0. */
    public List<Integer> params(IrqAction a) {
        int n = switch (a.param()) {
            case NONE -> 0;
            case DEVICE -> c.nDev();
            case IOPM -> c.nIopm();
        };
        List<Integer> out = new ArrayList<>();
        if (n == 0) out.add(0);
        for (int k = 1; k <= n; k++) out.add(k);
        return out;
    }

    /** Every enabled action (with its parameter) and its successor ({@code Next}). */
    public List<Step> successors(IrqState s) {
        List<Step> out = new ArrayList<>();
        for (IrqAction a : IrqAction.values())
            for (int p : params(a)) take(a, s, p).ifPresent(n -> out.add(new Step(a, p, n)));
        return out;
    }

    private boolean iopm(int i) {
        return i >= 1 && i <= c.nIopm();
    }

    static <T> List<T> nCopies(int n, T x) {
        return java.util.Collections.nCopies(n, x);
    }
}
