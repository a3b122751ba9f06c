/* Command-line parsing for netconsole-client: one table holds every option,
 * its 2001 single-dash form where the 2001 client had one, its value, its
 * help line and its group; the usage text is printed from the same table.
 * Host only, normal process context; parsing never exits or prints, so it
 * can be unit-tested. */
#ifndef HOST_CLIENT_OPTIONS_H
#define HOST_CLIENT_OPTIONS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLIENT_DEFAULT_PORT 6666
#define CLIENT_DEFAULT_DUMP_PORT 6667
/* Where --sysrq goes: the kernel's netconsole (source) port, Linux's 6665. */
#define CLIENT_DEFAULT_SYSRQ_PORT 6665
/* --dump-max's default, in MiB (host/client-dump.h's DUMP_MAX_DEFAULT). */
#define CLIENT_DEFAULT_DUMP_MAX_MIB 1024

struct client_options {
	bool filter_sender;
	struct in6_addr server;
	struct in6_addr client;
	unsigned short port;
	/* Zero means wait forever. */
	long long timeout_ms;
	const char **expects;
	size_t expect_count;
	const char *output_path;
	const char *ready_path;
	bool quiet;
	bool help;
	/* Extended format: answer each sender with ncrx acknowledgements and
	 * retransmission requests; raw_path gets the payloads as they came. */
	bool ack;
	const char *raw_path;
	/* netdump: where cores go (NULL: dumps are not received), and the
	 * UDP port they arrive on. */
	const char *dump_dir;
	unsigned short dump_port;
	/* The largest core accepted, in bytes. */
	uint64_t dump_max;
	/* Test aid: percentage of dump traffic to drop (0..99). */
	unsigned dump_drop_percent;
	/* Test aid: --drop rules (host/client-drop.h), as given. */
	const char **drops;
	size_t drop_count;
	/* Magic SysRq: the key sent to -server's sysrq_port once sysrq_after
	 * has arrived (at once without it), with the secret of the kernel's
	 * netconsole_sysrq= (none: the kernel must refuse it). With
	 * sysrq_to_sender it goes instead to the address and port the kernel's
	 * records came from: behind a NAT (QEMU's user-mode network) the only
	 * way back to the kernel's netconsole port. */
	const char *sysrq_key;
	const char *sysrq_secret;
	const char *sysrq_after;
	unsigned short sysrq_port;
	bool sysrq_port_given;
	bool sysrq_to_sender;
};

/* Fills opts from argv (strings are borrowed, not copied). Returns 0, or -1
 * with a message naming the problem in error[0..error_size). Either way the
 * caller releases opts with client_free_options(). */
int client_parse_options(int argc, char **argv, struct client_options *opts, char *error,
			 size_t error_size);

void client_free_options(struct client_options *opts);

/* The usage text, grouped, with the test aids last. */
void client_print_usage(FILE *out, const char *prog);

/* Parses "SECONDS" or "SECONDS.FRACTION" (decimal, at most millisecond
 * precision, greater than zero) into milliseconds. Returns 0 or -1. */
int client_parse_timeout(const char *text, long long *ms);

/* Parses a decimal port 1..65535. Returns 0 or -1. */
int client_parse_port(const char *text, unsigned short *port);

/* Parses a size in bytes: decimal, optionally followed by K, M or G
 * (binary multiples), 1 byte .. 4 GiB. Returns 0 or -1. */
int client_parse_size(const char *text, uint64_t *bytes);

/* Parses a decimal number min..max (no sign, no spaces). Returns 0 or -1. */
int client_parse_number(const char *text, uint64_t min, uint64_t max, uint64_t *value);

#endif
