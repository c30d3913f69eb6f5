package coopvmm.fuzz;

import coopvmm.model.zone.Packet;
import coopvmm.model.zone.PacketCodec;
import coopvmm.model.zone.PacketError;
import coopvmm.model.zone.PacketType;
import coopvmm.model.zone.SharedZoneLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static coopvmm.model.zone.SharedZoneLayout.RING_SLOTS;
import static coopvmm.model.zone.SharedZoneLayout.SLOT_SIZE;

/**
 * A consumer of one ring of a channel, written over the byte layout of
 * {@code docs/shared-zone.md} the way {@code reference-vmm/ring/ring.c} consumes:
 * <ul>
 *   <li>the peer's producer index is read <b>once</b> per {@link #drain}, and bounded: more than
 *       {@code RING_SLOTS} ahead of the consumer index is {@link ErrorKind#PEER_INDEX_TOO_FAR},
 *       after which the peer is given up and never read again;</li>
 *   <li>each slot is copied out <b>once</b> (one bulk read) and only the copy is decoded
 *       ({@link PacketCodec#parse}) and checked;</li>
 *   <li>malformed packets and packets with an id that is not expected are typed
 *       {@link Rejected} items, never exceptions;</li>
 *   <li>the loop runs at most {@code min(budget, prod - cons)} times.</li>
 * </ul>
 * Two roles: the VMM's response-consumer loop (ids checked against the outstanding
 * requests) and the IOPM's request-consumer loop (the k-th request must carry id k; disk
 * ranges checked against the RAM disk). Only the consumer's own control words are written:
 * its consumer index and its event index.
 *
 * <p>{@link Variant} plants known bugs, to show the fuzz harness catches them.
 */
public final class ZoneConsumer {

    /** Which loop. */
    public enum Role {
        /** The VMM consuming the IOPM's responses. */
        VMM_RESPONSES,
        /** The IOPM consuming the VMM's requests. */
        IOPM_REQUESTS
    }

    /** The reference code, or a planted bug (an "altered model" for the Java harness). */
    public enum Variant {
        REFERENCE,
        /** No bound on the peer's producer index. */
        TRUST_PEER_INDEX,
        /** Re-reads the length from the shared slot after validating the copy. */
        DOUBLE_FETCH,
        /** Delivers responses without checking their id against the outstanding requests. */
        NO_ID_CHECK
    }

    /** The typed errors of a consumer. */
    public enum ErrorKind {
        /** The peer's producer index is more than RING_SLOTS ahead: the peer is broken. */
        PEER_INDEX_TOO_FAR,
        /** The peer was declared broken before: nothing read. */
        PEER_BROKEN,
        /** The slot does not hold a well-formed packet of this ring ({@link PacketError}). */
        MALFORMED_PACKET,
        /** A well-formed packet with an id that is not expected (unknown, answered, out of order). */
        UNEXPECTED_ID,
        /** A response whose type does not answer the type of its request. */
        MISMATCHED_TYPE
    }

    /** One consumed slot. */
    public sealed interface Item permits Delivered, Rejected {
        /** The free-running index of the slot. */
        long index();
    }

    /** A packet the caller may act on. */
    public record Delivered(long index, Packet packet) implements Item {
    }

    /**
     * A consumed slot the caller must not act on (a request is answered with status 1).
     * {@code detail} is the codec's error for {@link ErrorKind#MALFORMED_PACKET}, else null.
     */
    public record Rejected(long index, ErrorKind kind, PacketError detail, long rawId) implements Item {
    }

    /**
     * The outcome of one {@link #drain}: the consumed items, in order, and a fatal error
     * ({@code PEER_INDEX_TOO_FAR} or {@code PEER_BROKEN}) or null. {@code prodSeen} is the one
     * value of the peer's producer index read (-1 when none was read).
     */
    public record Drain(List<Item> items, ErrorKind fatal, long prodSeen, long consBefore, long consAfter) {
    }

    private static final long U32 = 0xFFFF_FFFFL;

    private final SharedMemory mem;
    private final Role role;
    private final Variant variant;
    private final long diskSize;
    private final int prodOff, consOff, eventOff, ringOff;
    private final PacketCodec.Direction dir;

    private long cons;
    private boolean broken;
    private long nextExpectedId = 1;                       // IOPM role
    private final Map<Long, PacketType> outstanding = new HashMap<>(); // VMM role

    /**
     * @param mem      the shared zone
     * @param k        the channel (IOPM index)
     * @param role     which loop
     * @param diskSize the IOPM's RAM disk size in bytes (IOPM role; ignored for the VMM)
     * @param variant  {@link Variant#REFERENCE} but in bug-finding checks
     */
    public ZoneConsumer(SharedMemory mem, int k, Role role, long diskSize, Variant variant) {
        this.mem = Objects.requireNonNull(mem);
        this.role = Objects.requireNonNull(role);
        this.variant = Objects.requireNonNull(variant);
        this.diskSize = diskSize;
        int base = SharedZoneLayout.channelOffset(k);
        if (role == Role.VMM_RESPONSES) {
            prodOff = base + SharedZoneLayout.RSP_PROD;
            consOff = base + SharedZoneLayout.RSP_CONS;
            eventOff = base + SharedZoneLayout.RSP_EVENT;
            ringOff = base + SharedZoneLayout.rspRingOffset();
            dir = PacketCodec.Direction.RESPONSE;
        } else {
            prodOff = base + SharedZoneLayout.REQ_PROD;
            consOff = base + SharedZoneLayout.REQ_CONS;
            eventOff = base + SharedZoneLayout.REQ_EVENT;
            ringOff = base + SharedZoneLayout.REQ_RING_OFFSET;
            dir = PacketCodec.Direction.REQUEST;
        }
        this.cons = mem.readU32(consOff); // the consumer's own word, written only by itself
    }

    public ZoneConsumer(SharedMemory mem, int k, Role role, long diskSize) {
        this(mem, k, role, diskSize, Variant.REFERENCE);
    }

    /** VMM role: request {@code id} of type {@code type} was issued and awaits its response. */
    public void expect(long id, PacketType type) {
        if (role != Role.VMM_RESPONSES) throw new IllegalStateException("only the VMM expects responses");
        outstanding.put(id, type);
    }

    /** VMM role: the ids issued and not yet answered. */
    public Map<Long, PacketType> outstanding() {
        return Map.copyOf(outstanding);
    }

    /** The consumer index (private copy; the consumer writes it to its own area). */
    public long cons() {
        return cons;
    }

    public boolean broken() {
        return broken;
    }

    /** IOPM role: the id the next request must carry. */
    public long nextExpectedId() {
        return nextExpectedId;
    }

    /** Consumes at most {@code budget} packets (and never more than the validated distance). */
    public Drain drain(int budget) {
        long before = cons;
        if (broken) return new Drain(List.of(), ErrorKind.PEER_BROKEN, -1, before, before);
        long prod = mem.readU32(prodOff);                  // the one read of the peer's index
        long dist = (prod - cons) & U32;
        if (variant != Variant.TRUST_PEER_INDEX && dist > RING_SLOTS) {
            broken = true;
            return new Drain(List.of(), ErrorKind.PEER_INDEX_TOO_FAR, prod, before, before);
        }
        long n = Math.min(dist, Math.max(0, budget));
        List<Item> items = new ArrayList<>((int) Math.min(n, RING_SLOTS));
        byte[] copy = new byte[SLOT_SIZE];
        for (long i = 0; i < n; i++) {
            mem.read(SharedZoneLayout.slotOffset(ringOff, cons), copy); // the one read of the slot
            items.add(check(cons, copy));
            cons = (cons + 1) & U32;
            mem.writeU32(consOff, cons);                   // frees the slot: the copy is taken
        }
        return new Drain(List.copyOf(items), null, prod, before, cons);
    }

    private Item check(long index, byte[] copy) {
        PacketCodec.Result r = PacketCodec.parse(copy, dir);
        if (r instanceof PacketCodec.Rejected bad)
            return new Rejected(index, ErrorKind.MALFORMED_PACKET, bad.error(), bad.id());
        Packet p = ((PacketCodec.Decoded) r).packet();
        if (variant == Variant.DOUBLE_FETCH) {
            // PLANTED BUG: the length is fetched again from the shared slot and used.
            int len2 = (int) (mem.readU32(SharedZoneLayout.slotOffset(ringOff, index) + 4) >>> 16);
            p = new Packet(p.id(), p.type(), len2, p.arg0(), p.status(),
                    Arrays.copyOfRange(copy, SharedZoneLayout.PKT_PAYLOAD,
                            SharedZoneLayout.PKT_PAYLOAD + Packet.payloadBytes(p.type(), len2)));
        }
        if (role == Role.IOPM_REQUESTS) {
            long want = nextExpectedId;
            nextExpectedId = (nextExpectedId + 1) & U32;
            if (p.id() != want) return new Rejected(index, ErrorKind.UNEXPECTED_ID, null, p.id());
            var range = PacketCodec.checkDiskRange(p, diskSize);
            if (range.isPresent()) return new Rejected(index, ErrorKind.MALFORMED_PACKET, range.get(), p.id());
            return new Delivered(index, p);
        }
        if (variant == Variant.NO_ID_CHECK) {
            outstanding.remove(p.id());
            return new Delivered(index, p);
        }
        PacketType asked = outstanding.get(p.id());
        if (asked == null) return new Rejected(index, ErrorKind.UNEXPECTED_ID, null, p.id());
        outstanding.remove(p.id());
        if (p.kind() != asked) return new Rejected(index, ErrorKind.MISMATCHED_TYPE, null, p.id());
        return new Delivered(index, p);
    }

    /** Going to sleep: arm the own event index at {@code cons + 1}. */
    public void prepareSleep() {
        mem.writeU32(eventOff, (cons + 1) & U32);
    }

    /**
     * The final check (after a full barrier on real hardware): re-reads the peer's producer
     * index once. True: nothing arrived, the consumer may sleep.
     */
    public boolean finalCheck() {
        if (broken) return true;
        return mem.readU32(prodOff) == cons;
    }
}
