/* tsc-rate: prints the host's TSC rate in MHz, measured against
 * CLOCK_MONOTONIC_RAW: the independent witness tests/qemu/clock-stall.t holds
 * the guest kernel's calibration against (under TCG the guest's TSC is the
 * host's). Each clock reading is bracketed by two TSC reads and the
 * narrowest of several brackets kept, so a preempted read does not count;
 * the median of five 200 ms measurements is printed. x86 hosts only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PROG "tsc-rate"
#define TRIES 50
#define MEASUREMENTS 5
#define MEASURE_NS 200000000L

#if defined(__x86_64__) || defined(__i386__)
static uint64_t tsc(void)
{
	return __builtin_ia32_rdtsc();
}
#else
static uint64_t tsc(void)
{
	fprintf(stderr, PROG ": not an x86 host\n");
	exit(2);
}
#endif

/* A clock reading in ns and the TSC at the same moment. */
static void read_both(int64_t *ns, uint64_t *cycles)
{
	uint64_t narrowest = UINT64_MAX;

	for (int i = 0; i < TRIES; i++) {
		struct timespec ts;
		uint64_t before = tsc();
		clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
		uint64_t after = tsc();
		if (after - before < narrowest) {
			narrowest = after - before;
			*ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
			*cycles = before + (after - before) / 2;
		}
	}
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	double mhz[MEASUREMENTS];

	for (int m = 0; m < MEASUREMENTS; m++) {
		int64_t ns0, ns1;
		uint64_t c0, c1;
		struct timespec pause = {0, MEASURE_NS};
		read_both(&ns0, &c0);
		nanosleep(&pause, NULL);
		read_both(&ns1, &c1);
		mhz[m] = (double)(c1 - c0) * 1000.0 / (double)(ns1 - ns0);
	}
	qsort(mhz, MEASUREMENTS, sizeof(mhz[0]), by_value);
	printf("%.3f\n", mhz[MEASUREMENTS / 2]);
	return 0;
}
