/* netconsole-client's senders: one record stream per sender address
 * (host/client-ext.h), its transcript file and its ncrx replies. Host only,
 * single-threaded normal process context. */
#ifndef HOST_CLIENT_SENDERS_H
#define HOST_CLIENT_SENDERS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

/* Senders tracked at once; a new one displaces the least recently heard,
 * and one silent for SENDER_IDLE_MS is finished and freed, so junk from
 * many ports never locks the kernel out and a listener serves any number
 * of senders over its lifetime. */
#define SENDERS_MAX 64
#define SENDER_IDLE_MS 60000
/* Transcript files (FILE.IP-PORT) made at most, so junk from many ports
 * cannot fill a directory; a sender that comes back appends to its own. */
#define SENDER_FILES_MAX 64
/* ncrx replies: soon after news from the sender, and now and then while a
 * record is missing or the sender may still have more. */
#define SENDER_REPLY_SOON_MS 10
#define SENDER_REPLY_EVERY_MS 100
/* No reflection to spoofed addresses: replies go only to a sender whose
 * last extended record came within SENDER_ACK_RECENT_MS (longer than the
 * kernel's 1.6 s resend interval), and each record datagram of len bytes
 * pays for SENDER_REPLY_BYTES_PER_BYTE * len + SENDER_REPLY_BYTES_EXTRA
 * reply bytes (saved up to SENDER_REPLY_CREDIT_MAX); a reply waits until
 * it is paid for. */
#define SENDER_ACK_RECENT_MS 3000
#define SENDER_REPLY_BYTES_PER_BYTE 2
#define SENDER_REPLY_BYTES_EXTRA 32
#define SENDER_REPLY_CREDIT_MAX (16 * 1024)
/* Without --ack a gap is given up after this, so later records show. */
#define SENDER_PLAIN_HOLD_MS 1000

/* Receives each sender's records in order (the table itself writes the
 * sender's transcript); from names the sender. */
typedef void (*sender_record_fn)(const struct sockaddr_in6 *from, const char *data, size_t len,
				 void *ctx);
/* Sends a reply datagram to a sender. */
typedef void (*sender_send_fn)(const struct sockaddr_in6 *to, const void *buf, size_t len,
			       void *ctx);

struct sender_config {
	bool ack; /* answer extended senders (ncrx) */
	/* The first sender's transcript (fd -1: none); each further sender
	 * gets output_path.IP-PORT. */
	int output_fd;
	const char *output_path;
	sender_record_fn record;
	sender_send_fn send;
	void *ctx;
};

struct sender_table;

/* NULL when out of memory. The config is copied. */
struct sender_table *senders_new(const struct sender_config *config);
/* Takes one datagram from a sender. Returns -1 when it could not be taken
 * (out of memory, or the sender's transcript could not be created), else
 * 0. A transcript that cannot be written is reported once and the records
 * still go to the display and the expectations. */
int senders_feed(struct sender_table *t, const struct sockaddr_in6 *from, const void *payload,
		 size_t len, long long now_ms);
/* Delivers records whose gaps are given up, sends the replies due, and
 * finishes senders idle for SENDER_IDLE_MS. */
void senders_serve(struct sender_table *t, long long now_ms);
/* Every sender has everything delivered (no gap open). */
bool senders_settled(const struct sender_table *t);
/* Senders tracked now. */
size_t senders_count(const struct sender_table *t);
/* Senders displaced by newer ones while still active (idle less than
 * SENDER_IDLE_MS). */
unsigned long senders_displaced(const struct sender_table *t);
/* Some transcript could not be written completely. */
bool senders_output_failed(const struct sender_table *t);
/* Sends the last replies (as paid for), delivers what is held and reports
 * each extended sender's records and gaps on stderr. */
void senders_finish(struct sender_table *t, long long now_ms);
void senders_free(struct sender_table *t);

#endif
