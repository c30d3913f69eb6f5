/* I/O APIC. The reference VMM routes no external interrupt: it masks every pin at boot so
 * nothing but IPIs and the BSP's LAPIC timer arrives. */
#ifndef COOP_IOAPIC_H
#define COOP_IOAPIC_H

#define IOAPIC_BASE       0xFEC00000u
#define IOAPIC_REGSEL     0x00
#define IOAPIC_WINDOW     0x10
#define IOAPIC_REG_VER    0x01
#define IOAPIC_VER_MAXRED_SHIFT 16
#define IOAPIC_VER_MAXRED_MASK  0xFF
#define IOAPIC_REDIR_LO(n) (0x10 + 2 * (n))
#define IOAPIC_REDIR_HI(n) (0x11 + 2 * (n))
#define IOAPIC_REDIR_MASKED (1u << 16)

void ioapic_mask_all(void);

#endif
