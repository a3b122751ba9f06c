/* panic() and panic=N. panic() may be called from any context; it never
 * returns: it prints "Kernel panic - not syncing: ...", flushes every console,
 * then halts (panic=0), reboots after N seconds (N>0) or at once (N<0). */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

void panic_init(void);
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#endif
