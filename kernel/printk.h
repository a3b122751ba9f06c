/* printk with Linux's KERN_* levels, stored in the log ring and delivered to
 * every console at once. Callable from any context; during an oops the log
 * lock is broken rather than waited for (see oops_in_progress). */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/logring.h"
#include "kernel/spinlock.h" /* oops_in_progress */

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"

#define LOGLEVEL_DEFAULT 4 /* level of a printk without a KERN_ prefix */

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)

/* Records with a level below this reach the consoles (loglevel=). */
extern int console_loglevel;

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);

/* The log ring printk writes to (consoles read it through console.c). */
struct logring *printk_logring(void);
/* Any context: takes the log lock with interrupts off (taken over in an
 * oops); returns the flags printk_unlock() restores. */
uint32_t printk_lock(void);
void printk_unlock(uint32_t flags);
/* Any context: true when this CPU holds the log lock (an NMI that broke
 * into printk must not print). */
bool printk_lock_held_here(void);

#endif
