/* SVM on a VMM CPU: enable it, build a guest's VMCB, run the guest to its next exit. */
#include "svm.h"
#include "x86.h"
#include "klib.h"


/* One host-save page per CPU would be needed with more VMM CPUs; the BSP is the only one. */
static u8 host_save[SVM_PAGE] __attribute__((aligned(SVM_PAGE)));
/* Every port and every MSR exits: all bits set (shared by all guests, read only). */
static u8 io_bitmap[SVM_IOPM_BYTES] __attribute__((aligned(SVM_PAGE)));
static u8 msr_bitmap[SVM_MSRPM_BYTES] __attribute__((aligned(SVM_PAGE)));

/* vmm/vmrun.S */
void svm_vmrun(u32 vmcb_pa, struct guest_gprs *g);

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

int svm_enable_cpu(void)
{
    u32 a, b, c, d;
    cpuid(CPUID_EXT_FEATURES, &a, &b, &c, &d);
    if (!(c & CPUID_EXT_ECX_SVM))
        return 0;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, (u32)host_save);
    memset(io_bitmap, 0xFF, sizeof(io_bitmap));
    memset(msr_bitmap, 0xFF, sizeof(msr_bitmap));
    return 1;
}

static void seg(struct vmcb_seg *s, u16 attrib, u32 base, u32 limit)
{
    s->selector = 0;
    s->attrib = attrib;
    s->limit = limit;
    s->base = base;
}

void svm_vmcb_init(struct vmcb *v, u32 base, u32 limit, u32 rip, u32 rax)
{
    memset(v, 0, sizeof(*v));
    /* what the guest may not do without the VMM: anything that would widen its segments
     * (descriptor tables, control registers, MSRs, task switches), port I/O, halting, and
     * the SVM instructions; INTR and NMI so the VMM's own interrupts always get through */
    v->cr_write = SVM_CR_WRITE_0_3_4;
    v->intercept3 = SVM_INT3_INTR | SVM_INT3_NMI | SVM_INT3_INIT | SVM_INT3_IDTR_WRITE |
                    SVM_INT3_GDTR_WRITE | SVM_INT3_LDTR_WRITE | SVM_INT3_TR_WRITE |
                    SVM_INT3_HLT | SVM_INT3_IOIO | SVM_INT3_MSR | SVM_INT3_TASK_SWITCH |
                    SVM_INT3_SHUTDOWN;
    v->intercept4 = SVM_INT4_VMRUN | SVM_INT4_VMMCALL | SVM_INT4_VMLOAD | SVM_INT4_VMSAVE |
                    SVM_INT4_STGI | SVM_INT4_CLGI | SVM_INT4_SKINIT;
    v->iopm_base_pa = (u32)io_bitmap;
    v->msrpm_base_pa = (u32)msr_bitmap;
    v->asid = SVM_GUEST_ASID;
    v->int_ctl = SVM_V_INTR_MASKING;

    seg(&v->cs, SVM_SEG_CODE32, base, limit);
    seg(&v->ds, SVM_SEG_DATA32, base, limit);
    seg(&v->es, SVM_SEG_DATA32, base, limit);
    seg(&v->ss, SVM_SEG_DATA32, base, limit);
    seg(&v->fs, SVM_SEG_DATA32, base, limit);      /* loaded by VMLOAD */
    seg(&v->gs, SVM_SEG_DATA32, base, limit);
    seg(&v->tr, SVM_SEG_TSS32_BUSY, base, 0);
    seg(&v->ldtr, 0, 0, 0);
    seg(&v->gdtr, 0, base, 0);                      /* limit 0: no selector loads */
    seg(&v->idtr, 0, base, 0);                      /* limit 0: an exception shuts it down */
    v->cpl = 0;
    v->efer = EFER_SVME;                            /* required in the guest's EFER too */
    v->cr0 = SVM_GUEST_CR0;
    v->dr6 = SVM_GUEST_DR6;
    v->dr7 = SVM_GUEST_DR7;
    v->rflags = SVM_GUEST_RFLAGS;
    v->rip = rip;
    v->rsp = limit + 1u;
    v->rax = rax;
}

void svm_run(struct vmcb *v, struct guest_gprs *g)
{
    u32 f = irq_save();
    svm_vmrun((u32)v, g);
    irq_restore(f);                                 /* an exit's interrupt is taken here */
}
