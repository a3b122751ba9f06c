#include "kernel/sysrq.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/irq.h"
#include "kernel/memmap.h"
#include "kernel/oops.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"

/* Linux's CONSOLE_LOGLEVEL_DEFAULT: the level the SysRq header is shown at
 * whatever the console's level is. */
#define SYSRQ_HEADER_LOGLEVEL 7

static bool enabled = true;
static volatile char queued_key;

static void run_queued_key(struct irq_work *work)
{
	(void)work;
	char key = queued_key;
	queued_key = 0;
	if (key)
		handle_sysrq(key);
}

static struct irq_work queued_key_work = {.fn = run_queued_key};

struct sysrq_op {
	char key;
	const char *help; /* as in Linux's HELP line */
	const char *action; /* the line printed before the action */
	void (*handler)(char key);
};

void sysrq_init(void)
{
	struct cmdline_param p;
	if (!cmdline_find(kernel_cmdline, "sysrq", &p))
		return;
	if (cmdline_value_is(&p, "0"))
		enabled = false;
	else if (!cmdline_value_is(&p, "1"))
		pr_err("sysrq: bad value \"%.*s\" in sysrq=: expected 0 or 1; keeping sysrq=1\n",
		       (int)(p.value ? p.value_len : 0), p.value ? p.value : "");
}

bool sysrq_on(void)
{
	return enabled;
}

static void sysrq_loglevel(char key)
{
	int level = key - '0';
	console_loglevel = SYSRQ_HEADER_LOGLEVEL;
	pr_info("sysrq: Loglevel set to %d\n", level);
	console_loglevel = level;
}

static void sysrq_crash(char key)
{
	(void)key;
	panic("sysrq triggered crash");
}

static void sysrq_reboot(char key)
{
	(void)key;
	machine_emergency_restart();
}

static void sysrq_poweroff(char key)
{
	(void)key;
	machine_power_off();
}

/* The registers and trace of what the key interrupted. */
static void sysrq_show_regs(char key)
{
	(void)key;
	const struct trap_frame *regs = get_irq_regs();
	if (regs)
		oops_show_regs(regs);
	else
		dump_stack();
}

/* This CPU's registers as Linux's fallback prints them (all there is with
 * one CPU), then each other CPU's backtrace (kernel/smp.c). */
static void sysrq_show_cpus(char key)
{
	pr_info("CPU%u:\n", smp_processor_id());
	sysrq_show_regs(key);
	smp_backtrace_other_cpus();
}

static void sysrq_show_mem(char key)
{
	(void)key;
	unsigned count;
	const struct memmap_range *ranges = memmap_ranges(&count);
	uint64_t total = 0;
	pr_info("Mem-Info:\n");
	for (unsigned i = 0; i < count; i++) {
		pr_info("RAM: [mem 0x%08x-0x%08x] %u KiB\n", (uint32_t)ranges[i].start,
			(uint32_t)(ranges[i].start + ranges[i].length - 1),
			(uint32_t)(ranges[i].length >> 10));
		total += ranges[i].length;
	}
	pr_info("%u pages RAM\n", (uint32_t)(total >> 12));
}

/* The one task there is, the idle task, and what the key interrupted. */
static void sysrq_show_state(char key)
{
	pr_info("task:swapper/0       state:R  running task     stack:0     pid:0     tgid:0     "
		"ppid:0      flags:0x00000000\n");
	sysrq_show_regs(key);
}

static const struct sysrq_op sysrq_ops[] = {
	{'0', "loglevel(0-9)", "Changing Loglevel", sysrq_loglevel},
	{'b', "reboot(b)", "Resetting", sysrq_reboot},
	{'c', "crash(c)", "Trigger a crash", sysrq_crash},
	{'l', "show-backtrace-all-active-cpus(l)", "Show backtrace of all active CPUs",
	 sysrq_show_cpus},
	{'m', "show-memory-usage(m)", "Show Memory", sysrq_show_mem},
	{'o', "poweroff(o)", "Power Off", sysrq_poweroff},
	{'p', "show-registers(p)", "Show Regs", sysrq_show_regs},
	{'t', "show-task-states(t)", "Show State", sysrq_show_state},
};

static const struct sysrq_op *find_op(char key)
{
	if (key >= '0' && key <= '9')
		return &sysrq_ops[0];
	for (size_t i = 1; i < sizeof(sysrq_ops) / sizeof(sysrq_ops[0]); i++)
		if (sysrq_ops[i].key == key)
			return &sysrq_ops[i];
	return NULL;
}

/* As Linux's __handle_sysrq(): the header line is shown whatever the log
 * level; an unknown key gets the help line. */
void handle_sysrq(char key)
{
	if (!enabled)
		return;
	int saved_loglevel = console_loglevel;
	console_loglevel = SYSRQ_HEADER_LOGLEVEL;
	const struct sysrq_op *op = find_op(key);
	if (op) {
		pr_info("sysrq: %s\n", op->action);
		console_loglevel = saved_loglevel;
		op->handler(key);
		return;
	}
	char help[256];
	size_t len = 0;
	for (size_t i = 0; i < sizeof(sysrq_ops) / sizeof(sysrq_ops[0]); i++)
		len += (size_t)ksnprintf(help + len, sizeof(help) - len, "%s ", sysrq_ops[i].help);
	pr_info("sysrq: HELP : %s\n", help);
	console_loglevel = saved_loglevel;
}

void sysrq_queue(char key)
{
	queued_key = key;
	irq_work_queue(&queued_key_work);
}
