/* Extended netconsole records: parsing, reassembly, ordering, gaps. */
#include "host/client-ext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_MAX 512

struct slot {
	bool used;
	bool complete;
	bool filtered; /* the sender left it out: nothing to deliver */
	uint64_t seq;
	unsigned level;
	uint64_t ts_us;
	size_t total;
	size_t covered;
	char *body;
	unsigned char *have; /* one bit per body byte received */
};

struct ncx_stream {
	bool started;
	bool extended;
	bool marks_skips;
	uint64_t next_out; /* next sequence number to deliver */
	uint64_t highest; /* highest one seen */
	long long stall_since_ms; /* -1: nothing held back */
	struct slot slots[NCX_WINDOW];
	uint64_t *lost; /* the first NCX_LOST_MAX records given up */
	size_t lost_count, lost_cap;
	uint64_t lost_total; /* all of them */
	struct ncx_stats stats;
	size_t held_bytes; /* bodies allocated in slots */
	char *render; /* one rendered line */
};

struct ncx_stream *ncx_new(void)
{
	struct ncx_stream *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->render = malloc(NCX_BODY_MAX + 32);
	if (!s->render) {
		free(s);
		return NULL;
	}
	s->stall_since_ms = -1;
	return s;
}

static void clear_slot(struct ncx_stream *s, struct slot *slot)
{
	if (slot->body)
		s->held_bytes -= slot->total;
	free(slot->body);
	free(slot->have);
	memset(slot, 0, sizeof(*slot));
}

void ncx_free(struct ncx_stream *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < NCX_WINDOW; i++)
		clear_slot(s, &s->slots[i]);
	free(s->lost);
	free(s->render);
	free(s);
}

static struct slot *slot_of(struct ncx_stream *s, uint64_t seq)
{
	return &s->slots[seq % NCX_WINDOW];
}

static const struct slot *slot_at(const struct ncx_stream *s, uint64_t seq)
{
	return &s->slots[seq % NCX_WINDOW];
}

static bool have_record(const struct ncx_stream *s, uint64_t seq)
{
	const struct slot *slot = slot_at(s, seq);
	return slot->used && slot->seq == seq && slot->complete;
}

static void note_lost(struct ncx_stream *s, uint64_t seq)
{
	s->lost_total++;
	if (s->lost_count == NCX_LOST_MAX)
		return;
	if (s->lost_count == s->lost_cap) {
		size_t cap = s->lost_cap ? 2 * s->lost_cap : 64;
		uint64_t *grown = realloc(s->lost, cap * sizeof(*grown));
		if (!grown)
			return; /* the report undercounts rather than failing */
		s->lost = grown;
		s->lost_cap = cap;
	}
	s->lost[s->lost_count++] = seq;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The serial console's lines: the record's text is the body up to its
 * first raw newline (what follows are dictionary lines), unescaped; every
 * line of it starts with the timestamp, as Linux's console prints a record
 * whose text holds newlines. One out() call per line. */
static void deliver(struct ncx_stream *s, struct slot *slot, ncx_out_fn out, void *ctx)
{
	if (slot->filtered) {
		s->stats.filtered++;
		return;
	}
	char prefix[32];
	char *r = s->render;
	int n = snprintf(prefix, sizeof(prefix), "[%5llu.%06llu] ",
			 (unsigned long long)(slot->ts_us / 1000000),
			 (unsigned long long)(slot->ts_us % 1000000));
	size_t prefix_len = n < 0 ? 0 : n > 31 ? 31 : (size_t)n;
	memcpy(r, prefix, prefix_len);
	size_t len = prefix_len;
	for (size_t i = 0; i < slot->total && slot->body[i] != '\n'; i++) {
		int hi, lo;
		char c = slot->body[i];
		if (c == '\\' && i + 3 < slot->total && slot->body[i + 1] == 'x' &&
		    (hi = hex_value(slot->body[i + 2])) >= 0 &&
		    (lo = hex_value(slot->body[i + 3])) >= 0) {
			c = (char)(hi << 4 | lo);
			i += 3;
		}
		r[len++] = c;
		if (c == '\n') {
			out(r, len, ctx);
			memcpy(r, prefix, prefix_len);
			len = prefix_len;
		}
	}
	r[len++] = '\n';
	out(r, len, ctx);
	s->stats.records++;
}

static void advance(struct ncx_stream *s, ncx_out_fn out, void *ctx)
{
	while (s->next_out <= s->highest && have_record(s, s->next_out)) {
		struct slot *slot = slot_of(s, s->next_out);
		deliver(s, slot, out, ctx);
		clear_slot(s, slot);
		s->next_out++;
	}
}

/* Delivers what is held up to the highest record seen; the rest is lost. */
static void give_up(struct ncx_stream *s, ncx_out_fn out, void *ctx)
{
	if (!s->started)
		return;
	for (; s->next_out <= s->highest; s->next_out++) {
		struct slot *slot = slot_of(s, s->next_out);
		if (have_record(s, s->next_out))
			deliver(s, slot, out, ctx);
		else
			note_lost(s, s->next_out);
		if (slot->used && slot->seq == s->next_out)
			clear_slot(s, slot);
	}
	s->stall_since_ms = -1;
}

static void start_at(struct ncx_stream *s, uint64_t seq)
{
	s->started = true;
	s->next_out = seq < NCX_START_WINDOW ? 0 : seq;
	s->highest = seq;
}

static bool take_number(const char **p, const char *end, uint64_t *value)
{
	uint64_t v = 0;
	const char *start = *p;
	while (*p < end && **p >= '0' && **p <= '9') {
		unsigned digit = (unsigned)(**p - '0');
		if (v > (UINT64_MAX - digit) / 10)
			return false;
		v = v * 10 + digit;
		(*p)++;
	}
	*value = v;
	return *p > start;
}

static bool take_field(const char **p, const char *end, uint64_t *value)
{
	return take_number(p, end, value) && *p < end && (**p == ',' || **p == ';');
}

static bool first_field_is_number(const char *p, const char *semi)
{
	for (; p < semi && *p != ','; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

bool ncx_parse_header(const char *payload, size_t len, struct ncx_header *h)
{
	const char *end = payload + (len < HEADER_MAX ? len : HEADER_MAX);
	const char *semi = memchr(payload, ';', (size_t)(end - payload));
	const char *p = payload;
	uint64_t v;

	if (!semi)
		return false;
	memset(h, 0, sizeof(*h));
	/* A release comes first when the first field is not a number (releases
	 * often start with a digit: "6.1.0", "0.1.0-nc"). */
	if (!first_field_is_number(p, semi)) {
		const char *comma = memchr(p, ',', (size_t)(semi - p));
		if (!comma)
			return false;
		p = comma + 1;
	}
	if (!take_field(&p, semi + 1, &v) || *p++ != ',' || v > 1023)
		return false;
	h->level = (unsigned)(v & 7);
	if (!take_field(&p, semi + 1, &h->seq) || *p++ != ',' || h->seq > NCX_SEQ_MAX)
		return false;
	if (!take_field(&p, semi + 1, &h->ts_us) || *p++ != ',')
		return false;
	if (p >= semi || (*p != '-' && *p != 'c' && *p != '+'))
		return false;
	p++;
	while (p < semi) {
		if (*p++ != ',')
			return false;
		const char *field = p;
		const char *next = memchr(p, ',', (size_t)(semi - p));
		if (!next)
			next = semi;
		size_t flen = (size_t)(next - field);
		if (flen > 7 && memcmp(field, "ncfrag=", 7) == 0) {
			uint64_t off, total;
			const char *q = field + 7;
			if (!take_number(&q, next, &off) || q >= next || *q++ != '/' ||
			    !take_number(&q, next, &total) || q != next)
				return false;
			if (total == 0 || total > NCX_BODY_MAX || off >= total)
				return false;
			h->fragment = true;
			h->frag_offset = (size_t)off;
			h->frag_total = (size_t)total;
		} else if (flen == 7 && memcmp(field, "ncemg=1", 7) == 0) {
			h->emergency = true;
		} else if (flen > 7 && memcmp(field, "ncskip=", 7) == 0) {
			const char *q = field + 7;
			if (!take_number(&q, next, &h->skipped) || q != next ||
			    h->skipped > NCX_WINDOW)
				return false;
			h->marks_skips = true;
		}
		p = next;
	}
	h->body_offset = (size_t)(semi + 1 - payload);
	return true;
}

/* Adds a piece of a record's body; false when it contradicts what came. */
static bool add_piece(struct ncx_stream *s, struct slot *slot, const struct ncx_header *h,
		      const char *piece, size_t len)
{
	size_t total = h->fragment ? h->frag_total : len;
	size_t offset = h->fragment ? h->frag_offset : 0;
	if (total == 0 || total > NCX_BODY_MAX || len > total - offset)
		return false;
	if (slot->body && slot->total != total)
		return false;
	if (!slot->body) {
		if (total > NCX_HELD_MAX - s->held_bytes)
			return false;
		slot->body = malloc(total);
		slot->have = calloc((total + 7) / 8, 1);
		if (!slot->body || !slot->have) {
			free(slot->body);
			free(slot->have);
			slot->body = NULL;
			slot->have = NULL;
			return false;
		}
		slot->total = total;
		s->held_bytes += total;
		slot->level = h->level;
		slot->ts_us = h->ts_us;
	}
	for (size_t i = 0; i < len; i++) {
		size_t at = offset + i;
		if (slot->have[at / 8] & (1u << (at % 8)))
			continue; /* overlaps keep the bytes that came first */
		slot->have[at / 8] |= (unsigned char)(1u << (at % 8));
		slot->body[at] = piece[i];
		slot->covered++;
	}
	slot->complete = slot->covered == slot->total;
	return true;
}

/* The records the sender says it left out just before h's: no gap. */
static void mark_filtered(struct ncx_stream *s, const struct ncx_header *h)
{
	s->marks_skips = true;
	uint64_t first = h->seq >= h->skipped ? h->seq - h->skipped : 0;
	if (first < s->next_out)
		first = s->next_out;
	for (uint64_t seq = first; seq < h->seq; seq++) {
		struct slot *slot = slot_of(s, seq);
		if (slot->used && slot->seq == seq && slot->complete)
			continue;
		clear_slot(s, slot);
		slot->used = slot->complete = slot->filtered = true;
		slot->seq = seq;
	}
}

bool ncx_feed(struct ncx_stream *s, const void *payload, size_t len, long long now_ms,
	      ncx_out_fn out, void *ctx)
{
	struct ncx_header h;
	const char *text = payload;

	if (!ncx_parse_header(text, len, &h)) {
		if (s->extended) {
			s->stats.malformed++;
			return false;
		}
		s->stats.plain++;
		if (len)
			out(text, len, ctx);
		return false;
	}
	s->extended = true;
	if (!s->started)
		start_at(s, h.seq);
	if (h.seq < s->next_out) {
		if (s->next_out - h.seq <= NCX_WINDOW) {
			s->stats.duplicates++;
			return true;
		}
		give_up(s, out, ctx); /* far behind: the sender starts afresh */
		s->stats.restarts++;
		start_at(s, h.seq);
	} else if (h.seq - s->next_out >= NCX_WINDOW) {
		give_up(s, out, ctx);
		s->stats.restarts++;
		start_at(s, h.seq);
	}
	struct slot *slot = slot_of(s, h.seq);
	if (slot->used && slot->seq != h.seq)
		clear_slot(s, slot);
	if (slot->used && slot->complete) {
		s->stats.duplicates++;
		return true;
	}
	slot->used = true;
	slot->seq = h.seq;
	if (!add_piece(s, slot, &h, text + h.body_offset, len - h.body_offset)) {
		s->stats.malformed++;
		if (!slot->body)
			clear_slot(s, slot);
		return true;
	}
	if (h.seq > s->highest)
		s->highest = h.seq;
	if (h.marks_skips)
		mark_filtered(s, &h);
	uint64_t before = s->next_out;
	advance(s, out, ctx);
	if (s->next_out > s->highest)
		s->stall_since_ms = -1;
	else if (s->stall_since_ms < 0 || s->next_out != before)
		s->stall_since_ms = now_ms;
	return true;
}

void ncx_release(struct ncx_stream *s, long long now_ms, long long hold_ms, ncx_out_fn out,
		 void *ctx)
{
	if (hold_ms >= 0 && s->stall_since_ms >= 0 && now_ms - s->stall_since_ms >= hold_ms)
		give_up(s, out, ctx);
}

void ncx_flush(struct ncx_stream *s, ncx_out_fn out, void *ctx)
{
	give_up(s, out, ctx);
}

bool ncx_extended(const struct ncx_stream *s)
{
	return s->extended;
}

bool ncx_marks_skips(const struct ncx_stream *s)
{
	return s->marks_skips;
}

bool ncx_settled(const struct ncx_stream *s)
{
	return !s->started || s->next_out > s->highest;
}

size_t ncx_reply(const struct ncx_stream *s, char *buf)
{
	uint64_t missing[NCX_REPLY_MISSING_MAX];
	size_t count = 0;
	uint64_t ack;

	if (!s->extended || !s->started)
		return 0;
	ack = s->highest;
	for (uint64_t seq = s->next_out; seq <= s->highest; seq++) {
		if (have_record(s, seq))
			continue;
		if (count == NCX_REPLY_MISSING_MAX) {
			ack = seq - 1; /* unlisted gaps must not count as arrived */
			break;
		}
		missing[count++] = seq;
	}
	int n = snprintf(buf, NCX_REPLY_MAX, "ncrx%llu", (unsigned long long)ack);
	for (size_t i = 0; i < count; i++)
		n += snprintf(buf + n, NCX_REPLY_MAX - (size_t)n, " %llu",
			      (unsigned long long)missing[i]);
	return (size_t)n;
}

size_t ncx_gaps(const struct ncx_stream *s, uint64_t *list, size_t max)
{
	size_t listed = 0;
	uint64_t open = 0;

	for (size_t i = 0; i < s->lost_count; i++, listed++)
		if (listed < max)
			list[listed] = s->lost[i];
	if (s->started)
		for (uint64_t seq = s->next_out; seq <= s->highest; seq++)
			if (!have_record(s, seq)) {
				if (listed < max)
					list[listed] = seq;
				listed++;
				open++;
			}
	return (size_t)(s->lost_total + open);
}

const struct ncx_stats *ncx_stats(const struct ncx_stream *s)
{
	return &s->stats;
}
