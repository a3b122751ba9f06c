#include "kernel/stackprotector.h"

#include "kernel/io.h"
#include "kernel/panic.h"
#include "kernel/symbols.h"

uint32_t __stack_chk_guard;

/* A canary that varies from boot to boot (the TSC), with a zero low byte as
 * in Linux, so that a string overrun stops at it instead of copying it. */
void stack_protector_init(void)
{
	uint64_t tsc = rdtsc();
	__stack_chk_guard = ((uint32_t)tsc ^ (uint32_t)(tsc >> 32) ^ 0x5a5a5a00u) & ~0xffu;
	if (!__stack_chk_guard)
		__stack_chk_guard = 0xc0ffee00u;
}

/* Called by the protected function itself, in place of its return: the
 * return address names it, looked up by the call (ret - 1) as %pB does. */
void __stack_chk_fail(void)
{
	uint32_t ret = (uint32_t)(uintptr_t)__builtin_return_address(0);
	struct symbol_info sym;
	if (symbol_lookup(ret - 1, &sym))
		panic("stack-protector: Kernel stack is corrupted in: %s+0x%x/0x%x", sym.name,
		      ret - sym.addr, sym.size);
	panic("stack-protector: Kernel stack is corrupted in: 0x%08x", ret);
}
