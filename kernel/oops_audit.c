#include "kernel/oops_audit.h"

#include "kernel/irqflags.h"
#include "kernel/oops.h"
#include "kernel/spinlock.h"

volatile struct oops_audit oops_audit;

void oops_audit_exception(unsigned vector)
{
	if (vector < OOPS_AUDIT_VECTORS)
		__atomic_add_fetch(&oops_audit.exception_entries[vector], 1, __ATOMIC_RELAXED);
}

void oops_audit_send(void)
{
	if (!oops_in_progress || !oops_reporting_here())
		return;
	__atomic_add_fetch(&oops_audit.oops_sends, 1, __ATOMIC_RELAXED);
	if (irq_flags() & EFLAGS_IF)
		__atomic_add_fetch(&oops_audit.oops_sends_irqs_on, 1, __ATOMIC_RELAXED);
}

void oops_audit_lock_wait(void)
{
	if (oops_in_progress && oops_reporting_here())
		__atomic_add_fetch(&oops_audit.oops_lock_waits, 1, __ATOMIC_RELAXED);
}
