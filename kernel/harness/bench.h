/* Benchmarks chosen by bench= on the kernel command line: a printk flood, the
 * same flood from two CPUs at once, the same flood with its cycles charged
 * to each stage (kernel/profile.h), a raw transmit blast through the NIC
 * driver, and timing of an oops. Parsing (bench_parse) is pure and
 * host-testable; bench_run() runs once at boot in normal context on the boot
 * CPU (the two-CPU flood hands CPU 1 its half through smp_run_on()); QEMU
 * is powered off when a run is done. */
#ifndef HARNESS_BENCH_H
#define HARNESS_BENCH_H

#include <stddef.h>
#include <stdint.h>

enum bench_mode {
	BENCH_NONE,
	BENCH_FLOOD, /* bench=flood:COUNT:SIZE */
	BENCH_BLAST, /* bench=blast:COUNT:SIZE */
	BENCH_OOPS, /* bench=oops: time fault entry -> last oops packet */
	BENCH_SMP_FLOOD, /* bench=smp-flood:COUNT:SIZE: COUNT records from each of CPUs 0 and 1 */
	BENCH_PROFILE, /* bench=profile:COUNT:SIZE: the flood, cycles per stage */
};

/* A flood record's line is "[sssss.uuuuuu] " + text + "\n", so SIZE bytes
 * of line (one UDP payload each) carry SIZE - BENCH_LINE_OVERHEAD of text. */
#define BENCH_LINE_OVERHEAD 16
#define BENCH_SIZE_MIN 40
#define BENCH_SIZE_MAX 1000
#define BENCH_ERR_MAX 120

struct bench_spec {
	enum bench_mode mode;
	uint32_t count;
	uint32_t size; /* UDP payload bytes per record or frame */
};

/* Parses the value of bench=. Returns 0, or -1 with a message in err. */
int bench_parse(const char *value, size_t len, struct bench_spec *out, char *err, size_t err_size);

/* Boot, before the crash site runs: reads bench= and, for bench=oops, hooks
 * the end of panic. Then runs a flood or a blast and powers off; without
 * bench= it returns at once. */
void bench_run(void);

#endif
