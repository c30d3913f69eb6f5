/* The hand-off block: what the VMM writes at the start of an IOPM zone before starting the
 * AP, and the words of the IOPM's real-mode page the start code and the VMM share. The
 * start code (boot/trampoline.S) reads entry, stack_top and cr3 (offsets below). */
#ifndef COOP_HANDOFF_H
#define COOP_HANDOFF_H

#define HANDOFF_MAGIC      0x444E4148   /* "HAND" */
#define HANDOFF_ENTRY_OFF  0x0C
#define HANDOFF_STACK_OFF  0x10
#define HANDOFF_CR3_OFF    0x44

/* The words at the end of each real-mode page (boot/trampoline.S sits at its start). */
#define RM_HANDOFF_OFF     0x0FE0   /* VMM: physical address of the hand-off block */
#define RM_FAULT_OFF       0x0FE4   /* VMM: fault injection for this sequence (RM_FAULT_*) */
#define RM_CHECKIN_OFF     0x0FEC   /* AP, real mode: RM_CHECKIN_MAGIC = started */
#define RM_PROGRESS_OFF    0x0FF0   /* AP: RM_PROGRESS_* as it goes */
#define RM_CODE_MAX        RM_HANDOFF_OFF

#define RM_FAULT_NONE      0
#define RM_FAULT_SLOW      1        /* this sequence only: cli; hlt until the retry's INIT */
#define RM_FAULT_DEAD      2        /* every sequence: cli; hlt, never check in */

#define RM_CHECKIN_MAGIC   0x4E494B43   /* "CKIN" */
#define RM_PROGRESS_NONE   0
#define RM_PROGRESS_PROT   1        /* in protected mode */
#define RM_PROGRESS_PAGING 2        /* paging on, about to call the entry */

#ifndef __ASSEMBLER__
#include "types.h"

struct iopm_handoff {
    u32 magic;
    u32 iopm;           /* k */
    u32 apic_id;        /* this AP */
    u32 entry;          /* HANDOFF_ENTRY_OFF: protected-mode entry (linked address; the
                         * page tables map it to the zone's copy) */
    u32 stack_top;      /* HANDOFF_STACK_OFF */
    u32 zone_start;
    u32 zone_end;
    u32 shared_zone;
    u32 channel;        /* this IOPM's channel in the shared zone */
    u32 scenario;       /* enum scenario (the hostile fault injection needs it) */
    u32 requests;       /* per IOPM, for the hostile scenario's fault point */
    u32 vmm_apic_id;
    u32 vmm_vector;     /* vector that tells the VMM "channel k" */
    u32 idle_us;        /* idle housekeeping before the final check */
    u32 tsc_per_ms;     /* calibrated by the VMM */
    volatile u32 boot_ack;   /* set by the IOPM on entry (diagnostic only) */
    volatile u32 diag_pc;    /* copy of the IOPM's pc, read only by the watchdog report */
    u32 cr3;            /* HANDOFF_CR3_OFF: the IOPM's page directory, in its zone */
    u32 rm_page;        /* its real-mode page (the start code's progress word is there) */
    u32 entry_phys;     /* where the entry is physically: in the zone's copy */
    u32 rogue;          /* fault injection: write into the VMM zone during set-up */
    volatile u32 diag_sleeps;  /* times the IOPM went to sleep (final_check sleep=1); read
                                * only by the scenario goal (vmm/goal.c), never by a step */
    u32 admin_vcpu;     /* vm-admin: the VM this IOPM's console manages (~0u: no console) */
};

STATIC_ASSERT(offsetof(struct iopm_handoff, entry) == HANDOFF_ENTRY_OFF, "handoff entry");
STATIC_ASSERT(offsetof(struct iopm_handoff, stack_top) == HANDOFF_STACK_OFF, "handoff stack");
STATIC_ASSERT(offsetof(struct iopm_handoff, cr3) == HANDOFF_CR3_OFF, "handoff cr3");
#endif

#endif
