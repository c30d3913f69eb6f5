/* Fixed-width types for the freestanding kernel (and the host build of ring.c). */
#ifndef COOP_TYPES_H
#define COOP_TYPES_H

#if defined(RING_HOST)
#include <stdint.h>
#include <stddef.h>
typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#else
typedef unsigned char      u8;
typedef unsigned short     u16;
typedef unsigned int       u32;
typedef unsigned long long u64;
typedef unsigned int       size_t;
#define NULL ((void *)0)
#define offsetof(t, m) __builtin_offsetof(t, m)
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define STATIC_ASSERT(c, msg) _Static_assert(c, msg)

#endif
