/* The store-buffer litmus (include/litmus.h). The words live in IOPM 0's channel, unused by
 * these scenarios, one slot (one cache line) each and each written by one side only, as the
 * ring's: the VMM writes into its request slots, the IOPM into its response slots. A word
 * holds the number of the last trial that wrote it, so nothing is reset between trials: a load
 * that returns less than the current trial missed that trial's store.
 * No pause, RDTSC, locked instruction or port I/O between a store and the load after it:
 * under multi-threaded TCG each of those is itself a full barrier. */
#include "litmus.h"
#include "ring_arch.h"

enum { X_SLOT, GO_SLOT };                      /* request slots: the VMM's words */
enum { Y_SLOT, READY_SLOT, SEEN_SLOT, DONE_SLOT };  /* response slots: the IOPM's words */

#define WORD(slot) (&(slot).id)

struct litmus_result litmus_vmm(struct channel *ch, u32 trials, int fenced)
{
    u32 *x = WORD(ch->req[X_SLOT]), *go = WORD(ch->req[GO_SLOT]);
    const u32 *y = WORD(ch->rsp[Y_SLOT]), *ready = WORD(ch->rsp[READY_SLOT]);
    const u32 *seen = WORD(ch->rsp[SEEN_SLOT]), *done = WORD(ch->rsp[DONE_SLOT]);
    struct litmus_result res = { 0, 0 };

    for (u32 i = 1; i <= trials && res.both_stale < LITMUS_ENOUGH; i++) {
        WRITE_ONCE32(*go, i);
        while (READ_ONCE32(*ready) < i)
            ;                                  /* no pause: it would leave the vCPU's loop */
        WRITE_ONCE32(*x, i);
        if (fenced)
            ring_mb();                         /* orders the store of x before the load of y */
        u32 r = READ_ONCE32(*y);
        while (READ_ONCE32(*done) < i)
            ;
        if (r < i && READ_ONCE32(*seen) < i)   /* both loads missed this trial's stores */
            res.both_stale++;
        res.trials = i;
    }
    return res;                                /* the AP is left waiting: the run ends */
}

void litmus_iopm(struct channel *ch, u32 trials, int fenced)
{
    const u32 *x = WORD(ch->req[X_SLOT]), *go = WORD(ch->req[GO_SLOT]);
    u32 *y = WORD(ch->rsp[Y_SLOT]), *ready = WORD(ch->rsp[READY_SLOT]);
    u32 *seen = WORD(ch->rsp[SEEN_SLOT]), *done = WORD(ch->rsp[DONE_SLOT]);

    for (u32 i = 1; i <= trials; i++) {
        WRITE_ONCE32(*ready, i);
        while (READ_ONCE32(*go) < i)
            ;
        WRITE_ONCE32(*y, i);
        if (fenced)
            ring_mb();                         /* orders the store of y before the load of x */
        u32 r = READ_ONCE32(*x);
        WRITE_ONCE32(*seen, r);                /* x86 keeps these two stores in order */
        WRITE_ONCE32(*done, i);
    }
}
