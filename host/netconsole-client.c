/* netconsole-client: receives netconsole UDP packets and shows them, the
 * host half of the 2001 netconsole patch ("netconsole-client -server
 * 10.0.7.5 -client 10.0.7.1 -port 6666"), plus what tests need: expected
 * texts with a deadline, a raw transcript and a ready file.
 *
 * The layers are kept apart so the extended format (sequence numbers,
 * reassembly), ncrx acknowledgements or a netdump port can slot in: packet
 * receive and sender filtering, record handling, then the sinks (transcript,
 * display, expectations). */
#include "host/client-dump.h"
#include "host/client-escape.h"
#include "host/client-ext.h"
#include "host/client-expect.h"
#include "host/client-options.h"

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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROG "netconsole-client"

enum exit_code { EXIT_ALL_SEEN = 0, EXIT_MISSING = 1, EXIT_TROUBLE = 2 };

/* Larger than any IPv4 UDP payload, so no datagram is ever truncated. */
#define MAX_PAYLOAD 65536

struct listener {
	const struct client_options *opts;
	int sock;
	int transcript_fd;
	struct expect_set expects;
	unsigned long ignored_packets;
	struct sockaddr_in last_ignored;
	/* netdump, with --dump-dir: its own socket on the dump port. */
	int dump_sock;
	struct dump_receiver *dumps;
	/* Record streams, one per sender (extended format: ordered, deduplicated,
	 * gaps tracked), and the raw payloads with --raw. */
	struct sender *senders;
	size_t sender_count;
	int raw_fd;
};

#define MAX_SENDERS 64
/* ncrx replies: soon after news from the sender, and now and then while a
 * record is missing or the sender may still have more. */
#define REPLY_SOON_MS 10
#define REPLY_EVERY_MS 100
/* Without --ack a gap is given up after this, so later records show. */
#define PLAIN_HOLD_MS 1000

struct sender {
	struct listener *listener;
	struct sockaddr_in addr;
	/* Its transcript: --output for the first sender, FILE.IP-PORT for each
	 * further one, so senders never interleave in one file. */
	int output_fd;
	char *output_path;
	struct ncx_stream *stream;
	bool news;
	long long last_reply_ms;
};

struct packet {
	struct sockaddr_in sender;
	size_t len;
	unsigned char payload[MAX_PAYLOAD];
};

/* Signals arrive through a pipe so poll() sees them: checking a flag before
 * poll() would race with a signal landing just before the call. */
static int signal_pipe[2] = {-1, -1};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: " PROG " [-server IP] [-client IP] [-port PORT] [options]\n"
		"  -server, --server IP     accept packets only from this sender\n"
		"  -client, --client IP     local address to bind (default any)\n"
		"  -port, --port PORT       UDP port to bind (default %d)\n"
		"  --expect TEXT            exit 0 once every TEXT was received (repeatable)\n"
		"  --timeout SECONDS        give up after SECONDS; exit 1 if a TEXT is missing\n"
		"  --output FILE            transcript of the first sender (FILE.IP-PORT: others)\n"
		"  --ready-file FILE        created once the socket is bound\n"
		"  --quiet                  do not print messages to stdout\n"
		"  --ack                    answer extended senders with ncrx acks and requests\n"
		"  --raw FILE               the payloads as they came, before reassembly\n"
		"  --dump-dir DIR           receive netdump crash dumps into DIR (vmcore.IP.N,\n"
		"                           info.IP.N); with --expect, also wait for one dump\n"
		"  --dump-port PORT         UDP port for dumps (default %d)\n"
		"  --dump-drop PERCENT      test aid: drop PERCENT of dump packets and acks\n",
		CLIENT_DEFAULT_PORT, CLIENT_DEFAULT_DUMP_PORT);
}

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

static const char *format_address(const struct sockaddr_in *addr, char *buf, size_t size)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &addr->sin_addr, ip, sizeof(ip));
	snprintf(buf, size, "%s:%u", ip, ntohs(addr->sin_port));
	return buf;
}

static int open_socket(const struct client_options *opts, unsigned short port)
{
	struct sockaddr_in local;
	char where[INET_ADDRSTRLEN + 8];
	int sock;

	memset(&local, 0, sizeof(local));
	local.sin_family = AF_INET;
	local.sin_addr = opts->client;
	local.sin_port = htons(port);
	format_address(&local, where, sizeof(where));

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		fprintf(stderr, PROG ": UDP socket for %s: %s\n", where, strerror(errno));
		return -1;
	}
	if (bind(sock, (struct sockaddr *)&local, sizeof(local)) < 0) {
		fprintf(stderr, PROG ": cannot bind UDP %s: %s\n", where, strerror(errno));
		close(sock);
		return -1;
	}
	return sock;
}

/* Written under a temporary name and renamed, so a script polling for the
 * file never reads it half-written. */
static int write_ready_file(const char *path, int sock)
{
	struct sockaddr_in local;
	socklen_t local_len = sizeof(local);
	char where[INET_ADDRSTRLEN + 8], tmp_path[PATH_MAX];
	FILE *file;

	if (getsockname(sock, (struct sockaddr *)&local, &local_len) < 0) {
		fprintf(stderr, PROG ": getsockname: %s\n", strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s.%ld.tmp", path, (long)getpid()) >=
	    sizeof(tmp_path)) {
		fprintf(stderr, PROG ": ready file name too long: %s\n", path);
		return -1;
	}
	file = fopen(tmp_path, "w");
	if (!file) {
		fprintf(stderr, PROG ": ready file %s: %s\n", tmp_path, strerror(errno));
		return -1;
	}
	fprintf(file, "%s\n", format_address(&local, where, sizeof(where)));
	if (fclose(file) != 0 || rename(tmp_path, path) < 0) {
		fprintf(stderr, PROG ": ready file %s: %s\n", path, strerror(errno));
		unlink(tmp_path);
		return -1;
	}
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *bytes = data;

	while (len > 0) {
		ssize_t n = write(fd, bytes, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		bytes += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Written straight to the file descriptor, unbuffered, so a listener killed
 * at any moment leaves every accepted payload on disk. */
static int sink_transcript(const struct sender *sender, const void *data, size_t len)
{
	if (sender->output_fd < 0 || write_all(sender->output_fd, data, len) == 0)
		return 0;
	fprintf(stderr, PROG ": writing %s: %s\n", sender->output_path, strerror(errno));
	return -1;
}

/* Escaped whether or not stdout is a terminal: a log piped to a file is
 * often viewed with cat later, and the raw bytes are in the transcript. */
static void sink_display(struct listener *listener, const void *data, size_t len)
{
	static char escaped[CLIENT_ESCAPE_MAX_EXPANSION * MAX_PAYLOAD];

	if (listener->opts->quiet)
		return;
	fwrite(escaped, 1, client_escape(data, len, escaped), stdout);
	fflush(stdout);
}

static long long monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static bool sink_failed;

/* Where a sender's records end up, in order: plain payloads as they came,
 * extended records rendered as the serial console prints them. */
static void sink_record(const char *data, size_t len, void *ctx)
{
	struct sender *sender = ctx;
	struct listener *listener = sender->listener;

	if (sink_transcript(sender, data, len) < 0)
		sink_failed = true;
	sink_display(listener, data, len);
	expect_feed(&listener->expects, data, len);
}

/* The first sender writes to --output as it always did; each further one
 * gets FILE.IP-PORT. */
static int open_sender_output(struct listener *listener, struct sender *sender)
{
	const char *base = listener->opts->output_path;
	char ip[INET_ADDRSTRLEN];
	size_t size;

	if (listener->transcript_fd < 0)
		return 0;
	size = strlen(base) + sizeof(ip) + 8;
	sender->output_path = malloc(size);
	if (!sender->output_path)
		return -1;
	if (listener->sender_count == 0) {
		strcpy(sender->output_path, base);
		sender->output_fd = listener->transcript_fd;
		return 0;
	}
	inet_ntop(AF_INET, &sender->addr.sin_addr, ip, sizeof(ip));
	snprintf(sender->output_path, size, "%s.%s-%u", base, ip, ntohs(sender->addr.sin_port));
	sender->output_fd =
		open(sender->output_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (sender->output_fd >= 0)
		return 0;
	fprintf(stderr, PROG ": %s: %s\n", sender->output_path, strerror(errno));
	free(sender->output_path);
	sender->output_path = NULL;
	return -1;
}

static struct sender *find_sender(struct listener *listener, const struct sockaddr_in *addr)
{
	for (size_t i = 0; i < listener->sender_count; i++) {
		struct sender *s = &listener->senders[i];
		if (s->addr.sin_addr.s_addr == addr->sin_addr.s_addr &&
		    s->addr.sin_port == addr->sin_port)
			return s;
	}
	if (listener->sender_count == MAX_SENDERS)
		return NULL;
	struct sender *s = &listener->senders[listener->sender_count];
	memset(s, 0, sizeof(*s));
	s->addr = *addr;
	s->listener = listener;
	s->output_fd = -1;
	s->stream = ncx_new();
	if (!s->stream)
		return NULL;
	if (open_sender_output(listener, s) < 0) {
		ncx_free(s->stream);
		return NULL;
	}
	listener->sender_count++;
	return s;
}

/* Plain netconsole payloads are pieces of lines, passed on in arrival
 * order; extended ones are reassembled and ordered per sender first. */
static int handle_records(struct listener *listener, const struct packet *packet)
{
	struct sender *sender;

	if (listener->raw_fd >= 0 &&
	    write_all(listener->raw_fd, packet->payload, packet->len) < 0) {
		fprintf(stderr, PROG ": writing %s: %s\n", listener->opts->raw_path,
			strerror(errno));
		return -1;
	}
	sender = find_sender(listener, &packet->sender);
	if (!sender) {
		listener->ignored_packets++;
		listener->last_ignored = packet->sender;
		return 0;
	}
	ncx_feed(sender->stream, packet->payload, packet->len, monotonic_ms(), sink_record, sender);
	sender->news = true;
	return sink_failed ? -1 : 0;
}

static void send_reply(struct listener *listener, struct sender *sender, long long now)
{
	char reply[NCX_REPLY_MAX];
	size_t len = ncx_reply(sender->stream, reply);

	sender->news = false;
	sender->last_reply_ms = now;
	if (len && sendto(listener->sock, reply, len, 0, (const struct sockaddr *)&sender->addr,
			  sizeof(sender->addr)) < 0)
		fprintf(stderr, PROG ": sending ncrx: %s\n", strerror(errno));
}

static void serve_senders(struct listener *listener)
{
	long long now = monotonic_ms();

	for (size_t i = 0; i < listener->sender_count; i++) {
		struct sender *sender = &listener->senders[i];

		ncx_release(sender->stream, now, listener->opts->ack ? -1 : PLAIN_HOLD_MS,
			    sink_record, sender);
		if (!listener->opts->ack || !ncx_extended(sender->stream))
			continue;
		if ((sender->news && now - sender->last_reply_ms >= REPLY_SOON_MS) ||
		    now - sender->last_reply_ms >= REPLY_EVERY_MS)
			send_reply(listener, sender, now);
	}
}

static bool senders_settled(const struct listener *listener)
{
	for (size_t i = 0; i < listener->sender_count; i++)
		if (!ncx_settled(listener->senders[i].stream))
			return false;
	return true;
}

/* Gives up what is still missing and says which records never came. */
static void finish_senders(struct listener *listener)
{
	for (size_t i = 0; i < listener->sender_count; i++) {
		struct sender *sender = &listener->senders[i];
		const struct ncx_stats *st = ncx_stats(sender->stream);
		char where[INET_ADDRSTRLEN + 8];
		uint64_t gaps[256];
		size_t n;

		if (listener->opts->ack && ncx_extended(sender->stream))
			send_reply(listener, sender, monotonic_ms());
		ncx_flush(sender->stream, sink_record, sender);
		if (!ncx_extended(sender->stream))
			continue;
		n = ncx_gaps(sender->stream, gaps, 256);
		format_address(&sender->addr, where, sizeof(where));
		fprintf(stderr, PROG ": %s: %lu records, %lu duplicates, %lu malformed; ", where,
			st->records, st->duplicates, st->malformed);
		if (n == 0)
			fprintf(stderr, "no gap\n");
		else
			fprintf(stderr, "%zu never came:", n);
		for (size_t j = 0; j < n && j < 256; j++)
			fprintf(stderr, " %llu", (unsigned long long)gaps[j]);
		if (n)
			fprintf(stderr, "%s\n", n > 256 ? " ..." : "");
	}
}

static bool sender_accepted(const struct listener *listener, const struct sockaddr_in *sender)
{
	return !listener->opts->filter_sender ||
	       sender->sin_addr.s_addr == listener->opts->server.s_addr;
}

/* Returns 1 with an accepted packet, 0 when there was nothing to take, -1
 * on a socket error. */
static int receive_packet(struct listener *listener, struct packet *packet)
{
	socklen_t sender_len = sizeof(packet->sender);
	ssize_t n;

	n = recvfrom(listener->sock, packet->payload, sizeof(packet->payload), MSG_DONTWAIT,
		     (struct sockaddr *)&packet->sender, &sender_len);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		fprintf(stderr, PROG ": recvfrom: %s\n", strerror(errno));
		return -1;
	}
	if (!sender_accepted(listener, &packet->sender)) {
		listener->ignored_packets++;
		listener->last_ignored = packet->sender;
		return 0;
	}
	packet->len = (size_t)n;
	return 1;
}

/* poll() timeout for the time left; -1 waits forever, 0 means expired. */
static int poll_timeout(long long deadline_ms)
{
	long long left;

	if (deadline_ms < 0)
		return -1;
	left = deadline_ms - monotonic_ms();
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* A burst of dump data can be a whole send window: the socket buffer
 * must hold it while acknowledgements go out. */
#define DUMP_RCVBUF (16 * 1024 * 1024)
/* Datagrams read before the acknowledgements for them go out as one batch. */
#define DUMP_BATCH 256
/* Records read per poll() wakeup. */
#define RECORD_BATCH 256

/* FORCE lifts rmem_max for root; otherwise take what is allowed. A burst
 * of records must fit while the listener writes out what came before. */
static void enlarge_receive_buffer(int sock)
{
	int size = DUMP_RCVBUF;

	if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static int open_dump_receiver(struct listener *listener)
{
	int size = DUMP_RCVBUF;

	listener->dumps = dump_receiver_new(listener->opts->dump_dir, listener->opts->quiet);
	if (!listener->dumps)
		return -1;
	if (listener->opts->dump_drop_percent)
		dump_receiver_set_loss(listener->dumps, listener->opts->dump_drop_percent,
				       (uint32_t)getpid());
	listener->dump_sock = open_socket(listener->opts, listener->opts->dump_port);
	if (listener->dump_sock < 0)
		return -1;
	/* FORCE lifts rmem_max for root; otherwise take what is allowed. */
	if (setsockopt(listener->dump_sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(listener->dump_sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

static void send_dump_ack(const struct sockaddr_in *to, const void *buf, size_t len, void *ctx)
{
	const struct listener *listener = ctx;

	if (sendto(listener->dump_sock, buf, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		fprintf(stderr, PROG ": sending a dump acknowledgement: %s\n", strerror(errno));
}

static int receive_dump_packets(struct listener *listener, struct packet *packet)
{
	for (int i = 0; i < DUMP_BATCH; i++) {
		socklen_t sender_len = sizeof(packet->sender);
		ssize_t n = recvfrom(listener->dump_sock, packet->payload, sizeof(packet->payload),
				     MSG_DONTWAIT, (struct sockaddr *)&packet->sender, &sender_len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			fprintf(stderr, PROG ": recvfrom: %s\n", strerror(errno));
			return -1;
		}
		if (!sender_accepted(listener, &packet->sender))
			continue;
		dump_receiver_handle(listener->dumps, &packet->sender, packet->payload, (size_t)n,
				     monotonic_ms());
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

enum stop_reason { STOP_ALL_SEEN, STOP_TIMEOUT, STOP_SIGNAL, STOP_ERROR };

static enum stop_reason listen_loop(struct listener *listener)
{
	static struct packet packet;
	long long deadline_ms = -1;
	struct pollfd fds[3] = {
		{.fd = signal_pipe[0], .events = POLLIN},
		{.fd = listener->sock, .events = POLLIN},
		{.fd = listener->dump_sock, .events = POLLIN},
	};

	if (listener->opts->timeout_ms > 0)
		deadline_ms = monotonic_ms() + listener->opts->timeout_ms;

	for (;;) {
		int timeout, ready;

		serve_senders(listener);
		if (listener->expects.count > 0 && expect_all_seen(&listener->expects) &&
		    dumps_settled(listener) && (!listener->opts->ack || senders_settled(listener)))
			return STOP_ALL_SEEN;
		timeout = poll_timeout(deadline_ms);
		if (timeout == 0)
			return STOP_TIMEOUT;
		/* Held records and replies are due even when nothing arrives. */
		if (listener->sender_count && (timeout < 0 || timeout > REPLY_SOON_MS))
			timeout = REPLY_SOON_MS;
		/* Wake up now and then to close dumps that went silent. */
		if (listener->dumps && (timeout < 0 || timeout > 1000))
			timeout = 1000;
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
			int got = receive_packet(listener, &packet);

			if (got < 0 || (got > 0 && handle_records(listener, &packet) < 0))
				return STOP_ERROR;
			if (got == 0 ||
			    (listener->expects.count > 0 && expect_all_seen(&listener->expects)))
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
	char server[INET_ADDRSTRLEN], last[INET_ADDRSTRLEN + 8];

	if (listener->ignored_packets == 0)
		return;
	inet_ntop(AF_INET, &listener->opts->server, server, sizeof(server));
	fprintf(stderr, PROG ": ignored %lu packet(s) from senders other than %s (last from %s)\n",
		listener->ignored_packets, server,
		format_address(&listener->last_ignored, last, sizeof(last)));
}

static enum exit_code report_missing(const struct listener *listener, enum stop_reason reason)
{
	const char *why = reason == STOP_TIMEOUT ? "timed out" : "stopped by signal";
	size_t i;

	if (expect_all_seen(&listener->expects))
		return EXIT_ALL_SEEN;
	for (i = 0; i < listener->expects.count; i++)
		if (!listener->expects.texts[i].seen)
			fprintf(stderr, PROG ": %s; never received: \"%s\"\n", why,
				listener->expects.texts[i].text);
	return EXIT_MISSING;
}

static enum exit_code run(const struct client_options *opts)
{
	struct listener listener = {
		.opts = opts, .sock = -1, .transcript_fd = -1, .dump_sock = -1, .raw_fd = -1};
	enum exit_code code = EXIT_TROUBLE;
	enum stop_reason reason;

	if (expect_init(&listener.expects, opts->expects, opts->expect_count) < 0) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_TROUBLE;
	}
	if (install_signal_handlers() < 0)
		goto out;
	if (opts->output_path) {
		listener.transcript_fd =
			open(opts->output_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (listener.transcript_fd < 0) {
			fprintf(stderr, PROG ": %s: %s\n", opts->output_path, strerror(errno));
			goto out;
		}
	}
	listener.senders = calloc(MAX_SENDERS, sizeof(*listener.senders));
	if (!listener.senders) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	if (opts->raw_path) {
		listener.raw_fd =
			open(opts->raw_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (listener.raw_fd < 0) {
			fprintf(stderr, PROG ": %s: %s\n", opts->raw_path, strerror(errno));
			goto out;
		}
	}
	listener.sock = open_socket(opts, opts->port);
	if (listener.sock < 0)
		goto out;
	enlarge_receive_buffer(listener.sock);
	if (opts->dump_dir && open_dump_receiver(&listener) < 0)
		goto out;
	if (opts->ready_path && write_ready_file(opts->ready_path, listener.sock) < 0)
		goto out;

	reason = listen_loop(&listener);
	finish_senders(&listener);
	report_ignored(&listener);
	if (reason != STOP_ERROR)
		code = report_missing(&listener, reason);
	if (listener.dumps) {
		dump_receiver_expire(listener.dumps, -1);
		if (reason != STOP_ERROR && code == EXIT_ALL_SEEN && listener.opts->expect_count &&
		    dump_receiver_complete(listener.dumps) == 0) {
			fprintf(stderr, PROG ": no complete crash dump received\n");
			code = EXIT_MISSING;
		}
	}
out:
	if (listener.dump_sock >= 0)
		close(listener.dump_sock);
	dump_receiver_free(listener.dumps);
	if (listener.sock >= 0)
		close(listener.sock);
	if (listener.transcript_fd >= 0)
		close(listener.transcript_fd);
	if (listener.raw_fd >= 0)
		close(listener.raw_fd);
	for (size_t i = 0; i < listener.sender_count; i++) {
		struct sender *sender = &listener.senders[i];

		if (sender->output_fd >= 0 && sender->output_fd != listener.transcript_fd)
			close(sender->output_fd);
		free(sender->output_path);
		ncx_free(sender->stream);
	}
	free(listener.senders);
	expect_free(&listener.expects);
	return code;
}

int main(int argc, char **argv)
{
	struct client_options opts;
	char error[256];
	enum exit_code code;

	if (client_parse_options(argc, argv, &opts, error, sizeof(error)) < 0) {
		fprintf(stderr, PROG ": %s\n", error);
		usage(stderr);
		client_free_options(&opts);
		return EXIT_TROUBLE;
	}
	if (opts.help) {
		usage(stdout);
		client_free_options(&opts);
		return 0;
	}
	code = run(&opts);
	client_free_options(&opts);
	return code;
}
