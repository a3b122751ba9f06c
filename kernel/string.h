/* The few libc string functions the freestanding kernel provides itself.
 * Pure functions, callable from any context. memcpy, memmove, memset and
 * memcmp must exist in any freestanding GCC program: the compiler may emit
 * calls to them itself. Host unit tests get libc's. */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);

#endif
