/* Tests kernel/format.c: kvsnprintf/ksnprintf against the host's snprintf for
 * every conversion the kernel supports, truncation, and kparse_u32. */
#include "tap.h"

#include <limits.h>
#include <stdint.h>

#include "kernel/format.c"

/* Formats with both the kernel and the host and compares text and length.
 * The format is not a literal, so combinations the compiler would flag
 * (such as "%-05d") can be checked too. */
#define same_as_host(fmt, ...)                                                     \
	do {                                                                       \
		const char *fmt_ = (fmt);                                          \
		char got_[128], want_[128];                                        \
		int got_len_ = ksnprintf(got_, sizeof(got_), fmt_, __VA_ARGS__);   \
		int want_len_ = snprintf(want_, sizeof(want_), fmt_, __VA_ARGS__); \
		is_str(got_, want_, "\"%s\" like the host", fmt_);                 \
		is_int(got_len_, want_len_, "\"%s\" length like the host", fmt_);  \
	} while (0)

static void test_against_host(void)
{
	same_as_host("plain text%s", "");
	same_as_host("%d", 0);
	same_as_host("%d", 42);
	same_as_host("%d", -1);
	same_as_host("%d", INT_MAX);
	same_as_host("%d", INT_MIN);
	same_as_host("%i", -12345);
	same_as_host("%u", 0u);
	same_as_host("%u", UINT_MAX);
	same_as_host("%x", 0u);
	same_as_host("%x", 0xdeadbeefu);
	same_as_host("%X", 0xdeadbeefu);
	same_as_host("%x", UINT_MAX);

	same_as_host("[%5d]", 42);
	same_as_host("[%-5d]", 42);
	same_as_host("[%05d]", 42);
	same_as_host("[%05d]", -42);
	same_as_host("[%5d]", -42);
	same_as_host("[%-5d]", -42);
	same_as_host("[%-05d]", 42);
	same_as_host("[%2d]", 12345);
	same_as_host("[%08x]", 0xbeefu);
	same_as_host("[%-8x]", 0xbeefu);
	same_as_host("[%08X]", 0xbeefu);
	same_as_host("[%8u]", 7u);
	same_as_host("[%01d]", 0);
	same_as_host("[%020d]", INT_MIN);

	same_as_host("%ld", LONG_MIN);
	same_as_host("%ld", LONG_MAX);
	same_as_host("%lu", ULONG_MAX);
	same_as_host("%lx", 0x1234abcdUL);
	same_as_host("%lld", LLONG_MIN);
	same_as_host("%lld", LLONG_MAX);
	same_as_host("%llu", ULLONG_MAX);
	same_as_host("%llx", 0x0123456789abcdefULL);
	same_as_host("%016llx", 0xabcdefULL);
	same_as_host("%zu", (size_t)SIZE_MAX);
	same_as_host("%zx", (size_t)0x1000);

	same_as_host("%s", "hello");
	same_as_host("[%s]", "");
	same_as_host("[%10s]", "hello");
	same_as_host("[%-10s]", "hello");
	same_as_host("[%2s]", "hello");
	same_as_host("[%.3s]", "hello");
	same_as_host("[%.0s]", "hello");
	same_as_host("[%.10s]", "hello");
	same_as_host("[%10.3s]", "hello");
	same_as_host("[%-10.3s]", "hello");
	same_as_host("[%.*s]", 2, "hello");
	same_as_host("[%.*s]", -1, "hello");

	same_as_host("%c", 'A');
	same_as_host("[%3c]", 'x');
	same_as_host("[%-3c]", 'x');
	same_as_host("%%%s", "");
	same_as_host("100%% sure%s", "");
	same_as_host("%s=%d, %s=0x%08x%c", "a", -3, "b", 0x1fu, '!');
	same_as_host("<%d>%s%u%x%lld", 1, "two", 3u, 4u, 5LL);
}

static void test_pointer(void)
{
	char buf[64];

	/* The kernel prints pointers as bare hex, 8 digits like a 32-bit
	 * Linux oops; the host's "0x..." form differs on purpose. */
	ksnprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0x1234);
	is_str(buf, "00001234", "%%p is zero-padded to 8 digits");
	ksnprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0xc0100000u);
	is_str(buf, "c0100000", "%%p of a full 32-bit address");
	ksnprintf(buf, sizeof(buf), "%p", (void *)0);
	is_str(buf, "00000000", "%%p of NULL");
	const char *volatile no_string = NULL;
	ksnprintf(buf, sizeof(buf), "%s", no_string);
	is_str(buf, "(null)", "%%s of NULL");
}

static void test_truncation(void)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	is_int(ksnprintf(buf, 5, "hello world"), 11, "truncation returns the full length");
	is_str(buf, "hell", "truncated output is NUL-terminated");
	is_int(buf[5], 'X', "nothing written past size");

	memset(buf, 'X', sizeof(buf));
	is_int(ksnprintf(buf, 1, "%d", 12345), 5, "size 1 returns the full length");
	is_int(buf[0], '\0', "size 1 holds only the NUL");
	is_int(buf[1], 'X', "size 1 writes one byte");

	memset(buf, 'X', sizeof(buf));
	is_int(ksnprintf(buf, 0, "%s", "abc"), 3, "size 0 returns the full length");
	is_int(buf[0], 'X', "size 0 writes nothing");
	is_int(ksnprintf(NULL, 0, "%08x%s", 1u, "four"), 12, "size 0 with NULL only measures");

	memset(buf, 'X', sizeof(buf));
	is_int(ksnprintf(buf, 6, "[%-8s]", "ab"), 10, "truncated padding returns the full length");
	is_str(buf, "[ab  ", "truncated inside padding");

	is_int(ksnprintf(buf, sizeof(buf), "exactly15chars!"), 15, "fits exactly");
	is_str(buf, "exactly15chars!", "exact fit keeps every character");
	is_int(ksnprintf(buf, sizeof(buf), "exactly16chars!!"), 16, "one too many");
	is_str(buf, "exactly16chars!", "one too many loses the last character");

	/* A lone '%' at the end must not read past the format. */
	const char *trailing = "abc%";
	is_int(ksnprintf(buf, sizeof(buf), trailing, 0), 3, "trailing %% is dropped");
	is_str(buf, "abc", "trailing %% leaves the text before it");
}

static void check_parse(const char *s, size_t len, unsigned base, size_t want_used,
			unsigned long want_value)
{
	unsigned long value = 0xa5a5a5a5;
	size_t used = kparse_u32(s, len, base, &value);
	is_int(used, want_used, "kparse_u32(\"%.*s\", base %u) consumes %zu", (int)len, s, base,
	       want_used);
	if (want_used)
		is_int(value, want_value, "kparse_u32(\"%.*s\", base %u) = %lu", (int)len, s, base,
		       want_value);
}

static void test_parse(void)
{
	check_parse("0", 1, 0, 1, 0);
	check_parse("123", 3, 0, 3, 123);
	check_parse("007", 3, 0, 3, 7);
	check_parse("6665", 4, 10, 4, 6665);
	check_parse("0x1F", 4, 0, 4, 0x1f);
	check_parse("0Xdeadbeef", 10, 0, 10, 0xdeadbeef);
	check_parse("ff", 2, 16, 2, 0xff);
	check_parse("17", 2, 8, 2, 15);
	check_parse("18", 2, 8, 1, 1);
	check_parse("4294967295", 10, 0, 10, 4294967295UL);
	check_parse("0xffffffff", 10, 0, 10, 0xffffffffUL);
	check_parse("00000000004294967295", 20, 0, 20, 4294967295UL);
	check_parse("4294967296", 10, 0, 0, 0);
	check_parse("99999999999", 11, 0, 0, 0);
	check_parse("0x100000000", 11, 0, 0, 0);
	check_parse("", 0, 0, 0, 0);
	check_parse("abc", 3, 0, 0, 0);
	check_parse("abc", 3, 10, 0, 0);
	check_parse("-1", 2, 0, 0, 0);
	check_parse("12abc", 5, 0, 2, 12);
	check_parse("10.0.7.5", 8, 10, 2, 10);
	check_parse("6665@10.0.7.5", 13, 0, 4, 6665);
	check_parse("12345", 3, 0, 3, 123);
	check_parse("0x", 2, 0, 1, 0);
}

int main(void)
{
	plan(176);
	test_against_host();
	test_pointer();
	test_truncation();
	test_parse();
	return done_testing();
}
