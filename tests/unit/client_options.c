/* Tests host/client-options.c: the 2001 single-dash invocation, the GNU
 * style, the test options, and the errors for bad values. */
#include "tap.h"

#include "host/client-dump.h"
#include "host/client-options.c"
#include "host/client-socket.c"

#define ARGC(argv) ((int)(sizeof(argv) / sizeof((argv)[0])))

static char error[256];

static const char *ip(struct in6_addr addr)
{
	static char text[INET6_ADDRSTRLEN];

	return client_format_ip(&addr, text);
}

static void check_error(int argc, char **argv, const char *want)
{
	struct client_options opts;

	error[0] = '\0';
	is_int(client_parse_options(argc, argv, &opts, error, sizeof(error)), -1,
	       "%s %s is rejected", argv[1], argc > 2 ? argv[2] : "");
	is_str(error, want, "error message for %s", argv[1]);
	client_free_options(&opts);
}

static void check_timeout(const char *text, int want_result, long long want_ms)
{
	long long ms = -1;
	int result = client_parse_timeout(text, &ms);

	is_int(result, want_result, "timeout '%s' %s", text, want_result ? "rejected" : "accepted");
	if (want_result == 0)
		is_int(ms, want_ms, "timeout '%s' is %lld ms", text, want_ms);
}

/* Every option in the table appears in the usage text, the 2001 ones in both
 * forms, and the test aids come last, under their own heading. */
static void check_usage(void)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	char form[64];
	bool all = true;

	client_print_usage(out, "c");
	fclose(out);
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct option_spec *spec = &option_specs[i];

		if (!spec->help)
			continue;
		snprintf(form, sizeof(form), "%s--%s", spec->dash2001 ? ", " : "  ", spec->name);
		if (!strstr(text, form)) {
			printf("# usage lacks %s\n", form);
			all = false;
		}
	}
	ok(all, "the usage text lists every option of the table");
	ok(strstr(text, "  -server, --server IP ") != NULL, "-server is shown in its 2001 form");
	const char *aids = strstr(text, "Test aids");
	ok(aids && strstr(aids, "--ready-file") && strstr(aids, "--dump-drop") &&
		   !strstr(aids, "--output"),
	   "--ready-file and --dump-drop are grouped as test aids, last");
	free(text);
}

int main(void)
{
	plan(109);
	struct client_options opts;
	unsigned short port;

	{
		char *argv[] = {"netconsole-client", "-server", "10.0.7.5", "-client",
				"10.0.7.1",	     "-port",	"6666"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "the 2001 invocation parses");
		ok(opts.filter_sender, "-server turns on sender filtering");
		is_str(ip(opts.server), "10.0.7.5", "-server address");
		is_str(ip(opts.client), "10.0.7.1", "-client address");
		is_int(opts.port, 6666, "-port value");
		is_int(opts.timeout_ms, 0, "no timeout by default");
		ok(!opts.quiet && !opts.output_path && !opts.ready_path && !opts.help,
		   "no test options by default");
		client_free_options(&opts);
	}
	{
		char *argv[] = {"netconsole-client"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "no arguments parse");
		ok(!opts.filter_sender, "no -server accepts every sender");
		is_str(ip(opts.client),
		       "::", "binds every local address, both families, by default");
		is_int(opts.port, CLIENT_DEFAULT_PORT, "default port");
		is_int(opts.dump_max, DUMP_MAX_DEFAULT,
		       "--dump-max defaults to the receiver's limit");
		is_int(opts.expect_count, 0, "no expected texts");
		client_free_options(&opts);
	}
	{
		char *argv[] = {"netconsole-client",
				"--server=127.0.0.2",
				"--client",
				"127.0.0.1",
				"--port=7000",
				"--expect",
				"Oops",
				"--expect=EIP is at",
				"--timeout",
				"2.5",
				"--output",
				"t.log",
				"--ready-file=r",
				"--quiet",
				"-port",
				"7001"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "GNU style and test options parse");
		is_str(ip(opts.server), "127.0.0.2", "--server=IP");
		is_str(ip(opts.client), "127.0.0.1", "--client IP");
		is_int(opts.port, 7001, "the last port given wins");
		is_int(opts.expect_count, 2, "--expect repeats");
		is_str(opts.expects[0], "Oops", "first expected text");
		is_str(opts.expects[1], "EIP is at", "--expect=TEXT keeps spaces");
		is_int(opts.timeout_ms, 2500, "--timeout 2.5");
		is_str(opts.output_path, "t.log", "--output");
		is_str(opts.ready_path, "r", "--ready-file=FILE");
		ok(opts.quiet, "--quiet");
		client_free_options(&opts);
	}
	{
		char *argv[] = {"netconsole-client", "--expect", "--port"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "a value that looks like an option is still a value");
		is_str(opts.expects[0], "--port", "--expect --port expects the text --port");
		client_free_options(&opts);
	}
	{
		char *argv[] = {"netconsole-client", "-h"};

		client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error));
		ok(opts.help, "-h asks for help");
		client_free_options(&opts);
	}

	{
		char *argv[] = {"c", "--bogus"};
		check_error(ARGC(argv), argv, "unknown option '--bogus'");
	}
	{
		char *argv[] = {"c", "--server"};
		check_error(ARGC(argv), argv, "--server needs a value");
	}
	{
		char *argv[] = {"c", "-server", "10.0.7.256"};
		check_error(ARGC(argv), argv,
			    "-server: '10.0.7.256' is not an IPv4 or IPv6 address");
	}
	{
		char *argv[] = {"c", "--client=10.0.7"};
		check_error(ARGC(argv), argv, "--client: '10.0.7' is not an IPv4 or IPv6 address");
	}
	{
		char *argv[] = {"c", "-server", "fd00::7::5"};
		check_error(ARGC(argv), argv,
			    "-server: 'fd00::7::5' is not an IPv4 or IPv6 address");
	}
	{
		char *argv[] = {"c", "-server", "fd00:7::5", "--client", "[fd00:7::1]"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "IPv6 addresses parse");
		is_str(ip(opts.server), "fd00:7::5", "-server IPv6");
		is_str(ip(opts.client), "fd00:7::1", "--client IPv6 in brackets");
		ok(!client_is_ipv4(&opts.server), "an IPv6 address is not IPv4-mapped");
		client_free_options(&opts);
	}
	{
		char *argv[] = {"c", "-port", "65536"};
		check_error(ARGC(argv), argv, "-port: '65536' is not a port in 1..65535");
	}
	{
		char *argv[] = {"c", "--timeout", "soon"};
		check_error(ARGC(argv), argv,
			    "--timeout: 'soon' is not a time in seconds > 0 (e.g. 5 or 0.25)");
	}
	{
		char *argv[] = {"c", "--quiet=1"};
		check_error(ARGC(argv), argv, "--quiet takes no value");
	}
	{
		char *argv[] = {"c", "6666"};
		check_error(ARGC(argv), argv, "unexpected argument '6666'");
	}

	{
		char *argv[] = {"c", "--dump-drop", "0", "--dump-dir=d", "--dump-port=7"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "--dump-drop 0 is accepted");
		is_int(opts.dump_drop_percent, 0, "--dump-drop 0 drops nothing");
		is_str(opts.dump_dir, "d", "--dump-dir=DIR");
		is_int(opts.dump_port, 7, "--dump-port=PORT");
		client_free_options(&opts);
	}
	{
		char *argv[] = {"c", "--dump-drop=99", "--ack", "--raw", "r.log"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "--dump-drop 99, --ack and --raw parse");
		is_int(opts.dump_drop_percent, 99, "--dump-drop 99");
		ok(opts.ack, "--ack");
		is_str(opts.raw_path, "r.log", "--raw FILE");
		client_free_options(&opts);
	}
	{
		char *argv[] = {"c", "--dump-drop", "100"};
		check_error(ARGC(argv), argv, "--dump-drop: '100' is not a percentage in 0..99");
	}
	{
		char *argv[] = {"c", "-expect", "x"};
		check_error(ARGC(argv), argv,
			    "unknown option '-expect' (did you mean '--expect'?)");
	}
	{
		char *argv[] = {"c", "--dump-max", "0"};
		check_error(ARGC(argv), argv, "--dump-max: '0' is not a size in 1..4G bytes");
	}
	{
		char *argv[] = {"c", "--dump-max=5G"};
		check_error(ARGC(argv), argv, "--dump-max: '5G' is not a size in 1..4G bytes");
	}
	{
		char *argv[] = {"c", "--dump-max", "256M"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "--dump-max 256M parses");
		is_int(opts.dump_max, 256ULL << 20, "--dump-max 256M is 256 MiB");
		client_free_options(&opts);
	}
	{
		uint64_t bytes = 0;
		is_int(client_parse_size("4G", &bytes), 0, "4G is the largest size");
		is_int(bytes, 1ULL << 32, "4G is 2^32 bytes");
		is_int(client_parse_size("4294967297", &bytes), -1, "4 GiB + 1 is refused");
		is_int(client_parse_size("18446744073709551616K", &bytes), -1,
		       "a number past 2^64 is refused, not wrapped");
		is_int(client_parse_size("12", &bytes), 0, "a plain byte count parses");
		is_int(bytes, 12, "12 bytes");
	}
	{
		char *argv[] = {"c", "--sysrq-to-sender"};
		check_error(ARGC(argv), argv,
			    "--sysrq-secret, --sysrq-after and --sysrq-to-sender need --sysrq");
	}
	{
		char *argv[] = {"c", "-server",	     "127.0.0.1", "--sysrq",
				"c", "--sysrq-port", "7000",	  "--sysrq-to-sender"};
		check_error(ARGC(argv), argv,
			    "--sysrq-port and --sysrq-to-sender name two destinations; give one");
	}
	{
		char *argv[] = {"c", "-server", "127.0.0.1", "--sysrq", "c", "--sysrq-to-sender"};

		is_int(client_parse_options(ARGC(argv), argv, &opts, error, sizeof(error)), 0,
		       "--sysrq c --sysrq-to-sender parses");
		ok(opts.sysrq_to_sender && !opts.sysrq_port_given,
		   "--sysrq-to-sender is set, --sysrq-port not given");
		client_free_options(&opts);
	}
	check_usage();

	is_int(client_parse_port("1", &port), 0, "port 1 accepted");
	is_int(port, 1, "port 1 value");
	is_int(client_parse_port("65535", &port), 0, "port 65535 accepted");
	is_int(port, 65535, "port 65535 value");
	is_int(client_parse_port("0", &port), -1, "port 0 rejected");
	is_int(client_parse_port("", &port), -1, "empty port rejected");
	is_int(client_parse_port("+80", &port), -1, "signed port rejected");
	is_int(client_parse_port("99999999999999999999", &port), -1, "huge port rejected");

	check_timeout("5", 0, 5000);
	check_timeout("0.25", 0, 250);
	check_timeout(".5", 0, 500);
	check_timeout("1.500", 0, 1500);
	check_timeout("0.001", 0, 1);
	check_timeout("999999999", 0, 999999999000LL);
	check_timeout("0", -1, 0);
	check_timeout("0.0004", -1, 0);
	check_timeout("5.", -1, 0);
	check_timeout("-1", -1, 0);
	check_timeout("1e3", -1, 0);
	check_timeout("", -1, 0);
	check_timeout("1000000000", -1, 0);
	return done_testing();
}
