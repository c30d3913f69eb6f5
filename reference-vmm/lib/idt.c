/* The IDT: one table, built by the BSP, loaded by every CPU. Its stubs (boot/isr.S) call
 * boot/irq_dispatch.c, which picks the side's handler: this file calls no one above lib/. */
#include "irq.h"
#include "x86.h"

struct idt_gate {
    u16 off_lo;
    u16 sel;
    u8 zero;
    u8 type;
    u16 off_hi;
} __attribute__((packed));

extern const u8 isr_stubs[];
extern const u32 isr_stub_size;
static struct idt_gate idt[IDT_ENTRIES];

void idt_init(void)
{
    for (u32 v = 0; v < IDT_ENTRIES; v++) {
        u32 a = (u32)isr_stubs + v * isr_stub_size;
        idt[v].off_lo = (u16)a;
        idt[v].off_hi = (u16)(a >> 16);
        idt[v].sel = GDT_CODE_SEL;
        idt[v].zero = 0;
        idt[v].type = IDT_GATE_INT32;
    }
}

void idt_load(void)
{
    struct dt_ptr p = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(p));
}
