#include "kernel/tsc_calibrate.h"

/* Longer brackets than this (about 1000 s at 10 GHz) are broken windows,
 * and keeping below it keeps the arithmetic in 64 bits. */
#define CYCLES_MAX 10000000000000ull

void tsc_calibration_add(struct tsc_calibration *cal, const struct tsc_window *w)
{
	cal->windows++;
	if (!w->ended || w->end_before < w->start_after || w->end_after < w->end_before ||
	    w->start_after < w->start_before || !w->pit_ticks)
		return;
	uint64_t shortest = w->end_before - w->start_after;
	uint64_t longest = w->end_after - w->start_before;
	if (!shortest || longest > CYCLES_MAX)
		return;
	uint64_t spread = (longest - shortest) * 1000000 / shortest;
	uint64_t khz = (shortest + longest) / 2 * PIT_HZ / ((uint64_t)w->pit_ticks * 1000);
	if (khz < TSC_KHZ_MIN || khz > TSC_KHZ_MAX)
		return;
	if (spread <= TSC_TRUSTED_SPREAD_PPM)
		cal->trusted++;
	if (!cal->khz || spread < cal->spread_ppm) {
		cal->khz = (uint32_t)khz;
		cal->spread_ppm = spread > UINT32_MAX ? UINT32_MAX : (uint32_t)spread;
	}
}

bool tsc_calibration_done(const struct tsc_calibration *cal)
{
	return cal->trusted >= TSC_TRUSTED_WANTED || cal->windows >= TSC_WINDOWS_MAX;
}
