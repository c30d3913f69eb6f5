/* Trace emission on debugcon (docs/trace-format.md). One global trace lock, taken with
 * interrupts off around each protocol step and its line: the line order is a
 * linearization of the steps. */
#ifndef COOP_TRACE_H
#define COOP_TRACE_H

#include "types.h"
#include "ring.h"

void trace_zone_init(void);
u32 trace_lock(void);               /* returns the saved EFLAGS */
void trace_unlock(u32 flags);
int trace_try_lock_bounded(u32 *flags);   /* fault path only */

/* Under the lock: one event line for a ring step of channel k. Also keeps the mirror of
 * the spec's IPI pending bits (publish notify=1 sets it). */
void trace_step(u32 cpu, u32 iopm, const struct ring_step *s);
/* Under the lock: one event line with key=value pairs, a NULL key ends the list. */
void trace_event(u32 cpu, const char *event, ...);
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

#endif
