/* The VMM's side of each channel's management ring (vm-admin; specs/MgmtRing.tla's VMM and
 * GuestIo's VmmCarryOutCommand): take the console's commands, carry them out on the guests
 * (include/vcpu.h), answer. vmm/admin.c owns the rings' VMM-private state; serve.c calls
 * these from its loop, its sleep and its IPI handler. */
#ifndef COOP_ADMIN_H
#define COOP_ADMIN_H

#include "types.h"
#include "shared_zone.h"

void admin_init(u32 iopms);
/* One round on channel k's ring: an answer left over first, else the oldest command taken
 * (copied once) and, once its VM has no exit in flight, carried out and answered. Returns
 * the steps taken; *destroyed is the VM a destroy removed (its exits left will not come),
 * else ~0u. */
u32 admin_serve(u32 k, struct channel *ch, u32 *destroyed);
/* The VMM is about to halt: ring k idle (no command, nothing owed), its event index armed,
 * the final check: 1 if it may sleep (a ring given up keeps no one awake), 0 if not. */
int admin_sleep(u32 k, struct channel *ch);
/* 1 if ring k is still trusted (not given up for a bogus index): its console may still send. */
int admin_trusted(u32 k);
/* 1 if ring k owes nothing: no command held, every answer published and taken by the console. */
int admin_all_answered(u32 k);
/* The VMM runs on after its sleep attempt: every ring still asleep wakes (spurious). */
void admin_wake_all(u32 iopms);
/* Under the trace lock, in the IPI handler of channel k: the console's IPI taken (VmmWake). */
void admin_ipi_locked(u32 k);

#endif
