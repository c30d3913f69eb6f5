/* Local APIC (xAPIC, MMIO). x2APIC is not available under TCG in QEMU 7.2. */
#ifndef COOP_LAPIC_H
#define COOP_LAPIC_H

#include "types.h"

#define LAPIC_BASE        0xFEE00000u
#define LAPIC_ID          0x020
#define LAPIC_ID_SHIFT    24
#define LAPIC_TPR         0x080
#define LAPIC_EOI         0x0B0
#define LAPIC_SVR         0x0F0
#define LAPIC_SVR_ENABLE  0x100
#define LAPIC_ICR_LO      0x300
#define LAPIC_ICR_HI      0x310
#define LAPIC_ICR_DEST_SHIFT 24
#define LAPIC_LVT_TIMER   0x320
#define LAPIC_LVT_LINT0   0x350
#define LAPIC_LVT_LINT1   0x360
#define LAPIC_LVT_ERROR   0x370
#define LAPIC_TIMER_INIT  0x380
#define LAPIC_TIMER_CUR   0x390
#define LAPIC_TIMER_DIV   0x3E0

#define LAPIC_LVT_MASKED      (1u << 16)
#define LAPIC_TIMER_PERIODIC  (1u << 17)
#define LAPIC_TIMER_DIV_16    0x3

/* ICR low word */
#define ICR_FIXED          0x000
#define ICR_INIT           0x500
#define ICR_STARTUP        0x600
#define ICR_DELIVERY_PENDING (1u << 12)
#define ICR_LEVEL_ASSERT   (1u << 14)
#define ICR_TRIGGER_LEVEL  (1u << 15)
#define ICR_INIT_ASSERT    (ICR_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL)  /* 0xC500 */
#define ICR_INIT_DEASSERT  (ICR_INIT | ICR_TRIGGER_LEVEL)                     /* 0x8500 */

static inline u32 lapic_read(u32 reg) { return *(volatile u32 *)(LAPIC_BASE + reg); }
static inline void lapic_write(u32 reg, u32 v) { *(volatile u32 *)(LAPIC_BASE + reg) = v; }
static inline u32 lapic_id(void) { return lapic_read(LAPIC_ID) >> LAPIC_ID_SHIFT; }
static inline void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

void lapic_init_cpu(void);               /* enable, mask LINT0/LINT1/timer/error */
void lapic_send_ipi(u32 apic_id, u32 icr_lo);
void lapic_timer_periodic(u32 vector, u32 count);

#endif
