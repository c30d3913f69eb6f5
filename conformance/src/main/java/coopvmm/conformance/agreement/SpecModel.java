package coopvmm.conformance.agreement;

import java.util.List;
import java.util.Map;

/**
 * A Java model seen through the spec's eyes: how a TLC state maps to a model state, and the
 * model's own next-state relation. One implementation per spec.
 *
 * @param <S> the model's state type (a record with value equality)
 */
public interface SpecModel<S> {

    /** One transition of the model: the TLA+ action name and the successor. */
    record Move<S>(String action, S next) {
    }

    /** The model state for a TLC state (variable name -> parsed TLA+ value). */
    S fromTla(Map<String, Object> vars);

    /** The model's initial states. */
    List<S> init();

    /** Every enabled action of the model in {@code s} and its successor. */
    List<Move<S>> successors(S s);
}
