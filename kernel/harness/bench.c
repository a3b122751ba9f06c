#include "kernel/harness/bench.h"

#include <stdbool.h>

#include "drivers/netdev.h"
#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/io.h"
#include "kernel/oops.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "netconsole/frame.h"
#include "netconsole/netconsole.h"
#include "netconsole/netpoll.h"

/* The listener may still be working through a burst when the last record
 * or frame has gone; a pause before the result line keeps that line from
 * being dropped at its full socket. Outside the measured window. */
#define RESULT_PAUSE_MS 1000

/* QEMU's isa-debug-exit device (the bench runs QEMU with
 * -device isa-debug-exit,iobase=0xf4,iosize=0x04): writing V ends QEMU with
 * exit status V * 2 + 1, so 0x10 exits with 33, which no crash or QEMU
 * error produces. It needs no ACPI tables, PCI lookup or BIOS help. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_DONE 0x10
#define KBC_STATUS 0x64
#define KBC_RESET 0xfe

/* "bench-flood %08u " ahead of the padding in each flood record. */
#define FLOOD_TAG_LEN 21
#define FLOOD_COUNT_MAX 99999999u

/* Without the debug-exit device, a keyboard-controller reset, which QEMU's
 * -no-reboot also turns into an exit; on anything else, halt. */
__attribute__((noreturn)) static void power_off(void)
{
	outb(DEBUG_EXIT_PORT, DEBUG_EXIT_DONE);
	outb(KBC_STATUS, KBC_RESET);
	mdelay(100);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static uint32_t tx_dropped_total(void)
{
	uint32_t dropped = 0;

	for (unsigned i = 0; i < netdev_count(); i++)
		dropped += netdev_get(i)->stats.tx_dropped;
	return dropped;
}

/* printk as the kernel uses it: each record is formatted, stored and written
 * to every console before the next one starts. Returns the nanoseconds it
 * took. */
static uint64_t flood_records(const struct bench_spec *s)
{
	static char pad[BENCH_SIZE_MAX];
	int pad_len = (int)(s->size - BENCH_LINE_OVERHEAD - FLOOD_TAG_LEN);

	memset(pad, 'x', sizeof(pad));
	uint64_t start = clock_ns();
	for (uint32_t i = 0; i < s->count; i++)
		printk(KERN_INFO "bench-flood %08u %.*s\n", (unsigned)i, pad_len, pad);
	return clock_ns() - start;
}

static void flood(const struct bench_spec *s)
{
	uint32_t dropped = tx_dropped_total();
	uint64_t ns = flood_records(s);
	mdelay(RESULT_PAUSE_MS);
	printk(KERN_INFO "bench: flood count=%u size=%u ns=%llu tx_dropped=%u\n",
	       (unsigned)s->count, (unsigned)s->size, (unsigned long long)ns,
	       (unsigned)(tx_dropped_total() - dropped));
}

/* The two-CPU flood: CPU 1 starts its records when the boot CPU starts its
 * own, and says when it has printed them all. */
static struct {
	const struct bench_spec *spec;
	volatile bool go, done;
	uint64_t ns;
	char pad[BENCH_SIZE_MAX]; /* filled before either CPU starts */
} smp_flood_run;

/* "bench-smp N %08u " ahead of the padding: as long as the flood's tag. */
static void smp_flood_records(unsigned cpu, const struct bench_spec *s)
{
	const char *pad = smp_flood_run.pad;
	int pad_len = (int)(s->size - BENCH_LINE_OVERHEAD - FLOOD_TAG_LEN);

	for (uint32_t i = 0; i < s->count; i++)
		printk(KERN_INFO "bench-smp %u %08u %.*s\n", cpu, (unsigned)i, pad_len, pad);
}

static void smp_flood_cpu1(void)
{
	while (!__atomic_load_n(&smp_flood_run.go, __ATOMIC_ACQUIRE))
		cpu_relax();
	uint64_t start = clock_ns();
	smp_flood_records(1, smp_flood_run.spec);
	smp_flood_run.ns = clock_ns() - start;
	__atomic_store_n(&smp_flood_run.done, true, __ATOMIC_RELEASE);
}

/* COUNT records from CPU 0 and COUNT from CPU 1 at once, each CPU's
 * numbered from 0 so the host can check each CPU's order; ns spans both.
 * False when it could not run (one CPU). */
static bool smp_flood(const struct bench_spec *s)
{
	if (smp_num_cpus() < 2) {
		pr_err("bench: smp-flood needs two CPUs (qemu -smp 2); not run, booting on\n");
		return false;
	}
	smp_flood_run.spec = s;
	memset(smp_flood_run.pad, 'x', sizeof(smp_flood_run.pad));
	if (!smp_run_on(1, smp_flood_cpu1)) {
		pr_err("bench: smp-flood: CPU 1 cannot take work; not run, booting on\n");
		return false;
	}
	uint32_t dropped = tx_dropped_total();
	uint64_t start = clock_ns();
	__atomic_store_n(&smp_flood_run.go, true, __ATOMIC_RELEASE);
	smp_flood_records(0, s);
	uint64_t cpu0_ns = clock_ns() - start;
	while (!__atomic_load_n(&smp_flood_run.done, __ATOMIC_ACQUIRE))
		cpu_relax();
	uint64_t ns = clock_ns() - start;
	mdelay(RESULT_PAUSE_MS);
	printk(KERN_INFO "bench: smp-flood cpus=2 count=%u size=%u ns=%llu cpu0_ns=%llu "
			 "cpu1_ns=%llu tx_dropped=%u\n",
	       (unsigned)s->count, (unsigned)s->size, (unsigned long long)ns,
	       (unsigned long long)cpu0_ns, (unsigned long long)smp_flood_run.ns,
	       (unsigned)(tx_dropped_total() - dropped));
	return true;
}

/* The flood again, with every stage's TSC cycles counted: the result line
 * gives each stage's total (the stages add up to the whole run, the
 * profiling's own TSC reads included), and ns, so bench.sh turns cycles
 * into time per record. */
static void profile(const struct bench_spec *s)
{
	uint64_t cycles[PROFILE_STAGES];
	char stages[PROFILE_STAGES * 32];
	size_t n = 0;
	uint32_t dropped = tx_dropped_total();

	profile_start();
	uint64_t ns = flood_records(s);
	profile_stop(cycles);
	for (int i = 0; i < PROFILE_STAGES; i++)
		n += (size_t)ksnprintf(stages + n, sizeof(stages) - n, " %s=%llu",
				       profile_stage_name((enum profile_stage)i),
				       (unsigned long long)cycles[i]);
	mdelay(RESULT_PAUSE_MS);
	printk(KERN_INFO "bench: profile count=%u size=%u ns=%llu tx_dropped=%u%s\n",
	       (unsigned)s->count, (unsigned)s->size, (unsigned long long)ns,
	       (unsigned)(tx_dropped_total() - dropped), stages);
}

/* The device and addresses of netconsole's first target, as it set them up
 * (the target MAC given, resolved by ARP, or broadcast). */
static struct net_device *blast_device(struct frame_udp_endpoints *ep)
{
	const struct netpoll *np = netconsole_netpoll(0);

	if (!np || !np->dev->up)
		return NULL;
	netpoll_udp_endpoints(np, ep);
	return np->dev;
}

/* One frame built up front and handed to the driver again and again: what
 * the NIC (and QEMU's back end) carries with no printk and no formatting.
 * False when it could not run. */
static bool blast(const struct bench_spec *s)
{
	static uint8_t frame[FRAME_MAX_LEN];
	static char payload[BENCH_SIZE_MAX];
	struct frame_udp_endpoints ep;
	struct net_device *dev = blast_device(&ep);
	uint32_t dropped = 0;

	if (!dev) {
		pr_err("bench: blast needs netconsole= with an open device; not run, booting on\n");
		return false;
	}
	memset(payload, 'x', s->size);
	memcpy(payload, "bench-blast ", 12);
	payload[s->size - 1] = '\n';
	size_t len = frame_build_udp(frame, sizeof(frame), &ep, 0, payload, s->size);
	uint64_t start = clock_ns();
	for (uint32_t i = 0; i < s->count; i++) {
		struct netdev_claim claim;
		if (!netdev_claim(dev, &claim) || dev->ops->queue(dev, frame, len) < 0)
			dropped++;
		dev->ops->kick(dev);
		netdev_release(dev, &claim);
	}
	uint64_t ns = clock_ns() - start;
	mdelay(RESULT_PAUSE_MS);
	printk(KERN_INFO "bench: blast count=%u size=%u ns=%llu tx_dropped=%u\n",
	       (unsigned)s->count, (unsigned)s->size, (unsigned long long)ns, (unsigned)dropped);
	return true;
}

/* Runs after the panic report has been flushed to every console, so every
 * oops packet has been handed to the NIC by now. */
static void report_oops_time(void)
{
	uint64_t now = clock_ns();
	uint64_t start = oops_start_ns();

	if (!start) {
		printk(KERN_EMERG "bench: oops none (a panic without a fault)\n");
		return;
	}
	printk(KERN_EMERG "bench: oops fault_to_last_packet_ns=%llu\n",
	       (unsigned long long)(now - start));
}

void bench_run(void)
{
	struct cmdline_param p;
	struct bench_spec spec;
	char err[BENCH_ERR_MAX];

	if (!cmdline_find(kernel_cmdline, "bench", &p))
		return;
	if (!p.value || bench_parse(p.value, p.value_len, &spec, err, sizeof(err)) < 0) {
		pr_err("%s\n", p.value ? err : "bench: bench= needs a value");
		return;
	}
	if (spec.count > FLOOD_COUNT_MAX) {
		pr_err("bench: COUNT above %u\n", FLOOD_COUNT_MAX);
		return;
	}
	switch (spec.mode) {
	case BENCH_OOPS:
		if (panic_register_late(report_oops_time) < 0)
			pr_err("bench: no room for a late panic handler\n");
		return;
	case BENCH_FLOOD:
		flood(&spec);
		break;
	case BENCH_PROFILE:
		profile(&spec);
		break;
	case BENCH_BLAST:
		if (!blast(&spec))
			return;
		break;
	case BENCH_SMP_FLOOD:
		if (!smp_flood(&spec))
			return;
		break;
	case BENCH_NONE:
		return;
	}
	power_off();
}
