#include "kernel/logring.h"

#include "kernel/string.h"

/* On-buffer header of a record; size 0 marks the unused end of the buffer
 * before the next wrap. Records never straddle the end of the buffer. */
struct record_header {
	uint32_t size; /* header + text, rounded up to 8 */
	uint16_t len;
	uint8_t level;
	uint8_t reserved;
	uint64_t seq;
	uint64_t ts_ns;
};

#define HEADER_SIZE sizeof(struct record_header)

static size_t offset_of(const struct logring *ring, uint64_t pos)
{
	if (ring->offset_mask)
		return (size_t)pos & ring->offset_mask;
	return (size_t)(pos % ring->size);
}

static struct record_header *header_at(const struct logring *ring, uint64_t pos)
{
	return (struct record_header *)(ring->buf + offset_of(ring, pos));
}

/* Skips the dead space before a wrap: too little room for a header, or a
 * wrap marker. Only valid where a record or the marker was written. */
static uint64_t skip_wrap(const struct logring *ring, uint64_t pos)
{
	size_t off = offset_of(ring, pos);
	if (ring->size - off < HEADER_SIZE || header_at(ring, pos)->size == 0)
		return pos + (ring->size - off);
	return pos;
}

void logring_init(struct logring *ring, void *buf, size_t size)
{
	ring->buf = buf;
	ring->size = size & ~(size_t)7;
	ring->offset_mask = (ring->size & (ring->size - 1)) == 0 ? ring->size - 1 : 0;
	ring->head = ring->tail = 0;
	ring->first_seq = ring->next_seq = 0;
	ring->hint_seq = 0;
	ring->hint_pos = 0;
}

static void drop_oldest(struct logring *ring)
{
	ring->head = skip_wrap(ring, ring->head);
	ring->head += header_at(ring, ring->head)->size;
	ring->first_seq++;
	if (ring->first_seq != ring->next_seq)
		ring->head = skip_wrap(ring, ring->head);
	else
		ring->head = ring->tail;
}

uint64_t logring_append(struct logring *ring, uint8_t level, uint64_t ts_ns, const char *text,
			size_t len)
{
	if (len > LOG_TEXT_MAX)
		len = LOG_TEXT_MAX;
	uint32_t size = (uint32_t)((HEADER_SIZE + len + 7) & ~(size_t)7);

	uint64_t pos = ring->tail;
	size_t off = offset_of(ring, pos);
	if (ring->size - off < size)
		pos += ring->size - off; /* the record goes to the start of the buffer */
	while (ring->first_seq != ring->next_seq && pos + size - ring->head > ring->size)
		drop_oldest(ring);
	if (ring->first_seq == ring->next_seq)
		ring->head = pos;

	/* Mark the dead space only after the records living there are gone. */
	if (pos != ring->tail && ring->size - off >= HEADER_SIZE)
		header_at(ring, ring->tail)->size = 0;

	struct record_header *h = header_at(ring, pos);
	h->size = size;
	h->len = (uint16_t)len;
	h->level = level;
	h->reserved = 0;
	h->seq = ring->next_seq;
	h->ts_ns = ts_ns;
	memcpy(h + 1, text, len);
	ring->tail = pos + size;
	return ring->next_seq++;
}

bool logring_read(struct logring *ring, uint64_t seq, struct log_record *out)
{
	if (seq >= ring->next_seq)
		return false;
	if (seq < ring->first_seq)
		seq = ring->first_seq;

	uint64_t at_seq = ring->first_seq, pos = ring->head;
	if (ring->hint_seq >= ring->first_seq && ring->hint_seq <= seq &&
	    ring->hint_seq < ring->next_seq) {
		at_seq = ring->hint_seq;
		pos = ring->hint_pos;
	}
	pos = skip_wrap(ring, pos);
	while (at_seq < seq) {
		pos = skip_wrap(ring, pos + header_at(ring, pos)->size);
		at_seq++;
	}
	ring->hint_seq = at_seq;
	ring->hint_pos = pos;

	const struct record_header *h = header_at(ring, pos);
	out->seq = h->seq;
	out->ts_ns = h->ts_ns;
	out->level = h->level;
	out->len = h->len;
	out->text = (const char *)(h + 1);
	return true;
}
