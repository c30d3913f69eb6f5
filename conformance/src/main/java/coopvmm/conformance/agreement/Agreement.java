package coopvmm.conformance.agreement;

import coopvmm.conformance.agreement.SpecModel.Move;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spec-model agreement: on every state of TLC's reachable graph, the model's enabled actions
 * and successors equal TLC's, and the initial states are the same.
 */
public final class Agreement {

    private Agreement() {
    }

    /** One disagreement, said so a person can act on it. */
    public record Divergence(String kind, String action, Object state, Object successor) {
        @Override
        public String toString() {
            return switch (kind) {
                case "missing" -> "the model cannot take " + action + " where TLC can:\n    from " + state
                        + "\n    TLC's successor " + successor;
                case "extra" -> "the model takes " + action + " where TLC cannot:\n    from " + state
                        + "\n    model's successor " + successor;
                default -> kind + " " + action + ": " + state;
            };
        }
    }

    /** The verdict: how many states and transitions were compared, and what differs. */
    public record Report(int states, int transitions, List<Divergence> divergences) {
        public boolean agrees() {
            return divergences.isEmpty();
        }
    }

    /** Compares the model with the graph; stops listing after {@code maxDivergences}. */
    public static <S> Report compare(StateGraph g, SpecModel<S> model, int maxDivergences) {
        Map<String, S> byId = new HashMap<>();
        for (var e : g.states().entrySet()) byId.put(e.getKey(), model.fromTla(e.getValue()));

        List<Divergence> out = new ArrayList<>();
        Set<S> tlcInit = new HashSet<>();
        for (String id : g.initial()) tlcInit.add(byId.get(id));
        Set<S> modelInit = new HashSet<>(model.init());
        if (!tlcInit.equals(modelInit)) out.add(new Divergence("init", "Init", tlcInit, modelInit));

        Map<String, Set<Move<S>>> tlcMoves = new HashMap<>();
        for (String id : g.states().keySet()) tlcMoves.put(id, new LinkedHashSet<>());
        for (StateGraph.Edge e : g.edges()) {
            tlcMoves.get(e.from()).add(new Move<>(e.action(), byId.get(e.to())));
        }
        int transitions = 0;
        for (var e : tlcMoves.entrySet()) {
            S s = byId.get(e.getKey());
            Set<Move<S>> tlc = e.getValue();
            Set<Move<S>> mine = new LinkedHashSet<>(model.successors(s));
            transitions += tlc.size();
            for (Move<S> m : tlc) {
                if (!mine.contains(m) && out.size() < maxDivergences)
                    out.add(new Divergence("missing", m.action(), s, m.next()));
            }
            for (Move<S> m : mine) {
                if (!tlc.contains(m) && out.size() < maxDivergences)
                    out.add(new Divergence("extra", m.action(), s, m.next()));
            }
        }
        return new Report(g.states().size(), transitions, out);
    }

    /**
     * Replays one behaviour (a TLC simulation trace) through the model: each state must be a
     * successor of the one before. Returns the 1-based number of the first state that is
     * not, or 0 if the whole behaviour is one of the model's.
     */
    public static <S> int replay(List<Map<String, Object>> behaviour, SpecModel<S> model) {
        if (behaviour.isEmpty()) return 0;
        S s = model.fromTla(behaviour.get(0));
        if (!model.init().contains(s)) return 1;
        for (int k = 1; k < behaviour.size(); k++) {
            S next = model.fromTla(behaviour.get(k));
            boolean found = false;
            for (Move<S> m : model.successors(s)) {
                if (m.next().equals(next)) { found = true; break; }
            }
            if (!found) return k + 1;
            s = next;
        }
        return 0;
    }
}
