/* The local APIC of each CPU: enabling it, its ID, end of interrupt, IPIs
 * (INIT, STARTUP, fixed vectors, NMI) and its timer. apic_init_boot() and
 * apic_init_cpu() run once per CPU at bring-up (normal context, interrupts
 * off); everything else may be called from any context (IRQ, NMI, oops) once
 * apic_ready() is true. Never used with one CPU or nosmp: the kernel then runs
 * on the 8259 PIC alone, as before. */
#ifndef KERNEL_APIC_H
#define KERNEL_APIC_H

#include <stdbool.h>
#include <stdint.h>

/* The local vectors, above the PIC's 32..47 (kernel/irq.h). */
#define APIC_VECTOR_BASE 0xf0
#define APIC_TIMER_VECTOR 0xf0
#define APIC_CALL_VECTOR 0xf1 /* smp_run_on()'s work, SysRq l's backtrace */
#define APIC_STOP_VECTOR 0xf2 /* panic: stop this CPU */
#define APIC_SPURIOUS_VECTOR 0xff
#define APIC_VECTORS 16
/* Per-CPU timer rate: enough for a per-CPU watchdog heartbeat, cheap under TCG. */
#define APIC_TIMER_HZ 100

/* Maps the local APIC at the MADT's address; on the boot CPU the 8259 keeps
 * its line (LINT0 as ExtINT), so the PIT and the devices not routed through
 * the I/O APIC still arrive as before. */
void apic_init_boot(uint32_t address);
/* CPU cpu's local APIC on (cpu 0 is the boot CPU), LINT1 as NMI, its timer
 * at APIC_TIMER_HZ, and its flat logical ID APIC_LOGICAL_ID(cpu): a logical
 * destination reaches the CPUs whose bits it sets (the NMI watchdog's). */
void apic_init_cpu(unsigned cpu);
#define APIC_LOGICAL_ID(cpu) ((uint8_t)(1u << (cpu)))
bool apic_ready(void);
uint8_t apic_id(void);
void apic_eoi(void);
/* INIT, then two STARTUP IPIs with the trampoline's page (Intel SDM vol. 3,
 * 8.4.4.1, MP initialization example). Normal context, boot CPU. */
void apic_start_cpu(uint8_t apic_id, uint32_t trampoline_page);
void apic_send_ipi(uint8_t apic_id, uint8_t vector);
void apic_send_nmi(uint8_t apic_id);
struct trap_frame;
/* Called by trap_dispatch() for vectors APIC_VECTOR_BASE and up. */
void apic_dispatch(const struct trap_frame *frame);
/* Timer interrupts this CPU's local APIC timer has raised. */
uint64_t apic_timer_ticks(unsigned cpu);

#endif
