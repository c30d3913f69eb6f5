/* The physical memory split (seed, part 3: VMM zone, IOPM zones, shared zone), plus the
 * real-mode start code page and the trace zone (instrumentation, outside the model). */
#ifndef COOP_ZONES_H
#define COOP_ZONES_H

/* Real-mode start code: one page per IOPM below 1 MiB (the spec's RmAt(a), distinct per
 * AP), in conventional memory nothing else uses once kmain has copied the command line
 * (QEMU's multiboot info sits at 0x9000-0x9FFF; the EBDA starts at 0x9FC00). The SIPI
 * vector is the page number. */
#define RM_PAGES_BASE     0x00070000
#define RM_PAGE_SIZE      0x00001000
#define RM_PAGE(k)        (RM_PAGES_BASE + (k) * RM_PAGE_SIZE)
#define RM_SIPI_VECTOR(k) (RM_PAGE(k) >> 12)   /* AP k's page: VMM APs first, then IOPMs */
#define MAX_VMM_APS       2u                     /* APs that may run the VMM (vmm_cpus - 1) */

/* VMM zone: the kernel image (linked at 1 MiB), its data, bss and the BSP stack. */
#define VMM_ZONE_START    0x00100000
#define VMM_ZONE_END      0x00800000

/* VMM canaries: words at the end of the VMM zone, past the kernel image, set at boot and
 * checked at run.end (vmm_zone_intact). A write that escaped an IOPM's page tables into
 * the VMM zone (boot-rogue's target is the first of them) would change them. */
#define VMM_CANARY_WORDS  4
#define VMM_CANARY_BASE   (VMM_ZONE_END - VMM_CANARY_WORDS * 4)
#define VMM_CANARY_VALUE  0xC0A1FEEDu

/* Shared zone: docs/shared-zone.md, SHARED_ZONE_SIZE bytes. */
#define SHARED_ZONE_BASE  0x00800000

/* Guest device zone (vm-io, vm-failover): the guests' disk controllers, their sectors and
 * registers (struct guest_disks, include/vcpu.h). Device memory as a real machine has it,
 * outside every zone: every IOPM maps it, and each disk is written by the IOPM that owns it
 * at the time (one writer), so a disk keeps its data and registers across a failover, as
 * hardware does when its driver dies. */
#define GUEST_DEV_ZONE    0x00A00000
#define GUEST_DEV_ZONE_SIZE 0x00001000

/* Trace zone: the trace lock, sequence counter and the mirror of the spec's IPI pending
 * bits; the trace buffer: lines are stored there under the trace lock and drained to the
 * debugcon port by the BSP outside it. Instrumentation only: no protocol decision reads
 * either. */
#define TRACE_ZONE_BASE   0x00900000
#define TRACE_ZONE_SIZE   0x00001000
#define TRACE_BUF_BASE    0x04000000
#define TRACE_BUF_SIZE    0x02000000   /* power of two: a ring of bytes (v2: a slice per CPU) */

/* IOPM zones: one per IOPM, aligned to their size (an IOPM finds its zone from its
 * stack pointer). */
#define IOPM_ZONE_BASE    0x01000000
#define IOPM_ZONE_SIZE    0x00400000
#define IOPM_ZONE_START(k) (IOPM_ZONE_BASE + (k) * IOPM_ZONE_SIZE)

/* Inside an IOPM zone */
#define IOPM_HANDOFF_OFF  0x00000000   /* handoff block, written by the VMM */
#define IOPM_PRIVATE_OFF  0x00001000   /* IOPM private state (ring state, pending queue) */
#define IOPM_DISK_OFF     0x00010000   /* RAM disk */
#define IOPM_DISK_SIZE    0x00010000
#define IOPM_CONSOLE_OFF  0x00020000   /* console log buffer */
#define IOPM_CONSOLE_SIZE 0x00010000
#define IOPM_PT_POOL_OFF  0x00030000   /* page directory, then page tables (built by the VMM) */
#define IOPM_PT_POOL_PAGES 8
#define IOPM_IMAGE_OFF    0x00100000   /* the IOPM's private copy of the kernel image */
#define IOPM_IMAGE_MAX    0x00200000
#define IOPM_STACK_SIZE   0x00010000   /* at the top of the zone */

/* The protected-mode image is copied in this many chunks (the spec's PmSize), one traced
 * step each. */
#define PM_UNITS          4

#endif
