/* 256 interrupt stubs, 16 bytes apart: push a zero error code when the CPU does not,
 * push the vector, then the common path saves registers and calls irq_dispatch. */
#include "irq.h"

#define ISR_STUB_SIZE 16

    .text
    .align ISR_STUB_SIZE
    .globl isr_stubs
isr_stubs:
    .set vec, 0
    .rept IDT_ENTRIES
    .align ISR_STUB_SIZE
    .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushl $0
    .endif
    pushl $vec
    jmp isr_common
    .set vec, vec + 1
    .endr

isr_common:
    pushal
    cld
    pushl %esp
    call irq_dispatch
    addl $4, %esp
    popal
    addl $8, %esp                   /* vector, error code */
    iret

    .globl isr_stub_size
    .section .rodata
isr_stub_size:
    .long ISR_STUB_SIZE

    .section .note.GNU-stack, "", @progbits
