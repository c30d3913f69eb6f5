package coopvmm.model.irq;

import coopvmm.model.History;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The safety invariants of {@code IrqRouting.tla}, same names, as Java predicates. */
public final class IrqInvariants {

    private final IrqConfig c;

    public IrqInvariants(IrqConfig config) {
        this.c = config;
    }

    public boolean typeOK(IrqState s) {
        if (!typeOKButHistory(s)) return false;
        for (int d = 1; d <= c.nDev(); d++)
            for (int k : s.done(d)) if (k < 1 || k > c.maxIrq()) return false;
        return true;
    }

    /** {@code TypeOK} but the elements of {@code done}, which grows with the run. */
    private boolean typeOKButHistory(IrqState s) {
        if (s.raised().size() != c.nDev() || s.route().size() != c.nDev() || s.done().size() != c.nDev())
            return false;
        for (List<?> f : List.of(s.failed(), s.miss(), s.pend(), s.ringReq(), s.beat(), s.up(),
                s.iopmIsr(), s.tickIopm()))
            if (f.size() != c.nIopm()) return false;
        for (int d = 1; d <= c.nDev(); d++) {
            if (s.raised(d) < 0 || s.raised(d) > c.maxIrq()) return false;
            if (s.route(d) < 0 || s.route(d) > c.nIopm()) return false;
        }
        if (!s.ioapic().stream().allMatch(this::isIrq)) return false;
        if (!s.vmmIsr().isNone() && !isIrq(s.vmmIsr())) return false;
        for (int i = 1; i <= c.nIopm(); i++) {
            if (s.miss(i) < 0 || s.miss(i) > c.missLimit()) return false;
            if (s.ringReq(i) < 0 || s.ringReq(i) > c.maxReq()) return false;
            if (!s.pend(i).stream().allMatch(this::isIrq)) return false;
            if (!s.iopmIsr(i).isNone() && !isIrq(s.iopmIsr(i))) return false;
        }
        return s.issued() >= 0 && s.issued() <= c.maxReq() && s.answered() >= 0 && s.answered() <= c.maxReq();
    }

    public boolean noDeliveryToFailed(IrqState s) {
        for (int i = 1; i <= c.nIopm(); i++)
            if (s.failed(i) && (!s.pend(i).isEmpty() || s.ringReq(i) != 0)) return false;
        return true;
    }

    public boolean routedToLive(IrqState s) {
        for (int d = 1; d <= c.nDev(); d++) {
            int r = s.route(d);
            if (c.vmmDev(d) ? r != 0 : r < 1 || r > c.nIopm() || s.failed(r)) return false;
        }
        return true;
    }

    public boolean noFalseFailure(IrqState s) {
        for (int i = 1; i <= c.nIopm(); i++) if (s.failed(i) && s.up(i)) return false;
        return true;
    }

    public boolean ackAfterHandle(IrqState s) {
        for (int i : s.live()) {
            IrqId x = s.iopmIsr(i);
            if (!x.isNone() && (s.pend(i).isEmpty() || !s.pend(i).get(0).equals(x))) return false;
        }
        return true;
    }

    public boolean handledAtMostOnce(IrqState s) {
        for (List<Integer> d : s.done()) if (new HashSet<>(d).size() != d.size()) return false;
        return true;
    }

    public boolean perDeviceOrder(IrqState s) {
        for (List<Integer> d : s.done())
            for (int a = 0; a + 1 < d.size(); a++) if (d.get(a) > d.get(a + 1)) return false;
        return true;
    }

    public boolean handledWereRaised(IrqState s) {
        for (int d = 1; d <= c.nDev(); d++)
            for (int k : s.done(d)) if (k < 1 || k > s.raised(d)) return false;
        return true;
    }

    /** {@code Held}: where an unhandled interrupt may be. */
    public Set<IrqId> held(IrqState s) {
        Set<IrqId> h = new HashSet<>(s.ioapic());
        h.add(s.vmmIsr());
        for (int i : s.live()) {
            h.addAll(s.pend(i));
            h.add(s.iopmIsr(i));
        }
        return h;
    }

    public boolean noLostInterrupt(IrqState s) {
        Set<IrqId> h = held(s);
        for (int d = 1; d <= c.nDev(); d++) {
            // a set of the handled ones, not a scan of the list per raised one: linear, not
            // quadratic, in the run's interrupts (the replay checks this after every event)
            Set<Integer> handled = new HashSet<>(s.done(d));
            for (int k = 1; k <= s.raised(d); k++)
                if (!handled.contains(k) && !h.contains(new IrqId(d, k))) return false;
        }
        return true;
    }

    public boolean balanced(IrqState s) {
        List<Integer> live = s.live();
        if (live.isEmpty()) return true;
        int bound = IrqConfig.ceilDiv(c.iopmDevs(), live.size());
        for (int i : live) if (IrqState.load(s.route(), i) > bound) return false;
        return true;
    }

    public boolean requestsConserved(IrqState s) {
        return s.issued() == s.answered() + s.ringReq().stream().mapToInt(Integer::intValue).sum();
    }

    /** The names of the invariants {@code s} violates, in the order of {@code IrqRouting.cfg}. */
    public List<String> violated(IrqState s) {
        List<String> v = new ArrayList<>();
        if (!typeOK(s)) v.add("TypeOK");
        if (!noDeliveryToFailed(s)) v.add("NoDeliveryToFailed");
        if (!routedToLive(s)) v.add("RoutedToLive");
        if (!noFalseFailure(s)) v.add("NoFalseFailure");
        if (!ackAfterHandle(s)) v.add("AckAfterHandle");
        if (!handledAtMostOnce(s)) v.add("HandledAtMostOnce");
        if (!perDeviceOrder(s)) v.add("PerDeviceOrder");
        if (!handledWereRaised(s)) v.add("HandledWereRaised");
        if (!noLostInterrupt(s)) v.add("NoLostInterrupt");
        if (!balanced(s)) v.add("Balanced");
        if (!requestsConserved(s)) v.add("RequestsConserved");
        return v;
    }

    /**
     * The same verdict as {@link #violated(IrqState) violated(t)}, in O(1) per step (in the
     * run's length: the queues and the counts of devices and IOPMs are what they are), for a
     * step {@code s -> t} out of a state {@code s} that violates nothing, as a replay's steps
     * are. Only {@code done} grows with the run, so only its newest element is looked at: if
     * each history is the one of {@code s} or it with one element {@code k} appended, and
     * {@code k} is above the one before it and at most {@code raised[d]} (which never shrinks),
     * then TypeOK's part of it, HandledAtMostOnce, PerDeviceOrder and HandledWereRaised hold of
     * {@code t} as a whole. NoLostInterrupt then needs only the held interrupts: each
     * {@code done[d]} is a strictly increasing part of 1..raised[d], so its unhandled ones are
     * all held exactly when raised[d] - Len(done[d]) of the held ones of d are unhandled. When
     * a check fails the whole list is computed, so the names are exactly those of
     * {@code violated(t)}.
     */
    public List<String> violatedAfter(IrqState s, IrqState t) {
        return stepHolds(s, t) ? List.of() : violated(t);
    }

    private boolean stepHolds(IrqState s, IrqState t) {
        if (!typeOKButHistory(t) || s.raised().size() != c.nDev() || s.done().size() != c.nDev()) return false;
        for (int d = 1; d <= c.nDev(); d++) {
            if (t.raised(d) < s.raised(d)) return false;
            History now = t.done(d), before = s.done(d);
            if (now == before) continue;
            if (!now.isAppendOf(before)) return false;            // not one append: the full check decides
            int k = now.last();
            if (k < 1 || k > t.raised(d) || (!before.isEmpty() && k <= before.last())) return false;
        }
        return noDeliveryToFailed(t) && routedToLive(t) && noFalseFailure(t) && ackAfterHandle(t)
                && heldCoverUnhandled(t) && balanced(t) && requestsConserved(t);
    }

    /** NoLostInterrupt, for a state whose every {@code done[d]} is strictly increasing within 1..raised[d]. */
    private boolean heldCoverUnhandled(IrqState t) {
        int[] heldUnhandled = new int[c.nDev() + 1];
        for (IrqId x : held(t)) {
            if (x.isNone()) continue;
            int d = x.dev();
            if (x.k() >= 1 && x.k() <= t.raised(d) && Collections.binarySearch(t.done(d), x.k()) < 0) heldUnhandled[d]++;
        }
        for (int d = 1; d <= c.nDev(); d++)
            if (heldUnhandled[d] != t.raised(d) - t.done(d).size()) return false;
        return true;
    }

    private boolean isIrq(IrqId x) {
        return x.dev() >= 1 && x.dev() <= c.nDev() && x.k() >= 1 && x.k() <= c.maxIrq();
    }
}
