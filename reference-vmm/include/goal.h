/* Scenario goals: the events a scenario exists to exercise, which the run must have produced
 * before it may end. A run that finishes its base work (requests=, irqs=) before its goal is
 * met goes on (more requests, paced interrupts) until it is, so what a run exercises never
 * depends on how fast the host runs the guest. The extension is bounded by a count; a goal
 * still unmet then ends the run with RUN_GOAL_UNMET, and conformance names what is missing.
 *
 *   ring-burst   every channel: the request ring seen full by the VMM, and the response
 *                ring full while the IOPM holds a request it cannot answer (the VMM holds
 *                back its consumption until then: vmm/serve.c)
 *   ring-sleep   every channel: the VMM and the IOPM each slept (final_check sleep=1)
 *   irq*         at least IRQ_GOAL_TICKS clock ticks, and an iopm.tick from every live
 *                IOPM after the first; irq-failover and irq-balance (2+ IOPMs): a failover
 * The other scenarios' events follow from their fault injection or their base work. */
#ifndef COOP_GOAL_H
#define COOP_GOAL_H

#include "types.h"
#include "vmm.h"

/* Extension bound: requests per channel beyond requests= (the interrupts' bound is
 * IRQ_GOAL_EXTRA_MAX, include/irq_route.h). */
#define GOAL_EXTRA_REQUESTS_MAX 2000u

void goal_init(const struct run_config *cfg, u32 iopms, const u32 *ready);
/* What the VMM saw on channel k (serve.c, VMM side). */
void goal_vmm_slept(u32 k);
void goal_req_ring_full(u32 k);
void goal_rsp_ring_blocked(u32 k);
/* Channel k's ring goal is unmet: its guest should issue more requests. */
int goal_ring_unmet(u32 k);
/* Every goal of the scenario is met (channels given up or failed over are exempt). */
int goal_met(void);
/* Channel k no longer counts (declared broken, failed over). */
void goal_exempt(u32 k);
/* klog what is still missing. */
void goal_report(void);

#endif
