/* The kernel log ring: variable-length records (sequence number, level,
 * timestamp, text) in a fixed byte buffer, oldest overwritten first, so a
 * console registered late can replay from the first record still held.
 * Pure data structure without locking: printk serialises callers. */
#ifndef KERNEL_LOGRING_H
#define KERNEL_LOGRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text one record holds; longer text is truncated. */
#define LOG_TEXT_MAX 1024

struct log_record {
	uint64_t seq;
	uint64_t ts_ns;
	uint8_t level;
	uint16_t len;
	const char *text; /* points into the ring: valid until the record is overwritten */
};

/* Positions are logical byte counts that only grow; the buffer offset is the
 * position modulo size, so head == tail means empty without ambiguity. */
struct logring {
	uint8_t *buf;
	size_t size; /* bytes, a multiple of 8, at least 4 * LOG_TEXT_MAX */
	uint64_t head; /* position of the oldest record */
	uint64_t tail; /* position where the next record goes */
	uint64_t first_seq; /* sequence number of the oldest record */
	uint64_t next_seq; /* sequence number the next record gets */
	uint64_t hint_seq; /* a record known to start at hint_pos: sequential reads are O(1) */
	uint64_t hint_pos;
	/* size - 1 when size is a power of two (the offset is then a mask of
	 * the position, not a 64-bit division); 0 otherwise. */
	size_t offset_mask;
};

void logring_init(struct logring *ring, void *buf, size_t size);
/* Appends a record, dropping the oldest ones to make room. Returns its seq. */
uint64_t logring_append(struct logring *ring, uint8_t level, uint64_t ts_ns, const char *text,
			size_t len);
/* Finds the record with sequence number seq, or the oldest one still held
 * when seq was overwritten. Returns false when no record >= seq exists. */
bool logring_read(struct logring *ring, uint64_t seq, struct log_record *out);

#endif
