/* netconsole-client's per-sender state. */
#include "host/client-senders.h"
#include "host/client-ext.h"
#include "host/client-files.h"
#include "host/client-socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG "netconsole-client"
/* Gaps listed by name in the report at exit. */
#define REPORT_GAPS_MAX 256

struct sender {
	struct sender_table *table;
	struct sockaddr_in addr;
	/* Its transcript: --output for the first sender, FILE.IP-PORT for each
	 * further one, so senders never interleave in one file. */
	int output_fd;
	char *output_path;
	bool output_failed;
	struct ncx_stream *stream;
	bool news;
	long long last_reply_ms;
};

struct sender_table {
	struct sender_config config;
	struct sender senders[SENDERS_MAX];
	size_t count;
	unsigned long refused;
};

struct sender_table *senders_new(const struct sender_config *config)
{
	struct sender_table *t = calloc(1, sizeof(*t));

	if (t)
		t->config = *config;
	return t;
}

/* Written straight to the file descriptor, unbuffered, so a listener killed
 * at any moment leaves every accepted payload on disk. */
static void deliver(const char *data, size_t len, void *ctx)
{
	struct sender *sender = ctx;
	const struct sender_config *config = &sender->table->config;

	if (sender->output_fd >= 0 && client_write_all(sender->output_fd, data, len) < 0 &&
	    !sender->output_failed) {
		fprintf(stderr, PROG ": writing %s: %s\n", sender->output_path, strerror(errno));
		sender->output_failed = true;
	}
	config->record(&sender->addr, data, len, config->ctx);
}

/* The first sender writes to --output as it always did; each further one
 * gets FILE.IP-PORT. */
static int open_output(struct sender_table *t, struct sender *sender)
{
	const char *base = t->config.output_path;
	char ip[INET_ADDRSTRLEN];
	size_t size;

	if (t->config.output_fd < 0)
		return 0;
	size = strlen(base) + sizeof(ip) + 8;
	sender->output_path = malloc(size);
	if (!sender->output_path)
		return -1;
	if (t->count == 0) {
		strcpy(sender->output_path, base);
		sender->output_fd = t->config.output_fd;
		return 0;
	}
	inet_ntop(AF_INET, &sender->addr.sin_addr, ip, sizeof(ip));
	snprintf(sender->output_path, size, "%s.%s-%u", base, ip, ntohs(sender->addr.sin_port));
	sender->output_fd = client_create_file(sender->output_path);
	if (sender->output_fd >= 0)
		return 0;
	free(sender->output_path);
	sender->output_path = NULL;
	return -1;
}

static struct sender *find_sender(struct sender_table *t, const struct sockaddr_in *addr)
{
	struct sender *s;

	for (size_t i = 0; i < t->count; i++) {
		s = &t->senders[i];
		if (s->addr.sin_addr.s_addr == addr->sin_addr.s_addr &&
		    s->addr.sin_port == addr->sin_port)
			return s;
	}
	if (t->count == SENDERS_MAX)
		return NULL;
	s = &t->senders[t->count];
	memset(s, 0, sizeof(*s));
	s->table = t;
	s->addr = *addr;
	s->output_fd = -1;
	s->stream = ncx_new();
	if (!s->stream)
		return NULL;
	if (open_output(t, s) < 0) {
		ncx_free(s->stream);
		return NULL;
	}
	t->count++;
	return s;
}

int senders_feed(struct sender_table *t, const struct sockaddr_in *from, const void *payload,
		 size_t len, long long now_ms)
{
	struct sender *sender = find_sender(t, from);

	if (!sender) {
		t->refused++;
		return 0;
	}
	ncx_feed(sender->stream, payload, len, now_ms, deliver, sender);
	sender->news = true;
	return sender->output_failed ? -1 : 0;
}

static void send_reply(struct sender_table *t, struct sender *sender, long long now_ms)
{
	char reply[NCX_REPLY_MAX];
	size_t len = ncx_reply(sender->stream, reply);

	sender->news = false;
	sender->last_reply_ms = now_ms;
	if (len)
		t->config.send(&sender->addr, reply, len, t->config.ctx);
}

void senders_serve(struct sender_table *t, long long now_ms)
{
	for (size_t i = 0; i < t->count; i++) {
		struct sender *sender = &t->senders[i];

		ncx_release(sender->stream, now_ms, t->config.ack ? -1 : SENDER_PLAIN_HOLD_MS,
			    deliver, sender);
		if (!t->config.ack || !ncx_extended(sender->stream))
			continue;
		if ((sender->news && now_ms - sender->last_reply_ms >= SENDER_REPLY_SOON_MS) ||
		    now_ms - sender->last_reply_ms >= SENDER_REPLY_EVERY_MS)
			send_reply(t, sender, now_ms);
	}
}

bool senders_settled(const struct sender_table *t)
{
	for (size_t i = 0; i < t->count; i++)
		if (!ncx_settled(t->senders[i].stream))
			return false;
	return true;
}

size_t senders_count(const struct sender_table *t)
{
	return t->count;
}

unsigned long senders_refused(const struct sender_table *t)
{
	return t->refused;
}

/* "10.0.7.5:6665: 27 records, 0 duplicates, 0 malformed; 2 never came: 1 10" */
static void report(const struct sender *sender)
{
	const struct ncx_stats *st = ncx_stats(sender->stream);
	char where[CLIENT_ADDRESS_MAX];
	uint64_t gaps[REPORT_GAPS_MAX];
	size_t n = ncx_gaps(sender->stream, gaps, REPORT_GAPS_MAX);

	fprintf(stderr, PROG ": %s: %lu records, %lu duplicates, %lu malformed; ",
		client_format_address(&sender->addr, where), st->records, st->duplicates,
		st->malformed);
	if (n == 0) {
		fprintf(stderr, "no gap\n");
		return;
	}
	fprintf(stderr, "%zu never came:", n);
	for (size_t j = 0; j < n && j < REPORT_GAPS_MAX; j++)
		fprintf(stderr, " %llu", (unsigned long long)gaps[j]);
	fprintf(stderr, "%s\n", n > REPORT_GAPS_MAX ? " ..." : "");
}

void senders_finish(struct sender_table *t, long long now_ms)
{
	for (size_t i = 0; i < t->count; i++) {
		struct sender *sender = &t->senders[i];

		if (t->config.ack && ncx_extended(sender->stream))
			send_reply(t, sender, now_ms);
		ncx_flush(sender->stream, deliver, sender);
		if (ncx_extended(sender->stream))
			report(sender);
	}
}

void senders_free(struct sender_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->count; i++) {
		struct sender *sender = &t->senders[i];

		if (sender->output_fd >= 0 && sender->output_fd != t->config.output_fd)
			close(sender->output_fd);
		free(sender->output_path);
		ncx_free(sender->stream);
	}
	free(t);
}
