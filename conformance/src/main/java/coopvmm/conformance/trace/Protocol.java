package coopvmm.conformance.trace;

import java.util.List;
import java.util.Map;

/**
 * What the replay engine ({@link Replay}) needs to know of one protocol: which events are its
 * actions, its model (initial state, one step per event, checked against the event's fields),
 * its invariants per step, and what the end of a run must show. The ring, boot and routing
 * replays are each one of these; the engine around them is shared.
 *
 * @param <S> the model's state
 * @param <A> the protocol's actions
 */
public interface Protocol<S, A extends Enum<A>> {

    /** The spec, for messages: {@code CoopRing}. */
    String spec();

    /** The action {@code e} is, or null when it belongs to another protocol or to the harness. */
    A action(TraceEvent e);

    /** Why {@code e}, which is none of this protocol's actions, is an error here; null when it is not. */
    default String unknown(TraceEvent e) {
        return null;
    }

    /** The model instance {@code e} acts on (a ring channel), 0 when there is one; may {@link Replay.Reject}. */
    default int instance(TraceEvent e) {
        return 0;
    }

    S init(int instance);

    /**
     * The model's step for {@code e} from {@code s}: its successor when the action is enabled
     * and has the effect the event's fields say; else {@link Replay.Reject} with what the model
     * expected.
     */
    S step(int instance, S s, A a, TraceEvent e);

    /** The invariants {@code t} breaks, for a step of instance {@code instance} out of a state {@code s} that breaks none. */
    List<String> violatedAfter(int instance, S s, S t);

    /** What the end of a whole run ({@code end}: its run.end) breaks, given each instance's last state. */
    List<String> atEnd(Map<Integer, S> finals, TraceEvent end);

    /** A state, compact, for a person reading a divergence. */
    String show(S s);
}
