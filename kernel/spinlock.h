/* Spinlocks that disable interrupts while held. On this uniprocessor kernel a
 * held lock can only belong to the context that an interrupt or fault broke
 * into, so in an oops a held lock is taken over instead of waited for:
 * spin_lock_or_take_over() is that rule, for any context. spin_lock_irqsave()
 * is for normal and IRQ context only. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/io.h" /* cpu_relax */
#include "kernel/irqflags.h"
#include "kernel/oops_audit.h"

/* Set while an oops or panic is being reported (kernel/printk.c); never
 * cleared, since a panic follows every oops. */
extern volatile int oops_in_progress;

struct spinlock {
	volatile uint32_t locked;
};

#define SPINLOCK_INIT \
	{             \
		0     \
	}

/* Counts, for the tests (kernel/oops_audit.h), each lock an oops takes in a
 * way that may wait, and each step it waits: an oops takes its locks over
 * instead, so both must stay 0. */
static inline void note_lock_wait(void)
{
	if (oops_in_progress)
		oops_audit.oops_lock_waits++;
}

static inline bool spin_trylock(struct spinlock *lock)
{
	return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
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

/* Any context: disables interrupts and takes the lock, or, in an oops, takes
 * it over when it is held. The holder is then a context this oops froze,
 * which cannot run again before we return (on a uniprocessor; with more
 * CPUs this is where the others must be stopped first), so waiting would
 * deadlock. Returns whether the lock was taken (false: taken over); pass
 * that and flags to spin_unlock_if_held(). */
static inline bool spin_lock_or_take_over(struct spinlock *lock, uint32_t *flags)
{
	*flags = irq_save();
	if (spin_trylock(lock))
		return true;
	if (oops_in_progress)
		return false;
	while (!spin_trylock(lock)) {
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
