#include "kernel/harness/crash.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/bug.h"
#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/io.h"
#include "kernel/irq.h"
#include "kernel/oops.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/watchdog.h"

enum crash_site {
	SITE_NONE,
	SITE_INIT_NULL,
	SITE_INIT_DIVZERO,
	SITE_INIT_BUG,
	SITE_INIT_PANIC,
	SITE_IRQ_TIMER,
	SITE_IRQ_NIC,
	SITE_NESTED,
	SITE_STACK_OVERFLOW,
	SITE_EARLY,
	SITE_IRQ_NIC_LOCKED,
	SITE_FLOOD_THEN_OOPS,
	SITE_WARN,
	SITE_GPF,
	SITE_IRQ_BUG,
	SITE_INT3,
	SITE_WRITE_RO,
	SITE_CORRUPT_STACK,
	SITE_SOFTLOCKUP,
	SITE_SMP_TX_HELD,
	SITE_SMP_IRQ_NIC,
	SITE_SMP_LOG_HELD,
	SITE_SMP_BOTH,
	SITE_HARDLOCKUP,
	SITE_COUNT
};

/* The one crash-site table: the build reads it out of kernel.elf into
 * build/crash-sites.txt, which the tests and the README are checked against. */
static const char *const site_names[SITE_COUNT] = {
	[SITE_NONE] = "none",
	[SITE_INIT_NULL] = "init-null",
	[SITE_INIT_DIVZERO] = "init-divzero",
	[SITE_INIT_BUG] = "init-bug",
	[SITE_INIT_PANIC] = "init-panic",
	[SITE_IRQ_TIMER] = "irq-timer",
	[SITE_IRQ_NIC] = "irq-nic",
	[SITE_NESTED] = "nested",
	[SITE_STACK_OVERFLOW] = "stack-overflow",
	[SITE_EARLY] = "early",
	[SITE_IRQ_NIC_LOCKED] = "irq-nic-locked",
	[SITE_FLOOD_THEN_OOPS] = "flood-then-oops",
	[SITE_WARN] = "warn",
	[SITE_GPF] = "gpf",
	[SITE_IRQ_BUG] = "irq-bug",
	[SITE_INT3] = "int3",
	[SITE_WRITE_RO] = "write-ro",
	[SITE_CORRUPT_STACK] = "corrupt-stack",
	[SITE_SOFTLOCKUP] = "softlockup",
	[SITE_SMP_TX_HELD] = "smp-tx-held",
	[SITE_SMP_IRQ_NIC] = "smp-irq-nic",
	[SITE_SMP_LOG_HELD] = "smp-log-held",
	[SITE_SMP_BOTH] = "smp-both",
	[SITE_HARDLOCKUP] = "hardlockup",
};

/* Timer ticks the irq-timer site lets pass after arming, so the fault hits
 * a kernel that is idling with the timer running. */
#define TIMER_TICKS_BEFORE_CRASH 5

static enum crash_site chosen;
static volatile bool armed;
static unsigned ticks_since_armed;
static bool nested_done;
/* flood-then-oops logs at most FLOOD_RECORDS records and faults at the first
 * full transmit ring once FLOOD_MIN_RECORDS are out (after the last record
 * when no NIC ever fills up). */
#define FLOOD_RECORDS 4000
#define FLOOD_MIN_RECORDS 100
static volatile unsigned flood_logged;

/* Set while the transmit path waits, lock held, for the NIC's interrupt. */
static volatile bool tx_lock_window;

/* How long the transmit path waits for the NIC to interrupt it; a NIC that
 * never does leaves the kernel running, and the test sees no oops. */
#define TX_LOCK_WINDOW_US 100000

/* Volatile, so the compiler cannot see the NULL and replace the access
 * with a trap of its own: the CPU must take a real page fault. */
static uint32_t *volatile null_pointer;
static volatile int zero_divisor;
static volatile int quotient_sink;
/* Volatile, so the warning is a run-time decision the compiler keeps. */
static volatile int warn_condition = 1;
/* crash_cpu=: the CPU the init site runs on (0, the boot CPU, by default). */
static unsigned crash_cpu;

static void parse_crash_cpu(void)
{
	struct cmdline_param p;
	unsigned long n;

	if (!cmdline_find(kernel_cmdline, "crash_cpu", &p))
		return;
	if (!p.value || kparse_u32(p.value, p.value_len, 10, &n) != p.value_len ||
	    n >= SMP_MAX_CPUS) {
		pr_err("crash: bad value \"%.*s\" in crash_cpu=: expected a CPU number 0..%u\n",
		       (int)(p.value ? p.value_len : 0), p.value ? p.value : "", SMP_MAX_CPUS - 1);
		return;
	}
	crash_cpu = (unsigned)n;
}

void crash_init(void)
{
	struct cmdline_param p;

	crash_point_register(crash_point);
	parse_crash_cpu();
	if (!cmdline_find(kernel_cmdline, "crash", &p))
		return;
	for (int site = 0; site < SITE_COUNT; site++) {
		if (cmdline_value_is(&p, site_names[site])) {
			chosen = (enum crash_site)site;
			return;
		}
	}
	char valid[384];
	size_t len = 0;
	for (int site = 0; site < SITE_COUNT && len < sizeof(valid); site++)
		len += (size_t)ksnprintf(valid + len, sizeof(valid) - len, " %s", site_names[site]);
	pr_err("crash: unknown crash site \"%.*s\" in crash=; valid sites:%s; booting with "
	       "crash=none\n",
	       (int)(p.value ? p.value_len : 0), p.value ? p.value : "", valid);
}

const char *crash_site_name(void)
{
	return site_names[chosen];
}

__attribute__((noinline)) static void crash_init_null(void)
{
	*null_pointer = 0xdead;
}

__attribute__((noinline)) static void crash_init_divzero(void)
{
	quotient_sink = 1000 / zero_divisor;
}

__attribute__((noinline)) static void crash_init_bug(void)
{
	BUG();
}

__attribute__((noinline)) static void crash_init_panic(void)
{
	panic("crash=init-panic: deliberate panic from init");
}

__attribute__((noinline)) static void crash_warn(void)
{
	WARN_ON(warn_condition);
}

/* A null selector loaded into SS: #GP with error code 0. */
__attribute__((noinline)) static void crash_gpf(void)
{
	__asm__ volatile("mov %0, %%ss" : : "r"(0u));
}

/* A breakpoint no debugger planted. */
__attribute__((noinline)) static void crash_int3(void)
{
	__asm__ volatile("int3");
}

/* A write into this very function's code, which paging maps read-only. */
__attribute__((noinline)) static void crash_write_ro(void)
{
	*(volatile uint32_t *)(uintptr_t)crash_write_ro = 0xdead;
}

/* How far crash_corrupt_stack() writes past the end of its buffer: onto the
 * canary GCC puts right above it, not as far as the saved frame pointer and
 * return address, so the report's trace stays whole. Volatile: the compiler
 * must not see the overrun and refuse it. */
static volatile unsigned overrun_bytes = 4;

/* The one function built with the stack protector (see the Makefile): its
 * epilogue finds the canary overwritten and calls __stack_chk_fail(). */
__attribute__((noinline, stack_protect)) static void crash_corrupt_stack(void)
{
	volatile char buffer[16];
	for (unsigned i = 0; i < sizeof(buffer) + overrun_bytes; i++)
		buffer[i] = 'A';
}

/* Spins with interrupts on and never goes back to the idle loop: the
 * watchdog, from the timer interrupt, reports it. */
__attribute__((noinline)) static void crash_softlockup(void)
{
	for (;;)
		__asm__ volatile("pause");
}

/* Spins, called with interrupts off (so that no interrupt can come inside
 * it, even before its first instruction): no timer interrupt reaches this
 * CPU again, only the NMI watchdog's NMI, which reports it. */
__attribute__((noinline)) static void crash_hardlockup(void)
{
	for (;;)
		__asm__ volatile("pause");
}

__attribute__((noinline)) static void crash_irq_bug(void)
{
	BUG();
}

__attribute__((noinline)) static void crash_irq_timer(void)
{
	*null_pointer = 0xdead;
}

__attribute__((noinline)) static void crash_irq_nic(void)
{
	*null_pointer = 0xdead;
}

__attribute__((noinline)) static void crash_irq_nic_locked(void)
{
	*null_pointer = 0xdead;
}

/* Called with the device lock held and interrupts off, right after the
 * NIC was handed a frame: letting interrupts in here delivers the NIC's
 * transmit-done interrupt in the middle of the locked region. */
static void open_tx_lock_window(void)
{
	tx_lock_window = true;
	irq_enable();
	udelay(TX_LOCK_WINDOW_US);
	irq_disable();
	tx_lock_window = false;
}

/* Never reached: the volatile bound only keeps the compiler from proving
 * the recursion endless and folding it away. */
static volatile unsigned recursion_limit = 0xffffffffu;

__attribute__((noinline)) static unsigned crash_stack_overflow(unsigned depth)
{
	volatile uint8_t frame_filler[256];
	frame_filler[0] = (uint8_t)depth;
	if (depth == recursion_limit)
		return 0;
	return crash_stack_overflow(depth + 1) + frame_filler[0];
}

__attribute__((noinline)) static void crash_oops_nested(void)
{
	*null_pointer = 0xdead;
}

__attribute__((noinline)) static void crash_early(void)
{
	*null_pointer = 0xdead;
}

__attribute__((noinline)) static void crash_flood_then_oops(void)
{
	*null_pointer = 0xdead;
}

/* The smp-* sites: CPU 1 does its part (smp_run_on(), from its idle loop)
 * while the fault comes from another CPU. On one CPU each faults at once on
 * the boot CPU, as its plain counterpart would. */
#define SMP_FLOOD_RECORDS 4000
#define SMP_FLOOD_BEFORE_FAULT 200
/* How long CPU 1 holds the device lock inside the transmit path, frame
 * handed to the NIC, once the boot CPU is to fault: the fault lands there. */
#define SMP_TX_HOLD_US 2000
#define SMP_IRQ_NIC_LINES 20000
static volatile unsigned smp_flooded;
static volatile bool smp_partner_ready;

__attribute__((noinline)) static void crash_smp_tx_held(void)
{
	*null_pointer = 0xdead;
}

__attribute__((noinline)) static void crash_smp_irq_nic(void)
{
	*null_pointer = 0xdead;
}

__attribute__((noinline)) static void crash_smp_log_held(void)
{
	*null_pointer = 0xdead;
}

__attribute__((noinline)) static void crash_smp_both(void)
{
	*null_pointer = 0xdead;
}

/* CPU 0 and CPU 1: whoever arrives first waits for the other, then both
 * fault at the same instant. */
static volatile unsigned smp_both_arrived;
#define SMP_BOTH_WAIT_MS 2000

static void smp_both_meet(void)
{
	oops_announce();
	__atomic_add_fetch(&smp_both_arrived, 1, __ATOMIC_SEQ_CST);
	while (smp_both_arrived < 2)
		cpu_relax();
	crash_smp_both();
}

/* CPU 1: netconsole's heaviest user, holding the device lock for every
 * record it sends. */
static void smp_flood(void)
{
	for (unsigned i = 1; i <= SMP_FLOOD_RECORDS; i++) {
		printk(KERN_INFO "smp: flood record %u of %u from CPU %u\n", i, SMP_FLOOD_RECORDS,
		       smp_processor_id());
		smp_flooded = i;
	}
}

/* CPU 1: takes the log lock as printk does and stops there, interrupts off. */
static void smp_hold_log_lock(void)
{
	printk_lock();
	smp_partner_ready = true;
	for (;;)
		cpu_relax();
}

/* The boot CPU logs while the NIC's interrupt, on another CPU
 * (nic_irq_cpu=), faults in its handler. */
static void smp_log_until_irq_fault(void)
{
	if (smp_num_cpus() > 1 && smp_device_irq_cpu() == 0)
		pr_warn("crash: smp-irq-nic wants nic_irq_cpu= naming another CPU\n");
	for (unsigned i = 1; i <= SMP_IRQ_NIC_LINES; i++) {
		printk(KERN_INFO "smp: CPU 0 logs line %u of %u\n", i, SMP_IRQ_NIC_LINES);
		udelay(500);
	}
}

static void run_smp_site(void)
{
	void (*partner)(void) = chosen == SITE_SMP_TX_HELD ? smp_flood : smp_hold_log_lock;

	if (!smp_run_on(1, partner)) {
		pr_warn("crash: %s: no second CPU, faulting on CPU 0 alone\n", site_names[chosen]);
		smp_partner_ready = true;
	}
	/* A flood that never reached a NIC (none, or netconsole off) ends the wait too. */
	while (!smp_partner_ready && smp_flooded < SMP_FLOOD_RECORDS)
		cpu_relax();
	if (chosen == SITE_SMP_TX_HELD)
		crash_smp_tx_held();
	crash_smp_log_held();
}

/* Interrupts stay off for the flood, as in a driver spewing from an
 * IRQ-off region: no interrupt handler reaps the transmit ring behind the
 * flood's back, so the ring fills, and the fault comes from the transmit
 * path itself (crash_point) with the device lock held. */
static void flood_then_oops(void)
{
	irq_disable();
	armed = true;
	for (unsigned i = 1; i <= FLOOD_RECORDS; i++) {
		printk(KERN_INFO "flood: record %u of %u\n", i, FLOOD_RECORDS);
		flood_logged = i;
		/* Off on purpose, not stuck: as Linux's console drivers do while
		 * they wait, tell the NMI watchdog. */
		watchdog_touch_nmi();
	}
	crash_flood_then_oops();
}

void crash_run_early_site(void)
{
	if (chosen == SITE_EARLY)
		crash_early();
}

static void run_init_site(void)
{
	switch (chosen) {
	case SITE_NONE:
		return;
	case SITE_NESTED:
		armed = true;
		crash_init_null();
		break;
	case SITE_INIT_NULL:
		crash_init_null();
		break;
	case SITE_STACK_OVERFLOW:
		crash_stack_overflow(0);
		break;
	case SITE_INIT_DIVZERO:
		crash_init_divzero();
		break;
	case SITE_INIT_BUG:
		crash_init_bug();
		break;
	case SITE_INIT_PANIC:
		crash_init_panic();
		break;
	case SITE_WARN:
		crash_warn();
		break;
	case SITE_GPF:
		crash_gpf();
		break;
	case SITE_INT3:
		crash_int3();
		break;
	case SITE_WRITE_RO:
		crash_write_ro();
		break;
	case SITE_CORRUPT_STACK:
		crash_corrupt_stack();
		break;
	case SITE_SOFTLOCKUP:
		printk(KERN_INFO "crash: softlockup: spinning with interrupts on\n");
		crash_softlockup();
		break;
	case SITE_HARDLOCKUP:
		printk(KERN_INFO "crash: hardlockup: spinning with interrupts off on CPU %u\n",
		       smp_processor_id());
		irq_disable();
		crash_hardlockup();
		break;
	case SITE_IRQ_TIMER:
	case SITE_IRQ_BUG:
	case SITE_IRQ_NIC:
	case SITE_IRQ_NIC_LOCKED:
		printk(KERN_INFO "crash: %s armed\n", site_names[chosen]);
		armed = true;
		break;
	case SITE_FLOOD_THEN_OOPS:
		flood_then_oops();
		break;
	case SITE_SMP_TX_HELD:
	case SITE_SMP_LOG_HELD:
		armed = true;
		run_smp_site();
		break;
	case SITE_SMP_BOTH:
		if (!smp_run_on(1, smp_both_meet)) {
			pr_warn("crash: smp-both: no second CPU, faulting on CPU 0 alone\n");
			smp_both_arrived++;
		}
		smp_both_meet();
		break;
	case SITE_SMP_IRQ_NIC:
		printk(KERN_INFO "crash: %s armed\n", site_names[chosen]);
		armed = true;
		smp_log_until_irq_fault();
		break;
	case SITE_EARLY:
	case SITE_COUNT:
		break;
	}
}

/* crash_cpu=N runs the site on CPU N (from its idle loop, normal context)
 * while the boot CPU idles: the oops then comes from that CPU, on its own
 * stack and tables. */
void crash_run_init_site(void)
{
	if (crash_cpu && chosen != SITE_NONE) {
		if (crash_cpu < smp_num_cpus()) {
			printk(KERN_INFO "crash: %s runs on CPU %u\n", site_names[chosen],
			       crash_cpu);
			if (smp_run_on(crash_cpu, run_init_site))
				return;
		}
		pr_warn("crash: crash_cpu=%u: no such CPU online (%u up), running on CPU 0\n",
			crash_cpu, smp_num_cpus());
	}
	run_init_site();
}

void crash_point(enum crash_point_id where)
{
	/* One deliberate fault per boot: the oops path runs through the same
	 * drivers and must not trip over its own crash points. */
	if (!armed || (oops_in_progress && where != CRASH_POINT_OOPS_REPORT))
		return;
	if (where == CRASH_POINT_TIMER_IRQ && chosen == SITE_IRQ_TIMER &&
	    ++ticks_since_armed >= TIMER_TICKS_BEFORE_CRASH)
		crash_irq_timer();
	if (where == CRASH_POINT_TIMER_IRQ && chosen == SITE_IRQ_BUG &&
	    ++ticks_since_armed >= TIMER_TICKS_BEFORE_CRASH)
		crash_irq_bug();
	if (where == CRASH_POINT_NIC_IRQ && chosen == SITE_IRQ_NIC)
		crash_irq_nic();
	if (where == CRASH_POINT_NIC_TX_RING_FULL && chosen == SITE_FLOOD_THEN_OOPS &&
	    flood_logged >= FLOOD_MIN_RECORDS)
		crash_flood_then_oops();
	if (where == CRASH_POINT_NIC_TX_QUEUED && chosen == SITE_IRQ_NIC_LOCKED && !in_interrupt())
		open_tx_lock_window();
	if (where == CRASH_POINT_NIC_IRQ && chosen == SITE_IRQ_NIC_LOCKED && tx_lock_window)
		crash_irq_nic_locked();
	if (where == CRASH_POINT_NIC_TX_QUEUED && chosen == SITE_SMP_TX_HELD &&
	    smp_processor_id() != 0 && smp_flooded >= SMP_FLOOD_BEFORE_FAULT &&
	    !smp_partner_ready) {
		smp_partner_ready = true;
		udelay(SMP_TX_HOLD_US);
	}
	if (where == CRASH_POINT_NIC_IRQ && chosen == SITE_SMP_IRQ_NIC &&
	    (smp_processor_id() != 0 || smp_num_cpus() == 1))
		crash_smp_irq_nic();
	/* smp-both: the first report waits (bounded) until the other CPU's
	 * fault has reached its oops, so that the panic waits for that report
	 * too: a vCPU the host preempted may fault long after the barrier. */
	if (where == CRASH_POINT_OOPS_REPORT && chosen == SITE_SMP_BOTH && smp_num_cpus() > 1) {
		unsigned other = smp_processor_id() == 0 ? 1 : 0;
		for (unsigned ms = 0; ms < SMP_BOTH_WAIT_MS && !oops_cpu_in_oops(other); ms++)
			mdelay(1);
	}
	if (where == CRASH_POINT_OOPS_REPORT && chosen == SITE_NESTED && !nested_done) {
		nested_done = true;
		crash_oops_nested();
	}
}
