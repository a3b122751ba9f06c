/* The --drop test aid: chosen losses of record datagrams and replies. */
#include "host/client-drop.h"
#include "host/client-escape.h"
#include "host/client-ext.h"

#include <stdlib.h>
#include <string.h>

#define PROG "netconsole-client"
#define TEXT_MAX 128
/* Bytes of a dropped datagram shown in its log line. */
#define LOG_SHOWN 72

enum rule_kind { RULE_SEQ, RULE_TEXT, RULE_FRAG, RULE_REPLIES_AFTER, RULE_RANDOM };

/* A packet of a record: its number and fragment offset. */
struct packet_key {
	uint64_t seq;
	size_t offset;
};

struct rule {
	enum rule_kind kind;
	char spec[TEXT_MAX + 32]; /* as given, for the log */
	uint64_t first, last; /* seq, frag: the records */
	unsigned nth; /* frag: which fragment */
	char text[TEXT_MAX + 1];
	long long window_ms;
	long long window_start_ms; /* replies-after: -1 until the text came */
	unsigned percent;
	uint64_t random_state;
	/* Packets this rule has seen (frag) or dropped (seq, text) once. */
	struct packet_key keys[DROP_KEYS_MAX];
	size_t key_count;
};

struct drop_plan {
	FILE *log;
	struct rule rules[DROP_RULES_MAX];
	size_t count;
	unsigned long records, replies;
};

struct drop_plan *drop_plan_new(FILE *log)
{
	struct drop_plan *plan = calloc(1, sizeof(*plan));

	if (plan)
		plan->log = log;
	return plan;
}

void drop_plan_free(struct drop_plan *plan)
{
	free(plan);
}

static bool parse_rule_u64(const char *text, size_t len, uint64_t max, uint64_t *value)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned digit = (unsigned)(text[i] - '0');

		if (text[i] < '0' || text[i] > '9' || v > (max - digit) / 10 || digit > max)
			return false;
		v = v * 10 + digit;
	}
	*value = v;
	return true;
}

/* "NUMBER" up to the next ':' or the end; advances *p past the ':'. */
static bool take_rule_number(const char **p, uint64_t max, uint64_t *value)
{
	const char *colon = strchr(*p, ':');
	size_t len = colon ? (size_t)(colon - *p) : strlen(*p);

	if (!parse_rule_u64(*p, len, max, value))
		return false;
	*p += len + (colon ? 1 : 0);
	return true;
}

static int refuse(char *error, size_t error_size, const char *rule, const char *why)
{
	snprintf(error, error_size, "--drop '%s': %s", rule, why);
	return -1;
}

/* The text part of "text:TEXT" or "replies-after:TEXT:MS" (the last ':'
 * ends it, so the text may hold colons). */
static bool take_rule_text(struct rule *r, const char *start, const char *end)
{
	size_t len = (size_t)(end - start);

	if (len == 0 || len > TEXT_MAX)
		return false;
	memcpy(r->text, start, len);
	r->text[len] = '\0';
	return true;
}

int drop_plan_add(struct drop_plan *plan, const char *rule, char *error, size_t error_size)
{
	struct rule *r;
	const char *p;
	uint64_t a, b;

	if (plan->count == DROP_RULES_MAX)
		return refuse(error, error_size, rule, "too many rules");
	r = &plan->rules[plan->count];
	memset(r, 0, sizeof(*r));
	snprintf(r->spec, sizeof(r->spec), "%s", rule);
	r->window_start_ms = -1;
	if (strncmp(rule, "seq:", 4) == 0) {
		const char *dash = strchr(rule + 4, '-');

		r->kind = RULE_SEQ;
		if (!parse_rule_u64(rule + 4, dash ? (size_t)(dash - rule - 4) : strlen(rule + 4),
				    NCX_SEQ_MAX, &a) ||
		    (dash && !parse_rule_u64(dash + 1, strlen(dash + 1), NCX_SEQ_MAX, &b)))
			return refuse(error, error_size, rule, "expected seq:A or seq:A-B");
		r->first = a;
		r->last = dash ? b : a;
		if (r->last < r->first)
			return refuse(error, error_size, rule, "the range runs backwards");
	} else if (strncmp(rule, "text:", 5) == 0) {
		r->kind = RULE_TEXT;
		if (!take_rule_text(r, rule + 5, rule + strlen(rule)))
			return refuse(error, error_size, rule,
				      "expected text:TEXT, 1 to 128 bytes");
	} else if (strncmp(rule, "frag:", 5) == 0) {
		p = rule + 5;
		r->kind = RULE_FRAG;
		if (!take_rule_number(&p, NCX_SEQ_MAX, &a) || !take_rule_number(&p, 1000, &b) ||
		    b == 0 || *p)
			return refuse(error, error_size, rule,
				      "expected frag:SEQ:N, N from 1 to 1000");
		r->first = r->last = a;
		r->nth = (unsigned)b;
	} else if (strncmp(rule, "replies-after:", 14) == 0) {
		const char *colon = strrchr(rule + 14, ':');

		r->kind = RULE_REPLIES_AFTER;
		p = colon ? colon + 1 : NULL;
		if (!colon || !take_rule_text(r, rule + 14, colon) ||
		    !take_rule_number(&p, 3600000, &a) || *p)
			return refuse(error, error_size, rule,
				      "expected replies-after:TEXT:MS, MS up to 3600000");
		r->window_ms = (long long)a;
	} else if (strncmp(rule, "random:", 7) == 0) {
		p = rule + 7;
		r->kind = RULE_RANDOM;
		if (!take_rule_number(&p, 99, &a) || !take_rule_number(&p, UINT64_MAX, &b) || *p)
			return refuse(error, error_size, rule,
				      "expected random:PERCENT:SEED, PERCENT 0..99");
		r->percent = (unsigned)a;
		r->random_state = b;
	} else {
		return refuse(error, error_size, rule,
			      "unknown rule (seq:, text:, frag:, replies-after:, random:)");
	}
	plan->count++;
	return 0;
}

/* splitmix64: a fixed, documented sequence for every seed. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool drawn(struct rule *r)
{
	return next_random(&r->random_state) % 100 < r->percent;
}

static bool known_key(const struct rule *r, const struct packet_key *k)
{
	for (size_t i = 0; i < r->key_count; i++)
		if (r->keys[i].seq == k->seq && r->keys[i].offset == k->offset)
			return true;
	return false;
}

/* False when the rule's memory is full: it then drops nothing more. */
static bool remember_key(struct rule *r, const struct packet_key *k)
{
	if (r->key_count == DROP_KEYS_MAX)
		return false;
	r->keys[r->key_count++] = *k;
	return true;
}

static size_t distinct_offsets(const struct rule *r)
{
	return r->key_count;
}

static bool body_holds(const char *payload, size_t len, const char *text)
{
	size_t n = strlen(text);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(payload + i, text, n) == 0)
			return true;
	return false;
}

static void log_drop(struct drop_plan *plan, const struct rule *r, const char *what,
		     const char *data, size_t len)
{
	char shown[CLIENT_ESCAPE_MAX_EXPANSION * LOG_SHOWN + 1];

	client_escape_line(data, len < LOG_SHOWN ? len : LOG_SHOWN, shown);
	if (plan->log)
		fprintf(plan->log, PROG ": drop (%s) %s: %s%s\n", r->spec, what, shown,
			len > LOG_SHOWN ? "..." : "");
}

/* Applies one rule to a record datagram; h is NULL for one that is not an
 * extended record. */
static bool rule_drops_record(struct rule *r, const struct ncx_header *h, const char *payload,
			      size_t len, long long now_ms)
{
	struct packet_key key = {h ? h->seq : 0, h ? h->frag_offset : 0};
	const char *body = h ? payload + h->body_offset : payload;
	size_t body_len = h ? len - h->body_offset : len;

	switch (r->kind) {
	case RULE_SEQ:
		return h && h->seq >= r->first && h->seq <= r->last && !known_key(r, &key) &&
		       remember_key(r, &key);
	case RULE_TEXT:
		return body_holds(body, body_len, r->text) && !known_key(r, &key) &&
		       remember_key(r, &key);
	case RULE_FRAG:
		if (!h || !h->fragment || h->seq != r->first || known_key(r, &key) ||
		    !remember_key(r, &key))
			return false;
		return distinct_offsets(r) == r->nth;
	case RULE_REPLIES_AFTER:
		if (r->window_start_ms < 0 && body_holds(body, body_len, r->text))
			r->window_start_ms = now_ms;
		return false;
	case RULE_RANDOM:
		return drawn(r);
	}
	return false;
}

bool drop_record_packet(struct drop_plan *plan, const char *payload, size_t len, long long now_ms)
{
	struct ncx_header h;
	bool extended = ncx_parse_header(payload, len, &h);
	bool dropped = false;

	/* Every rule sees every packet, so windows open and fragments are
	 * counted whichever rule drops it. */
	for (size_t i = 0; i < plan->count; i++) {
		struct rule *r = &plan->rules[i];

		if (rule_drops_record(r, extended ? &h : NULL, payload, len, now_ms) && !dropped) {
			dropped = true;
			log_drop(plan, r, "record packet", payload, len);
		}
	}
	plan->records += dropped;
	return dropped;
}

bool drop_reply(struct drop_plan *plan, const char *reply, size_t len, long long now_ms)
{
	bool dropped = false;

	/* Every random rule draws for every reply, so a seed replays. */
	for (size_t i = 0; i < plan->count; i++) {
		struct rule *r = &plan->rules[i];
		bool drop = false;

		if (r->kind == RULE_REPLIES_AFTER)
			drop = r->window_start_ms >= 0 &&
			       now_ms - r->window_start_ms < r->window_ms;
		else if (r->kind == RULE_RANDOM)
			drop = drawn(r);
		if (drop && !dropped) {
			dropped = true;
			log_drop(plan, r, "reply", reply, len);
		}
	}
	plan->replies += dropped;
	return dropped;
}

unsigned long drop_count_records(const struct drop_plan *plan)
{
	return plan->records;
}

unsigned long drop_count_replies(const struct drop_plan *plan)
{
	return plan->replies;
}
