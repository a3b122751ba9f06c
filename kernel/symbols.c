#include "kernel/symbols.h"

#include "kernel/format.h"

bool symbol_lookup_in(const struct symbol_table *table, uint32_t addr, struct symbol_info *out)
{
	uint32_t low = 0, high = table->count;

	/* Find the last symbol starting at or below addr. */
	while (low < high) {
		uint32_t mid = low + (high - low) / 2;
		if (table->syms[mid].addr <= addr)
			low = mid + 1;
		else
			high = mid;
	}
	if (low == 0)
		return false;
	const struct kallsym *sym = &table->syms[low - 1];
	/* Subtracting first cannot overflow, even for a symbol ending at 4 GiB. */
	if (addr - sym->addr >= sym->size)
		return false;
	out->name = table->names + sym->name_offset;
	out->addr = sym->addr;
	out->size = sym->size;
	out->offset = addr - sym->addr;
	return true;
}

static struct symbol_table kernel_table(void)
{
	return (struct symbol_table){kallsyms_table, kallsyms_count, kallsyms_names};
}

bool symbol_lookup(uint32_t addr, struct symbol_info *out)
{
	struct symbol_table table = kernel_table();
	return symbol_lookup_in(&table, addr, out);
}

size_t symbol_format_in(const struct symbol_table *table, uint32_t addr, char *buf, size_t size)
{
	struct symbol_info info;
	int len;

	if (symbol_lookup_in(table, addr, &info))
		len = ksnprintf(buf, size, "%s+0x%x/0x%x", info.name, (unsigned)info.offset,
				(unsigned)info.size);
	else
		len = ksnprintf(buf, size, "0x%08x", (unsigned)addr);
	if (size == 0)
		return 0;
	return (size_t)len < size ? (size_t)len : size - 1;
}

size_t symbol_format(uint32_t addr, char *buf, size_t size)
{
	struct symbol_table table = kernel_table();
	return symbol_format_in(&table, addr, buf, size);
}
