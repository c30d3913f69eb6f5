/* The shared zone, byte for byte as docs/shared-zone.md (layout version 2) says.
 * Compiles for the kernel (i386) and for the host (x86_64): only fixed-width fields. */
#ifndef COOP_SHARED_ZONE_H
#define COOP_SHARED_ZONE_H

#include "types.h"

#define ZONE_MAGIC          0x504F4F43u   /* "COOP" */
#define ZONE_LAYOUT_VERSION 4u
#define CHAN_MAGIC          0x4E414843u   /* "CHAN" */
#define MAX_IOPMS           7u
#define RING_SLOTS          16u
#define SLOT_SIZE           64u
#define PAYLOAD_MAX         48u
#define ZONE_PAGE           0x1000u
#define CACHE_LINE          64u
#define SHARED_ZONE_SIZE    (ZONE_PAGE * (1u + MAX_IOPMS))

/* Packet types; a response carries the request type with RSP_TYPE_FLAG set. */
#define PKT_DISK_READ     1u
#define PKT_DISK_WRITE    2u
#define PKT_CONSOLE_WRITE 3u
#define PKT_GUEST_PIO     4u      /* a guest's port I/O exit (include/vcpu.h) */
#define RSP_TYPE_FLAG     0x80u
#define PKT_STATUS_OK     0u
#define PKT_STATUS_BAD    1u

/* channel status word (IOPM-controlled area) */
#define CHAN_STATUS_NOT_STARTED 0u
#define CHAN_STATUS_READY       1u
#define CHAN_STATUS_FAULTED     2u   /* its page-fault handler stopped it (fault_addr says where) */

struct packet {
    u32 id;
    u16 type;
    u16 length;
    u32 arg0;
    u32 status;
    u8  payload[PAYLOAD_MAX];
};

struct zone_header {
    u32 magic;
    u32 layout_version;
    u32 iopm_count;
    u32 ring_slots;
    u32 slot_size;
    u32 irq_clock;                   /* ClockTick's count (routing): VMM-written, every IOPM reads it */
    u8  reserved[ZONE_PAGE - 6 * 4];
};

struct chan_header {
    u32 magic;
    u32 iopm;
    u32 ring_slots;
    u32 slot_size;
    u8  reserved[CACHE_LINE - 4 * 4];
};

/* Written by the VMM only (after init). */
struct vmm_area {
    u32 req_prod;
    u32 rsp_cons;
    u32 rsp_event;
    u32 ipi_to_iopm;                 /* IPIs sent to the IOPM (a wake names the send it took) */
    u8  reserved[CACHE_LINE - 4 * 4];
};

/* Written by the IOPM only (after init). */
struct iopm_area {
    u32 rsp_prod;
    u32 req_cons;
    u32 req_event;
    u32 status;
    u32 heartbeat;
    u32 fault_addr;                  /* CR2 of the stray write, with CHAN_STATUS_FAULTED */
    u32 ipi_to_vmm;                  /* IPIs sent to the VMM */
    u8  reserved[CACHE_LINE - 7 * 4];
};

#define CHAN_RINGS_OFFSET 0x100u

/* Interrupt routing (specs/IrqRouting.tla), after the rings in the channel page: the IOPM's
 * pending list pend[k], a single-producer (VMM) single-consumer (IOPM) array of <dev, n>
 * entries with free-running u32 indexes, and the IOPM's beat. */
#define CHAN_IRQ_OFFSET   0x900u
#define IRQ_PEND_SLOTS    32u      /* > devices: a device has at most one interrupt in flight */

struct irq_entry {
    u32 dev;                       /* trace index d (spec device d + 1) */
    u32 n;                         /* the device's interrupt number, from 1 */
};

/* Written by the VMM only (after init). */
struct irq_vmm_area {
    u32 irq_prod;                  /* entries appended to pend (the VMM's VmmRoute) */
    u8  reserved[CACHE_LINE - 4];
};

/* Written by the IOPM only (after init). */
struct irq_iopm_area {
    u32 irq_cons;                  /* entries acknowledged (IopmHandle), the list's head */
    u8  reserved[CACHE_LINE - 4];
};

/* Written by the IOPM only (after init): on its tick (IopmTick) it copies the zone header's
 * irq_clock here, so beat == irq_clock says "beaten since the VMM's last tick" (the spec's
 * beat[k]); the VMM's tick (ClockTick) reads it, then counts irq_clock on. Two one-writer
 * counters instead of a flag both sides write, so a read names the write it saw. */
struct irq_beat_area {
    u32 beat;
    u8  reserved[CACHE_LINE - 4];
};

struct chan_irq {
    struct irq_vmm_area vmm;                 /* 0x900 */
    struct irq_iopm_area iopm;               /* 0x940 */
    struct irq_beat_area beat;               /* 0x980 */
    u8 unused[CACHE_LINE];                   /* 0x9C0 */
    struct irq_entry pend[IRQ_PEND_SLOTS];   /* 0xA00: VMM-written */
};

/* The management ring (GuestIo's IopmIssueCommand, VmmCarryOutCommand, IopmTakeAnswer), after
 * the interrupt routing areas: the console's commands to the VMM and the VMM's answers, with
 * the rings' control-pointer discipline (ring/mgmt_ring.c): one writer per word, free-running
 * u32 indexes, an event index per consumer, a final check before sleeping. */
#define CHAN_MGMT_OFFSET  0xB00u
#define MGMT_SLOTS        4u       /* > the commands the console has in flight (one) */
#define MGMT_OP_CREATE    1u       /* the trace's op codes (docs/trace-format.md) */
#define MGMT_OP_START     2u
#define MGMT_OP_STOP      3u
#define MGMT_OP_DESTROY   4u

struct mgmt_cmd {                  /* a command, IOPM-written */
    u32 n;                         /* its number in the console's script, from 1 */
    u32 op;                        /* MGMT_OP_* */
    u32 vcpu;                      /* the VM it is for */
    u32 reserved;
};

struct mgmt_ans {                  /* an answer, VMM-written */
    u32 n;                         /* the command it answers */
    u32 ok;                        /* 1 carried out, 0 refused */
    u32 reserved[2];
};

/* Written by the IOPM only (after init). */
struct mgmt_iopm_area {
    u32 cmd_prod;                  /* commands published */
    u32 ans_cons;                  /* answers taken */
    u32 ans_event;                 /* "notify me past here" for answers */
    u32 ipi_to_vmm;                /* IPIs the console sent the VMM (a wake names the send it took) */
    u8  reserved[CACHE_LINE - 4 * 4];
};

/* Written by the VMM only (after init). */
struct mgmt_vmm_area {
    u32 ans_prod;                  /* answers published */
    u32 cmd_cons;                  /* commands taken */
    u32 cmd_event;                 /* "notify me past here" for commands */
    u32 ipi_to_iopm;               /* IPIs the VMM sent the console */
    u8  reserved[CACHE_LINE - 4 * 4];
};

struct chan_mgmt {
    struct mgmt_iopm_area iopm;              /* 0xB00 */
    struct mgmt_vmm_area vmm;                /* 0xB40 */
    struct mgmt_cmd cmd[MGMT_SLOTS];         /* 0xB80: IOPM-written */
    struct mgmt_ans ans[MGMT_SLOTS];         /* 0xBC0: VMM-written */
};

struct channel {
    struct chan_header hdr;                  /* 0x000 */
    struct vmm_area vmm;                     /* 0x040 */
    struct iopm_area iopm;                   /* 0x080 */
    u8 unused[CHAN_RINGS_OFFSET - 0xC0];     /* 0x0C0 */
    struct packet req[RING_SLOTS];           /* 0x100: VMM data area */
    struct packet rsp[RING_SLOTS];           /* 0x500: IOPM data area */
    struct chan_irq irq;                     /* 0x900: interrupt routing */
    struct chan_mgmt mgmt;                   /* 0xB00: the management ring */
    u8 tail[ZONE_PAGE - CHAN_MGMT_OFFSET - sizeof(struct chan_mgmt)];
};

struct shared_zone {
    struct zone_header hdr;                  /* 0x0000 */
    struct channel chan[MAX_IOPMS];          /* 0x1000 * (1 + k) */
};

STATIC_ASSERT(sizeof(struct packet) == SLOT_SIZE, "packet is one slot");
STATIC_ASSERT(offsetof(struct packet, type) == 0x04, "packet.type");
STATIC_ASSERT(offsetof(struct packet, length) == 0x06, "packet.length");
STATIC_ASSERT(offsetof(struct packet, arg0) == 0x08, "packet.arg0");
STATIC_ASSERT(offsetof(struct packet, status) == 0x0C, "packet.status");
STATIC_ASSERT(offsetof(struct packet, payload) == 0x10, "packet.payload");
STATIC_ASSERT(sizeof(struct zone_header) == ZONE_PAGE, "zone header page");
STATIC_ASSERT(offsetof(struct zone_header, slot_size) == 0x10, "zone header fields");
STATIC_ASSERT(offsetof(struct zone_header, irq_clock) == 0x14, "zone header irq_clock");
STATIC_ASSERT(offsetof(struct channel, vmm) == 0x040, "vmm area");
STATIC_ASSERT(offsetof(struct channel, iopm) == 0x080, "iopm area");
STATIC_ASSERT(offsetof(struct channel, req) == 0x100, "vmm data area");
STATIC_ASSERT(offsetof(struct channel, rsp) == 0x100 + RING_SLOTS * SLOT_SIZE, "iopm data area");
STATIC_ASSERT(offsetof(struct iopm_area, status) == 0x0C, "iopm status");
STATIC_ASSERT(offsetof(struct iopm_area, heartbeat) == 0x10, "iopm heartbeat");
STATIC_ASSERT(offsetof(struct iopm_area, fault_addr) == 0x14, "iopm fault_addr");
STATIC_ASSERT(offsetof(struct channel, irq) == CHAN_IRQ_OFFSET, "irq areas");
STATIC_ASSERT(offsetof(struct channel, irq.iopm) == CHAN_IRQ_OFFSET + 0x40, "irq iopm area");
STATIC_ASSERT(offsetof(struct channel, irq.beat) == CHAN_IRQ_OFFSET + 0x80, "irq beat");
STATIC_ASSERT(offsetof(struct channel, irq.pend) == CHAN_IRQ_OFFSET + 0x100, "irq pending list");
STATIC_ASSERT(sizeof(struct irq_entry) == 8, "irq entry");
STATIC_ASSERT((IRQ_PEND_SLOTS & (IRQ_PEND_SLOTS - 1)) == 0, "power-of-two pending list");
STATIC_ASSERT(offsetof(struct channel, mgmt) == CHAN_MGMT_OFFSET, "management ring");
STATIC_ASSERT(offsetof(struct channel, mgmt.vmm) == CHAN_MGMT_OFFSET + 0x40, "management VMM area");
STATIC_ASSERT(offsetof(struct channel, mgmt.cmd) == CHAN_MGMT_OFFSET + 0x80, "management commands");
STATIC_ASSERT(offsetof(struct channel, mgmt.ans) == CHAN_MGMT_OFFSET + 0xC0, "management answers");
STATIC_ASSERT(sizeof(struct mgmt_cmd) == 16 && sizeof(struct mgmt_ans) == 16, "management slots");
STATIC_ASSERT((MGMT_SLOTS & (MGMT_SLOTS - 1)) == 0, "power-of-two management ring");
STATIC_ASSERT(sizeof(struct channel) == ZONE_PAGE, "channel page");
STATIC_ASSERT(sizeof(struct shared_zone) == SHARED_ZONE_SIZE, "zone size");
STATIC_ASSERT((RING_SLOTS & (RING_SLOTS - 1)) == 0, "power-of-two ring");

#endif
