/* Named points where the kernel and its drivers let a test harness fault on
 * purpose, as Linux's LKDTM hooks its crash points into the kernel. The core
 * and the drivers call crash_hook() at each point and know nothing of what
 * the handler does; the harness registers one handler at boot. crash_hook()
 * may be called from any context (IRQ, oops, with locks held); the handler
 * runs in the caller's context, so it must be as careful as the caller. */
#ifndef KERNEL_CRASH_POINT_H
#define KERNEL_CRASH_POINT_H

enum crash_point_id {
	CRASH_POINT_TIMER_IRQ, /* the timer interrupt handler */
	CRASH_POINT_NIC_IRQ, /* a NIC's interrupt handler, for an interrupt of its own */
	CRASH_POINT_OOPS_REPORT, /* inside the oops path, after the call trace */
	CRASH_POINT_NIC_TX_QUEUED, /* transmit path, lock held, frame given to the NIC */
	CRASH_POINT_NIC_TX_RING_FULL, /* transmit path, lock held, no descriptor free */
};

typedef void (*crash_point_fn)(enum crash_point_id where);

extern crash_point_fn crash_point_handler;

/* Boot, normal context, before interrupts are enabled: installs the one
 * handler (a later call replaces it). */
void crash_point_register(crash_point_fn fn);

/* A macro, not a function: the handler's frame then sits right on its
 * caller's, in the oops trace and in a debugger reading a crash dump. */
#define crash_hook(where)                                            \
	do {                                                         \
		crash_point_fn crash_hook_fn_ = crash_point_handler; \
		if (crash_hook_fn_)                                  \
			crash_hook_fn_(where);                       \
	} while (0)

#endif
