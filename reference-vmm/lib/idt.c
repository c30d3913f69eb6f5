/* The IDT (one table, built by the BSP, loaded by every CPU) and the dispatcher. */
#include "irq.h"
#include "x86.h"
#include "lapic.h"
#include "klib.h"
#include "trace.h"
#include "status.h"
#include "paging.h"
#include "iopm.h"
#include "vmm.h"

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

static void fatal_exception(struct irq_frame *f)
{
    u32 flags;
    klog("FATAL: exception %u error %x eip %x on cpu %u\n", f->vector, f->error, f->eip, lapic_id());
    if (trace_try_lock_bounded(&flags)) {
        trace_comment("# fault vector=%u error=0x%x eip=0x%x cpu=%u", f->vector, f->error, f->eip, lapic_id());
        if (iopm_self)      /* the VMM canaries are not mapped on an IOPM: not reported */
            trace_event(lapic_id(), "run.end", "status", RUN_FAULT, "requests", 0, NULL);
        else
            trace_event(lapic_id(), "run.end", "status", RUN_FAULT, "requests", 0,
                        "vmm_zone_intact", (u32)vmm_zone_intact(), NULL);
    }
    trace_flush(~0u);
    qemu_exit(RUN_FAULT);
}

void irq_dispatch(struct irq_frame *f)
{
    if (f->vector == VEC_PAGE_FAULT && iopm_self)
        iopm_page_fault(f);                /* a stray write on an IOPM: it stops */
    if (f->vector < EXCEPTION_VECTORS) {
        fatal_exception(f);
        return;
    }
    if (f->vector == SPURIOUS_VECTOR)
        return;                            /* no EOI for the spurious vector */
    if (f->vector >= IOPM_VECTOR_FIRST && f->vector <= IOPM_VECTOR_LAST)
        iopm_irq(f->vector);
    else
        vmm_irq(f->vector);
    lapic_eoi();
}
