#include "kernel/traps.h"

#include "kernel/apic.h"
#include "kernel/irq.h"
#include "kernel/oops.h"
#include "kernel/oops_audit.h"
#include "kernel/paging.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/watchdog.h"

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
#define IDT_TASK_GATE 0x85
#define TSS_AVAILABLE 0x89
#define MAIN_TSS_SELECTOR 0x18
#define DOUBLE_FAULT_TSS_SELECTOR 0x20

/* A 32-bit task-state segment (Intel SDM vol. 3, 7.2.1). */
struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3;
	uint32_t eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

/* Each CPU has its own GDT and TSSs. The double fault runs as a task of
 * its own on its own stack: when a kernel stack overflows into its guard
 * page, no handler could push a frame on it. The CPU saves the overflowing
 * context in its main_tss. */
struct cpu_tables {
	struct gdt_entry gdt[5] __attribute__((aligned(8)));
	struct tss main_tss, double_fault_tss;
	uint8_t double_fault_stack[8192] __attribute__((aligned(16)));
};

static struct cpu_tables cpu_tables[SMP_MAX_CPUS];
static struct idt_entry idt[256] __attribute__((aligned(8)));
extern const uint32_t trap_stub_table[IDT_VECTORS];
extern const uint32_t trap_stub_apic_table[APIC_VECTORS];

static void gdt_set_flat(struct gdt_entry *gdt, int index, uint8_t access)
{
	gdt[index] = (struct gdt_entry){
		.limit_low = 0xffff,
		.access = access,
		.flags_limit_high = 0xcf, /* 4 KiB granularity, 32-bit, limit 4 GiB */
	};
}

static void gdt_set_tss(struct gdt_entry *gdt, int index, struct tss *tss)
{
	uint32_t base = (uint32_t)(uintptr_t)tss;
	gdt[index] = (struct gdt_entry){
		.limit_low = sizeof(*tss) - 1,
		.base_low = base & 0xffff,
		.base_mid = (base >> 16) & 0xff,
		.access = TSS_AVAILABLE,
		.base_high = base >> 24,
	};
}

static void gdt_init(struct cpu_tables *t)
{
	gdt_set_flat(t->gdt, 1, 0x9a); /* ring 0 code */
	gdt_set_flat(t->gdt, 2, 0x92); /* ring 0 data */
	gdt_set_tss(t->gdt, 3, &t->main_tss);
	gdt_set_tss(t->gdt, 4, &t->double_fault_tss);
	struct table_pointer ptr = {sizeof(t->gdt) - 1, (uint32_t)(uintptr_t)t->gdt};
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

static void idt_set_gate(unsigned vector, uint32_t addr)
{
	idt[vector] = (struct idt_entry){
		.offset_low = addr & 0xffff,
		.selector = KERNEL_CS,
		.type_attr = IDT_INTERRUPT_GATE,
		.offset_high = addr >> 16,
	};
}

static void idt_init(void)
{
	for (unsigned v = 0; v < IDT_VECTORS; v++)
		idt_set_gate(v, trap_stub_table[v]);
	for (unsigned v = 0; v < APIC_VECTORS; v++)
		idt_set_gate(APIC_VECTOR_BASE + v, trap_stub_apic_table[v]);
	idt[TRAP_DOUBLE_FAULT] = (struct idt_entry){
		.selector = DOUBLE_FAULT_TSS_SELECTOR,
		.type_attr = IDT_TASK_GATE,
	};
}

static void idt_load(void)
{
	struct table_pointer ptr = {sizeof(idt) - 1, (uint32_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}

static uint32_t read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

__attribute__((noreturn)) static void double_fault_task(void)
{
	const struct tss *t = &cpu_tables[smp_processor_id()].main_tss;
	struct trap_frame frame = {
		.gs = t->gs,
		.fs = t->fs,
		.es = t->es,
		.ds = t->ds,
		.edi = t->edi,
		.esi = t->esi,
		.ebp = t->ebp,
		.esp_at_pusha = t->esp,
		.ebx = t->ebx,
		.edx = t->edx,
		.ecx = t->ecx,
		.eax = t->eax,
		.vector = TRAP_DOUBLE_FAULT,
		.eip = t->eip,
		.cs = t->cs,
		.eflags = t->eflags,
	};
	oops_audit_exception(TRAP_DOUBLE_FAULT);
	oops_double_fault(&frame, read_cr2());
}

static void tss_init(struct cpu_tables *tables)
{
	tables->main_tss.iomap_base = sizeof(tables->main_tss);
	tables->double_fault_tss = (struct tss){
		.cr3 = paging_directory(),
		.eip = (uint32_t)(uintptr_t)double_fault_task,
		.eflags = 0x2, /* interrupts off */
		.esp = (uint32_t)(uintptr_t)(tables->double_fault_stack +
					     sizeof(tables->double_fault_stack)),
		.es = KERNEL_DS,
		.cs = KERNEL_CS,
		.ss = KERNEL_DS,
		.ds = KERNEL_DS,
		.fs = KERNEL_DS,
		.gs = KERNEL_DS,
		.iomap_base = sizeof(tables->double_fault_tss),
	};
	__asm__ volatile("ltr %w0" : : "r"(MAIN_TSS_SELECTOR));
}

void trap_init(void)
{
	idt_init();
	trap_init_cpu(0);
}

void trap_init_cpu(unsigned cpu)
{
	gdt_init(&cpu_tables[cpu]);
	idt_load();
	tss_init(&cpu_tables[cpu]);
}

/* Exception names and mnemonics as Linux prints them in an oops title. */
static const char *const exception_names[32] = {
	[TRAP_DIVIDE_ERROR] = "divide error",
	[TRAP_DEBUG] = "debug",
	[TRAP_NMI] = "nmi",
	[TRAP_BREAKPOINT] = "int3",
	[TRAP_OVERFLOW] = "overflow",
	[TRAP_BOUND_RANGE] = "bounds",
	[TRAP_INVALID_OPCODE] = "invalid opcode",
	[TRAP_DEVICE_NOT_AVAILABLE] = "device not available",
	[TRAP_DOUBLE_FAULT] = "double fault",
	[TRAP_COPROCESSOR_OVERRUN] = "coprocessor segment overrun",
	[TRAP_INVALID_TSS] = "invalid TSS",
	[TRAP_SEGMENT_NOT_PRESENT] = "segment not present",
	[TRAP_STACK_SEGMENT] = "stack segment",
	[TRAP_GENERAL_PROTECTION] = "general protection fault",
	[TRAP_PAGE_FAULT] = "page fault",
	[TRAP_X87_ERROR] = "coprocessor error",
	[TRAP_ALIGNMENT_CHECK] = "alignment check",
	[TRAP_MACHINE_CHECK] = "machine check",
	[TRAP_SIMD_ERROR] = "simd error",
};

void trap_dispatch(struct trap_frame *frame)
{
	if (frame->vector >= APIC_VECTOR_BASE) {
		apic_dispatch(frame);
		return;
	}
	if (frame->vector >= IRQ_VECTOR_BASE) {
		irq_dispatch(frame->vector - IRQ_VECTOR_BASE, frame);
		return;
	}
	oops_audit_exception(frame->vector);
	switch (frame->vector) {
	case TRAP_NMI:
		/* The one NMI handler: the panic's stop first, then the watchdog,
		 * whose NMIs are all the others while its source runs. */
		if (smp_nmi(frame) || watchdog_nmi(frame))
			return;
		oops_die(exception_names[TRAP_NMI], frame, frame->error_code);
		break;
	case TRAP_PAGE_FAULT:
		oops_page_fault(frame, read_cr2());
		break;
	case TRAP_INVALID_OPCODE:
		oops_invalid_opcode(frame);
		break;
	case TRAP_GENERAL_PROTECTION:
		/* As Linux: a nonzero error code names the selector that faulted. */
		oops_die(frame->error_code ? "segment-related general protection fault"
					   : "general protection fault",
			 frame, frame->error_code);
		break;
	default: {
		const char *name = exception_names[frame->vector];
		oops_die(name ? name : "reserved exception", frame, frame->error_code);
	}
	}
}
