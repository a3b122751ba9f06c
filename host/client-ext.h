/* Netconsole records from one sender: detects the extended format (the
 * /dev/kmsg header, optionally behind a release), reassembles ncfrag
 * fragments, puts records in sequence order, drops duplicates, tracks gaps
 * and writes the ncrx reply that asks for them. Plain payloads pass through
 * unchanged. Host only, normal process context; no I/O, so it is unit- and
 * fuzz-tested on its own. */
#ifndef HOST_CLIENT_EXT_H
#define HOST_CLIENT_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Records this far ahead of the next one due are held; a record further
 * ahead, or this far behind, means the sender restarted its numbering. */
#define NCX_WINDOW 4096
/* A body longer than this (after escaping) is refused. */
#define NCX_BODY_MAX 65536
/* Bodies held back per sender, at most: a hostile sender opening thousands
 * of 64 KiB fragments must not exhaust memory, nor take room from other
 * senders. A piece that would go past it is refused (counted malformed;
 * with --ack it is asked for again later). 1 MiB holds a whole window of
 * ordinary records, or 16 records of the largest size. */
#define NCX_HELD_MAX (1u << 20)
/* Records that never came, listed by number at most; the rest are only
 * counted, so sequence restarts cannot grow the list without end. */
#define NCX_LOST_MAX 4096
/* Sequence numbers above this are refused (the header does not parse), so
 * next_out never wraps: a 64-bit counter from boot does not get there, and a
 * sender that wraps a smaller counter (2^32 - 1, then 0) is seen as a
 * restart. */
#define NCX_SEQ_MAX (UINT64_MAX >> 1)
/* A stream whose first record is below this is taken to start at 0 (a
 * kernel numbers its records from boot), so a lost first record is a gap. */
#define NCX_START_WINDOW 1024
/* Reply size: "ncrx" and at most this many missing numbers. */
#define NCX_REPLY_MISSING_MAX 64
#define NCX_REPLY_MAX (4 + 21 * (NCX_REPLY_MISSING_MAX + 1) + 1)

/* Receives text in order: rendered records ("[%5u.%06u] text\n") or plain
 * payloads. */
typedef void (*ncx_out_fn)(const char *data, size_t len, void *ctx);

struct ncx_stream;

struct ncx_stats {
	unsigned long records; /* records delivered */
	unsigned long duplicates;
	unsigned long malformed; /* extended-looking packets that did not parse */
	unsigned long plain; /* plain payloads passed through */
	unsigned long restarts;
	unsigned long filtered; /* numbers the sender said it left out (ncskip=) */
};

struct ncx_stream *ncx_new(void);
void ncx_free(struct ncx_stream *s);

/* Takes one datagram. Returns true when it was an extended record (even a
 * duplicate or one refused for lack of room), false for a plain payload or
 * an extended-looking one that did not parse. */
bool ncx_feed(struct ncx_stream *s, const void *payload, size_t len, long long now_ms,
	      ncx_out_fn out, void *ctx);
/* Gives up gaps older than hold_ms (the records behind them are delivered
 * and the gaps become lost); hold_ms < 0 waits for ever. */
void ncx_release(struct ncx_stream *s, long long now_ms, long long hold_ms, ncx_out_fn out,
		 void *ctx);
/* Delivers everything held, in order; gaps become lost. */
void ncx_flush(struct ncx_stream *s, ncx_out_fn out, void *ctx);

/* True once an extended record came (replies make sense). */
bool ncx_extended(const struct ncx_stream *s);
/* True once the sender said, with ncskip= (this harness's kernel does, on
 * every record), which numbers it left out below its console log level: its
 * gaps are then losses. Linux's are not known to be: its sequence numbers
 * count records it does not send. */
bool ncx_marks_skips(const struct ncx_stream *s);
/* No record held back and no gap open. */
bool ncx_settled(const struct ncx_stream *s);
/* Writes "ncrx<ack> <missing>..." into buf (NCX_REPLY_MAX bytes); returns
 * its length, 0 when no extended record came yet. */
size_t ncx_reply(const struct ncx_stream *s, char *buf);
/* Sequence numbers that never came: those given up (the first
 * NCX_LOST_MAX of them), then the open gaps. Returns how many exist,
 * counting the ones past the list; fills the first min(max, returned)
 * entries of list when max <= NCX_LOST_MAX. */
size_t ncx_gaps(const struct ncx_stream *s, uint64_t *list, size_t max);
const struct ncx_stats *ncx_stats(const struct ncx_stream *s);

/* Parses an extended header "[release,]level,seq,ts,flags[,key=value...];".
 * Exposed for tests. Returns false when payload is not an extended record. */
struct ncx_header {
	unsigned level;
	uint64_t seq;
	uint64_t ts_us;
	bool fragment;
	size_t frag_offset;
	size_t frag_total;
	bool emergency;
	bool marks_skips; /* an ncskip= field came */
	uint64_t skipped; /* its value */
	size_t body_offset; /* where the body starts in the payload */
};
bool ncx_parse_header(const char *payload, size_t len, struct ncx_header *h);

#endif
