/* Host stand-in for kernel/irqflags.h, for tests that run code which
 * locks: the interrupt flag the kernel would save and clear is a variable
 * the test can read. Included before any kernel file, it keeps the real
 * header (privileged instructions) out through its guard. */
#ifndef TESTS_UNIT_FAKE_IRQFLAGS_H
#define TESTS_UNIT_FAKE_IRQFLAGS_H
#define KERNEL_IRQFLAGS_H

#include <stdint.h>

#define FAKE_IF (1u << 9)

static uint32_t fake_eflags = FAKE_IF;

static inline uint32_t irq_save(void)
{
	uint32_t flags = fake_eflags;
	fake_eflags &= ~FAKE_IF;
	return flags;
}

static inline void irq_restore(uint32_t flags)
{
	fake_eflags = flags;
}

#define EFLAGS_IF FAKE_IF

static inline uint32_t irq_flags(void)
{
	return fake_eflags;
}

#endif
