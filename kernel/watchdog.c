#include "kernel/watchdog.h"

#include <stdbool.h>

#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/oops.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/timer.h"

static unsigned watchdog_thresh = WATCHDOG_THRESH_DEFAULT;
static bool softlockup_panic;
static bool running;
/* Stuck means the threshold passed since the last touch with at least this
 * many ticks between: a host that stops the vCPU for a while delivers one
 * late tick, and the idle loop touches the watchdog after it, so an idle
 * kernel is never taken for a stuck one. */
#define STUCK_TICKS_MIN 10
static volatile unsigned ticks_untouched;
static volatile uint64_t touched_ns;
static uint64_t reported_ns;

static void bad_value(const struct cmdline_param *p, const char *expected, const char *keeping)
{
	pr_err("watchdog: bad value \"%.*s\" in %.*s=: expected %s; keeping %s\n",
	       (int)(p->value ? p->value_len : 0), p->value ? p->value : "", (int)p->key_len,
	       p->key, expected, keeping);
}

void watchdog_init(void)
{
	struct cmdline_param p;
	unsigned long n;

	if (cmdline_find(kernel_cmdline, "watchdog_thresh", &p)) {
		if (p.value && kparse_u32(p.value, p.value_len, 10, &n) == p.value_len &&
		    n <= WATCHDOG_THRESH_MAX) {
			watchdog_thresh = (unsigned)n;
		} else {
			char keeping[32];
			ksnprintf(keeping, sizeof(keeping), "watchdog_thresh=%u", watchdog_thresh);
			bad_value(&p, "whole seconds 0..60", keeping);
		}
	}
	if (cmdline_find(kernel_cmdline, "softlockup_panic", &p)) {
		if (cmdline_value_is(&p, "1"))
			softlockup_panic = true;
		else if (!cmdline_value_is(&p, "0"))
			bad_value(&p, "0 or 1", "softlockup_panic=0");
	}
}

void watchdog_touch(void)
{
	ticks_untouched = 0;
	touched_ns = clock_ns();
}

void watchdog_start(void)
{
	watchdog_touch();
	running = watchdog_thresh != 0;
}

/* As Linux: the soft-lockup threshold is twice watchdog_thresh, and a CPU
 * that stays stuck is reported again every threshold. */
void watchdog_tick(const struct trap_frame *regs)
{
	uint64_t threshold_ns = 2 * (uint64_t)watchdog_thresh * 1000000000u;
	uint64_t now = clock_ns();

	if (!running || oops_in_progress || ++ticks_untouched <= STUCK_TICKS_MIN ||
	    now - touched_ns <= threshold_ns)
		return;
	if (reported_ns > touched_ns && now - reported_ns <= threshold_ns)
		return;
	reported_ns = now;
	unsigned stuck_s = (unsigned)((now - touched_ns) / 1000000000u);
	unsigned cpu = smp_processor_id();
	printk(KERN_EMERG "watchdog: BUG: soft lockup - CPU#%u stuck for %us! [swapper/%u:0]\n",
	       cpu, stuck_s, cpu);
	/* As Linux: the modules, then the registers and trace. */
	printk(KERN_EMERG "Modules linked in:\n");
	oops_show_regs(regs);
	if (softlockup_panic)
		panic("softlockup: hung tasks");
}
