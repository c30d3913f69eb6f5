package coopvmm.model.zone;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static coopvmm.model.zone.SharedZoneLayout.CHANNEL_MAGIC;
import static coopvmm.model.zone.SharedZoneLayout.CHANNEL_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.CH_IOPM;
import static coopvmm.model.zone.SharedZoneLayout.CH_MAGIC;
import static coopvmm.model.zone.SharedZoneLayout.CH_RING_SLOTS;
import static coopvmm.model.zone.SharedZoneLayout.CH_SLOT_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.HEARTBEAT;
import static coopvmm.model.zone.SharedZoneLayout.INITIAL_EVENT;
import static coopvmm.model.zone.SharedZoneLayout.INITIAL_INDEX;
import static coopvmm.model.zone.SharedZoneLayout.REQ_CONS;
import static coopvmm.model.zone.SharedZoneLayout.REQ_EVENT;
import static coopvmm.model.zone.SharedZoneLayout.REQ_PROD;
import static coopvmm.model.zone.SharedZoneLayout.REQ_RING_OFFSET;
import static coopvmm.model.zone.SharedZoneLayout.RING_SLOTS;
import static coopvmm.model.zone.SharedZoneLayout.RSP_CONS;
import static coopvmm.model.zone.SharedZoneLayout.RSP_EVENT;
import static coopvmm.model.zone.SharedZoneLayout.RSP_PROD;
import static coopvmm.model.zone.SharedZoneLayout.SLOT_SIZE;
import static coopvmm.model.zone.SharedZoneLayout.STATUS;
import static coopvmm.model.zone.SharedZoneLayout.STATUS_NOT_STARTED;

/**
 * A view of the channel of IOPM {@code k} in a buffer holding the shared zone (zone offset 0
 * at buffer index 0): the control words as unsigned 32-bit values, and the two rings.
 *
 * <p>The view never moves the buffer's position or limit and never changes its byte order (it
 * works on a little-endian duplicate). The constructor checks that the whole channel page lies
 * within the buffer; every later access is at a constant offset in that page or at a slot
 * offset masked from the index ({@link SharedZoneLayout#slotOffset}), so no index, however
 * large or hostile, can reach outside it.
 *
 * <p>Who may write what (VMM area, IOPM area, rings) is the protocol's business, not this
 * view's: it is a model of the memory, and tests use it from both sides.
 */
public final class Channel {

    private static final long U32_MAX = 0xFFFF_FFFFL;

    private final ByteBuffer zone;
    private final int k;
    private final int base;

    /**
     * @param zone the shared zone; its limit must cover channel {@code k}'s whole page
     * @param k    the IOPM index, {@code 0 .. MAX_IOPMS-1}
     */
    public Channel(ByteBuffer zone, int k) {
        this.base = SharedZoneLayout.channelOffset(k); // checks k
        if (zone.limit() < base + CHANNEL_SIZE)
            throw new IllegalArgumentException("zone of " + zone.limit() + " bytes has no room for channel "
                    + k + " at 0x" + Integer.toHexString(base) + " (needs "
                    + (base + CHANNEL_SIZE) + ")");
        this.zone = zone.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.k = k;
    }

    /** The IOPM index this channel serves. */
    public int iopm() {
        return k;
    }

    /** Offset of this channel in the zone. */
    public int offset() {
        return base;
    }

    /**
     * The VMM's initialisation, before the AP starts: the whole channel page zeroed, the
     * header written, every index 0, both event indexes 1, status "not started", heartbeat 0.
     */
    public void init() {
        zone.put(base, new byte[CHANNEL_SIZE]);
        putU32(CH_MAGIC, Integer.toUnsignedLong(CHANNEL_MAGIC));
        putU32(CH_IOPM, k);
        putU32(CH_RING_SLOTS, RING_SLOTS);
        putU32(CH_SLOT_SIZE, SLOT_SIZE);
        setReqProd(INITIAL_INDEX);
        setRspCons(INITIAL_INDEX);
        setRspEvent(INITIAL_EVENT);
        setRspProd(INITIAL_INDEX);
        setReqCons(INITIAL_INDEX);
        setReqEvent(INITIAL_EVENT);
        setStatus(STATUS_NOT_STARTED);
        setHeartbeat(0);
    }

    // ---- header ----------------------------------------------------------------------

    public long magic() {
        return getU32(CH_MAGIC);
    }

    /** The {@code iopm} header field (k, once initialised). */
    public long headerIopm() {
        return getU32(CH_IOPM);
    }

    public long ringSlots() {
        return getU32(CH_RING_SLOTS);
    }

    public long slotSize() {
        return getU32(CH_SLOT_SIZE);
    }

    /** Does the header say what {@link #init()} writes? */
    public boolean headerValid() {
        return magic() == Integer.toUnsignedLong(CHANNEL_MAGIC) && headerIopm() == k
                && ringSlots() == RING_SLOTS && slotSize() == SLOT_SIZE;
    }

    // ---- VMM-controlled area -----------------------------------------------------------

    public long reqProd() {
        return getU32(REQ_PROD);
    }

    public void setReqProd(long v) {
        putU32(REQ_PROD, v);
    }

    public long rspCons() {
        return getU32(RSP_CONS);
    }

    public void setRspCons(long v) {
        putU32(RSP_CONS, v);
    }

    public long rspEvent() {
        return getU32(RSP_EVENT);
    }

    public void setRspEvent(long v) {
        putU32(RSP_EVENT, v);
    }

    // ---- IOPM-controlled area ----------------------------------------------------------

    public long rspProd() {
        return getU32(RSP_PROD);
    }

    public void setRspProd(long v) {
        putU32(RSP_PROD, v);
    }

    public long reqCons() {
        return getU32(REQ_CONS);
    }

    public void setReqCons(long v) {
        putU32(REQ_CONS, v);
    }

    public long reqEvent() {
        return getU32(REQ_EVENT);
    }

    public void setReqEvent(long v) {
        putU32(REQ_EVENT, v);
    }

    public long status() {
        return getU32(STATUS);
    }

    public void setStatus(long v) {
        putU32(STATUS, v);
    }

    public long heartbeat() {
        return getU32(HEARTBEAT);
    }

    public void setHeartbeat(long v) {
        putU32(HEARTBEAT, v);
    }

    // ---- data areas --------------------------------------------------------------------

    /** Zone offset of the request slot that u32 index {@code index} names. */
    public int requestSlotOffset(long index) {
        return base + SharedZoneLayout.slotOffset(REQ_RING_OFFSET, requireU32("index", index));
    }

    /** Zone offset of the response slot that u32 index {@code index} names. */
    public int responseSlotOffset(long index) {
        return base + SharedZoneLayout.slotOffset(SharedZoneLayout.rspRingOffset(), requireU32("index", index));
    }

    /** Writes request {@code p} into the request slot of free-running index {@code index}. */
    public void writeRequest(long index, Packet p) {
        if (p.isResponse()) throw new IllegalArgumentException("a response in the request ring: " + p);
        PacketCodec.encode(p, zone, requestSlotOffset(index));
    }

    /** Copies out and validates the request slot of free-running index {@code index}. */
    public PacketCodec.Result readRequest(long index) {
        return PacketCodec.decodeRequest(zone, requestSlotOffset(index));
    }

    /** Writes response {@code p} into the response slot of free-running index {@code index}. */
    public void writeResponse(long index, Packet p) {
        if (!p.isResponse()) throw new IllegalArgumentException("a request in the response ring: " + p);
        PacketCodec.encode(p, zone, responseSlotOffset(index));
    }

    /** Copies out and validates the response slot of free-running index {@code index}. */
    public PacketCodec.Result readResponse(long index) {
        return PacketCodec.decodeResponse(zone, responseSlotOffset(index));
    }

    // ---- u32 access within this channel's page -------------------------------------------

    private long getU32(int off) {
        return Integer.toUnsignedLong(zone.getInt(base + off));
    }

    private void putU32(int off, long v) {
        zone.putInt(base + off, (int) requireU32("value", v));
    }

    private static long requireU32(String what, long v) {
        if (v < 0 || v > U32_MAX) throw new IllegalArgumentException(what + " " + v + " is not a u32");
        return v;
    }

    @Override
    public String toString() {
        return "Channel[k=" + k + ", reqProd=" + reqProd() + ", reqCons=" + reqCons() + ", reqEvent="
                + reqEvent() + ", rspProd=" + rspProd() + ", rspCons=" + rspCons() + ", rspEvent="
                + rspEvent() + ", status=" + status() + ", heartbeat=" + heartbeat() + "]";
    }
}
