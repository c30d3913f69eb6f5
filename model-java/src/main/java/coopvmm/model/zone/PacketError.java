package coopvmm.model.zone;

/**
 * Why the contents of a slot are not a packet the reader may act on ({@code docs/shared-zone.md},
 * "A request is bad when ..."). A reader answers a bad request with status
 * {@link SharedZoneLayout#STATUS_BAD_REQUEST}; it never throws on one.
 */
public enum PacketError {
    /** {@code type} is not a known code for the ring it was read from. */
    BAD_TYPE,
    /** {@code length > PAYLOAD_MAX}. */
    BAD_LENGTH,
    /** A disk request's {@code arg0 + length} runs past the end of the RAM disk. */
    BAD_RANGE
}
