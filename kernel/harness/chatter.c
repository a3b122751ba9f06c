#include "kernel/harness/chatter.h"

#include <stdint.h>

#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "kernel/timer.h"

/* Enough for a minute of lines at any interval a test would pick. */
#define CHATTER_COUNT_MAX 100000
#define CHATTER_INTERVAL_MAX_MS 60000

static bool parse(const struct cmdline_param *p, unsigned long *interval_ms, unsigned long *count)
{
	if (!p->value)
		return false;
	size_t used = kparse_u32(p->value, p->value_len, 10, interval_ms);
	if (!used || used >= p->value_len || p->value[used] != ':')
		return false;
	size_t rest = p->value_len - used - 1;
	if (kparse_u32(p->value + used + 1, rest, 10, count) != rest || !rest)
		return false;
	return *interval_ms >= 1 && *interval_ms <= CHATTER_INTERVAL_MAX_MS && *count >= 1 &&
	       *count <= CHATTER_COUNT_MAX;
}

void chatter_run(void)
{
	struct cmdline_param p;
	unsigned long interval_ms, count;

	if (!cmdline_find(kernel_cmdline, "chatter", &p))
		return;
	if (!parse(&p, &interval_ms, &count)) {
		pr_err("chatter: bad value \"%.*s\" in chatter=: expected MS:COUNT, MS 1..%u, "
		       "COUNT 1..%u\n",
		       (int)(p.value ? p.value_len : 0), p.value ? p.value : "",
		       CHATTER_INTERVAL_MAX_MS, CHATTER_COUNT_MAX);
		return;
	}
	/* Paced by timer ticks, so the lines keep coming at the same rate
	 * whatever the consoles cost. */
	uint64_t next = timer_ticks();
	for (unsigned long i = 1; i <= count; i++) {
		next += interval_ms * TIMER_HZ / 1000;
		while (timer_ticks() < next)
			__asm__ volatile("sti; hlt");
		printk(KERN_INFO "chatter: line %lu of %lu\n", i, count);
	}
}
