#include "kernel/string.h"

#include <stdint.h>

typedef uint32_t __attribute__((may_alias, aligned(1))) any_aligned_u32;

/* Every record printk logs and every frame the drivers send passes through
 * here: 16 bytes a loop. Not rep movs, which QEMU's TCG (this kernel's
 * usual CPU) runs one element at a time, each as a pass through its
 * translated block, several times slower than a loop of plain moves. */
void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	for (; n >= 16; n -= 16, d += 16, s += 16) {
		uint32_t a = ((const any_aligned_u32 *)s)[0], b = ((const any_aligned_u32 *)s)[1];
		uint32_t c = ((const any_aligned_u32 *)s)[2], e = ((const any_aligned_u32 *)s)[3];
		((any_aligned_u32 *)d)[0] = a;
		((any_aligned_u32 *)d)[1] = b;
		((any_aligned_u32 *)d)[2] = c;
		((any_aligned_u32 *)d)[3] = e;
	}
	for (; n >= 4; n -= 4, d += 4, s += 4)
		*(any_aligned_u32 *)d = *(const any_aligned_u32 *)s;
	for (; n; n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* A word at a time: printk scans every record for newlines, and "%.*s" its
 * text for the end. A byte of x is zero exactly where w held c;
 * (x - 0x01..) & ~x & 0x80.. flags such a word, and the byte loop after
 * finds which. The words are aligned, so none reaches into a page past the
 * last one holding a byte of s. */
void *memchr(const void *s, int c, size_t n)
{
	const uint8_t *p = s;
	uint8_t byte = (uint8_t)c;
	uint32_t pattern = byte * 0x01010101u;
	for (; n && ((uintptr_t)p & 3); n--, p++)
		if (*p == byte)
			return (void *)p;
	for (; n >= 4; n -= 4, p += 4) {
		uint32_t x = *(const any_aligned_u32 *)p ^ pattern;
		if ((x - 0x01010101u) & ~x & 0x80808080u)
			break;
	}
	for (; n; n--, p++)
		if (*p == byte)
			return (void *)p;
	return NULL;
}
