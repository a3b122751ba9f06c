/* Command-line parsing for netconsole-client. */
#include "host/client-options.h"
#include "host/client-socket.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Nine digits (about 31 years) keep the millisecond count far from
 * overflow and are more than any test waits. */
#define TIMEOUT_MAX_INT_DIGITS 9

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* What an option's value is; each kind has one parser and one phrase for
 * the error message ("'VALUE' is not PHRASE"). */
enum value_kind {
	VALUE_NONE, /* a flag: sets a bool */
	VALUE_ADDRESS,
	VALUE_PORT,
	VALUE_TIMEOUT,
	VALUE_PATH, /* any non-empty string */
	VALUE_TEXT_LIST, /* non-empty, repeatable: appended to expects */
	VALUE_DROP_LIST, /* non-empty, repeatable: appended to drops */
	VALUE_PERCENT,
	VALUE_SIZE,
};

enum option_group {
	GROUP_LISTEN,
	GROUP_SCRIPTS,
	GROUP_DUMP,
	GROUP_SYSRQ,
	GROUP_TEST_AIDS,
	GROUP_COUNT
};

static const char *const group_titles[GROUP_COUNT] = {
	[GROUP_LISTEN] = "Listening (the 2001 client's single-dash forms work too):",
	[GROUP_SCRIPTS] = "Scripts and transcripts:",
	[GROUP_DUMP] = "Crash dumps (netdump):",
	[GROUP_SYSRQ] = "Magic SysRq (to the kernel at -server):",
	[GROUP_TEST_AIDS] = "Test aids (for the harness, not for normal use):",
};

#define NO_FIELD ((size_t)-1)

struct option_spec {
	const char *name;
	bool dash2001; /* also accepted as -NAME, as the 2001 client did */
	enum value_kind kind;
	const char *value_name; /* in the usage text */
	size_t field; /* offsetof in struct client_options */
	size_t also_set; /* a bool set when the option is given, or NO_FIELD */
	enum option_group group;
	const char *help;
};

#define FIELD(name) offsetof(struct client_options, name)

static const struct option_spec option_specs[] = {
	{"server", true, VALUE_ADDRESS, "IP", FIELD(server), FIELD(filter_sender), GROUP_LISTEN,
	 "accept packets only from this sender"},
	{"client", true, VALUE_ADDRESS, "IP", FIELD(client), NO_FIELD, GROUP_LISTEN,
	 "local address to bind (default any)"},
	{"port", true, VALUE_PORT, "PORT", FIELD(port), NO_FIELD, GROUP_LISTEN,
	 "UDP port to bind (default " STRINGIFY(CLIENT_DEFAULT_PORT) ")"},
	{"ack", false, VALUE_NONE, NULL, FIELD(ack), NO_FIELD, GROUP_LISTEN,
	 "answer extended senders with ncrx acks and requests"},
	{"quiet", false, VALUE_NONE, NULL, FIELD(quiet), NO_FIELD, GROUP_LISTEN,
	 "do not print messages to stdout"},
	{"help", false, VALUE_NONE, NULL, FIELD(help), NO_FIELD, GROUP_LISTEN,
	 "this text (-h too)"},
	{"h", true, VALUE_NONE, NULL, FIELD(help), NO_FIELD, GROUP_COUNT, NULL},
	{"expect", false, VALUE_TEXT_LIST, "TEXT", FIELD(expects), NO_FIELD, GROUP_SCRIPTS,
	 "exit 0 once every TEXT was received (repeatable)"},
	{"timeout", false, VALUE_TIMEOUT, "SECONDS", FIELD(timeout_ms), NO_FIELD, GROUP_SCRIPTS,
	 "give up after SECONDS; exit 1 if a TEXT is missing"},
	{"output", false, VALUE_PATH, "FILE", FIELD(output_path), NO_FIELD, GROUP_SCRIPTS,
	 "transcript of the first sender (FILE.IP-PORT: others)"},
	{"raw", false, VALUE_PATH, "FILE", FIELD(raw_path), NO_FIELD, GROUP_SCRIPTS,
	 "the payloads as they came, before reassembly"},
	{"dump-dir", false, VALUE_PATH, "DIR", FIELD(dump_dir), NO_FIELD, GROUP_DUMP,
	 "receive crash dumps into DIR (vmcore.IP.N, info.IP.N);\n"
	 "with --expect, also wait for one dump"},
	{"dump-port", false, VALUE_PORT, "PORT", FIELD(dump_port), NO_FIELD, GROUP_DUMP,
	 "UDP port for dumps (default " STRINGIFY(CLIENT_DEFAULT_DUMP_PORT) ")"},
	{"dump-max", false, VALUE_SIZE, "BYTES", FIELD(dump_max), NO_FIELD, GROUP_DUMP,
	 "refuse dumps whose core is larger (K, M, G suffixes;\n"
	 "default " STRINGIFY(CLIENT_DEFAULT_DUMP_MAX_MIB) "M)"},
	{"sysrq", false, VALUE_PATH, "KEY", FIELD(sysrq_key), NO_FIELD, GROUP_SYSRQ,
	 "send the SysRq KEY (one character), once"},
	{"sysrq-secret", false, VALUE_PATH, "SECRET", FIELD(sysrq_secret), NO_FIELD, GROUP_SYSRQ,
	 "the kernel's netconsole_sysrq= secret"},
	{"sysrq-after", false, VALUE_PATH, "TEXT", FIELD(sysrq_after), NO_FIELD, GROUP_SYSRQ,
	 "send it once TEXT was received (default: at once)"},
	{"sysrq-port", false, VALUE_PORT, "PORT", FIELD(sysrq_port), FIELD(sysrq_port_given),
	 GROUP_SYSRQ,
	 "the kernel's netconsole port (default " STRINGIFY(CLIENT_DEFAULT_SYSRQ_PORT) ")"},
	{"sysrq-to-sender", false, VALUE_NONE, NULL, FIELD(sysrq_to_sender), NO_FIELD, GROUP_SYSRQ,
	 "send it back to where the kernel's records come from\n"
	 "(the way through a NAT such as QEMU's user network)"},
	{"ready-file", false, VALUE_PATH, "FILE", FIELD(ready_path), NO_FIELD, GROUP_TEST_AIDS,
	 "created once the sockets are bound"},
	{"dump-drop", false, VALUE_PERCENT, "PERCENT", FIELD(dump_drop_percent), NO_FIELD,
	 GROUP_TEST_AIDS, "drop PERCENT (0..99) of dump packets and acks"},
	{"drop", false, VALUE_DROP_LIST, "RULE", FIELD(drops), NO_FIELD, GROUP_TEST_AIDS,
	 "lose record packets and ncrx replies (repeatable): seq:A[-B],\n"
	 "text:TEXT, frag:SEQ:N, replies-after:TEXT:MS, random:PERCENT:SEED"},
};

#define OPTION_COUNT (sizeof(option_specs) / sizeof(option_specs[0]))

static int fail(char *error, size_t error_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error, error_size, fmt, ap);
	va_end(ap);
	return -1;
}

int client_parse_number(const char *text, uint64_t min, uint64_t max, uint64_t *value)
{
	uint64_t v = 0;
	const char *p;

	if (!*text)
		return -1;
	for (p = text; *p; p++) {
		unsigned digit = (unsigned)(*p - '0');

		if (*p < '0' || *p > '9' || digit > max || v > (max - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	if (v < min)
		return -1;
	*value = v;
	return 0;
}

int client_parse_size(const char *text, uint64_t *bytes)
{
	static const char suffixes[] = "KMG";
	char digits[24];
	size_t len = strlen(text);
	const char *suffix;
	unsigned shift = 0;
	uint64_t value;

	if (len == 0 || len >= sizeof(digits))
		return -1;
	memcpy(digits, text, len + 1);
	suffix = strchr(suffixes, digits[len - 1]);
	if (digits[len - 1] && suffix) {
		shift = 10 * (unsigned)(suffix - suffixes + 1);
		digits[len - 1] = '\0';
	}
	if (client_parse_number(digits, 1, (1ULL << 32) >> shift, &value))
		return -1;
	*bytes = value << shift;
	return 0;
}

int client_parse_port(const char *text, unsigned short *port)
{
	uint64_t value;

	if (client_parse_number(text, 1, 65535, &value))
		return -1;
	*port = (unsigned short)value;
	return 0;
}

int client_parse_timeout(const char *text, long long *ms)
{
	long long seconds = 0, millis = 0, scale = 100;
	const char *p = text;
	int int_digits = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (++int_digits > TIMEOUT_MAX_INT_DIGITS)
			return -1;
		seconds = seconds * 10 + (*p - '0');
	}
	if (*p == '.') {
		int frac_digits = 0;

		for (p++; *p >= '0' && *p <= '9'; p++, frac_digits++) {
			if (scale == 0) {
				if (*p != '0')
					return -1;
				continue;
			}
			millis += (*p - '0') * scale;
			scale /= 10;
		}
		if (frac_digits == 0)
			return -1;
	} else if (int_digits == 0) {
		return -1;
	}
	if (*p)
		return -1;
	*ms = seconds * 1000 + millis;
	return *ms > 0 ? 0 : -1;
}

/* Stores value into the option's field; returns NULL, or what the value
 * should have been. */
static const char *store_value(const struct option_spec *spec, const char *value,
			       struct client_options *opts)
{
	void *field = (char *)opts + spec->field;
	uint64_t number;

	switch (spec->kind) {
	case VALUE_NONE:
		*(bool *)field = true;
		return NULL;
	case VALUE_ADDRESS:
		return client_parse_ip(value, field) == 0 ? NULL : "an IPv4 or IPv6 address";
	case VALUE_PORT:
		return client_parse_port(value, field) == 0 ? NULL : "a port in 1..65535";
	case VALUE_TIMEOUT:
		return client_parse_timeout(value, field) == 0
			       ? NULL
			       : "a time in seconds > 0 (e.g. 5 or 0.25)";
	case VALUE_PATH:
		if (!*value)
			return "a name";
		*(const char **)field = value;
		return NULL;
	case VALUE_TEXT_LIST:
		if (!*value)
			return "a text";
		opts->expects[opts->expect_count++] = value;
		return NULL;
	case VALUE_DROP_LIST:
		if (!*value)
			return "a rule";
		opts->drops[opts->drop_count++] = value;
		return NULL;
	case VALUE_PERCENT:
		if (client_parse_number(value, 0, 99, &number))
			return "a percentage in 0..99";
		*(unsigned *)field = (unsigned)number;
		return NULL;
	case VALUE_SIZE:
		return client_parse_size(value, field) == 0 ? NULL : "a size in 1..4G bytes";
	}
	return "handled";
}

/* The option named name[0..len), written with one dash (single) or two. */
static const struct option_spec *find_option(const char *name, size_t len, bool single)
{
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct option_spec *spec = &option_specs[i];

		if (strlen(spec->name) == len && strncmp(spec->name, name, len) == 0 &&
		    (!single || spec->dash2001))
			return spec;
	}
	return NULL;
}

int client_parse_options(int argc, char **argv, struct client_options *opts, char *error,
			 size_t error_size)
{
	int i;

	memset(opts, 0, sizeof(*opts));
	opts->client = in6addr_any;
	opts->port = CLIENT_DEFAULT_PORT;
	opts->dump_port = CLIENT_DEFAULT_DUMP_PORT;
	opts->sysrq_port = CLIENT_DEFAULT_SYSRQ_PORT;
	opts->dump_max = (uint64_t)CLIENT_DEFAULT_DUMP_MAX_MIB << 20;
	/* Every --expect or --drop needs at least two argv slots, so argc bounds them. */
	opts->expects = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*opts->expects));
	opts->drops = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*opts->drops));
	if (!opts->expects || !opts->drops)
		return fail(error, error_size, "out of memory");

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *name, *value = NULL, *equals, *wanted;
		const struct option_spec *spec;
		bool single;
		size_t name_len;

		if (arg[0] != '-' || arg[1] == '\0')
			return fail(error, error_size, "unexpected argument '%s'", arg);
		single = arg[1] != '-';
		name = arg + (single ? 1 : 2);
		equals = single ? NULL : strchr(name, '=');
		name_len = equals ? (size_t)(equals - name) : strlen(name);
		spec = find_option(name, name_len, single);
		if (!spec && single && find_option(name, name_len, false))
			return fail(error, error_size, "unknown option '%s' (did you mean '-%s'?)",
				    arg, arg);
		if (!spec)
			return fail(error, error_size, "unknown option '%s'", arg);
		if (spec->kind == VALUE_NONE) {
			if (equals)
				return fail(error, error_size, "%.*s takes no value",
					    (int)(equals - arg), arg);
		} else if (equals) {
			value = equals + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			return fail(error, error_size, "%s needs a value", arg);
		}
		wanted = store_value(spec, value, opts);
		if (wanted)
			return fail(error, error_size, "%.*s: '%s' is not %s",
				    (int)(name - arg + name_len), arg, value, wanted);
		if (spec->also_set != NO_FIELD)
			*(bool *)((char *)opts + spec->also_set) = true;
	}
	if (opts->sysrq_key && strlen(opts->sysrq_key) != 1)
		return fail(error, error_size, "--sysrq: '%s' is not one character",
			    opts->sysrq_key);
	if (opts->sysrq_key && !opts->filter_sender)
		return fail(error, error_size, "--sysrq needs -server (the kernel's address)");
	if (!opts->sysrq_key && (opts->sysrq_secret || opts->sysrq_after || opts->sysrq_to_sender))
		return fail(error, error_size,
			    "--sysrq-secret, --sysrq-after and --sysrq-to-sender need --sysrq");
	if (opts->sysrq_to_sender && opts->sysrq_port_given)
		return fail(error, error_size,
			    "--sysrq-port and --sysrq-to-sender name two destinations; give one");
	if (opts->sysrq_secret && strchr(opts->sysrq_secret, ' '))
		return fail(error, error_size, "--sysrq-secret: a secret has no spaces");
	return 0;
}

void client_free_options(struct client_options *opts)
{
	free(opts->expects);
	opts->expects = NULL;
	opts->expect_count = 0;
	free(opts->drops);
	opts->drops = NULL;
	opts->drop_count = 0;
}

void client_print_usage(FILE *out, const char *prog)
{
	fprintf(out, "usage: %s [-server IP] [-client IP] [-port PORT] [options]\n", prog);
	for (int group = 0; group < GROUP_COUNT; group++) {
		fprintf(out, "%s\n", group_titles[group]);
		for (size_t i = 0; i < OPTION_COUNT; i++) {
			const struct option_spec *spec = &option_specs[i];
			char form[64];
			const char *help;

			if ((int)spec->group != group)
				continue;
			snprintf(form, sizeof(form), "%s%s%s--%s%s%s", spec->dash2001 ? "-" : "",
				 spec->dash2001 ? spec->name : "", spec->dash2001 ? ", " : "",
				 spec->name, spec->value_name ? " " : "",
				 spec->value_name ? spec->value_name : "");
			/* Continuation lines of the help line up under its start. */
			fprintf(out, "  %-24s ", form);
			for (help = spec->help; *help; help++) {
				fputc(*help, out);
				if (*help == '\n')
					fprintf(out, "  %-24s ", "");
			}
			fputc('\n', out);
		}
	}
}
