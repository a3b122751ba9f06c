/* netconsole-client's senders: one record stream per sender address
 * (host/client-ext.h), its transcript file and its ncrx replies. Host only,
 * single-threaded normal process context. */
#ifndef HOST_CLIENT_SENDERS_H
#define HOST_CLIENT_SENDERS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

/* Senders tracked at once. */
#define SENDERS_MAX 64
/* ncrx replies: soon after news from the sender, and now and then while a
 * record is missing or the sender may still have more. */
#define SENDER_REPLY_SOON_MS 10
#define SENDER_REPLY_EVERY_MS 100
/* Without --ack a gap is given up after this, so later records show. */
#define SENDER_PLAIN_HOLD_MS 1000

/* Receives each sender's records in order (the table itself writes the
 * sender's transcript); from names the sender. */
typedef void (*sender_record_fn)(const struct sockaddr_in *from, const char *data, size_t len,
				 void *ctx);
/* Sends a reply datagram to a sender. */
typedef void (*sender_send_fn)(const struct sockaddr_in *to, const void *buf, size_t len,
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
/* Takes one datagram from a sender. Returns -1 when a transcript could not
 * be written, else 0. */
int senders_feed(struct sender_table *t, const struct sockaddr_in *from, const void *payload,
		 size_t len, long long now_ms);
/* Delivers records whose gaps are given up and sends the replies due. */
void senders_serve(struct sender_table *t, long long now_ms);
/* Every sender has everything delivered (no gap open). */
bool senders_settled(const struct sender_table *t);
/* Senders tracked now. */
size_t senders_count(const struct sender_table *t);
/* Datagrams that found no room in the table. */
unsigned long senders_refused(const struct sender_table *t);
/* Sends the last replies, delivers what is held and reports each
 * extended sender's records and gaps on stderr. */
void senders_finish(struct sender_table *t, long long now_ms);
void senders_free(struct sender_table *t);

#endif
