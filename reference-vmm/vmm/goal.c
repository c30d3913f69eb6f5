/* Scenario goals (include/goal.h): what the VMM has seen of each channel, and whether the
 * scenario's events have all happened. Only the scenario's end condition reads this; no
 * protocol step depends on it. */
#include "goal.h"
#include "irq_route.h"
#include "klib.h"

static const struct run_config *cfg;
static u32 n_iopms;
static u32 counts[MAX_IOPMS];          /* 1: the channel's ring goal applies */
static u32 vmm_slept[MAX_IOPMS], req_full[MAX_IOPMS], rsp_blocked[MAX_IOPMS];

void goal_init(const struct run_config *c, u32 iopms, const u32 *ready)
{
    cfg = c;
    n_iopms = iopms;
    for (u32 k = 0; k < iopms; k++)
        counts[k] = ready[k];
}

void goal_vmm_slept(u32 k) { vmm_slept[k] = 1; }
void goal_req_ring_full(u32 k) { req_full[k] = 1; }
void goal_rsp_ring_blocked(u32 k) { rsp_blocked[k] = 1; }
void goal_exempt(u32 k) { counts[k] = 0; }

static int iopm_slept(u32 k)
{
    return iopm_handoff_of(k)->diag_sleeps != 0;
}

int goal_ring_unmet(u32 k)
{
    if (!counts[k])
        return 0;
    switch (cfg->scenario) {
    case SCEN_RING_BURST:
        return !req_full[k] || !rsp_blocked[k];
    case SCEN_RING_SLEEP:
        return !vmm_slept[k] || !iopm_slept(k);
    default:
        return 0;
    }
}

int goal_met(void)
{
    for (u32 k = 0; k < n_iopms; k++)
        if (goal_ring_unmet(k))
            return 0;
    return irq_goal_met();
}

void goal_report(void)
{
    for (u32 k = 0; k < n_iopms; k++)
        if (goal_ring_unmet(k))
            klog("goal unmet on channel %u: req ring full %u, rsp ring blocked %u, vmm slept %u, iopm slept %u\n",
                 k, req_full[k], rsp_blocked[k], vmm_slept[k], (u32)iopm_slept(k));
    if (!irq_goal_met())
        irq_goal_report();
}
