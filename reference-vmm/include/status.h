/* run.end status codes (QEMU's exit status is (code << 1) | 1). */
#ifndef COOP_STATUS_H
#define COOP_STATUS_H

#define RUN_OK                 0
#define RUN_BAD_RESPONSE       1   /* guest-visible failure: wrong, duplicate, bad response */
#define RUN_WATCHDOG           2   /* no progress, not a recognised stall */
#define RUN_STALL              3   /* lost wakeup: both sides asleep with work outstanding */
#define RUN_NO_IOPM            4   /* no IOPM came up */
#define RUN_FAULT              5   /* CPU exception */
#define RUN_BAD_ARGS           6   /* command line not understood */
#define RUN_UNEXPECTED_BROKEN  7   /* an IOPM was declared broken outside ring-hostile */
#define RUN_HOSTILE_MISSED     8   /* ring-hostile: the bogus index was never detected */
#define RUN_IRQ_LOST           9   /* irq scenarios: an interrupt raised was not handled exactly once, in order */
#define RUN_NO_FAILOVER       10   /* irq-failover, irq-balance: no IOPM was failed over */
#define RUN_FALSE_FAILOVER    11   /* irq scenarios: an IOPM that was not stopped was failed over */

#endif
