/* Tests host/client-senders.c as a hostile network would use it: junk from
 * many ports must not lock the real kernel out, senders expire and are
 * freed, --ack answers only senders of recent log records and never sends
 * more than the datagrams it answers could pay for, transcripts hold no
 * terminal control bytes and are never opened through a symlink. */
#include "tap.h"

#include "host/client-escape.c"
#include "host/client-ext.c"
#include "host/client-files.c"
#include "host/client-senders.c"
#include "host/client-socket.c"

#include <stdlib.h>

static struct sockaddr_in6 kernel, last_from;
static char delivered[4096];
static size_t delivered_len;
static unsigned long replies, reply_bytes;
static long long last_reply_ms, now;
static char dir[] = "/tmp/client-senders.XXXXXX";

static void on_record(const struct sockaddr_in6 *from, const char *data, size_t len, void *ctx)
{
	(void)ctx;
	last_from = *from;
	if (delivered_len + len < sizeof(delivered)) {
		memcpy(delivered + delivered_len, data, len);
		delivered_len += len;
		delivered[delivered_len] = '\0';
	}
}

static void on_send(const struct sockaddr_in6 *to, const void *buf, size_t len, void *ctx)
{
	(void)to;
	(void)buf;
	(void)ctx;
	replies++;
	reply_bytes += len;
	last_reply_ms = now;
}

static struct sockaddr_in6 address(uint32_t ip, uint16_t port)
{
	return client_ipv4_address(ip, port);
}

static struct sender_table *table(bool ack, int output_fd, const char *output_path)
{
	struct sender_config config = {.ack = ack,
				       .output_fd = output_fd,
				       .output_path = output_path,
				       .record = on_record,
				       .send = on_send};
	delivered_len = 0;
	delivered[0] = '\0';
	replies = reply_bytes = 0;
	last_reply_ms = -1;
	now = 0;
	return senders_new(&config);
}

static void feed(struct sender_table *t, const struct sockaddr_in6 *from, const char *text)
{
	senders_feed(t, from, text, strlen(text), now);
}

/* Issue 19: 64 junk datagrams from 64 ports filled the table for the
 * listener's lifetime, and the kernel's records were ignored. */
static void test_junk_senders(void)
{
	struct sender_table *t = table(false, -1, NULL);

	for (uint16_t port = 1; port <= 200; port++) {
		struct sockaddr_in6 junk = address(0x7f000003, port);
		feed(t, &junk, "junk");
		now += 10;
	}
	delivered_len = 0;
	feed(t, &kernel, "6,0,1,-;kernel record\n");
	ok(strstr(delivered, "kernel record") &&
		   IN6_ARE_ADDR_EQUAL(&last_from.sin6_addr, &kernel.sin6_addr),
	   "after junk from 200 ports the kernel's record is still taken");
	ok(senders_count(t) <= SENDERS_MAX, "at most %d senders are held (%zu)", SENDERS_MAX,
	   senders_count(t));
	now += SENDER_IDLE_MS;
	senders_serve(t, now);
	is_int(senders_count(t), 0, "senders idle for %d ms are freed", SENDER_IDLE_MS);
	senders_free(t);
}

/* Issue 19: with --ack two spoofed datagrams made the listener send ~10
 * replies a second to the spoofed address for as long as it ran. */
static void test_reflection(void)
{
	struct sender_table *t = table(true, -1, NULL);
	struct sockaddr_in6 victim = address(0x0a090909, 6665);
	const char *spoofed[2] = {"6,5,1,-;x\n", "6,9,2,-;y\n"};
	unsigned long sent_bytes = strlen(spoofed[0]) + strlen(spoofed[1]);

	feed(t, &victim, spoofed[0]);
	feed(t, &victim, spoofed[1]);
	for (now = 0; now < 60000; now += 10)
		senders_serve(t, now);
	ok(replies > 0, "the spoofed sender gets an answer at first (%lu)", replies);
	ok(last_reply_ms <= SENDER_ACK_RECENT_MS,
	   "but none after %d ms without a record (last at %lld ms)", SENDER_ACK_RECENT_MS,
	   last_reply_ms);
	ok(reply_bytes <= SENDER_REPLY_BYTES_PER_BYTE * sent_bytes + 2 * SENDER_REPLY_BYTES_EXTRA,
	   "and never more bytes than the datagrams paid for (%lu for %lu)", reply_bytes,
	   sent_bytes);

	/* Plain junk is no log record: it is never answered. */
	struct sender_table *u = table(true, -1, NULL);
	feed(u, &victim, "junk");
	for (now = 0; now < 5000; now += 10)
		senders_serve(u, now);
	is_int(replies, 0, "a sender of plain junk gets no ncrx reply");
	senders_free(u);
	senders_free(t);
}

/* A kernel that keeps sending (with a gap) keeps being answered. */
static void test_kernel_answered(void)
{
	struct sender_table *t = table(true, -1, NULL);
	char record[64];
	unsigned long records = 0;

	for (unsigned seq = 0; seq < 100; seq++, now += 20) {
		if (seq == 7)
			continue;
		snprintf(record, sizeof(record), "6,%u,%u,-;line %u\n", seq, seq, seq);
		feed(t, &kernel, record);
		records++;
		senders_serve(t, now);
	}
	ok(replies >= records / 4, "a sending kernel gets its ncrx replies (%lu for %lu records)",
	   replies, records);
	ok(!senders_settled(t), "record 7 is still missing");
	senders_free(t);
}

static char *slurp(const char *path)
{
	static char text[4096];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	text[0] = '\0';
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

/* Issue 19: transcripts were opened through symlinks and held the
 * payloads' terminal control bytes raw. */
static void test_transcripts(void)
{
	char path[256], victim[256], link[256];
	int fd;
	FILE *f;

	snprintf(victim, sizeof(victim), "%s/victim", dir);
	f = fopen(victim, "w");
	fputs("precious\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/out", dir);
	snprintf(link, sizeof(link), "%s/out.127.0.0.3-9", dir);
	if (symlink(victim, link) < 0)
		printf("# symlink: %s\n", strerror(errno));
	fd = client_create_file(path);
	struct sender_table *t = table(false, fd, path);
	struct sockaddr_in6 second = address(0x7f000003, 9);
	feed(t, &kernel, "\033[2J\033]0;owned\007hello\n");
	feed(t, &second, "second sender\n");
	is_str(slurp(path), "\\x1b[2J\\x1b]0;owned\\x07hello\n",
	       "the transcript holds the payload with control bytes escaped");
	is_str(slurp(victim), "precious\n", "a symlink planted as FILE.IP-PORT is not followed");
	ok(strstr(slurp(link), "second sender") != NULL,
	   "the second sender's transcript replaces the link");
	/* The second sender expires and comes back: its file goes on. */
	now += SENDER_IDLE_MS + 1;
	feed(t, &kernel, "still here\n");
	senders_serve(t, now);
	feed(t, &second, "back again\n");
	is_str(slurp(link), "second sender\nback again\n",
	       "a sender that expired and came back appends to its transcript");
	senders_free(t);
	close(fd);
	unlink(path);
	if (symlink(victim, path) < 0)
		printf("# symlink: %s\n", strerror(errno));
	fflush(stderr);
	ok(client_create_file(path) < 0 && strcmp(slurp(victim), "precious\n") == 0,
	   "--output is never opened through a symlink");
}

/* Issue 16: a sender over IPv6 beside one over IPv4 gets its own transcript,
 * named after its address as people write it. */
static void test_ipv6_sender(void)
{
	char path[256], named[300], text[CLIENT_ADDRESS_MAX];
	struct in6_addr ip;
	int fd;

	snprintf(path, sizeof(path), "%s/mixed", dir);
	fd = client_create_file(path);
	struct sender_table *t = table(false, fd, path);
	struct sockaddr_in6 v6 = client_ipv4_address(0, 6665);
	ok(client_parse_ip("[fd00:7::5]", &ip) == 0, "bracketed IPv6 address parses");
	v6.sin6_addr = ip;
	is_str(client_format_address(&v6, text), "[fd00:7::5]:6665", "an IPv6 sender's name");
	is_str(client_format_address(&kernel, text), "127.0.0.2:6665",
	       "an IPv4 sender keeps its dotted quad");
	feed(t, &kernel, "over IPv4\n");
	feed(t, &v6, "over IPv6\n");
	snprintf(named, sizeof(named), "%s.fd00:7::5-6665", path);
	is_str(slurp(path), "over IPv4\n", "the first sender's transcript");
	is_str(slurp(named), "over IPv6\n", "the IPv6 sender's transcript is FILE.fd00:7::5-6665");
	senders_free(t);
	close(fd);
}

int main(void)
{
	plan(19);
	kernel = address(0x7f000002, 6665);
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_junk_senders();
	test_reflection();
	test_kernel_answered();
	test_transcripts();
	test_ipv6_sender();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return done_testing();
}
