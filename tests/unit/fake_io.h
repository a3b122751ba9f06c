/* Host stand-in for kernel/io.h, for tests of drivers that use port I/O:
 * every in and out goes to fake_port_read() and fake_port_write(), which the
 * test defines (its fake device). Included before any kernel file, it keeps
 * the real header (privileged instructions) out through its guard; the
 * interrupt flag comes from fake_irqflags.h. */
#ifndef TESTS_UNIT_FAKE_IO_H
#define TESTS_UNIT_FAKE_IO_H
#define KERNEL_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "fake_irqflags.h"

/* The cycle counter bench=profile reads (kernel/profile.c): a count of
 * reads here; the profile stays off in these tests. */
static inline uint64_t rdtsc(void)
{
	static uint64_t reads;
	return ++reads;
}

/* size is 1, 2 or 4 bytes, as the instruction would move. */
static uint32_t fake_port_read(uint16_t port, unsigned size);
static void fake_port_write(uint16_t port, unsigned size, uint32_t value);

static inline void outb(uint16_t port, uint8_t v)
{
	fake_port_write(port, 1, v);
}
static inline void outw(uint16_t port, uint16_t v)
{
	fake_port_write(port, 2, v);
}
static inline void outl(uint16_t port, uint32_t v)
{
	fake_port_write(port, 4, v);
}
static inline uint8_t inb(uint16_t port)
{
	return (uint8_t)fake_port_read(port, 1);
}
static inline uint16_t inw(uint16_t port)
{
	return (uint16_t)fake_port_read(port, 2);
}
static inline uint32_t inl(uint16_t port)
{
	return fake_port_read(port, 4);
}

static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

static inline void cpu_relax(void)
{
}

#endif
