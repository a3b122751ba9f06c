#include "kernel/watchdog.h"

#include <stdbool.h>

#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/ioapic.h"
#include "kernel/oops.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/rtc.h"
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
/* Each CPU's, touched by its own idle loop, checked by its own timer. */
struct softlockup_cpu {
	volatile unsigned ticks_untouched;
	volatile uint64_t touched_ns;
	uint64_t reported_ns;
};
static struct softlockup_cpu softlockup_cpus[SMP_MAX_CPUS];

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
	struct softlockup_cpu *c = &softlockup_cpus[smp_processor_id()];
	c->ticks_untouched = 0;
	c->touched_ns = clock_ns();
}

/* The hard-lockup detector. Each CPU, at each watchdog NMI: its timer count
 * moved since the last NMI that looked (then moved_ns is now), or it did not
 * (stale_nmis counts on). A host that stopped the vCPU longer than the
 * threshold delivers one late NMI before the pending timer interrupt: the
 * second stale NMI in a row is required too. */
struct hardlockup_cpu {
	uint64_t seen;
	uint64_t moved_ns;
	unsigned stale_nmis;
	volatile bool touched;
};

static struct hardlockup_cpu hardlockup_cpus[SMP_MAX_CPUS];
static volatile bool nmi_source_on;
static bool nmi_source_started;
#define HARDLOCKUP_STALE_NMIS_MIN 2

/* The count the CPU's own timer interrupt advances, independently of any
 * watchdog code: the PIT's ticks on CPU 0 (its tick with one CPU and with
 * several), the local APIC timer's on the others. */
static uint64_t timer_count(unsigned cpu)
{
	return cpu == 0 ? timer_ticks() : apic_timer_ticks(cpu);
}

/* The boot CPU's local APIC ID as the CPU reports it (CPUID leaf 1, EBX bits
 * 31..24): with one CPU the local APIC is never mapped. */
static uint8_t boot_cpu_apic_id(void)
{
	uint32_t eax = 1, ebx, ecx = 0, edx;
	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return (uint8_t)(ebx >> 24);
}

static void hardlockup_start(void)
{
	const struct acpi_madt_info *madt = acpi_madt();
	if (!ioapic_ready()) {
		if (!madt->found || !madt->ioapic_address) {
			pr_info("NMI watchdog: no I/O APIC in the ACPI MADT: hard lockup detector off\n");
			return;
		}
		ioapic_init(madt->ioapic_address, madt->ioapic_gsi_base);
	}
	unsigned cpus = smp_num_cpus();
	uint8_t destination = 0;
	/* Each CPU's first NMI takes its count as moved: the lockup is timed
	 * from an NMI that saw the CPU, never from here. */
	for (unsigned cpu = 0; cpu < cpus; cpu++) {
		hardlockup_cpus[cpu].seen = UINT64_MAX;
		destination |= APIC_LOGICAL_ID(cpu);
	}
	if (!smp_active())
		destination = boot_cpu_apic_id();
	rtc_periodic_start();
	/* Before the route: its first NMI may come at once. */
	nmi_source_on = true;
	nmi_source_started = true;
	if (!ioapic_route_nmi(RTC_IRQ, destination, smp_active())) {
		nmi_source_on = false;
		nmi_source_started = false;
		pr_info("NMI watchdog: the I/O APIC has no pin for IRQ %u: hard lockup detector off\n",
			RTC_IRQ);
		return;
	}
	pr_info("NMI watchdog: Enabled: RTC periodic interrupt (IRQ %u) as NMI every %u ms to "
		"CPUs 0-%u; hard lockup after %us\n",
		RTC_IRQ, RTC_PERIODIC_MS, cpus - 1, watchdog_thresh);
}

void watchdog_touch_nmi(void)
{
	hardlockup_cpus[smp_processor_id()].touched = true;
}

void watchdog_nmi_stop(void)
{
	if (!nmi_source_on)
		return;
	nmi_source_on = false;
	ioapic_mask_nmi(RTC_IRQ);
}

bool watchdog_nmi(const struct trap_frame *frame)
{
	if (!nmi_source_started)
		return false;
	rtc_periodic_ack();
	if (!nmi_source_on || oops_in_progress) {
		watchdog_nmi_stop();
		return true;
	}
	unsigned cpu = smp_processor_id();
	struct hardlockup_cpu *h = &hardlockup_cpus[cpu];
	uint64_t count = timer_count(cpu), now = clock_ns();
	if (count != h->seen || h->touched) {
		h->touched = false;
		h->seen = count;
		h->moved_ns = now;
		h->stale_nmis = 0;
		return true;
	}
	if (++h->stale_nmis < HARDLOCKUP_STALE_NMIS_MIN ||
	    now - h->moved_ns < (uint64_t)watchdog_thresh * 1000000000u)
		return true;
	oops_hard_lockup(frame);
}

void watchdog_start(void)
{
	for (unsigned cpu = 0; cpu < SMP_MAX_CPUS; cpu++) {
		softlockup_cpus[cpu].ticks_untouched = 0;
		softlockup_cpus[cpu].touched_ns = clock_ns();
	}
	running = watchdog_thresh != 0;
	if (running)
		hardlockup_start();
}

/* As Linux: the soft-lockup threshold is twice watchdog_thresh, and a CPU
 * that stays stuck is reported again every threshold. */
void watchdog_tick(const struct trap_frame *regs)
{
	uint64_t threshold_ns = 2 * (uint64_t)watchdog_thresh * 1000000000u;
	uint64_t now = clock_ns();
	unsigned cpu = smp_processor_id();
	struct softlockup_cpu *c = &softlockup_cpus[cpu];

	if (!running || oops_in_progress || ++c->ticks_untouched <= STUCK_TICKS_MIN ||
	    now - c->touched_ns <= threshold_ns)
		return;
	if (c->reported_ns > c->touched_ns && now - c->reported_ns <= threshold_ns)
		return;
	c->reported_ns = now;
	unsigned stuck_s = (unsigned)((now - c->touched_ns) / 1000000000u);
	printk(KERN_EMERG "watchdog: BUG: soft lockup - CPU#%u stuck for %us! [swapper/%u:0]\n",
	       cpu, stuck_s, cpu);
	/* As Linux: the modules, then the registers and trace. */
	printk(KERN_EMERG "Modules linked in:\n");
	oops_show_regs(regs);
	if (softlockup_panic)
		panic("softlockup: hung tasks");
}
