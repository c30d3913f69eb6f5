/* Local APIC and I/O APIC set-up. */
#include "lapic.h"
#include "ioapic.h"
#include "irq.h"
#include "x86.h"

void lapic_init_cpu(void)
{
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);   /* SeaBIOS leaves ExtINT live */
    lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | SPURIOUS_VECTOR);
}

void lapic_send_ipi(u32 apic_id, u32 icr_lo)
{
    while (lapic_read(LAPIC_ICR_LO) & ICR_DELIVERY_PENDING)
        cpu_relax();
    lapic_write(LAPIC_ICR_HI, apic_id << LAPIC_ICR_DEST_SHIFT);
    lapic_write(LAPIC_ICR_LO, icr_lo);
    while (lapic_read(LAPIC_ICR_LO) & ICR_DELIVERY_PENDING)
        cpu_relax();
}

void lapic_timer_periodic(u32 vector, u32 count)
{
    lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | vector);
    lapic_write(LAPIC_TIMER_INIT, count);
}

static u32 ioapic_read(u32 reg)
{
    *(volatile u32 *)(IOAPIC_BASE + IOAPIC_REGSEL) = reg;
    return *(volatile u32 *)(IOAPIC_BASE + IOAPIC_WINDOW);
}

static void ioapic_write(u32 reg, u32 v)
{
    *(volatile u32 *)(IOAPIC_BASE + IOAPIC_REGSEL) = reg;
    *(volatile u32 *)(IOAPIC_BASE + IOAPIC_WINDOW) = v;
}

void ioapic_mask_all(void)
{
    u32 pins = ((ioapic_read(IOAPIC_REG_VER) >> IOAPIC_VER_MAXRED_SHIFT) & IOAPIC_VER_MAXRED_MASK) + 1;
    for (u32 n = 0; n < pins; n++)
        ioapic_write(IOAPIC_REDIR_LO(n), ioapic_read(IOAPIC_REDIR_LO(n)) | IOAPIC_REDIR_MASKED);
}
