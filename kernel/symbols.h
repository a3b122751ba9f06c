/* Symbol lookup for oops traces: address -> "name+0xOFF/0xSIZE", from a table
 * of the kernel's own functions that the second link pass embeds (see the
 * Makefile and host/kallsyms.c). Read-only, no locks: safe from any context. */
#ifndef KERNEL_SYMBOLS_H
#define KERNEL_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kallsym {
	uint32_t addr;
	uint32_t size;
	uint32_t name_offset; /* into the names blob */
};

struct symbol_table {
	const struct kallsym *syms; /* sorted by address */
	uint32_t count;
	const char *names;
};

struct symbol_info {
	const char *name;
	uint32_t addr;
	uint32_t size;
	uint32_t offset; /* of the looked-up address from addr */
};

#define KALLSYMS_SECTION __attribute__((section(".kallsyms"), used))

/* Emitted by host/kallsyms into build/kallsyms-*.c. */
extern const struct kallsym kallsyms_table[];
extern const uint32_t kallsyms_count;
extern const char kallsyms_names[];

/* Finds the function containing addr (addr < sym.addr + sym.size). */
bool symbol_lookup_in(const struct symbol_table *table, uint32_t addr, struct symbol_info *out);
bool symbol_lookup(uint32_t addr, struct symbol_info *out);
/* Writes "name+0xoff/0xsize", or "0xaddr" when addr is in no function.
 * Returns the length written (without NUL). */
size_t symbol_format_in(const struct symbol_table *table, uint32_t addr, char *buf, size_t size);
size_t symbol_format(uint32_t addr, char *buf, size_t size);

#endif
