/* A netdump HERALD payload with any chunk size, ranges and texts, valid or
 * hostile, for the tests that play a kernel (or an attacker) against the
 * listener's dump receiver: tests/unit/netdump_receiver.c,
 * tests/fuzz/dump_seeds.c and tests/host/hostile-flood.c. Host only. */
#ifndef TESTS_HOST_NETDUMP_HERALD_H
#define TESTS_HOST_NETDUMP_HERALD_H

#include "netconsole/netdump_proto.h"

#include <string.h>

/* Writes the payload at p (signal 11, registers zero); ranges are
 * {start, length} pairs. Returns its length. */
static inline size_t netdump_test_herald(uint8_t *p, uint32_t chunk, uint32_t zero_below,
					 const uint64_t (*ranges)[2], unsigned count,
					 const char *release, const char *panic)
{
	const char *texts[2] = {release, panic};
	uint8_t *start = p;

	put_unaligned_be32(chunk, p);
	put_unaligned_be32(zero_below, p + 4);
	put_unaligned_be32(11, p + 8);
	memset(p + 12, 0, 4 * NETDUMP_NREGS);
	p += 12 + 4 * NETDUMP_NREGS;
	put_unaligned_be32(count, p);
	p += 4;
	for (unsigned i = 0; i < count; i++, p += 16) {
		put_unaligned_be64(ranges[i][0], p);
		put_unaligned_be64(ranges[i][1], p + 8);
	}
	for (unsigned t = 0; t < 2; t++) {
		put_unaligned_be16((uint16_t)strlen(texts[t]), p);
		memcpy(p + 2, texts[t], strlen(texts[t]));
		p += 2 + strlen(texts[t]);
	}
	return (size_t)(p - start);
}

#endif
