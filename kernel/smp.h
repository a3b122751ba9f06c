/* Several CPUs: finding them (ACPI MADT), starting the application
 * processors (INIT-SIPI-SIPI through a real-mode trampoline), each with its
 * own stack and guard page, GDT/TSS and local APIC timer, and which CPU
 * takes device interrupts (nic_irq_cpu=). With nosmp or one CPU nothing here
 * touches the hardware and the kernel runs on the 8259 alone, as before.
 * smp_init() and smp_run_on() are for the boot CPU in normal context; the
 * queries work from any context, NMI and oops included. */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdbool.h>
#include <stdint.h>

#define SMP_MAX_CPUS 8

/* Boot, after timer_init() with interrupts on: reads nosmp and nic_irq_cpu=,
 * and with more than one CPU brings the others up. */
void smp_init(void);
/* The CPU this runs on (0 is the boot CPU; always 0 with one CPU). */
unsigned smp_processor_id(void);
/* CPUs online. */
unsigned smp_num_cpus(void);
bool smp_active(void);
uint8_t smp_cpu_apic_id(unsigned cpu);
/* The CPU the I/O APIC sends device interrupts to (nic_irq_cpu=, default 0). */
unsigned smp_device_irq_cpu(void);
/* Makes the online CPU cpu (not the caller) run fn from its idle loop, in
 * normal context with interrupts on; false when it cannot (offline, or
 * still busy with an earlier one). Boot CPU, normal context. */
bool smp_run_on(unsigned cpu, void (*fn)(void));
/* The stack of CPU cpu (the boot stack for 0): [bottom, top), and its
 * unmapped guard page just below bottom. False for a CPU without one. */
bool smp_stack_of(unsigned cpu, uint32_t *bottom, uint32_t *top);

/* How long an oops waits for another running CPU to release a lock before
 * taking it over (spin_may_take_over(), kernel/spinlock.h). A holder that
 * runs releases within microseconds; a vCPU thread the host preempted, in
 * tens of milliseconds. */
#define SMP_TAKE_OVER_BOUND_MS 500
/* True once cpu held a lock past that bound. Any context. */
bool smp_cpu_unresponsive(unsigned cpu);

/* How long the panic waits for a CPU to stop after the stop IPI (a CPU with
 * interrupts on takes it at once), then after the NMI (any CPU). */
#define SMP_STOP_IPI_WAIT_MS 200
#define SMP_STOP_NMI_WAIT_MS 1000

struct trap_frame;

/* panic(): stops every other CPU, one at a time, each first by IPI, then
 * by NMI; each shows its backtrace (Linux's "NMI backtrace for cpu N")
 * and halts. A CPU that stops in neither bound is named and marked
 * unresponsive, and the panic goes on. Oops context, interrupts off. */
void smp_stop_other_cpus(void);
/* A CPU stopped in the middle of a console delivery (an NMI cannot wait
 * for it) finishes the console it is writing to, so that no record is
 * half sent, then stops here: the console code calls this after each
 * console's batch. Any context. */
void smp_stop_if_requested(void);
/* A second CPU that panics: marks itself stopped and halts. */
__attribute__((noreturn)) void smp_stop_self(void);
/* The registers CPU cpu was stopped with, for a crash dump: the context the
 * panic's stop IPI or NMI interrupted (its trap frame), or, for a CPU that
 * stopped at a point of its own (the end of a console batch, or panic() on a
 * second CPU), that point in the function that stopped it. esp is the
 * stopped context's stack pointer (a copied trap frame no longer tells it).
 * False for a CPU that has not stopped (the caller, one still running, one
 * the panic gave up on). Any context, no lock: each CPU writes its own once,
 * before it marks itself stopped, and never runs again. */
bool smp_stopped_regs(unsigned cpu, struct trap_frame *regs, uint32_t *esp);
/* True on a CPU the panic is stopping: it must not deliver to consoles. */
bool smp_this_cpu_stopping(void);
/* The NMI handler's question: was this NMI the panic's stop? Then it does
 * not return, unless this CPU has stopped already (a late watchdog NMI): it
 * then returns true, and the CPU goes back to its halt. False for any other
 * NMI. */
bool smp_nmi(const struct trap_frame *frame);

/* How long SysRq l waits for each other CPU to show its backtrace. */
#define SMP_BACKTRACE_WAIT_MS 1000
/* SysRq l: every other online CPU, one at a time, shows where it is in
 * Linux's NMI-backtrace form (as a CPU the panic stops does), asked by IPI:
 * it answers only with interrupts on, where it holds no lock its printk
 * could need. One that does not answer within SMP_BACKTRACE_WAIT_MS is
 * named. Nothing with one CPU. IRQ context (the key's), interrupts off. */
void smp_backtrace_other_cpus(void);

/* Local APIC interrupt handlers (kernel/apic.c calls them). */
void smp_call_interrupt(void);
/* The call IPI, before irq_enter(), so the trace shows what it broke into:
 * prints this CPU's backtrace when SysRq l asked for it. */
void smp_backtrace_interrupt(const struct trap_frame *frame);
void smp_stop_interrupt(const struct trap_frame *frame);

#endif
