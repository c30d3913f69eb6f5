/* Multiboot v1 header and the BSP's entry: own GDT, stack, then kmain(magic, mbi). */
#include "multiboot.h"
#include "x86.h"

#define BSP_STACK_SIZE 0x10000

    .section .multiboot, "a"
    .align 4
    .long MULTIBOOT_HEADER_MAGIC
    .long MULTIBOOT_HEADER_FLAGS
    .long -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_HEADER_FLAGS)

    .text
    .code32
    .globl _start
_start:
    cli
    cld
    movl $bsp_stack_top, %esp
    movl %eax, %esi                 /* multiboot magic */
    movl %ebx, %edi                 /* multiboot info */
    call gdt_load
    pushl %edi
    pushl %esi
    call kmain
1:  cli
    hlt
    jmp 1b

/* Load the flat GDT and reload every segment register (BSP and APs). */
    .globl gdt_load
gdt_load:
    lgdt gdt_ptr
    ljmp $GDT_CODE_SEL, $1f
1:  movw $GDT_DATA_SEL, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    ret

    .section .rodata
    .align 8
gdt:
    .quad 0                         /* null */
    .quad 0x00CF9A000000FFFF        /* 0x08: code, base 0, 4 GiB, 32-bit */
    .quad 0x00CF92000000FFFF        /* 0x10: data, base 0, 4 GiB */
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

    .bss
    .align 16
bsp_stack:
    .space BSP_STACK_SIZE
bsp_stack_top:

    .section .note.GNU-stack, "", @progbits
