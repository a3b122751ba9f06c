/* netconsole-client's per-sender state. */
#include "host/client-senders.h"
#include "host/client-escape.h"
#include "host/client-ext.h"
#include "host/client-files.h"
#include "host/client-socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG "netconsole-client"
/* Gaps listed by name in the report at exit. */
#define REPORT_GAPS_MAX 256

struct sender {
	struct sender_table *table;
	struct sockaddr_in6 addr;
	/* Its transcript: --output for the first sender, FILE.IP-PORT for each
	 * further one, so senders never interleave in one file. */
	int output_fd;
	char *output_path;
	bool output_failed;
	struct ncx_stream *stream;
	bool news;
	long long last_heard_ms, last_record_ms, last_reply_ms;
	size_t reply_credit; /* reply bytes paid for */
};

struct sender_table {
	struct sender_config config;
	struct sender *senders[SENDERS_MAX];
	size_t count;
	unsigned long displaced;
	bool output_failed;
	/* Who has a transcript file: [0] is --output's sender. */
	struct sockaddr_in6 file_owners[SENDER_FILES_MAX];
	size_t file_owner_count;
	bool files_exhausted_said;
};

/* Escaped transcript text: a record or payload is at most this long. */
static char escaped[CLIENT_ESCAPE_MAX_EXPANSION * CLIENT_MAX_PAYLOAD];

struct sender_table *senders_new(const struct sender_config *config)
{
	struct sender_table *t = calloc(1, sizeof(*t));

	if (t)
		t->config = *config;
	return t;
}

/* Written straight to the file descriptor, unbuffered, so a listener killed
 * at any moment leaves every accepted payload on disk; escaped like the
 * display, so viewing a transcript cannot drive the terminal (--raw keeps
 * the bytes as they came). */
static void take_record(const char *data, size_t len, void *ctx)
{
	struct sender *sender = ctx;
	const struct sender_config *config = &sender->table->config;

	if (sender->output_fd >= 0 &&
	    client_write_all(sender->output_fd, escaped, client_escape(data, len, escaped)) < 0 &&
	    !sender->output_failed) {
		fprintf(stderr, PROG ": writing %s: %s (records still shown, exit status 2)\n",
			sender->output_path, strerror(errno));
		sender->output_failed = true;
		sender->table->output_failed = true;
	}
	config->record(&sender->addr, data, len, config->ctx);
}

/* The first sender writes to --output as it always did; each further one
 * gets FILE.IP-PORT, made afresh the first time and appended to when the
 * sender comes back after it expired. */
static int open_output(struct sender_table *t, struct sender *sender)
{
	const char *base = t->config.output_path;
	char ip[INET6_ADDRSTRLEN];
	size_t owner, size;

	if (t->config.output_fd < 0)
		return 0;
	for (owner = 0; owner < t->file_owner_count; owner++)
		if (client_same_address(&t->file_owners[owner], &sender->addr))
			break;
	if (owner == SENDER_FILES_MAX) {
		if (!t->files_exhausted_said)
			fprintf(stderr,
				PROG ": more than %d senders: later ones get no transcript\n",
				SENDER_FILES_MAX);
		t->files_exhausted_said = true;
		return 0;
	}
	size = strlen(base) + sizeof(ip) + 8;
	sender->output_path = malloc(size);
	if (!sender->output_path)
		return -1;
	if (owner == 0) {
		strcpy(sender->output_path, base);
		sender->output_fd = t->config.output_fd;
	} else {
		client_format_ip(&sender->addr.sin6_addr, ip);
		snprintf(sender->output_path, size, "%s.%s-%u", base, ip,
			 ntohs(sender->addr.sin6_port));
		if (owner < t->file_owner_count) {
			sender->output_fd = client_append_file(sender->output_path);
		} else {
			sender->output_fd =
				client_replace_file_at(AT_FDCWD, sender->output_path, O_WRONLY);
			if (sender->output_fd < 0)
				fprintf(stderr, PROG ": %s: %s\n", sender->output_path,
					strerror(errno));
		}
		if (sender->output_fd < 0) {
			free(sender->output_path);
			sender->output_path = NULL;
			return -1;
		}
	}
	if (owner == t->file_owner_count)
		t->file_owners[t->file_owner_count++] = sender->addr;
	return 0;
}

static void send_reply(struct sender_table *t, struct sender *sender, long long now_ms)
{
	char reply[NCX_REPLY_MAX];
	size_t len;

	if (now_ms - sender->last_record_ms > SENDER_ACK_RECENT_MS)
		return;
	len = ncx_reply(sender->stream, reply);
	if (len > sender->reply_credit)
		return;
	sender->news = false;
	sender->last_reply_ms = now_ms;
	sender->reply_credit -= len;
	if (len)
		t->config.send(&sender->addr, reply, len, t->config.ctx);
}

/* "10.0.7.5:6665: 27 records, 0 duplicates, 0 malformed; 2 never came: 1 10".
 * A sender that says which numbers it left out below its log level (ncskip=)
 * gets ", N below its log level" and its gaps are losses; for any other (a
 * Linux kernel) a missing number may be a record it chose not to send, and
 * the report says so instead of "never came". */
static void report(const struct sender *sender)
{
	const struct ncx_stats *st = ncx_stats(sender->stream);
	char where[CLIENT_ADDRESS_MAX];
	uint64_t gaps[REPORT_GAPS_MAX];
	size_t n = ncx_gaps(sender->stream, gaps, REPORT_GAPS_MAX);

	fprintf(stderr, PROG ": %s: %lu records, %lu duplicates, %lu malformed",
		client_format_address(&sender->addr, where), st->records, st->duplicates,
		st->malformed);
	if (st->filtered)
		fprintf(stderr, ", %lu below its log level", st->filtered);
	fprintf(stderr, "; ");
	if (n == 0) {
		fprintf(stderr, "no gap\n");
		return;
	}
	if (ncx_marks_skips(sender->stream))
		fprintf(stderr, "%zu never came:", n);
	else
		fprintf(stderr, "%zu not received (may be below the sender's log level):", n);
	for (size_t j = 0; j < n && j < REPORT_GAPS_MAX; j++)
		fprintf(stderr, " %llu", (unsigned long long)gaps[j]);
	fprintf(stderr, "%s\n", n > REPORT_GAPS_MAX ? " ..." : "");
}

/* Last reply, everything held delivered, the report; then freed. */
static void finish_sender(struct sender_table *t, size_t i, long long now_ms)
{
	struct sender *sender = t->senders[i];

	if (t->config.ack && ncx_extended(sender->stream))
		send_reply(t, sender, now_ms);
	ncx_flush(sender->stream, take_record, sender);
	if (ncx_extended(sender->stream))
		report(sender);
	if (sender->output_fd >= 0 && sender->output_fd != t->config.output_fd)
		close(sender->output_fd);
	free(sender->output_path);
	ncx_free(sender->stream);
	free(sender);
	t->senders[i] = t->senders[--t->count];
}

static struct sender *find_sender(struct sender_table *t, const struct sockaddr_in6 *addr,
				  long long now_ms)
{
	struct sender *s;
	size_t oldest = 0;

	for (size_t i = 0; i < t->count; i++) {
		if (client_same_address(&t->senders[i]->addr, addr))
			return t->senders[i];
		if (t->senders[i]->last_heard_ms < t->senders[oldest]->last_heard_ms)
			oldest = i;
	}
	if (t->count == SENDERS_MAX) {
		if (now_ms - t->senders[oldest]->last_heard_ms < SENDER_IDLE_MS)
			t->displaced++;
		finish_sender(t, oldest, now_ms);
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->table = t;
	s->addr = *addr;
	s->output_fd = -1;
	s->last_record_ms = -SENDER_ACK_RECENT_MS - 1;
	s->stream = ncx_new();
	if (!s->stream || open_output(t, s) < 0) {
		ncx_free(s->stream);
		free(s);
		return NULL;
	}
	t->senders[t->count++] = s;
	return s;
}

int senders_feed(struct sender_table *t, const struct sockaddr_in6 *from, const void *payload,
		 size_t len, long long now_ms)
{
	struct sender *sender = find_sender(t, from, now_ms);

	if (!sender)
		return -1;
	sender->last_heard_ms = now_ms;
	if (ncx_feed(sender->stream, payload, len, now_ms, take_record, sender)) {
		sender->last_record_ms = now_ms;
		sender->reply_credit +=
			SENDER_REPLY_BYTES_PER_BYTE * len + SENDER_REPLY_BYTES_EXTRA;
		if (sender->reply_credit > SENDER_REPLY_CREDIT_MAX)
			sender->reply_credit = SENDER_REPLY_CREDIT_MAX;
	}
	sender->news = true;
	return 0;
}

void senders_serve(struct sender_table *t, long long now_ms)
{
	for (size_t i = 0; i < t->count; i++) {
		struct sender *sender = t->senders[i];

		if (now_ms - sender->last_heard_ms >= SENDER_IDLE_MS) {
			finish_sender(t, i--, now_ms);
			continue;
		}
		ncx_release(sender->stream, now_ms, t->config.ack ? -1 : SENDER_PLAIN_HOLD_MS,
			    take_record, sender);
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
		if (!ncx_settled(t->senders[i]->stream))
			return false;
	return true;
}

size_t senders_count(const struct sender_table *t)
{
	return t->count;
}

unsigned long senders_displaced(const struct sender_table *t)
{
	return t->displaced;
}

bool senders_output_failed(const struct sender_table *t)
{
	return t->output_failed;
}

void senders_finish(struct sender_table *t, long long now_ms)
{
	while (t->count)
		finish_sender(t, 0, now_ms);
}

void senders_free(struct sender_table *t)
{
	if (!t)
		return;
	while (t->count) {
		struct sender *sender = t->senders[--t->count];

		if (sender->output_fd >= 0 && sender->output_fd != t->config.output_fd)
			close(sender->output_fd);
		free(sender->output_path);
		ncx_free(sender->stream);
		free(sender);
	}
	free(t);
}
