/* Small freestanding library: memory, formatting, serial log, timing, exit. */
#ifndef COOP_KLIB_H
#define COOP_KLIB_H

#include "types.h"

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, t)      __builtin_va_arg(ap, t)
#define va_end(ap)         __builtin_va_end(ap)

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* %s %c %u %d %x %08x %lu(u64 as %llu) */
int kvsnprintf(char *buf, u32 size, const char *fmt, va_list ap);
int ksnprintf(char *buf, u32 size, const char *fmt, ...);
u32 fmt_u64(char *buf, u64 v);      /* decimal, returns length */

void serial_init(void);
void klog(const char *fmt, ...);    /* COM1 */

/* Timing: PIT channel 2 for calibration and boot delays; TSC afterwards. */
void timing_calibrate(void);        /* BSP, once: TSC and LAPIC timer rates */
u64 tsc_per_ms(void);
u32 lapic_ticks_per_ms(void);
void pit_delay_us(u32 us);          /* busy-wait with pause, <= 50 ms */
void tsc_delay_us(u32 us);
/* As tsc_delay_us, ended early once *word == value (an interrupt handler sets it); 1 if it is. */
int tsc_delay_us_until(u32 us, const volatile u32 *word, u32 value);

u32 fw_cfg_cpu_count(void);

__attribute__((noreturn)) void qemu_exit(u32 code);

#endif
