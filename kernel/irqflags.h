/* The CPU's interrupt flag: save and clear it, read it, restore it, set or clear it.
 * Any context. In its own header so that host tests of code that locks can
 * stand in for these privileged instructions (tests/unit/fake_irqflags.h). */
#ifndef KERNEL_IRQFLAGS_H
#define KERNEL_IRQFLAGS_H

#include <stdint.h>

static inline uint32_t irq_save(void)
{
	uint32_t flags;
	__asm__ volatile("pushfl; popl %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void irq_restore(uint32_t flags)
{
	__asm__ volatile("pushl %0; popfl" : : "r"(flags) : "memory", "cc");
}

#define EFLAGS_IF 0x200u

static inline uint32_t irq_flags(void)
{
	uint32_t flags;
	__asm__ volatile("pushfl; popl %0" : "=r"(flags) : : "memory");
	return flags;
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

#endif
