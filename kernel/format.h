/* snprintf-style formatting for the kernel: %d %i %u %x %X %p %s %c %%, with
 * flags '-', '0', width, precision for %s, and the 'l', 'll', 'z' length
 * modifiers. No allocation, no locks: callable from any context. */
#ifndef KERNEL_FORMAT_H
#define KERNEL_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Like C's vsnprintf: returns the length the full output would have had and
 * always NUL-terminates when size > 0. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Parses an unsigned number in base 10, or base 16 with a 0x prefix when
 * base is 0, or in the given base. Returns the number of characters consumed,
 * 0 when none or on overflow of 32 bits. */
size_t kparse_u32(const char *s, size_t len, unsigned base, unsigned long *out);

#endif
