/* Hardware interrupt lines (8259 PIC, remapped to vectors 32..47) and their
 * handlers. With more than one CPU up, every line but the PIT's goes through
 * the I/O APIC instead, to the CPU smp_device_irq_cpu() names, on the same
 * vector. irq_register() and irq_unmask() are for normal context at boot;
 * handlers run in IRQ context with interrupts disabled. in_interrupt(),
 * irq_enter() and irq_exit() may be used from anywhere, the oops included. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/traps.h"

#define IRQ_LINES 16
#define IRQ_VECTOR_BASE 32

typedef void (*irq_handler_fn)(unsigned irq, void *ctx);

void irq_init(void);
/* Adds a handler to the line (lines may be shared) and unmasks it. */
int irq_register(unsigned irq, irq_handler_fn fn, void *ctx);
void irq_unmask(unsigned irq);
/* Called by trap_dispatch() for vectors 32..47 with the interrupted
 * context's registers: runs the handlers, sends EOI. */
void irq_dispatch(unsigned irq, const struct trap_frame *regs);
/* The registers of the context the running interrupt handler interrupted on
 * this CPU (Linux's get_irq_regs()); NULL outside a handler. */
const struct trap_frame *get_irq_regs(void);
/* Sets it around a handler (irq_dispatch(), and the local APIC's timer in
 * kernel/apic.c); returns the previous value, to be restored. */
const struct trap_frame *set_irq_regs(const struct trap_frame *regs);
/* Work a handler defers until every handler of the interrupt has returned
 * and let go of what it held (Linux's irq_work): a receive path that holds
 * its device queues what must print. fn runs in IRQ context, interrupts
 * off, on the CPU that queued it, at the end of the current interrupt (or of
 * that CPU's next one through irq_dispatch(), when queued outside
 * interrupts). Queued again before it ran, on any CPU, it runs once. */
struct irq_work {
	void (*fn)(struct irq_work *work);
	struct irq_work *next;
	bool queued;
};
/* Any context. */
void irq_work_queue(struct irq_work *work);

/* True while a hardware interrupt handler is running on this CPU. */
bool in_interrupt(void);
/* Around every interrupt handler (the local APIC's too): in_interrupt(). */
void irq_enter(void);
void irq_exit(void);

#endif
