/* Minimal TAP producer for host unit tests of freestanding kernel code.
 * Host only: each test program includes the .c files it tests, declares its
 * plan first with plan(N) and prints "ok N - name" / "not ok N - name"
 * lines for prove. An assertion before the plan bails out, and
 * done_testing() fails when the count differs from the plan, so an
 * assertion that never runs is noticed even outside prove. */
#ifndef TESTS_UNIT_TAP_H
#define TESTS_UNIT_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count;
static int tap_failed;
static int tap_planned = -1;

static inline void plan(int count)
{
	tap_planned = count;
	printf("1..%d\n", count);
}

#define ok(cond, ...)                                                                    \
	do {                                                                             \
		int tap_ok_ = !!(cond);                                                  \
		if (tap_planned < 0) {                                                   \
			printf("Bail out! assertion before plan() at %s:%d\n", __FILE__, \
			       __LINE__);                                                \
			exit(1);                                                         \
		}                                                                        \
		printf("%sok %d - ", tap_ok_ ? "" : "not ", ++tap_count);                \
		printf(__VA_ARGS__);                                                     \
		printf("\n");                                                            \
		if (!tap_ok_) {                                                          \
			tap_failed++;                                                    \
			printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);  \
		}                                                                        \
	} while (0)

#define is_int(got, want, ...)                                                   \
	do {                                                                     \
		long long tap_g_ = (long long)(got), tap_w_ = (long long)(want); \
		ok(tap_g_ == tap_w_, __VA_ARGS__);                               \
		if (tap_g_ != tap_w_)                                            \
			printf("#   got %lld, want %lld\n", tap_g_, tap_w_);     \
	} while (0)

#define is_str(got, want, ...)                                                                 \
	do {                                                                                   \
		const char *tap_g_ = (got), *tap_w_ = (want);                                  \
		int tap_same_ = tap_g_ && tap_w_ && strcmp(tap_g_, tap_w_) == 0;               \
		ok(tap_same_, __VA_ARGS__);                                                    \
		if (!tap_same_)                                                                \
			printf("#   got \"%s\"\n#  want \"%s\"\n", tap_g_ ? tap_g_ : "(null)", \
			       tap_w_ ? tap_w_ : "(null)");                                    \
	} while (0)

static inline int done_testing(void)
{
	if (tap_count != tap_planned) {
		printf("# planned %d tests but ran %d\n", tap_planned, tap_count);
		return 1;
	}
	return tap_failed ? 1 : 0;
}

#endif
