/* The store-buffer litmus (scenario litmus, litmus-mb): the BSP and IOPM 0's AP each store
 * one word and then load the other's, with no barrier between (litmus) or a full one
 * (litmus-mb), once per trial, in lockstep. A trial where both loads missed the other's
 * store is a store->load reordering: what a missing ring_mb() lets happen. It shows that the
 * QEMU/host combination still reorders, so a lock-free run with no store-buffering cycle
 * means something; in deterministic mode (one host thread) it must never happen. */
#ifndef COOP_LITMUS_H
#define COOP_LITMUS_H

#include "types.h"
#include "shared_zone.h"

/* A run stops once it has seen this many reorderings: enough to show it, and the time to
 * see them is the figure (a run with none goes on for all its trials). */
#define LITMUS_ENOUGH 10u

struct litmus_result {
    u32 trials;        /* trials run */
    u32 both_stale;    /* trials in which both loads saw the other's old value */
};

/* The BSP's side: at most `trials` trials, fewer once LITMUS_ENOUGH reorderings were seen. */
struct litmus_result litmus_vmm(struct channel *ch, u32 trials, int fenced);
/* The AP's side, the same trials. */
void litmus_iopm(struct channel *ch, u32 trials, int fenced);

#endif
