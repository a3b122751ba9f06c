/* kallsyms: turns `nm -n -S --defined-only kernel.elf` output (stdin) into a
 * C file (stdout) holding the kernel's function table for kernel/symbols.c.
 * The table is sorted by address with one entry per address, so the kernel
 * can binary-search it; every function gets a size so a lookup can tell an
 * address inside a function from one in the padding after it. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nm_symbol {
	uint32_t addr;
	uint32_t size;
	bool has_size;
	char type;
	char *name;
	size_t input_order; /* keeps the sort stable among equal addresses */
};

struct symbol_list {
	struct nm_symbol *syms;
	size_t count;
	size_t capacity;
};

static bool is_text_type(char type)
{
	return type == 'T' || type == 't' || type == 'W' || type == 'w';
}

static bool parse_hex_u32(const char *field, uint32_t *out)
{
	char *end;
	if (!*field || strspn(field, "0123456789abcdefABCDEF") != strlen(field))
		return false;
	unsigned long long value = strtoull(field, &end, 16);
	if (*end || value > UINT32_MAX)
		return false;
	*out = (uint32_t)value;
	return true;
}

/* Splits line in place at blanks into at most max_fields fields. Returns the
 * number of fields, or max_fields + 1 when there are more. */
static size_t split_fields(char *line, char **fields, size_t max_fields)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == max_fields)
			return max_fields + 1;
		fields[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* Parses one nm line: "ADDR SIZE TYPE NAME", or "ADDR TYPE NAME" when nm
 * knows no size. Symbol names never contain blanks, so the field count
 * tells the two apart. */
static bool parse_nm_line(char *line, struct nm_symbol *sym)
{
	char *fields[4];
	size_t n = split_fields(line, fields, 4);

	memset(sym, 0, sizeof(*sym));
	if (n != 3 && n != 4)
		return false;
	if (!parse_hex_u32(fields[0], &sym->addr))
		return false;
	sym->has_size = n == 4;
	if (sym->has_size && !parse_hex_u32(fields[1], &sym->size))
		return false;
	const char *type = fields[n - 2];
	if (strlen(type) != 1)
		return false;
	sym->type = type[0];
	sym->name = fields[n - 1];
	return true;
}

static int append_symbol(struct symbol_list *list, const struct nm_symbol *sym)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 256;
		struct nm_symbol *grown = realloc(list->syms, capacity * sizeof(*grown));
		if (!grown)
			return -1;
		list->syms = grown;
		list->capacity = capacity;
	}
	list->syms[list->count] = *sym;
	list->syms[list->count].name = strdup(sym->name);
	if (!list->syms[list->count].name)
		return -1;
	list->syms[list->count].input_order = list->count;
	list->count++;
	return 0;
}

/* Among symbols at one address the best name comes first: a real function
 * (with a size) over a bare label, a global over a local, strong over weak. */
static int symbol_rank(const struct nm_symbol *sym)
{
	int rank = 0;
	if (!sym->has_size)
		rank += 4;
	if (sym->type == 't' || sym->type == 'w')
		rank += 2;
	if (sym->type == 'W' || sym->type == 'w')
		rank += 1;
	return rank;
}

static int compare_symbols(const void *a, const void *b)
{
	const struct nm_symbol *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (symbol_rank(x) != symbol_rank(y))
		return symbol_rank(x) - symbol_rank(y);
	return x->input_order < y->input_order ? -1 : x->input_order > y->input_order;
}

/* Sorts, keeps the best symbol per address and gives sizeless symbols the
 * distance to the next one. */
static void finish_table(struct symbol_list *list)
{
	size_t kept = 0;

	if (list->count == 0)
		return; /* qsort must not see the NULL array */
	qsort(list->syms, list->count, sizeof(*list->syms), compare_symbols);
	for (size_t i = 0; i < list->count; i++) {
		if (kept && list->syms[kept - 1].addr == list->syms[i].addr) {
			free(list->syms[i].name);
			continue;
		}
		list->syms[kept++] = list->syms[i];
	}
	list->count = kept;
	for (size_t i = 0; i < list->count; i++) {
		struct nm_symbol *sym = &list->syms[i];
		if (sym->has_size)
			continue;
		sym->size = i + 1 < list->count ? list->syms[i + 1].addr - sym->addr : 0;
		sym->has_size = true;
	}
}

static int read_symbols(FILE *in, FILE *err, struct symbol_list *list)
{
	char *line = NULL;
	size_t line_capacity = 0;
	ssize_t len;
	unsigned long line_number = 0;
	int status = 0;

	while ((len = getline(&line, &line_capacity, in)) >= 0) {
		struct nm_symbol sym;
		line_number++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!parse_nm_line(line, &sym)) {
			fprintf(err, "kallsyms: line %lu: not an nm symbol line\n", line_number);
			status = -1;
			break;
		}
		if (is_text_type(sym.type) && append_symbol(list, &sym) < 0) {
			fprintf(err, "kallsyms: out of memory\n");
			status = -1;
			break;
		}
	}
	free(line);
	return status;
}

/* Names go out as octal escapes for anything outside [A-Za-z0-9_.$], three
 * digits each so a following digit cannot extend the escape. */
static void write_c_string(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '.' || c == '$')
			fputc(c, out);
		else
			fprintf(out, "\\%03o", c);
	}
}

static void write_table(FILE *out, const struct symbol_list *list)
{
	uint32_t name_offset = 0;

	fprintf(out, "/* Generated by host/kallsyms from nm output. Do not edit. */\n");
	fprintf(out, "#include \"kernel/symbols.h\"\n\n");
	fprintf(out, "const struct kallsym kallsyms_table[] KALLSYMS_SECTION = {\n");
	if (!list->count)
		fprintf(out, "\t{0x00000000, 0x00000000, 0},\n");
	for (size_t i = 0; i < list->count; i++) {
		fprintf(out, "\t{0x%08x, 0x%08x, %u},\n", list->syms[i].addr, list->syms[i].size,
			name_offset);
		name_offset += (uint32_t)strlen(list->syms[i].name) + 1;
	}
	fprintf(out, "};\n\n");
	fprintf(out, "const uint32_t kallsyms_count KALLSYMS_SECTION = %zu;\n\n", list->count);
	fprintf(out, "const char kallsyms_names[] KALLSYMS_SECTION =");
	if (!list->count)
		fprintf(out, " \"\"");
	for (size_t i = 0; i < list->count; i++) {
		fprintf(out, "\n\t\"");
		write_c_string(out, list->syms[i].name);
		fprintf(out, "\\000\"");
	}
	fprintf(out, ";\n");
}

/* The whole tool on explicit streams, so tests can drive it in memory.
 * Returns the process exit status. */
int kallsyms_run(FILE *in, FILE *out, FILE *err)
{
	struct symbol_list list = {NULL, 0, 0};
	int status = 0;

	if (read_symbols(in, err, &list) < 0) {
		status = 1;
	} else {
		finish_table(&list);
		write_table(out, &list);
		if (fflush(out) != 0 || ferror(out)) {
			fprintf(err, "kallsyms: write error\n");
			status = 1;
		}
	}
	for (size_t i = 0; i < list.count; i++)
		free(list.syms[i].name);
	free(list.syms);
	return status;
}

int main(void)
{
	return kallsyms_run(stdin, stdout, stderr);
}
