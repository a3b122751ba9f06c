/* libFuzzer target over the listener's extended-record handling
 * (host/client-ext.c) and its ncrx reply path (host/client-senders.c): the
 * input is a run of datagrams, each behind a two-byte little-endian length.
 * First they are fed to one stream with a clock that moves on; replies,
 * gaps, releases and the final flush run along the way and their promises
 * are checked. Then the same datagrams come from three senders (length
 * modulo 3) into a sender table with --ack on, served after each one: every
 * reply is well formed, goes only to a sender of a recent datagram and
 * stays within what its datagrams paid for. Built by `make fuzz` (clang,
 * ASan, UBSan). */
#include "host/client-escape.c"
#include "host/client-ext.c"
#include "host/client-files.c"
#include "host/client-senders.c"
#include "host/client-socket.c"

#include <assert.h>

/* Everything delivered must be a whole rendered line or a plain payload;
 * counting the bytes makes the sanitizers read every one. */
static void check_output(const char *data, size_t len, void *ctx)
{
	size_t *total = ctx;

	assert(len > 0);
	assert(len <= NCX_BODY_MAX + 32);
	for (size_t i = 0; i < len; i++)
		*total += (unsigned char)data[i] != 0;
}

static void check_reply(const struct ncx_stream *s)
{
	char reply[NCX_REPLY_MAX];
	size_t len = ncx_reply(s, reply);

	assert(len < NCX_REPLY_MAX);
	assert(len == 0 || memcmp(reply, "ncrx", 4) == 0);
}

/* Gaps rise within one numbering; only a restart may start them lower. */
static void check_gaps(const struct ncx_stream *s)
{
	uint64_t gaps[64];
	size_t n = ncx_gaps(s, gaps, 64);
	unsigned long falls = 0;

	for (size_t i = 1; i < n && i < 64; i++)
		falls += gaps[i] <= gaps[i - 1];
	assert(falls <= ncx_stats(s)->restarts);
}

/* What each of the three senders sent and was sent. */
struct peer {
	unsigned long in_bytes, in_datagrams, out_bytes;
	long long last_in_ms;
};
static struct peer peers[3];
static long long clock_ms;

static void check_record(const struct sockaddr_in6 *from, const char *data, size_t len, void *ctx)
{
	(void)from;
	check_output(data, len, ctx);
}

static void check_send(const struct sockaddr_in6 *to, const void *buf, size_t len, void *ctx)
{
	struct peer *peer = &peers[ntohs(to->sin6_port) - 6665];

	(void)ctx;
	assert(ntohs(to->sin6_port) - 6665u < 3);
	assert(len > 4 && len < NCX_REPLY_MAX && memcmp(buf, "ncrx", 4) == 0);
	assert(clock_ms - peer->last_in_ms <= SENDER_ACK_RECENT_MS);
	peer->out_bytes += len;
	assert(peer->out_bytes <= SENDER_REPLY_BYTES_PER_BYTE * peer->in_bytes +
					  SENDER_REPLY_BYTES_EXTRA * peer->in_datagrams);
}

static void fuzz_senders(const uint8_t *data, size_t size)
{
	size_t delivered = 0;
	struct sender_config config = {.ack = true,
				       .output_fd = -1,
				       .record = check_record,
				       .send = check_send,
				       .ctx = &delivered};
	struct sender_table *t = senders_new(&config);

	if (!t)
		return;
	memset(peers, 0, sizeof(peers));
	clock_ms = 0;
	while (size >= 2) {
		size_t len = (size_t)data[0] | (size_t)data[1] << 8;
		struct sockaddr_in6 from =
			client_ipv4_address(0x7f000002, (uint16_t)(6665 + len % 3));
		struct peer *peer = &peers[len % 3];

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		char *packet = malloc(len ? len : 1);
		if (!packet)
			break;
		memcpy(packet, data, len);
		peer->in_bytes += len;
		peer->in_datagrams++;
		peer->last_in_ms = clock_ms;
		senders_feed(t, &from, packet, len, clock_ms);
		free(packet);
		data += len;
		size -= len;
		clock_ms += len & 0x3ff;
		senders_serve(t, clock_ms);
		assert(senders_count(t) <= SENDERS_MAX);
	}
	for (int i = 0; i < 5; i++) {
		clock_ms += SENDER_ACK_RECENT_MS / 2;
		senders_serve(t, clock_ms);
	}
	clock_ms += SENDER_IDLE_MS;
	senders_serve(t, clock_ms);
	assert(senders_count(t) == 0);
	senders_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *input = data;
	size_t input_size = size;

	struct ncx_stream *s = ncx_new();
	size_t delivered = 0;
	long long now = 0;

	if (!s)
		return 0;
	while (size >= 2) {
		size_t len = (size_t)data[0] | (size_t)data[1] << 8;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		/* A private copy, so a read past the datagram is caught. */
		char *packet = malloc(len ? len : 1);
		if (!packet)
			break;
		memcpy(packet, data, len);
		ncx_feed(s, packet, len, now, check_output, &delivered);
		free(packet);
		data += len;
		size -= len;
		now += len & 0x3ff;
		check_reply(s);
		ncx_release(s, now, 500, check_output, &delivered);
	}
	check_gaps(s);
	ncx_flush(s, check_output, &delivered);
	assert(ncx_settled(s));
	check_reply(s);
	ncx_free(s);
	fuzz_senders(input, input_size);
	return 0;
}
