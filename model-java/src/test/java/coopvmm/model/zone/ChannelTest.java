package coopvmm.model.zone;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.function.LongConsumer;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import coopvmm.model.zone.PacketCodec.Decoded;

import static coopvmm.model.zone.SharedZoneLayout.CHANNEL_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.MAX_IOPMS;
import static coopvmm.model.zone.SharedZoneLayout.REQ_RING_OFFSET;
import static coopvmm.model.zone.SharedZoneLayout.RING_BYTES;
import static coopvmm.model.zone.SharedZoneLayout.RING_SLOTS;
import static coopvmm.model.zone.SharedZoneLayout.SLOT_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.ZONE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

class ChannelTest {

    private static final long U32 = 1L << 32;

    /** A zone full of random bytes: what init does not write must stay as it was. */
    static ByteBuffer dirtyZone(long seed) {
        byte[] z = new byte[ZONE_SIZE];
        new Random(seed).nextBytes(z);
        return ByteBuffer.wrap(z);
    }

    static Gen<Long> indexes() {
        // any u32, and the values around the wrap, where a sloppy mask or sign would show
        return longs().between(0, U32 - 1).mix(longs().between(U32 - 3 * RING_SLOTS, U32 - 1));
    }

    static Gen<Integer> iopms() {
        return integers().between(0, MAX_IOPMS - 1);
    }

    static int u32At(ByteBuffer zone, int off) {
        return ByteBuffer.wrap(zone.array()).order(ByteOrder.LITTLE_ENDIAN).getInt(off);
    }

    @Test
    void initWritesTheWholeChannelAndNothingElse() {
        qt().withExamples(50).forAll(iopms(), longs().all()).checkAssert((k, seed) -> {
            ByteBuffer zone = dirtyZone(seed);
            byte[] before = zone.array().clone();
            Channel ch = new Channel(zone, k);
            ch.init();
            int base = SharedZoneLayout.channelOffset(k);
            byte[] after = zone.array();
            ZoneBytes.assertUnchangedOutside(before, after, base, base + CHANNEL_SIZE, "init of channel " + k);
            assertTrue(ch.headerValid());
            assertEquals(0x4E414843, u32At(zone, base)); // "CHAN"
            assertEquals(k, u32At(zone, base + 4));
            assertEquals(List.of(0L, 0L, 1L), List.of(ch.reqProd(), ch.rspCons(), ch.rspEvent()));
            assertEquals(List.of(0L, 0L, 1L), List.of(ch.rspProd(), ch.reqCons(), ch.reqEvent()));
            assertEquals(SharedZoneLayout.STATUS_NOT_STARTED, ch.status());
            assertEquals(0, ch.heartbeat());
            // the rest of the channel page is zero: no stale packet in either ring
            int[] written = {SharedZoneLayout.CH_MAGIC, SharedZoneLayout.CH_IOPM, SharedZoneLayout.CH_RING_SLOTS,
                    SharedZoneLayout.CH_SLOT_SIZE, SharedZoneLayout.RSP_EVENT, SharedZoneLayout.REQ_EVENT};
            byte[] expected = new byte[CHANNEL_SIZE];
            ByteBuffer e = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
            e.putInt(written[0], SharedZoneLayout.CHANNEL_MAGIC).putInt(written[1], k)
                    .putInt(written[2], RING_SLOTS).putInt(written[3], SLOT_SIZE)
                    .putInt(written[4], 1).putInt(written[5], 1);
            assertTrue(Arrays.equals(expected, 0, CHANNEL_SIZE, after, base, base + CHANNEL_SIZE));
            for (long i = 0; i < RING_SLOTS; i++) {
                assertTrue(ch.readRequest(i) instanceof PacketCodec.Rejected); // type 0: nothing there
                assertTrue(ch.readResponse(i) instanceof PacketCodec.Rejected);
            }
        });
    }

    @Test
    void controlWordsAreU32sAtTheirOffsets() {
        record Word(String name, int offset, LongSupplier get, LongConsumer set) {
        }
        qt().withExamples(150).forAll(iopms(), indexes()).checkAssert((k, v) -> {
            ByteBuffer zone = ByteBuffer.allocate(ZONE_SIZE);
            Channel ch = new Channel(zone, k);
            int base = ch.offset();
            List<Word> words = List.of(
                    new Word("req_prod", SharedZoneLayout.REQ_PROD, ch::reqProd, ch::setReqProd),
                    new Word("rsp_cons", SharedZoneLayout.RSP_CONS, ch::rspCons, ch::setRspCons),
                    new Word("rsp_event", SharedZoneLayout.RSP_EVENT, ch::rspEvent, ch::setRspEvent),
                    new Word("rsp_prod", SharedZoneLayout.RSP_PROD, ch::rspProd, ch::setRspProd),
                    new Word("req_cons", SharedZoneLayout.REQ_CONS, ch::reqCons, ch::setReqCons),
                    new Word("req_event", SharedZoneLayout.REQ_EVENT, ch::reqEvent, ch::setReqEvent),
                    new Word("status", SharedZoneLayout.STATUS, ch::status, ch::setStatus),
                    new Word("heartbeat", SharedZoneLayout.HEARTBEAT, ch::heartbeat, ch::setHeartbeat));
            for (Word w : words) {
                byte[] before = zone.array().clone();
                w.set().accept(v);
                assertEquals(v, w.get().getAsLong(), w.name());
                assertEquals((int) (long) v, u32At(zone, base + w.offset()), w.name() + " is not little-endian at its offset");
                ZoneBytes.assertUnchangedOutside(before, zone.array(), base + w.offset(), base + w.offset() + 4,
                        "setting " + w.name());
                assertThrows(IllegalArgumentException.class, () -> w.set().accept(-1));
                assertThrows(IllegalArgumentException.class, () -> w.set().accept(U32));
                assertEquals(v, w.get().getAsLong(), w.name() + " changed by a refused write");
            }
        });
    }

    @Test
    void packetsRoundTripAtAnyU32Index() {
        qt().withExamples(500).forAll(iopms(), indexes(), PacketCodecTest.packets()).checkAssert((k, i, p) -> {
            ByteBuffer zone = ByteBuffer.allocate(ZONE_SIZE);
            Channel ch = new Channel(zone, k);
            ch.init();
            byte[] before = zone.array().clone();
            int ring = ch.offset() + (p.isResponse() ? SharedZoneLayout.rspRingOffset() : REQ_RING_OFFSET);
            if (p.isResponse()) ch.writeResponse(i, p); else ch.writeRequest(i, p);
            PacketCodec.Result back = p.isResponse() ? ch.readResponse(i) : ch.readRequest(i);
            assertEquals(new Decoded(p), back);
            // the same slot under every name the free-running index gives it
            long alias = (i + RING_SLOTS) % U32;
            assertEquals(back, p.isResponse() ? ch.readResponse(alias) : ch.readRequest(alias));
            // and in the other ring there is nothing
            assertTrue((p.isResponse() ? ch.readRequest(i) : ch.readResponse(i)) instanceof PacketCodec.Rejected);
            // only the slot of index i, in the right ring of the right channel, changed
            int slot = ring + (int) (i % RING_SLOTS) * SLOT_SIZE;
            assertEquals(slot, p.isResponse() ? ch.responseSlotOffset(i) : ch.requestSlotOffset(i));
            ZoneBytes.assertUnchangedOutside(before, zone.array(), slot, slot + SLOT_SIZE, "writing index " + i);
        });
    }

    @Test
    void consecutiveIndexesAreConsecutiveSlotsAcrossTheWrap() {
        Channel ch = new Channel(ByteBuffer.allocate(ZONE_SIZE), 0);
        for (long i = U32 - 2 * RING_SLOTS; i < U32 + 2 * RING_SLOTS; i++) {
            long idx = i % U32, next = (i + 1) % U32;
            int a = ch.requestSlotOffset(idx), b = ch.requestSlotOffset(next);
            assertEquals((a - ch.offset() - REQ_RING_OFFSET + SLOT_SIZE) % RING_BYTES, b - ch.offset() - REQ_RING_OFFSET,
                    "index " + idx + " -> " + next);
        }
    }

    @Test
    void anIndexThatIsNoU32IsRefusedNotAnOutOfBounds() {
        Gen<Long> notU32 = longs().between(Long.MIN_VALUE, -1).mix(longs().between(U32, Long.MAX_VALUE));
        Channel ch = new Channel(ByteBuffer.allocate(ZONE_SIZE), MAX_IOPMS - 1);
        Packet req = Packet.diskRead(1, 0, 8);
        Packet rsp = Packet.response(req, 0, new byte[8]);
        qt().withExamples(300).forAll(notU32).checkAssert(i -> {
            assertThrows(IllegalArgumentException.class, () -> ch.writeRequest(i, req));
            assertThrows(IllegalArgumentException.class, () -> ch.readRequest(i));
            assertThrows(IllegalArgumentException.class, () -> ch.writeResponse(i, rsp));
            assertThrows(IllegalArgumentException.class, () -> ch.readResponse(i));
        });
    }

    @Test
    void aPacketInTheWrongRingIsRefused() {
        ByteBuffer zone = ByteBuffer.allocate(ZONE_SIZE);
        Channel ch = new Channel(zone, 2);
        Packet req = Packet.request(1, PacketType.CONSOLE_WRITE, 0, "ok".getBytes());
        Packet rsp = Packet.response(req, 0, new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> ch.writeRequest(0, rsp));
        assertThrows(IllegalArgumentException.class, () -> ch.writeResponse(0, req));
        // a peer that puts a response in the request ring anyway: a typed error on reading
        PacketCodec.encode(rsp, zone, ch.requestSlotOffset(5));
        assertEquals(Optional.of(PacketError.BAD_TYPE), ch.readRequest(5).rejected());
        PacketCodec.encode(req, zone, ch.responseSlotOffset(5));
        assertEquals(Optional.of(PacketError.BAD_TYPE), ch.readResponse(5).rejected());
    }

    @Test
    void aZoneTooSmallOrABadIopmIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Channel(ByteBuffer.allocate(ZONE_SIZE), -1));
        assertThrows(IllegalArgumentException.class, () -> new Channel(ByteBuffer.allocate(ZONE_SIZE), MAX_IOPMS));
        int end = SharedZoneLayout.channelOffset(3) + CHANNEL_SIZE;
        assertThrows(IllegalArgumentException.class, () -> new Channel(ByteBuffer.allocate(end - 1), 3));
        new Channel(ByteBuffer.allocate(end), 3).init(); // exactly enough
        ByteBuffer limited = ByteBuffer.allocate(ZONE_SIZE).limit(end - 1);
        assertThrows(IllegalArgumentException.class, () -> new Channel(limited, 3));
    }

    @Test
    void theCallersBufferKeepsItsPositionLimitAndOrderAndDirectBuffersWork() {
        for (ByteBuffer zone : List.of(ByteBuffer.allocate(ZONE_SIZE), ByteBuffer.allocateDirect(ZONE_SIZE))) {
            zone.order(ByteOrder.BIG_ENDIAN).position(100);
            Channel ch = new Channel(zone, 0);
            ch.init();
            ch.setReqProd(0x01020304L);
            Packet p = Packet.request(9, PacketType.DISK_WRITE, 4, new byte[] {1, 2, 3});
            ch.writeRequest(0xFFFF_FFFFL, p);
            assertEquals(new Decoded(p), ch.readRequest(15));
            assertEquals(100, zone.position());
            assertEquals(ZONE_SIZE, zone.limit());
            assertEquals(ByteOrder.BIG_ENDIAN, zone.order());
            assertEquals(0x04, zone.get(ch.offset() + SharedZoneLayout.REQ_PROD)); // little-endian anyway
            assertFalse(ch.toString().isEmpty());
        }
    }
}
