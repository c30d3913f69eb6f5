/* Every interrupt and exception, from the stubs of boot/isr.S: the side's handler (an IOPM's
 * vectors to the IOPM, the others to the VMM), a stray write on an IOPM to its fault stop,
 * any other exception the end of the run. It alone knows both sides, and nothing calls it
 * but the stubs: so lib/idt.c (the table) calls no one above it. */
#include "irq.h"
#include "x86.h"
#include "lapic.h"
#include "klib.h"
#include "trace.h"
#include "status.h"
#include "paging.h"
#include "iopm.h"
#include "vmm.h"

static void fatal_exception(struct irq_frame *f)
{
    u32 flags;
    klog("FATAL: exception %u error %x eip %x on cpu %u\n", f->vector, f->error, f->eip, lapic_id());
    if (trace_try_lock_bounded(&flags)) {
        trace_comment("# fault vector=%u error=0x%x eip=0x%x cpu=%u", f->vector, f->error, f->eip, lapic_id());
        if (iopm_here())    /* the VMM canaries are not mapped on an IOPM: not reported */
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
    if (f->vector == VEC_PAGE_FAULT && iopm_here())
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
