/* GCC's stack protector (-fstack-protector, here only for the functions built
 * with it on purpose): the canary every protected frame holds, and
 * __stack_chk_fail(), which panics as Linux does when a frame's canary was
 * overwritten. stack_protector_init() runs once at boot, normal context,
 * before any protected function; __stack_chk_fail() may be called from any
 * context. */
#ifndef KERNEL_STACKPROTECTOR_H
#define KERNEL_STACKPROTECTOR_H

#include <stdint.h>

/* Read by GCC's protector code (-mstack-protector-guard=global). */
extern uint32_t __stack_chk_guard;

void stack_protector_init(void);
__attribute__((noreturn)) void __stack_chk_fail(void);

#endif
