/* AP start code, one copy per IOPM. The VMM copies [trampoline_start, trampoline_end) to
 * the IOPM's real-mode page RM_PAGE(k) (below 1 MiB) and fills the words at the end of the
 * page (include/handoff.h: hand-off block address, fault injection) before the SIPIs. The
 * AP starts here in real mode at CS = page >> 4, IP = 0. Nothing here depends on where it
 * runs: the page's address is computed from CS and patched into the GDT pointer and the
 * far jump. Steps:
 *   1. read the hand-off block address from the page (real mode, before checking in);
 *   2. fault injection: dead or slow = cli; hlt until an INIT resets it (the VMM injects
 *      slow only into an AP's first sequence, so it never checks in on it, however long
 *      the host keeps the VMM from its start timeout, and the retry's INIT starts it over);
 *   3. check in (the VMM's "started" signal), enter protected mode (progress word);
 *   4. load CR3 from the hand-off block, set CR4.PSE and CR0.PG with CR0.WP (this page is identity
 *      mapped in the IOPM's page tables), progress word again;
 *   5. take the stack from the hand-off block and call entry(handoff). */
#include "x86.h"
#include "paging.h"
#include "handoff.h"

#define REL(sym) ((sym) - trampoline_start)

    .section .rodata.trampoline, "a"
    .globl trampoline_start, trampoline_end
    .code16
trampoline_start:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    movl RM_HANDOFF_OFF, %esi           /* the hand-off block, for step 4 and 5 */
    xorl %ebx, %ebx
    movw %ax, %bx
    shll $4, %ebx                       /* ebx: this page's physical address */
    cmpl $RM_FAULT_NONE, RM_FAULT_OFF
    je rm_checkin
rm_dead:
    cli
    hlt
    jmp rm_dead

rm_checkin:
    movl $RM_CHECKIN_MAGIC, RM_CHECKIN_OFF
    leal REL(tramp_gdt)(%ebx), %eax
    movl %eax, REL(tramp_gdt_ptr) + 2
    leal REL(tramp_pm)(%ebx), %eax
    movl %eax, REL(tramp_far)
    lgdtl REL(tramp_gdt_ptr)
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl *REL(tramp_far)

    .code32
tramp_pm:
    movw $GDT_DATA_SEL, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movl $RM_PROGRESS_PROT, RM_PROGRESS_OFF(%ebx)
    movl HANDOFF_CR3_OFF(%esi), %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $CR4_PSE, %eax
    movl %eax, %cr4
    movl %cr0, %eax
    orl $(CR0_PG | CR0_WP), %eax
    movl %eax, %cr0
    jmp 2f                              /* paging on; this page is identity mapped */
2:  movl $RM_PROGRESS_PAGING, RM_PROGRESS_OFF(%ebx)
    movl HANDOFF_STACK_OFF(%esi), %esp
    pushl %esi
    call *HANDOFF_ENTRY_OFF(%esi)
3:  cli
    hlt
    jmp 3b

    .align 8
tramp_gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF            /* GDT_CODE_SEL: flat 32-bit code */
    .quad 0x00CF92000000FFFF            /* GDT_DATA_SEL: flat data */
tramp_gdt_end:
tramp_gdt_ptr:
    .word tramp_gdt_end - tramp_gdt - 1
    .long 0                             /* patched: this page + REL(tramp_gdt) */
tramp_far:
    .long 0                             /* patched: this page + REL(tramp_pm) */
    .word GDT_CODE_SEL
trampoline_end:

    .section .note.GNU-stack, "", @progbits
