/* x86 instructions and legacy I/O ports used by the kernel. Every hardware number is
 * named here once. */
#ifndef COOP_X86_H
#define COOP_X86_H


/* Segment selectors of the flat GDT (boot/entry.S and boot/trampoline.S). */
#define GDT_CODE_SEL 0x08
#define GDT_DATA_SEL 0x10

/* EFLAGS */
#define EFLAGS_IF (1u << 9)

/* Legacy ports */
#define PORT_COM1        0x3F8   /* 16550 UART: human-readable log */
#define PORT_DEBUGCON    0xE9    /* QEMU debugcon: the trace */
#define PORT_DEBUG_EXIT  0xF4    /* QEMU isa-debug-exit: exit status (v << 1) | 1 */
#define PORT_PIC1_DATA   0x21
#define PORT_PIC2_DATA   0xA1
#define PIC_MASK_ALL     0xFF
#define PORT_FW_CFG_SEL  0x510
#define PORT_FW_CFG_DATA 0x511
#define FW_CFG_NB_CPUS   0x05

/* 8254 PIT, channel 2 (gated by port 0x61), used for boot-time delays and calibration. */
#define PIT_HZ            1193182u
#define PORT_PIT_CH2      0x42
#define PORT_PIT_CMD      0x43
#define PIT_CMD_CH2_MODE0 0xB0   /* channel 2, lobyte/hibyte, mode 0, binary */
#define PORT_SYS_CTRL_B   0x61
#define SYS_CTRL_B_GATE2  0x01
#define SYS_CTRL_B_SPKR   0x02
#define SYS_CTRL_B_OUT2   0x20
#define PIT_MAX_COUNT     0xFFFFu

/* 16550 UART registers (offsets from the base port) */
#define UART_DATA 0
#define UART_IER  1
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1  0x03
#define UART_LSR_THRE 0x20
#define UART_DIV_115200 1

#ifndef __ASSEMBLER__
#include "types.h"

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outsb(u16 port, const void *buf, u32 n)
{
    __asm__ volatile("rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}
static inline u64 rdtsc(void) { u32 lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((u64)hi << 32) | lo; }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
/* Spin-wait step: under MTTCG each pause leaves the translated code and takes QEMU's big
 * lock, which the CPU writing the trace port needs for every byte; under -icount (one
 * thread) a loop without pause never lets the other vCPUs run. So: pause once every
 * SPINS_PER_PAUSE turns. */
#define SPINS_PER_PAUSE 1024u
static inline void spin_step(u32 *n) { if (++*n % SPINS_PER_PAUSE == 0) cpu_relax(); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
/* sti; hlt: the interrupt shadow of sti makes the pair atomic: an interrupt that is
 * already pending wakes the hlt instead of being taken before it. */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline u32 read_eflags(void) { u32 f; __asm__ volatile("pushfl; popl %0" : "=r"(f) :: "memory"); return f; }
static inline u32 irq_save(void) { u32 f = read_eflags(); cli(); return f; }
static inline void irq_restore(u32 f) { if (f & EFLAGS_IF) sti(); }
static inline u32 read_esp(void) { u32 v; __asm__ volatile("movl %%esp, %0" : "=r"(v)); return v; }

/* 64-by-32 division with a quotient that fits 32 bits is not enough for u64 formatting,
 * and the 32-bit libgcc is not installed: divide a u64 by a small u32 with two divl. */
static inline u64 udiv64(u64 n, u32 d, u32 *rem)
{
    u32 hi = (u32)(n >> 32), lo = (u32)n, qhi, qlo, r;
    qhi = hi / d;
    r = hi % d;
    __asm__("divl %4" : "=a"(qlo), "=d"(r) : "a"(lo), "d"(r), "rm"(d));
    if (rem)
        *rem = r;
    return ((u64)qhi << 32) | qlo;
}

/* Descriptor-table pointer for lgdt/lidt. */
struct dt_ptr {
    u16 limit;
    u32 base;
} __attribute__((packed));
#endif /* __ASSEMBLER__ */

#endif
