#include "netconsole/ext.h"

#include "kernel/format.h"
#include "kernel/string.h"

static bool escaped(unsigned char c)
{
	return c < 0x20 || c >= 0x7f || c == '\\';
}

typedef uint32_t __attribute__((may_alias, aligned(1))) any_aligned_u32;

#define ONES 0x01010101u
#define HIGHS 0x80808080u

/* Whether any byte of w is escaped: below 0x20, from 0x80 up, 0x7f or
 * '\\'. (x - ONES) & ~x & HIGHS flags a zero byte of x; for bytes below
 * 0x80, x - 0x20 per byte borrows exactly when the byte is below 0x20. */
static bool word_escaped(uint32_t w)
{
	uint32_t del = w ^ 0x7f7f7f7fu, backslash = w ^ 0x5c5c5c5cu;
	return ((w - 0x20 * ONES) & ~w & HIGHS) || (w & HIGHS) || ((del - ONES) & ~del & HIGHS) ||
	       ((backslash - ONES) & ~backslash & HIGHS);
}

/* How many bytes from text on need no escaping: a word at a time, since
 * log text rarely holds any. */
static size_t plain_run(const char *text, size_t len)
{
	size_t n = 0;
	while (n + 4 <= len && !word_escaped(*(const any_aligned_u32 *)(text + n)))
		n += 4;
	while (n < len && !escaped((unsigned char)text[n]))
		n++;
	return n;
}

size_t ncext_escape(const char *text, size_t len, char *body)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		size_t run = plain_run(text + i, len - i);
		memcpy(body + n, text + i, run);
		n += run;
		i += run;
		if (i == len)
			break;
		unsigned char c = (unsigned char)text[i];
		body[n++] = '\\';
		body[n++] = 'x';
		body[n++] = hex[c >> 4];
		body[n++] = hex[c & 0xf];
	}
	body[n++] = '\n';
	return n;
}

/* The header without its closing ';'. */
static size_t put_header(char *buf, const struct ncext_record *rec, bool fragment, size_t offset,
			 size_t total)
{
	size_t n = 0;
	if (rec->release)
		n += (size_t)ksnprintf(buf, NCEXT_HEADER_MAX, "%s,", rec->release);
	n += (size_t)ksnprintf(buf + n, NCEXT_HEADER_MAX - n, "%u,%llu,%llu,-",
			       (unsigned)rec->level, (unsigned long long)rec->seq,
			       (unsigned long long)rec->ts_us);
	if (fragment)
		n += (size_t)ksnprintf(buf + n, NCEXT_HEADER_MAX - n, ",ncfrag=%u/%u",
				       (unsigned)offset, (unsigned)total);
	if (rec->emergency)
		n += (size_t)ksnprintf(buf + n, NCEXT_HEADER_MAX - n, ",ncemg=1");
	if (rec->marks_skips)
		n += (size_t)ksnprintf(buf + n, NCEXT_HEADER_MAX - n, ",ncskip=%u",
				       (unsigned)rec->skipped);
	return n;
}

unsigned ncext_send(const struct ncext_record *rec, char *scratch, size_t scratch_size,
		    ncext_packet_fn fn, void *ctx)
{
	if (scratch_size < NCEXT_BODY_MAX(rec->len) + NCEXT_PACKET_MAX ||
	    (rec->release && strlen(rec->release) > NCEXT_RELEASE_MAX))
		return 0;
	char *body = scratch;
	char *packet = scratch + NCEXT_BODY_MAX(rec->len);
	size_t total = ncext_escape(rec->text, rec->len, body);

	size_t n = put_header(packet, rec, false, 0, 0);
	if (n + 1 + total <= NCEXT_PACKET_MAX) {
		packet[n++] = ';';
		memcpy(packet + n, body, total);
		fn(packet, n + total, ctx);
		return 1;
	}
	unsigned packets = 0;
	for (size_t offset = 0; offset < total; packets++) {
		n = put_header(packet, rec, true, offset, total);
		packet[n++] = ';';
		size_t piece = NCEXT_PACKET_MAX - n;
		if (piece > total - offset)
			piece = total - offset;
		memcpy(packet + n, body + offset, piece);
		fn(packet, n + piece, ctx);
		offset += piece;
	}
	return packets;
}

/* A decimal number that fits 64 bits: the whole range, since a receiver
 * that has acknowledged nothing yet sends 2^64 - 1 (libncrx's ack_seq + 1
 * wraps to 0). */
static bool take_u64(const char **p, const char *end, uint64_t *value)
{
	const char *start = *p;
	uint64_t v = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		unsigned digit = (unsigned)(**p - '0');
		if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && digit > UINT64_MAX % 10))
			return false;
		v = v * 10 + digit;
		(*p)++;
	}
	*value = v;
	return *p > start;
}

bool ncext_parse_reply(const char *payload, size_t len, struct ncext_reply *out)
{
	const char *p = payload, *end = payload + len;
	if (len < 5 || memcmp(p, "ncrx", 4) != 0)
		return false;
	p += 4;
	out->missing_count = 0;
	if (!take_u64(&p, end, &out->ack_seq))
		return false;
	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end || (*p == '\n' && p + 1 == end))
			return true;
		uint64_t seq;
		if (!take_u64(&p, end, &seq) || (p < end && *p != ' ' && *p != '\n'))
			return false;
		if (out->missing_count < NCEXT_MISSING_MAX)
			out->missing[out->missing_count++] = seq;
	}
}
