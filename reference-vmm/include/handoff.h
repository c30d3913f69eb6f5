/* The handoff block: what the VMM writes at the start of an IOPM zone before starting the
 * AP. The trampoline reads entry and stack_top (offsets below, used from assembly). */
#ifndef COOP_HANDOFF_H
#define COOP_HANDOFF_H

#define HANDOFF_MAGIC      0x444E4148   /* "HAND" */
#define HANDOFF_ENTRY_OFF  0x0C
#define HANDOFF_STACK_OFF  0x10
/* offset of the handoff pointer inside the trampoline, patched by the VMM per AP */
#define TRAMPOLINE_HANDOFF_SLOT_OFF 0x0FF0

#ifndef __ASSEMBLER__
#include "types.h"

struct iopm_handoff {
    u32 magic;
    u32 iopm;           /* k */
    u32 apic_id;        /* this AP */
    u32 entry;          /* HANDOFF_ENTRY_OFF: protected-mode entry */
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
    volatile u32 boot_ack;   /* set by the AP on entry (boot protocol: no second SIPI) */
    volatile u32 diag_pc;    /* copy of the IOPM's pc, read only by the watchdog report */
};

STATIC_ASSERT(offsetof(struct iopm_handoff, entry) == HANDOFF_ENTRY_OFF, "handoff entry");
STATIC_ASSERT(offsetof(struct iopm_handoff, stack_top) == HANDOFF_STACK_OFF, "handoff stack");
#endif

#endif
