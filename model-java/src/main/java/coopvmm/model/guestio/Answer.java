package coopvmm.model.guestio;

/** The VMM's answer to command {@code n}: carried out, or refused. */
public record Answer(int n, boolean ok) {
}
