#include "kernel/smp.h"

#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/ioapic.h"
#include "kernel/io.h"
#include "kernel/oops.h"
#include "kernel/paging.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/trampoline.h"
#include "kernel/traps.h"
#include "kernel/watchdog.h"

#define PAGE_SIZE 4096
#define AP_STACK_SIZE 16384
/* How long an application processor has to report in after its STARTUP
 * IPIs. Under multi-threaded TCG on a loaded host a vCPU thread may wait
 * long for the host CPU; a real CPU needs microseconds. */
#define AP_START_TIMEOUT_MS 2000

struct cpu {
	uint8_t apic_id;
	volatile bool online;
	/* Halted by the panic (smp_stop_interrupt), or found not to release a
	 * lock within the bound: either way its locks may be taken over. */
	volatile bool stop_requested, stopped, unresponsive;
	/* SysRq l asks for a backtrace; whoever clears it first acts. */
	volatile bool backtrace_requested, backtrace_done;
	/* Where it stopped (smp_stopped_regs()), written before stopped. */
	struct trap_frame stop_regs;
	uint32_t stop_esp;
	void (*volatile work)(void);
};

/* Each application processor's stack, with the unmapped guard page below. */
struct ap_stack {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[AP_STACK_SIZE];
} __attribute__((aligned(PAGE_SIZE)));

static struct cpu cpus[SMP_MAX_CPUS];
static struct ap_stack ap_stacks[SMP_MAX_CPUS];
static unsigned cpu_count = 1;
static bool smp_on;
static unsigned device_irq_cpu;
static uint8_t cpu_of_apic_id[256];
static volatile unsigned booting_cpu;

extern const char boot_stack_bottom[], boot_stack_top[];
extern const char smp_trampoline_start[], smp_trampoline_end[], smp_trampoline_params[];

bool smp_active(void)
{
	return smp_on;
}

unsigned smp_processor_id(void)
{
	if (!smp_on)
		return 0;
	return cpu_of_apic_id[apic_id()];
}

unsigned smp_num_cpus(void)
{
	return cpu_count;
}

uint8_t smp_cpu_apic_id(unsigned cpu)
{
	return cpus[cpu < SMP_MAX_CPUS ? cpu : 0].apic_id;
}

unsigned smp_device_irq_cpu(void)
{
	return device_irq_cpu;
}

bool smp_stack_of(unsigned cpu, uint32_t *bottom, uint32_t *top)
{
	if (cpu == 0) {
		*bottom = (uint32_t)(uintptr_t)boot_stack_bottom;
		*top = (uint32_t)(uintptr_t)boot_stack_top;
		return true;
	}
	if (cpu >= cpu_count || !smp_on)
		return false;
	*bottom = (uint32_t)(uintptr_t)ap_stacks[cpu].stack;
	*top = *bottom + AP_STACK_SIZE;
	return true;
}

bool smp_run_on(unsigned cpu, void (*fn)(void))
{
	if (cpu == 0 || cpu >= cpu_count || !cpus[cpu].online || cpus[cpu].work)
		return false;
	cpus[cpu].work = fn;
	apic_send_ipi(cpus[cpu].apic_id, APIC_CALL_VECTOR);
	return true;
}

/* The interrupt only wakes the idle loop, which runs the work outside
 * interrupt context. */
void smp_call_interrupt(void)
{
}

void smp_backtrace_interrupt(const struct trap_frame *frame)
{
	unsigned cpu = smp_processor_id();
	if (__atomic_exchange_n(&cpus[cpu].backtrace_requested, false, __ATOMIC_ACQ_REL))
		oops_nmi_backtrace(frame);
	/* The requester waits until the block is out. */
	__atomic_store_n(&cpus[cpu].backtrace_done, true, __ATOMIC_RELEASE);
}

void smp_backtrace_other_cpus(void)
{
	if (!smp_on)
		return;
	unsigned self = smp_processor_id();
	for (unsigned cpu = 0; cpu < cpu_count; cpu++) {
		if (cpu == self || !cpus[cpu].online || cpus[cpu].stop_requested)
			continue;
		__atomic_store_n(&cpus[cpu].backtrace_done, false, __ATOMIC_RELAXED);
		__atomic_store_n(&cpus[cpu].backtrace_requested, true, __ATOMIC_RELEASE);
		apic_send_ipi(cpus[cpu].apic_id, APIC_CALL_VECTOR);
		for (unsigned us = 0; us < SMP_BACKTRACE_WAIT_MS * 1000; us += 10) {
			if (__atomic_load_n(&cpus[cpu].backtrace_done, __ATOMIC_ACQUIRE))
				break;
			/* Waiting with interrupts off on purpose, not stuck. */
			watchdog_touch_nmi();
			udelay(10);
		}
		if (__atomic_exchange_n(&cpus[cpu].backtrace_requested, false, __ATOMIC_ACQ_REL))
			pr_warn("sysrq: CPU %u did not answer within %u ms (interrupts off)\n", cpu,
				SMP_BACKTRACE_WAIT_MS);
	}
}

/* Keeps the registers a stopping CPU was caught with, for a crash dump to
 * read once the CPU is marked stopped. */
static void save_stop_regs(const struct trap_frame *frame, uint32_t esp)
{
	struct cpu *c = &cpus[smp_processor_id()];
	c->stop_regs = *frame;
	c->stop_esp = esp;
}

/* For a CPU that stops at a point of its own choosing: the registers its
 * caller (the stopping function) has right after this call returns, so a
 * debugger unwinds from there as from any call site. The caller-saved
 * registers are not known there and stay zero. */
__attribute__((noinline)) static void save_stop_regs_here(void)
{
	const uint32_t *frame = __builtin_frame_address(0);
	struct trap_frame regs = {
		.ebp = frame[0],
		.eip = (uint32_t)(uintptr_t)__builtin_return_address(0),
	};
	__asm__ volatile("mov %%cs, %0\nmov %%ds, %1\nmov %%es, %2\nmov %%fs, %3\nmov %%gs, %4\n"
			 "pushf\npop %5"
			 : "=r"(regs.cs), "=r"(regs.ds), "=r"(regs.es), "=r"(regs.fs),
			   "=r"(regs.gs), "=r"(regs.eflags));
	/* Above the saved EBP and the return address. */
	save_stop_regs(&regs, (uint32_t)(uintptr_t)(frame + 2));
}

/* A CPU the panic stops: it shows where it was (Linux's NMI backtrace), then
 * halts with interrupts off for good. Its records wait in the log ring for
 * the panic to deliver: it may have been stopped inside a delivery. It
 * prints nothing when it was stopped holding the log lock, which it could
 * only take over from itself in the middle of an update. */
static void stop_this_cpu(const struct trap_frame *frame)
{
	unsigned cpu = smp_processor_id();

	if (console_delivering_here())
		return; /* at its next safe point: smp_stop_if_requested() */
	save_stop_regs(frame, trap_frame_esp(frame));
	if (!printk_lock_held_here())
		oops_nmi_backtrace(frame);
	__atomic_store_n(&cpus[cpu].stopped, true, __ATOMIC_RELEASE);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void smp_stop_if_requested(void)
{
	if (!smp_this_cpu_stopping())
		return;
	save_stop_regs_here();
	oops_nmi_backtrace_here();
	__atomic_store_n(&cpus[smp_processor_id()].stopped, true, __ATOMIC_RELEASE);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void smp_stop_interrupt(const struct trap_frame *frame)
{
	if (cpus[smp_processor_id()].stop_requested)
		stop_this_cpu(frame);
}

bool smp_nmi(const struct trap_frame *frame)
{
	if (!smp_on || !cpus[smp_processor_id()].stop_requested)
		return false;
	/* A late NMI (the watchdog's, raised before the panic stopped it)
	 * returns to the halt: the backtrace is out already. */
	if (cpus[smp_processor_id()].stopped)
		return true;
	stop_this_cpu(frame);
	return true;
}

bool smp_this_cpu_stopping(void)
{
	return smp_on && cpus[smp_processor_id()].stop_requested;
}

static bool wait_stopped(unsigned cpu, unsigned ms)
{
	for (unsigned us = 0; us < ms * 1000; us += 10) {
		if (__atomic_load_n(&cpus[cpu].stopped, __ATOMIC_ACQUIRE))
			return true;
		udelay(10);
	}
	return false;
}

void smp_stop_other_cpus(void)
{
	if (!smp_on)
		return;
	unsigned self = smp_processor_id();
	for (unsigned cpu = 0; cpu < cpu_count; cpu++)
		if (cpus[cpu].unresponsive)
			pr_emerg(
				"smp: CPU %u held a lock for more than %u ms during the oops; it was "
				"taken over\n",
				cpu, SMP_TAKE_OVER_BOUND_MS);
	for (unsigned cpu = 0; cpu < cpu_count; cpu++) {
		if (cpu == self || cpus[cpu].stopped)
			continue;
		cpus[cpu].stop_requested = true;
		apic_send_ipi(cpus[cpu].apic_id, APIC_STOP_VECTOR);
		if (wait_stopped(cpu, SMP_STOP_IPI_WAIT_MS))
			continue;
		apic_send_nmi(cpus[cpu].apic_id);
		if (wait_stopped(cpu, SMP_STOP_NMI_WAIT_MS))
			continue;
		cpus[cpu].unresponsive = true;
		pr_emerg("smp: Failed to stop secondary CPU %u: no answer to IPI (%u ms) or NMI "
			 "(%u ms)\n",
			 cpu, SMP_STOP_IPI_WAIT_MS, SMP_STOP_NMI_WAIT_MS);
	}
}

/* An application processor's life after the trampoline: its own tables,
 * its local APIC, then idling, running whatever smp_run_on() hands it. */
__attribute__((noreturn)) static void ap_main(void)
{
	unsigned cpu = booting_cpu;
	trap_init_cpu(cpu);
	apic_init_cpu(cpu);
	__atomic_store_n(&cpus[cpu].online, true, __ATOMIC_RELEASE);
	for (;;) {
		void (*fn)(void) = cpus[cpu].work;
		if (fn) {
			fn();
			cpus[cpu].work = NULL;
		}
		/* Each wakeup shows the soft-lockup watchdog this CPU is not stuck. */
		watchdog_touch();
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

static bool start_cpu(unsigned cpu)
{
	uint8_t *params = (uint8_t *)(uintptr_t)TRAMPOLINE_BASE +
			  (smp_trampoline_params - smp_trampoline_start);
	uint32_t stack_top = (uint32_t)(uintptr_t)(ap_stacks[cpu].stack + AP_STACK_SIZE);
	uint32_t entry = (uint32_t)(uintptr_t)ap_main;
	uint32_t cr3 = paging_directory();

	memcpy(params + TRAMPOLINE_PARAM_CR3, &cr3, 4);
	memcpy(params + TRAMPOLINE_PARAM_STACK, &stack_top, 4);
	memcpy(params + TRAMPOLINE_PARAM_ENTRY, &entry, 4);
	booting_cpu = cpu;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	apic_start_cpu(cpus[cpu].apic_id, TRAMPOLINE_BASE / PAGE_SIZE);
	for (unsigned ms = 0; ms < AP_START_TIMEOUT_MS; ms++) {
		if (__atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE))
			return true;
		mdelay(1);
	}
	return false;
}

static void parse_params(void)
{
	struct cmdline_param p;
	unsigned long n;

	if (!cmdline_find(kernel_cmdline, "nic_irq_cpu", &p))
		return;
	if (!p.value || kparse_u32(p.value, p.value_len, 10, &n) != p.value_len ||
	    n >= SMP_MAX_CPUS) {
		pr_err("smp: bad value \"%.*s\" in nic_irq_cpu=: expected a CPU number 0..%u\n",
		       (int)(p.value ? p.value_len : 0), p.value ? p.value : "", SMP_MAX_CPUS - 1);
		return;
	}
	device_irq_cpu = (unsigned)n;
}

/* As Linux prints the bring-up: the header, one "#N" per CPU started, the
 * summary. */
static void bring_up(const struct acpi_madt_info *madt)
{
	char started[8 * SMP_MAX_CPUS] = "";
	size_t len = 0;

	memcpy((void *)(uintptr_t)TRAMPOLINE_BASE, smp_trampoline_start,
	       (size_t)(smp_trampoline_end - smp_trampoline_start));
	pr_info("smp: Bringing up secondary CPUs ...\n");
	pr_info("x86: Booting SMP configuration:\n");
	for (unsigned i = 0; i < madt->cpu_count; i++) {
		unsigned cpu = cpu_count;
		if (madt->cpu_apic_ids[i] == cpus[0].apic_id)
			continue;
		cpus[cpu].apic_id = madt->cpu_apic_ids[i];
		cpu_of_apic_id[cpus[cpu].apic_id] = (uint8_t)cpu;
		paging_unmap_page((uint32_t)(uintptr_t)ap_stacks[cpu].guard);
		if (!start_cpu(cpu)) {
			pr_err("smpboot: CPU%u (APIC ID %u) did not start within %u ms\n", cpu,
			       cpus[cpu].apic_id, AP_START_TIMEOUT_MS);
			continue;
		}
		cpu_count++;
		len += (size_t)ksnprintf(started + len, sizeof(started) - len, " #%u", cpu);
	}
	pr_info(".... node  #0, CPUs:     %s\n", started);
	pr_info("smp: Brought up 1 node, %u CPUs\n", cpu_count);
}

void smp_init(void)
{
	struct cmdline_param p;
	bool nosmp = cmdline_find(kernel_cmdline, "nosmp", &p);

	parse_params();
	const struct acpi_madt_info *madt = acpi_madt();
	if (nosmp || !madt->found || madt->cpu_count < 2 || !madt->ioapic_address) {
		if (nosmp)
			pr_info("smp: nosmp: running on the boot CPU only\n");
		if (device_irq_cpu)
			pr_warn("smp: nic_irq_cpu=%u ignored: one CPU\n", device_irq_cpu);
		device_irq_cpu = 0;
		return;
	}
	uint32_t flags = irq_save();
	apic_init_boot(madt->lapic_address);
	cpus[0].apic_id = apic_id();
	cpu_of_apic_id[cpus[0].apic_id] = 0;
	apic_init_cpu(0);
	cpus[0].online = true;
	smp_on = true;
	ioapic_init(madt->ioapic_address, madt->ioapic_gsi_base);
	irq_restore(flags);
	bring_up(madt);
	if (device_irq_cpu >= cpu_count) {
		pr_warn("smp: nic_irq_cpu=%u ignored: only %u CPUs\n", device_irq_cpu, cpu_count);
		device_irq_cpu = 0;
	}
}

bool spin_may_take_over(const struct spinlock *lock, uint64_t *deadline)
{
	unsigned owner = lock->owner_cpu;
	if (!smp_on || owner == smp_processor_id() || owner >= cpu_count || cpus[owner].stopped ||
	    cpus[owner].unresponsive)
		return true;
	if (!deadline)
		return false;
	uint64_t now = clock_ns();
	if (!*deadline) {
		*deadline = now + (uint64_t)SMP_TAKE_OVER_BOUND_MS * 1000000;
		return false;
	}
	if (now < *deadline)
		return false;
	cpus[owner].unresponsive = true;
	return true;
}

bool smp_cpu_unresponsive(unsigned cpu)
{
	return cpu < cpu_count && cpus[cpu].unresponsive;
}

void smp_stop_self(void)
{
	unsigned cpu = smp_processor_id();
	cpus[cpu].stop_requested = true;
	save_stop_regs_here();
	__atomic_store_n(&cpus[cpu].stopped, true, __ATOMIC_RELEASE);
	for (;;)
		__asm__ volatile("cli; hlt");
}

bool smp_stopped_regs(unsigned cpu, struct trap_frame *regs, uint32_t *esp)
{
	if (!smp_on || cpu >= cpu_count || cpu == smp_processor_id() ||
	    !__atomic_load_n(&cpus[cpu].stopped, __ATOMIC_ACQUIRE))
		return false;
	*regs = cpus[cpu].stop_regs;
	*esp = cpus[cpu].stop_esp;
	return true;
}
