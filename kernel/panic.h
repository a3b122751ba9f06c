/* panic() and panic=N. panic() may be called from any context; it never
 * returns: it prints "Kernel panic - not syncing: ...", flushes every console,
 * then halts (panic=0), reboots after N seconds (N>0) or at once (N<0). */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>

void panic_init(void);

/* panic_on_warn=1: a WARN panics instead of going on (Linux's
 * kernel.panic_on_warn). Read from any context. */
extern bool panic_on_warn;

/* Work that runs after the panic report has been printed and flushed (a crash
 * dump, retransmissions), with interrupts off, before panic= acts. Handlers
 * run in registration order and must each finish in bounded time. Register
 * at boot, normal context. */
typedef void (*panic_hook_fn)(void);
int panic_register_late(panic_hook_fn fn);
/* Work that runs at the start of panic(), before its message, with interrupts
 * off: bringing up a console that boot had not reached yet, so that the whole
 * log ring and the report still go out through it. Same rules as above. */
int panic_register_early(panic_hook_fn fn);
/* The text panic() was called with ("" before any panic). Any context. */
const char *panic_message(void);
/* Any context: reset the machine at once (as panic=-1 does), or power it
 * off; neither returns. */
__attribute__((noreturn)) void machine_emergency_restart(void);
__attribute__((noreturn)) void machine_power_off(void);
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#endif
