/* AMD SVM, as far as the VMM uses it: the VMCB (AMD APM vol. 2, appendix B; QEMU's struct
 * vmcb has the same layout), the intercepts and exit codes it sets and reads, and the
 * one VMRUN entry. 32-bit legacy mode, host paging off, no nested paging: a guest is
 * confined by its segment limits, and every instruction that could widen them exits. */
#ifndef COOP_SVM_H
#define COOP_SVM_H

#include "types.h"

/* CPUID Fn8000_0001 ECX: SVM supported */
#define CPUID_EXT_FEATURES   0x80000001u
#define CPUID_EXT_ECX_SVM    (1u << 2)

#define MSR_EFER             0xC0000080u
#define EFER_SVME            (1u << 12)
#define MSR_VM_HSAVE_PA      0xC0010117u

#define SVM_PAGE             0x1000u
#define SVM_IOPM_BYTES       (3u * SVM_PAGE)   /* a bit per port, and a page of slack */
#define SVM_MSRPM_BYTES      (2u * SVM_PAGE)

/* intercept word 3 (VMCB 0x0C) */
#define SVM_INT3_INTR        (1u << 0)
#define SVM_INT3_NMI         (1u << 1)
#define SVM_INT3_INIT        (1u << 3)
#define SVM_INT3_IDTR_WRITE  (1u << 10)
#define SVM_INT3_GDTR_WRITE  (1u << 11)
#define SVM_INT3_LDTR_WRITE  (1u << 12)
#define SVM_INT3_TR_WRITE    (1u << 13)
#define SVM_INT3_HLT         (1u << 24)
#define SVM_INT3_IOIO        (1u << 27)
#define SVM_INT3_MSR         (1u << 28)
#define SVM_INT3_TASK_SWITCH (1u << 29)
#define SVM_INT3_SHUTDOWN    (1u << 31)
/* intercept word 4 (VMCB 0x10) */
#define SVM_INT4_VMRUN       (1u << 0)
#define SVM_INT4_VMMCALL     (1u << 1)
#define SVM_INT4_VMLOAD      (1u << 2)
#define SVM_INT4_VMSAVE      (1u << 3)
#define SVM_INT4_STGI        (1u << 4)
#define SVM_INT4_CLGI        (1u << 5)
#define SVM_INT4_SKINIT      (1u << 6)
/* CR writes (VMCB 0x02): CR0, CR3, CR4 */
#define SVM_CR_WRITE_0_3_4   ((1u << 0) | (1u << 3) | (1u << 4))

/* int_ctl (VMCB 0x60): the guest's IF masks only virtual interrupts, so a guest that runs
 * cli cannot keep the VMM's own interrupts out */
#define SVM_V_INTR_MASKING   (1u << 24)

/* exit codes */
#define SVM_EXIT_INTR        0x060u
#define SVM_EXIT_NMI         0x061u
#define SVM_EXIT_HLT         0x078u
#define SVM_EXIT_IOIO        0x07Bu
#define SVM_EXIT_SHUTDOWN    0x07Fu
#define SVM_EXIT_VMRUN       0x080u
#define SVM_EXIT_INVALID     0xFFFFFFFFu       /* -1, low half: a failed consistency check */

/* IOIO EXITINFO1: port in 31:16, IN in bit 0, string and REP in 2 and 3, size in 6:4 */
#define SVM_IOIO_IN          (1u << 0)
#define SVM_IOIO_STR         (1u << 2)
#define SVM_IOIO_REP         (1u << 3)
#define SVM_IOIO_SZ8         (1u << 4)
#define SVM_IOIO_PORT_SHIFT  16

/* Segment attributes, VMCB-packed (descriptor bits 8-15 and 20-23 in 0-11). */
#define SVM_SEG_CODE32       0x49Bu            /* D, P, S, execute/read, accessed; byte limit */
#define SVM_SEG_DATA32       0x493u            /* B, P, S, read/write, accessed; byte limit */
#define SVM_SEG_TSS32_BUSY   0x08Bu            /* P, busy 32-bit TSS */

/* architectural reset values the consistency checks expect */
#define SVM_GUEST_CR0        0x00000011u       /* PE, ET: protected mode, paging off */
#define SVM_GUEST_RFLAGS     0x00000002u       /* bit 1 is always set; IF=0 */
#define SVM_GUEST_DR6        0xFFFF0FF0u
#define SVM_GUEST_DR7        0x00000400u
#define SVM_GUEST_ASID       1u                /* 0 is the host's */

struct vmcb_seg {
    u16 selector;
    u16 attrib;
    u32 limit;
    u64 base;
};

struct vmcb {
    /* control area */
    u16 cr_read;
    u16 cr_write;
    u16 dr_read;
    u16 dr_write;
    u32 exceptions;
    u32 intercept3;
    u32 intercept4;
    u8  reserved_1[0x40 - 0x14];
    u64 iopm_base_pa;
    u64 msrpm_base_pa;
    u64 tsc_offset;
    u32 asid;
    u8  tlb_control;
    u8  reserved_2[3];
    u32 int_ctl;
    u32 int_vector;
    u32 int_state;
    u8  reserved_3[4];
    u64 exit_code;
    u64 exit_info1;
    u64 exit_info2;
    u32 exit_int_info;
    u32 exit_int_info_err;
    u64 nested_ctl;
    u8  reserved_4[0x400 - 0x98];
    /* state save area */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
    u8  reserved_5[0x4CB - 0x4A0];
    u8  cpl;
    u8  reserved_6[4];
    u64 efer;
    u8  reserved_7[0x548 - 0x4D8];
    u64 cr4;
    u64 cr3;
    u64 cr0;
    u64 dr7;
    u64 dr6;
    u64 rflags;
    u64 rip;
    u8  reserved_8[0x5D8 - 0x580];
    u64 rsp;
    u8  reserved_9[0x5F8 - 0x5E0];
    u64 rax;
    u8  reserved_10[SVM_PAGE - 0x600];
} __attribute__((packed, aligned(SVM_PAGE)));

STATIC_ASSERT(offsetof(struct vmcb, iopm_base_pa) == 0x40, "VMCB iopm_base_pa");
STATIC_ASSERT(offsetof(struct vmcb, int_ctl) == 0x60, "VMCB int_ctl");
STATIC_ASSERT(offsetof(struct vmcb, exit_code) == 0x70, "VMCB exit_code");
STATIC_ASSERT(offsetof(struct vmcb, es) == 0x400, "VMCB save area");
STATIC_ASSERT(offsetof(struct vmcb, efer) == 0x4D0, "VMCB efer");
STATIC_ASSERT(offsetof(struct vmcb, cr4) == 0x548, "VMCB cr4");
STATIC_ASSERT(offsetof(struct vmcb, rip) == 0x578, "VMCB rip");
STATIC_ASSERT(offsetof(struct vmcb, rsp) == 0x5D8, "VMCB rsp");
STATIC_ASSERT(offsetof(struct vmcb, rax) == 0x5F8, "VMCB rax");
STATIC_ASSERT(sizeof(struct vmcb) == SVM_PAGE, "VMCB is one page");

/* The guest's general registers VMRUN does not switch (EAX and ESP are in the VMCB). */
struct guest_gprs {
    u32 ebx, ecx, edx, esi, edi, ebp;
};

/* 1 if this CPU has SVM; then sets EFER.SVME and its host-save page (once per CPU). */
int svm_enable_cpu(void);
/* A VMCB for a guest confined to [base, base + limit]: every segment there, no GDT or IDT
 * (a selector load or an exception ends in a shutdown exit), entry at rip with EAX=rax. */
void svm_vmcb_init(struct vmcb *v, u32 base, u32 limit, u32 rip, u32 rax);
/* Enter the guest until its next #VMEXIT (the exit code is in v->exit_code). The host's
 * interrupts are taken at once after the exit; the caller's EFLAGS.IF is kept. */
void svm_run(struct vmcb *v, struct guest_gprs *g);

#endif
