/* Host tests of the e1000 descriptor ring index arithmetic. */
#include "drivers/e1000/ring.h"

#include "tap.h"

int main(void)
{
	plan(18);
	const unsigned size = 8;

	is_int(e1000_ring_next(0, size), 1, "next of 0 is 1");
	is_int(e1000_ring_next(6, size), 7, "next of 6 is 7");
	is_int(e1000_ring_next(7, size), 0, "next of the last slot wraps to 0");

	ok(e1000_ring_empty(3, 3), "head == tail is empty");
	ok(!e1000_ring_empty(3, 4), "head != tail is not empty");
	is_int(e1000_ring_used(0, 0, size), 0, "empty ring has nothing in use");
	is_int(e1000_ring_space(0, 0, size), size - 1, "empty ring keeps one slot back");
	is_int(e1000_ring_used(2, 5, size), 3, "tail ahead of head");
	is_int(e1000_ring_used(6, 1, size), 3, "tail wrapped behind head");
	is_int(e1000_ring_space(6, 1, size), 4, "space with tail wrapped");
	ok(e1000_ring_full(0, 7, size), "tail one behind head (no wrap) is full");
	ok(e1000_ring_full(5, 4, size), "tail one behind head (wrapped) is full");
	ok(!e1000_ring_full(5, 3, size), "two behind is not full");

	/* Walk the ring: fill it, reap part of it, refill, around twice. */
	unsigned head = 5, tail = 5, filled = 0;
	while (!e1000_ring_full(head, tail, size)) {
		tail = e1000_ring_next(tail, size);
		filled++;
	}
	is_int(filled, size - 1, "filling an empty ring takes size-1 slots");
	is_int(tail, 4, "tail stops one behind head");
	for (unsigned i = 0; i < 3; i++)
		head = e1000_ring_next(head, size);
	is_int(e1000_ring_space(head, tail, size), 3, "reaping three frees three");
	unsigned reaped = 0;
	while (!e1000_ring_empty(head, tail)) {
		head = e1000_ring_next(head, size);
		reaped++;
	}
	is_int(reaped, size - 1 - 3, "the rest can be reaped until empty");
	is_int(e1000_ring_used(head, tail, size), 0, "empty after reaping everything");

	return done_testing();
}
