/* netconsole-client: receives netconsole UDP packets and shows them, the
 * host half of the 2001 netconsole patch ("netconsole-client -server
 * 10.0.7.5 -client 10.0.7.1 -port 6666"), plus what tests need: expected
 * texts with a deadline, a raw transcript and a ready file.
 *
 * This file is the loop: it owns the sockets (host/client-socket.h), hands
 * log datagrams to the per-sender streams (host/client-senders.h) and dump
 * datagrams to the netdump receiver (host/client-dump.h), and feeds what the
 * senders deliver to the display and the expectations. */
#include "host/client-drop.h"
#include "host/client-dump.h"
#include "host/client-escape.h"
#include "host/client-expect.h"
#include "host/client-files.h"
#include "host/client-options.h"
#include "host/client-senders.h"
#include "host/client-socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROG "netconsole-client"

enum exit_code { EXIT_ALL_SEEN = 0, EXIT_MISSING = 1, EXIT_TROUBLE = 2 };

/* A burst of dump data can be a whole send window, and a burst of records
 * must fit while the listener writes out what came before: the socket
 * buffers must hold them. */
#define SOCKET_RCVBUF (16 * 1024 * 1024)
/* Datagrams read before the acknowledgements for them go out as one batch. */
#define DUMP_BATCH 256
/* Records read per poll() wakeup. */
#define RECORD_BATCH 256
/* How often the loop wakes up with nothing arriving: held records and
 * replies are due (senders), silent dumps are closed (dumps). */
#define SENDERS_TICK_MS SENDER_REPLY_SOON_MS
#define DUMPS_TICK_MS 1000

struct listener {
	const struct client_options *opts;
	int sock;
	int transcript_fd;
	int raw_fd;
	bool raw_failed;
	/* Log datagrams no sender state could be made for (out of memory). */
	unsigned long dropped;
	struct expect_set expects;
	/* --sysrq-after's text, and whether the key went out. */
	struct expect_set sysrq_after;
	bool sysrq_sent;
	/* Where the last accepted record came from (--sysrq-to-sender). */
	struct sockaddr_in6 records_from;
	bool have_records_from;
	struct sender_table *senders;
	/* --drop: losses the tests choose (NULL: none). */
	struct drop_plan *drops;
	/* Datagrams dropped by the -server filter, and the last one's sender. */
	unsigned long filtered;
	struct sockaddr_in6 last_filtered;
	/* netdump, with --dump-dir: its own socket on the dump port. */
	int dump_sock;
	struct dump_receiver *dumps;
};

/* Signals arrive through a pipe so poll() sees them: checking a flag before
 * poll() would race with a signal landing just before the call. */
static int signal_pipe[2] = {-1, -1};

static void on_stop_signal(int signo)
{
	int saved_errno = errno;
	unsigned char byte = (unsigned char)signo;

	if (write(signal_pipe[1], &byte, 1) < 0) {
		/* The pipe is full, so a stop is already pending. */
	}
	errno = saved_errno;
}

static int set_flags(int fd, int fd_flags, int status_flags)
{
	if (fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | fd_flags) < 0)
		return -1;
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | status_flags);
}

static int install_signal_handlers(void)
{
	struct sigaction action;

	if (pipe(signal_pipe) < 0 || set_flags(signal_pipe[0], FD_CLOEXEC, O_NONBLOCK) < 0 ||
	    set_flags(signal_pipe[1], FD_CLOEXEC, O_NONBLOCK) < 0) {
		fprintf(stderr, PROG ": signal pipe: %s\n", strerror(errno));
		return -1;
	}
	memset(&action, 0, sizeof(action));
	action.sa_handler = on_stop_signal;
	sigemptyset(&action.sa_mask);
	if (sigaction(SIGINT, &action, NULL) < 0 || sigaction(SIGTERM, &action, NULL) < 0) {
		fprintf(stderr, PROG ": sigaction: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static long long monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Where every sender's records end up besides its transcript: the display
 * (escaped whether or not stdout is a terminal: a log piped to a file is
 * often viewed with cat later) and the expectations. */
static void show_record(const struct sockaddr_in6 *from, const char *data, size_t len, void *ctx)
{
	static char escaped[CLIENT_ESCAPE_MAX_EXPANSION * CLIENT_MAX_PAYLOAD];
	struct listener *listener = ctx;

	(void)from;
	if (!listener->opts->quiet) {
		fwrite(escaped, 1, client_escape(data, len, escaped), stdout);
		fflush(stdout);
	}
	expect_feed(&listener->expects, data, len);
	expect_feed(&listener->sysrq_after, data, len);
}

/* "SYSRQ SECRET KEY" (netconsole/netsysrq.h), from the log socket to the
 * kernel's netconsole port, once its cue has arrived: -server's
 * --sysrq-port, or with --sysrq-to-sender back to where the records come
 * from (once one has). */
static void maybe_send_sysrq(struct listener *listener)
{
	const struct client_options *opts = listener->opts;
	char datagram[256];
	struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_addr = opts->server};
	int len;

	if (!opts->sysrq_key || listener->sysrq_sent || !expect_all_seen(&listener->sysrq_after))
		return;
	if (opts->sysrq_to_sender) {
		if (!listener->have_records_from)
			return;
		to = listener->records_from;
	} else {
		to.sin6_port = htons(opts->sysrq_port);
	}
	listener->sysrq_sent = true;
	len = snprintf(datagram, sizeof(datagram), "SYSRQ %s%s%s\n",
		       opts->sysrq_secret ? opts->sysrq_secret : "", opts->sysrq_secret ? " " : "",
		       opts->sysrq_key);
	if (len > 0 && (size_t)len < sizeof(datagram))
		client_send(listener->sock, &to, datagram, (size_t)len, "sysrq");
}

static void send_log_reply(const struct sockaddr_in6 *to, const void *buf, size_t len, void *ctx)
{
	const struct listener *listener = ctx;

	if (listener->drops && drop_reply(listener->drops, buf, len, monotonic_ms()))
		return;
	client_send(listener->sock, to, buf, len, "ncrx");
}

static void send_dump_ack(const struct sockaddr_in6 *to, const void *buf, size_t len, void *ctx)
{
	const struct listener *listener = ctx;

	client_send(listener->dump_sock, to, buf, len, "a dump acknowledgement");
}

static bool sender_accepted(struct listener *listener, const struct sockaddr_in6 *sender)
{
	if (!listener->opts->filter_sender ||
	    IN6_ARE_ADDR_EQUAL(&sender->sin6_addr, &listener->opts->server))
		return true;
	listener->filtered++;
	listener->last_filtered = *sender;
	return false;
}

/* Plain netconsole payloads are pieces of lines, passed on in arrival
 * order; extended ones are reassembled and ordered per sender first. A file
 * that cannot be written (a full disk) is reported once; the log goes on. */
static void handle_record_packet(struct listener *listener, const struct client_packet *packet)
{
	if (listener->drops && drop_record_packet(listener->drops, (const char *)packet->payload,
						  packet->len, monotonic_ms()))
		return;
	if (listener->raw_fd >= 0 && !listener->raw_failed &&
	    client_write_all(listener->raw_fd, packet->payload, packet->len) < 0) {
		fprintf(stderr, PROG ": writing %s: %s (records still shown, exit status 2)\n",
			listener->opts->raw_path, strerror(errno));
		listener->raw_failed = true;
	}
	if (senders_feed(listener->senders, &packet->sender, packet->payload, packet->len,
			 monotonic_ms()) < 0)
		listener->dropped++;
}

static int open_dump_receiver(struct listener *listener)
{
	const struct client_options *opts = listener->opts;

	listener->dumps = dump_receiver_new(opts->dump_dir, opts->quiet);
	if (!listener->dumps)
		return -1;
	dump_receiver_set_max(listener->dumps, opts->dump_max);
	if (opts->dump_drop_percent)
		dump_receiver_set_loss(listener->dumps, opts->dump_drop_percent,
				       (uint32_t)getpid());
	listener->dump_sock = client_open_socket(&opts->client, opts->dump_port, SOCKET_RCVBUF);
	return listener->dump_sock < 0 ? -1 : 0;
}

static int receive_dump_packets(struct listener *listener, struct client_packet *packet)
{
	for (int i = 0; i < DUMP_BATCH; i++) {
		int got = client_receive(listener->dump_sock, packet);

		if (got <= 0) {
			if (got < 0)
				return -1;
			break;
		}
		if (sender_accepted(listener, &packet->sender))
			dump_receiver_handle(listener->dumps, &packet->sender, packet->payload,
					     packet->len, monotonic_ms());
	}
	dump_receiver_flush(listener->dumps, send_dump_ack, listener);
	return 0;
}

/* With --dump-dir, expectations are met only once a dump has come and
 * none is still arriving. */
static bool dumps_settled(const struct listener *listener)
{
	return !listener->dumps || (dump_receiver_finished(listener->dumps) > 0 &&
				    dump_receiver_active(listener->dumps) == 0);
}

static bool all_seen(const struct listener *listener)
{
	return listener->expects.count > 0 && expect_all_seen(&listener->expects);
}

/* poll() timeout for the time left, at most cap (-1: none); -1 waits
 * forever, 0 means expired. */
static int poll_timeout(long long deadline_ms, int cap)
{
	long long left = cap < 0 ? INT_MAX : cap;

	if (deadline_ms >= 0 && deadline_ms - monotonic_ms() < left)
		left = deadline_ms - monotonic_ms();
	if (left <= 0)
		return 0;
	return deadline_ms < 0 && cap < 0 ? -1 : (int)left;
}

enum stop_reason { STOP_ALL_SEEN, STOP_TIMEOUT, STOP_SIGNAL, STOP_ERROR };

static enum stop_reason listen_loop(struct listener *listener)
{
	static struct client_packet packet;
	const struct client_options *opts = listener->opts;
	long long deadline_ms = opts->timeout_ms > 0 ? monotonic_ms() + opts->timeout_ms : -1;
	struct pollfd fds[3] = {
		{.fd = signal_pipe[0], .events = POLLIN},
		{.fd = listener->sock, .events = POLLIN},
		{.fd = listener->dump_sock, .events = POLLIN},
	};

	for (;;) {
		int cap = listener->dumps ? DUMPS_TICK_MS : -1;
		int timeout, ready;

		senders_serve(listener->senders, monotonic_ms());
		maybe_send_sysrq(listener);
		if (all_seen(listener) && dumps_settled(listener) &&
		    (!opts->ack || senders_settled(listener->senders)))
			return STOP_ALL_SEEN;
		if (senders_count(listener->senders))
			cap = SENDERS_TICK_MS;
		timeout = poll_timeout(deadline_ms, cap);
		if (timeout == 0 && deadline_ms >= 0 && monotonic_ms() >= deadline_ms)
			return STOP_TIMEOUT;
		ready = poll(fds, listener->dumps ? 3 : 2, timeout);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0) {
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			return STOP_ERROR;
		}
		if (fds[0].revents)
			return STOP_SIGNAL;
		/* A burst per wakeup: a log flood outruns one poll() per datagram.
		 * It stops at the datagram that completes the expectations, so
		 * nothing after it reaches the transcript. */
		for (int i = 0; fds[1].revents && i < RECORD_BATCH; i++) {
			int got = client_receive(listener->sock, &packet);

			if (got < 0)
				return STOP_ERROR;
			if (got == 0)
				break;
			if (!sender_accepted(listener, &packet.sender))
				continue;
			listener->records_from = packet.sender;
			listener->have_records_from = true;
			handle_record_packet(listener, &packet);
			if (all_seen(listener))
				break;
		}
		if (listener->dumps && fds[2].revents &&
		    receive_dump_packets(listener, &packet) < 0)
			return STOP_ERROR;
		if (listener->dumps)
			dump_receiver_expire(listener->dumps, monotonic_ms());
	}
}

static void report_ignored(const struct listener *listener)
{
	char server[INET6_ADDRSTRLEN], last[CLIENT_ADDRESS_MAX];
	unsigned long displaced = senders_displaced(listener->senders);

	if (listener->filtered) {
		client_format_ip(&listener->opts->server, server);
		fprintf(stderr,
			PROG ": ignored %lu packet(s) from senders other than %s (last from %s)\n",
			listener->filtered, server,
			client_format_address(&listener->last_filtered, last));
	}
	if (displaced)
		fprintf(stderr,
			PROG
			": %lu active sender(s) displaced by newer ones (more than %d at once)\n",
			displaced, SENDERS_MAX);
	if (listener->dropped)
		fprintf(stderr, PROG ": dropped %lu packet(s): no memory for their senders\n",
			listener->dropped);
}

static enum exit_code report_missing(const struct listener *listener, enum stop_reason reason)
{
	const char *why = reason == STOP_TIMEOUT ? "timed out" : "stopped by signal";

	if (expect_all_seen(&listener->expects))
		return EXIT_ALL_SEEN;
	for (size_t i = 0; i < listener->expects.count; i++)
		if (!listener->expects.texts[i].seen)
			fprintf(stderr, PROG ": %s; never received: \"%s\"\n", why,
				listener->expects.texts[i].text);
	return EXIT_MISSING;
}

static int open_files_and_sockets(struct listener *listener)
{
	const struct client_options *opts = listener->opts;
	struct sender_config senders = {
		.ack = opts->ack,
		.output_path = opts->output_path,
		.record = show_record,
		.send = send_log_reply,
		.ctx = listener,
	};

	if (install_signal_handlers() < 0)
		return -1;
	if (opts->output_path &&
	    (listener->transcript_fd = client_create_file(opts->output_path)) < 0)
		return -1;
	if (opts->raw_path && (listener->raw_fd = client_create_file(opts->raw_path)) < 0)
		return -1;
	senders.output_fd = listener->transcript_fd;
	listener->senders = senders_new(&senders);
	if (!listener->senders) {
		fprintf(stderr, PROG ": out of memory\n");
		return -1;
	}
	listener->sock = client_open_socket(&opts->client, opts->port, SOCKET_RCVBUF);
	if (listener->sock < 0)
		return -1;
	if (opts->dump_dir && open_dump_receiver(listener) < 0)
		return -1;
	if (opts->ready_path && client_write_ready_file(opts->ready_path, listener->sock) < 0)
		return -1;
	return 0;
}

static void close_files_and_sockets(struct listener *listener)
{
	if (listener->dump_sock >= 0)
		close(listener->dump_sock);
	dump_receiver_free(listener->dumps);
	if (listener->sock >= 0)
		close(listener->sock);
	senders_free(listener->senders);
	if (listener->transcript_fd >= 0)
		close(listener->transcript_fd);
	if (listener->raw_fd >= 0)
		close(listener->raw_fd);
	expect_free(&listener->expects);
	expect_free(&listener->sysrq_after);
}

static enum exit_code run(const struct client_options *opts, struct drop_plan *drops)
{
	struct listener listener = {.opts = opts,
				    .sock = -1,
				    .transcript_fd = -1,
				    .dump_sock = -1,
				    .raw_fd = -1,
				    .drops = drops};
	enum exit_code code = EXIT_TROUBLE;
	enum stop_reason reason;

	if (expect_init(&listener.expects, opts->expects, opts->expect_count) < 0 ||
	    expect_init(&listener.sysrq_after, &opts->sysrq_after, opts->sysrq_after ? 1 : 0) < 0) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_TROUBLE;
	}
	if (open_files_and_sockets(&listener) < 0) {
		close_files_and_sockets(&listener);
		return EXIT_TROUBLE;
	}
	reason = listen_loop(&listener);
	senders_finish(listener.senders, monotonic_ms());
	report_ignored(&listener);
	if (drops)
		fprintf(stderr, PROG ": --drop lost %lu record packet(s) and %lu reply(ies)\n",
			drop_count_records(drops), drop_count_replies(drops));
	if (reason != STOP_ERROR && !listener.raw_failed &&
	    !senders_output_failed(listener.senders))
		code = report_missing(&listener, reason);
	if (listener.dumps) {
		dump_receiver_expire(listener.dumps, -1);
		if (reason != STOP_ERROR && code == EXIT_ALL_SEEN && opts->expect_count &&
		    dump_receiver_complete(listener.dumps) == 0) {
			fprintf(stderr, PROG ": no complete crash dump received\n");
			code = EXIT_MISSING;
		}
	}
	close_files_and_sockets(&listener);
	return code;
}

/* The --drop rules as a plan; NULL without any. Returns -1 with error set
 * when a rule is bad. */
static int make_drop_plan(const struct client_options *opts, struct drop_plan **plan, char *error,
			  size_t error_size)
{
	*plan = NULL;
	if (!opts->drop_count)
		return 0;
	*plan = drop_plan_new(stderr);
	if (!*plan) {
		snprintf(error, error_size, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < opts->drop_count; i++)
		if (drop_plan_add(*plan, opts->drops[i], error, error_size) < 0)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct client_options opts;
	struct drop_plan *drops = NULL;
	char error[256];
	enum exit_code code;

	if (client_parse_options(argc, argv, &opts, error, sizeof(error)) < 0 ||
	    make_drop_plan(&opts, &drops, error, sizeof(error)) < 0) {
		fprintf(stderr, PROG ": %s\n", error);
		client_print_usage(stderr, PROG);
		drop_plan_free(drops);
		client_free_options(&opts);
		return EXIT_TROUBLE;
	}
	if (opts.help) {
		client_print_usage(stdout, PROG);
		drop_plan_free(drops);
		client_free_options(&opts);
		return 0;
	}
	code = run(&opts, drops);
	drop_plan_free(drops);
	client_free_options(&opts);
	return code;
}
