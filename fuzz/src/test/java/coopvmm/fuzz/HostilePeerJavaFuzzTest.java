package coopvmm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import coopvmm.fuzz.ZoneConsumer.Delivered;
import coopvmm.fuzz.ZoneConsumer.Drain;
import coopvmm.fuzz.ZoneConsumer.ErrorKind;
import coopvmm.fuzz.ZoneConsumer.Item;
import coopvmm.fuzz.ZoneConsumer.Rejected;
import coopvmm.fuzz.ZoneConsumer.Role;
import coopvmm.model.zone.Channel;
import coopvmm.model.zone.Packet;
import coopvmm.model.zone.PacketCodec;
import coopvmm.model.zone.PacketType;
import coopvmm.model.zone.SharedZoneLayout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static coopvmm.model.zone.SharedZoneLayout.RING_SLOTS;
import static coopvmm.model.zone.SharedZoneLayout.SLOT_SIZE;

/**
 * Harness 1: a hostile peer against the Java consumer loops ({@link ZoneConsumer}), VMM side
 * (responses) and IOPM side (requests). The fuzzer owns every byte the peer may write (its
 * control area and its data area) and rewrites them between the consumer's reads
 * ({@link HostileMemory}). Oracles: no exception but the typed errors; no access outside the
 * zone, the channel page or the consumer's own words; the peer's index read once per drain;
 * each slot copied once; the consumed count within the budget and the validated distance
 * (never more than RING_SLOTS); the consumer index never past the validated producer index;
 * every verdict equal to what the layout document says of the copy the consumer got (ids
 * checked against what is outstanding, by the harness's own bookkeeping).
 *
 * <p>Real fuzzing: {@code fuzz/fuzz.sh java SECONDS}. Planted bugs:
 * {@code -Dcoopvmm.fuzz.consumerVariant=TRUST_PEER_INDEX|DOUBLE_FETCH|NO_ID_CHECK}.
 */
class HostilePeerJavaFuzzTest {

    static final long DISK_SIZE = 64 * 1024;
    static final long U32 = 0xFFFF_FFFFL;

    @FuzzTest
    void hostilePeer(FuzzedDataProvider data) {
        new Run(data).go();
    }

    static final class Run {
        final FuzzedDataProvider data;
        final int k;
        final Role role;
        final boolean vmm;
        final ByteBuffer zone = ByteBuffer.allocate(SharedZoneLayout.ZONE_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final Channel ch;
        final HostileMemory mem;
        final ZoneConsumer consumer;
        final int peerRing;
        // the harness's own bookkeeping
        final Map<Long, PacketType> outstanding = new HashMap<>(); // VMM: issued, unanswered
        final List<Long> recentIds = new ArrayList<>();             // ids the peer may echo
        long nextIssue = 1;
        long expectedReq = 1;                                       // IOPM: the k-th request has id k
        long cons;
        boolean broken;

        Run(FuzzedDataProvider data) {
            this.data = data;
            this.k = data.consumeInt(0, SharedZoneLayout.MAX_IOPMS - 1);
            this.vmm = data.consumeBoolean();
            this.role = vmm ? Role.VMM_RESPONSES : Role.IOPM_REQUESTS;
            this.ch = new Channel(zone, k);
            ch.init();
            // start anywhere in the index space (near the u32 wrap, often)
            long start = switch (data.consumeInt(0, 2)) {
                case 0 -> 0;
                case 1 -> (U32 + 1 - data.consumeInt(1, 2 * RING_SLOTS)) & U32;
                default -> Integer.toUnsignedLong(data.consumeInt());
            };
            if (vmm) {
                ch.setRspCons(start);
                ch.setRspProd(start);
            } else {
                ch.setReqCons(start);
                ch.setReqProd(start);
            }
            this.cons = start;
            this.peerRing = ch.offset() + (vmm ? SharedZoneLayout.rspRingOffset() : SharedZoneLayout.REQ_RING_OFFSET);
            this.mem = new HostileMemory(zone, data, k, vmm, (d, off) -> forge(d));
            ZoneConsumer.Variant variant = ZoneConsumer.Variant.valueOf(
                    System.getProperty("coopvmm.fuzz.consumerVariant", "REFERENCE").trim());
            this.consumer = new ZoneConsumer(mem, k, role, DISK_SIZE, variant);
        }

        void go() {
            for (int ops = 0; ops < 200 && data.remainingBytes() > 0; ops++) {
                switch (data.consumeInt(0, 6)) {
                    case 0 -> publish();
                    case 1 -> scribble();
                    case 2, 3 -> drain();
                    case 4 -> issue();
                    case 5 -> sleepCheck();
                    default -> writeSlot(data.consumeInt(0, RING_SLOTS - 1), forge(data));
                }
            }
        }

        // ---- the peer ------------------------------------------------------------------

        /** The peer writes some packets after the consumer index and publishes an index. */
        void publish() {
            int n = data.consumeInt(0, RING_SLOTS + 2);
            for (int i = 0; i < n; i++) writeSlot((int) ((cons + i) & (RING_SLOTS - 1)), forge(data));
            long prod = switch (data.consumeInt(0, 3)) {
                case 0, 1 -> cons + n;
                case 2 -> cons + data.consumeInt(0, 40);
                default -> Integer.toUnsignedLong(data.consumeInt());
            };
            setPeerProd(prod & U32);
        }

        /** The peer writes raw bytes anywhere in what it owns. */
        void scribble() {
            boolean area = data.consumeBoolean();
            int base = area ? ch.offset() + (vmm ? SharedZoneLayout.IOPM_AREA_OFFSET : SharedZoneLayout.VMM_AREA_OFFSET)
                    : peerRing;
            int size = area ? SharedZoneLayout.AREA_SIZE : SharedZoneLayout.RING_BYTES;
            int off = data.consumeInt(0, size - 1);
            byte[] b = data.consumeBytes(Math.min(16, size - off));
            zone.put(base + off, b);
        }

        void setPeerProd(long v) {
            if (vmm) ch.setRspProd(v);
            else ch.setReqProd(v);
        }

        void writeSlot(int slot, byte[] img) {
            zone.put(peerRing + slot * SLOT_SIZE, img);
        }

        /** A slot image: mostly well-formed packets with plausible ids, sometimes junk. */
        byte[] forge(FuzzedDataProvider d) {
            int mode = d.consumeInt(0, 3);
            if (mode == 3) {
                byte[] raw = d.consumeBytes(SLOT_SIZE);
                return raw.length == SLOT_SIZE ? raw : java.util.Arrays.copyOf(raw, SLOT_SIZE);
            }
            long id = pickId(d);
            PacketType t = d.pickValue(PacketType.values());
            int len = d.consumeInt(0, SharedZoneLayout.PAYLOAD_MAX);
            byte[] img;
            if (vmm) {
                int plen = t == PacketType.DISK_READ ? len : 0;
                img = PacketCodec.image(new Packet(id, t.responseCode(), plen, 0, d.consumeInt(0, 1), new byte[plen]));
            } else if (t == PacketType.DISK_READ) {
                img = PacketCodec.image(Packet.diskRead(id, d.consumeLong(0, DISK_SIZE), len));
            } else {
                img = PacketCodec.image(Packet.request(id, t, t == PacketType.DISK_WRITE ? d.consumeLong(0, DISK_SIZE) : 0,
                        new byte[len]));
            }
            if (mode == 2) { // one field made wrong
                ByteBuffer b = ByteBuffer.wrap(img).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                switch (d.consumeInt(0, 2)) {
                    case 0 -> b.putShort(SharedZoneLayout.PKT_TYPE, d.consumeShort());
                    case 1 -> b.putShort(SharedZoneLayout.PKT_LENGTH, d.consumeShort());
                    default -> b.putInt(SharedZoneLayout.PKT_ID, d.consumeInt());
                }
            }
            return img;
        }

        long pickId(FuzzedDataProvider d) {
            if (!vmm) return d.consumeBoolean() ? expectedReq + d.consumeInt(0, RING_SLOTS) : d.consumeInt(0, 40);
            if (!recentIds.isEmpty() && d.consumeBoolean()) return recentIds.get(d.consumeInt(0, recentIds.size() - 1));
            return d.consumeInt(0, (int) Math.min(nextIssue + 2, 1 << 20));
        }

        // ---- the consumer side ---------------------------------------------------------

        /** The VMM issues requests (their responses become expected). */
        void issue() {
            if (!vmm) return;
            int n = data.consumeInt(1, 4);
            for (int i = 0; i < n; i++) {
                PacketType t = data.pickValue(PacketType.values());
                consumer.expect(nextIssue, t);
                outstanding.put(nextIssue, t);
                recentIds.add(nextIssue);
                nextIssue++;
            }
        }

        void drain() {
            int budget = data.consumeInt(0, 40);
            mem.reset();
            mem.strayAccesses = 0;
            Drain d = consumer.drain(budget);
            check(d.consBefore() == cons, "drain started at " + d.consBefore() + ", not " + cons);
            if (broken) {
                check(d.fatal() == ErrorKind.PEER_BROKEN && d.items().isEmpty(), "a broken peer was consumed from: " + d);
                check(mem.wordReads.isEmpty() && mem.slotCopies.isEmpty(), "a broken peer was read again");
                return;
            }
            check(mem.wordReads.size() == 1, "the peer's producer index was read " + mem.wordReads.size() + " times");
            long prod = mem.wordReads.get(0)[1];
            check(d.prodSeen() == prod, "prodSeen " + d.prodSeen() + " is not the value read, " + prod);
            long dist = (prod - cons) & U32;
            if (d.fatal() == ErrorKind.PEER_INDEX_TOO_FAR) {
                check(dist > RING_SLOTS, "PEER_INDEX_TOO_FAR with distance " + dist);
                check(d.items().isEmpty() && mem.slotCopies.isEmpty(), "consumed past a bogus index");
                check(consumer.broken(), "peer not given up");
                broken = true;
                return;
            }
            check(d.fatal() == null, "unexpected fatal error " + d.fatal());
            check(dist <= RING_SLOTS, "peer index " + prod + " is " + dist + " ahead of " + cons + ", not rejected");
            int n = d.items().size();
            check(n <= RING_SLOTS && n <= budget, "consumed " + n + " > budget " + budget + " or RING_SLOTS");
            check(n == Math.min(dist, budget), "consumed " + n + ", available " + dist + ", budget " + budget);
            check(mem.slotCopies.size() == n, n + " packets from " + mem.slotCopies.size() + " slot copies");
            for (int i = 0; i < n; i++) {
                long idx = (cons + i) & U32;
                int want = SharedZoneLayout.slotOffset(peerRing, idx);
                check(mem.slotReadOffsets.get(i) == want, "packet " + idx + " copied from the wrong slot");
                Item it = d.items().get(i);
                check(it.index() == idx, "item index " + it.index() + ", expected " + idx);
                checkVerdict(it, mem.slotCopies.get(i));
            }
            cons = (cons + n) & U32;
            check(d.consAfter() == cons && consumer.cons() == cons && mem.ownCons() == cons,
                    "consumer index: result " + d.consAfter() + ", private " + consumer.cons() + ", shared "
                            + mem.ownCons() + ", expected " + cons);
        }

        /** What the layout document says of the slot copy, against the consumer's verdict. */
        void checkVerdict(Item it, byte[] copy) {
            PacketCodec.Result r = PacketCodec.parse(copy,
                    vmm ? PacketCodec.Direction.RESPONSE : PacketCodec.Direction.REQUEST);
            if (r instanceof PacketCodec.Rejected bad) {
                check(it instanceof Rejected rj && rj.kind() == ErrorKind.MALFORMED_PACKET && rj.detail() == bad.error(),
                        "malformed slot (" + bad.error() + ") gave " + it);
                return;
            }
            Packet p = ((PacketCodec.Decoded) r).packet();
            if (vmm) {
                PacketType asked = outstanding.remove(p.id());
                if (asked == null) {
                    check(it instanceof Rejected rj && rj.kind() == ErrorKind.UNEXPECTED_ID,
                            "response id " + p.id() + " answers nothing outstanding, yet " + it);
                } else if (asked != p.kind()) {
                    check(it instanceof Rejected rj && rj.kind() == ErrorKind.MISMATCHED_TYPE,
                            "response of type " + p.kind() + " to a " + asked + " request gave " + it);
                } else {
                    check(it instanceof Delivered dl && dl.packet().equals(p), "response " + p + " gave " + it);
                }
            } else {
                long want = expectedReq;
                expectedReq = (expectedReq + 1) & U32;
                if (p.id() != want) {
                    check(it instanceof Rejected rj && rj.kind() == ErrorKind.UNEXPECTED_ID,
                            "request id " + p.id() + " where " + want + " was due gave " + it);
                } else if (PacketCodec.checkDiskRange(p, DISK_SIZE).isPresent()) {
                    check(it instanceof Rejected rj && rj.kind() == ErrorKind.MALFORMED_PACKET,
                            "out-of-disk request gave " + it);
                } else {
                    check(it instanceof Delivered dl && dl.packet().equals(p), "request " + p + " gave " + it);
                }
            }
        }

        void sleepCheck() {
            consumer.prepareSleep();
            long ev = Integer.toUnsignedLong(zone.getInt(ch.offset()
                    + (vmm ? SharedZoneLayout.RSP_EVENT : SharedZoneLayout.REQ_EVENT)));
            check(ev == ((cons + 1) & U32), "event index " + ev + " armed, not cons + 1 = " + (cons + 1));
            mem.reset();
            boolean sleep = consumer.finalCheck();
            if (broken) return;
            check(mem.wordReads.size() == 1, "final check read the producer index " + mem.wordReads.size() + " times");
            check(sleep == (mem.wordReads.get(0)[1] == cons), "final check said sleep=" + sleep
                    + " with prod " + mem.wordReads.get(0)[1] + ", cons " + cons);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(Objects.requireNonNull(what));
    }
}
