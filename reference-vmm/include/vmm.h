/* The VMM side (BSP): configuration, simulated guests, the channel service loop. */
#ifndef COOP_VMM_H
#define COOP_VMM_H

#include "types.h"
#include "ring.h"
#include "zones.h"
#include "handoff.h"

enum scenario { SCEN_RING, SCEN_RING_BURST, SCEN_RING_SLEEP, SCEN_RING_HOSTILE,
                SCEN_BOOT, SCEN_BOOT_ROGUE, SCEN_BOOT_SLOW, SCEN_BOOT_DEAD,
                SCEN_IRQ, SCEN_IRQ_BALANCE, SCEN_IRQ_FAILOVER, SCEN_IRQ_VMM_LOCAL,
                SCEN_LITMUS, SCEN_LITMUS_MB, SCEN_VM_IO, SCEN_VM_FAILOVER, SCEN_VM_ROGUE, SCEN_VM_ADMIN, SCEN_BOOT_VMM, SCEN_COUNT };
/* the store-buffer litmus (include/litmus.h): requests= is its number of trials */
#define SCEN_IS_LITMUS(s) ((s) == SCEN_LITMUS || (s) == SCEN_LITMUS_MB)
/* vm-failover is irq-failover with SVM guests doing I/O across the failover */
#define SCEN_IS_IRQ(s) (((s) >= SCEN_IRQ && (s) <= SCEN_IRQ_VMM_LOCAL) || (s) == SCEN_VM_FAILOVER)
#define SCEN_HAS_GUESTS(s) ((s) == SCEN_VM_IO || (s) == SCEN_VM_FAILOVER || (s) == SCEN_VM_ROGUE || (s) == SCEN_VM_ADMIN)
/* an IOPM is stopped (fault injection) and failed over */
#define SCEN_FAILS_IOPM(s) ((s) == SCEN_IRQ_FAILOVER || (s) == SCEN_IRQ_BALANCE || (s) == SCEN_VM_FAILOVER)

#define SCENARIO_NAME_MAX   24
#define DEFAULT_REQUESTS    2000u
#define DEFAULT_SEED        1u
#define DEFAULT_WATCHDOG_S  20u
#define DEFAULT_IOPM_IDLE_US 200u
#define DEFAULT_SIPI_GAP_US 200u      /* SIPI -> second SIPI (SDM) */
#define CMDLINE_MAX         512u
/* vmm_cpus=N: the BSP and the next N - 1 APs run the VMM (BootHandoff's NVmmAps = N - 1),
 * the remaining APs an IOPM each. The VMM APs come first: AP i is spec AP i + 1, and IOPM k
 * is AP NVmmAps + k. */
#define DEFAULT_VMM_CPUS    1u
#define BOOT_VMM_VMM_CPUS   2u        /* boot-vmm's default: one VMM AP beside the BSP */
#define MAX_APS             (MAX_VMM_APS + MAX_IOPMS)

struct run_config {
    u32 scenario;
    char scenario_name[SCENARIO_NAME_MAX];
    u32 requests;          /* per IOPM */
    u32 seed;
    u32 watchdog_s;
    u32 iopm_idle_us;      /* IOPM idle housekeeping between prepare_sleep and final_check */
    u32 irqs;              /* irq scenarios: interrupts the load generator raises */
    u32 sipi_gap_us;       /* between the two SIPIs of a sequence, at most: a longer gap stands
                              in for a VMM vCPU held off there; it ends once the AP has failed
                              (boot-rogue's AP faults within it, and is parked first) */
    u32 vcpus;             /* vm-io: SVM guests (include/vcpu.h) */
    u32 insns;             /* vm-io: port-I/O instructions of each guest's program */
    u32 devices;           /* vm-io: device ports, dealt over the IOPMs (0: one per IOPM) */
    u32 vmm_cpus;          /* CPUs that run the VMM: the BSP and the first vmm_cpus - 1 APs */
    int valid;
};

/* vmm/cmdline.c */
void cmdline_parse(const char *cmdline, struct run_config *cfg);

/* vmm/guest.c: a simulated guest per channel. Requests are generated from a PRNG; the
 * guest keeps a shadow of the IOPM's RAM disk and the expected answer of every
 * outstanding request. */
#define GUEST_EXPECT_SLOTS 64u     /* > RING_SLOTS + IOPM_PENDING_MAX + RING_SLOTS */

struct expect {
    u32 id;
    u16 type;
    u16 length;                    /* of the response payload */
    u32 status;
    u8 data[48];
};

struct guest {
    u32 iopm;
    u32 rng;
    u32 next_valid;
    u32 bad_requests;              /* how many deliberately bad requests were issued */
    u32 no_disk_writes;            /* irq scenarios: a failover moves requests to another
                                      IOPM's RAM disk, so the guest's disk stays as it was */
    struct packet next;            /* generated, not yet written */
    struct expect exp[GUEST_EXPECT_SLOTS];
    u8 shadow[IOPM_DISK_SIZE];
};

void guest_init(struct guest *g, u32 iopm, u32 seed);
/* The request with this id (generated once, the same until guest_written). */
const struct packet *guest_next_request(struct guest *g, u32 id);
void guest_written(struct guest *g);
/* 0 if rsp is the right answer to request `id`, else a short reason. */
const char *guest_check_response(struct guest *g, u32 id, const struct packet *rsp);

u32 prng_next(u32 *state);

/* vmm/zones.c */
struct shared_zone;
void zones_print_table(u32 aps, u32 iopms);   /* aps: every AP, VMM APs and IOPMs */
void shared_zone_init(u32 iopms);
struct channel *vmm_channel(u32 k);
/* The zone header's irq_clock: ClockTick's count, written by the VMM's tick (vmm/route.c). */
volatile u32 *irq_clock(void);
struct iopm_handoff *iopm_handoff_of(u32 k);
void vmm_canaries_set(void);
int vmm_zone_intact(void);            /* 1 if every VMM canary still holds */

/* vmm/ap_boot.c: the boot hand-off (specs/BootHandoff.tla). vmm_boot runs the boot loop
 * over the vmm_aps VMM APs, then the IOPMs (interrupts on: ready and fault IPIs are taken as
 * they come), waits until every started AP is ready or faulted, and fills ready[k] per IOPM;
 * it returns how many IOPMs are ready. */
u32 vmm_boot(const struct run_config *cfg, u32 vmm_aps, u32 iopms, u32 first_apic_id, u32 *ready);
/* Under the trace lock: read IOPM k's channel status, trace boot.vmm_see_ready or
 * boot.vmm_see_fault once (IPI handler and wait loops). */
void vmm_boot_poll_locked(u32 k);
u32 vmm_zone_lo(u32 k);               /* IOPM k's zone, as allocated (zones.c) */
void vmm_zone_allocated(u32 k, u32 lo); /* the boot allocated IOPM k's zone at lo */
/* RUN_OK if every IOPM ended as the scenario's fault injection says it should. */
u32 vmm_boot_verdict(void);
/* RUN_OK, or why vmm_boot returned 0 without booting (an image too large, a boot hang): the
 * caller ends the run with it. */
u32 vmm_boot_fatal(void);

/* vmm/vmm_ap.c: a VMM AP's hand-off block, stack and identity page directory, its entry
 * (the spec's ApEnterVmm), and its ready flag. */
struct iopm_handoff *vmm_ap_handoff(u32 j);
u32 vmm_ap_stack_top(u32 j);
u32 vmm_ap_cr3(void);
void vmm_ap_entry(struct iopm_handoff *h);
int vmm_ap_ready(u32 j);

/* vmm/iopm_pages.c: IOPM k's page tables over its zone [lo, hi) and the image's copy there,
 * its real-mode page rm_page identity mapped (returns CR3); device memory into them; a page
 * every IOPM gets (before vmm_boot) */
u32 iopm_pages_build(u32 k, u32 lo, u32 hi, u32 image_size, u32 rm_page);
void vmm_map_device_page(u32 k, u32 pa);
void vmm_share_device_page(u32 pa);

/* vmm/serve.c */
__attribute__((noreturn)) void vmm_run(const struct run_config *cfg, u32 iopms, const u32 *ready);
__attribute__((noreturn)) void vmm_end(u32 status);

#endif
