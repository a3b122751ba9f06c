#include "kernel/timer.h"
#include <stddef.h>

#include "kernel/crash_point.h"
#include "kernel/io.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/tsc_calibrate.h"
#include "kernel/watchdog.h"

#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define PIT_GATE_CH2_ENABLE 0x01
#define PIT_GATE_SPEAKER 0x02
#define PIT_GATE_CH2_OUT 0x20
#define CALIBRATION_MS 10
#define CALIBRATION_POLLS_MAX 100000000u
/* Before calibration udelay() assumes a 3 GHz TSC. */
#define TSC_KHZ_GUESS 3000000u

static volatile uint64_t ticks;
static uint64_t tsc_base;
static uint32_t tsc_khz; /* 0 until calibrated */

/* One window of PIT channel 2 in mode 0 (interrupt on terminal count),
 * polled, so it needs no interrupts. Every TSC reading that bounds an event
 * is taken on the correct side of the port access that observed it. */
static void measure_window(struct tsc_window *w)
{
	uint16_t count = (uint16_t)(PIT_HZ * CALIBRATION_MS / 1000);

	/* 8254: after a mode 0 count N is written, OUT goes high N + 1 input
	 * clocks later. */
	w->pit_ticks = (uint32_t)count + 1;
	outb(PIT_CMD, 0xb0); /* ch2, lo/hi, mode 0: OUT goes low */
	outb(PIT_CH2, count & 0xff);
	w->start_before = rdtsc();
	outb(PIT_CH2, count >> 8); /* the count starts with its high byte */
	w->start_after = rdtsc();
	w->end_before = w->start_before;
	w->ended = false;
	for (uint32_t polls = 0; polls < CALIBRATION_POLLS_MAX; polls++) {
		uint64_t before = rdtsc();
		bool expired = inb(PIT_GATE) & PIT_GATE_CH2_OUT;
		uint64_t after = rdtsc();
		if (expired) {
			w->end_after = after;
			w->ended = true;
			return;
		}
		w->end_before = before;
	}
}

static void calibrate_tsc(void)
{
	struct tsc_calibration cal = {0};
	struct tsc_window w;

	outb(PIT_GATE, (inb(PIT_GATE) & ~PIT_GATE_SPEAKER) | PIT_GATE_CH2_ENABLE);
	while (!tsc_calibration_done(&cal)) {
		measure_window(&w);
		tsc_calibration_add(&cal, &w);
	}
	tsc_base = w.start_before;
	if (!cal.khz) {
		tsc_khz = TSC_KHZ_GUESS;
		pr_err("tsc: no usable PIT calibration window in %u, assuming %u MHz\n",
		       cal.windows, TSC_KHZ_GUESS / 1000);
		return;
	}
	tsc_khz = cal.khz;
	pr_info("tsc: Detected %u.%03u MHz processor\n", tsc_khz / 1000, tsc_khz % 1000);
	if (!cal.trusted)
		pr_warn("tsc: every PIT calibration window was disturbed (vCPU preempted?); "
			"the best of %u is good to %u ppm\n",
			cal.windows, cal.spread_ppm);
	else if (cal.windows > cal.trusted)
		pr_info("tsc: %u of %u PIT calibration windows rejected as disturbed\n",
			cal.windows - cal.trusted, cal.windows);
}

static void timer_interrupt(unsigned irq, void *ctx)
{
	(void)irq;
	(void)ctx;
	ticks++;
	watchdog_tick(get_irq_regs());
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
	if (!tsc_khz)
		return 0;
	uint64_t cycles = rdtsc() - tsc_base;
	/* Split so that cycles * 1000000 cannot overflow in a long run. */
	return cycles / tsc_khz * 1000000 + cycles % tsc_khz * 1000000 / tsc_khz;
}

void udelay(uint32_t us)
{
	uint32_t khz = tsc_khz ? tsc_khz : TSC_KHZ_GUESS;
	uint64_t end = rdtsc() + (uint64_t)us * khz / 1000;
	while (rdtsc() < end)
		cpu_relax();
}

void mdelay(uint32_t ms)
{
	while (ms--)
		udelay(1000);
}
