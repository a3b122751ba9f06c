/* Picks the TSC rate from PIT calibration windows. A window's TSC count is
 * known only between the TSC readings taken around its two PIT events; a
 * vCPU preempted across an event widens that bracket, and such a window is
 * rejected instead of skewing the clock for the whole boot. Pure and
 * host-testable; used once at boot (normal context). */
#ifndef KERNEL_TSC_CALIBRATE_H
#define KERNEL_TSC_CALIBRATE_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ 1193182u
/* A window whose bracket is narrower than this is trusted. */
#define TSC_TRUSTED_SPREAD_PPM 2000
/* Rates outside this range are no TSC an i686 ever had: a broken window. */
#define TSC_KHZ_MIN 10000u
#define TSC_KHZ_MAX 100000000u
/* Calibration ends once this many windows were trusted... */
#define TSC_TRUSTED_WANTED 3
/* ...or after this many windows, trusted or not. */
#define TSC_WINDOWS_MAX 50

/* One PIT window of pit_ticks input clocks, bracketed by TSC readings. */
struct tsc_window {
	uint32_t pit_ticks;
	uint64_t start_before; /* just before the write that starts the count */
	uint64_t start_after; /* just after it */
	uint64_t end_before; /* before the last poll that saw the count running */
	uint64_t end_after; /* after the first poll that saw it expire */
	bool ended; /* false: the count never expired within the poll limit */
};

struct tsc_calibration {
	uint32_t khz; /* the best plausible window's rate; 0 when none */
	uint32_t spread_ppm; /* that window's bracket width, relative */
	unsigned windows; /* windows measured */
	unsigned trusted; /* windows within TSC_TRUSTED_SPREAD_PPM */
};

/* Adds one measured window; the narrowest plausible bracket wins. */
void tsc_calibration_add(struct tsc_calibration *cal, const struct tsc_window *w);
/* True once enough windows were trusted, or no more may be measured. */
bool tsc_calibration_done(const struct tsc_calibration *cal);

#endif
