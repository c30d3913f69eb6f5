package coopvmm.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import coopvmm.model.zone.SharedZoneLayout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static coopvmm.model.zone.SharedZoneLayout.CHANNEL_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.RING_BYTES;
import static coopvmm.model.zone.SharedZoneLayout.SLOT_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.ZONE_SIZE;

/**
 * The shared zone as a hostile peer shares it: before every read of a byte the peer owns,
 * the fuzzer decides whether the peer rewrites it right now (so two reads of the same word
 * can differ). Every access is checked: inside the zone and the consumer's channel page,
 * reads of the peer's slots only whole and aligned, writes only to the consumer's own words.
 * It also records what the consumer read, for the harness's oracles.
 */
final class HostileMemory implements SharedMemory {

    /** What a hostile peer may write into a slot it rewrites, chosen by the fuzzer. */
    interface SlotForger {
        byte[] forge(FuzzedDataProvider data, int slotOffset);
    }

    private final ByteBuffer zone;
    private final FuzzedDataProvider data;
    private final int page;
    private final int peerAreaOff;       // zone offset of the peer's control area
    private final int peerRingOff;       // zone offset of the peer's data area (the consumed ring)
    private final int consOff;           // the consumer's own consumer index
    private final Set<Integer> ownWords; // the consumer's own words
    private final SlotForger forger;

    /** Reads of peer control words since {@link #reset}: offset and value returned. */
    final List<long[]> wordReads = new ArrayList<>();
    /** Slot reads since {@link #reset}: offset, and the bytes the consumer got. */
    final List<Integer> slotReadOffsets = new ArrayList<>();
    final List<byte[]> slotCopies = new ArrayList<>();
    /** Every access outside what the consumer may touch: an oracle failure. */
    int strayAccesses;

    HostileMemory(ByteBuffer zone, FuzzedDataProvider data, int k, boolean peerIsIopm, SlotForger forger) {
        this.zone = zone.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.data = data;
        this.page = SharedZoneLayout.channelOffset(k);
        this.peerAreaOff = page + (peerIsIopm ? SharedZoneLayout.IOPM_AREA_OFFSET : SharedZoneLayout.VMM_AREA_OFFSET);
        this.peerRingOff = page + (peerIsIopm ? SharedZoneLayout.rspRingOffset() : SharedZoneLayout.REQ_RING_OFFSET);
        this.consOff = page + (peerIsIopm ? SharedZoneLayout.RSP_CONS : SharedZoneLayout.REQ_CONS);
        int eventOff = page + (peerIsIopm ? SharedZoneLayout.RSP_EVENT : SharedZoneLayout.REQ_EVENT);
        this.ownWords = Set.of(consOff, eventOff);
        this.forger = forger;
    }

    void reset() {
        wordReads.clear();
        slotReadOffsets.clear();
        slotCopies.clear();
    }

    long ownCons() {
        return Integer.toUnsignedLong(zone.getInt(consOff));
    }

    private void inPage(int off, int len, String what) {
        if (off < 0 || len < 0 || (long) off + len > ZONE_SIZE)
            throw new AssertionError(what + " outside the zone: offset " + off + ", " + len + " bytes");
        if (off < page || off + len > page + CHANNEL_SIZE)
            throw new AssertionError(what + " outside the consumer's channel page: offset 0x"
                    + Integer.toHexString(off));
    }

    @Override
    public long readU32(int off) {
        inPage(off, 4, "u32 read");
        boolean peerWord = off >= peerAreaOff && off < peerAreaOff + SharedZoneLayout.AREA_SIZE;
        boolean peerSlot = off >= peerRingOff && off < peerRingOff + RING_BYTES;
        if (peerSlot) {
            // a field of a shared slot read on its own: the slot was (or will be) copied once
            // already; reading it again is a double fetch
            throw new AssertionError("double fetch: u32 read of a shared slot field at slot offset "
                    + ((off - peerRingOff) % SLOT_SIZE) + " besides the one copy of the slot");
        }
        if (peerWord && data.consumeBoolean()) {
            long cons = ownCons();
            long v = switch (data.consumeInt(0, 3)) {
                case 0 -> cons + data.consumeInt(0, 20);                    // plausible
                case 1 -> cons + SharedZoneLayout.RING_SLOTS + data.consumeInt(1, 3); // just too far
                case 2 -> cons - data.consumeInt(1, 3);                     // behind
                default -> Integer.toUnsignedLong(data.consumeInt());       // anything
            };
            zone.putInt(off, (int) v);
        }
        long v = Integer.toUnsignedLong(zone.getInt(off));
        if (peerWord) wordReads.add(new long[]{off, v});
        return v;
    }

    @Override
    public void read(int off, byte[] dst) {
        inPage(off, dst.length, "slot read");
        if (dst.length != SLOT_SIZE || off < peerRingOff || off + SLOT_SIZE > peerRingOff + RING_BYTES
                || (off - peerRingOff) % SLOT_SIZE != 0)
            throw new AssertionError("bulk read of " + dst.length + " bytes at 0x" + Integer.toHexString(off)
                    + ": not one whole slot of the consumed ring");
        if (data.consumeBoolean()) zone.put(off, forger.forge(data, off)); // the peer races the copy
        zone.get(off, dst);
        slotReadOffsets.add(off);
        slotCopies.add(dst.clone());
    }

    @Override
    public void writeU32(int off, long v) {
        inPage(off, 4, "u32 write");
        if (!ownWords.contains(off))
            throw new AssertionError("write to 0x" + Integer.toHexString(off - page)
                    + " of the channel: not one of the consumer's own words");
        if (v < 0 || v > 0xFFFF_FFFFL) throw new AssertionError("not a u32: " + v);
        zone.putInt(off, (int) v);
    }
}
