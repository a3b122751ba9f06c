/* BUG() and WARN_ON(): Linux's ways to stop on an impossible state, or to
 * report one and go on. Both execute ud2 and record the site in the bug table
 * (a warning with BUGFLAG_WARNING), so the #UD handler can print "kernel BUG
 * at file:line!" and oops, or print "WARNING: ... at file:line" with the
 * registers and trace and resume after the ud2. Usable in any context. */
#ifndef KERNEL_BUG_H
#define KERNEL_BUG_H

#include <stdint.h>

#define BUGFLAG_WARNING 0x1

struct bug_entry {
	uint32_t addr;
	const char *file;
	uint32_t line;
	uint32_t flags;
};

/* ud2 (2 bytes) with its bug-table entry. */
#define BUG_UD2_LEN 2
#define BUG_SITE(flags)                                       \
	__asm__ volatile("1: ud2\n\t"                         \
			 ".pushsection .bug_table, \"a\"\n\t" \
			 ".long 1b, %c0, %c1, %c2\n\t"        \
			 ".popsection"                        \
			 :                                    \
			 : "i"(__FILE__), "i"(__LINE__), "i"(flags))

#define BUG()                            \
	do {                             \
		BUG_SITE(0);             \
		__builtin_unreachable(); \
	} while (0)

/* Evaluates to the condition, as in Linux; a true one warns and goes on
 * (panics with panic_on_warn=1). */
#define WARN_ON(condition)                             \
	__extension__({                                \
		int warn_on_ret_ = !!(condition);      \
		if (__builtin_expect(warn_on_ret_, 0)) \
			BUG_SITE(BUGFLAG_WARNING);     \
		warn_on_ret_;                          \
	})

/* The entry for a ud2 at addr, or NULL when that ud2 is no BUG() or WARN. */
const struct bug_entry *bug_find(uint32_t addr);

#endif
