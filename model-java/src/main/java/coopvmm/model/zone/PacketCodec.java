package coopvmm.model.zone;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import static coopvmm.model.zone.SharedZoneLayout.PAYLOAD_MAX;
import static coopvmm.model.zone.SharedZoneLayout.PKT_ARG0;
import static coopvmm.model.zone.SharedZoneLayout.PKT_ID;
import static coopvmm.model.zone.SharedZoneLayout.PKT_LENGTH;
import static coopvmm.model.zone.SharedZoneLayout.PKT_PAYLOAD;
import static coopvmm.model.zone.SharedZoneLayout.PKT_STATUS;
import static coopvmm.model.zone.SharedZoneLayout.PKT_TYPE;
import static coopvmm.model.zone.SharedZoneLayout.SLOT_SIZE;

/**
 * Packets to and from 64-byte slots of the shared zone, little-endian, as
 * {@code docs/shared-zone.md} lays them out.
 *
 * <p>Encoding builds the whole slot image privately, payload bytes past {@code length} zero,
 * and stores it with one bulk write: no stale data goes out through the padding, whatever
 * the slot held before.
 *
 * <p>Decoding copies the slot out once, with one bulk read, and parses and validates only the
 * private copy: no field of the shared slot is read twice, so a peer rewriting the slot
 * meanwhile cannot make the checked value differ from the used one (double fetch).
 * Malformed contents are a {@link Rejected} result, never an exception.
 */
public final class PacketCodec {

    private PacketCodec() {
    }

    /** The outcome of decoding a slot. */
    public sealed interface Result permits Decoded, Rejected {
        /** The packet, or empty when the slot was rejected. */
        default Optional<Packet> ok() {
            return this instanceof Decoded d ? Optional.of(d.packet()) : Optional.empty();
        }

        /** The error, or empty when the slot held a well-formed packet. */
        default Optional<PacketError> rejected() {
            return this instanceof Rejected r ? Optional.of(r.error()) : Optional.empty();
        }
    }

    /** The slot held a well-formed packet. */
    public record Decoded(Packet packet) implements Result {
        public Decoded {
            Objects.requireNonNull(packet);
        }
    }

    /**
     * The slot did not hold a well-formed packet. The raw header fields are kept (from the
     * private copy) so that a bad request can still be answered, with its id, status 1.
     */
    public record Rejected(PacketError error, long id, int type, int length) implements Result {
        public Rejected {
            Objects.requireNonNull(error);
        }
    }

    /** Which ring a slot was read from: it decides which type codes are known. */
    public enum Direction {
        /** The request ring: request codes only. */
        REQUEST,
        /** The response ring: response codes only. */
        RESPONSE,
        /** Either (codec-level round trips): any known code. */
        ANY
    }

    /**
     * Writes {@code p} into the slot at {@code slotOffset} of {@code zone}: all
     * {@code SLOT_SIZE} bytes, payload padding zeroed. The buffer's position, limit and byte
     * order are left alone.
     *
     * @throws IndexOutOfBoundsException if the slot does not lie within {@code [0, limit)}
     */
    public static void encode(Packet p, ByteBuffer zone, int slotOffset) {
        Objects.checkFromIndexSize(slotOffset, SLOT_SIZE, zone.limit());
        zone.put(slotOffset, image(p));
    }

    /** The {@code SLOT_SIZE} bytes that encode {@code p}. */
    public static byte[] image(Packet p) {
        byte[] img = new byte[SLOT_SIZE]; // zero: the padding past length stays zero
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(PKT_ID, (int) p.id());
        b.putShort(PKT_TYPE, (short) p.type());
        b.putShort(PKT_LENGTH, (short) p.length());
        b.putInt(PKT_ARG0, (int) p.arg0());
        b.putInt(PKT_STATUS, (int) p.status());
        byte[] payload = p.payload();
        System.arraycopy(payload, 0, img, PKT_PAYLOAD, payload.length);
        return img;
    }

    /** Decodes the slot at {@code slotOffset}, any known type. */
    public static Result decode(ByteBuffer zone, int slotOffset) {
        return decode(zone, slotOffset, Direction.ANY);
    }

    /** Decodes a slot of a request ring: a response code there is {@link PacketError#BAD_TYPE}. */
    public static Result decodeRequest(ByteBuffer zone, int slotOffset) {
        return decode(zone, slotOffset, Direction.REQUEST);
    }

    /** Decodes a slot of a response ring: a request code there is {@link PacketError#BAD_TYPE}. */
    public static Result decodeResponse(ByteBuffer zone, int slotOffset) {
        return decode(zone, slotOffset, Direction.RESPONSE);
    }

    /**
     * Copies the slot at {@code slotOffset} out of {@code zone} once, then parses and
     * validates the copy.
     *
     * @throws IndexOutOfBoundsException if the slot does not lie within {@code [0, limit)}
     */
    public static Result decode(ByteBuffer zone, int slotOffset, Direction dir) {
        Objects.checkFromIndexSize(slotOffset, SLOT_SIZE, zone.limit());
        byte[] copy = new byte[SLOT_SIZE];
        zone.get(slotOffset, copy); // the one and only read of the shared slot
        return parse(copy, dir);
    }

    /** Parses and validates a private slot image of {@code SLOT_SIZE} bytes. */
    public static Result parse(byte[] slot, Direction dir) {
        if (slot.length != SLOT_SIZE)
            throw new IllegalArgumentException("a slot image has " + SLOT_SIZE + " bytes, not " + slot.length);
        ByteBuffer b = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN);
        long id = Integer.toUnsignedLong(b.getInt(PKT_ID));
        int type = Short.toUnsignedInt(b.getShort(PKT_TYPE));
        int length = Short.toUnsignedInt(b.getShort(PKT_LENGTH));
        long arg0 = Integer.toUnsignedLong(b.getInt(PKT_ARG0));
        long status = Integer.toUnsignedLong(b.getInt(PKT_STATUS));
        boolean known = switch (dir) {
            case REQUEST -> PacketType.ofRequestCode(type).isPresent();
            case RESPONSE -> PacketType.ofResponseCode(type).isPresent();
            case ANY -> PacketType.ofCode(type).isPresent();
        };
        if (!known) return new Rejected(PacketError.BAD_TYPE, id, type, length);
        if (length > PAYLOAD_MAX) return new Rejected(PacketError.BAD_LENGTH, id, type, length);
        byte[] payload = Arrays.copyOfRange(slot, PKT_PAYLOAD,
                PKT_PAYLOAD + Packet.payloadBytes(type, length));
        return new Decoded(new Packet(id, type, length, arg0, status, payload));
    }

    /**
     * The request-level check the codec cannot do alone: a disk request must lie within a RAM
     * disk of {@code diskSize} bytes ({@code arg0 + length <= diskSize}).
     *
     * @return {@link PacketError#BAD_RANGE}, or empty when the request is fine or not a disk request
     */
    public static Optional<PacketError> checkDiskRange(Packet request, long diskSize) {
        if (request.isResponse() || (request.kind() != PacketType.DISK_READ && request.kind() != PacketType.DISK_WRITE))
            return Optional.empty();
        return request.arg0() + request.length() > diskSize
                ? Optional.of(PacketError.BAD_RANGE) : Optional.empty();
    }
}
