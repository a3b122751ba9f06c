/* CPU exceptions and interrupt entry: the GDT and IDT, the register frame
 * that every entry stub builds, and dispatch to the fault handlers and to
 * irq.c. trap_init() runs once at boot; trap_dispatch() runs in whatever
 * context the CPU was in when the vector fired. */
#ifndef KERNEL_TRAPS_H
#define KERNEL_TRAPS_H

#include <stdint.h>

#include "kernel/segment.h"

/* The CPU's exception vectors (Intel SDM vol. 3, table 6-1). */
#define TRAP_DIVIDE_ERROR 0
#define TRAP_DEBUG 1
#define TRAP_NMI 2
#define TRAP_BREAKPOINT 3
#define TRAP_OVERFLOW 4
#define TRAP_BOUND_RANGE 5
#define TRAP_INVALID_OPCODE 6
#define TRAP_DEVICE_NOT_AVAILABLE 7
#define TRAP_DOUBLE_FAULT 8
#define TRAP_COPROCESSOR_OVERRUN 9
#define TRAP_INVALID_TSS 10
#define TRAP_SEGMENT_NOT_PRESENT 11
#define TRAP_STACK_SEGMENT 12
#define TRAP_GENERAL_PROTECTION 13
#define TRAP_PAGE_FAULT 14
#define TRAP_X87_ERROR 16
#define TRAP_ALIGNMENT_CHECK 17
#define TRAP_MACHINE_CHECK 18
#define TRAP_SIMD_ERROR 19

/* Built by kernel/entry.S, lowest address first. */
struct trap_frame {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	uint32_t vector, error_code;
	uint32_t eip, cs, eflags;
};

/* The stack pointer of the interrupted context. Traps stay in ring 0, so
 * the CPU pushed no SS:ESP and it is just above the frame; a double fault
 * arrives by task switch, and its frame is built from the saved TSS with
 * the real ESP in esp_at_pusha. */
static inline uint32_t trap_frame_esp(const struct trap_frame *frame)
{
	if (frame->vector == TRAP_DOUBLE_FAULT)
		return frame->esp_at_pusha;
	return (uint32_t)(uintptr_t)&frame->eflags + sizeof(frame->eflags);
}

/* The IDT (shared) and the boot CPU's GDT and TSS. */
void trap_init(void);
/* Loads CPU cpu's own GDT and TSS and the IDT (application processors, at
 * bring-up, normal context). */
void trap_init_cpu(unsigned cpu);
void trap_dispatch(struct trap_frame *frame);

/* The common entry code, so a stack walk can tell where an interrupted
 * context's frames begin (return addresses inside it). */
extern const char trap_entry_start[], trap_entry_end[];

#endif
