#include "kernel/printk.h"

#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/oops.h"
#include "kernel/profile.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/timer.h"

int console_loglevel = 7;
volatile int oops_in_progress;

static uint8_t log_buffer[128 * 1024] __attribute__((aligned(8)));
static struct logring log_ring;
static struct spinlock log_lock = SPINLOCK_INIT;
static int log_ready;

struct logring *printk_logring(void)
{
	if (!log_ready) {
		logring_init(&log_ring, log_buffer, sizeof(log_buffer));
		log_ready = 1;
	}
	return &log_ring;
}

/* During an oops the lock may belong to the context that faulted; it will
 * never run again, so the lock is taken over rather than waited for. The
 * unlock releases it either way: its frozen holder never looks again. */
uint32_t printk_lock(void)
{
	uint32_t flags;
	spin_lock_or_take_over(&log_lock, &flags);
	return flags;
}

void printk_unlock(uint32_t flags)
{
	spin_unlock(&log_lock);
	irq_restore(flags);
}

bool printk_lock_held_here(void)
{
	return log_lock.locked && log_lock.owner_cpu == smp_processor_id();
}

/* Once an oops or a panic has begun on another CPU, this CPU stays silent
 * until the panic stops it (or it begins an oops of its own): its records
 * would fall between the lines of the report. A CPU being stopped prints
 * its backtrace; the context it broke into never resumes. */
static bool bystander(void)
{
	return oops_in_progress && !oops_reporting_here() && !smp_this_cpu_stopping();
}

static void wait_while_bystander(void)
{
	while (!oops_reporting_here())
		cpu_relax();
}

/* The log lock for a record, checked under the lock, so that no record of a
 * bystander lands after the report's first line. */
static uint32_t printk_lock_unless_bystander(void)
{
	for (;;) {
		uint32_t flags = printk_lock();
		if (!bystander())
			return flags;
		printk_unlock(flags);
		wait_while_bystander();
	}
}

static void store_line(uint8_t level, const char *text, size_t len)
{
	enum profile_stage caller = profile_enter(PROFILE_RING);
	uint32_t flags = printk_lock_unless_bystander();
	logring_append(printk_logring(), level, clock_ns(), text, len);
	printk_unlock(flags);
	profile_enter(caller);
}

int vprintk(const char *fmt, va_list ap)
{
	static char buf[LOG_TEXT_MAX + 1];
	static struct spinlock buf_lock = SPINLOCK_INIT;
	uint8_t level = LOGLEVEL_DEFAULT;
	enum profile_stage caller = profile_enter(PROFILE_FORMAT);

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = (uint8_t)(fmt[1] - '0');
		fmt += 2;
	}

	/* A bystander waits holding no lock, so the report never waits for it. */
	uint32_t flags;
	bool locked;
	for (;;) {
		if (bystander())
			wait_while_bystander();
		locked = spin_lock_or_take_over(&buf_lock, &flags);
		if (!bystander())
			break;
		spin_unlock_if_held(&buf_lock, locked, flags);
	}
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	/* One record per line, as the consoles print one line per record. */
	size_t start = 0;
	for (;;) {
		const char *newline = memchr(buf + start, '\n', len - start);
		size_t end = newline ? (size_t)(newline - buf) : len;
		if (end > start || (!newline && start == 0))
			store_line(level, buf + start, end - start);
		if (!newline)
			break;
		start = end + 1;
	}
	spin_unlock_if_held(&buf_lock, locked, flags);

	console_flush();
	profile_enter(caller);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
