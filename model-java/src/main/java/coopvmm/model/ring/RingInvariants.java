package coopvmm.model.ring;

import coopvmm.model.History;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The safety invariants of {@code CoopRing.tla}, same names, as Java predicates. */
public final class RingInvariants {

    private final RingConfig c;

    public RingInvariants(RingConfig config) {
        this.c = config;
    }

    public boolean typeOK(RingState s) {
        return inIdx(s.reqProd()) && inIdx(s.rspCons()) && inIdx(s.rspEvent())
                && inIdx(s.rspProd()) && inIdx(s.reqCons()) && inIdx(s.reqEvent())
                && inIdx(s.reqPvt()) && inIdx(s.rspPvt())
                && inIdx(s.reqNotifyFrom()) && inIdx(s.rspNotifyFrom())
                && s.reqRing().size() == c.n() && s.rspRing().size() == c.n()
                && s.reqRing().stream().allMatch(this::isId) && s.rspRing().stream().allMatch(this::isId)
                && s.nextId() >= 1 && s.nextId() <= c.maxReq() + 1
                && s.rspGot().stream().allMatch(this::isId) && s.reqGot().stream().allMatch(this::isId)
                && s.pending().stream().allMatch(this::isId);
    }

    /** Requests answered so far, in the order the IOPM wrote them ({@code Answered}). */
    public List<Integer> answered(RingState s) {
        int k = Math.max(0, s.reqGot().size() - s.pending().size());
        return s.reqGot().subList(0, Math.min(k, s.reqGot().size()));
    }

    public boolean noOverflow(RingState s) {
        return c.dist(s.reqCons(), s.reqPvt()) <= c.n() && c.dist(s.rspCons(), s.rspPvt()) <= c.n();
    }

    public boolean noUnderflow(RingState s) {
        return s.reqGot().size() <= s.nextId() - 1
                && s.rspGot().size() <= s.reqGot().size() - s.pending().size();
    }

    public boolean requestsInOrder(RingState s) {
        if (s.reqGot().size() > s.nextId() - 1) return false;
        for (int i = 0; i < s.reqGot().size(); i++) if (s.reqGot().get(i) != i + 1) return false;
        return true;
    }

    public boolean responsesInOrder(RingState s) {
        List<Integer> answered = answered(s);
        return s.rspGot().size() <= answered.size()
                && s.rspGot().equals(answered.subList(0, s.rspGot().size()));
    }

    public boolean responsesAnswerOutstanding(RingState s) {
        Set<Integer> consumed = new HashSet<>(s.reqGot());
        Set<Integer> seen = new HashSet<>();
        for (int id : s.rspGot()) {
            if (id < 1 || id > s.nextId() - 1 || !consumed.contains(id) || !seen.add(id)) return false;
        }
        return true;
    }

    /** The names of the invariants {@code s} violates, in the order of {@code CoopRing.cfg}. */
    public List<String> violated(RingState s) {
        List<String> v = new ArrayList<>();
        if (!typeOK(s)) v.add("TypeOK");
        if (!noOverflow(s)) v.add("NoOverflow");
        if (!noUnderflow(s)) v.add("NoUnderflow");
        if (!requestsInOrder(s)) v.add("RequestsInOrder");
        if (!responsesInOrder(s)) v.add("ResponsesInOrder");
        if (!responsesAnswerOutstanding(s)) v.add("ResponsesAnswerOutstanding");
        return v;
    }

    /**
     * The same verdict as {@link #violated(RingState) violated(t)}, in O(1) per step, for a
     * step {@code s -> t} out of a state {@code s} that violates nothing (a replay checks every
     * state it reaches, so each step starts from such a state). Only what a step can change is
     * looked at: the scalars, the N slots, the one element a history or the pending queue
     * gained. Why that is enough: if {@code s} holds and these checks pass, then the histories
     * of {@code t} are {@code <<1..k>>} and a prefix of it, so RequestsInOrder, ResponsesInOrder
     * and ResponsesAnswerOutstanding hold of {@code t} as a whole. When a check fails, the whole
     * list is computed once, so the names reported are exactly those of {@code violated(t)}.
     */
    public List<String> violatedAfter(RingState s, RingState t) {
        return stepHolds(s, t) ? List.of() : violated(t);
    }

    private boolean stepHolds(RingState s, RingState t) {
        int req = t.reqGot().size(), rsp = t.rspGot().size(), pend = t.pending().size();
        boolean scalars = inIdx(t.reqProd()) && inIdx(t.rspCons()) && inIdx(t.rspEvent())
                && inIdx(t.rspProd()) && inIdx(t.reqCons()) && inIdx(t.reqEvent())
                && inIdx(t.reqPvt()) && inIdx(t.rspPvt())
                && inIdx(t.reqNotifyFrom()) && inIdx(t.rspNotifyFrom())
                && t.nextId() >= 1 && t.nextId() <= c.maxReq() + 1;
        if (!scalars || t.reqRing().size() != c.n() || t.rspRing().size() != c.n()) return false;
        // a data area not written by this step is the one checked before it
        if (t.reqRing() != s.reqRing()) for (int i = 0; i < c.n(); i++) if (!isId(t.reqRing().getInt(i))) return false;
        if (t.rspRing() != s.rspRing()) for (int i = 0; i < c.n(); i++) if (!isId(t.rspRing().getInt(i))) return false;
        // each history and the queue: the same as before, or one element more (checked), or the
        // queue one shorter; anything else is for the full check
        if (!grewByAtMostOne(s.reqGot(), t.reqGot()) || !grewByAtMostOne(s.rspGot(), t.rspGot())) return false;
        if (t.pending() != s.pending()) {
            // the queue: the same, one appended (checked), or its tail; anything else: the full check
            if (!(t.pending() instanceof History tp) || !(s.pending() instanceof History sp)) return false;
            if (tp.isAppendOf(sp)) {
                if (!isId(tp.last())) return false;
            } else if (!tp.isTailOf(sp)) {
                return false;
            }
        }
        if (!noOverflow(t)) return false;
        int answered = req - pend;
        if (req > t.nextId() - 1 || rsp > answered) return false;             // NoUnderflow, sizes
        if (req == s.reqGot().size() + 1 && t.reqGot().get(req - 1) != req) return false;   // RequestsInOrder
        return rsp != s.rspGot().size() + 1 || t.rspGot().get(rsp - 1).equals(t.reqGot().get(rsp - 1));
    }

    /** The same history, or it with one element appended (and that one checked); O(1) for {@link History} values. */
    private boolean grewByAtMostOne(List<Integer> before, List<Integer> after) {
        if (after == before) return true;
        if (after instanceof History a && before instanceof History b) return a.isAppendOf(b) && isId(a.last());
        return false;   // not built by appending: the full check decides
    }

    /** {@code OwnersWrite}, for one step: only the acting side's control area changed. */
    public boolean ownersWrite(RingAction a, RingState s, RingState t) {
        boolean vmmAreaSame = s.reqProd() == t.reqProd() && s.rspCons() == t.rspCons()
                && s.rspEvent() == t.rspEvent();
        boolean iopmAreaSame = s.rspProd() == t.rspProd() && s.reqCons() == t.reqCons()
                && s.reqEvent() == t.reqEvent();
        if (a == RingAction.FINISHED) return vmmAreaSame && iopmAreaSame;
        return a.tla().startsWith("Vmm") ? iopmAreaSame : vmmAreaSame;
    }

    private boolean inIdx(long i) {
        return i >= 0 && i < c.idxMod();
    }

    private boolean isId(int id) {
        return id >= 0 && id <= c.maxReq();
    }
}
