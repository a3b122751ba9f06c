#include "kernel/oops.h"

#include <stdbool.h>

#include "kernel/bug.h"
#include "kernel/crash_point.h"
#include "kernel/dmi.h"
#include "kernel/format.h"
#include "kernel/io.h"
#include "kernel/irq.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/symbols.h"
#include "kernel/timer.h"
#include "kernel/unwind.h"
#include "kernel/version.h"
#include "kernel/watchdog.h"

#define PF_PROTECTION 0x01
#define PF_WRITE 0x02
#define PF_USER 0x04
#define PF_RESERVED 0x08
#define PF_INSTRUCTION 0x10
#define PAGE_SIZE 4096

/* Linux's show_opcodes() window: 42 bytes before EIP, 21 after. */
#define CODE_PROLOGUE 42
#define CODE_EPILOGUE 21

extern const struct bug_entry __bug_table_start[], __bug_table_end[];

static int die_counter;
/* The first reported fault (qemu/netconsole.gdb's nc-fault reads it), and
 * each CPU's own first one. */
static const struct trap_frame *fault_frame;
static const struct trap_frame *cpu_fault_frame[SMP_MAX_CPUS];

const struct trap_frame *oops_fault_frame_here(void)
{
	return cpu_fault_frame[smp_processor_id()];
}

static uint64_t first_oops_ns;

uint64_t oops_start_ns(void)
{
	return first_oops_ns;
}

const struct bug_entry *bug_find(uint32_t addr)
{
	for (const struct bug_entry *bug = __bug_table_start; bug < __bug_table_end; bug++)
		if (bug->addr == addr)
			return bug;
	return NULL;
}

static void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* One report at a time, as Linux's die_lock: the CPU that holds it may
 * re-enter for a fault inside its own report; another CPU's oops waits
 * (counted in die_waiters, so that the panic lets it finish), then reports
 * as the next [#N]. */
static struct spinlock die_lock = SPINLOCK_INIT;
static volatile unsigned die_waiters;
static volatile int oops_depth[SMP_MAX_CPUS];
static volatile bool oops_waiting[SMP_MAX_CPUS];
/* Counted in die_waiters ahead of its fault (oops_announce). */
static volatile bool oops_announced[SMP_MAX_CPUS];
/* The CPU running panic() (-1 before): it reports too. */
static volatile int panic_here_cpu = -1;

/* Every fault enters the oops path here, with the registers it trapped with
 * (each CPU's first are the ones oops_fault_frame_here() gives it): a
 * debugger stops here to see the fault before anything is printed
 * (qemu/netconsole.gdb). A fault inside the oops report gets one more
 * report ([#2]); a fault in that one gets a single line; anything deeper
 * halts silently. */
__attribute__((noinline)) static void oops_begin(const struct trap_frame *frame)
{
	irq_disable();
	watchdog_nmi_stop();
	unsigned cpu = smp_processor_id();
	if (!oops_depth[cpu]) {
		oops_waiting[cpu] = true;
		if (!oops_announced[cpu])
			__atomic_add_fetch(&die_waiters, 1, __ATOMIC_SEQ_CST);
		while (!spin_trylock(&die_lock))
			cpu_relax();
		__atomic_sub_fetch(&die_waiters, 1, __ATOMIC_SEQ_CST);
	}
	if (!fault_frame)
		fault_frame = frame;
	if (!cpu_fault_frame[cpu])
		cpu_fault_frame[cpu] = frame;
	if (!oops_in_progress)
		first_oops_ns = clock_ns();
	oops_depth[cpu]++;
	oops_in_progress = 1;
	if (oops_depth[cpu] == 3)
		printk(KERN_EMERG "Fault while reporting an oops; halting\n");
	if (oops_depth[cpu] >= 3)
		halt_forever();
}

void oops_announce(void)
{
	unsigned cpu = smp_processor_id();
	if (oops_announced[cpu])
		return;
	oops_announced[cpu] = true;
	__atomic_add_fetch(&die_waiters, 1, __ATOMIC_SEQ_CST);
}

/* The report is out: another CPU's oops may print its own now. */
static void oops_end(void)
{
	if (oops_depth[smp_processor_id()] == 1)
		spin_unlock(&die_lock);
}

void oops_wait_for_reports(void)
{
	uint64_t deadline = clock_ns() + (uint64_t)OOPS_REPORT_WAIT_MS * 1000000;
	while ((die_waiters || (die_lock.locked && die_lock.owner_cpu != smp_processor_id())) &&
	       clock_ns() < deadline)
		cpu_relax();
}

static void print_symbol_line(const char *prefix, uint32_t addr)
{
	char sym[128];
	symbol_format(addr, sym, sizeof(sym));
	printk(KERN_EMERG "%s%s\n", prefix, sym);
}

/* A return address can lie just past the end of a function whose last
 * instruction is a call to a noreturn function, so the function is looked up
 * by the call instruction (address - 1), as Linux does for %pB. The offset
 * printed is still that of the return address. */
static void print_return_address(uint32_t ret)
{
	struct symbol_info sym;
	if (ret && symbol_lookup(ret - 1, &sym))
		printk(KERN_EMERG " %s+0x%x/0x%x\n", sym.name, ret - sym.addr, sym.size);
	else
		printk(KERN_EMERG " 0x%08x\n", ret);
}

static void show_code(uint32_t eip)
{
	uint32_t start = eip - CODE_PROLOGUE;
	if (eip < CODE_PROLOGUE || !paging_mapped(start, CODE_PROLOGUE + 1 + CODE_EPILOGUE)) {
		printk(KERN_EMERG "Code: Unable to access opcode bytes at 0x%08x.\n", start);
		return;
	}
	char line[8 + (CODE_PROLOGUE + 1 + CODE_EPILOGUE) * 3 + 4];
	size_t len = 0;
	const uint8_t *bytes = (const uint8_t *)(uintptr_t)start;
	for (uint32_t i = 0; i < CODE_PROLOGUE + 1 + CODE_EPILOGUE; i++) {
		const char *fmt = i == CODE_PROLOGUE ? "<%02x>" : "%02x";
		if (i)
			line[len++] = ' ';
		len += (size_t)ksnprintf(line + len, sizeof(line) - len, fmt, bytes[i]);
	}
	printk(KERN_EMERG "Code: %s\n", line);
}

static uint32_t read_cr(int which)
{
	uint32_t v = 0;
	switch (which) {
	case 0:
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
		break;
	case 2:
		__asm__ volatile("mov %%cr2, %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("mov %%cr3, %0" : "=r"(v));
		break;
	case 4:
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
		break;
	}
	return v;
}

static void show_regs(const struct trap_frame *f)
{
	print_symbol_line("EIP: ", f->eip);
	show_code(f->eip);
	printk(KERN_EMERG "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n", f->eax, f->ebx, f->ecx,
	       f->edx);
	printk(KERN_EMERG "ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n", f->esi, f->edi, f->ebp,
	       trap_frame_esp(f));
	uint16_t ss;
	__asm__ volatile("mov %%ss, %0" : "=r"(ss));
	printk(KERN_EMERG "DS: %04x ES: %04x FS: %04x GS: %04x SS: %04x EFLAGS: %08x\n",
	       f->ds & 0xffff, f->es & 0xffff, f->fs & 0xffff, f->gs & 0xffff, ss, f->eflags);
	printk(KERN_EMERG "CR0: %08x CR2: %08x CR3: %08x CR4: %08x\n", read_cr(0), read_cr(2),
	       read_cr(3), read_cr(4));
}

static bool in_entry_code(uint32_t addr)
{
	return addr >= (uint32_t)(uintptr_t)trap_entry_start &&
	       addr < (uint32_t)(uintptr_t)trap_entry_end;
}

/* The caller of a faulting function that has no frame of its own would be
 * missing from the chain: find it above ESP. When the frame at EBP returns
 * to that same place, the function did have a frame (its prologue was
 * laid out in another order) and the walk prints the caller itself. */
static void show_frameless_caller(const struct trap_frame *fault)
{
	struct symbol_info sym;
	struct stack_range range;
	uint32_t esp = trap_frame_esp(fault), ret, next, walk_ret;
	if (!symbol_lookup(fault->eip, &sym) || !unwind_stack_of(esp, &range) ||
	    !unwind_frameless_return(&range, esp, sym.addr, fault->eip, &ret))
		return;
	if (unwind_frame(&range, fault->ebp, &next, &walk_ret) && walk_ret == ret)
		return;
	print_return_address(ret);
}

/* Walks the frame-pointer chain from ebp. A return address inside the trap
 * entry code means the frame above belongs to trap_dispatch(), whose argument
 * is the trap frame of the interrupted context: the walk crosses over to it,
 * closing the <IRQ> section when the trap was an interrupt. */
static void show_trace(uint32_t ebp, const struct trap_frame *fault)
{
	/* The context an interrupt handler interrupted is no IRQ context. */
	bool irq_section = in_interrupt() && !(fault && fault == get_irq_regs());
	printk(KERN_EMERG "Call Trace:\n");
	if (irq_section)
		printk(KERN_EMERG " <IRQ>\n");
	if (fault)
		show_frameless_caller(fault);
	for (int frames = 0;; frames++) {
		struct stack_range range;
		uint32_t next, ret;
		if (!unwind_stack_of(ebp, &range) || !unwind_frame(&range, ebp, &next, &ret) ||
		    !ret)
			break;
		/* Another frame exists beyond the bound: say so, never cut silently. */
		if (frames == UNWIND_MAX_FRAMES) {
			printk(KERN_EMERG " ... (more frames beyond %d not shown)\n",
			       UNWIND_MAX_FRAMES);
			break;
		}
		print_return_address(ret);
		/* By the call (ret - 1): a noreturn call that ends the function
		 * linked right before the entry code returns to its first byte. */
		if (in_entry_code(ret - 1)) {
			uint32_t arg_slot = ebp + 8;
			if (arg_slot > range.top - 4)
				break;
			uint32_t tf_addr = *(const uint32_t *)(uintptr_t)arg_slot;
			if (tf_addr < range.bottom ||
			    tf_addr > range.top - sizeof(struct trap_frame))
				break;
			const struct trap_frame *tf = (const struct trap_frame *)(uintptr_t)tf_addr;
			if (irq_section && tf->vector >= IRQ_VECTOR_BASE) {
				printk(KERN_EMERG " </IRQ>\n");
				irq_section = false;
			}
			print_symbol_line(" ", tf->eip);
			show_frameless_caller(tf);
			next = tf->ebp;
		}
		if (next <= ebp)
			break;
		ebp = next;
	}
	if (irq_section)
		printk(KERN_EMERG " </IRQ>\n");
}

/* The idle task is the only one: Linux names CPU N's "swapper/N". */
static const char *current_comm(void)
{
	static char comm[SMP_MAX_CPUS][16];
	unsigned cpu = smp_processor_id();
	ksnprintf(comm[cpu], sizeof(comm[cpu]), "swapper/%u", cpu);
	return comm[cpu];
}

/* Linux's dump_stack_print_info(): the task line and the machine. */
static void show_task_line(void)
{
	printk(KERN_EMERG "CPU: %u PID: 0 Comm: %s Not tainted " KERNEL_RELEASE " " KERNEL_BUILD
			  "\n",
	       smp_processor_id(), current_comm());
	printk(KERN_EMERG "Hardware name: %s\n", dmi_hardware_name());
}

void oops_show_regs(const struct trap_frame *frame)
{
	show_task_line();
	show_regs(frame);
	show_trace(frame->ebp, frame);
}

__attribute__((noinline)) static void show_stack_here(void)
{
	show_trace((uint32_t)(uintptr_t)__builtin_frame_address(0), NULL);
}

void dump_stack(void)
{
	show_task_line();
	show_stack_here();
}

__attribute__((noreturn)) static void die_body(const char *title, struct trap_frame *frame,
					       uint32_t error_code)
{
	printk(KERN_EMERG "%s: %04x [#%d]\n", title, error_code & 0xffff, ++die_counter);
	show_task_line();
	show_regs(frame);
	show_trace(frame->ebp, frame);
	/* Linux's print_modules(); this kernel has none. */
	printk(KERN_EMERG "Modules linked in:\n");
	crash_hook(CRASH_POINT_OOPS_REPORT);
	printk(KERN_EMERG "---[ end trace 0000000000000000 ]---\n");
	oops_end();
	if (in_interrupt())
		panic("Fatal exception in interrupt");
	panic("Fatal exception");
}

void oops_die(const char *title, struct trap_frame *frame, uint32_t error_code)
{
	oops_begin(frame);
	die_body(title, frame, error_code);
}

/* A WARN: the registers and trace of the code that warned, then (unless
 * panic_on_warn=1 makes it a panic, as in Linux) that code goes on past its
 * ud2. No oops: nothing is taken over and the oops counter stays. */
static void report_warning(struct trap_frame *frame, const struct bug_entry *bug)
{
	char sym[128];
	symbol_format(frame->eip, sym, sizeof(sym));
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	printk(KERN_WARNING "WARNING: CPU: %u PID: 0 at %s:%u %s\n", smp_processor_id(), bug->file,
	       bug->line, sym);
	/* Linux's __warn() lists the modules before the registers. */
	printk(KERN_WARNING "Modules linked in:\n");
	show_task_line();
	show_regs(frame);
	show_trace(frame->ebp, frame);
	if (panic_on_warn)
		panic("kernel: panic_on_warn set ...");
	printk(KERN_WARNING "---[ end trace 0000000000000000 ]---\n");
	frame->eip += BUG_UD2_LEN;
}

void oops_invalid_opcode(struct trap_frame *frame)
{
	const struct bug_entry *bug = bug_find(frame->eip);
	if (bug && (bug->flags & BUGFLAG_WARNING)) {
		report_warning(frame, bug);
		return;
	}
	oops_begin(frame);
	if (bug) {
		printk(KERN_EMERG "------------[ cut here ]------------\n");
		printk(KERN_EMERG "kernel BUG at %s:%u!\n", bug->file, bug->line);
	}
	die_body("invalid opcode", frame, 0);
}

static const char *fault_reason(uint32_t error_code)
{
	if (!(error_code & PF_PROTECTION))
		return "not-present page";
	if (error_code & PF_RESERVED)
		return "reserved bit violation";
	return "permissions violation";
}

void oops_page_fault(struct trap_frame *frame, uint32_t address)
{
	oops_begin(frame);
	uint32_t err = frame->error_code;
	if (address < PAGE_SIZE && !(err & PF_USER))
		printk(KERN_EMERG "BUG: kernel NULL pointer dereference, address: %08x\n", address);
	else
		printk(KERN_EMERG "BUG: unable to handle page fault for address: %08x\n", address);
	const char *access = err & PF_INSTRUCTION ? "instruction fetch"
			     : err & PF_WRITE	  ? "write"
						  : "read";
	printk(KERN_EMERG "#PF: supervisor %s access in %s mode\n", access,
	       err & PF_USER ? "user" : "kernel");
	printk(KERN_EMERG "#PF: error_code(0x%04x) - %s\n", err, fault_reason(err));
	uint32_t pde, pte;
	paging_lookup(address, &pde, &pte);
	printk(KERN_EMERG "*pde = %08x *pte = %08x\n", pde, pte);
	die_body("Oops", frame, err);
}

void oops_double_fault(struct trap_frame *frame, uint32_t cr2)
{
	oops_begin(frame);
	struct stack_range stack;
	if (unwind_guard_page_of(cr2, &stack)) {
		printk(KERN_EMERG "BUG: stack guard page was hit at %08x (stack is %08x..%08x)\n",
		       cr2, stack.bottom, stack.top - 1);
		die_body("stack guard page", frame, 0);
	}
	die_body("double fault", frame, 0);
}

void oops_hard_lockup(const struct trap_frame *frame)
{
	oops_begin(frame);
	printk(KERN_EMERG "NMI watchdog: Watchdog detected hard LOCKUP on cpu %u\n",
	       smp_processor_id());
	/* As Linux: the modules, then show_regs(). */
	printk(KERN_EMERG "Modules linked in:\n");
	show_task_line();
	show_regs(frame);
	show_trace(frame->ebp, frame);
	oops_end();
	panic("Hard LOCKUP");
}

void oops_nmi_backtrace(const struct trap_frame *frame)
{
	printk(KERN_WARNING "NMI backtrace for cpu %u\n", smp_processor_id());
	show_task_line();
	show_regs(frame);
	show_trace(frame->ebp, frame);
}

bool oops_reporting_here(void)
{
	return oops_depth[smp_processor_id()] > 0 || panic_here_cpu == (int)smp_processor_id();
}

bool oops_cpu_in_oops(unsigned cpu)
{
	return cpu < SMP_MAX_CPUS && (oops_waiting[cpu] || oops_depth[cpu] > 0);
}

void oops_mark_panic_here(void)
{
	panic_here_cpu = (int)smp_processor_id();
}

__attribute__((noinline)) void oops_nmi_backtrace_here(void)
{
	uint32_t ebp = (uint32_t)(uintptr_t)__builtin_frame_address(0);
	printk(KERN_WARNING "NMI backtrace for cpu %u\n", smp_processor_id());
	show_task_line();
	print_symbol_line("EIP: ", (uint32_t)(uintptr_t)__builtin_return_address(0));
	show_trace(*(const uint32_t *)(uintptr_t)ebp, NULL);
}
