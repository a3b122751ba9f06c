/* Tests kernel/cmdline.c: splitting the command line into key=value and bare
 * tokens, and finding the last token with a given key. */
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

int main(void)
{
	plan(60);
	test_tokens();
	test_split();
	test_find();
	return done_testing();
}
