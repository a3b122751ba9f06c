/* Tests host/client-expect.c: expected texts are found in the byte stream
 * however it is cut into packets, including self-overlapping texts where a
 * naive restart after a mismatch would miss the match. */
#include "tap.h"

#include "host/client-expect.c"

/* Feeds stream in pieces of piece_len bytes; returns 1 if text was seen. */
static int seen_in_pieces(const char *text, const char *stream, size_t piece_len)
{
	struct expect_set set;
	size_t len = strlen(stream), at;
	int seen;

	if (expect_init(&set, &text, 1) < 0)
		return -1;
	for (at = 0; at < len; at += piece_len)
		expect_feed(&set, stream + at, len - at < piece_len ? len - at : piece_len);
	seen = expect_all_seen(&set);
	expect_free(&set);
	return seen;
}

static void check_every_split(const char *text, const char *stream, int want)
{
	size_t piece, len = strlen(stream), failures = 0;

	for (piece = 1; piece <= len; piece++)
		failures += seen_in_pieces(text, stream, piece) != want;
	is_int(failures, 0, "\"%s\" %s in \"%s\" for every piece size", text,
	       want ? "found" : "not found", stream);
}

static void check_split_at_every_offset(const char *text, const char *stream)
{
	size_t cut, len = strlen(stream), failures = 0;

	for (cut = 0; cut <= len; cut++) {
		struct expect_set set;

		expect_init(&set, &text, 1);
		expect_feed(&set, stream, cut);
		expect_feed(&set, stream + cut, len - cut);
		failures += !expect_all_seen(&set);
		expect_free(&set);
	}
	is_int(failures, 0, "\"%s\" found across a two-packet cut at every offset", text);
}

int main(void)
{
	plan(17);
	check_every_split("Oops: 0002 [#1]", "[    1.0] Oops: 0002 [#1] SMP\n", 1);
	check_split_at_every_offset("Oops: 0002 [#1]", "[    1.0] Oops: 0002 [#1] SMP\n");
	check_every_split("aab", "aaab", 1);
	check_every_split("abab", "abaabab", 1);
	check_every_split("abcabd", "abcabcabd", 1);
	check_every_split("abcabd", "abcabcab", 0);
	check_every_split("Kernel panic", "Kernel pani\nc", 0);
	check_every_split("end", "", 0);

	{
		const char *texts[] = {"first", "second", "first"};
		struct expect_set set;

		is_int(expect_init(&set, texts, 3), 0, "three texts, one repeated");
		expect_feed(&set, "the fir", 7);
		ok(!expect_all_seen(&set), "a partial text is not seen");
		expect_feed(&set, "st line\n", 8);
		is_int(set.unseen, 1, "both copies of a repeated text are satisfied at once");
		ok(set.texts[0].seen && set.texts[2].seen && !set.texts[1].seen,
		   "only the received texts are marked seen");
		expect_feed(&set, "first again, then sec", 21);
		is_int(set.unseen, 1, "seeing a text twice is counted once");
		expect_feed(&set, "ond\n", 4);
		ok(expect_all_seen(&set), "all texts seen after the last piece");
		expect_free(&set);
	}
	{
		struct expect_set set;

		is_int(expect_init(&set, NULL, 0), 0, "an empty set initialises");
		ok(expect_all_seen(&set), "an empty set has nothing outstanding");
		expect_free(&set);
	}
	{
		const char *text = "\x1b[2J";
		struct expect_set set;
		unsigned char bytes[] = {0x00, 0x1b, '[', '2', 'J', 0xff};

		expect_init(&set, &text, 1);
		expect_feed(&set, bytes, sizeof(bytes));
		ok(expect_all_seen(&set), "binary bytes, NUL included, are matched");
		expect_free(&set);
	}
	return done_testing();
}
