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
#define RUN_BOOT_HANG          9   /* an AP checked in but its IOPM never reported ready or faulted */
#define RUN_BOOT_UNEXPECTED   10   /* the boot outcome is not the scenario's: a healthy IOPM failed,
                                    * the rogue was not caught, the dead AP came up, the slow AP
                                    * needed no retry */
#define RUN_VMM_ZONE_BROKEN   11   /* a VMM canary changed (vmm_zone_intact=0) */
#define RUN_IRQ_LOST          12   /* irq scenarios: an interrupt raised was not handled exactly once, in order */
#define RUN_NO_FAILOVER       13   /* irq-failover, irq-balance: no IOPM was failed over */
#define RUN_FALSE_FAILOVER    14   /* irq scenarios: an IOPM that was not stopped was failed over */
#define RUN_GOAL_UNMET        15   /* the scenario's goal events did not all happen within its
                                    * extension bound (include/goal.h) */
#define RUN_NO_SVM            16   /* vm-io: the BSP has no SVM (QEMU needs -cpu max) */
#define RUN_GUEST_STOPPED     17   /* vm-io: a guest made an exit the VMM does not allow */
#define RUN_GUEST_LOST        18   /* a vCPU waits for an answer no channel owes it */
#define RUN_GUEST_CHECK_FAILED 19  /* a guest's own check found its data changed (guest.check pass=0) */

#endif
