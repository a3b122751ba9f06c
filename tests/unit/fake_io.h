/* Host stand-in for kernel/io.h, for tests that run driver code: MMIO goes
 * to the test's fake register array as in the kernel, and the interrupt
 * flag the kernel would save and clear is a variable the test can read.
 * Included before any kernel file, it keeps kernel/io.h out (its guard). */
#ifndef TESTS_UNIT_FAKE_IO_H
#define TESTS_UNIT_FAKE_IO_H
#define KERNEL_IO_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_IF (1u << 9)

static uint32_t fake_eflags = FAKE_IF;

static inline uint32_t mmio_read32(volatile void *base, uint32_t off)
{
	return *(volatile uint32_t *)((volatile uint8_t *)base + off);
}

static inline void mmio_write32(volatile void *base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)((volatile uint8_t *)base + off) = v;
}

static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

static inline void cpu_relax(void)
{
}

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

#endif
