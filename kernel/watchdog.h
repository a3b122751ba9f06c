/* The lockup detectors, as Linux's watchdog, both timed by watchdog_thresh=.
 * Soft lockup: the timer interrupt checks that the kernel came back to a
 * point where it shows it is not stuck (the idle loop touches the watchdog)
 * within 2 * watchdog_thresh seconds, and reports "watchdog: BUG: soft
 * lockup" with the registers and trace of the code it interrupted (panicking
 * with softlockup_panic=1), on every CPU: each CPU's idle loop touches its
 * own, and its own timer interrupt checks it (the PIT's on CPU 0, the local
 * APIC timer's on the others).
 * Hard lockup: an NMI every RTC_PERIODIC_MS on every CPU (the RTC's periodic
 * interrupt, routed by the I/O APIC as an NMI) checks that the CPU's own
 * timer interrupt (the PIT's on CPU 0, the local APIC timer's on the others)
 * still advances; when it has not for watchdog_thresh seconds, across at
 * least two NMIs, the CPU spins with interrupts off: "NMI watchdog: Watchdog
 * detected hard LOCKUP on cpu N", its registers and trace, and the panic
 * "Hard LOCKUP" (Linux's hardlockup_panic=1).
 * watchdog_init() and watchdog_start() run at boot, normal context;
 * watchdog_touch(), watchdog_touch_nmi() and watchdog_nmi_stop() may be
 * called from any context;
 * watchdog_tick() from the timer interrupt only; watchdog_nmi() from the NMI
 * handler only. */
#ifndef KERNEL_WATCHDOG_H
#define KERNEL_WATCHDOG_H

#include <stdbool.h>

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
/* Linux's touch_nmi_watchdog(): this CPU keeps interrupts off on purpose
 * for a while (a flood written with interrupts off): its next watchdog NMI
 * counts as if its timer had ticked. Any context. */
void watchdog_touch_nmi(void);
/* Every timer tick of this CPU's own timer; regs is the interrupted
 * context. */
void watchdog_tick(const struct trap_frame *regs);
/* The NMI handler's question, after the panic's stop (smp_nmi()): while the
 * watchdog's NMI source runs, every other NMI is its own, and this checks
 * this CPU for a hard lockup (not returning when it reports one). False when
 * the source never ran: the NMI is someone else's. */
bool watchdog_nmi(const struct trap_frame *frame);
/* An oops or panic has begun: the NMI source stops, so the report's long
 * stretch with interrupts off is not taken for a lockup, and no watchdog
 * NMI lands in it. */
void watchdog_nmi_stop(void);

#endif
