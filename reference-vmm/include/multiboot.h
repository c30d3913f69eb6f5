/* Multiboot v1 (the part QEMU's -kernel loader uses). */
#ifndef COOP_MULTIBOOT_H
#define COOP_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC     0x1BADB002
#define MULTIBOOT_HEADER_FLAGS     0x00000003   /* page-align modules, memory info */
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MULTIBOOT_INFO_CMDLINE     (1u << 2)

#ifndef __ASSEMBLER__
#include "types.h"
struct multiboot_info {
    u32 flags;
    u32 mem_lower, mem_upper;
    u32 boot_device;
    u32 cmdline;
};
#endif

#endif
