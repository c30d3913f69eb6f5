/* The devices of the irq scenarios, as hardware: found (PCI config space), wired to the
 * IOAPIC, and made to raise. The policy (which device, when) is in vmm/route.c.
 *
 * dev 0: PIT channel 0 in one-shot mode (ISA IRQ 0, IOAPIC pin 2), the VMM's own device.
 * dev 1: QEMU's edu (PCI), INTx on the line the firmware wrote to config byte 0x3C.
 * dev 2..: pc-testdev ISA lines, free ones, not the edu's. */
#include "irq_route.h"
#include "ioapic.h"
#include "x86.h"
#include "klib.h"

static u32 inl_port(u16 port)
{
    u32 v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static u32 pci_config_read(u32 bus, u32 slot, u32 func, u32 reg)
{
    outl(PORT_PCI_CONFIG_ADDR, PCI_CONFIG_ENABLE | (bus << PCI_BUS_SHIFT) |
              (slot << PCI_SLOT_SHIFT) | (func << PCI_FUNC_SHIFT) | (reg & PCI_REG_MASK));
    return inl_port(PORT_PCI_CONFIG_DATA);
}

static void pci_config_write(u32 bus, u32 slot, u32 func, u32 reg, u32 v)
{
    outl(PORT_PCI_CONFIG_ADDR, PCI_CONFIG_ENABLE | (bus << PCI_BUS_SHIFT) |
              (slot << PCI_SLOT_SHIFT) | (func << PCI_FUNC_SHIFT) | (reg & PCI_REG_MASK));
    outl(PORT_PCI_CONFIG_DATA, v);
}

/* Bus 0 only: QEMU's pc puts -device edu there. Returns the slot, or -1. */
static int pci_find(u32 vendor, u32 device)
{
    for (u32 slot = 0; slot < PCI_SLOTS; slot++) {
        u32 id = pci_config_read(0, slot, 0, PCI_CFG_ID);
        if ((id & PCI_VENDOR_MASK) == PCI_VENDOR_NONE)
            continue;
        if ((id & PCI_VENDOR_MASK) == vendor && (id >> PCI_DEVICE_SHIFT) == device)
            return (int)slot;
    }
    return -1;
}

static u32 ioapic_reg_read(u32 reg)
{
    *(volatile u32 *)(IOAPIC_BASE + IOAPIC_REGSEL) = reg;
    return *(volatile u32 *)(IOAPIC_BASE + IOAPIC_WINDOW);
}

static void ioapic_reg_write(u32 reg, u32 v)
{
    *(volatile u32 *)(IOAPIC_BASE + IOAPIC_REGSEL) = reg;
    *(volatile u32 *)(IOAPIC_BASE + IOAPIC_WINDOW) = v;
}

/* Fixed delivery, physical destination, active high, edge: the device is raised again
 * only after its last interrupt was handled, so an edge is never lost or coalesced, and
 * a level line still high at EOI does not fire again. Masked while it is edited. */
void ioapic_route_pin(u32 pin, u32 vector, u32 apic_id)
{
    ioapic_reg_write(IOAPIC_REDIR_LO(pin), ioapic_reg_read(IOAPIC_REDIR_LO(pin)) | IOAPIC_REDIR_MASKED);
    ioapic_reg_write(IOAPIC_REDIR_HI(pin), apic_id << IOAPIC_REDIR_DEST_SHIFT);
    ioapic_reg_write(IOAPIC_REDIR_LO(pin), vector & IOAPIC_REDIR_VECTOR_MASK);
}

static void pit_oneshot(u32 count)
{
    outb(PORT_PIT_CMD, PIT_CMD_CH0_MODE0);       /* OUT low until the count runs out */
    outb(PORT_PIT_CH0, (u8)count);                /* low byte, then high byte */
    outb(PORT_PIT_CH0, (u8)(count >> PIT_HIGH_BYTE_SHIFT));
}

u32 devices_discover(struct irq_device *dev, u32 max)
{
    static const u32 lines[] = TESTDEV_CANDIDATE_LINES;
    u32 n = 0, edu_line = ~0u, td = 0;
    int slot;

    /* dev 0: the PIT. The firmware left channel 0 periodic: one-shot it with count 1 so
     * its last edge passes while pin 2 is still masked. */
    pit_oneshot(1);
    pit_delay_us(PIT_SETTLE_US);
    dev[n].kind = DEV_PIT;
    dev[n].name = "pit";
    dev[n].pin = PIT_IOAPIC_PIN;
    dev[n].line = 0;
    dev[n].mmio = 0;
    n++;

    slot = pci_find(EDU_VENDOR_ID, EDU_DEVICE_ID);
    if (slot >= 0 && n < max) {
        u32 cmd = pci_config_read(0, (u32)slot, 0, PCI_CFG_COMMAND);
        pci_config_write(0, (u32)slot, 0, PCI_CFG_COMMAND, cmd | PCI_COMMAND_MEMORY);
        edu_line = pci_config_read(0, (u32)slot, 0, PCI_CFG_INTR_LINE) & PCI_INTR_LINE_MASK;
        dev[n].kind = DEV_EDU;
        dev[n].name = "edu";
        dev[n].pin = edu_line;
        dev[n].line = edu_line;
        dev[n].mmio = pci_config_read(0, (u32)slot, 0, PCI_CFG_BAR0) & PCI_BAR_MEM_MASK;
        /* no interrupt left raised from an earlier run of the firmware */
        *(volatile u32 *)(dev[n].mmio + EDU_REG_IRQ_ACK) =
            *(volatile u32 *)(dev[n].mmio + EDU_REG_IRQ_STATUS);
        klog("edu at 0:%u, BAR0 0x%08x, INTx line %u\n", (u32)slot, dev[n].mmio, edu_line);
        n++;
    } else {
        klog("edu not found: its device is left out\n");
    }

    for (u32 i = 0; i < ARRAY_SIZE(lines) && td < TESTDEV_DEVICES && n < max; i++) {
        if (lines[i] == edu_line)
            continue;
        outb((u16)(PORT_TESTDEV_IRQ + lines[i]), TESTDEV_LINE_LOW);
        dev[n].kind = DEV_TESTDEV;
        dev[n].name = "testdev";
        dev[n].pin = lines[i];
        dev[n].line = lines[i];
        dev[n].mmio = 0;
        n++;
        td++;
    }
    for (u32 d = 0; d < n; d++)
        dev[d].vector = DEV_VECTOR_BASE + d;
    return n;
}

void device_raise(const struct irq_device *d)
{
    switch (d->kind) {
    case DEV_PIT:
        pit_oneshot(PIT_ONESHOT_COUNT);
        break;
    case DEV_EDU:
        *(volatile u32 *)(d->mmio + EDU_REG_IRQ_RAISE) = EDU_IRQ_BIT;
        break;
    case DEV_TESTDEV:
        outb((u16)(PORT_TESTDEV_IRQ + d->line), TESTDEV_LINE_HIGH);   /* the edge */
        outb((u16)(PORT_TESTDEV_IRQ + d->line), TESTDEV_LINE_LOW);
        break;
    default:
        break;
    }
}
