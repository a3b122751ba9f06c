/* libFuzzer target over the listener's extended-record handling
 * (host/client-ext.c): the input is a run of datagrams, each behind a
 * two-byte little-endian length, fed to one stream with a clock that moves
 * on; replies, gaps, releases and the final flush run along the way and their
 * promises are checked. Built by `make fuzz` (clang, ASan, UBSan). */
#include "host/client-ext.c"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
	return 0;
}
