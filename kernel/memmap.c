#include "kernel/memmap.h"

#include "kernel/printk.h"

#define MMAP_TYPE_AVAILABLE 1

static struct memmap_range ranges[MEMMAP_MAX_RANGES];
static unsigned range_count;

void memmap_init(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP)) {
		pr_warn("memmap: the boot loader gave no memory map\n");
		return;
	}
	uint32_t at = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;
	while (at < end) {
		const struct multiboot_mmap_entry *e =
			(const struct multiboot_mmap_entry *)(uintptr_t)at;
		if (e->type == MMAP_TYPE_AVAILABLE && e->len) {
			if (range_count == MEMMAP_MAX_RANGES) {
				pr_warn("memmap: more than %u RAM ranges, the rest ignored\n",
					MEMMAP_MAX_RANGES);
				break;
			}
			ranges[range_count++] = (struct memmap_range){e->addr, e->len};
			printk(KERN_INFO "memmap: RAM %08x-%08x\n", (uint32_t)e->addr,
			       (uint32_t)(e->addr + e->len - 1));
		}
		at += e->size + sizeof(e->size);
	}
}

const struct memmap_range *memmap_ranges(unsigned *count)
{
	*count = range_count;
	return ranges;
}
