/* Big-endian (network order) loads and stores at any alignment, named as in
 * Linux: the one set of byte-order helpers for every wire format (frames,
 * netdump) in the kernel and the host tools. Pure: any context, freestanding
 * or hosted. */
#ifndef NETCONSOLE_UNALIGNED_H
#define NETCONSOLE_UNALIGNED_H

#include <stdint.h>

static inline uint16_t get_unaligned_be16(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t get_unaligned_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)get_unaligned_be16(b) << 16 | get_unaligned_be16(b + 2);
}

static inline uint64_t get_unaligned_be64(const void *p)
{
	const uint8_t *b = p;
	return (uint64_t)get_unaligned_be32(b) << 32 | get_unaligned_be32(b + 4);
}

static inline void put_unaligned_be16(uint16_t v, void *p)
{
	uint8_t *b = p;
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void put_unaligned_be32(uint32_t v, void *p)
{
	uint8_t *b = p;
	put_unaligned_be16((uint16_t)(v >> 16), b);
	put_unaligned_be16((uint16_t)v, b + 2);
}

static inline void put_unaligned_be64(uint64_t v, void *p)
{
	uint8_t *b = p;
	put_unaligned_be32((uint32_t)(v >> 32), b);
	put_unaligned_be32((uint32_t)v, b + 4);
}

#endif
