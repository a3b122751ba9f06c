#include "kernel/format.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/string.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* Bulk copies: printk formats every record, and byte-wise puts dominate. */
static void put_many(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 < o->size) {
		size_t room = o->size - 1 - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;
	if (!left && pad == '0' && n && (*s == '-')) {
		put(o, *s++);
		n--;
	}
	if (!left)
		while (fill--)
			put(o, pad);
	put_many(o, s, n);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static size_t utoa(char *tmp, unsigned long long v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	size_t n = 0, i;
	/* 64-bit division is a libgcc call per digit on i686; once the value
	 * fits 32 bits (at once, for nearly every number printed) the CPU's
	 * own division does. */
	while (v > UINT32_MAX) {
		rev[n++] = digits[v % base];
		v /= base;
	}
	uint32_t small = (uint32_t)v;
	do {
		rev[n++] = digits[small % base];
		small /= base;
	} while (small);
	for (i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			size_t run = 1;
			while (fmt[run] && fmt[run] != '%')
				run++;
			put_many(&o, fmt, run);
			fmt += run - 1;
			continue;
		}
		fmt++;
		bool left = false;
		char pad = ' ';
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		int width = 0;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		int precision = -1;
		if (*fmt == '.') {
			fmt++;
			precision = 0;
			if (*fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				precision = precision * 10 + (*fmt++ - '0');
		}
		int longs = 0;
		while (*fmt == 'l' || *fmt == 'z') {
			longs++;
			fmt++;
		}
		char tmp[32];
		size_t n;
		unsigned long long u;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = longs >= 2 ? va_arg(ap, long long)
				      : longs	 ? va_arg(ap, long)
						 : va_arg(ap, int);
			bool neg = v < 0;
			u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
			tmp[0] = '-';
			n = utoa(tmp + neg, u, 10, false) + neg;
			put_padded(&o, tmp, n, width, left, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			u = longs >= 2 ? va_arg(ap, unsigned long long)
			    : longs    ? va_arg(ap, unsigned long)
				       : va_arg(ap, unsigned int);
			n = utoa(tmp, u, *fmt == 'u' ? 10 : 16, *fmt == 'X');
			put_padded(&o, tmp, n, width, left, pad);
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			n = utoa(tmp, u, 16, false);
			put_padded(&o, tmp, n, width ? width : 8, left, '0');
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			/* A word at a time: "%.*s" is how long text reaches printk. */
			const char *nul = precision < 0 ? NULL : memchr(s, 0, (size_t)precision);
			size_t len = precision < 0 ? strlen(s)
				     : nul	   ? (size_t)(nul - s)
						   : (size_t)precision;
			put_padded(&o, s, len, width, left, ' ');
			break;
		}
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			put_padded(&o, tmp, 1, width, left, ' ');
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

size_t kparse_u32(const char *s, size_t len, unsigned base, unsigned long *out)
{
	size_t i = 0;
	if (base == 0) {
		base = 10;
		if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			i = 2;
		}
	}
	size_t start = i;
	uint64_t v = 0;
	for (; i < len; i++) {
		int d = digit_value(s[i]);
		if (d >= (int)base)
			break;
		v = v * base + (unsigned)d;
		if (v > 0xffffffffULL)
			return 0;
	}
	if (i == start)
		return 0;
	*out = (unsigned long)v;
	return i;
}
