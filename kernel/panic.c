#include "kernel/panic.h"

#include <stdarg.h>

#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/io.h"
#include "kernel/oops.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/timer.h"
#include "kernel/watchdog.h"

static int panic_timeout;
bool panic_on_warn;
/* The formatted panic() argument, kept for panic_message(). */
static char panic_text[256];

#define PANIC_HOOKS_MAX 4

struct panic_hooks {
	panic_hook_fn fn[PANIC_HOOKS_MAX];
	unsigned count;
};

static struct panic_hooks early_hooks, late_hooks;

static int add_hook(struct panic_hooks *hooks, panic_hook_fn fn)
{
	if (hooks->count == PANIC_HOOKS_MAX)
		return -1;
	hooks->fn[hooks->count++] = fn;
	return 0;
}

static void run_hooks(const struct panic_hooks *hooks)
{
	for (unsigned i = 0; i < hooks->count; i++)
		hooks->fn[i]();
}

int panic_register_early(panic_hook_fn fn)
{
	return add_hook(&early_hooks, fn);
}

int panic_register_late(panic_hook_fn fn)
{
	return add_hook(&late_hooks, fn);
}

const char *panic_message(void)
{
	return panic_text;
}

static void panic_on_warn_init(void)
{
	struct cmdline_param p;
	if (!cmdline_find(kernel_cmdline, "panic_on_warn", &p))
		return;
	if (cmdline_value_is(&p, "1"))
		panic_on_warn = true;
	else if (!cmdline_value_is(&p, "0"))
		pr_err("panic: bad value \"%.*s\" in panic_on_warn=: expected 0 or 1; keeping "
		       "panic_on_warn=0\n",
		       (int)(p.value ? p.value_len : 0), p.value ? p.value : "");
}

void panic_init(void)
{
	struct cmdline_param p;
	panic_on_warn_init();
	if (!cmdline_find(kernel_cmdline, "panic", &p))
		return;
	const char *v = p.value;
	size_t len = v ? p.value_len : 0;
	bool negative = len && v[0] == '-';
	unsigned long n;
	size_t used = len > (size_t)negative ? kparse_u32(v + negative, len - negative, 10, &n) : 0;
	if (!used || used != len - negative || n > 3600) {
		pr_err("panic: bad value \"%.*s\" in panic=: expected whole seconds, e.g. panic=10, "
		       "panic=-1 or panic=0; keeping panic=%d\n",
		       (int)len, v ? v : "", panic_timeout);
		return;
	}
	panic_timeout = negative ? -(int)n : (int)n;
}

/* The keyboard controller's reset line; a triple fault if that does not
 * take. Under qemu -no-reboot either one ends QEMU. */
void machine_emergency_restart(void)
{
	for (int i = 0; i < 1000 && (inb(0x64) & 0x02); i++)
		udelay(10);
	outb(0x64, 0xfe);
	mdelay(100);
	static const struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) no_idt = {0, 0};
	__asm__ volatile("lidt %0; int $3" : : "m"(no_idt));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* ACPI S5 through the PM1a control register where QEMU's machines put it
 * (0x604 on current ones, 0xb004 on older ones), then a halt. */
void machine_power_off(void)
{
	irq_disable();
	console_flush();
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void panic(const char *fmt, ...)
{
	static int panicking;

	irq_disable();
	watchdog_nmi_stop();
	/* One panic: a CPU that panics second stops itself, as Linux's
	 * panic_smp_self_stop(). */
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		smp_stop_self();
	oops_mark_panic_here();
	bool after_oops = oops_in_progress;
	oops_in_progress = 1;

	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(panic_text, sizeof(panic_text), fmt, ap);
	va_end(ap);

	run_hooks(&early_hooks);
	/* Another CPU's oops report comes out whole before the panic. */
	oops_wait_for_reports();
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", panic_text);
	/* An oops has just shown the trace; a plain panic() shows its own. */
	if (!after_oops)
		dump_stack();
	/* Nothing else runs from here on. */
	smp_stop_other_cpus();
	if (panic_timeout > 0)
		printk(KERN_EMERG "Rebooting in %d seconds..\n", panic_timeout);
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", panic_text);
	console_flush();
	run_hooks(&late_hooks);

	if (panic_timeout > 0)
		mdelay((uint32_t)panic_timeout * 1000);
	if (panic_timeout != 0)
		machine_emergency_restart();
	for (;;)
		__asm__ volatile("cli; hlt");
}
