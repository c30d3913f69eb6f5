package coopvmm.model.zone;

/**
 * The byte layout of the shared zone, layout version 2: every offset and size of
 * {@code docs/shared-zone.md}, named once. That page is the single source of truth;
 * {@code SharedZoneLayoutTest} parses its tables and compares them with these constants, so
 * the two cannot drift apart silently.
 *
 * <p>All fields are little-endian. Offsets are in bytes; channel field offsets are relative
 * to the start of the channel, zone header field offsets to the start of the zone, packet
 * field offsets to the start of the slot.
 */
public final class SharedZoneLayout {

    private SharedZoneLayout() {
    }

    // ---- sizes that everything else is built from ------------------------------------

    /** Layout version written in the zone header: bump it on any change of this page. */
    public static final int LAYOUT_VERSION = 4;

    /** The most IOPMs the zone has channels for (one 4 KiB channel each). */
    public static final int MAX_IOPMS = 7;

    /** Slots per ring. A power of two, so that a slot is {@code index & (RING_SLOTS - 1)}. */
    public static final int RING_SLOTS = 16;

    /** Bytes per slot: one packet, one 64-byte cache line. */
    public static final int SLOT_SIZE = 64;

    /** Most payload bytes a packet carries ({@code SLOT_SIZE} less the 16-byte packet header). */
    public static final int PAYLOAD_MAX = 48;

    /**
     * Bytes of each control area: one cache line, so that one side's writes never share a
     * line with the other side's.
     */
    public static final int AREA_SIZE = 64;

    /** Bytes of one ring ({@code RING_SLOTS * SLOT_SIZE}). */
    public static final int RING_BYTES = RING_SLOTS * SLOT_SIZE;

    // ---- the zone --------------------------------------------------------------------

    /** The zone header sits at the start of the zone. */
    public static final int ZONE_HEADER_OFFSET = 0x0000;

    /** The zone header has a page of its own (written by the VMM before any AP starts). */
    public static final int ZONE_HEADER_SIZE = 0x1000;

    /** Each channel has a page of its own, so that it can be mapped on its own. */
    public static final int CHANNEL_SIZE = 0x1000;

    /** The whole zone: the header page and one channel page per possible IOPM (32 KiB). */
    public static final int ZONE_SIZE = ZONE_HEADER_SIZE + MAX_IOPMS * CHANNEL_SIZE;

    /** Zone header field: {@code magic}, {@link #ZONE_MAGIC}. */
    public static final int ZH_MAGIC = 0x00;
    /** Zone header field: {@code layout_version}, {@link #LAYOUT_VERSION}. */
    public static final int ZH_LAYOUT_VERSION = 0x04;
    /** Zone header field: {@code iopm_count}. */
    public static final int ZH_IOPM_COUNT = 0x08;
    /** Zone header field: {@code ring_slots}, {@link #RING_SLOTS}. */
    public static final int ZH_RING_SLOTS = 0x0C;
    /** Zone header field: {@code slot_size}, {@link #SLOT_SIZE}. */
    public static final int ZH_SLOT_SIZE = 0x10;
    /** Zone header field: {@code irq_clock}, the VMM's ClockTick count (routing), read by every IOPM. */
    public static final int ZH_IRQ_CLOCK = 0x14;

    /** "COOP" in ASCII, read as a little-endian u32: a reader can tell a zone from garbage. */
    public static final int ZONE_MAGIC = 0x504F4F43;

    /**
     * Offset of the channel of IOPM {@code k} in the zone: {@code 0x1000 * (1 + k)}, the page
     * after the header and the channels before it.
     *
     * @throws IllegalArgumentException unless {@code 0 <= k < MAX_IOPMS}
     */
    public static int channelOffset(int k) {
        if (k < 0 || k >= MAX_IOPMS)
            throw new IllegalArgumentException("IOPM index " + k + " not in 0.." + (MAX_IOPMS - 1));
        return ZONE_HEADER_OFFSET + ZONE_HEADER_SIZE + k * CHANNEL_SIZE;
    }

    // ---- one channel (offsets from the start of the channel) ---------------------------

    /** Channel header (written by the VMM at init): magic, iopm, ring_slots, slot_size. */
    public static final int CHANNEL_HEADER_OFFSET = 0x000;
    /** Channel header field: {@code magic}, {@link #CHANNEL_MAGIC}. */
    public static final int CH_MAGIC = CHANNEL_HEADER_OFFSET + 0x00;
    /** Channel header field: {@code iopm}, the index k of the IOPM the channel serves. */
    public static final int CH_IOPM = CHANNEL_HEADER_OFFSET + 0x04;
    /** Channel header field: {@code ring_slots}. */
    public static final int CH_RING_SLOTS = CHANNEL_HEADER_OFFSET + 0x08;
    /** Channel header field: {@code slot_size}. */
    public static final int CH_SLOT_SIZE = CHANNEL_HEADER_OFFSET + 0x0C;

    /** "CHAN" in ASCII, read as a little-endian u32. */
    public static final int CHANNEL_MAGIC = 0x4E414843;

    /** The VMM-controlled area: written by the VMM only (after init). */
    public static final int VMM_AREA_OFFSET = 0x040;
    /** The IOPM-controlled area: written by the IOPM only (after init). */
    public static final int IOPM_AREA_OFFSET = 0x080;

    /** VMM area, spec {@code reqProd}: requests published. */
    public static final int REQ_PROD = VMM_AREA_OFFSET + 0x00;
    /** VMM area, spec {@code rspCons}: responses consumed. */
    public static final int RSP_CONS = VMM_AREA_OFFSET + 0x04;
    /** VMM area, spec {@code rspEvent}: notify the VMM when {@code rsp_prod} passes this. */
    public static final int RSP_EVENT = VMM_AREA_OFFSET + 0x08;
    /** VMM area: {@code ipi_to_iopm}, IPIs sent to the IOPM (a wake names the send it took; spec {@code ipiIopm}). */
    public static final int IPI_TO_IOPM = VMM_AREA_OFFSET + 0x0C;

    /** IOPM area, spec {@code rspProd}: responses published. */
    public static final int RSP_PROD = IOPM_AREA_OFFSET + 0x00;
    /** IOPM area, spec {@code reqCons}: requests consumed. */
    public static final int REQ_CONS = IOPM_AREA_OFFSET + 0x04;
    /** IOPM area, spec {@code reqEvent}: notify the IOPM when {@code req_prod} passes this. */
    public static final int REQ_EVENT = IOPM_AREA_OFFSET + 0x08;
    /** IOPM area: {@code status}, {@link #STATUS_NOT_STARTED}, {@link #STATUS_READY} or {@link #STATUS_FAULTED} (boot). */
    public static final int STATUS = IOPM_AREA_OFFSET + 0x0C;
    /** IOPM area: {@code heartbeat}, incremented on the IOPM's clock tick (routing). */
    public static final int HEARTBEAT = IOPM_AREA_OFFSET + 0x10;
    /** IOPM area: {@code fault_addr}, the address of the stray write, with {@link #STATUS_FAULTED} (boot). */
    public static final int FAULT_ADDR = IOPM_AREA_OFFSET + 0x14;
    /** IOPM area: {@code ipi_to_vmm}, IPIs sent to the VMM (spec {@code ipiVmm}). */
    public static final int IPI_TO_VMM = IOPM_AREA_OFFSET + 0x18;

    /** {@code status}: the IOPM is not up yet (the value the VMM initialises it to). */
    public static final int STATUS_NOT_STARTED = 0;
    /** {@code status}: the IOPM is up and serving its ring. */
    public static final int STATUS_READY = 1;
    /** {@code status}: the IOPM's page-fault handler stopped it after a stray write ({@link #FAULT_ADDR}). */
    public static final int STATUS_FAULTED = 2;

    /** Initial value of every producer and consumer index (the spec's {@code Init}). */
    public static final int INITIAL_INDEX = 0;
    /** Initial value of both event indexes: "notify at the first packet" ({@code Init}). */
    public static final int INITIAL_EVENT = 1;

    /** The VMM data area: the request ring, VMM to IOPM. */
    public static final int REQ_RING_OFFSET = 0x100;

    /** The IOPM data area: the response ring, IOPM to VMM, right after the request ring. */
    public static int rspRingOffset() {
        return REQ_RING_OFFSET + RING_BYTES;
    }

    /** Bytes of its page a channel uses: {@code 0x900} with 16 slots of 64 bytes. */
    public static int channelUsed() {
        return rspRingOffset() + RING_BYTES;
    }

    /**
     * Offset of the slot that free-running index {@code index} names in the ring at
     * {@code ringOffset}: {@code ringOffset + (index & (RING_SLOTS - 1)) * SLOT_SIZE}.
     * Indexes are unsigned 32-bit counters that wrap at 2^32; since RING_SLOTS divides 2^32 the
     * mask is the slot whatever the wrap, and it keeps any index, even a hostile one, inside
     * the ring.
     */
    public static int slotOffset(int ringOffset, long index) {
        return ringOffset + (int) (index & (RING_SLOTS - 1)) * SLOT_SIZE;
    }

    // ---- interrupt routing (spec IrqRouting), in each channel after the rings ----------

    /** Entries of an IOPM's pending list ({@code pend[k]}); a power of two, like the rings. */
    public static final int IRQ_PEND_SLOTS = 32;
    /** Bytes of one pending entry: {@code dev} u32, {@code n} u32. */
    public static final int IRQ_ENTRY_SIZE = 8;
    /** Pending entry field, u32: the device index d. */
    public static final int IRQ_ENTRY_DEV = 0x00;
    /** Pending entry field, u32: the device's interrupt number, from 1. */
    public static final int IRQ_ENTRY_N = 0x04;

    /** The interrupt VMM area: written by the VMM only. */
    public static final int IRQ_VMM_AREA_OFFSET = 0x900;
    /** Interrupt VMM area: {@code irq_prod}, entries appended to the pending list. */
    public static final int IRQ_PROD = IRQ_VMM_AREA_OFFSET + 0x00;
    /** The interrupt IOPM area: written by the IOPM only. */
    public static final int IRQ_IOPM_AREA_OFFSET = 0x940;
    /** Interrupt IOPM area: {@code irq_cons}, entries acknowledged (after handling). */
    public static final int IRQ_CONS = IRQ_IOPM_AREA_OFFSET + 0x00;
    /** The beat line: IOPM-written. */
    public static final int BEAT_AREA_OFFSET = 0x980;
    /** {@code beat}: the {@code irq_clock} the IOPM's last tick saw; {@code beat == irq_clock} is the spec's {@code beat[k]}. */
    public static final int BEAT = BEAT_AREA_OFFSET + 0x00;
    /** The pending entries, {@code IRQ_PEND_SLOTS * IRQ_ENTRY_SIZE} bytes, VMM-written. */
    public static final int IRQ_PEND_OFFSET = 0xA00;
    /** Initial value of {@code beat} (and of {@code irq_clock}): equal, booted IOPMs have beaten (the spec's {@code Init}). */
    public static final int INITIAL_BEAT = 0;

    /** Offset of the pending entry that free-running index {@code index} names. */
    public static int irqEntryOffset(long index) {
        return IRQ_PEND_OFFSET + (int) (index & (IRQ_PEND_SLOTS - 1)) * IRQ_ENTRY_SIZE;
    }

    /** One past the last byte of the channel the layout uses. */
    public static int irqEnd() {
        return IRQ_PEND_OFFSET + IRQ_PEND_SLOTS * IRQ_ENTRY_SIZE;
    }

    // ---- the management ring (GuestIo's commands), in each channel after routing -------

    /** Slots of the command ring and of the answer ring; a power of two. */
    public static final int MGMT_SLOTS = 4;
    /** Bytes of a command slot and of an answer slot. */
    public static final int MGMT_SLOT_SIZE = 16;
    /** The management IOPM area: written by the IOPM (the console) only. */
    public static final int MGMT_IOPM_AREA_OFFSET = 0xB00;
    /** {@code cmd_prod}: commands published. */
    public static final int CMD_PROD = MGMT_IOPM_AREA_OFFSET + 0x00;
    /** {@code ans_cons}: answers taken. */
    public static final int ANS_CONS = MGMT_IOPM_AREA_OFFSET + 0x04;
    /** {@code ans_event}: the console's "notify me past here" for answers. */
    public static final int ANS_EVENT = MGMT_IOPM_AREA_OFFSET + 0x08;
    /** {@code ipi_to_vmm}: IPIs the console sent the VMM on this ring (a wake names the send it took). */
    public static final int MGMT_IPI_TO_VMM = MGMT_IOPM_AREA_OFFSET + 0x0C;
    /** The management VMM area: written by the VMM only. */
    public static final int MGMT_VMM_AREA_OFFSET = 0xB40;
    /** {@code ans_prod}: answers published. */
    public static final int ANS_PROD = MGMT_VMM_AREA_OFFSET + 0x00;
    /** {@code cmd_cons}: commands taken. */
    public static final int CMD_CONS = MGMT_VMM_AREA_OFFSET + 0x04;
    /** {@code cmd_event}: the VMM's "notify me past here" for commands. */
    public static final int CMD_EVENT = MGMT_VMM_AREA_OFFSET + 0x08;
    /** {@code ipi_to_iopm}: IPIs the VMM sent the console on this ring. */
    public static final int MGMT_IPI_TO_IOPM = MGMT_VMM_AREA_OFFSET + 0x0C;
    /** The command slots, IOPM-written. */
    public static final int CMD_RING_OFFSET = 0xB80;
    /** The answer slots, VMM-written. */
    public static final int ANS_RING_OFFSET = CMD_RING_OFFSET + MGMT_SLOTS * MGMT_SLOT_SIZE;
    /** Command slot fields, u32: its number in the script, its op (1 create .. 4 destroy), its VM. */
    public static final int CMD_N = 0x00, CMD_OP = 0x04, CMD_VCPU = 0x08;
    /** Answer slot fields, u32: the command answered, 1 carried out or 0 refused. */
    public static final int ANS_N = 0x00, ANS_OK = 0x04;

    /** One past the last byte of the channel the layout uses: the end of the answer slots. */
    public static int mgmtEnd() {
        return ANS_RING_OFFSET + MGMT_SLOTS * MGMT_SLOT_SIZE;
    }

    // ---- one packet (offsets from the start of the slot) --------------------------------

    /** Packet field, u32: request id; a response carries the id it answers. */
    public static final int PKT_ID = 0x00;
    /** Packet field, u16: {@link PacketType} code (bit 7 set in responses). */
    public static final int PKT_TYPE = 0x04;
    /** Packet field, u16: payload bytes used, {@code 0 .. PAYLOAD_MAX}. */
    public static final int PKT_LENGTH = 0x06;
    /** Packet field, u32: disk byte offset for disk requests, 0 otherwise. */
    public static final int PKT_ARG0 = 0x08;
    /** Packet field, u32: 0 in requests; in responses {@link #STATUS_OK} or {@link #STATUS_BAD_REQUEST}. */
    public static final int PKT_STATUS = 0x0C;
    /** Packet field: the payload, {@link #PAYLOAD_MAX} bytes, zero past {@code length}. */
    public static final int PKT_PAYLOAD = 0x10;

    /** Response status: served. */
    public static final int STATUS_OK = 0;
    /** Response status: the request was bad (unknown type, length, or out of the disk). */
    public static final int STATUS_BAD_REQUEST = 1;

    /** A response's type is its request's type with this bit set. */
    public static final int RESPONSE_BIT = 0x80;

    static {
        // Checked once at class load: the derived facts the rest of the code relies on.
        if (Integer.bitCount(RING_SLOTS) != 1) throw new AssertionError("RING_SLOTS not a power of two");
        if (PKT_PAYLOAD + PAYLOAD_MAX != SLOT_SIZE) throw new AssertionError("packet does not fill its slot");
        if (channelUsed() > CHANNEL_SIZE) throw new AssertionError("channel does not fit its page");
        if (Integer.bitCount(IRQ_PEND_SLOTS) != 1) throw new AssertionError("IRQ_PEND_SLOTS not a power of two");
        if (channelUsed() > IRQ_VMM_AREA_OFFSET || irqEnd() > CHANNEL_SIZE)
            throw new AssertionError("interrupt areas do not fit after the rings");
        if (irqEnd() > MGMT_IOPM_AREA_OFFSET || mgmtEnd() > CHANNEL_SIZE || Integer.bitCount(MGMT_SLOTS) != 1)
            throw new AssertionError("the management ring does not fit after the interrupt areas");
    }
}
