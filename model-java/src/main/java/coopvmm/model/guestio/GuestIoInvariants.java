package coopvmm.model.guestio;

import java.util.ArrayList;
import java.util.List;

/** The safety invariants of {@code GuestIo.tla}, same names, as Java predicates. */
public final class GuestIoInvariants {

    private final GuestIoConfig c;

    public GuestIoInvariants(GuestIoConfig config) {
        this.c = config;
    }

    public boolean typeOK(GuestIoState s) {
        for (List<?> f : List.of(s.rip(), s.rax(), s.mode(), s.exit(), s.execs(), s.computed(),
                s.completions(), s.appliedFrom()))
            if (f.size() != c.nVcpu()) return false;
        for (List<?> f : List.of(s.failed(), s.up(), s.reqQ(), s.rspQ(), s.cmdQ(), s.ansQ()))
            if (f.size() != c.nIopm()) return false;
        if (s.issued() < 0 || s.issued() > c.nCmd()) return false;
        for (int i = 1; i <= c.nIopm(); i++) {
            for (Command x : s.cmdQ(i)) if (x.n() < 1 || x.n() > c.nCmd() || !x.equals(c.script(x.n()))) return false;
            for (Answer a : s.ansQ(i)) if (a.n() < 1 || a.n() > c.nCmd()) return false;
        }
        for (Answer a : s.answered()) if (a.n() < 1 || a.n() > c.nCmd()) return false;
        if (s.route().size() != c.nDev() || s.dev().size() != c.nDev()) return false;
        for (Disk d : s.dev()) {
            if (d.sect().size() != c.nVcpu() + 1 || d.sel().size() != c.nVcpu() || d.stat().size() != c.nVcpu())
                return false;
            for (List<Integer> xs : List.of(d.sect(), d.sel(), d.stat())) for (int x : xs) if (!value(x)) return false;
        }
        for (int v = 1; v <= c.nVcpu(); v++) {
            if (s.rip(v) < 0 || !value(s.rax(v)) || !value(s.appliedFrom(v))) return false;
            Exit e = s.exit(v);
            if (!e.isNone() && !(insn(e.rip()) && port(e.port()) && e.dir() != Dir.NONE && value(e.data())))
                return false;
            for (List<List<Integer>> h : List.of(s.execs(), s.computed(), s.completions())) {
                if (h.get(v - 1).size() != c.nInsn()) return false;
                for (int x : h.get(v - 1)) if (x < 0 || h == s.computed() && !value(x)) return false;
            }
        }
        for (int d = 1; d <= c.nDev(); d++)
            if (s.route(d) < 1 || s.route(d) > c.nIopm()) return false;
        for (int i = 1; i <= c.nIopm(); i++) {
            for (Request r : s.reqQ(i))
                if (!vcpu(r.vcpu()) || !insn(r.rip()) || !port(r.port()) || r.dir() == Dir.NONE || !value(r.data()))
                    return false;
            for (Response r : s.rspQ(i))
                if (!vcpu(r.vcpu()) || !insn(r.rip()) || !value(r.result())) return false;
        }
        return true;
    }

    /** A running (or halted) vCPU has every exit behind its RIP completed. */
    public boolean runsOnlyWhenAnswered(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) {
            if (s.mode(v) != Mode.GUEST && s.mode(v) != Mode.HALTED) continue;
            for (int k = 1; k <= c.nInsn(); k++)
                if (c.addr(k) < s.rip(v) && s.completions(v, k) < 1) return false;
        }
        return true;
    }

    public boolean completedAtMostOnce(GuestIoState s) {
        for (List<Integer> h : s.completions()) for (int n : h) if (n > 1) return false;
        return true;
    }

    public boolean responseToItsVcpu(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) if (s.appliedFrom(v) != 0 && s.appliedFrom(v) != v) return false;
        return true;
    }

    /** A completed or resumed vCPU is past its exit's instruction, AL as the IOPM computed. */
    public boolean resumesPastTheExit(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) {
            Exit e = s.exit(v);
            if (!(s.mode(v) == Mode.COMPLETED || s.mode(v) == Mode.GUEST || s.mode(v) == Mode.HALTED) || e.isNone())
                continue;
            int k = c.insn(e.rip());
            if (s.rip(v) != e.rip() + c.len(k)) return false;
            if (e.dir() == Dir.IN && s.rax(v) != s.computed(v, k)) return false;
        }
        return true;
    }

    public boolean ioExactlyOnce(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) {
            boolean done = s.mode(v) == Mode.HALTED;
            for (int k = 1; k <= c.nInsn(); k++) {
                int n = s.execs(v, k);
                if (n > 1 || s.completions(v, k) >= 1 && n != 1 || done && n != 1) return false;
            }
        }
        return true;
    }

    /** {@code InFlight(v) # {}}: v's request on an IOPM in use, or its response anywhere. */
    public boolean inFlight(GuestIoState s, int v) {
        for (int i = 1; i <= c.nIopm(); i++) {
            if (!s.failed(i)) for (Request r : s.reqQ(i)) if (r.vcpu() == v) return true;
            for (Response r : s.rspQ(i)) if (r.vcpu() == v) return true;
        }
        return false;
    }

    public boolean noLostExit(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) if (s.mode(v) == Mode.WAITING && !inFlight(s, v)) return false;
        return true;
    }

    /** {@code Copies(v)}: v's requests and responses queued on every IOPM. */
    public int copies(GuestIoState s, int v) {
        int n = 0;
        for (int i = 1; i <= c.nIopm(); i++) {
            for (Request r : s.reqQ(i)) if (r.vcpu() == v) n++;
            for (Response r : s.rspQ(i)) if (r.vcpu() == v) n++;
        }
        return n;
    }

    public boolean oneRequestPerExit(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) {
            int n = copies(s, v);
            if (n > 1 || s.mode(v) != Mode.WAITING && n != 0) return false;
        }
        return true;
    }

    public boolean requestsAtOwner(GuestIoState s) {
        for (int i = 1; i <= c.nIopm(); i++)
            for (Request r : s.reqQ(i)) if (s.route(r.port()) != i) return false;
        for (int d = 1; d <= c.nDev(); d++) if (s.failed(s.route(d))) return false;
        return true;
    }

    /**
     * {@code CommandsAnsweredInOrder}: every command the console issued is taken, answered and
     * queued back, or queued to the VMM, once, in the script's order; nothing on the other rings.
     */
    public boolean commandsAnsweredInOrder(GuestIoState s) {
        List<Integer> all = new ArrayList<>();
        for (Answer a : s.answered()) all.add(a.n());
        for (Answer a : s.ansQ(GuestIoConfig.CONSOLE)) all.add(a.n());
        for (Command x : s.cmdQ(GuestIoConfig.CONSOLE)) all.add(x.n());
        if (all.size() != s.issued()) return false;
        for (int j = 0; j < all.size(); j++) if (all.get(j) != j + 1) return false;
        for (int i = 1; i <= c.nIopm(); i++)
            if (i != GuestIoConfig.CONSOLE && (!s.cmdQ(i).isEmpty() || !s.ansQ(i).isEmpty())) return false;
        return true;
    }

    /** {@code RunsOnlyOnceStarted}: nothing of a managed VM ran before it was created and started. */
    public boolean runsOnlyOnceStarted(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) {
            if (!c.managed(v) || s.mode(v) != Mode.ABSENT && s.mode(v) != Mode.CREATED) continue;
            if (s.rip(v) != GuestIoConfig.BASE || !s.exit(v).isNone()) return false;
            for (int k = 1; k <= c.nInsn(); k++) if (s.execs(v, k) != 0) return false;
        }
        return true;
    }

    /** {@code GuestChecksPass}: every guest that halted found its data intact (AL still its id). */
    public boolean guestChecksPass(GuestIoState s) {
        for (int v = 1; v <= c.nVcpu(); v++) if (s.mode(v) == Mode.HALTED && s.rax(v) != v) return false;
        return true;
    }

    /** The names of the invariants {@code s} violates, in the order of {@code GuestIo.cfg}. */
    public List<String> violated(GuestIoState s) {
        List<String> v = new ArrayList<>();
        if (!typeOK(s)) {
            v.add("TypeOK");
            return v;                           // the others assume well-formed values
        }
        if (!runsOnlyWhenAnswered(s)) v.add("RunsOnlyWhenAnswered");
        if (!completedAtMostOnce(s)) v.add("CompletedAtMostOnce");
        if (!responseToItsVcpu(s)) v.add("ResponseToItsVcpu");
        if (!resumesPastTheExit(s)) v.add("ResumesPastTheExit");
        if (!ioExactlyOnce(s)) v.add("IoExactlyOnce");
        if (!noLostExit(s)) v.add("NoLostExit");
        if (!oneRequestPerExit(s)) v.add("OneRequestPerExit");
        if (!requestsAtOwner(s)) v.add("RequestsAtOwner");
        if (!guestChecksPass(s)) v.add("GuestChecksPass");
        if (!commandsAnsweredInOrder(s)) v.add("CommandsAnsweredInOrder");
        if (!runsOnlyOnceStarted(s)) v.add("RunsOnlyOnceStarted");
        return v;
    }

    private boolean vcpu(int v) {
        return v >= 1 && v <= c.nVcpu();
    }

    private boolean port(int d) {
        return d >= 1 && d <= c.nDev();
    }

    /** An address of an instruction of the program ({@code {Addr(k) : k \in Insns}}). */
    private boolean insn(int a) {
        return c.insn(a) != 0;
    }

    /** A value a port or AL may hold: {@code 0 .. NVcpu}. */
    private boolean value(int x) {
        return x >= 0 && x <= c.nVcpu();
    }
}
