/* Trace emission on debugcon (docs/trace-format.md). Two builds of one API:
 *  - trace.c (format v1, the default): one global trace lock, taken with interrupts off
 *    around each protocol step and its line: the line order is a linearization of the steps;
 *  - trace_lockfree.c (make TRACE=v2, TRACE_V2 = 1): per-CPU logs of format v2, no lock:
 *    trace_lock() only turns this CPU's interrupts off. Each step is its own record there,
 *    so the callers do not fold a publish with its notify (nor see-idle with prepare-sleep)
 *    as v1's lines do. */
#ifndef COOP_TRACE_H
#define COOP_TRACE_H

#include "types.h"
#include "ring.h"
#include "trace_v2.h"   /* struct trace_access */

#ifndef TRACE_V2
#define TRACE_V2 0
/* The end of a v2 trace (v1: nothing to do). The BSP calls trace_close_begin, sends each
 * live IOPM an IPI, whose handler sees trace_closing and calls trace_close_self (its
 * log.end) and stops; the BSP then trace_close_wait()s for each (1: closed, 0: it never
 * answered, its log stays without log.end) and closes its own. */
void trace_close_begin(void);
int trace_closing(void);
void trace_close_self(u32 cpu);
int trace_close_wait(u32 cpu);

#endif

void trace_zone_init(void);
/* The trace's first line: "# coop-trace v=<1|2> build=... cpus= iopms= ... seed=". */
void trace_header(const char *build, u32 cpus, u32 iopms, const char *scenario, u32 seed);
u32 trace_lock(void);               /* returns the saved EFLAGS */
void trace_unlock(u32 flags);
int trace_try_lock_bounded(u32 *flags);   /* fault path only */

/* Under the lock: one event line for a ring step of channel k. Also keeps the mirror of
 * the spec's IPI pending bits (publish notify=1 sets it). */
void trace_step(u32 cpu, u32 iopm, const struct ring_step *s);
/* Under the lock: one event line with key=value pairs, a NULL key ends the list. */
void trace_event(u32 cpu, const char *event, ...);
/* Under the lock: a step of the start of IOPM k (BootHandoff), by the VMM or by the AP,
 * with the key=value pairs after "iopm=k", a NULL key ends the list. v1: the same line as
 * trace_event. v2: the record also carries two counters of the trace zone, because the two
 * sides' steps talk through the SIPI and the hand-off block, which no record logs: a VMM
 * step reads boot_ap[k] and bumps boot_vmm[k], an AP step reads boot_vmm[k] and bumps
 * boot_ap[k] (r:boot_ap=, w:boot_vmm=, ...), so the checker orders each step after every
 * step of the other side it could have seen. An AP step that the VMM observes through a
 * shared word (ready, fault) is recorded before that word is stored. */
void trace_vmm_boot(u32 cpu, u32 k, const char *event, ...);
void trace_ap_boot(u32 cpu, u32 k, const char *event, ...);
/* The same for VMM AP j (vmm_cpus=): "vmm_ap=j"; v2: the counters boot_vvmm[j], boot_vap[j]. */
void trace_vmm_boot_vmm_ap(u32 cpu, u32 j, const char *event, ...);
void trace_vmm_ap_boot(u32 cpu, u32 j, const char *event, ...);
/* Under the lock: a routing step's event line, its key=value pairs (a NULL key ends them);
 * v2: then its accesses, in the order the CPU made them. */
void trace_access_event(u32 cpu, const char *event, const struct trace_access *acc, u32 n_acc, ...);
/* Under the lock: IOPM k stops for good (the fault injection: IopmStop), as "iopm.stop".
 * v2: the record stores the stop mark of IOPM k in the trace zone (w:irq_stop.k=1) after it
 * is recorded, and the VMM's clock tick reads the mark of each IOPM whose beat it missed
 * (trace_stop_mark: r:irq_stop.k), so the checker orders the stop before the ticks that
 * missed it: no shared word of the protocol tells the VMM that an IOPM stopped. v1: 0. */
void trace_iopm_stop(u32 cpu, u32 k);
u32 trace_stop_mark(u32 k);
/* Under the lock: a '#' line, printf-like. */
void trace_comment(const char *fmt, ...);

/* Under the lock: take the spec's pending bit of channel k, direction IOPM->VMM or
 * VMM->IOPM. 1 if it was set (the hardware IPI is the spec's Wake), 0 if the hardware
 * interrupt belongs to a notify already taken (coalesced in the spec's view). */
int trace_take_ipi_to_vmm(u32 k);
int trace_take_ipi_to_iopm(u32 k);
u64 trace_seq(void);                /* lines so far (progress indicator) */

/* Write buffered lines to the debugcon port, at most max_bytes (~0u: all). Outside the
 * trace lock; meant for the BSP (any CPU may call it: a flush lock serialises). */
void trace_flush(u32 max_bytes);
u32 trace_pending_bytes(void);

/* The end of a v2 trace (v1: nothing to do). The BSP calls trace_close_begin, sends each
 * live IOPM an IPI, whose handler sees trace_closing and calls trace_close_self (its
 * log.end) and stops; the BSP then trace_close_wait()s for each (1: closed, 0: it never
 * answered, its log stays without log.end) and closes its own. */
void trace_close_begin(void);
int trace_closing(void);
void trace_close_self(u32 cpu);
int trace_close_wait(u32 cpu);

#endif
