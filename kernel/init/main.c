/* Boot: from the Multiboot entry to the idle loop, in the order a reader
 * expects: consoles first, then CPU tables, memory, time, the other CPUs, devices,
 * netconsole and what sends through it (netdump, the echo service), the
 * harness's measurements, and last the crash site the command line chose.
 * The one place that knows every layer, and the order they start in. */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/harness/bench.h"
#include "kernel/harness/chatter.h"
#include "kernel/acpi.h"
#include "kernel/cmdline.h"
#include "kernel/dmi.h"
#include "kernel/harness/crash.h"
#include "kernel/harness/echo_service.h"
#include "kernel/format.h"
#include "kernel/io.h"
#include "kernel/irq.h"
#include "kernel/logring.h"
#include "kernel/memmap.h"
#include "kernel/multiboot.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/pci.h"
#include "kernel/printk.h"
#include "kernel/serial.h"
#include "kernel/smp.h"
#include "kernel/stackprotector.h"
#include "kernel/sysrq.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/traps.h"
#include "kernel/version.h"
#include "kernel/watchdog.h"
#include "netconsole/netconsole.h"
#include "netconsole/netdump.h"

static char cmdline_kept[COMMAND_LINE_SIZE];

static void save_cmdline(uint32_t magic, const struct multiboot_info *mbi)
{
	struct cmdline_cut cut;

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		pr_err("boot: not started by a Multiboot loader (magic %08x)\n", magic);
		return;
	}
	if (!(mbi->flags & MULTIBOOT_INFO_CMDLINE))
		return;
	cmdline_copy(cmdline_kept, sizeof(cmdline_kept), (const char *)(uintptr_t)mbi->cmdline,
		     &cut);
	kernel_cmdline = cmdline_kept;
	if (cut.dropped) {
		int shown = cut.first_dropped_len > 64 ? 64 : (int)cut.first_dropped_len;
		pr_warn("Kernel command line longer than %u bytes (%zu): %u parameter%s ignored, "
			"from \"%.*s%s\" on\n",
			COMMAND_LINE_SIZE - 1, cut.length, cut.dropped, cut.dropped > 1 ? "s" : "",
			shown, cut.first_dropped,
			(size_t)shown < cut.first_dropped_len ? "..." : "");
	}
}

/* As Linux prints it; a line longer than a log record takes several,
 * split between parameters. */
static void print_cmdline(void)
{
	const char *prefix = "Kernel command line: ";
	const char *rest = kernel_cmdline;

	do {
		const char *head = rest;
		size_t len = cmdline_head(head, LOG_TEXT_MAX - strlen(prefix), &rest);
		printk(KERN_NOTICE "%s%.*s\n", prefix, (int)len, head);
		prefix = "Kernel command line (continued): ";
	} while (*rest);
}

static void loglevel_init(void)
{
	struct cmdline_param p;
	if (!cmdline_find(kernel_cmdline, "loglevel", &p))
		return;
	unsigned long level;
	if (!p.value || kparse_u32(p.value, p.value_len, 10, &level) != p.value_len || level > 15) {
		pr_err("loglevel: bad value \"%.*s\" in loglevel=: expected 0..15\n",
		       (int)(p.value ? p.value_len : 0), p.value ? p.value : "");
		return;
	}
	console_loglevel = (int)level;
}

/* Linux's line for parameters no handler took (it passes them to user
 * space; here nothing uses them). By now every module has asked for its
 * own. */
static void warn_unknown_params(void)
{
	char list[256];

	if (cmdline_unknown(list, sizeof(list)))
		pr_warn("Unknown kernel command line parameters \"%s\", ignored\n", list);
}

/* Each wakeup shows the watchdog the kernel is not stuck. */
static void idle(void)
{
	for (;;) {
		watchdog_touch();
		__asm__ volatile("sti; hlt");
	}
}

/* The NICs and netconsole, once: at boot, or from panic() when a crash came
 * before boot got here, so the log still leaves over the network. netdump
 * sends from the device and address of netconsole's first target. */
static void start_network(void)
{
	static bool started;
	if (started)
		return;
	started = true;
	pci_scan();
	netconsole_init();
	netdump_init(netconsole_netpoll(0));
	echo_service_init();
}

void kernel_main(uint32_t magic, const struct multiboot_info *mbi)
{
	stack_protector_init();
	serial_init();
	console_register(&serial_console);
	save_cmdline(magic, mbi);
	loglevel_init();
	printk(KERN_NOTICE KERNEL_NAME " version " KERNEL_RELEASE " (i686) " KERNEL_BUILD "\n");
	print_cmdline();
	if (magic == MULTIBOOT_BOOTLOADER_MAGIC)
		memmap_init(mbi);
	/* Before paging: the firmware's pointer to its tables is in page 0. */
	acpi_madt_init();
	panic_init();
	watchdog_init();
	sysrq_init();
	crash_init();

	trap_init();
	paging_init();
	dmi_setup();
	irq_init();
	timer_init();
	serial_irq_init();
	irq_enable();
	printk(KERN_INFO "Paging on, page 0 unmapped; timer at %u Hz\n", TIMER_HZ);
	smp_init();

	panic_register_early(start_network);
	crash_run_early_site();
	start_network();
	bench_run();
	chatter_run();
	warn_unknown_params();

	watchdog_start();
	crash_run_init_site();
	printk(KERN_INFO "Kernel ready (crash=%s), idling\n", crash_site_name());
	idle();
}
