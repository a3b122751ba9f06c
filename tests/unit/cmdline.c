/* Tests kernel/cmdline.c: splitting the command line into key=value and bare
 * tokens, finding the last token with a given key, keeping a line that is too
 * long whole parameters at a time, and cutting it into printable heads. */
#include "tap.h"

#include "kernel/cmdline.c"

/* Collects the tokens as "key=value" or "key" (bare), joined by '|'. */
struct collected {
	char text[512];
	int count;
	int bare_count;
};

static void collect(const struct cmdline_param *param, void *ctx)
{
	struct collected *c = ctx;
	size_t used = strlen(c->text);
	if (c->count)
		used += (size_t)snprintf(c->text + used, sizeof(c->text) - used, "|");
	if (param->value)
		snprintf(c->text + used, sizeof(c->text) - used, "%.*s=%.*s", (int)param->key_len,
			 param->key, (int)param->value_len, param->value);
	else
		snprintf(c->text + used, sizeof(c->text) - used, "%.*s", (int)param->key_len,
			 param->key);
	c->bare_count += !param->value;
	c->count++;
}

static void check_tokens(const char *line, const char *want, int want_count, int want_bare)
{
	struct collected c = {"", 0, 0};
	cmdline_foreach(line, collect, &c);
	is_str(c.text, want, "tokens of \"%s\"", line);
	is_int(c.count, want_count, "token count of \"%s\"", line);
	is_int(c.bare_count, want_bare, "bare keys in \"%s\"", line);
}

static void test_tokens(void)
{
	check_tokens("", "", 0, 0);
	check_tokens("   \t  ", "", 0, 0);
	check_tokens("quiet", "quiet", 1, 1);
	check_tokens("a=1 b c=3", "a=1|b|c=3", 3, 1);
	check_tokens("  a=1\t\tb    c=3  ", "a=1|b|c=3", 3, 1);
	check_tokens("a=1\n", "a=1", 1, 0);
	check_tokens("empty= x", "empty=|x", 2, 1);
	check_tokens("opt=a=b=c", "opt=a=b=c", 1, 0);
	check_tokens("netconsole=6665@10.0.7.5/eth0,6666@10.0.7.1/ crash=none panic=0",
		     "netconsole=6665@10.0.7.5/eth0,6666@10.0.7.1/|crash=none|panic=0", 3, 0);
	check_tokens("x=1 x=2 x", "x=1|x=2|x", 3, 1);
}

static void test_split(void)
{
	struct cmdline_param p;

	ok(cmdline_find("opt=a=b", "opt", &p), "key before the first '=' is found");
	is_int(p.key_len, 3, "key stops at the first '='");
	is_int(p.value_len, 3, "value keeps later '='");
	ok(p.value && memcmp(p.value, "a=b", 3) == 0, "value text is after the first '='");

	ok(cmdline_find("a empty= b", "empty", &p), "key with empty value is found");
	ok(p.value != NULL, "an empty value is not a bare key");
	is_int(p.value_len, 0, "empty value has length 0");
	ok(cmdline_value_is(&p, ""), "empty value equals \"\"");

	ok(cmdline_find("a quiet b", "quiet", &p), "bare key is found");
	ok(p.value == NULL, "bare key has no value");
	ok(!cmdline_value_is(&p, ""), "bare key has no value, not even \"\"");
	ok(cmdline_key_is(&p, "quiet"), "key_is matches the whole key");
	ok(!cmdline_key_is(&p, "quie"), "key_is rejects a prefix");
	ok(!cmdline_key_is(&p, "quiet2"), "key_is rejects a longer key");
}

static void test_find(void)
{
	const char *line = "netconsole=6665@10.0.7.5/eth0,6666@10.0.7.1/ crash=init-null "
			   "crashsite=x panic=0 crash=irq-timer  debug";
	struct cmdline_param p;

	ok(cmdline_find(line, "crash", &p), "crash is found");
	ok(cmdline_value_is(&p, "irq-timer"), "repeated key: the last one wins");
	ok(!cmdline_value_is(&p, "irq-time"), "value_is rejects a prefix");
	ok(!cmdline_value_is(&p, "irq-timer2"), "value_is rejects a longer text");

	ok(cmdline_find(line, "netconsole", &p), "netconsole is found");
	ok(cmdline_value_is(&p, "6665@10.0.7.5/eth0,6666@10.0.7.1/"),
	   "value keeps '@', '/', ',' and '.'");
	ok(p.key == line, "key points into the command line");

	ok(cmdline_find(line, "panic", &p) && cmdline_value_is(&p, "0"), "panic=0");
	ok(cmdline_find(line, "debug", &p) && p.value == NULL, "bare key at the end");
	ok(!cmdline_find(line, "cras", &p), "a key prefix is not a match");
	ok(!cmdline_find(line, "crashsite2", &p), "a longer key is not a match");
	ok(!cmdline_find(line, "eth0", &p), "text inside a value is not a key");
	ok(!cmdline_find("", "crash", &p), "nothing is found in an empty line");

	ok(cmdline_find("debug=1 debug", "debug", &p) && p.value == NULL,
	   "a later bare key overrides an earlier value");
	ok(cmdline_find("debug debug=2", "debug", &p) && cmdline_value_is(&p, "2"),
	   "a later value overrides an earlier bare key");

	is_str(kernel_cmdline, "", "kernel_cmdline defaults to empty");
}

/* cmdline_copy into a buffer of size bytes. */
static void check_copy(const char *src, size_t size, const char *want, unsigned want_dropped,
		       const char *want_first)
{
	char dst[64];
	struct cmdline_cut cut;

	memset(dst, '#', sizeof(dst));
	cmdline_copy(dst, size, src, &cut);
	is_str(dst, want, "\"%s\" in %zu bytes keeps \"%s\"", src, size, want);
	is_int(cut.length, strlen(src), "\"%s\": its length is reported", src);
	is_int(cut.dropped, want_dropped, "\"%s\" in %zu bytes: %u parameters dropped", src, size,
	       want_dropped);
	if (want_first) {
		ok(cut.first_dropped && cut.first_dropped_len == strlen(want_first) &&
			   memcmp(cut.first_dropped, want_first, cut.first_dropped_len) == 0,
		   "\"%s\" in %zu bytes: the first dropped is \"%s\", whole", src, size,
		   want_first);
	} else {
		ok(!cut.first_dropped, "\"%s\" in %zu bytes: nothing dropped", src, size);
	}
}

static void test_copy(void)
{
	check_copy("", 16, "", 0, NULL);
	check_copy("crash=none", 16, "crash=none", 0, NULL);
	check_copy("123456789012345", 16, "123456789012345", 0, NULL);
	/* netconsole= would be cut after "/et": it goes, and all after it. */
	check_copy("crash=none netconsole=@/eth0,@10.0.7.1/ panic=0", 30, "crash=none", 2,
		   "netconsole=@/eth0,@10.0.7.1/");
	/* The limit falls on the space after a parameter: that one stays. */
	check_copy("crash=none panic=0 x=1", 19, "crash=none panic=0", 1, "x=1");
	check_copy("crash=none panic=0 x=1", 18, "crash=none", 2, "panic=0");
	check_copy("abcdefghijklmnopqrstuvwxyz quiet", 16, "", 2, "abcdefghijklmnopqrstuvwxyz");
	check_copy("a  \t bare-key-too-long x", 12, "a", 2, "bare-key-too-long");
	check_copy("a=1 b=2", 4, "a=1", 1, "b=2");
	check_copy("a=1 b=2", 2, "", 2, "a=1");
	check_copy("a=1 b=2", 1, "", 2, "a=1");

	char long_line[COMMAND_LINE_SIZE + 100];
	memset(long_line, 'x', sizeof(long_line));
	memcpy(long_line, "pad=", 4);
	long_line[COMMAND_LINE_SIZE - 60] = ' ';
	memcpy(long_line + COMMAND_LINE_SIZE - 59, "netconsole=6665@10.0.7.5/eth0,6666@10.0.7.1/",
	       44);
	long_line[COMMAND_LINE_SIZE - 15] = ' ';
	memcpy(long_line + COMMAND_LINE_SIZE - 14, "crash=init-null", 15);
	long_line[COMMAND_LINE_SIZE + 1] = '\0';
	static char kept[COMMAND_LINE_SIZE];
	struct cmdline_cut cut;
	cmdline_copy(kept, sizeof(kept), long_line, &cut);
	is_int(strlen(kept), COMMAND_LINE_SIZE - 15, "a %d-byte line keeps what fits whole",
	       COMMAND_LINE_SIZE + 1);
	is_int(cut.dropped, 1, "and drops crash=, which the limit cuts");
	struct cmdline_param p;
	ok(cmdline_find(kept, "netconsole", &p) &&
		   cmdline_value_is(&p, "6665@10.0.7.5/eth0,6666@10.0.7.1/"),
	   "the netconsole= before the cut is kept whole");
	ok(!cmdline_find(kept, "crash", &p), "no part of the cut crash= is kept");
}

static void check_head(const char *s, size_t max, size_t want, const char *want_rest)
{
	const char *rest;
	is_int(cmdline_head(s, max, &rest), want, "head of \"%s\" within %zu bytes", s, max);
	is_str(rest, want_rest, "after the head of \"%s\" within %zu bytes", s, max);
}

static void test_head(void)
{
	check_head("", 10, 0, "");
	check_head("a=1 b=2", 10, 7, "");
	check_head("a=1 b=2", 7, 7, "");
	check_head("a=1 b=2", 6, 3, "b=2");
	check_head("a=1 b=2", 3, 3, "b=2");
	check_head("a=1 b=2", 2, 2, "1 b=2");
	check_head("abcdef", 4, 4, "ef");
	check_head("a=1  b=2", 5, 3, "b=2");
	check_head("a=1 \t b=2", 7, 3, "b=2");
	check_head("   abc", 4, 4, "bc");
}

/* Boots line: the modules ask for the keys in asked (space-separated);
 * then the unknown ones are listed into a buffer of size bytes. */
static void check_unknown(const char *line, const char *asked, size_t size, unsigned want_count,
			  const char *want)
{
	static char booted[COMMAND_LINE_SIZE];
	char keys[64], list[64];
	struct cmdline_param p;

	memset(known, 0, sizeof(known));
	snprintf(booted, sizeof(booted), "%s", line);
	kernel_cmdline = booted;
	snprintf(keys, sizeof(keys), "%s", asked);
	for (char *key = strtok(keys, " "); key; key = strtok(NULL, " "))
		cmdline_find(kernel_cmdline, key, &p);
	memset(list, '#', sizeof(list));
	is_int(cmdline_unknown(list, size), want_count, "\"%s\" asked for \"%s\": %u unknown", line,
	       asked, want_count);
	is_str(list, want, "\"%s\" asked for \"%s\": listed in %zu bytes", line, asked, size);
	kernel_cmdline = "";
}

static void test_unknown(void)
{
	check_unknown("", "", 64, 0, "");
	check_unknown("/boot/kernel.elf", "", 64, 0, "");
	check_unknown("/boot/kernel.elf crash=none panic=0", "crash panic", 64, 0, "");
	check_unknown("/boot/kernel.elf crahs=none panic=0", "crash panic", 64, 1, "crahs=none");
	check_unknown("/k crash=none quiet x=1 panic=0", "crash panic", 64, 2, "quiet x=1");
	/* Every token with the asked key is known, not only the last. */
	check_unknown("/k crash=a crash=b crash", "crash", 64, 0, "");
	/* A key asked for that only occurs inside a value is no token. */
	check_unknown("/k opt=crash", "crash", 64, 1, "opt=crash");
	/* A first word that is a path is the kernel's (QEMU, GRUB legacy);
	 * GRUB 2 passes none, and a first parameter counts like any other. */
	check_unknown("kernel.elf x", "", 64, 1, "x");
	check_unknown("crash=none x", "", 64, 2, "crash=none x");
	check_unknown("quiet x", "", 64, 2, "quiet x");
	check_unknown("opt=a/b.c x", "", 64, 2, "opt=a/b.c x");
	check_unknown("/k aaaa bbbb cccc", "", 14, 3, "aaaa bbbb ...");
	check_unknown("/k aaaa bbbb cccc", "", 19, 3, "aaaa bbbb cccc");
	check_unknown("/k aaaa bbbb cccc", "", 18, 3, "aaaa bbbb ...");
	check_unknown("/k aaaaaaaaaa", "", 8, 1, "...");
	check_unknown("/k aaaa", "", 1, 1, "");

	/* Lookups in another string do not make kernel_cmdline's known. */
	static char booted[] = "/k crash=none";
	struct cmdline_param p;
	char list[32];
	memset(known, 0, sizeof(known));
	kernel_cmdline = booted;
	cmdline_find("crash=none", "crash", &p);
	is_int(cmdline_unknown(list, sizeof(list)), 1, "a lookup elsewhere knows nothing here");
	kernel_cmdline = "";
}

int main(void)
{
	plan(161);
	test_copy();
	test_head();
	test_unknown();
	test_tokens();
	test_split();
	test_find();
	return done_testing();
}
