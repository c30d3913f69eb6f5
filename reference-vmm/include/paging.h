/* 32-bit paging (no PAE) as the IOPMs use it: every hardware number named once. Usable
 * from assembly (boot/trampoline.S) and C. The VMM on the BSP stays unpaged and flat. */
#ifndef COOP_PAGING_H
#define COOP_PAGING_H

#define CR0_PE          0x00000001   /* protected mode */
#define CR0_WP          0x00010000   /* ring 0 honours read-only pages (the zone header) */
#define CR0_PG          0x80000000   /* paging */
#define CR4_PSE         0x00000010   /* 4 MiB pages in the page directory */

#define PAGE_SIZE       0x1000
#define PAGE_SHIFT      12
#define LARGE_PAGE_SIZE 0x00400000   /* a PSE page: one page-directory entry */
#define PDE_SHIFT       22
#define PT_ENTRIES      1024
#define PT_INDEX_MASK   (PT_ENTRIES - 1)
#define PTE_ADDR_MASK   0xFFFFF000

/* Entry bits (page-directory and page-table entries) */
#define PTE_PRESENT     0x001
#define PTE_WRITE       0x002
#define PTE_PWT         0x008        /* write-through */
#define PTE_PCD         0x010        /* cache disabled: with PWT, uncached (MMIO) */
#define PDE_LARGE       0x080        /* PS: this entry maps a 4 MiB page (CR4.PSE) */

/* Exception vector of a page fault; CR2 holds the faulting address. */
#define VEC_PAGE_FAULT  14

#ifndef __ASSEMBLER__
#include "types.h"
static inline u32 read_cr2(void) { u32 v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
#define PAGE_ROUND_UP(x) (((x) + PAGE_SIZE - 1) & ~(u32)(PAGE_SIZE - 1))
#endif

#endif
