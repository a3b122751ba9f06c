#include "kernel/irq.h"

#include <stddef.h>

#include "kernel/apic.h"
#include "kernel/io.h"
#include "kernel/ioapic.h"
#include "kernel/irqflags.h"
#include "kernel/profile.h"
#include "kernel/smp.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20
#define PIC_READ_ISR 0x0b
#define CASCADE_LINE 2
#define HANDLERS_PER_LINE 4
/* The PIT stays on the 8259 (through LINT0 as ExtINT) with more CPUs too. */
#define PIT_LINE 0

struct irq_action {
	irq_handler_fn fn;
	void *ctx;
};

static struct irq_action actions[IRQ_LINES][HANDLERS_PER_LINE];
static uint16_t irq_mask_bits = 0xffff;
static volatile unsigned irq_depth[SMP_MAX_CPUS];
static const struct trap_frame *irq_regs[SMP_MAX_CPUS];
/* Lines delivered by the I/O APIC, whose EOI goes to the local APIC. */
static uint16_t ioapic_lines;

static void write_masks(void)
{
	outb(PIC1_DATA, irq_mask_bits & 0xff);
	outb(PIC2_DATA, irq_mask_bits >> 8);
}

void irq_init(void)
{
	/* ICW1..ICW4: edge/level per ELCR as the firmware set it, vectors
	 * 32..47, cascade on line 2, 8086 mode. */
	outb(PIC1_CMD, 0x11);
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, IRQ_VECTOR_BASE);
	outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);
	outb(PIC1_DATA, 1u << CASCADE_LINE);
	outb(PIC2_DATA, CASCADE_LINE);
	outb(PIC1_DATA, 0x01);
	outb(PIC2_DATA, 0x01);
	irq_mask_bits = 0xffff & ~(1u << CASCADE_LINE);
	write_masks();
}

void irq_unmask(unsigned irq)
{
	if (irq != PIT_LINE && smp_active() &&
	    ioapic_route(irq, (uint8_t)(IRQ_VECTOR_BASE + irq),
			 smp_cpu_apic_id(smp_device_irq_cpu()))) {
		ioapic_lines |= (uint16_t)(1u << irq);
		return;
	}
	uint32_t flags = irq_save();
	irq_mask_bits &= (uint16_t) ~(1u << irq);
	write_masks();
	irq_restore(flags);
}

int irq_register(unsigned irq, irq_handler_fn fn, void *ctx)
{
	if (irq >= IRQ_LINES || irq == CASCADE_LINE)
		return -1;
	for (int i = 0; i < HANDLERS_PER_LINE; i++) {
		if (!actions[irq][i].fn) {
			uint32_t flags = irq_save();
			actions[irq][i] = (struct irq_action){fn, ctx};
			irq_restore(flags);
			irq_unmask(irq);
			return 0;
		}
	}
	return -1;
}

/* Each CPU's own list: a work runs where it was queued, with that CPU's
 * interrupted context as get_irq_regs(). */
static struct irq_work *irq_work_list[SMP_MAX_CPUS];

void irq_work_queue(struct irq_work *work)
{
	uint32_t flags = irq_save();
	/* Claimed atomically: two CPUs may queue the same work at once. */
	if (!__atomic_exchange_n(&work->queued, true, __ATOMIC_ACQ_REL)) {
		unsigned cpu = smp_processor_id();
		work->next = irq_work_list[cpu];
		irq_work_list[cpu] = work;
	}
	irq_restore(flags);
}

/* With the interrupted context still the one get_irq_regs() reports. */
static void run_irq_work(void)
{
	unsigned cpu = smp_processor_id();
	while (irq_work_list[cpu]) {
		struct irq_work *work = irq_work_list[cpu];
		irq_work_list[cpu] = work->next;
		__atomic_store_n(&work->queued, false, __ATOMIC_RELEASE);
		work->fn(work);
	}
}

const struct trap_frame *get_irq_regs(void)
{
	return irq_regs[smp_processor_id()];
}

const struct trap_frame *set_irq_regs(const struct trap_frame *regs)
{
	unsigned cpu = smp_processor_id();
	const struct trap_frame *old = irq_regs[cpu];
	irq_regs[cpu] = regs;
	return old;
}

bool in_interrupt(void)
{
	return irq_depth[smp_processor_id()] > 0;
}

void irq_enter(void)
{
	irq_depth[smp_processor_id()]++;
}

void irq_exit(void)
{
	irq_depth[smp_processor_id()]--;
}

/* Lines 7 and 15 also signal spurious interrupts: the in-service register
 * tells a real one from a glitch, and a glitch must not be acknowledged. */
static bool spurious(unsigned irq)
{
	if (irq != 7 && irq != 15)
		return false;
	uint16_t port = irq == 7 ? PIC1_CMD : PIC2_CMD;
	outb(port, PIC_READ_ISR);
	if (inb(port) & 0x80)
		return false;
	if (irq == 15)
		outb(PIC1_CMD, PIC_EOI);
	return true;
}

void irq_dispatch(unsigned irq, const struct trap_frame *regs)
{
	bool via_ioapic = ioapic_lines & (1u << irq);
	if (!via_ioapic && spurious(irq))
		return;
	enum profile_stage interrupted = profile_enter(PROFILE_IRQ);
	irq_enter();
	const struct trap_frame *outer = set_irq_regs(regs);
	for (int i = 0; i < HANDLERS_PER_LINE && actions[irq][i].fn; i++)
		actions[irq][i].fn(irq, actions[irq][i].ctx);
	run_irq_work();
	set_irq_regs(outer);
	irq_exit();
	if (via_ioapic)
		apic_eoi();
	else {
		if (irq >= 8)
			outb(PIC2_CMD, PIC_EOI);
		outb(PIC1_CMD, PIC_EOI);
	}
	profile_enter(interrupted);
}
