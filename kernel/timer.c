#include "kernel/timer.h"
#include <stddef.h>

#include "kernel/crash_point.h"
#include "kernel/io.h"
#include "kernel/irq.h"

#define PIT_HZ 1193182u
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define CALIBRATION_MS 10

static volatile uint64_t ticks;
static uint64_t tsc_base;
static uint32_t tsc_per_us; /* 0 until calibrated */

/* Counts TSC cycles across CALIBRATION_MS of PIT channel 2 in one-shot mode,
 * polled, so it needs no interrupts. */
static void calibrate_tsc(void)
{
	uint16_t count = (uint16_t)(PIT_HZ * CALIBRATION_MS / 1000);
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0); /* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	uint64_t start = rdtsc();
	for (uint32_t spins = 0; !(inb(PIT_GATE) & 0x20) && spins < 100000000u; spins++)
		;
	uint64_t cycles = rdtsc() - start;
	tsc_per_us = (uint32_t)(cycles / (CALIBRATION_MS * 1000));
	if (!tsc_per_us)
		tsc_per_us = 1;
	tsc_base = start;
}

static void timer_interrupt(unsigned irq, void *ctx)
{
	(void)irq;
	(void)ctx;
	ticks++;
	crash_hook(CRASH_POINT_TIMER_IRQ);
}

void timer_init(void)
{
	calibrate_tsc();
	uint16_t divisor = (uint16_t)(PIT_HZ / TIMER_HZ);
	outb(PIT_CMD, 0x34); /* ch0, lo/hi, rate generator */
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	irq_register(0, timer_interrupt, NULL);
}

uint64_t timer_ticks(void)
{
	return ticks;
}

uint64_t clock_ns(void)
{
	if (!tsc_per_us)
		return 0;
	return (rdtsc() - tsc_base) * 1000 / tsc_per_us;
}

void udelay(uint32_t us)
{
	uint32_t rate = tsc_per_us ? tsc_per_us : 3000; /* before calibration: assume 3 GHz */
	uint64_t end = rdtsc() + (uint64_t)us * rate;
	while (rdtsc() < end)
		cpu_relax();
}

void mdelay(uint32_t ms)
{
	while (ms--)
		udelay(1000);
}
