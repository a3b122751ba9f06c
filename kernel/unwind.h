/* Frame-pointer stack walking for oops traces. Every step is bounded and
 * every pointer checked against the known stacks before it is read, so a
 * corrupt stack ends the walk instead of faulting. Safe from any context. */
#ifndef KERNEL_UNWIND_H
#define KERNEL_UNWIND_H

#include <stdbool.h>
#include <stdint.h>

#define UNWIND_MAX_FRAMES 32

struct stack_range {
	uint32_t bottom, top; /* [bottom, top) */
};

/* Reads the frame at ebp: the caller's frame pointer and the return address.
 * False when ebp is not a valid frame inside range (misaligned, outside, or
 * too close to the top to hold a frame). */
bool unwind_frame(const struct stack_range *range, uint32_t ebp, uint32_t *next_ebp,
		  uint32_t *return_address);
/* A fault can hit a function that never set up a frame (GCC builds leaf
 * functions without one even with -fno-omit-frame-pointer), so EBP still
 * belongs to its caller and the return address sits just above ESP. Finds
 * that return address: the first word in [esp, esp + 64) that follows a call
 * to func (direct) or any indirect call. False when the function at func
 * did set up its frame at eip, or no such word exists. */
bool unwind_frameless_return(const struct stack_range *range, uint32_t esp, uint32_t func,
			     uint32_t eip, uint32_t *return_address);
/* The stack whose guard page (the unmapped page just below it) holds addr. */
bool unwind_guard_page_of(uint32_t addr, struct stack_range *out);
/* The stack that holds addr, if any kernel stack does. */
bool unwind_stack_of(uint32_t addr, struct stack_range *out);

#endif
