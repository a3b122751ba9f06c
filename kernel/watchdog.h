/* The soft-lockup detector, as Linux's watchdog: the timer interrupt checks
 * that the kernel came back to a point where it shows it is not stuck (the
 * idle loop touches the watchdog) within 2 * watchdog_thresh seconds, and
 * reports "watchdog: BUG: soft lockup" with the registers and trace of the
 * code it interrupted (panicking with softlockup_panic=1). watchdog_init()
 * and watchdog_start() run at boot, normal context; watchdog_touch() may be
 * called from any context; watchdog_tick() from the timer interrupt only.
 * With several CPUs the timer interrupt (the PIT's) comes to the boot CPU
 * alone, so the boot CPU is the one watched; the others' local APIC timers
 * do not feed it.
 * (A hard-lockup NMI watchdog would live here too.) */
#ifndef KERNEL_WATCHDOG_H
#define KERNEL_WATCHDOG_H

#include "kernel/traps.h"

/* watchdog_thresh= when the command line gives none: short, so a test sees
 * a soft lockup 2 s after it began (Linux's default is 10). */
#define WATCHDOG_THRESH_DEFAULT 1
#define WATCHDOG_THRESH_MAX 60

/* Reads watchdog_thresh= (seconds, 0 turns the detector off) and
 * softlockup_panic=; a bad value is reported and the default kept. */
void watchdog_init(void);
/* From now on the kernel must touch the watchdog (boot calls it once the
 * long boot-time work is done). */
void watchdog_start(void);
void watchdog_touch(void);
/* Every timer tick; regs is the interrupted context. */
void watchdog_tick(const struct trap_frame *regs);

#endif
