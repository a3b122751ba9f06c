/* Writes seed inputs for tests/fuzz/client_dump_fuzz.c into the directory
 * given: a whole small dump, and the hostile datagrams of issue 19 (a chunk
 * count that wraps 32 bits, a range whose end wraps 64 bits, 1-byte chunks,
 * a forged FINISH, wire strings with newlines and escapes, many heralds).
 * Built and run by `make fuzz`. */
#include "netconsole/netdump_proto.h"
#include "tests/host/netdump-herald.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t input[65536];
static size_t input_len;

/* One datagram in the fuzz input: length, port and clock byte, bytes. */
static void datagram(uint8_t type, uint32_t id, uint32_t seq, uint64_t offset,
		     const uint8_t *payload, size_t len, uint8_t port_clock)
{
	struct netdump_header h = {
		.type = type, .dump_id = id, .seq = seq, .offset = offset, .len = (uint32_t)len};
	size_t total = NETDUMP_HDR_LEN + len;

	input[input_len] = (uint8_t)total;
	input[input_len + 1] = (uint8_t)(total >> 8);
	input[input_len + 2] = port_clock;
	netdump_put_header(input + input_len + 3, &h);
	memcpy(input + input_len + 3 + NETDUMP_HDR_LEN, payload, len);
	input_len += 3 + total;
}

static void save(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(input, 1, input_len, f) != input_len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	input_len = 0;
}

int main(int argc, char **argv)
{
	uint8_t body[NETDUMP_PAYLOAD_MAX], data[NETDUMP_CHUNK];
	const uint64_t small[1][2] = {{0x10000, 3000}};
	const uint64_t halves[2][2] = {{0, 1ULL << 31}, {1ULL << 31, 1ULL << 31}};
	const uint64_t wrapping[1][2] = {{~0ULL - (1ULL << 43) + 1, (1ULL << 43) + 4096}};
	uint64_t sum = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: dump_seeds DIR\n");
		return 2;
	}
	memset(data, 0x5a, sizeof(data));

	/* A whole dump of 3000 bytes: herald, two chunks (one twice), FINISH. */
	datagram(NETDUMP_HERALD, 1, 0, 0, body,
		 netdump_test_herald(body, NETDUMP_CHUNK, 0, small, 1, "0.1.0-nc", "Oops"), 0);
	for (uint32_t seq = 1; seq <= 3; seq++) {
		uint64_t at = 0x10000 + (uint64_t)(seq - 1) * NETDUMP_CHUNK;
		size_t n = seq == 3 ? 3000 - 2 * NETDUMP_CHUNK : NETDUMP_CHUNK;
		sum += netdump_chunk_term(at, netdump_chunk_sum(data, n));
		datagram(NETDUMP_DATA, 1, seq, at, data, n, 0);
	}
	datagram(NETDUMP_DATA, 1, 2, 0x10000 + NETDUMP_CHUNK, data, NETDUMP_CHUNK, 0);
	put_unaligned_be32(1, body);
	put_unaligned_be32(3, body + 4);
	put_unaligned_be32(0, body + 8);
	put_unaligned_be32(0, body + 12);
	put_unaligned_be64(sum, body + 16);
	datagram(NETDUMP_FINISH, 1, 4, 0, body, 24, 0);
	save(argv[1], "whole-dump");

	/* 1-byte chunks over 4 GiB: 2^32 chunks, a count that wrapped to 0. */
	datagram(NETDUMP_HERALD, 2, 0, 0, body,
		 netdump_test_herald(body, 1, 0, halves, 2, "r", "p"), 1);
	datagram(NETDUMP_DATA, 2, 1u << 31, (1u << 31) - 1, data, 1, 1);
	memset(body, 0, 16);
	datagram(NETDUMP_FINISH, 2, 1, 0, body, 16, 1);
	save(argv[1], "chunk-count-wrap");

	/* A range whose end wraps past 2^64: an 8 TiB sparse core. */
	datagram(NETDUMP_HERALD, 3, 0, 0, body,
		 netdump_test_herald(body, NETDUMP_CHUNK, 0, wrapping, 1, "r", "p"), 2);
	save(argv[1], "range-wrap");

	/* A forged FINISH for a dump whose chunks never came. */
	datagram(NETDUMP_HERALD, 4, 0, 0, body,
		 netdump_test_herald(body, NETDUMP_CHUNK, 0, small, 1, "r", "p"), 3);
	memset(body, 0, 24);
	put_unaligned_be32(1, body);
	put_unaligned_be32(3, body + 4);
	datagram(NETDUMP_FINISH, 4, 4, 0, body, 24, 3);
	save(argv[1], "forged-finish");

	/* Wire strings that try to forge info lines and drive a terminal. */
	datagram(NETDUMP_HERALD, 5, 0, 0, body,
		 netdump_test_herald(body, NETDUMP_CHUNK, 0, small, 1, "6.1\ncomplete: yes",
				     "\033[2J\033]0;owned\007"),
		 4);
	save(argv[1], "wire-strings");

	/* More heralds than dumps held at once, from several ports, with
	 * time passing so some expire. */
	for (uint32_t id = 0; id < 24; id++)
		datagram(NETDUMP_HERALD, 100 + id, 0, 0, body,
			 netdump_test_herald(body, NETDUMP_CHUNK, 0, small, 1, "r", "p"),
			 (uint8_t)((id & 15) | (id % 3 == 0 ? 0xb0 : 0)));
	save(argv[1], "many-heralds");
	return 0;
}
