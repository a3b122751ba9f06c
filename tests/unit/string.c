/* Host tests of the kernel's own string functions (kernel/string.c), against
 * plain byte-by-byte definitions of what each must do. */
#include <stddef.h>
#include <stdint.h>

#include "tap.h"

#include "kernel/string.c"

static const char *naive_memchr(const char *s, int c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] == (unsigned char)c)
			return s + i;
	return NULL;
}

int main(void)
{
	plan(7);
	char buf[64];
	int bad = 0;

	/* Every length, start alignment and position of the byte sought,
	 * including bytes that differ from it only in the high bit. */
	for (size_t start = 0; start < 4; start++) {
		for (size_t len = 0; len + start <= 40; len++) {
			for (size_t at = 0; at <= len; at++) {
				for (size_t i = 0; i < sizeof(buf); i++)
					buf[i] = (char)(0x80 | ('\n' + 1 + i % 7));
				if (at < len)
					buf[start + at] = '\n';
				const char *want = naive_memchr(buf + start, '\n', len);
				if (memchr(buf + start, '\n', len) != want)
					bad++;
			}
		}
	}
	is_int(bad, 0, "memchr agrees with a byte-by-byte search everywhere");
	memset(buf, 0, sizeof(buf));
	buf[9] = (char)0xff;
	ok(memchr(buf, 0xff, 16) == buf + 9, "memchr finds 0xff given as int");
	ok(memchr(buf, 0x7f, 16) == NULL, "and not a byte only partly equal");

	char src[40], dst[48];
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)i;
	bad = 0;
	for (size_t n = 0; n <= sizeof(src); n++) {
		memset(dst, 0x55, sizeof(dst));
		if (memcpy(dst + 1, src, n) != dst + 1 || memcmp(dst + 1, src, n) != 0 ||
		    dst[0] != 0x55 || dst[n + 1] != 0x55)
			bad++;
	}
	is_int(bad, 0, "memcpy copies exactly n bytes at any length, returns dst");
	memset(dst, 0, sizeof(dst));
	ok(memset(dst + 3, 0xab, 5) == dst + 3 && (unsigned char)dst[7] == 0xab && dst[8] == 0 &&
		   dst[2] == 0,
	   "memset fills exactly n bytes");
	memcpy(dst, "abcdefgh", 8);
	memmove(dst + 2, dst, 6);
	ok(memcmp(dst, "ababcdef", 8) == 0, "memmove handles overlap forward");
	memcpy(dst, "abcdefgh", 8);
	memmove(dst, dst + 2, 6);
	ok(memcmp(dst, "cdefghgh", 8) == 0, "memmove handles overlap backward");
	return done_testing();
}
