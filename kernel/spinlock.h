/* Spinlocks that disable interrupts while held. On this uniprocessor kernel a
 * held lock can only belong to the context that an interrupt or fault broke
 * into, so the oops path uses spin_trylock() and takes over on failure instead
 * of spinning. spin_lock_irqsave() is for normal and IRQ context only. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/io.h"

struct spinlock {
	volatile uint32_t locked;
};

#define SPINLOCK_INIT \
	{             \
		0     \
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
	while (!spin_trylock(lock))
		cpu_relax();
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *lock, uint32_t flags)
{
	spin_unlock(lock);
	irq_restore(flags);
}

#endif
