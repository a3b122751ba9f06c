/* Command-line parsing for netconsole-client. */
#include "host/client-options.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nine digits (about 31 years) keep the millisecond count far from
 * overflow and are more than any test waits. */
#define TIMEOUT_MAX_INT_DIGITS 9

enum option_id {
	OPT_SERVER,
	OPT_CLIENT,
	OPT_PORT,
	OPT_EXPECT,
	OPT_TIMEOUT,
	OPT_OUTPUT,
	OPT_READY_FILE,
	OPT_QUIET,
	OPT_ACK,
	OPT_RAW,
	OPT_HELP,
	OPT_DUMP_DIR,
	OPT_DUMP_PORT,
	OPT_DUMP_DROP
};

struct option_spec {
	const char *name;
	enum option_id id;
	bool takes_value;
};

static const struct option_spec option_specs[] = {
	{"server", OPT_SERVER, true},
	{"client", OPT_CLIENT, true},
	{"port", OPT_PORT, true},
	{"expect", OPT_EXPECT, true},
	{"timeout", OPT_TIMEOUT, true},
	{"output", OPT_OUTPUT, true},
	{"ready-file", OPT_READY_FILE, true},
	{"quiet", OPT_QUIET, false},
	{"ack", OPT_ACK, false},
	{"raw", OPT_RAW, true},
	{"help", OPT_HELP, false},
	{"h", OPT_HELP, false},
	{"dump-dir", OPT_DUMP_DIR, true},
	{"dump-port", OPT_DUMP_PORT, true},
	{"dump-drop", OPT_DUMP_DROP, true},
};

static int fail(char *error, size_t error_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error, error_size, fmt, ap);
	va_end(ap);
	return -1;
}

int client_parse_port(const char *text, unsigned short *port)
{
	unsigned long value = 0;
	const char *p;

	if (!*text)
		return -1;
	for (p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		value = value * 10 + (unsigned long)(*p - '0');
		if (value > 65535)
			return -1;
	}
	if (value == 0)
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

static const struct option_spec *find_option(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(option_specs) / sizeof(option_specs[0]); i++)
		if (strlen(option_specs[i].name) == len &&
		    strncmp(option_specs[i].name, name, len) == 0)
			return &option_specs[i];
	return NULL;
}

static int apply_option(const struct option_spec *spec, const char *shown, const char *value,
			struct client_options *opts, char *error, size_t error_size)
{
	switch (spec->id) {
	case OPT_SERVER:
		if (inet_pton(AF_INET, value, &opts->server) != 1)
			return fail(error, error_size, "%s: bad IPv4 address '%s'", shown, value);
		opts->filter_sender = true;
		return 0;
	case OPT_CLIENT:
		if (inet_pton(AF_INET, value, &opts->client) != 1)
			return fail(error, error_size, "%s: bad IPv4 address '%s'", shown, value);
		return 0;
	case OPT_PORT:
		if (client_parse_port(value, &opts->port))
			return fail(error, error_size, "%s: port '%s' is not in 1..65535", shown,
				    value);
		return 0;
	case OPT_EXPECT:
		if (!*value)
			return fail(error, error_size, "%s: empty text", shown);
		opts->expects[opts->expect_count++] = value;
		return 0;
	case OPT_TIMEOUT:
		if (client_parse_timeout(value, &opts->timeout_ms))
			return fail(error, error_size,
				    "%s: bad timeout '%s' (want seconds > 0, e.g. 5 or 0.25)",
				    shown, value);
		return 0;
	case OPT_OUTPUT:
		opts->output_path = value;
		return 0;
	case OPT_READY_FILE:
		opts->ready_path = value;
		return 0;
	case OPT_QUIET:
		opts->quiet = true;
		return 0;
	case OPT_ACK:
		opts->ack = true;
		return 0;
	case OPT_RAW:
		opts->raw_path = value;
		return 0;
	case OPT_HELP:
		opts->help = true;
		return 0;
	case OPT_DUMP_DIR:
		if (!*value)
			return fail(error, error_size, "%s: empty directory name", shown);
		opts->dump_dir = value;
		return 0;
	case OPT_DUMP_DROP: {
		unsigned short percent;
		if (client_parse_port(value, &percent) || percent > 99)
			return fail(error, error_size, "%s: '%s' is not a percentage in 1..99",
				    shown, value);
		opts->dump_drop_percent = percent;
		return 0;
	}
	case OPT_DUMP_PORT:
		if (client_parse_port(value, &opts->dump_port))
			return fail(error, error_size, "%s: port '%s' is not in 1..65535", shown,
				    value);
		return 0;
	}
	return fail(error, error_size, "%s: unhandled option", shown);
}

int client_parse_options(int argc, char **argv, struct client_options *opts, char *error,
			 size_t error_size)
{
	int i;

	memset(opts, 0, sizeof(*opts));
	opts->client.s_addr = htonl(INADDR_ANY);
	opts->port = CLIENT_DEFAULT_PORT;
	opts->dump_port = CLIENT_DEFAULT_DUMP_PORT;
	/* Every --expect needs at least two argv slots, so argc bounds them. */
	opts->expects = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*opts->expects));
	if (!opts->expects)
		return fail(error, error_size, "out of memory");

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *name, *value = NULL, *equals;
		const struct option_spec *spec;
		char shown[32];
		size_t name_len;

		if (arg[0] != '-' || arg[1] == '\0')
			return fail(error, error_size, "unexpected argument '%s'", arg);
		name = arg + (arg[1] == '-' ? 2 : 1);
		equals = arg[1] == '-' ? strchr(name, '=') : NULL;
		name_len = equals ? (size_t)(equals - name) : strlen(name);
		spec = find_option(name, name_len);
		if (!spec)
			return fail(error, error_size, "unknown option '%s'", arg);
		if (!spec->takes_value) {
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
		snprintf(shown, sizeof(shown), "%.*s", (int)(name - arg + name_len), arg);
		if (apply_option(spec, shown, value, opts, error, error_size))
			return -1;
	}
	return 0;
}

void client_free_options(struct client_options *opts)
{
	free(opts->expects);
	opts->expects = NULL;
	opts->expect_count = 0;
}
