#ifndef KERNEL_FWTABLE_H
#define KERNEL_FWTABLE_H
/* Reading the tables firmware leaves in memory (ACPI, SMBIOS): their
 * little-endian fields at any alignment and their byte-sum checksum. Pure
 * functions, callable from any context. */

#include <stdbool.h>
#include <stdint.h>

static inline uint16_t fw_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t fw_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A table is intact when its len bytes sum to 0 modulo 256. */
static inline bool fw_checksum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

#endif
