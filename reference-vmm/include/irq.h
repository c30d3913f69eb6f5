/* Interrupt vectors and the IDT. */
#ifndef COOP_IRQ_H
#define COOP_IRQ_H


#define EXCEPTION_VECTORS 32
#define TIMER_VECTOR      0x40      /* BSP LAPIC timer: watchdog tick */
#define VMM_IPI_BASE      0x50      /* IOPM k -> VMM: VMM_IPI_BASE + k */
#define IOPM_IPI_VECTOR   0x60      /* VMM -> IOPM: ring */
#define IRQ_IPI_VECTOR    0x61      /* VMM -> IOPM: its pending interrupt list grew */
#define IOPM_TIMER_VECTOR 0x62      /* IOPM LAPIC timer: its clock tick (heartbeat) */
#define IOPM_VECTOR_FIRST IOPM_IPI_VECTOR
#define IOPM_VECTOR_LAST  IOPM_TIMER_VECTOR
#define VMM_TICK_MS       50u       /* BSP LAPIC timer period: watchdog, heartbeat check */
#define SPURIOUS_VECTOR   0xFF
#define IDT_ENTRIES       256
#define IDT_GATE_INT32    0x8E      /* present, ring 0, 32-bit interrupt gate */

#ifndef __ASSEMBLER__
#include "types.h"

struct irq_frame {                  /* as boot/isr.S pushes it */
    u32 edi, esi, ebp, esp_dummy, ebx, edx, ecx, eax;
    u32 vector, error;
    u32 eip, cs, eflags;
};

void idt_init(void);                /* build the IDT (BSP, once) */
void idt_load(void);                /* lidt on this CPU */
void gdt_load(void);                /* boot/entry.S: lgdt + reload segments on this CPU */
void irq_dispatch(struct irq_frame *f);

/* handlers, each side registers its own */
void vmm_irq(u32 vector);
void iopm_irq(u32 vector);
#endif

#endif
