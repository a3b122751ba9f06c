#include "kernel/unwind.h"

#include "kernel/smp.h"

#define PAGE_SIZE 4096

bool unwind_stack_of(uint32_t addr, struct stack_range *out)
{
	for (unsigned cpu = 0; cpu < SMP_MAX_CPUS; cpu++) {
		uint32_t bottom, top;
		if (smp_stack_of(cpu, &bottom, &top) && addr >= bottom && addr < top) {
			out->bottom = bottom;
			out->top = top;
			return true;
		}
	}
	return false;
}

bool unwind_guard_page_of(uint32_t addr, struct stack_range *out)
{
	return addr <= UINT32_MAX - PAGE_SIZE && unwind_stack_of(addr + PAGE_SIZE, out) &&
	       addr < out->bottom;
}

bool unwind_frame(const struct stack_range *range, uint32_t ebp, uint32_t *next_ebp,
		  uint32_t *return_address)
{
	if (ebp & 3 || ebp < range->bottom || ebp > range->top - 8)
		return false;
	const uint32_t *frame = (const uint32_t *)(uintptr_t)ebp;
	*next_ebp = frame[0];
	*return_address = frame[1];
	return true;
}

extern const char __text_start[], __text_end[];

#define PUSH_EBP 0x55
#define CALL_REL32 0xe8
#define CALL_INDIRECT 0xff
#define FRAMELESS_SCAN_BYTES 64

static bool in_text(uint32_t addr)
{
	return addr >= (uint32_t)(uintptr_t)__text_start && addr < (uint32_t)(uintptr_t)__text_end;
}

/* push %ebp; mov %esp,%ebp — once both ran, EBP is this function's frame. */
static bool frame_set_up(uint32_t func, uint32_t eip)
{
	const uint8_t *code = (const uint8_t *)(uintptr_t)func;
	return code[0] == PUSH_EBP && code[1] == 0x89 && code[2] == 0xe5 && eip >= func + 3;
}

static bool follows_call_to(uint32_t ret, uint32_t func)
{
	if (!in_text(ret) || !in_text(ret - 6))
		return false;
	const uint8_t *p = (const uint8_t *)(uintptr_t)ret;
	if (p[-5] == CALL_REL32) {
		uint32_t rel;
		__builtin_memcpy(&rel, p - 4, 4);
		return ret + rel == func;
	}
	/* ff /2: call through a register (2 bytes), [reg+disp8] (3), [disp32] (6) */
	return (p[-2] == CALL_INDIRECT && (p[-1] & 0x38) == 0x10) ||
	       (p[-3] == CALL_INDIRECT && (p[-2] & 0x38) == 0x10) ||
	       (p[-6] == CALL_INDIRECT && (p[-5] & 0x38) == 0x10);
}

bool unwind_frameless_return(const struct stack_range *range, uint32_t esp, uint32_t func,
			     uint32_t eip, uint32_t *return_address)
{
	if (!in_text(func) || frame_set_up(func, eip))
		return false;
	for (uint32_t at = esp; at < esp + FRAMELESS_SCAN_BYTES; at += 4) {
		if (at & 3 || at < range->bottom || at > range->top - 4)
			return false;
		uint32_t word = *(const uint32_t *)(uintptr_t)at;
		if (follows_call_to(word, func)) {
			*return_address = word;
			return true;
		}
	}
	return false;
}
