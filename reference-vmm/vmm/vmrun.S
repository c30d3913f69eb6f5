/* void svm_vmrun(u32 vmcb_pa, struct guest_gprs *g): enter the guest of the VMCB, return at
 * its next #VMEXIT. Called with interrupts off. VMRUN switches only EAX, ESP, EIP, the
 * segment, descriptor-table and control registers, EFER and EFLAGS: the other general
 * registers are the guest's while it runs, so they are swapped here with *g. VMLOAD gives
 * the guest its FS, GS, TR and LDTR (else it would run with the host's flat FS and GS). */
#include "x86.h"

#define G_EBX 0
#define G_ECX 4
#define G_EDX 8
#define G_ESI 12
#define G_EDI 16
#define G_EBP 20

    .text
    .code32
    .globl svm_vmrun
svm_vmrun:
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl 20(%esp), %eax             /* vmcb_pa */
    movl 24(%esp), %ecx             /* g */
    pushl %ecx
    movl G_EBX(%ecx), %ebx
    movl G_EDX(%ecx), %edx
    movl G_ESI(%ecx), %esi
    movl G_EDI(%ecx), %edi
    movl G_EBP(%ecx), %ebp
    movl G_ECX(%ecx), %ecx
    clgi                            /* GIF=0: no interrupt between here and the exit */
    vmload
    sti                             /* host IF=1 in the save area: an INTR exits the guest */
    vmrun
    /* #VMEXIT: host EAX, ESP and EFLAGS (IF=1) are back, GIF=0 */
    pushl %ecx                      /* the guest's ECX */
    movl 4(%esp), %ecx              /* g */
    movl %ebx, G_EBX(%ecx)
    movl %edx, G_EDX(%ecx)
    movl %esi, G_ESI(%ecx)
    movl %edi, G_EDI(%ecx)
    movl %ebp, G_EBP(%ecx)
    popl %eax
    movl %eax, G_ECX(%ecx)
    addl $4, %esp
    cli
    stgi                            /* GIF=1; IF=0 until the caller restores it */
    movw $GDT_DATA_SEL, %ax         /* the host's FS and GS again (VMLOAD set the guest's) */
    movw %ax, %fs
    movw %ax, %gs
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .section .note.GNU-stack, "", @progbits
