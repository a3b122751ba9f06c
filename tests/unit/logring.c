/* Tests kernel/logring.c: records come back as written, in sequence, and when
 * the buffer wraps the oldest ones go first while everything newer stays
 * readable. Record texts are derived from their sequence number, so any
 * record can be checked without keeping a copy. */
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>

#include "kernel/logring.c"

#define RING_SIZE (4 * LOG_TEXT_MAX)
#define GUARD 64

/* The ring's buffer, with guard bytes on both sides to catch stray writes. */
static uint8_t memory[GUARD + 2 * RING_SIZE + GUARD];

static size_t plain_len(uint64_t seq)
{
	return (size_t)(seq * 37 % 101);
}

static void fill_text(char *text, uint64_t seq, size_t len)
{
	for (size_t i = 0; i < len; i++)
		text[i] = (char)('a' + (seq * 7 + i) % 26);
}

static uint8_t level_of(uint64_t seq)
{
	return (uint8_t)(seq % 8);
}

static uint64_t ts_of(uint64_t seq)
{
	return seq * 1000003ULL + (1ULL << 40);
}

static uint64_t append_seq(struct logring *ring, uint64_t seq, size_t len)
{
	char text[LOG_TEXT_MAX];
	fill_text(text, seq, len);
	return logring_append(ring, level_of(seq), ts_of(seq), text, len);
}

/* True when rec is exactly what append_seq(seq, len) wrote. */
static bool record_is(const struct log_record *rec, uint64_t seq, size_t len)
{
	char want[LOG_TEXT_MAX];
	fill_text(want, seq, len);
	return rec->seq == seq && rec->level == level_of(seq) && rec->ts_ns == ts_of(seq) &&
	       rec->len == len && memcmp(rec->text, want, len) == 0;
}

static void setup(struct logring *ring, size_t size)
{
	memset(memory, 0xa5, sizeof(memory));
	logring_init(ring, memory + GUARD, size);
}

static bool guards_intact(size_t size)
{
	for (size_t i = 0; i < GUARD; i++)
		if (memory[i] != 0xa5 || memory[GUARD + size + i] != 0xa5)
			return false;
	return true;
}

/* Reads every held record in order; all must match and text must lie in
 * the buffer. Returns how many were held, or -1 on a mismatch. */
static long replay(struct logring *ring, size_t (*len_of)(uint64_t))
{
	struct log_record rec;
	for (uint64_t seq = ring->first_seq; seq < ring->next_seq; seq++) {
		if (!logring_read(ring, seq, &rec) || !record_is(&rec, seq, len_of(seq)))
			return -1;
		if ((const uint8_t *)rec.text < ring->buf ||
		    (const uint8_t *)rec.text + rec.len > ring->buf + ring->size)
			return -1;
	}
	return (long)(ring->next_seq - ring->first_seq);
}

static void test_basic(void)
{
	struct logring ring;
	struct log_record rec;

	setup(&ring, RING_SIZE);
	ok(!logring_read(&ring, 0, &rec), "an empty ring has nothing to read");
	is_int(ring.first_seq, 0, "empty ring starts at seq 0");
	is_int(ring.next_seq, 0, "empty ring's next seq is 0");

	is_int(append_seq(&ring, 0, 5), 0, "first record gets seq 0");
	is_int(append_seq(&ring, 1, 0), 1, "second record gets seq 1");
	is_int(append_seq(&ring, 2, 17), 2, "third record gets seq 2");
	is_int(ring.next_seq, 3, "next seq advances");
	is_int(ring.first_seq, 0, "nothing dropped yet");

	ok(logring_read(&ring, 0, &rec) && record_is(&rec, 0, 5), "record 0 reads back");
	ok(logring_read(&ring, 1, &rec) && record_is(&rec, 1, 0), "empty record reads back");
	ok(logring_read(&ring, 2, &rec) && record_is(&rec, 2, 17), "record 2 reads back");
	ok(logring_read(&ring, 1, &rec) && record_is(&rec, 1, 0), "reading backwards works");
	ok(!logring_read(&ring, 3, &rec), "no record at next_seq");
	ok(!logring_read(&ring, 1000, &rec), "no record far ahead");

	char text[] = "level and time";
	logring_append(&ring, 7, UINT64_MAX, text, strlen(text));
	text[0] = 'X';
	ok(logring_read(&ring, 3, &rec) && rec.level == 7 && rec.ts_ns == UINT64_MAX &&
		   rec.len == 14 && memcmp(rec.text, "level and time", 14) == 0,
	   "record keeps level, 64-bit timestamp and a copy of the text");
	ok(guards_intact(RING_SIZE), "nothing written outside the buffer");
}

static void test_wrap(size_t size)
{
	struct logring ring;
	struct log_record rec;
	const uint64_t total = 5000;
	bool in_order = true, monotonic = true, newest_ok = true;
	uint64_t last_first = 0;

	setup(&ring, size);
	for (uint64_t seq = 0; seq < total; seq++) {
		if (append_seq(&ring, seq, plain_len(seq)) != seq)
			in_order = false;
		if (ring.first_seq < last_first || ring.first_seq > seq)
			monotonic = false;
		last_first = ring.first_seq;
		if (!logring_read(&ring, seq, &rec) || !record_is(&rec, seq, plain_len(seq)))
			newest_ok = false;
	}
	ok(in_order, "size %zu: appends return consecutive seqs", size);
	ok(monotonic, "size %zu: first_seq only grows and stays <= the newest", size);
	ok(newest_ok, "size %zu: the newest record always reads back", size);
	is_int(ring.next_seq, total, "size %zu: next_seq counts every append", size);
	ok(ring.first_seq > 0, "size %zu: old records were dropped", size);

	long held = replay(&ring, plain_len);
	ok(held > 0, "size %zu: every held record replays in order", size);
	/* Texts are at most 100 bytes; even with a generous header a record
	 * takes under 256 bytes, and no header is under 16 bytes. */
	ok(held >= (long)(size / 256), "size %zu: ring stays full after wrapping (%ld held)", size,
	   held);
	ok(held <= (long)(size / 16), "size %zu: no more records than fit (%ld held)", size, held);

	ok(logring_read(&ring, 0, &rec) && rec.seq == ring.first_seq &&
		   record_is(&rec, rec.seq, plain_len(rec.seq)),
	   "size %zu: reading seq 0 gives the oldest held record", size);
	ok(logring_read(&ring, ring.first_seq - 1, &rec) && rec.seq == ring.first_seq,
	   "size %zu: reading just before first_seq gives the oldest", size);
	ok(!logring_read(&ring, total, &rec), "size %zu: nothing at next_seq", size);
	ok(guards_intact(size), "size %zu: nothing written outside the buffer", size);
}

static size_t max_len(uint64_t seq)
{
	(void)seq;
	return LOG_TEXT_MAX;
}

static void test_max_records(void)
{
	struct logring ring;
	struct log_record rec;

	setup(&ring, RING_SIZE);
	for (uint64_t seq = 0; seq < 20; seq++)
		append_seq(&ring, seq, LOG_TEXT_MAX);
	long held = replay(&ring, max_len);
	ok(held >= 2, "max-size records replay after wrapping (%ld held)", held);
	ok(held <= 3, "at most three max-size records fit in 4 * LOG_TEXT_MAX (%ld held)", held);
	is_int(ring.next_seq - 1, 19, "the newest max-size record is the last appended");

	static char too_long[3 * LOG_TEXT_MAX];
	fill_text(too_long, 20, sizeof(too_long));
	is_int(logring_append(&ring, level_of(20), ts_of(20), too_long, sizeof(too_long)), 20,
	       "an overlong record is appended");
	ok(logring_read(&ring, 20, &rec) && rec.len == LOG_TEXT_MAX &&
		   memcmp(rec.text, too_long, LOG_TEXT_MAX) == 0,
	   "an overlong record is cut to LOG_TEXT_MAX");
	ok(replay(&ring, max_len) > 0, "the overlong record replays with those before it");
	ok(guards_intact(RING_SIZE), "max-size records stay inside the buffer");

	/* Mixing sizes makes records wrap at every possible offset. */
	setup(&ring, RING_SIZE);
	bool mixed_ok = true;
	for (uint64_t seq = 0; seq < 3000; seq++) {
		size_t len = seq % 5 == 0 ? LOG_TEXT_MAX : plain_len(seq);
		append_seq(&ring, seq, len);
		if (!logring_read(&ring, seq, &rec) || !record_is(&rec, seq, len))
			mixed_ok = false;
		for (uint64_t old = ring.first_seq; old < seq && mixed_ok; old++) {
			size_t old_len = old % 5 == 0 ? LOG_TEXT_MAX : plain_len(old);
			if (!logring_read(&ring, old, &rec) || !record_is(&rec, old, old_len))
				mixed_ok = false;
		}
	}
	ok(mixed_ok, "mixed small and max-size records: every held one reads back each time");
	ok(guards_intact(RING_SIZE), "mixed records stay inside the buffer");
}

static size_t tiny_len(uint64_t seq)
{
	return (size_t)(seq % 3);
}

static void test_many_small(void)
{
	struct logring ring;
	struct log_record rec;

	setup(&ring, RING_SIZE);
	for (uint64_t seq = 0; seq < 100000; seq++)
		append_seq(&ring, seq, tiny_len(seq));
	long held = replay(&ring, tiny_len);
	ok(held >= RING_SIZE / 64, "many tiny records: the ring holds %ld", held);
	ok(held <= RING_SIZE / 16, "many tiny records: no more than fit (%ld)", held);
	is_int(ring.next_seq, 100000, "many tiny records: all got a seq");

	/* Read from the middle, append past the point read, read again:
	 * whatever was remembered about the earlier read must not leak. */
	uint64_t mid = ring.first_seq + (uint64_t)held / 2;
	ok(logring_read(&ring, mid, &rec) && record_is(&rec, mid, tiny_len(mid)),
	   "read from the middle");
	for (uint64_t seq = 100000; seq < 100000 + (uint64_t)held; seq++)
		append_seq(&ring, seq, tiny_len(seq));
	ok(ring.first_seq > mid, "the record read before has been overwritten");
	ok(logring_read(&ring, mid, &rec) && rec.seq == ring.first_seq &&
		   record_is(&rec, rec.seq, tiny_len(rec.seq)),
	   "reading an overwritten seq gives the oldest held record");
	ok(replay(&ring, tiny_len) > 0, "replay after overwriting a read position");
	uint64_t newest = ring.next_seq - 1;
	ok(logring_read(&ring, newest, &rec) && record_is(&rec, newest, tiny_len(newest)),
	   "jump to the newest");
	ok(logring_read(&ring, ring.first_seq + 1, &rec) &&
		   record_is(&rec, ring.first_seq + 1, tiny_len(ring.first_seq + 1)),
	   "jump back to the oldest");
	ok(guards_intact(RING_SIZE), "tiny records stay inside the buffer");
}

int main(void)
{
	plan(71);
	test_basic();
	test_wrap(RING_SIZE);
	test_wrap(RING_SIZE + 1000);
	test_wrap(2 * RING_SIZE);
	test_max_records();
	test_many_small();
	return done_testing();
}
