/* Hardware interrupt lines (8259 PIC, remapped to vectors 32..47) and their
 * handlers. irq_register() and irq_unmask() are for normal context at boot;
 * handlers run in IRQ context with interrupts disabled. in_interrupt() may be
 * asked from anywhere, the oops path included. */
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
/* The registers of the context the running interrupt handler interrupted
 * (Linux's get_irq_regs()); NULL outside a handler. */
const struct trap_frame *get_irq_regs(void);
/* Work a handler defers until every handler of the interrupt has returned
 * and let go of what it held (Linux's irq_work): a receive path that holds
 * its device queues what must print. fn runs in IRQ context, interrupts
 * off, at the end of the current interrupt (or of the next one, when queued
 * outside interrupts). Queued again before it ran, it runs once. */
struct irq_work {
	void (*fn)(struct irq_work *work);
	struct irq_work *next;
	bool queued;
};
/* Any context. */
void irq_work_queue(struct irq_work *work);

/* True while a hardware interrupt handler is running. */
bool in_interrupt(void);

#endif
