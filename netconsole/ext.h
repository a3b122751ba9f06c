/* Linux's extended netconsole format (the /dev/kmsg record header, with the
 * ncfrag= and ncemg= fields) and the ncrx reply a receiver sends back. Pure
 * functions on caller buffers: callable from any context (normal, IRQ, oops)
 * and host-testable. */
#ifndef NETCONSOLE_EXT_H
#define NETCONSOLE_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A packet's payload never exceeds this (Linux's netconsole limit too). */
#define NCEXT_PACKET_MAX 1000
/* Longest header a packet can carry: release (up to 64 bytes), the four
 * record fields, ncfrag=, ncemg= and ncskip=, with their separators. */
#define NCEXT_RELEASE_MAX 64
#define NCEXT_HEADER_MAX 200
/* Every byte of text escapes to at most four ("\xNN"), plus the final '\n'. */
#define NCEXT_BODY_MAX(text_len) (4 * (text_len) + 1)
/* The most missing sequence numbers one ncrx message is taken to list. */
#define NCEXT_MISSING_MAX 64

struct ncext_record {
	const char *release; /* prepended when not NULL */
	uint8_t level;
	uint64_t seq;
	uint64_t ts_us;
	bool emergency; /* a retransmission the receiver did not ask for */
	const char *text;
	size_t len;
	/* This harness's own field, ",ncskip=N": the N records numbered just
	 * before this one were below the console log level and not sent, so a
	 * receiver tells them from lost ones (Linux's sequence numbers count
	 * every record, sent or not). Sent on every record when marks_skips. */
	bool marks_skips;
	uint32_t skipped;
};

typedef void (*ncext_packet_fn)(const char *payload, size_t len, void *ctx);

/* Escapes text as /dev/kmsg does: bytes below 0x20, from 0x7f up, and the
 * backslash itself become \xNN. Appends '\n'. body must hold
 * NCEXT_BODY_MAX(len) bytes; returns the body length. */
size_t ncext_escape(const char *text, size_t len, char *body);

/* Sends rec as one or more packets of at most NCEXT_PACKET_MAX bytes through
 * fn: "[release,]level,seq,ts_us,-[,ncfrag=off/total][,ncemg=1][,ncskip=N];body". A
 * body that does not fit one packet is cut into fragments, each with its
 * byte offset into the body and the body's total length. scratch must hold
 * NCEXT_BODY_MAX(rec->len) + NCEXT_PACKET_MAX bytes. Returns the number of
 * packets, 0 when scratch is too small or the release too long. */
unsigned ncext_send(const struct ncext_record *rec, char *scratch, size_t scratch_size,
		    ncext_packet_fn fn, void *ctx);

/* "ncrx<ack-seq>[ <missing-seq>...]": every record up to and including
 * ack_seq has arrived (or was given up), and the listed ones are wanted
 * again. Missing numbers beyond NCEXT_MISSING_MAX are ignored. */
struct ncext_reply {
	uint64_t ack_seq;
	uint64_t missing[NCEXT_MISSING_MAX];
	unsigned missing_count;
};

/* Parses one reply payload; false when it is not a well-formed ncrx
 * message (trailing '\n' and extra spaces are accepted). */
bool ncext_parse_reply(const char *payload, size_t len, struct ncext_reply *out);

#endif
