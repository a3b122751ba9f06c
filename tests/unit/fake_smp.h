/* Host stand-in for kernel/smp.c on one CPU, for tests that run code which
 * locks (kernel/spinlock.h): every lock is taken on CPU 0, and in an oops a
 * held lock belongs to a context the oops froze, so it may be taken over;
 * the one CPU is also the one reporting an oops (kernel/oops_audit.c asks
 * kernel/oops.c). */
#ifndef TESTS_UNIT_FAKE_SMP_H
#define TESTS_UNIT_FAKE_SMP_H

#include <stdbool.h>
#include <stdint.h>

struct spinlock;

unsigned smp_processor_id(void)
{
	return 0;
}

bool spin_may_take_over(const struct spinlock *lock, uint64_t *deadline)
{
	(void)lock;
	(void)deadline;
	return true;
}

bool oops_reporting_here(void)
{
	return true;
}

#endif
