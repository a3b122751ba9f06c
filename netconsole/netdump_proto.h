/* The netdump wire format, shared by the kernel (netconsole/netdump.c) and
 * the host receiver (host/client-dump.c). Pure inline helpers on caller
 * buffers: any context, freestanding or hosted. Every field is big-endian. */
#ifndef NETCONSOLE_NETDUMP_PROTO_H
#define NETCONSOLE_NETDUMP_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "netconsole/unaligned.h"

#define NETDUMP_DEFAULT_PORT 6667
#define NETDUMP_MAGIC 0x4e44554dU /* "NDUM" */
#define NETDUMP_VERSION 1

/* Kernel to host: HERALD opens a dump (seq 0), DATA carries memory at a
 * physical address (seq 1..N), FINISH closes it (seq N+1). Host to kernel:
 * ACK lists the seqs it has received (each one, not a cumulative mark). */
enum netdump_type {
	NETDUMP_HERALD = 1,
	NETDUMP_DATA = 2,
	NETDUMP_FINISH = 3,
	NETDUMP_ACK = 4,
};

/* magic u32, version u8, type u8, reserved u16, dump_id u32, seq u32,
 * offset u64 (DATA: physical address), len u32 (payload bytes). */
#define NETDUMP_HDR_LEN 28
/* The largest UDP payload in one untagged Ethernet frame. */
#define NETDUMP_UDP_MAX 1472
#define NETDUMP_PAYLOAD_MAX (NETDUMP_UDP_MAX - NETDUMP_HDR_LEN)
/* Data bytes per chunk: a multiple of 16 that fits one frame. */
#define NETDUMP_CHUNK 1440
#define NETDUMP_ACK_MAX_SEQS ((NETDUMP_PAYLOAD_MAX - 4) / 4)
/* Over IPv6 the header is 40 bytes instead of 20, so a frame carries 20
 * bytes less: chunks of 1424 bytes (announced in the herald), and
 * acknowledgements of at most 355 seqs, or the host would fragment them. */
#define NETDUMP_UDP6_MAX 1452
#define NETDUMP_CHUNK6 1424
#define NETDUMP_ACK6_MAX_SEQS ((NETDUMP_UDP6_MAX - NETDUMP_HDR_LEN - 4) / 4)

#define NETDUMP_MAX_RANGES 16
#define NETDUMP_STR_MAX 256
/* CPUs whose registers a herald carries: the one that panicked and every
 * other it stopped. */
#define NETDUMP_MAX_CPUS 8
/* NT_PRSTATUS's i386 pr_reg order (Linux's user_regs_struct). */
enum netdump_reg {
	NETDUMP_EBX,
	NETDUMP_ECX,
	NETDUMP_EDX,
	NETDUMP_ESI,
	NETDUMP_EDI,
	NETDUMP_EBP,
	NETDUMP_EAX,
	NETDUMP_DS,
	NETDUMP_ES,
	NETDUMP_FS,
	NETDUMP_GS,
	NETDUMP_ORIG_EAX,
	NETDUMP_EIP,
	NETDUMP_CS,
	NETDUMP_EFLAGS,
	NETDUMP_ESP,
	NETDUMP_SS,
	NETDUMP_NREGS
};

/* HERALD payload: chunk u32, zero_below u32 (physical bytes from 0 not
 * sent, because page 0 is unmapped: the host fills them with zeros),
 * signal u32, regs u32[NETDUMP_NREGS], range_count u32, ranges
 * {start u64, length u64}[range_count], release and panic text (each u16
 * length + bytes), then the CPUs: cpu u32 (the one that panicked, whose
 * registers came first), count u32, and {cpu u32, regs u32[NETDUMP_NREGS]}
 * for each of count other CPUs that stopped (at most NETDUMP_MAX_CPUS - 1,
 * each named once); a herald that ends after the texts is of CPU 0 alone.
 * FINISH payload: range_count u32, chunks u32, retransmits u32,
 * unmapped_pages u32 (pages the kernel could not read, sent as zeros), then
 * a checksum u64 per range (the netdump_chunk_term sum of the bytes sent).
 * ACK payload: count u32, seq u32[count]; the header's seq is 0. */

struct netdump_header {
	uint32_t magic;
	uint8_t version;
	uint8_t type;
	uint32_t dump_id;
	uint32_t seq;
	uint64_t offset;
	uint32_t len;
};

static inline void netdump_put_header(uint8_t *p, const struct netdump_header *h)
{
	put_unaligned_be32(NETDUMP_MAGIC, p);
	p[4] = NETDUMP_VERSION;
	p[5] = h->type;
	put_unaligned_be16(0, p + 6);
	put_unaligned_be32(h->dump_id, p + 8);
	put_unaligned_be32(h->seq, p + 12);
	put_unaligned_be64(h->offset, p + 16);
	put_unaligned_be32(h->len, p + 24);
}

/* Returns 0 when buf holds a header of our version whose len fits in it. */
static inline int netdump_get_header(const uint8_t *buf, size_t size, struct netdump_header *h)
{
	if (size < NETDUMP_HDR_LEN || get_unaligned_be32(buf) != NETDUMP_MAGIC ||
	    buf[4] != NETDUMP_VERSION)
		return -1;
	h->magic = NETDUMP_MAGIC;
	h->version = buf[4];
	h->type = buf[5];
	h->dump_id = get_unaligned_be32(buf + 8);
	h->seq = get_unaligned_be32(buf + 12);
	h->offset = get_unaligned_be64(buf + 16);
	h->len = get_unaligned_be32(buf + 24);
	return h->len <= size - NETDUMP_HDR_LEN ? 0 : -1;
}

typedef uint32_t __attribute__((may_alias, aligned(1))) netdump_unaligned_u32;

/* A position-sensitive sum of one chunk: two running sums of its 32-bit
 * little-endian words (a trailing partial word is zero-padded). Cheap
 * enough to run over all of RAM inside the panic. */
static inline uint64_t netdump_chunk_sum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t a = 1, b = 0;
	size_t i;

	/* Unrolled: under QEMU's TCG the loop's own overhead dominates. */
	for (i = 0; i + 16 <= len; i += 16) {
		const netdump_unaligned_u32 *w = (const netdump_unaligned_u32 *)(p + i);
		a += w[0];
		b += a;
		a += w[1];
		b += a;
		a += w[2];
		b += a;
		a += w[3];
		b += a;
	}
	for (; i + 4 <= len; i += 4) {
		a += *(const netdump_unaligned_u32 *)(p + i);
		b += a;
	}
	if (i < len) {
		uint32_t last = 0;
		for (unsigned shift = 0; i < len; i++, shift += 8)
			last |= (uint32_t)p[i] << shift;
		a += last;
		b += a;
	}
	return (uint64_t)b << 32 | a;
}

/* A range's checksum is the sum, modulo 2^64, of this over its chunks, so
 * a retransmitted chunk can replace its old term. */
static inline uint64_t netdump_chunk_term(uint64_t address, uint64_t chunk_sum)
{
	return chunk_sum ^ (address * 0x9e3779b97f4a7c15ULL);
}

#endif
