/* Tests kernel/tsc_calibrate.c: windows as a 2.6 GHz TSC and the PIT would
 * give them, some with the vCPU preempted across a PIT event (the poll that
 * sees the event comes late, or the count starts late), which must be
 * rejected instead of skewing the clock. */
#include "tap.h"

#include "kernel/tsc_calibrate.c"

#define TRUE_KHZ 2600000ull
#define WINDOW_TICKS 11932u /* 10 ms of PIT: count 11931, plus one clock */
#define POLL_CYCLES 3000 /* one inb of port 0x61 under TCG, about 1 us */
#define STALL_CYCLES (TRUE_KHZ * 50) /* the vCPU preempted for 50 ms */

static uint64_t clock_at; /* the TSC the next window starts from */

/* A window of the true length, polled every POLL_CYCLES; stall_start and
 * stall_end delay the poll after the corresponding event. */
static struct tsc_window window(uint64_t stall_start, uint64_t stall_end)
{
	uint64_t length = TRUE_KHZ * 1000 * WINDOW_TICKS / PIT_HZ;
	struct tsc_window w = {.pit_ticks = WINDOW_TICKS, .ended = true};

	w.start_before = clock_at;
	w.start_after = clock_at + 40 + stall_start;
	uint64_t event = clock_at + 20 + length;
	w.end_before = event - POLL_CYCLES / 2;
	w.end_after = event + POLL_CYCLES / 2 + stall_end;
	clock_at = w.end_after + 100;
	return w;
}

static bool near_true_rate(uint32_t khz)
{
	return khz > TRUE_KHZ * 999 / 1000 && khz < TRUE_KHZ * 1001 / 1000;
}

static void test_clean(void)
{
	struct tsc_calibration cal = {0};
	int added = 0;

	while (!tsc_calibration_done(&cal) && added < 100) {
		struct tsc_window w = window(0, 0);
		tsc_calibration_add(&cal, &w);
		added++;
	}
	is_int(added, TSC_TRUSTED_WANTED, "undisturbed: done after %d windows", TSC_TRUSTED_WANTED);
	ok(near_true_rate(cal.khz), "undisturbed: %u kHz is within 0.1%% of 2.6 GHz", cal.khz);
	ok(cal.spread_ppm <= TSC_TRUSTED_SPREAD_PPM, "undisturbed: bracket %u ppm", cal.spread_ppm);
}

/* The first window (the only one the single-window calibration had) is
 * stalled; every later one is clean. */
static void test_first_stalled(uint64_t stall_start, uint64_t stall_end, const char *what)
{
	struct tsc_calibration cal = {0};
	struct tsc_window w = window(stall_start, stall_end);

	tsc_calibration_add(&cal, &w);
	ok(!tsc_calibration_done(&cal), "%s: one disturbed window is not enough", what);
	is_int(cal.trusted, 0, "%s: the disturbed window is not trusted", what);
	while (!tsc_calibration_done(&cal)) {
		w = window(0, 0);
		tsc_calibration_add(&cal, &w);
	}
	is_int(cal.windows, TSC_TRUSTED_WANTED + 1, "%s: %d clean windows more", what,
	       TSC_TRUSTED_WANTED);
	ok(near_true_rate(cal.khz), "%s: %u kHz is within 0.1%% of 2.6 GHz", what, cal.khz);
}

static void test_every_window_stalled(void)
{
	struct tsc_calibration cal = {0};
	unsigned narrowest = 7; /* the window stalled least */

	while (!tsc_calibration_done(&cal)) {
		uint64_t stall = cal.windows == narrowest ? TRUE_KHZ / 10 : STALL_CYCLES;
		struct tsc_window w = window(0, stall);
		tsc_calibration_add(&cal, &w);
	}
	is_int(cal.windows, TSC_WINDOWS_MAX, "always stalled: gives up after %d windows",
	       TSC_WINDOWS_MAX);
	is_int(cal.trusted, 0, "always stalled: nothing trusted");
	uint64_t want = TRUE_KHZ + TRUE_KHZ * (TRUE_KHZ / 10) / 2 / (TRUE_KHZ * 10);
	ok(cal.khz > want - 1000 && cal.khz < want + 1000,
	   "always stalled: the narrowest bracket wins (%u kHz, want about %llu)", cal.khz,
	   (unsigned long long)want);
	ok(cal.spread_ppm > 9000 && cal.spread_ppm < 11000,
	   "always stalled: its bracket (%u ppm) says how far to trust it", cal.spread_ppm);
}

static void test_broken_windows(void)
{
	struct tsc_calibration cal = {0};
	struct tsc_window w = window(0, 0);

	w.ended = false;
	tsc_calibration_add(&cal, &w);
	is_int(cal.khz, 0, "a count that never expired gives no rate");

	w = window(0, 0);
	w.end_before = w.start_after;
	w.end_after = w.start_after + 10;
	tsc_calibration_add(&cal, &w);
	is_int(cal.khz, 0, "a window of 10 cycles (below 10 MHz) is implausible");

	w = window(0, 0);
	w.end_after = w.end_before - 1;
	tsc_calibration_add(&cal, &w);
	is_int(cal.khz, 0, "readings out of order are rejected");

	w = window(0, 0);
	w.end_after = w.start_before + 20000000000000ull;
	tsc_calibration_add(&cal, &w);
	is_int(cal.khz, 0, "an end bracket of 2e13 cycles is rejected, not overflowed");

	w = window(0, 0);
	w.pit_ticks = 0;
	tsc_calibration_add(&cal, &w);
	is_int(cal.khz, 0, "a window of 0 PIT clocks is rejected");
	is_int(cal.windows, 5, "rejected windows still count towards the limit");
	is_int(cal.trusted, 0, "and none of them is trusted");
}

int main(void)
{
	plan(26);
	test_clean();
	test_first_stalled(0, STALL_CYCLES, "end poll 50 ms late");
	test_first_stalled(TRUE_KHZ * 5, 0, "count started up to 5 ms before the TSC read");
	test_first_stalled(0, TRUE_KHZ * 1000 * 3, "end poll 3 s late");
	test_every_window_stalled();
	test_broken_windows();
	return done_testing();
}
