package coopvmm.model.guestio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One state of {@code GuestIo.tla}: a field per spec variable, same names, immutable. A
 * function with domain 1..n is a List whose element 0 is the value at 1 (use the 1-based
 * accessors {@code rip(v)}, {@code reqQ(i)}, ...); {@code execs}, {@code computed} and
 * {@code completions} are indexed [vCPU][instruction], {@code dev} by disk.
 */
public record GuestIoState(
        // the guests
        List<Integer> rip, List<Integer> rax, List<Mode> mode, List<Exit> exit,
        // the VMM's view of the IOPMs
        List<Integer> route, List<Boolean> failed,
        // the shared zone
        List<List<Request>> reqQ, List<List<Response>> rspQ,
        // the IOPMs and their devices
        List<Boolean> up, List<Disk> dev,
        // history
        List<List<Integer>> execs, List<List<Integer>> computed, List<List<Integer>> completions,
        List<Integer> appliedFrom,
        // management
        List<List<Command>> cmdQ, List<List<Answer>> ansQ, int issued, List<Answer> answered) {

    public GuestIoState {
        rip = List.copyOf(rip);
        rax = List.copyOf(rax);
        mode = List.copyOf(mode);
        exit = List.copyOf(exit);
        route = List.copyOf(route);
        failed = List.copyOf(failed);
        reqQ = reqQ.stream().map(List::copyOf).toList();
        rspQ = rspQ.stream().map(List::copyOf).toList();
        up = List.copyOf(up);
        dev = List.copyOf(dev);
        execs = execs.stream().map(List::copyOf).toList();
        computed = computed.stream().map(List::copyOf).toList();
        completions = completions.stream().map(List::copyOf).toList();
        appliedFrom = List.copyOf(appliedFrom);
        cmdQ = cmdQ.stream().map(List::copyOf).toList();
        ansQ = ansQ.stream().map(List::copyOf).toList();
        answered = List.copyOf(answered);
    }

    /** {@code Init}. */
    public static GuestIoState init(GuestIoConfig c) {
        List<Integer> route = new ArrayList<>();
        for (int d = 1; d <= c.nDev(); d++) route.add(c.initRoute(d));
        List<List<Integer>> zeros = Collections.nCopies(c.nVcpu(), Collections.nCopies(c.nInsn(), 0));
        List<Integer> ids = new ArrayList<>();
        List<Mode> modes = new ArrayList<>();
        for (int v = 1; v <= c.nVcpu(); v++) {
            ids.add(v);                                    // the VMM enters each guest with its id in AL
            modes.add(c.managed(v) ? Mode.ABSENT : Mode.GUEST);
        }
        return new GuestIoState(
                Collections.nCopies(c.nVcpu(), GuestIoConfig.BASE), ids,
                modes, Collections.nCopies(c.nVcpu(), Exit.NONE),
                route, Collections.nCopies(c.nIopm(), false),
                Collections.nCopies(c.nIopm(), List.of()), Collections.nCopies(c.nIopm(), List.of()),
                Collections.nCopies(c.nIopm(), true), Collections.nCopies(c.nDev(), Disk.blank(c)),
                zeros, zeros, zeros, Collections.nCopies(c.nVcpu(), 0),
                Collections.nCopies(c.nIopm(), List.of()), Collections.nCopies(c.nIopm(), List.of()), 0, List.of());
    }

    // 1-based accessors, as the spec indexes
    public int rip(int v) { return rip.get(v - 1); }
    public int rax(int v) { return rax.get(v - 1); }
    public Mode mode(int v) { return mode.get(v - 1); }
    public Exit exit(int v) { return exit.get(v - 1); }
    public int route(int d) { return route.get(d - 1); }
    public boolean failed(int i) { return failed.get(i - 1); }
    public List<Request> reqQ(int i) { return reqQ.get(i - 1); }
    public List<Response> rspQ(int i) { return rspQ.get(i - 1); }
    public boolean up(int i) { return up.get(i - 1); }
    /** Disk controller d. */
    public Disk dev(int d) { return dev.get(d - 1); }
    public int execs(int v, int k) { return execs.get(v - 1).get(k - 1); }
    public int computed(int v, int k) { return computed.get(v - 1).get(k - 1); }
    public int completions(int v, int k) { return completions.get(v - 1).get(k - 1); }
    public int appliedFrom(int v) { return appliedFrom.get(v - 1); }
    public List<Command> cmdQ(int i) { return cmdQ.get(i - 1); }
    public List<Answer> ansQ(int i) { return ansQ.get(i - 1); }

    /** {@code Live}: the IOPMs the VMM still uses, ascending. */
    public List<Integer> live() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= failed.size(); i++) if (!failed(i)) out.add(i);
        return out;
    }

    /** A copy-with builder: actions change a few fields and keep the rest. */
    public Builder with() {
        return new Builder(this);
    }

    /** Mutable only while an action builds its successor. */
    public static final class Builder {
        public List<Integer> rip, rax, route, appliedFrom;
        public List<Mode> mode;
        public List<Exit> exit;
        public List<Boolean> failed, up;
        public List<List<Request>> reqQ;
        public List<List<Response>> rspQ;
        public List<Disk> dev;
        public List<List<Integer>> execs, computed, completions;
        public List<List<Command>> cmdQ;
        public List<List<Answer>> ansQ;
        public int issued;
        public List<Answer> answered;

        Builder(GuestIoState s) {
            rip = s.rip; rax = s.rax; mode = s.mode; exit = s.exit; route = s.route;
            failed = s.failed; reqQ = s.reqQ; rspQ = s.rspQ; up = s.up; dev = s.dev;
            execs = s.execs; computed = s.computed; completions = s.completions;
            appliedFrom = s.appliedFrom;
            cmdQ = s.cmdQ; ansQ = s.ansQ; issued = s.issued; answered = s.answered;
        }

        public GuestIoState build() {
            return new GuestIoState(rip, rax, mode, exit, route, failed, reqQ, rspQ, up, dev,
                    execs, computed, completions, appliedFrom, cmdQ, ansQ, issued, answered);
        }
    }

    /** {@code [f EXCEPT ![k] = x]} for a function with domain 1..n. */
    public static <T> List<T> set(List<T> f, int k, T x) {
        List<T> r = new ArrayList<>(f);
        r.set(k - 1, x);
        return r;
    }

    /** {@code [f EXCEPT ![v][k] = x]} for a function of functions, both with domain 1..n. */
    public static List<List<Integer>> set(List<List<Integer>> f, int v, int k, int x) {
        return set(f, v, set(f.get(v - 1), k, x));
    }
}
