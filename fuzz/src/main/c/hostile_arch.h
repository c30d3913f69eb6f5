/* Forced in front of reference-vmm/ring/ring.c and ring/mgmt_ring.c (clang -include) for the
 * fuzzing build only.
 * It keeps ring_arch.h as it is (barriers, WRITE_ONCE32) and re-routes READ_ONCE32 through a
 * hook, so that the harness can rewrite the words a hostile peer owns between two reads that
 * ring.c makes inside one call (a peer running on another CPU could do the same). With no
 * tape (the differential harness) the hook changes nothing and only records what was read. */
#ifndef COOP_FUZZ_HOSTILE_ARCH_H
#define COOP_FUZZ_HOSTILE_ARCH_H

#include "ring_arch.h"

const void *coop_fuzz_before_read(const void *p);
/* the management ring's half of the hook (mgmt_jni.c): coop_fuzz_before_read hands it every
 * read made while no ring step runs */
const void *coop_fuzz_mgmt_before_read(const void *p);

#undef READ_ONCE32
#define READ_ONCE32(x) (*(const volatile u32 *)coop_fuzz_before_read((const void *)&(x)))

#endif
