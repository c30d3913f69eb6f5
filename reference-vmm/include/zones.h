/* The physical memory split (seed, part 3: VMM zone, IOPM zones, shared zone), plus the
 * real-mode start code page and the trace zone (instrumentation, outside the model). */
#ifndef COOP_ZONES_H
#define COOP_ZONES_H

/* Real-mode start code for the APs: below 1 MiB, page aligned, and below 0x9000 where
 * QEMU's multiboot loader keeps the memory map (0x9000) and the info block (0x9500). */
#define TRAMPOLINE_BASE   0x00008000
#define TRAMPOLINE_LIMIT  0x00009000
#define TRAMPOLINE_SIPI_VECTOR (TRAMPOLINE_BASE >> 12)

/* VMM zone: the kernel image (linked at 1 MiB), its data, bss and the BSP stack. */
#define VMM_ZONE_START    0x00100000
#define VMM_ZONE_END      0x00800000

/* Shared zone: docs/shared-zone.md, SHARED_ZONE_SIZE bytes. */
#define SHARED_ZONE_BASE  0x00800000

/* Trace zone: the trace lock, sequence counter and the mirror of the spec's IPI pending
 * bits; the trace buffer: lines are stored there under the trace lock and drained to the
 * debugcon port by the BSP outside it. Instrumentation only: no protocol decision reads
 * either. */
#define TRACE_ZONE_BASE   0x00900000
#define TRACE_ZONE_SIZE   0x00001000
#define TRACE_BUF_BASE    0x04000000
#define TRACE_BUF_SIZE    0x01000000   /* power of two: a ring of bytes */

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
#define IOPM_STACK_SIZE   0x00010000   /* at the top of the zone */

#endif
