/* Magic SysRq, as in Linux: a key that asks the kernel to act at once (log
 * level 0-9, c crash, p registers, l backtrace of every CPU, m memory, t
 * tasks, b reboot, o power off; any other key prints the help line), with
 * Linux's texts. On by default (sysrq_always_enabled); sysrq=0 turns it off.
 * handle_sysrq() runs a key at once, from an interrupt handler that holds no
 * device (the serial line's); sysrq_queue() takes a key from a context that
 * does (a NIC's receive path), and the key runs when that interrupt's
 * handlers have returned (an irq_work). */
#ifndef KERNEL_SYSRQ_H
#define KERNEL_SYSRQ_H

#include <stdbool.h>

/* Boot, normal context: reads sysrq=. */
void sysrq_init(void);
bool sysrq_on(void);
/* IRQ context; returns only when the key does (c panics, b and o end). */
void handle_sysrq(char key);
/* Any context: the key runs after the current interrupt's handlers. */
void sysrq_queue(char key);

#endif
