package coopvmm.model.irq;

import coopvmm.model.History;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One state of {@code IrqRouting.tla}: a field per spec variable, same names, immutable.
 * A function with domain 1..n is a List whose element 0 is the value at 1 (use the
 * 1-based accessors {@code raised(d)}, {@code pend(i)}, ...). The history {@code done} holds
 * {@link History} values, which a step extends in O(1): it grows with the run, the rest does not.
 */
public record IrqState(
        // devices and the IOAPIC
        List<Integer> raised, List<IrqId> ioapic,
        // VMM
        IrqId vmmIsr, List<Integer> route, List<Boolean> failed, List<Integer> miss,
        int issued, int answered,
        // shared zone
        List<List<IrqId>> pend, List<Integer> ringReq, List<Boolean> beat,
        // IOPMs
        List<Boolean> up, List<IrqId> iopmIsr,
        // clock
        List<Boolean> tickIopm,
        // history
        List<History> done) {

    public IrqState {
        raised = List.copyOf(raised);
        ioapic = List.copyOf(ioapic);
        route = List.copyOf(route);
        failed = List.copyOf(failed);
        miss = List.copyOf(miss);
        pend = pend.stream().map(List::copyOf).toList();
        ringReq = List.copyOf(ringReq);
        beat = List.copyOf(beat);
        up = List.copyOf(up);
        iopmIsr = List.copyOf(iopmIsr);
        tickIopm = List.copyOf(tickIopm);
        done = done.stream().map(History::of).toList();
    }

    /** {@code Init}. */
    public static IrqState init(IrqConfig c) {
        List<Integer> route = new ArrayList<>();
        for (int d = 1; d <= c.nDev(); d++) route.add(c.initRoute(d));
        return new IrqState(
                Collections.nCopies(c.nDev(), 0), List.of(), IrqId.NONE, route,
                Collections.nCopies(c.nIopm(), false), Collections.nCopies(c.nIopm(), 0), 0, 0,
                Collections.nCopies(c.nIopm(), List.of()), Collections.nCopies(c.nIopm(), 0),
                Collections.nCopies(c.nIopm(), true), Collections.nCopies(c.nIopm(), true),
                Collections.nCopies(c.nIopm(), IrqId.NONE), Collections.nCopies(c.nIopm(), false),
                Collections.nCopies(c.nDev(), History.empty()));
    }

    // 1-based accessors, as the spec indexes
    public int raised(int d) { return raised.get(d - 1); }
    public int route(int d) { return route.get(d - 1); }
    public boolean failed(int i) { return failed.get(i - 1); }
    public int miss(int i) { return miss.get(i - 1); }
    public List<IrqId> pend(int i) { return pend.get(i - 1); }
    public int ringReq(int i) { return ringReq.get(i - 1); }
    public boolean beat(int i) { return beat.get(i - 1); }
    public boolean up(int i) { return up.get(i - 1); }
    public IrqId iopmIsr(int i) { return iopmIsr.get(i - 1); }
    public boolean tickIopm(int i) { return tickIopm.get(i - 1); }
    public History done(int d) { return done.get(d - 1); }

    /** {@code NRaised}. */
    public int nRaised() {
        return raised.stream().mapToInt(Integer::intValue).sum();
    }

    /** {@code NHandled}. */
    public int nHandled() {
        return done.stream().mapToInt(History::size).sum();
    }

    /** {@code Live}: the IOPMs the VMM still uses, ascending. */
    public List<Integer> live() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= failed.size(); i++) if (!failed(i)) out.add(i);
        return out;
    }

    /** {@code Load(route, i)}. */
    public static int load(List<Integer> route, int i) {
        int n = 0;
        for (int r : route) if (r == i) n++;
        return n;
    }

    /** A copy-with builder: actions change a few fields and keep the rest. */
    public Builder with() {
        return new Builder(this);
    }

    /** Mutable only while an action builds its successor. */
    public static final class Builder {
        public List<Integer> raised, route, miss, ringReq;
        public List<IrqId> ioapic, iopmIsr;
        public IrqId vmmIsr;
        public List<Boolean> failed, beat, up, tickIopm;
        public int issued, answered;
        public List<List<IrqId>> pend;
        public List<History> done;

        Builder(IrqState s) {
            raised = s.raised; ioapic = s.ioapic; vmmIsr = s.vmmIsr; route = s.route;
            failed = s.failed; miss = s.miss; issued = s.issued; answered = s.answered;
            pend = s.pend; ringReq = s.ringReq; beat = s.beat; up = s.up; iopmIsr = s.iopmIsr;
            tickIopm = s.tickIopm; done = s.done;
        }

        public IrqState build() {
            return new IrqState(raised, ioapic, vmmIsr, route, failed, miss, issued, answered,
                    pend, ringReq, beat, up, iopmIsr, tickIopm, done);
        }
    }

    /** {@code [done EXCEPT ![d] = Append(@, k)]}: device d handled its k-th interrupt, in O(1) for the history. */
    public static List<History> handled(List<History> done, int d, int k) {
        return set(done, d, done.get(d - 1).append(k));
    }

    /** {@code [f EXCEPT ![k] = x]} for a function with domain 1..n. */
    public static <T> List<T> set(List<T> f, int k, T x) {
        List<T> r = new ArrayList<>(f);
        r.set(k - 1, x);
        return r;
    }

}
