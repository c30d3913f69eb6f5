/* Interrupt routing (specs/IrqRouting.tla): devices, the IOAPIC programming, the VMM's
 * routing table and heartbeat check, the IOPMs' pending-list service and clock tick.
 * docs/trace-format.md, "Interrupt-routing events", is the trace contract. */
#ifndef COOP_IRQ_ROUTE_H
#define COOP_IRQ_ROUTE_H

#include "types.h"
#include "zones.h"
#include "shared_zone.h"

/* ---- hardware, named once ------------------------------------------------------------ */

/* PCI configuration mechanism #1 */
#define PORT_PCI_CONFIG_ADDR   0xCF8
#define PORT_PCI_CONFIG_DATA   0xCFC
#define PCI_CONFIG_ENABLE      0x80000000u
#define PCI_BUS_SHIFT          16
#define PCI_SLOT_SHIFT         11
#define PCI_FUNC_SHIFT         8
#define PCI_REG_MASK           0xFCu
#define PCI_SLOTS              32u
#define PCI_CFG_ID             0x00     /* vendor (low 16) and device (high 16) */
#define PCI_CFG_COMMAND        0x04
#define PCI_COMMAND_MEMORY     0x0002u
#define PCI_CFG_BAR0           0x10
#define PCI_BAR_MEM_MASK       0xFFFFFFF0u
#define PCI_CFG_INTR_LINE      0x3C     /* low byte: the ISA IRQ the firmware routed INTx to */
#define PCI_INTR_LINE_MASK     0xFFu
#define PCI_VENDOR_NONE        0xFFFFu
#define PCI_VENDOR_MASK        0xFFFFu
#define PCI_DEVICE_SHIFT       16

/* QEMU's edu device */
#define EDU_VENDOR_ID          0x1234u
#define EDU_DEVICE_ID          0x11E8u
#define EDU_REG_IRQ_STATUS     0x24     /* read: raised interrupt bits */
#define EDU_REG_IRQ_RAISE      0x60     /* write: raise these bits (INTx goes high) */
#define EDU_REG_IRQ_ACK        0x64     /* write: clear these bits (INTx low when none left) */
#define EDU_IRQ_BIT            0x1u

/* QEMU's pc-testdev: outb(level, PORT_TESTDEV_IRQ + n) drives ISA IRQ line n */
#define PORT_TESTDEV_IRQ       0x2000
#define TESTDEV_LINE_HIGH      1
#define TESTDEV_LINE_LOW       0

/* 8254 PIT channel 0: ISA IRQ 0, which QEMU's IOAPIC takes on pin 2 */
#define PORT_PIT_CH0           0x40
#define PIT_CMD_CH0_MODE0      0x30     /* channel 0, lobyte/hibyte, mode 0 (one-shot), binary */
#define PIT_IOAPIC_PIN         2u
#define PIT_HIGH_BYTE_SHIFT    8
#define PIT_ONESHOT_COUNT      100u     /* ~84 us: the "device event" comes soon */
#define PIT_SETTLE_US          200u     /* the first count (1) expires while the pin is masked */

/* ISA lines the pc-testdev devices use: free on QEMU's pc (not COM1's 4, the PIT, the
 * keyboard, the cascade, floppy 6, RTC 8, SCI 9, the PCI lines 10/11, mouse, FPU, IDE) */
#define TESTDEV_CANDIDATE_LINES { 3u, 5u, 7u }
#define TESTDEV_DEVICES         3u

/* IOAPIC redirection entry (low word): vector, fixed delivery, physical destination, active
 * high, edge; high word: destination APIC id */
#define IOAPIC_REDIR_VECTOR_MASK 0xFFu
#define IOAPIC_REDIR_DEST_SHIFT  24

/* ---- the devices ---------------------------------------------------------------------- */

#define IRQ_MAX_DEVICES   8u
#define IRQ_VMM_DEVICES   1u        /* dev 0, the PIT, is the VMM's own (spec NVmmDev) */
#define DEV_VECTOR_BASE   0x70      /* device d interrupts the BSP with DEV_VECTOR_BASE + d */

enum irq_dev_kind { DEV_PIT = 1, DEV_EDU = 2, DEV_TESTDEV = 3 };

/* ---- timing --------------------------------------------------------------------------- */

/* The VMM's clock tick (ClockTick) comes every IRQ_TICK_MS: on the BSP's timer interrupt
 * (every VMM_TICK_MS, include/irq.h) once that much TSC time has passed since the last one,
 * so late timer interrupts that QEMU delivers in a bunch make one tick, not several. The
 * IOPM ticks every IOPM_TICK_MS: a live IOPM has ~100 chances to beat in a VMM period, and
 * a vCPU thread the host leaves unscheduled for a whole period (seen for ~100 ms with 4
 * vCPUs on 2 host cores) is still rare (the spec's timing assumption). A stopped IOPM is
 * declared failed after IRQ_MISS_LIMIT periods without a beat. */
#define IRQ_TICK_MS       200u
#define IOPM_TICK_MS      2u
#define IRQ_MISS_LIMIT    3u
#define DEFAULT_IRQS      200u

/* ---- what the VMM tells an IOPM before it starts it ---------------------------------- */

/* In the IOPM's handoff page (its zone), after the handoff block; written by the VMM before
 * the AP starts, read-only to the IOPM. */
#define IOPM_IRQ_HANDOFF_OFF 0x00000800

struct irq_handoff {
    u32 enabled;                /* an irq scenario: tick, serve the pending list, trace answers */
    u32 timer_count;            /* LAPIC timer initial count for IOPM_TICK_MS */
    u32 stop_after_irqs;        /* fault injection: stop at a take after this many handled (0: never) */
    u32 stop_after_answers;     /* ... or once this many ring answers are published (0: never) */
    u32 stop_after_pio;         /* vm-failover: once this many guest exits are answered, hold
                                   from the first guest IN on, stop at the next take (0: never) */
    u32 devices;
    u32 kind[IRQ_MAX_DEVICES];  /* enum irq_dev_kind */
    u32 mmio[IRQ_MAX_DEVICES];  /* edu: BAR0 (physical = virtual: the owner's page tables map it) */
};

/* ---- instrumentation: the environment's view (devices and the load generator) --------- */

/* In the trace zone, after the trace lock's words: what the devices saw handled, for the
 * load generator (it raises a device again only after its last interrupt was handled) and
 * the end check. No protocol decision reads it. */
#define IRQ_OBS_OFF 0x800

struct irq_obs {
    volatile u32 handled[IRQ_MAX_DEVICES];   /* interrupts of device d handled, in order */
    volatile u32 bad[IRQ_MAX_DEVICES];       /* handled out of order or twice */
    volatile u32 by_iopm[MAX_IOPMS + 1];     /* handled per IOPM (slot OBS_VMM_SLOT: the VMM) */
    volatile u64 raise_tsc[IRQ_MAX_DEVICES]; /* TSC of the last raise */
    volatile u64 lat_sum[2], lat_max[2];     /* raise -> handle, [0] VMM, [1] IOPM */
    volatile u32 lat_n[2];
    volatile u64 stop_tsc;                   /* iopm.stop */
};
#define IRQ_OBS ((struct irq_obs *)(TRACE_ZONE_BASE + IRQ_OBS_OFF))
#define OBS_VMM_SLOT MAX_IOPMS
STATIC_ASSERT(IRQ_OBS_OFF + sizeof(struct irq_obs) <= TRACE_ZONE_SIZE, "irq obs in the trace zone");

/* Trace lock held, with the handle step: the device's view of <d, n> handled at tsc. */
static inline void irq_obs_handled(u32 d, u32 n, u32 slot, u32 cls, u64 tsc)
{
    struct irq_obs *o = IRQ_OBS;
    u64 lat = tsc - o->raise_tsc[d];
    if (n != o->handled[d] + 1u)
        o->bad[d]++;                /* twice, or out of order */
    else
        o->handled[d] = n;
    o->by_iopm[slot]++;
    o->lat_sum[cls] += lat;
    if (lat > o->lat_max[cls])
        o->lat_max[cls] = lat;
    o->lat_n[cls]++;
}

/* ---- VMM side (vmm/route.c, vmm/devices.c) ------------------------------------------- */
struct run_config;
struct channel;

/* Before the APs start: find and program the devices, print "# irq"/"# device", fill
 * every IOPM's irq handoff, set every beat flag (the spec's Init). */
void irq_boot(const struct run_config *cfg, u32 iopms);
int irq_scenario(void);                 /* the run is one of the irq scenarios */
void irq_run_start(const u32 *ready);   /* at run.start: the clock starts counting */
int vmm_irq_route(u32 vector);          /* the VMM's handler: 1 if the vector was routing's */
void clock_tick(void);                  /* the VMM's tick handler (ClockTick) */
u32 irq_generate(void);                 /* load generator step (main loop): raises made */
int irq_busy(void);                     /* interrupts raised or to raise, not all handled */
int irq_done_ok(void);                  /* every raised interrupt handled once, in order */
u32 irq_handled_total(void);
/* Failover: an IOPM whose miss count reached the limit while another is live, or -1. */
int irq_failure_due(void);
void irq_fence(u32 f);                  /* INIT the failed IOPM's CPU (untraced) */
/* VmmDetectFailure(f): one traced step; returns RequeueTo(f, r) */
u32 vmm_detect_failure(u32 f, u32 requeued);
int irq_iopm_failed(u32 k);
/* The irq scenarios' goal (include/goal.h): IRQ_GOAL_TICKS clock ticks, a beat from every
 * live IOPM after the first (so an iopm.tick of each is in the trace), and in irq-failover
 * and irq-balance with 2+ IOPMs a failover. Until it is met the generator goes on raising,
 * one interrupt every IRQ_GOAL_RAISE_GAP_US, at most IRQ_GOAL_EXTRA_MAX beyond irqs= and
 * for at most the watchdog's time. */
#define IRQ_GOAL_TICKS        2u
#define IRQ_GOAL_EXTRA_MAX    2000u
#define IRQ_GOAL_RAISE_GAP_US 10000u
int irq_goal_met(void);                 /* 1 also outside the irq scenarios */
void irq_goal_report(void);             /* klog what is missing */
u32 irq_failovers(void);
void irq_report(void);                  /* serial log: per-IOPM counts, latencies */
void irq_map_owned_devices(u32 k);      /* map IOPM k's device pages (vmm_map_device_page) */

/* vmm/devices.c: the hardware side */
struct irq_device {
    u32 kind;
    const char *name;
    u32 pin;                            /* IOAPIC input */
    u32 vector;
    u32 line;                           /* testdev: ISA line; edu: PCI interrupt line */
    u32 mmio;                           /* edu BAR0 */
};
u32 devices_discover(struct irq_device *dev, u32 max);
void ioapic_route_pin(u32 pin, u32 vector, u32 apic_id);
void device_raise(const struct irq_device *d);   /* make the device raise its interrupt */

/* ---- IOPM side (iopm/irq_service.c) -------------------------------------------------- */
struct iopm_handoff;
void iopm_irq_start(struct iopm_handoff *h);      /* entry: its clock starts */
int iopm_irq_vector(struct iopm_handoff *h, u32 vector);   /* 1 if routing's vector */
void iopm_answer(struct iopm_handoff *h);         /* under the lock, after write_response */
/* vm-failover: its guests' exits are answered up to the stop point; consume nothing more */
int iopm_holds_requests(const struct iopm_handoff *h);
struct packet;
/* vm-failover: 1 if req, the head of its pending queue, is to be held, not answered: past
 * the stop point, the first guest IN (from then on it holds every request). */
int iopm_hold_request(const struct iopm_handoff *h, const struct packet *req);

#endif
