package coopvmm.model.zone;

import java.util.Arrays;
import java.util.HexFormat;

import static coopvmm.model.zone.SharedZoneLayout.PAYLOAD_MAX;

/**
 * One well-formed packet, as {@code docs/shared-zone.md} lays it out in a slot. A value of
 * this type is always valid: a known request or response type, {@code length <= PAYLOAD_MAX},
 * every u32 field in {@code 0 .. 2^32-1}. Malformed slot contents never become a
 * {@code Packet}: {@link PacketCodec} reports them as a {@link PacketError} instead.
 *
 * <p>{@code length} is the payload bytes used, except in a {@code DISK_READ} request, where it
 * is the number of bytes to read and the payload is empty (the doc's type table); so
 * {@code payload.length == payloadBytes(type, length)}.
 *
 * <p>The payload array is copied in and out: a packet cannot be changed after it was built
 * (or after it was validated). Equality is by content.
 *
 * @param id      u32 request id; a response carries the id of the request it answers
 * @param type    u16 wire type: a {@link PacketType} request code, or a response code
 * @param length  {@code 0 .. PAYLOAD_MAX}
 * @param arg0    u32: disk byte offset for disk requests, 0 otherwise
 * @param status  u32: 0 in requests; in responses 0 OK, 1 bad request
 * @param payload the payload bytes, {@code payloadBytes(type, length)} of them
 */
public record Packet(long id, int type, int length, long arg0, long status, byte[] payload) {

    private static final long U32_MAX = 0xFFFF_FFFFL;

    public Packet {
        requireU32("id", id);
        requireU32("arg0", arg0);
        requireU32("status", status);
        if (PacketType.ofCode(type).isEmpty())
            throw new IllegalArgumentException("unknown packet type 0x" + Integer.toHexString(type));
        if (length < 0 || length > PAYLOAD_MAX)
            throw new IllegalArgumentException("length " + length + " not in 0.." + PAYLOAD_MAX);
        if (payload == null) throw new NullPointerException("payload");
        if (payload.length != payloadBytes(type, length))
            throw new IllegalArgumentException("payload of " + payload.length + " bytes, type 0x"
                    + Integer.toHexString(type) + " with length " + length + " carries "
                    + payloadBytes(type, length));
        payload = payload.clone();
    }

    /** How many payload bytes a packet of this type and length carries (see the class doc). */
    public static int payloadBytes(int type, int length) {
        return type == PacketType.DISK_READ.requestCode() ? 0 : length;
    }

    /** A request that carries a payload ({@code DISK_WRITE}, {@code CONSOLE_WRITE}). */
    public static Packet request(long id, PacketType t, long arg0, byte[] payload) {
        if (t == PacketType.DISK_READ)
            throw new IllegalArgumentException("a DISK_READ request has no payload: use diskRead");
        return new Packet(id, t.requestCode(), payload.length, arg0, 0, payload);
    }

    /** A {@code DISK_READ} request: {@code length} bytes at disk byte offset {@code offset}. */
    public static Packet diskRead(long id, long offset, int length) {
        return new Packet(id, PacketType.DISK_READ.requestCode(), length, offset, 0, new byte[0]);
    }

    /** The response to {@code request}, with the given status and payload ({@code arg0} 0). */
    public static Packet response(Packet request, long status, byte[] payload) {
        if (request.isResponse()) throw new IllegalArgumentException("not a request: " + request);
        return new Packet(request.id(), request.kind().responseCode(), payload.length, 0, status,
                payload);
    }

    /** The payload, copied. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The packet's type, request or response alike. */
    public PacketType kind() {
        return PacketType.ofCode(type).orElseThrow();
    }

    public boolean isResponse() {
        return PacketType.isResponseCode(type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Packet p && id == p.id && type == p.type && length == p.length
                && arg0 == p.arg0 && status == p.status && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(id);
        h = 31 * h + type;
        h = 31 * h + length;
        h = 31 * h + Long.hashCode(arg0);
        h = 31 * h + Long.hashCode(status);
        return 31 * h + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Packet[id=" + id + ", type=0x" + Integer.toHexString(type) + " (" + kind()
                + (isResponse() ? " response" : " request") + "), length=" + length + ", arg0="
                + arg0 + ", status=" + status + ", payload=" + HexFormat.of().formatHex(payload) + "]";
    }

    private static void requireU32(String what, long v) {
        if (v < 0 || v > U32_MAX)
            throw new IllegalArgumentException(what + " " + v + " is not a u32");
    }
}
