/* What the kernel records about its own emergency path, for tests that read
 * it back from a crash dump (gdb on netdump's core, tests/qemu/netdump.t)
 * and hold it against QEMU's own log; never printed, so the oops text stays
 * Linux's. Exception entries per vector (the trap entry path), sends begun
 * during an oops and how many of them found interrupts enabled, and locks
 * taken during an oops in a way that may wait (spin_lock_irqsave), plus
 * each step spent waiting. Any context, any CPU: atomic increments, no
 * lock; sends and waits count only on the CPU reporting the oops (another
 * CPU goes on normally until the panic stops it). */
#ifndef KERNEL_OOPS_AUDIT_H
#define KERNEL_OOPS_AUDIT_H

#include <stdint.h>

#define OOPS_AUDIT_VECTORS 32

struct oops_audit {
	uint32_t exception_entries[OOPS_AUDIT_VECTORS];
	uint32_t oops_sends;
	uint32_t oops_sends_irqs_on;
	uint32_t oops_lock_waits;
};

extern volatile struct oops_audit oops_audit;

/* Trap entry, for a CPU exception (vector below 32). */
void oops_audit_exception(unsigned vector);
/* Any context, at the start of each console delivery and each net-device
 * claim (every frame sent, every poll): in an oops, counts the send and
 * whether EFLAGS.IF was set. */
void oops_audit_send(void);
/* Any context, in an oops: a lock taken in a way that may wait, or a step
 * spent waiting (kernel/spinlock.h). */
void oops_audit_lock_wait(void);

#endif
