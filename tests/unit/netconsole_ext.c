/* The extended-format writer and the ncrx reply parser: record headers,
 * escaping, fragmentation at the packet limit, emergency marks, and ncrx
 * messages well-formed and not. */
#include "tap.h"

#include "kernel/format.c"
#include "netconsole/ext.c"

#define MAX_PACKETS 16

struct sent {
	char packets[MAX_PACKETS][NCEXT_PACKET_MAX + 1];
	size_t lens[MAX_PACKETS];
	unsigned count;
	size_t longest;
};

static void collect(const char *payload, size_t len, void *ctx)
{
	struct sent *s = ctx;
	if (s->count < MAX_PACKETS) {
		memcpy(s->packets[s->count], payload, len);
		s->packets[s->count][len] = '\0';
		s->lens[s->count] = len;
	}
	if (len > s->longest)
		s->longest = len;
	s->count++;
}

static char scratch[NCEXT_BODY_MAX(2048) + NCEXT_PACKET_MAX];

static unsigned send(const struct ncext_record *rec, struct sent *s)
{
	memset(s, 0, sizeof(*s));
	return ncext_send(rec, scratch, sizeof(scratch), collect, s);
}

static void test_single(void)
{
	struct sent s;
	struct ncext_record rec = {NULL, 6, 416, 1758426, false, "hello world", 11, false, 0};
	is_int(send(&rec, &s), 1, "short record: one packet");
	is_str(s.packets[0], "6,416,1758426,-;hello world\n", "kmsg header, text, newline");

	rec.release = "0.1.0-nc";
	send(&rec, &s);
	is_str(s.packets[0], "0.1.0-nc,6,416,1758426,-;hello world\n", "release goes first");

	rec.release = NULL;
	rec.emergency = true;
	rec.seq = 5000000000ULL;
	rec.ts_us = 12345678901234ULL;
	send(&rec, &s);
	is_str(s.packets[0], "6,5000000000,12345678901234,-,ncemg=1;hello world\n",
	       "64-bit numbers and the emergency field");
	rec.marks_skips = true;
	rec.skipped = 3;
	send(&rec, &s);
	is_str(s.packets[0], "6,5000000000,12345678901234,-,ncemg=1,ncskip=3;hello world\n",
	       "the records left out before this one, last");
	rec.skipped = 0;
	rec.emergency = false;
	send(&rec, &s);
	is_str(s.packets[0], "6,5000000000,12345678901234,-,ncskip=0;hello world\n",
	       "ncskip=0 too: the receiver learns the sender accounts for its numbers");
	rec.marks_skips = false;

	struct ncext_record empty = {NULL, 0, 0, 0, false, "", 0, false, 0};
	is_int(send(&empty, &s), 1, "empty text still makes a record");
	is_str(s.packets[0], "0,0,0,-;\n", "empty record");
}

static void test_escape(void)
{
	char body[NCEXT_BODY_MAX(8)];
	size_t n = ncext_escape("a\\b\tc\x1b\x7f\xff", 8, body);
	body[n] = '\0';
	is_str(body, "a\\x5cb\\x09c\\x1b\\x7f\\xff\n", "backslash, control and high bytes escaped");

	struct sent s;
	struct ncext_record rec = {NULL, 4, 1, 2, false, "x;y,z=1", 7, false, 0};
	send(&rec, &s);
	is_str(s.packets[0], "4,1,2,-;x;y,z=1\n", "';' ',' '=' in the text need no escape");
}

/* Every byte value at every place in and around a word, against /dev/kmsg's
 * rule applied one byte at a time: the escaping scans a word at a time. */
static void test_escape_every_byte(void)
{
	char text[12], body[NCEXT_BODY_MAX(12)], want[NCEXT_BODY_MAX(12)];
	int bad = 0;
	for (int c = 0; c < 256; c++)
		for (size_t at = 0; at < sizeof(text); at++) {
			memset(text, 'a' + (int)at, sizeof(text));
			text[at] = (char)c;
			size_t n = 0;
			for (size_t i = 0; i < sizeof(text); i++) {
				unsigned char b = (unsigned char)text[i];
				if (b < 0x20 || b >= 0x7f || b == '\\')
					n += (size_t)sprintf(want + n, "\\x%02x", b);
				else
					want[n++] = (char)b;
			}
			want[n++] = '\n';
			size_t got = ncext_escape(text, sizeof(text), body);
			if (got != n || memcmp(body, want, n) != 0) {
				if (!bad)
					printf("# byte 0x%02x at %zu: got %.*s", c, at, (int)got,
					       body);
				bad++;
			}
		}
	ok(!bad,
	   "each byte value escaped as a byte-by-byte reference does, wherever it stands (%d wrong)",
	   bad);
}

/* Reassembles fragments by their ncfrag offsets and checks each header. */
static void test_fragments(size_t text_len, bool emergency)
{
	static char text[2048], body[NCEXT_BODY_MAX(2048)], rebuilt[NCEXT_BODY_MAX(2048)];
	for (size_t i = 0; i < text_len; i++)
		text[i] = (char)(i % 7 == 3 ? 0x01 : 'a' + i % 26); /* some escapes */
	size_t total = ncext_escape(text, text_len, body);

	struct sent s;
	struct ncext_record rec = {"r", 3, 77, 99, emergency, text, text_len, false, 0};
	unsigned packets = send(&rec, &s);
	unsigned want = total + 8 <= NCEXT_PACKET_MAX ? 1 : 0;
	ok(s.longest <= NCEXT_PACKET_MAX, "len %zu: no packet over the limit (%zu)", text_len,
	   s.longest);
	if (want == 1) {
		is_int(packets, 1, "len %zu: fits one packet", text_len);
		return;
	}
	ok(packets >= 2, "len %zu: %u fragments", text_len, packets);
	size_t expect_off = 0;
	bool headers_ok = true;
	for (unsigned i = 0; i < packets && i < MAX_PACKETS; i++) {
		char head[128];
		unsigned off, tot;
		const char *semi = memchr(s.packets[i], ';', s.lens[i]);
		size_t hlen = semi ? (size_t)(semi - s.packets[i]) : 0;
		memcpy(head, s.packets[i], hlen);
		head[hlen] = '\0';
		char want_head[128];
		if (sscanf(head, "r,3,77,99,-,ncfrag=%u/%u", &off, &tot) != 2 ||
		    off != expect_off || tot != total) {
			headers_ok = false;
			break;
		}
		snprintf(want_head, sizeof(want_head), "r,3,77,99,-,ncfrag=%u/%u%s", off, tot,
			 emergency ? ",ncemg=1" : "");
		if (strcmp(head, want_head) != 0) {
			headers_ok = false;
			break;
		}
		size_t piece = s.lens[i] - hlen - 1;
		memcpy(rebuilt + off, semi + 1, piece);
		expect_off += piece;
	}
	ok(headers_ok, "len %zu: fragment headers carry consecutive offsets and the total",
	   text_len);
	is_int(expect_off, total, "len %zu: fragments cover the body", text_len);
	ok(memcmp(rebuilt, body, total) == 0, "len %zu: fragments rebuild the body", text_len);
}

static void test_limits(void)
{
	struct sent s;
	struct ncext_record rec = {NULL, 6, 1, 1, false, "abc", 3, false, 0};
	memset(&s, 0, sizeof(s));
	is_int(ncext_send(&rec, scratch, NCEXT_BODY_MAX(3) + NCEXT_PACKET_MAX - 1, collect, &s), 0,
	       "scratch too small: nothing sent");
	is_int(s.count, 0, "and no callback");
	static char long_release[NCEXT_RELEASE_MAX + 2];
	memset(long_release, 'v', NCEXT_RELEASE_MAX + 1);
	rec.release = long_release;
	is_int(send(&rec, &s), 0, "over-long release refused");
}

static void test_ncrx(void)
{
	struct ncext_reply r;
	ok(ncext_parse_reply("ncrx17", 6, &r) && r.ack_seq == 17 && r.missing_count == 0,
	   "bare ack");
	ok(ncext_parse_reply("ncrx17 20 23 24\n", 16, &r) && r.ack_seq == 17 &&
		   r.missing_count == 3 && r.missing[0] == 20 && r.missing[1] == 23 &&
		   r.missing[2] == 24,
	   "ack with missing numbers and a newline");
	ok(ncext_parse_reply("ncrx0  5 ", 9, &r) && r.missing_count == 1 && r.missing[0] == 5,
	   "extra spaces");
	/* libncrx before it has acknowledged anything: ack_seq + 1 wraps to 0. */
	ok(ncext_parse_reply("ncrx18446744073709551615", 24, &r) && r.ack_seq == UINT64_MAX &&
		   r.missing_count == 0,
	   "2^64 - 1, libncrx's nothing acknowledged yet, is accepted");
	ok(ncext_parse_reply("ncrx18446744073709551615 0 1 7\n", 31, &r) &&
		   r.ack_seq == UINT64_MAX && r.missing_count == 3 && r.missing[0] == 0 &&
		   r.missing[2] == 7,
	   "and its missing list is taken");
	ok(!ncext_parse_reply("ncrx18446744073709551616", 24, &r), "2^64 refused (overflow)");
	ok(!ncext_parse_reply("ncrx5 18446744073709551620", 26, &r),
	   "a missing number past 2^64 - 1 refused");
	ok(ncext_parse_reply("ncrx000000000000000000000042", 28, &r) && r.ack_seq == 42,
	   "leading zeros are not overflow");
	ok(ncext_parse_reply("ncrx9999999999999999999", 23, &r) &&
		   r.ack_seq == 9999999999999999999ULL,
	   "19 digits");
	ok(!ncext_parse_reply("ncrx", 4, &r), "no ack number");
	ok(!ncext_parse_reply("ncrx 5", 6, &r), "space before the ack");
	ok(!ncext_parse_reply("ncrx5 x", 7, &r), "letter as missing number");
	ok(!ncext_parse_reply("ncrx5 6x", 8, &r), "trailing letter");
	ok(!ncext_parse_reply("ncrx5\n6", 7, &r), "newline in the middle");
	ok(!ncext_parse_reply("NCRX5", 5, &r), "case matters");
	ok(!ncext_parse_reply("6,1,2,-;text", 12, &r), "a record is not a reply");

	char many[2000];
	size_t n = (size_t)snprintf(many, sizeof(many), "ncrx1");
	for (int i = 0; i < NCEXT_MISSING_MAX + 10; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, " %d", 100 + i);
	ok(ncext_parse_reply(many, n, &r) && r.missing_count == NCEXT_MISSING_MAX &&
		   r.missing[NCEXT_MISSING_MAX - 1] == 100 + NCEXT_MISSING_MAX - 1,
	   "more missing numbers than kept: the first ones are kept");
}

int main(void)
{
	plan(50);
	test_single();
	test_escape();
	test_escape_every_byte();
	test_fragments(10, false);
	test_fragments(600, false);
	test_fragments(1024, false);
	test_fragments(1024, true);
	test_fragments(2048, false);
	test_limits();
	test_ncrx();
	return done_testing();
}
