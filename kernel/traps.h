/* CPU exceptions and interrupt entry: the GDT and IDT, the register frame
 * that every entry stub builds, and dispatch to the fault handlers and to
 * irq.c. trap_init() runs once at boot; trap_dispatch() runs in whatever
 * context the CPU was in when the vector fired. */
#ifndef KERNEL_TRAPS_H
#define KERNEL_TRAPS_H

#include <stdint.h>

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define TRAP_DOUBLE_FAULT 8

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

void trap_init(void);
void trap_dispatch(struct trap_frame *frame);

/* The common entry code, so a stack walk can tell where an interrupted
 * context's frames begin (return addresses inside it). */
extern const char trap_entry_start[], trap_entry_end[];

#endif
