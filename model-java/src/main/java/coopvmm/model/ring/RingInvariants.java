package coopvmm.model.ring;

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
