/* Spinlocks that disable interrupts while held, and remember the CPU that
 * holds them. In an oops a held lock may belong to a context the oops froze:
 * spin_lock_or_take_over() is the one rule for that, for any context (see
 * there). spin_lock_irqsave() is for normal and IRQ context only. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/io.h" /* cpu_relax */
#include "kernel/irqflags.h"
#include "kernel/oops_audit.h"
#include "kernel/smp.h" /* smp_processor_id, the owner */

/* Set while an oops or panic is being reported (kernel/printk.c); never
 * cleared, since a panic follows every oops. */
extern volatile int oops_in_progress;

struct spinlock {
	volatile uint32_t locked;
	volatile uint32_t owner_cpu; /* valid while locked */
};

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

/* Counts, for the tests (kernel/oops_audit.h), each lock an oops takes in a
 * way that may wait, and each step it waits: an oops takes its locks over
 * instead, so both must stay 0 on one CPU. Only the reporting CPU's count:
 * another CPU, silent meanwhile, locks as usual. */
static inline void note_lock_wait(void)
{
	if (oops_in_progress)
		oops_audit_lock_wait();
}

static inline bool spin_trylock(struct spinlock *lock)
{
	if (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	lock->owner_cpu = smp_processor_id();
	return true;
}

static inline void spin_unlock(struct spinlock *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static inline uint32_t spin_lock_irqsave(struct spinlock *lock)
{
	uint32_t flags = irq_save();
	note_lock_wait();
	while (!spin_trylock(lock))
		cpu_relax();
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *lock, uint32_t flags)
{
	spin_unlock(lock);
	irq_restore(flags);
}

/* Oops context, the lock held by someone else: whether it may be taken over
 * now (kernel/smp.c). Yes when the holder is a context this CPU's oops froze
 * (it runs on this CPU), or when its CPU has been stopped; no while that CPU
 * still runs, which then releases it soon, unless it has not within
 * SMP_TAKE_OVER_BOUND_MS of the first call with *deadline 0 (that CPU is
 * then marked unresponsive, for the panic to name, and never waited for
 * again). With deadline NULL it never waits. Any context. */
bool spin_may_take_over(const struct spinlock *lock, uint64_t *deadline);

/* Any context: disables interrupts and takes the lock, or, in an oops, takes
 * it over when its holder cannot release it: a context the oops froze on
 * this CPU, or another CPU that has been stopped (or failed to release it
 * within a bound). Waiting would then deadlock. Returns whether the lock was
 * taken (false: taken over); pass that and flags to spin_unlock_if_held(). */
static inline bool spin_lock_or_take_over(struct spinlock *lock, uint32_t *flags)
{
	uint64_t deadline = 0;

	*flags = irq_save();
	while (!spin_trylock(lock)) {
		if (oops_in_progress && spin_may_take_over(lock, &deadline))
			return false;
		/* A step the reporting CPU waits for another running CPU (up to
		 * SMP_TAKE_OVER_BOUND_MS): the audit counts it too. */
		note_lock_wait();
		cpu_relax();
	}
	return true;
}

/* Releases what spin_lock_or_take_over() returned: a lock taken over stays
 * with its frozen holder. */
static inline void spin_unlock_if_held(struct spinlock *lock, bool held, uint32_t flags)
{
	if (held)
		spin_unlock(lock);
	irq_restore(flags);
}

#endif
