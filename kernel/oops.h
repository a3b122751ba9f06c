/* Reporting fatal faults in Linux's x86_32 oops format, then panicking.
 * Called from the exception handlers (any context: normal or IRQ, with
 * interrupts off); dump_stack() may be called from anywhere. Output goes
 * through printk only, so every console carries the same report. */
#ifndef KERNEL_OOPS_H
#define KERNEL_OOPS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/traps.h"

__attribute__((noreturn)) void oops_page_fault(struct trap_frame *frame, uint32_t address);
/* #DF, from its own task: a stack overflow into the guard page reports as
 * Linux does ("BUG: stack guard page was hit"), anything else as a double
 * fault. */
__attribute__((noreturn)) void oops_double_fault(struct trap_frame *frame, uint32_t cr2);
/* #UD: a BUG() site reports "kernel BUG at file:line!" first, then oopses;
 * a WARN site reports and returns, the frame resuming past its ud2. */
void oops_invalid_opcode(struct trap_frame *frame);
/* Any other fatal exception: "<title>: <error code> [#N]". */
__attribute__((noreturn)) void oops_die(const char *title, struct trap_frame *frame,
					uint32_t error_code);
/* The hard-lockup watchdog's report, from the NMI that found this CPU stuck
 * with interrupts off (frame, the context it broke into): as an oops (the
 * die lock, and the locks that context may hold are taken over), Linux's
 * "NMI watchdog: Watchdog detected hard LOCKUP on cpu N", "Modules linked
 * in:", the CPU: line, registers and trace, then panic("Hard LOCKUP"), as
 * Linux's hardlockup_panic=1. NMI context. */
__attribute__((noreturn)) void oops_hard_lockup(const struct trap_frame *frame);
/* The registers of the first fault this CPU reported, or NULL when it
 * reported none (a plain panic(), or an oops on another CPU). Any context. */
const struct trap_frame *oops_fault_frame_here(void);
/* clock_ns() when the first oops began (fault entry), 0 when none did.
 * Any context. */
uint64_t oops_start_ns(void);
/* Linux's show_regs(): "CPU: ...", the registers of frame and its call
 * trace, for a report that is no oops (a soft lockup). Any context. */
void oops_show_regs(const struct trap_frame *frame);
/* "CPU: ..." and the call trace of the caller (panic() uses it). */
void dump_stack(void);
/* A CPU the panic stops shows where it was, as Linux's NMI backtrace: the
 * "NMI backtrace for cpu N" line, its CPU: line, the registers of frame
 * (the context the stop IPI or NMI broke into) and its call trace. IPI or
 * NMI context, on the stopped CPU. */
void oops_nmi_backtrace(const struct trap_frame *frame);
/* The same for a CPU that stops at a point of its own choosing: the "NMI
 * backtrace for cpu N" and CPU: lines, EIP (the caller) and the trace of
 * the caller, without registers. */
void oops_nmi_backtrace_here(void);
/* How long the panic waits for another CPU's oops report to finish. */
#define OOPS_REPORT_WAIT_MS 2000
/* panic(): waits, within OOPS_REPORT_WAIT_MS, until no other CPU is in or
 * waiting to begin an oops report, so their reports come out whole before
 * the CPUs are stopped. Interrupts off. */
void oops_wait_for_reports(void);
/* A CPU about to fault on purpose (a crash site whose CPUs fault together)
 * says so first: the panic then waits for its report, within
 * OOPS_REPORT_WAIT_MS, as for a CPU already waiting to begin one, even while
 * the host has not yet run that vCPU up to its fault. Normal context, on the
 * CPU that will fault. */
void oops_announce(void);
/* True on a CPU that is reporting an oops or running panic(): it prints
 * while every other CPU stays silent (kernel/printk.c). Any context. */
bool oops_reporting_here(void);
/* True once cpu has begun an oops (reporting, or waiting for its turn).
 * Any context. */
bool oops_cpu_in_oops(unsigned cpu);
/* panic(), first: this CPU reports from now on. */
void oops_mark_panic_here(void);

#endif
