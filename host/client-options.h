/* Command-line parsing for netconsole-client: the 2001 single-dash options
 * plus the GNU style and test options. Host only, normal process context;
 * parsing never exits or prints, so it can be unit-tested. */
#ifndef HOST_CLIENT_OPTIONS_H
#define HOST_CLIENT_OPTIONS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#define CLIENT_DEFAULT_PORT 6666
#define CLIENT_DEFAULT_DUMP_PORT 6667

struct client_options {
	bool filter_sender;
	struct in_addr server;
	struct in_addr client;
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
	/* Test aid: percentage of dump traffic to drop (0..99). */
	unsigned dump_drop_percent;
};

/* Fills opts from argv (strings are borrowed, not copied). Returns 0, or -1
 * with a message naming the problem in error[0..error_size). Either way the
 * caller releases opts with client_free_options(). */
int client_parse_options(int argc, char **argv, struct client_options *opts, char *error,
			 size_t error_size);

void client_free_options(struct client_options *opts);

/* Parses "SECONDS" or "SECONDS.FRACTION" (decimal, at most millisecond
 * precision, greater than zero) into milliseconds. Returns 0 or -1. */
int client_parse_timeout(const char *text, long long *ms);

/* Parses a decimal port 1..65535. Returns 0 or -1. */
int client_parse_port(const char *text, unsigned short *port);

#endif
