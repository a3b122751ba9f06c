/* Host tests of the console line format: "[%5u.%06u] text\n", as Linux
 * prints printk timestamps, checked against the host's snprintf. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

#include "kernel/console_line.c"

static void check(uint64_t ts_ns, const char *text)
{
	struct log_record rec = {.seq = 1, .ts_ns = ts_ns, .level = 6};
	char got[64], want[64];
	rec.text = text;
	rec.len = (uint16_t)strlen(text);
	uint64_t us = ts_ns / 1000;
	snprintf(want, sizeof(want), "[%5u.%06u] %s\n", (unsigned)(us / 1000000),
		 (unsigned)(us % 1000000), text);
	size_t len = console_format_line(&rec, got, sizeof(got));
	is_str(got, want, "line for %llu ns", (unsigned long long)ts_ns);
	is_int(len, strlen(want), "its length");
}

int main(void)
{
	plan(17);
	check(0, "first");
	check(999, "under a microsecond");
	check(12345678, "12 ms");
	check(1000000000ull, "one second");
	check(99999999999000ull, "five-digit seconds");
	check(123456789012345ull, "six-digit seconds widen the field");
	check(5000, "");

	struct log_record rec = {.ts_ns = 1500000000ull, .text = "abcdefgh", .len = 8};
	char small[20];
	size_t len = console_format_line(&rec, small, sizeof(small));
	is_int(len, sizeof(small) - 1, "a short buffer takes what fits");
	is_str(small, "[    1.500000] abcd", "prefix first, text cut, NUL-terminated");
	is_int(console_format_line(&rec, small, 0), 0, "a zero-size buffer takes nothing");
	return done_testing();
}
