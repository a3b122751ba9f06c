/* Tests host/client-ext.c against hostile and awkward input: truncated
 * headers, bad fragment offsets, overlaps, sequence wrap, 64 KiB datagrams,
 * terminal escapes, format detection, duplicates and reordering. The same
 * code is fuzzed by tests/fuzz/client_ext_fuzz.c (make fuzz). */
#include "tap.h"

#include "host/client-escape.c"
#include "host/client-ext.c"

#include <stdlib.h>

/* Everything the stream delivered, and in how many pieces. */
struct sink {
	char *data;
	size_t len, cap;
	unsigned calls;
};

static void collect(const char *data, size_t len, void *ctx)
{
	struct sink *sink = ctx;

	if (sink->len + len + 1 > sink->cap) {
		sink->cap = 2 * (sink->len + len + 1);
		sink->data = realloc(sink->data, sink->cap);
		if (!sink->data)
			abort();
	}
	memcpy(sink->data + sink->len, data, len);
	sink->len += len;
	sink->data[sink->len] = '\0';
	sink->calls++;
}

static void reset(struct sink *sink)
{
	sink->len = 0;
	sink->calls = 0;
	if (sink->data)
		sink->data[0] = '\0';
}

static struct sink out;

static void feed(struct ncx_stream *s, const char *text)
{
	ncx_feed(s, text, strlen(text), 0, collect, &out);
}

static const char *reply_of(const struct ncx_stream *s)
{
	static char reply[NCX_REPLY_MAX + 1];

	reply[ncx_reply(s, reply)] = '\0';
	return reply;
}

static bool parses(const char *text)
{
	struct ncx_header h;

	return ncx_parse_header(text, strlen(text), &h);
}

static void test_headers(void)
{
	const char *full = "6,12,340112,-,ncfrag=0/10;";
	struct ncx_header h;
	char prefix[64];
	int refused = 0;

	ok(ncx_parse_header(full, strlen(full), &h) && h.level == 6 && h.seq == 12 &&
		   h.ts_us == 340112 && h.fragment && h.frag_offset == 0 && h.frag_total == 10 &&
		   h.body_offset == strlen(full),
	   "a fragment header parses with every field");
	ok(ncx_parse_header("0.1.0-nc,4,7,9,-;x", 18, &h) && h.level == 4 && h.seq == 7,
	   "a release before the header is skipped");
	ok(ncx_parse_header("14,1,2,-,ncemg=1;x", 18, &h) && h.level == 6 && h.emergency,
	   "facility bits are masked off the level; ncemg=1 marks a resend");
	/* Every cut short of the ';' is refused, and so is each cut that keeps
	 * the ';' but drops a field. */
	for (size_t n = 0; n < strlen(full); n++) {
		memcpy(prefix, full, n);
		prefix[n] = '\0';
		refused += !ncx_parse_header(prefix, n, &h);
	}
	is_int(refused, strlen(full), "every truncation of a header is refused");
	ok(!parses(";") && !parses("6;") && !parses("6,1;") && !parses("6,1,2;") &&
		   !parses("6,1,2,;") && !parses(",1,2,-;") && !parses("6,,2,-;"),
	   "headers missing fields are refused");
	ok(!parses("6,1,2,x;") && !parses("6,-1,2,-;") && !parses("6,1,-2,-;") &&
		   !parses("1024,1,2,-;") && !parses("6,1,2,-x;"),
	   "bad flags, signs and levels are refused");
	ok(!parses("6,18446744073709551616,2,-;x") && !parses("6,1,18446744073709551616,-;x"),
	   "numbers past 64 bits are refused, not wrapped");
}

static void test_bad_fragments(void)
{
	static const char *hostile[] = {
		"6,1,2,-,ncfrag=-1/10;x",
		"6,1,2,-,ncfrag=10/10;x",
		"6,1,2,-,ncfrag=11/10;x",
		"6,1,2,-,ncfrag=0/0;x",
		"6,1,2,-,ncfrag=0/65537;x",
		"6,1,2,-,ncfrag=18446744073709551615/10;x",
		"6,1,2,-,ncfrag=99999999999999999999/10;x",
		"6,1,2,-,ncfrag=0/18446744073709551616;x",
		"6,1,2,-,ncfrag=0/;x",
		"6,1,2,-,ncfrag=/10;x",
		"6,1,2,-,ncfrag=0/10x;x",
		"6,1,2,-,ncfrag=8/10;abcdef", /* runs past the total */
	};
	size_t count = sizeof(hostile) / sizeof(hostile[0]);
	struct ncx_stream *s = ncx_new();

	reset(&out);
	feed(s, "6,0,1,-;first\n");
	for (size_t i = 0; i < count; i++)
		feed(s, hostile[i]);
	is_str(out.data, "[    0.000001] first\n", "hostile fragments deliver nothing");
	is_int(ncx_stats(s)->malformed, count, "each hostile fragment is counted malformed");
	ok(ncx_settled(s) && ncx_gaps(s, NULL, 0) == 0,
	   "refused fragments open no gap (their sequence number is not trusted)");
	feed(s, "6,1,2,-;second\n");
	is_str(out.data, "[    0.000001] first\n[    0.000002] second\n",
	       "the stream goes on after them");
	ncx_free(s);
}

static void test_overlaps(void)
{
	struct ncx_stream *s = ncx_new();

	reset(&out);
	feed(s, "6,0,5,-,ncfrag=4/11;EFGHIJ\n");
	feed(s, "6,0,5,-,ncfrag=0/11;abcdefg");
	is_str(out.data, "[    0.000005] abcdEFGHIJ\n",
	       "overlapping fragments join; overlapped bytes keep what came first");
	feed(s, "6,1,6,-,ncfrag=0/6;12345");
	feed(s, "6,1,6,-,ncfrag=0/7;123456\n");
	feed(s, "6,1,6,-,ncfrag=2/6;345");
	is_int(ncx_stats(s)->malformed, 1, "a fragment giving another total is refused");
	ok(ncx_reply(s, (char[NCX_REPLY_MAX]){0}) > 0 && !ncx_settled(s),
	   "a record with a hole is held");
	feed(s, "6,1,6,-,ncfrag=5/6;\n");
	is_str(out.data, "[    0.000005] abcdEFGHIJ\n[    0.000006] 12345\n",
	       "the last byte completes it");
	feed(s, "6,1,6,-,ncfrag=0/6;zzzzz");
	is_int(ncx_stats(s)->duplicates, 1, "a fragment of a delivered record is a duplicate");
	ncx_free(s);
}

static void test_sequence_wrap(void)
{
	struct ncx_stream *s = ncx_new();
	char line[64];

	reset(&out);
	feed(s, "6,4294967294,1,-;a\n");
	feed(s, "6,4294967295,2,-;b\n");
	feed(s, "6,0,3,-;c\n");
	feed(s, "6,1,4,-;d\n");
	is_str(out.data, "[    0.000001] a\n[    0.000002] b\n[    0.000003] c\n[    0.000004] d\n",
	       "a 32-bit counter wrapping to 0 is followed as a restart");
	is_int(ncx_stats(s)->restarts, 1, "the wrap counts as one restart");
	ok(ncx_settled(s) && ncx_gaps(s, NULL, 0) == 0, "and leaves no gap");
	ncx_free(s);

	s = ncx_new();
	reset(&out);
	snprintf(line, sizeof(line), "6,%llu,1,-;last\n", (unsigned long long)NCX_SEQ_MAX - 1);
	feed(s, line);
	snprintf(line, sizeof(line), "6,%llu,2,-;max\n", (unsigned long long)NCX_SEQ_MAX);
	feed(s, line);
	feed(s, "6,18446744073709551615,3,-;beyond\n");
	is_str(out.data, "[    0.000001] last\n[    0.000002] max\n",
	       "records up to 2^63-1 are delivered; 2^64-1 is refused");
	is_int(ncx_stats(s)->malformed, 1, "the refused one counts as malformed");
	ok(ncx_settled(s) && ncx_gaps(s, NULL, 0) == 0, "the top of the range settles (no wrap)");
	is_str(reply_of(s), "ncrx9223372036854775807", "and is acknowledged");
	feed(s, "6,0,4,-;after\n");
	is_str(out.data + strlen("[    0.000001] last\n[    0.000002] max\n"),
	       "[    0.000004] after\n", "0 after the top is a restart");
	ncx_free(s);
}

static void test_big_datagrams(void)
{
	size_t header = strlen("6,0,7,-;");
	size_t size = 65536;
	char *packet = malloc(size + header + 1);
	struct ncx_stream *s = ncx_new();

	memcpy(packet, "6,0,7,-;", header);
	memset(packet + header, 'A', size - header);
	reset(&out);
	ncx_feed(s, packet, size, 0, collect, &out);
	ok(out.calls == 1 && out.len == strlen("[    0.000007] ") + size - header + 1 &&
		   out.data[out.len - 1] == '\n' && out.data[out.len - 2] == 'A',
	   "a 64 KiB extended datagram is one whole line");
	memset(packet + header, 'B', size + 1);
	memcpy(packet, "6,1,8,-;", header);
	ncx_feed(s, packet, size + header + 1, 0, collect, &out);
	is_int(ncx_stats(s)->malformed, 1, "a body over %d bytes is refused", NCX_BODY_MAX);
	ncx_free(s);

	s = ncx_new();
	memset(packet, 'p', size);
	packet[10] = ';';
	reset(&out);
	ncx_feed(s, packet, size, 0, collect, &out);
	ok(out.len == size && memcmp(out.data, packet, size) == 0,
	   "a 64 KiB plain datagram passes unchanged");
	ncx_free(s);

	/* Thousands of open 64 KiB records must not take thousands of 64 KiB
	 * buffers. */
	s = ncx_new();
	unsigned opened = 1000, fits = NCX_HELD_MAX / NCX_BODY_MAX;
	feed(s, "6,0,1,-;start\n");
	for (unsigned seq = 2; seq < 2 + opened; seq++) {
		char frag[64];
		snprintf(frag, sizeof(frag), "6,%u,1,-,ncfrag=0/65536;x", seq);
		feed(s, frag);
	}
	is_int(ncx_stats(s)->malformed, opened - fits,
	       "held bodies stop at %u MiB per sender; the rest are refused", NCX_HELD_MAX >> 20);
	ncx_free(s);
	free(packet);
}

static void test_escapes(void)
{
	struct ncx_stream *s = ncx_new();
	char shown[256];

	reset(&out);
	feed(s, "6,0,1,-;a\\x1b[31mred\\x07\\x5c\\x7f\n");
	is_str(out.data, "[    0.000001] a\x1b[31mred\x07\\\x7f\n",
	       "the transcript gets the unescaped bytes, as the serial console printed them");
	shown[client_escape(out.data, out.len, shown)] = '\0';
	is_str(shown, "[    0.000001] a\\x1b[31mred\\x07\\\\x7f\n",
	       "stdout shows them escaped, so a record cannot drive the terminal");
	reset(&out);
	feed(s, "6,1,2,-;\\xZZ \\x4 \\x\\\n");
	is_str(out.data, "[    0.000002] \\xZZ \\x4 \\x\\\n",
	       "broken escapes stay literal, never read past the body");
	reset(&out);
	feed(s, "6,2,3,-;raw\x1b]0;title\x07\n");
	ok(strchr(out.data, '\x1b') != NULL && strstr(out.data, "raw") != NULL,
	   "a raw ESC from a sender reaches the transcript as sent");
	shown[client_escape(out.data, out.len, shown)] = '\0';
	ok(strchr(shown, '\x1b') == NULL && strchr(shown, '\x07') == NULL, "but never stdout");
	reset(&out);
	feed(s, "6,3,4,-;first line\\x0a\nKEY=dict\n");
	is_str(out.data, "[    0.000004] first line\n[    0.000004] \n",
	       "dictionary lines after the text are not part of the console lines");
	reset(&out);
	feed(s, "6,4,1500000,-;WARNING: at x\\x0aModules linked in:\\x0a  tail\n");
	is_str(out.data,
	       "[    1.500000] WARNING: at x\n[    1.500000] Modules linked in:\n"
	       "[    1.500000]   tail\n",
	       "a record whose text holds newlines: every line carries the timestamp, as on "
	       "Linux's console");
	ncx_free(s);
}

static void test_detection(void)
{
	struct ncx_stream *s = ncx_new();

	reset(&out);
	feed(s, "[    1.000000] plain, with; separators\n");
	feed(s, "1,2,3,x;not extended\n");
	feed(s, "release-only;x\n");
	is_int(ncx_stats(s)->plain, 3, "plain payloads with commas and semicolons stay plain");
	ok(!ncx_extended(s) && ncx_reply(s, (char[NCX_REPLY_MAX]){0}) == 0,
	   "no reply before an extended record");
	char late[600];
	memset(late, 'x', sizeof(late));
	memcpy(late, "6,", 2);
	memcpy(late + 590, ",1,2,-;y\n", 10);
	feed(s, late);
	is_int(ncx_stats(s)->plain, 4, "a ';' beyond the header limit is plain");
	feed(s, "6,0,9,-;now extended\n");
	feed(s, "[    1.000001] plain again\n");
	ok(ncx_extended(s) && ncx_stats(s)->malformed == 1 &&
		   strstr(out.data, "plain again") == NULL,
	   "once a sender is extended, plain payloads are malformed and dropped");
	ok(strstr(out.data, "plain, with; separators\n1,2,3,x;") == out.data + 15,
	   "plain payloads pass in arrival order");
	ncx_free(s);

	s = ncx_new();
	reset(&out);
	ncx_feed(s, "", 0, 0, collect, &out);
	is_int(out.calls, 0, "an empty datagram delivers nothing");
	feed(s, "6,5,1,-;");
	is_int(ncx_stats(s)->malformed, 1, "an extended header with no body is malformed");
	ncx_free(s);
}

static void test_order(void)
{
	struct ncx_stream *s = ncx_new();
	uint64_t gaps[8];

	reset(&out);
	feed(s, "6,2,3,-;two\n");
	feed(s, "6,0,1,-;zero\n");
	is_str(reply_of(s), "ncrx2 1", "a missing record is asked for");
	ok(!ncx_settled(s), "and held back");
	feed(s, "6,0,1,-;zero\n");
	feed(s, "6,1,2,-;one\n");
	feed(s, "6,2,3,-;two\n");
	is_str(out.data, "[    0.000001] zero\n[    0.000002] one\n[    0.000003] two\n",
	       "reordered records come out in sequence order, once");
	is_int(ncx_stats(s)->duplicates, 2, "the repeats count as duplicates");
	is_str(reply_of(s), "ncrx2", "everything acknowledged");

	feed(s, "6,5,6,-;five\n");
	ncx_release(s, 999, 1000, collect, &out);
	ok(!ncx_settled(s), "a gap is held while younger than the hold time");
	ncx_release(s, 1000, 1000, collect, &out);
	ok(ncx_settled(s) && strstr(out.data, "five") != NULL, "and given up after it");
	ok(ncx_gaps(s, gaps, 8) == 2 && gaps[0] == 3 && gaps[1] == 4, "the lost records are named");
	feed(s, "6,3,4,-;late\n");
	ok(strstr(out.data, "late") == NULL,
	   "a record arriving after its gap was given up is dropped");
	ncx_free(s);

	s = ncx_new();
	feed(s, "6,0,1,-;a\n");
	feed(s, "6,100,1,-;b\n");
	is_str(reply_of(s),
	       "ncrx64 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 "
	       "28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 "
	       "54 55 56 57 58 59 60 61 62 63 64",
	       "at most 64 missing per reply; the ack stops before the first unlisted gap");
	feed(s, "6,5000,1,-;far\n");
	is_int(ncx_stats(s)->restarts, 1, "a record a window ahead restarts the stream");
	is_int(ncx_gaps(s, NULL, 0), 99, "the records skipped by the restart are lost");
	ncx_free(s);

	s = ncx_new();
	reset(&out);
	feed(s, "6,2000,1,-;late start\n");
	is_str(out.data, "[    0.000001] late start\n",
	       "a stream first heard past the start window begins there");
	ncx_free(s);
}

/* Issue 19: each sequence restart added ~4,094 numbers to the list of
 * records that never came, so 200,000 datagrams took 3 GB. The list keeps
 * the first NCX_LOST_MAX numbers and counts the rest. */
static void test_restart_flood(void)
{
	struct ncx_stream *s = ncx_new();
	char line[64];
	uint64_t first[4];

	reset(&out);
	for (unsigned i = 0; i < 2000; i++) {
		uint64_t base = 10000000ULL * (i + 1);
		snprintf(line, sizeof(line), "6,%llu,1,-;a\n", (unsigned long long)base);
		feed(s, line);
		snprintf(line, sizeof(line), "6,%llu,1,-;b\n",
			 (unsigned long long)(base + NCX_WINDOW - 1));
		feed(s, line);
	}
	ok(s->lost_cap <= NCX_LOST_MAX, "the list of lost records stays bounded (%zu entries)",
	   s->lost_cap);
	is_int(ncx_gaps(s, first, 4), 1999ULL * (NCX_WINDOW - 2) + NCX_WINDOW - 2,
	       "yet every record that never came is counted");
	is_int(first[0], 10000001, "and the first ones are named");
	ncx_free(s);
}

/* Issue 18, item 2: a sender that says which numbers it left out below its
 * log level (ncskip=) has no gap there; one that does not (Linux) keeps the
 * gaps, which the report calls "may be below the sender's log level". */
static void test_skips(void)
{
	struct ncx_stream *s = ncx_new();
	uint64_t gaps[8];

	reset(&out);
	feed(s, "6,0,1,-,ncskip=0;a\n");
	feed(s, "6,3,2,-,ncskip=2;b\n");
	is_str(out.data, "[    0.000001] a\n[    0.000002] b\n", "left-out records print nothing");
	ok(ncx_settled(s) && ncx_gaps(s, gaps, 8) == 0, "and open no gap");
	is_int((int)ncx_stats(s)->filtered, 2, "they are counted as left out");
	ok(ncx_marks_skips(s), "the sender is known to mark what it leaves out");
	is_str(reply_of(s), "ncrx3", "the reply asks for none of them");
	/* Record 4 lost; 5 says 6 was left out before 7. */
	feed(s, "6,5,3,-,ncskip=0;c\n");
	feed(s, "6,7,4,-,ncskip=1;d\n");
	is_str(reply_of(s), "ncrx7 4",
	       "a lost record beside a left-out one: only the lost one asked");
	ncx_flush(s, collect, &out);
	ok(ncx_gaps(s, gaps, 8) == 1 && gaps[0] == 4, "and only it is a gap");
	ncx_free(s);

	s = ncx_new();
	feed(s, "6,0,1,-;a\n");
	feed(s, "6,3,2,-;b\n");
	ok(!ncx_marks_skips(s) && ncx_gaps(s, gaps, 8) == 2,
	   "without ncskip= (Linux) the missing numbers stay gaps");
	ncx_free(s);

	s = ncx_new();
	reset(&out);
	feed(s, "6,0,1,-,ncskip=4097;a\n");
	is_int((int)ncx_stats(s)->records, 0, "an ncskip= beyond the window is refused");
	ncx_free(s);
}

int main(void)
{
	plan(67);
	test_skips();
	test_headers();
	test_bad_fragments();
	test_overlaps();
	test_sequence_wrap();
	test_big_datagrams();
	test_escapes();
	test_detection();
	test_order();
	test_restart_flood();
	free(out.data);
	return done_testing();
}
