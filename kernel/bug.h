/* BUG(): Linux's way to stop on an impossible state. It executes ud2 and
 * records the site in the bug table, so the #UD handler can print
 * "kernel BUG at file:line!" before the oops. Usable in any context. */
#ifndef KERNEL_BUG_H
#define KERNEL_BUG_H

#include <stdint.h>

struct bug_entry {
	uint32_t addr;
	const char *file;
	uint32_t line;
};

#define BUG()                                                         \
	do {                                                          \
		__asm__ volatile("1: ud2\n\t"                         \
				 ".pushsection .bug_table, \"a\"\n\t" \
				 ".long 1b, %c0, %c1\n\t"             \
				 ".popsection"                        \
				 :                                    \
				 : "i"(__FILE__), "i"(__LINE__));     \
		__builtin_unreachable();                              \
	} while (0)

/* The entry for a ud2 at addr, or NULL when that ud2 is no BUG(). */
const struct bug_entry *bug_find(uint32_t addr);

#endif
