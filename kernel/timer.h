/* The PIT at TIMER_HZ drives the tick counter; the TSC, calibrated against
 * the PIT at boot, gives printk its nanosecond timestamps. Reading the clock
 * is safe from any context; timer_init() runs once at boot. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

#define TIMER_HZ 1000

void timer_init(void);
/* Timer interrupts taken since boot. */
uint64_t timer_ticks(void);
/* Nanoseconds since the TSC was calibrated (0 before that). */
uint64_t clock_ns(void);
/* Busy-waits; works with interrupts off (TSC based). */
void udelay(uint32_t us);
void mdelay(uint32_t ms);

#endif
