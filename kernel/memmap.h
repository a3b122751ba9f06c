/* The RAM ranges the boot loader reported in the Multiboot memory map.
 * memmap_init() runs once at boot; the accessors are read-only and safe
 * from any context, the panic path included. */
#ifndef KERNEL_MEMMAP_H
#define KERNEL_MEMMAP_H

#include <stdint.h>

#include "kernel/multiboot.h"

#define MEMMAP_MAX_RANGES 16

struct memmap_range {
	uint64_t start;
	uint64_t length;
};

void memmap_init(const struct multiboot_info *mbi);
/* Available-RAM ranges in the order the loader gave them. */
const struct memmap_range *memmap_ranges(unsigned *count);

#endif
