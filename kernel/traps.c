#include "kernel/traps.h"

#include "kernel/irq.h"
#include "kernel/oops.h"
#include "kernel/string.h"

struct gdt_entry {
	uint16_t limit_low, base_low;
	uint8_t base_mid, access, flags_limit_high, base_high;
} __attribute__((packed));

struct idt_entry {
	uint16_t offset_low, selector;
	uint8_t zero, type_attr;
	uint16_t offset_high;
} __attribute__((packed));

struct table_pointer {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

#define IDT_VECTORS 48
#define IDT_INTERRUPT_GATE 0x8e /* present, ring 0, 32-bit: clears IF on entry */

static struct gdt_entry gdt[3] __attribute__((aligned(8)));
static struct idt_entry idt[256] __attribute__((aligned(8)));
extern const uint32_t trap_stub_table[IDT_VECTORS];

static void gdt_set_flat(int index, uint8_t access)
{
	gdt[index] = (struct gdt_entry){
		.limit_low = 0xffff,
		.access = access,
		.flags_limit_high = 0xcf, /* 4 KiB granularity, 32-bit, limit 4 GiB */
	};
}

static void gdt_init(void)
{
	gdt_set_flat(1, 0x9a); /* ring 0 code */
	gdt_set_flat(2, 0x92); /* ring 0 data */
	struct table_pointer ptr = {sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "movl %%eax, %%ss\n\t"
			 :
			 : "m"(ptr), "i"(KERNEL_CS), "i"(KERNEL_DS)
			 : "eax", "memory");
}

static void idt_init(void)
{
	for (int v = 0; v < IDT_VECTORS; v++) {
		uint32_t addr = trap_stub_table[v];
		idt[v] = (struct idt_entry){
			.offset_low = addr & 0xffff,
			.selector = KERNEL_CS,
			.type_attr = IDT_INTERRUPT_GATE,
			.offset_high = addr >> 16,
		};
	}
	struct table_pointer ptr = {sizeof(idt) - 1, (uint32_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}

void trap_init(void)
{
	gdt_init();
	idt_init();
}

static uint32_t read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* Exception names and mnemonics as Linux prints them in an oops title. */
static const char *const exception_names[32] = {
	[0] = "divide error",
	[1] = "debug",
	[2] = "nmi",
	[3] = "int3",
	[4] = "overflow",
	[5] = "bounds",
	[6] = "invalid opcode",
	[7] = "device not available",
	[8] = "double fault",
	[9] = "coprocessor segment overrun",
	[10] = "invalid TSS",
	[11] = "segment not present",
	[12] = "stack segment",
	[13] = "general protection fault",
	[14] = "page fault",
	[16] = "coprocessor error",
	[17] = "alignment check",
	[18] = "machine check",
	[19] = "simd error",
};

void trap_dispatch(struct trap_frame *frame)
{
	if (frame->vector >= IRQ_VECTOR_BASE) {
		irq_dispatch(frame->vector - IRQ_VECTOR_BASE);
		return;
	}
	switch (frame->vector) {
	case 14:
		oops_page_fault(frame, read_cr2());
		break;
	case 6:
		oops_invalid_opcode(frame);
		break;
	default: {
		const char *name = exception_names[frame->vector];
		oops_die(name ? name : "reserved exception", frame, frame->error_code);
	}
	}
}
