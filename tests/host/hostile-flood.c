/* hostile-flood: sends the hostile datagrams of issue 19 to a listener on
 * loopback, COUNT in all, in rotation: junk from 256 source ports (more
 * senders than the listener holds), extended records whose sequence
 * restarts each time (lost-record lists), first fragments of 64 KiB records
 * that never complete (held bodies), and on the dump port heralds that wrap
 * the chunk count, valid heralds of 1 GiB dumps (now and then), forged
 * FINISH and DATA datagrams. Loopback only: any other destination is
 * refused. Used by tests/host/client.t to bound the listener's memory.
 *
 *   hostile-flood 127.0.0.1 LOG-PORT DUMP-PORT COUNT */
#include "netconsole/netdump_proto.h"
#include "tests/host/netdump-herald.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SOURCES 256
/* A pause after each burst, so the listener takes in most of the flood
 * rather than its socket buffer dropping it. */
#define BURST 64
#define PAUSE_US 500
/* One valid 1 GiB herald per this many dump datagrams. */
#define VALID_HERALD_EVERY 256

static int sources[SOURCES];

static void send_to(int sock, const struct sockaddr_in *to, const void *buf, size_t len)
{
	/* A full socket buffer on either side only means fewer datagrams
	 * arrive; the count sent is what the caller asked for. */
	while (sendto(sock, buf, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0 &&
	       (errno == ENOBUFS || errno == EAGAIN || errno == EINTR))
		usleep(100);
}

static size_t herald(uint8_t *p, uint32_t id, uint32_t chunk, const uint64_t (*ranges)[2],
		     unsigned count)
{
	struct netdump_header h = {.type = NETDUMP_HERALD, .dump_id = id};

	h.len = (uint32_t)netdump_test_herald(p + NETDUMP_HDR_LEN, chunk, 0, ranges, count, "r",
					      "p");
	netdump_put_header(p, &h);
	return NETDUMP_HDR_LEN + h.len;
}

static size_t dump_datagram(uint8_t *p, unsigned long i)
{
	static const uint64_t halves[2][2] = {{0, 1ULL << 31}, {1ULL << 31, 1ULL << 31}};
	static const uint64_t gib[1][2] = {{0, 1ULL << 30}};
	struct netdump_header h = {.dump_id = (uint32_t)(i / 4), .seq = (uint32_t)i};

	switch (i / 4 % 4) {
	case 0:
		if (i / 16 % VALID_HERALD_EVERY == 0)
			return herald(p, (uint32_t)(i / 16), NETDUMP_CHUNK, gib, 1);
		return herald(p, (uint32_t)i, 1, halves, 2);
	case 1:
		h.type = NETDUMP_FINISH;
		h.len = 16;
		memset(p + NETDUMP_HDR_LEN, 0, 16);
		break;
	default:
		h.type = NETDUMP_DATA;
		h.offset = (uint64_t)(i % 745654) * NETDUMP_CHUNK;
		h.seq = (uint32_t)(i % 745654) + 1;
		h.len = NETDUMP_CHUNK;
		memset(p + NETDUMP_HDR_LEN, 0x41, NETDUMP_CHUNK);
		break;
	}
	netdump_put_header(p, &h);
	return NETDUMP_HDR_LEN + h.len;
}

int main(int argc, char **argv)
{
	static uint8_t buf[65536];
	struct sockaddr_in log_to = {.sin_family = AF_INET}, dump_to;
	unsigned long count;

	if (argc != 5 || inet_pton(AF_INET, argv[1], &log_to.sin_addr) != 1) {
		fprintf(stderr, "usage: hostile-flood 127.0.0.1 LOG-PORT DUMP-PORT COUNT\n");
		return 2;
	}
	if ((ntohl(log_to.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "hostile-flood: refusing to send to %s: loopback only\n", argv[1]);
		return 2;
	}
	log_to.sin_port = htons((uint16_t)atoi(argv[2]));
	dump_to = log_to;
	dump_to.sin_port = htons((uint16_t)atoi(argv[3]));
	count = strtoul(argv[4], NULL, 10);
	for (int i = 0; i < SOURCES; i++) {
		sources[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (sources[i] < 0) {
			perror("hostile-flood: socket");
			return 2;
		}
	}
	for (unsigned long i = 0; i < count; i++) {
		int sock = sources[i % SOURCES];
		size_t len;

		if (i % BURST == BURST - 1)
			usleep(PAUSE_US);
		switch (i % 4) {
		case 0: /* junk from many ports */
			send_to(sock, &log_to, "junk\n", 5);
			break;
		case 1: /* a restart: the next record is far ahead of the last */
			len = (size_t)snprintf((char *)buf, sizeof(buf), "6,%lu,1,-;r\n",
					       (i / 4 % 2 ? 4095 : 0) + 10000000UL * (i / 8 + 1));
			send_to(sources[0], &log_to, buf, len);
			break;
		case 2: /* the first piece of a 64 KiB record that never completes */
			len = (size_t)snprintf((char *)buf, sizeof(buf),
					       "6,%lu,1,-,ncfrag=0/65536;", i / 4 % 4000 + 1);
			memset(buf + len, 'f', 1000);
			send_to(sources[1], &log_to, buf, len + 1000);
			break;
		default:
			len = dump_datagram(buf, i);
			send_to(sources[2 + i / 4 % 8], &dump_to, buf, len);
			break;
		}
	}
	return 0;
}
