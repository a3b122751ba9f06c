/* Tests kernel/symbols.c (lookup and "name+0xoff/0xsize" formatting) and
 * host/kallsyms.c (nm output -> C table), the latter end to end: its output
 * is parsed back into a table and looked up with the kernel code. */
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>

#include "kernel/format.c"
#include "kernel/symbols.c"

#define main kallsyms_main
#include "host/kallsyms.c"
#undef main

/* The table symbol_lookup() and symbol_format() use in the kernel. */
const struct kallsym kallsyms_table[] = {
	{0x00100000, 0x20, 0},
	{0x00100040, 0x10, 6},
};
const uint32_t kallsyms_count = 2;
const char kallsyms_names[] = "first\0second";

static const struct kallsym fixed_syms[] = {
	{0x1000, 0x20, 0}, /* alpha: 0x1000..0x101f */
	{0x1020, 0x10, 6}, /* beta, right after alpha */
	{0x1100, 0x40, 11}, /* gamma, after a gap */
	{0x1200, 0x0, 17}, /* empty: matches nothing */
	{0x1300, 0x8, 23}, /* delta, the last one */
};
static const char fixed_names[] = "alpha\0beta\0gamma\0empty\0delta";
static const struct symbol_table fixed = {fixed_syms, 5, fixed_names};

static void check_lookup(const struct symbol_table *table, uint32_t addr, const char *want_name,
			 uint32_t want_offset)
{
	struct symbol_info info;
	bool found = symbol_lookup_in(table, addr, &info);
	if (!want_name) {
		ok(!found, "0x%x is in no symbol", addr);
		return;
	}
	ok(found, "0x%x is found", addr);
	if (found) {
		is_str(info.name, want_name, "0x%x is in %s", addr, want_name);
		is_int(info.offset, want_offset, "0x%x is at offset 0x%x", addr, want_offset);
	}
}

static void test_lookup(void)
{
	check_lookup(&fixed, 0x0, NULL, 0);
	check_lookup(&fixed, 0xfff, NULL, 0);
	check_lookup(&fixed, 0x1000, "alpha", 0);
	check_lookup(&fixed, 0x1011, "alpha", 0x11);
	check_lookup(&fixed, 0x101f, "alpha", 0x1f);
	check_lookup(&fixed, 0x1020, "beta", 0);
	check_lookup(&fixed, 0x102f, "beta", 0xf);
	check_lookup(&fixed, 0x1030, NULL, 0);
	check_lookup(&fixed, 0x10ff, NULL, 0);
	check_lookup(&fixed, 0x1100, "gamma", 0);
	check_lookup(&fixed, 0x113f, "gamma", 0x3f);
	check_lookup(&fixed, 0x1140, NULL, 0);
	check_lookup(&fixed, 0x1200, NULL, 0);
	check_lookup(&fixed, 0x1300, "delta", 0);
	check_lookup(&fixed, 0x1307, "delta", 7);
	check_lookup(&fixed, 0x1308, NULL, 0);
	check_lookup(&fixed, 0xffffffff, NULL, 0);

	struct symbol_info info;
	ok(symbol_lookup_in(&fixed, 0x1024, &info) && info.addr == 0x1020 && info.size == 0x10,
	   "lookup reports the symbol's address and size");

	static const struct kallsym top_sym[] = {{0xfffffff0, 0x10, 0}};
	static const struct symbol_table top = {top_sym, 1, "top"};
	check_lookup(&top, 0xffffffff, "top", 0xf);
	check_lookup(&top, 0xffffffef, NULL, 0);

	static const struct symbol_table none = {kallsyms_table, 0, ""};
	check_lookup(&none, 0x100000, NULL, 0);

	ok(symbol_lookup(0x100005, &info) && strcmp(info.name, "first") == 0 && info.offset == 5,
	   "symbol_lookup uses the kallsyms table");
	ok(symbol_lookup(0x10004f, &info) && strcmp(info.name, "second") == 0 && info.offset == 0xf,
	   "symbol_lookup finds the last kallsyms entry");
	ok(!symbol_lookup(0x100050, &info), "symbol_lookup misses past the last entry");
}

static void test_format(void)
{
	char buf[64];

	is_int(symbol_format_in(&fixed, 0x1025, buf, sizeof(buf)), strlen("beta+0x5/0x10"),
	       "format returns the length");
	is_str(buf, "beta+0x5/0x10", "format inside a symbol");
	symbol_format_in(&fixed, 0x1000, buf, sizeof(buf));
	is_str(buf, "alpha+0x0/0x20", "format at a symbol's start");
	symbol_format_in(&fixed, 0x113f, buf, sizeof(buf));
	is_str(buf, "gamma+0x3f/0x40", "format uses lowercase hex without leading zeros");
	is_int(symbol_format_in(&fixed, 0x1030, buf, sizeof(buf)), 10, "unknown length");
	is_str(buf, "0x00001030", "format outside every symbol");
	symbol_format_in(&fixed, 0xc0ffee01, buf, sizeof(buf));
	is_str(buf, "0xc0ffee01", "format of a high unknown address");

	char small[8];
	memset(small, 'X', sizeof(small));
	is_int(symbol_format_in(&fixed, 0x1025, small, sizeof(small)), 7,
	       "truncated format returns what was written");
	is_str(small, "beta+0x", "truncated format is NUL-terminated");
	is_int(symbol_format_in(&fixed, 0x1025, small, 0), 0, "zero-size buffer gets nothing");

	symbol_format(0x100042, buf, sizeof(buf));
	is_str(buf, "second+0x2/0x10", "symbol_format uses the kallsyms table");
	symbol_format(0x100020, buf, sizeof(buf));
	is_str(buf, "0x00100020", "symbol_format outside every symbol");
}

struct generated {
	struct kallsym syms[32];
	char names[512];
	struct symbol_table table;
	long declared_count;
	int status;
	char *text;
	char *errors;
};

/* Reads the names blob back from the generated string literals. */
static size_t parse_names(const char *text, char *names, size_t cap)
{
	const char *p = strstr(text, "kallsyms_names[]");
	size_t n = 0;
	if (!p)
		return 0;
	p = strchr(p, '=');
	while (p && (p = strchr(p, '"'))) {
		for (p++; *p && *p != '"' && n < cap; p++) {
			if (*p == '\\') {
				names[n++] = (char)strtol((char[]){p[1], p[2], p[3], 0}, NULL, 8);
				p += 3;
			} else {
				names[n++] = *p;
			}
		}
		if (*p == '"')
			p++;
	}
	return n;
}

static void run_kallsyms(const char *input, struct generated *gen)
{
	size_t text_len = 0, err_len = 0;
	FILE *in = fmemopen((void *)input, strlen(input), "r");
	FILE *out = open_memstream(&gen->text, &text_len);
	FILE *err = open_memstream(&gen->errors, &err_len);

	memset(gen->syms, 0, sizeof(gen->syms));
	memset(gen->names, 0, sizeof(gen->names));
	gen->status = kallsyms_run(in, out, err);
	fclose(in);
	fclose(out);
	fclose(err);

	uint32_t count = 0;
	const char *p = strstr(gen->text, "kallsyms_table[]");
	const char *end = strstr(gen->text, "kallsyms_count");
	unsigned addr, size, offset;
	while (p && end && (p = strstr(p, "\t{")) && p < end && count < 32) {
		if (sscanf(p, "\t{0x%x, 0x%x, %u},", &addr, &size, &offset) == 3)
			gen->syms[count++] = (struct kallsym){addr, size, offset};
		p++;
	}
	gen->declared_count = -1;
	if (end)
		sscanf(end, "kallsyms_count KALLSYMS_SECTION = %ld;", &gen->declared_count);
	parse_names(gen->text, gen->names, sizeof(gen->names) - 1);
	gen->table = (struct symbol_table){gen->syms, (uint32_t)gen->declared_count, gen->names};
}

static void free_generated(struct generated *gen)
{
	free(gen->text);
	free(gen->errors);
}

static const char *format_generated(struct generated *gen, uint32_t addr)
{
	static char buf[64];
	symbol_format_in(&gen->table, addr, buf, sizeof(buf));
	return buf;
}

static void test_kallsyms_tool(void)
{
	/* Out of order, with data symbols, a local and a global alias at one
	 * address, a weak one, sizeless assembly labels, compiler-split names
	 * and blanks the way nm pads them. */
	static const char nm_output[] = "00100000 T _start\n"
					"00100010 00000020 t crash_init_null\n"
					"00100010 00000020 T crash_init_null_alias\n"
					"00100030 00000008 t helper.part.0\n"
					"00100038 00000006 t helper.cold\n"
					"00102000 00000010 R some_rodata\n"
					"00100040 00000010 W weak_hook\n"
					"00103000 00000004 D some_data\n"
					"00104000 00000004 b some_bss\n"
					"00100060 t isr_stub\n"
					"00100060 T __text_alias\n"
					"00100080 00000010 w local_weak\n"
					"00100090 T __text_end\n";
	struct generated gen;

	run_kallsyms(nm_output, &gen);
	is_int(gen.status, 0, "kallsyms accepts nm output");
	ok(strstr(gen.text, "#include \"kernel/symbols.h\"") != NULL, "output includes symbols.h");
	ok(strstr(gen.text, "KALLSYMS_SECTION") != NULL, "output uses the kallsyms section");
	is_int(gen.declared_count, 8, "one entry per text address, data dropped");
	is_str(gen.errors, "", "no complaints");

	uint32_t want_addrs[] = {0x100000, 0x100010, 0x100030, 0x100038,
				 0x100040, 0x100060, 0x100080, 0x100090};
	uint32_t want_sizes[] = {0x10, 0x20, 0x8, 0x6, 0x10, 0x20, 0x10, 0};
	const char *want_names[] = {
		"_start",    "crash_init_null_alias", "helper.part.0", "helper.cold",
		"weak_hook", "__text_alias",	      "local_weak",    "__text_end"};
	for (int i = 0; i < 8; i++) {
		is_int(gen.syms[i].addr, want_addrs[i], "entry %d address", i);
		is_int(gen.syms[i].size, want_sizes[i], "entry %d size", i);
		is_str(gen.names + gen.syms[i].name_offset, want_names[i], "entry %d name", i);
	}

	is_str(format_generated(&gen, 0x100015), "crash_init_null_alias+0x5/0x20",
	       "generated table: inside a function");
	is_str(format_generated(&gen, 0x10003a), "helper.cold+0x2/0x6",
	       "generated table: dotted names survive");
	is_str(format_generated(&gen, 0x100005), "_start+0x5/0x10",
	       "generated table: sizeless label sized to the next symbol");
	is_str(format_generated(&gen, 0x100050), "0x00100050",
	       "generated table: gap after a sized function");
	is_str(format_generated(&gen, 0x100090), "0x00100090",
	       "generated table: a sizeless last symbol matches nothing");
	free_generated(&gen);

	run_kallsyms("", &gen);
	is_int(gen.status, 0, "empty input is fine");
	is_int(gen.declared_count, 0, "empty input gives count 0");
	ok(strstr(gen.text,
		  "kallsyms_table[] KALLSYMS_SECTION = {\n\t{0x00000000, 0x00000000, 0},\n};") !=
		   NULL,
	   "empty input still gives a non-empty array initializer");
	ok(strstr(gen.text, "kallsyms_names[] KALLSYMS_SECTION = \"\";") != NULL,
	   "empty input gives an empty names blob");
	free_generated(&gen);

	run_kallsyms("00100000 00000010 T a\n00100010 00000010 T b\nnot a symbol line\n", &gen);
	is_int(gen.status, 1, "a bad line fails");
	ok(strstr(gen.errors, "line 3") != NULL, "the error names the line: %s", gen.errors);
	free_generated(&gen);

	static const char *bad_lines[] = {
		"\n",
		"00100000\n",
		"00100000 T\n",
		"zz100000 T name\n",
		"00100000 00000010 TT name\n",
		"00100000 0000001g T name\n",
		"100000000 T too_high\n",
		"00100000 00000010 T two names\n",
	};
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		run_kallsyms(bad_lines[i], &gen);
		ok(gen.status == 1 && strstr(gen.errors, "line 1"), "rejects bad line %zu", i);
		free_generated(&gen);
	}

	/* A name needing escapes comes out as octal and reads back the same. */
	run_kallsyms("00100000 00000010 T odd\"name\\1\n00100010 00000010 T 9lives\n", &gen);
	is_int(gen.status, 0, "odd names are accepted");
	is_str(gen.names + gen.syms[0].name_offset, "odd\"name\\1", "odd name round-trips");
	is_str(gen.names + gen.syms[1].name_offset, "9lives",
	       "a name starting with a digit is not swallowed by the escape before it");
	free_generated(&gen);
}

int main(void)
{
	plan(107);
	test_lookup();
	test_format();
	test_kallsyms_tool();
	return done_testing();
}
