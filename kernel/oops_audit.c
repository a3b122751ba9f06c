#include "kernel/oops_audit.h"

#include "kernel/irqflags.h"
#include "kernel/spinlock.h"

volatile struct oops_audit oops_audit;

void oops_audit_exception(unsigned vector)
{
	if (vector < OOPS_AUDIT_VECTORS)
		oops_audit.exception_entries[vector]++;
}

void oops_audit_send(void)
{
	if (!oops_in_progress)
		return;
	oops_audit.oops_sends++;
	if (irq_flags() & EFLAGS_IF)
		oops_audit.oops_sends_irqs_on++;
}
