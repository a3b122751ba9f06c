/* udp-echo-check: sends numbered UDP datagrams of varied sizes and contents
 * to an echo service (RFC 862), one at a time, and checks that each reply
 * is byte for byte the datagram sent. For the harness's namespace network
 * only: it refuses destinations outside 10.0.7.0/24 and 127.0.0.0/8.
 *
 * usage: udp-echo-check [--count N] [--port P] [--reply-timeout-ms MS]
 *                       [--deadline SECONDS] ADDRESS
 * Prints "udp-echo: sent S matched M mismatched X lost L" (and one line per
 * mismatch), also when SIGTERM or SIGINT ends it early; exits 0 when every
 * datagram came back intact, 1 otherwise, 2 on bad
 * usage. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The largest UDP payload in one Ethernet frame without fragmentation. */
#define MAX_PAYLOAD 1472

/* Set by SIGTERM or SIGINT: the run is over (the guest crashed, say); the
 * counts so far are still worth printing. */
static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: udp-echo-check [--count N] [--port P] [--reply-timeout-ms MS] "
			"[--deadline SECONDS] ADDRESS\n");
	exit(2);
}

static long number_arg(const char *s, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		usage();
	return v;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sizes sweep the whole range, both ends included, with odd and even
 * lengths; contents differ per datagram so a stale or misdirected reply
 * cannot match. */
static size_t fill(uint8_t *buf, unsigned n)
{
	size_t len =
		n % 3 == 0 ? 1 + (size_t)(n * 97u) % MAX_PAYLOAD : (n % 3 == 1 ? 1 : MAX_PAYLOAD);
	if (n % 7 == 5)
		len = 18 + n % 31;
	uint32_t x = 0x9e3779b9u * (n + 1);
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	snprintf((char *)buf, len, "echo %u", n);
	return len;
}

/* True when a reply starts with datagram n's "echo N\0" header. */
static int names_datagram(const uint8_t *reply, size_t len, unsigned n)
{
	char head[16];
	size_t h = (size_t)snprintf(head, sizeof(head), "echo %u", n);
	return len > h && memcmp(reply, head, h) == 0 && reply[h] == 0;
}

static int allowed(struct in_addr a)
{
	uint32_t ip = ntohl(a.s_addr);
	return (ip & 0xffffff00u) == 0x0a000700u || (ip & 0xff000000u) == 0x7f000000u;
}

int main(int argc, char **argv)
{
	long count = 100, port = 7, reply_timeout_ms = 1000, deadline_s = 60;
	const char *address = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			count = number_arg(argv[++i], 1, 1000000);
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = number_arg(argv[++i], 1, 65535);
		else if (strcmp(argv[i], "--reply-timeout-ms") == 0 && i + 1 < argc)
			reply_timeout_ms = number_arg(argv[++i], 1, 60000);
		else if (strcmp(argv[i], "--deadline") == 0 && i + 1 < argc)
			deadline_s = number_arg(argv[++i], 1, 3600);
		else if (argv[i][0] == '-' || address)
			usage();
		else
			address = argv[i];
	}
	if (!address)
		usage();

	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (inet_pton(AF_INET, address, &to.sin_addr) != 1)
		usage();
	if (!allowed(to.sin_addr)) {
		fprintf(stderr, "udp-echo-check: %s is outside 10.0.7.0/24 and 127.0.0.0/8\n",
			address);
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	/* Connected: the kernel passes up only datagrams from the service. */
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("udp-echo-check: socket");
		return 1;
	}

	/* Without SA_RESTART, so the signal also ends a wait for a reply. */
	struct sigaction sa = {.sa_handler = on_stop};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	static uint8_t sent[MAX_PAYLOAD], got[MAX_PAYLOAD + 1];
	long n_sent = 0, matched = 0, mismatched = 0, lost = 0;
	double deadline = now_s() + (double)deadline_s;
	for (unsigned n = 0; n < (unsigned)count && now_s() < deadline && !stop; n++) {
		size_t len = fill(sent, n);
		if (send(fd, sent, len, 0) != (ssize_t)len) {
			/* An ICMP port unreachable from an earlier datagram
			 * surfaces here; the datagram is lost all the same. */
			n_sent++;
			lost++;
			continue;
		}
		n_sent++;
		/* Replies to earlier datagrams that came late are skipped:
		 * each reply names its datagram in its first bytes. */
		int done = 0;
		double reply_by = now_s() + (double)reply_timeout_ms / 1000.0;
		while (!done) {
			int wait_ms = (int)((reply_by - now_s()) * 1000.0);
			struct pollfd pfd = {.fd = fd, .events = POLLIN};
			if (wait_ms <= 0 || poll(&pfd, 1, wait_ms) <= 0)
				break;
			ssize_t r = recv(fd, got, sizeof(got), 0);
			if (r < 0)
				continue;
			if ((size_t)r == len && memcmp(got, sent, len) == 0) {
				matched++;
				done = 1;
			} else if (names_datagram(got, (size_t)r, n)) {
				mismatched++;
				printf("udp-echo: datagram %u: %zd bytes back for %zu sent, or contents "
				       "differ\n",
				       n, r, len);
				done = 1;
			}
		}
		if (!done)
			lost++;
	}
	printf("udp-echo: sent %ld matched %ld mismatched %ld lost %ld\n", n_sent, matched,
	       mismatched, lost);
	close(fd);
	return matched == n_sent && n_sent == count ? 0 : 1;
}
