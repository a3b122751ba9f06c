/* Index arithmetic for the e1000 descriptor rings: software fills from a
 * tail and reaps from a head, and one slot always stays empty so that
 * head == tail means "empty". Pure; any context, and host-testable. */
#ifndef DRIVERS_E1000_RING_H
#define DRIVERS_E1000_RING_H

#include <stdbool.h>

static inline unsigned e1000_ring_next(unsigned index, unsigned size)
{
	return index + 1 == size ? 0 : index + 1;
}

/* Descriptors handed to the hardware and not yet reaped. */
static inline unsigned e1000_ring_used(unsigned head, unsigned tail, unsigned size)
{
	return tail >= head ? tail - head : size - head + tail;
}

/* Descriptors software may still fill before the ring is full. */
static inline unsigned e1000_ring_space(unsigned head, unsigned tail, unsigned size)
{
	return size - 1 - e1000_ring_used(head, tail, size);
}

static inline bool e1000_ring_empty(unsigned head, unsigned tail)
{
	return head == tail;
}

static inline bool e1000_ring_full(unsigned head, unsigned tail, unsigned size)
{
	return e1000_ring_space(head, tail, size) == 0;
}

#endif
