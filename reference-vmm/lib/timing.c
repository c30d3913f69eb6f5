/* PIT channel 2 delays; TSC and LAPIC timer calibration against it. */
#include "klib.h"
#include "x86.h"
#include "lapic.h"

#define CALIBRATE_MS   10u
#define US_PER_MS      1000u
#define US_PER_S       1000000u
#define LAPIC_COUNT_MAX 0xFFFFFFFFu

static u64 g_tsc_per_ms;
static u32 g_lapic_per_ms;

static void pit_ch2_start(u32 count)
{
    u8 v = inb(PORT_SYS_CTRL_B);
    v = (u8)((v & ~(SYS_CTRL_B_SPKR | SYS_CTRL_B_GATE2)));
    outb(PORT_SYS_CTRL_B, v);                           /* gate low */
    outb(PORT_PIT_CMD, PIT_CMD_CH2_MODE0);
    outb(PORT_PIT_CH2, (u8)(count & 0xFF));
    outb(PORT_PIT_CH2, (u8)(count >> 8));
    outb(PORT_SYS_CTRL_B, (u8)(v | SYS_CTRL_B_GATE2));  /* gate high: count */
}

static void pit_ch2_wait(void)
{
    while (!(inb(PORT_SYS_CTRL_B) & SYS_CTRL_B_OUT2))
        cpu_relax();
}

void pit_delay_us(u32 us)
{
    u32 count = (u32)udiv64((u64)PIT_HZ * us, US_PER_S, NULL);
    if (count == 0)
        count = 1;
    if (count > PIT_MAX_COUNT)
        count = PIT_MAX_COUNT;
    pit_ch2_start(count);
    pit_ch2_wait();
}

void timing_calibrate(void)
{
    u64 t0, t1;
    u32 l1;

    lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    pit_ch2_start((u32)udiv64((u64)PIT_HZ * CALIBRATE_MS, US_PER_MS, NULL));
    lapic_write(LAPIC_TIMER_INIT, LAPIC_COUNT_MAX);
    t0 = rdtsc();
    pit_ch2_wait();
    t1 = rdtsc();
    l1 = lapic_read(LAPIC_TIMER_CUR);
    lapic_write(LAPIC_TIMER_INIT, 0);
    g_tsc_per_ms = udiv64(t1 - t0, CALIBRATE_MS, NULL);
    g_lapic_per_ms = (LAPIC_COUNT_MAX - l1) / CALIBRATE_MS;
    if (g_tsc_per_ms == 0)
        g_tsc_per_ms = 1;
    if (g_lapic_per_ms == 0)
        g_lapic_per_ms = 1;
}

u64 tsc_per_ms(void) { return g_tsc_per_ms; }
u32 lapic_ticks_per_ms(void) { return g_lapic_per_ms; }

void tsc_delay_us(u32 us)
{
    u64 end = rdtsc() + udiv64(g_tsc_per_ms * us, US_PER_MS, NULL);
    while (rdtsc() < end)
        cpu_relax();
}

int tsc_delay_us_until(u32 us, const volatile u32 *word, u32 value)
{
    u64 end = rdtsc() + udiv64(g_tsc_per_ms * us, US_PER_MS, NULL);
    while (rdtsc() < end) {
        if (*word == value)
            return 1;
        cpu_relax();
    }
    return *word == value;
}

u32 fw_cfg_cpu_count(void)
{
    u32 lo, hi;
    outw(PORT_FW_CFG_SEL, FW_CFG_NB_CPUS);
    lo = inb(PORT_FW_CFG_DATA);
    hi = inb(PORT_FW_CFG_DATA);
    return lo | (hi << 8);
}
