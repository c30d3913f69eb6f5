/* The only machine-dependent pieces ring.c uses: single-copy accesses to shared words and
 * barriers. GCC/Clang builtins only (no asm), so the same header serves the i386 kernel
 * and the x86_64 host build (RING_HOST) of the fuzzing harness.
 *   ring_wmb(): orders earlier stores before later stores (packet before index).
 *   ring_rmb(): orders earlier loads before later loads (index before packet).
 *   ring_mb():  FULL barrier, store-load included (lock-prefixed op or mfence on x86). */
#ifndef COOP_RING_ARCH_H
#define COOP_RING_ARCH_H

#include "types.h"

#define READ_ONCE32(x)     (*(const volatile u32 *)&(x))
#define WRITE_ONCE32(x, v) (*(volatile u32 *)&(x) = (u32)(v))

#define ring_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define ring_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define ring_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif
