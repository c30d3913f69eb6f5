/* AP start code. The VMM copies [trampoline_start, trampoline_end) to TRAMPOLINE_BASE
 * (below 1 MiB) and stores the address of the IOPM's handoff block at
 * TRAMPOLINE_BASE + TRAMPOLINE_HANDOFF_SLOT_OFF before each INIT-SIPI-SIPI.
 * The AP starts here in real mode at CS = TRAMPOLINE_BASE >> 4, IP = 0: it loads a
 * temporary flat GDT kept in this page, enters protected mode, takes its stack from the
 * handoff block and calls handoff->entry(handoff). Nothing here depends on where the
 * kernel was linked: every address is TRAMPOLINE_BASE + an offset in this page. */
#include "x86.h"
#include "zones.h"
#include "handoff.h"

#define CR0_PE 1
#define REL(sym) ((sym) - trampoline_start)
#define ABS(sym) (TRAMPOLINE_BASE + REL(sym))

    .section .rodata.trampoline, "a"
    .globl trampoline_start, trampoline_end
    .code16
trampoline_start:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    lgdtl REL(tramp_gdt_ptr)
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl $GDT_CODE_SEL, $ABS(tramp_pm)

    .code32
tramp_pm:
    movw $GDT_DATA_SEL, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movl TRAMPOLINE_BASE + TRAMPOLINE_HANDOFF_SLOT_OFF, %ebx
    movl HANDOFF_STACK_OFF(%ebx), %esp
    pushl %ebx
    call *HANDOFF_ENTRY_OFF(%ebx)
1:  cli
    hlt
    jmp 1b

    .align 8
tramp_gdt:
    .quad 0
    .quad 0x00CF9A000000FFFF
    .quad 0x00CF92000000FFFF
tramp_gdt_end:
tramp_gdt_ptr:
    .word tramp_gdt_end - tramp_gdt - 1
    .long ABS(tramp_gdt)
trampoline_end:

    .section .note.GNU-stack, "", @progbits
