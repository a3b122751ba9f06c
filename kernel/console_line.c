#include "kernel/console.h"

#include "kernel/string.h"

#define SECONDS_WIDTH 5
#define MICROSECONDS_DIGITS 6

/* Plain digit arithmetic rather than kvsnprintf: every record any console
 * prints passes through here, and printk has already formatted the text. */
size_t console_format_line(const struct log_record *rec, char *buf, size_t size)
{
	/* One 64-bit division (a libgcc call on i686); the rest fits 32 bits. */
	uint64_t whole = rec->ts_ns / 1000000000u;
	uint32_t seconds = (uint32_t)whole;
	uint32_t fraction = (uint32_t)(rec->ts_ns - whole * 1000000000u) / 1000;
	char prefix[32], digits[10];
	size_t p = 0, n = 0, len;

	do {
		digits[n++] = (char)('0' + seconds % 10);
		seconds /= 10;
	} while (seconds);
	prefix[p++] = '[';
	for (size_t pad = n; pad < SECONDS_WIDTH; pad++)
		prefix[p++] = ' ';
	while (n)
		prefix[p++] = digits[--n];
	prefix[p++] = '.';
	for (int i = MICROSECONDS_DIGITS - 1; i >= 0; i--) {
		prefix[p + (size_t)i] = (char)('0' + fraction % 10);
		fraction /= 10;
	}
	p += MICROSECONDS_DIGITS;
	prefix[p++] = ']';
	prefix[p++] = ' ';

	if (!size)
		return 0;
	len = p < size - 1 ? p : size - 1;
	memcpy(buf, prefix, len);
	size_t text = rec->len < size - 1 - len ? rec->len : size - 1 - len;
	memcpy(buf + len, rec->text, text);
	len += text;
	if (len < size - 1)
		buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}
