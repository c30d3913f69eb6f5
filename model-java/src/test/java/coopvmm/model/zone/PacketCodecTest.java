package coopvmm.model.zone;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import coopvmm.model.zone.PacketCodec.Decoded;
import coopvmm.model.zone.PacketCodec.Direction;
import coopvmm.model.zone.PacketCodec.Rejected;

import static coopvmm.model.zone.SharedZoneLayout.PAYLOAD_MAX;
import static coopvmm.model.zone.SharedZoneLayout.PKT_PAYLOAD;
import static coopvmm.model.zone.SharedZoneLayout.SLOT_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class PacketCodecTest {

    // ---- generators ----------------------------------------------------------------------

    /** Every known wire type: the three requests and their responses. */
    static final List<Integer> CODES = List.of(1, 2, 3, 0x81, 0x82, 0x83);

    static Gen<Long> u32s() {
        Gen<Long> all = longs().between(0, 0xFFFF_FFFFL);
        return all.mix(longs().between(0xFFFF_FFFFL - 16, 0xFFFF_FFFFL)); // and the top edge
    }

    static Gen<byte[]> bytes(int n) {
        return Generate.byteArrays(Generate.constant(n), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    /** Bytes that are never zero: a slot full of them is visibly dirty. */
    static Gen<byte[]> dirt() {
        return Generate.byteArrays(Generate.constant(SLOT_SIZE), Generate.bytes((byte) 1, Byte.MAX_VALUE, (byte) 1))
                .mix(arbitrary().constant(() -> filled(SLOT_SIZE, (byte) 0xFF)));
    }

    /** Every valid packet: any known type, any length, any u32 fields, any payload bytes. */
    static Gen<Packet> packets() {
        Gen<int[]> header = arbitrary().pick(CODES).zip(integers().between(0, PAYLOAD_MAX), (t, l) -> new int[] {t, l});
        return header.zip(u32s(), u32s(), u32s(), bytes(PAYLOAD_MAX), (h, id, arg0, status, payload) ->
                new Packet(id, h[0], h[1], arg0, status, Arrays.copyOf(payload, Packet.payloadBytes(h[0], h[1]))));
    }

    static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    /** A raw slot: {@code dirt} with the header fields written over it, little-endian. */
    static byte[] rawSlot(byte[] dirt, long id, int type, int length) {
        byte[] s = dirt.clone();
        ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SharedZoneLayout.PKT_ID, (int) id);
        b.putShort(SharedZoneLayout.PKT_TYPE, (short) type);
        b.putShort(SharedZoneLayout.PKT_LENGTH, (short) length);
        return s;
    }

    static Direction directionOf(int code) {
        return PacketType.isResponseCode(code) ? Direction.RESPONSE : Direction.REQUEST;
    }

    // ---- round trip ------------------------------------------------------------------------

    @Test
    void roundTripThroughAnySlotOfADirtyZone() {
        int slots = SharedZoneLayout.CHANNEL_SIZE / SLOT_SIZE;
        qt().withExamples(1_000).forAll(packets(), integers().between(0, slots - 1), longs().all())
                .checkAssert((p, slot, seed) -> {
                    byte[] before = new byte[SharedZoneLayout.CHANNEL_SIZE];
                    new Random(seed).nextBytes(before);
                    ByteBuffer zone = ByteBuffer.wrap(before.clone());
                    zone.position(7); // the caller's own position: absolute access leaves it alone
                    int off = slot * SLOT_SIZE;
                    PacketCodec.encode(p, zone, off);
                    assertEquals(7, zone.position());
                    assertEquals(ByteOrder.BIG_ENDIAN, zone.order());
                    assertEquals(new Decoded(p), PacketCodec.decode(zone, off));
                    assertEquals(new Decoded(p), PacketCodec.decode(zone, off, directionOf(p.type())));
                    Direction wrong = p.isResponse() ? Direction.REQUEST : Direction.RESPONSE;
                    assertEquals(PacketError.BAD_TYPE, ((Rejected) PacketCodec.decode(zone, off, wrong)).error());
                    ZoneBytes.assertUnchangedOutside(before, zone.array(), off, off + SLOT_SIZE, "encode");
                });
    }

    /** Pins the byte order and the offsets: a round trip alone would pass with big-endian too. */
    @Test
    void encodingMatchesTheDocumentedBytes() {
        Packet p = Packet.request(0x01020304L, PacketType.DISK_WRITE, 0x11223344L,
                new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC});
        String expected = "04030201" + "0200" + "0300" + "44332211" + "00000000" + "aabbcc" + "00".repeat(45);
        assertEquals(expected, HexFormat.of().formatHex(PacketCodec.image(p)));

        Packet r = Packet.response(Packet.diskRead(7, 512, 2), SharedZoneLayout.STATUS_OK, new byte[] {1, 2});
        assertEquals("07000000" + "8100" + "0200" + "00000000" + "00000000" + "0102" + "00".repeat(46),
                HexFormat.of().formatHex(PacketCodec.image(r)));
    }

    @Test
    void paddingPastLengthIsZeroAfterEncodingOverADirtySlot() {
        qt().withExamples(1_000).forAll(packets(), dirt()).checkAssert((p, dirt) -> {
            ByteBuffer slot = ByteBuffer.wrap(dirt.clone());
            PacketCodec.encode(p, slot, 0);
            byte[] img = slot.array();
            int used = PKT_PAYLOAD + Packet.payloadBytes(p.type(), p.length());
            for (int i = used; i < SLOT_SIZE; i++)
                assertEquals(0, img[i], "stale byte at " + i + " of " + p);
            assertArrayEquals(p.payload(), Arrays.copyOfRange(img, PKT_PAYLOAD, used));
        });
    }

    // ---- malformed slots: typed errors, never exceptions ------------------------------------------

    @Test
    void lengthPastPayloadMaxIsBadLength() {
        qt().withExamples(1_000)
                .forAll(arbitrary().pick(CODES), integers().between(PAYLOAD_MAX + 1, 0xFFFF), u32s(), dirt())
                .checkAssert((type, length, id, dirt) -> {
                    ByteBuffer slot = ByteBuffer.wrap(rawSlot(dirt, id, type, length));
                    Rejected expected = new Rejected(PacketError.BAD_LENGTH, id, type, length);
                    assertEquals(expected, PacketCodec.decode(slot, 0));
                    assertEquals(expected, PacketCodec.decode(slot, 0, directionOf(type)));
                });
    }

    @Test
    void unknownTypeIsBadType() {
        Gen<Integer> unknown = integers().between(0, 0xFFFF).assuming(t -> !CODES.contains(t));
        qt().withExamples(1_000)
                .forAll(unknown, integers().between(0, 0xFFFF), u32s(), dirt())
                .checkAssert((type, length, id, dirt) -> {
                    ByteBuffer slot = ByteBuffer.wrap(rawSlot(dirt, id, type, length));
                    for (Direction d : Direction.values())
                        assertEquals(new Rejected(PacketError.BAD_TYPE, id, type, length), PacketCodec.decode(slot, 0, d));
                });
    }

    @Test
    void aResponseCodeIsABadRequestAndARequestCodeABadResponse() {
        qt().withExamples(300).forAll(arbitrary().pick(CODES), integers().between(0, PAYLOAD_MAX), dirt())
                .checkAssert((type, length, dirt) -> {
                    ByteBuffer slot = ByteBuffer.wrap(rawSlot(dirt, 9, type, length));
                    PacketCodec.Result asRequest = PacketCodec.decodeRequest(slot, 0);
                    PacketCodec.Result asResponse = PacketCodec.decodeResponse(slot, 0);
                    PacketCodec.Result wrong = PacketType.isResponseCode(type) ? asRequest : asResponse;
                    PacketCodec.Result right = PacketType.isResponseCode(type) ? asResponse : asRequest;
                    assertEquals(Optional.of(PacketError.BAD_TYPE), wrong.rejected());
                    assertTrue(right.ok().isPresent(), right::toString);
                });
    }

    /**
     * Any 64 bytes decode to a packet or a typed error, and a decoded packet is exactly what
     * the slot said: re-encoding it gives the slot back with only the unused payload zeroed.
     */
    @Test
    void anySlotDecodesToAPacketOrATypedError() {
        Gen<Integer> types = arbitrary().pick(CODES).mix(integers().between(0, 0xFFFF));
        Gen<Integer> lengths = integers().between(0, PAYLOAD_MAX).mix(integers().between(0, 0xFFFF));
        qt().withExamples(2_000).forAll(types, lengths, u32s(), bytes(SLOT_SIZE)).checkAssert((type, length, id, dirt) -> {
            byte[] raw = rawSlot(dirt, id, type, length);
            PacketCodec.Result r = PacketCodec.decode(ByteBuffer.wrap(raw), 0);
            if (r instanceof Decoded d) {
                byte[] canonical = raw.clone();
                Arrays.fill(canonical, PKT_PAYLOAD + Packet.payloadBytes(type, length), SLOT_SIZE, (byte) 0);
                assertArrayEquals(canonical, PacketCodec.image(d.packet()));
            } else {
                Rejected j = (Rejected) r;
                assertEquals(id, j.id());
                assertEquals(type, j.type());
                assertEquals(length, j.length());
                assertEquals(CODES.contains(type) ? PacketError.BAD_LENGTH : PacketError.BAD_TYPE, j.error());
            }
        });
    }

    /**
     * A peer rewriting the slot while it is decoded (a torn read) can make the decoder see a
     * mix of two packets, but never an inconsistent one: the decoder checks and uses the same
     * private copy, so no decode throws and every decoded packet is self-consistent.
     */
    @Test
    void aSlotRewrittenDuringDecodingNeverBreaksTheDecoder() throws Exception {
        ByteBuffer zone = ByteBuffer.allocate(SLOT_SIZE);
        byte[] good = PacketCodec.image(Packet.request(1, PacketType.CONSOLE_WRITE, 0, filled(PAYLOAD_MAX, (byte) 'x')));
        byte[] bad = rawSlot(filled(SLOT_SIZE, (byte) 0x7F), 2, PacketType.CONSOLE_WRITE.requestCode(), 0xFFFF);
        AtomicBoolean stop = new AtomicBoolean();
        Thread peer = new Thread(() -> {
            for (long i = 0; !stop.get(); i++) zone.put(0, (i & 1) == 0 ? good : bad);
        });
        peer.setDaemon(true);
        peer.start();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try {
            for (int i = 0; i < 50_000; i++) {
                PacketCodec.Result r = PacketCodec.decodeRequest(zone, 0);
                if (r instanceof Decoded d)
                    assertEquals(d.packet().length(), d.packet().payload().length);
            }
        } catch (Throwable t) {
            thrown.set(t);
        } finally {
            stop.set(true);
            peer.join(5_000);
        }
        assertNull(thrown.get(), () -> "decoding a slot being rewritten threw " + thrown.get());
    }

    @Test
    void decodingReadsAReadOnlyZone() {
        Packet p = Packet.request(3, PacketType.CONSOLE_WRITE, 0, "hi".getBytes());
        ByteBuffer zone = ByteBuffer.allocate(2 * SLOT_SIZE);
        PacketCodec.encode(p, zone, SLOT_SIZE);
        assertEquals(Optional.of(p), PacketCodec.decodeRequest(zone.asReadOnlyBuffer(), SLOT_SIZE).ok());
    }

    @Test
    void aSlotOutsideTheBufferIsRefused() {
        ByteBuffer zone = ByteBuffer.allocate(2 * SLOT_SIZE);
        Packet p = Packet.diskRead(1, 0, 1);
        for (int off : new int[] {-1, SLOT_SIZE + 1, 2 * SLOT_SIZE, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThrows(IndexOutOfBoundsException.class, () -> PacketCodec.encode(p, zone, off));
            assertThrows(IndexOutOfBoundsException.class, () -> PacketCodec.decode(zone, off));
        }
        assertThrows(IllegalArgumentException.class, () -> PacketCodec.parse(new byte[SLOT_SIZE - 1], Direction.ANY));
    }

    // ---- request-level checks ------------------------------------------------------------------

    @Test
    void diskRequestsMustLieWithinTheDisk() {
        long disk = 1 << 20;
        assertEquals(Optional.empty(), PacketCodec.checkDiskRange(Packet.diskRead(1, disk - 48, 48), disk));
        assertEquals(Optional.of(PacketError.BAD_RANGE), PacketCodec.checkDiskRange(Packet.diskRead(1, disk - 47, 48), disk));
        assertEquals(Optional.of(PacketError.BAD_RANGE),
                PacketCodec.checkDiskRange(Packet.request(1, PacketType.DISK_WRITE, 0xFFFF_FFFFL, new byte[1]), disk));
        // the console and a guest's port I/O have no disk range; nor do responses
        assertEquals(Optional.empty(),
                PacketCodec.checkDiskRange(Packet.request(1, PacketType.CONSOLE_WRITE, 0, new byte[48]), 0));
        assertEquals(Optional.empty(),
                PacketCodec.checkDiskRange(Packet.request(1, PacketType.GUEST_PIO, 1 << 16, new byte[12]), 0));
        qt().withExamples(500).forAll(packets(), longs().between(0, 1L << 33)).checkAssert((p, size) -> {
            boolean isDisk = !p.isResponse() && (p.kind() == PacketType.DISK_READ || p.kind() == PacketType.DISK_WRITE);
            boolean fits = p.arg0() + p.length() <= size;
            assertEquals(isDisk && !fits, PacketCodec.checkDiskRange(p, size).isPresent(), p::toString);
        });
    }

    // ---- Packet itself ---------------------------------------------------------------------

    @Test
    void packetsAreValuesWithDefensiveCopies() {
        qt().withExamples(500).forAll(packets()).checkAssert(p -> {
            Packet q = new Packet(p.id(), p.type(), p.length(), p.arg0(), p.status(), p.payload());
            assertEquals(p, q);
            assertEquals(p.hashCode(), q.hashCode());
            byte[] out = p.payload();
            if (out.length > 0) {
                out[0]++;
                assertArrayEquals(q.payload(), p.payload(), "the returned payload was the packet's own");
                assertNotEquals(p, new Packet(p.id(), p.type(), p.length(), p.arg0(), p.status(), out));
            }
        });
        byte[] in = {1, 2, 3};
        Packet p = Packet.request(1, PacketType.CONSOLE_WRITE, 0, in);
        in[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, p.payload(), "the packet kept the caller's array");
    }

    @Test
    void malformedPacketsCannotBeBuilt() {
        byte[] none = new byte[0];
        assertThrows(IllegalArgumentException.class, () -> new Packet(-1, 1, 0, 0, 0, none));
        assertThrows(IllegalArgumentException.class, () -> new Packet(1L << 32, 2, 0, 0, 0, none));
        assertThrows(IllegalArgumentException.class, () -> new Packet(1, 2, 0, 1L << 32, 0, none));
        assertThrows(IllegalArgumentException.class, () -> new Packet(1, 2, 0, 0, -1, none));
        assertThrows(IllegalArgumentException.class, () -> new Packet(1, 5, 0, 0, 0, none));
        assertThrows(IllegalArgumentException.class, () -> new Packet(1, 0x85, 0, 0, 0, none));
        assertThrows(IllegalArgumentException.class, () -> new Packet(1, 2, PAYLOAD_MAX + 1, 0, 0, new byte[PAYLOAD_MAX + 1]));
        assertThrows(IllegalArgumentException.class, () -> new Packet(1, 2, 3, 0, 0, new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> new Packet(1, 1, 3, 0, 0, new byte[3])); // DISK_READ: no payload
        assertThrows(NullPointerException.class, () -> new Packet(1, 2, 0, 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> Packet.request(1, PacketType.DISK_READ, 0, none));
        Packet rsp = Packet.response(Packet.diskRead(5, 0, 4), SharedZoneLayout.STATUS_OK, new byte[4]);
        assertThrows(IllegalArgumentException.class, () -> Packet.response(rsp, 0, none));
    }

    @Test
    void aResponseAnswersItsRequest() {
        Packet req = Packet.request(42, PacketType.DISK_WRITE, 4096, new byte[] {5});
        Packet rsp = Packet.response(req, SharedZoneLayout.STATUS_BAD_REQUEST, new byte[0]);
        assertEquals(42, rsp.id());
        assertEquals(0x82, rsp.type());
        assertEquals(PacketType.DISK_WRITE, rsp.kind());
        assertTrue(rsp.isResponse());
        assertFalse(req.isResponse());
        assertEquals(SharedZoneLayout.STATUS_BAD_REQUEST, rsp.status());
        for (PacketType t : PacketType.values()) {
            assertEquals(Optional.of(t), PacketType.ofRequestCode(t.requestCode()));
            assertEquals(Optional.of(t), PacketType.ofResponseCode(t.responseCode()));
            assertEquals(Optional.empty(), PacketType.ofRequestCode(t.responseCode()));
            assertEquals(Optional.empty(), PacketType.ofResponseCode(t.requestCode()));
        }
    }
}
