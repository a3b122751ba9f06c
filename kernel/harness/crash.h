/* Deliberate crash sites, selected with crash=SITE. Each site faults for real
 * in its own named function. crash_init() parses the parameter at boot;
 * crash_run_init_site() runs from init (normal context); crash_point() is
 * called from the places that can host a site (timer and NIC interrupt
 * handlers: IRQ context; the oops report: oops context) and faults only when that site was chosen and armed. */
#ifndef HARNESS_CRASH_H
#define HARNESS_CRASH_H

enum crash_point_id {
	CRASH_POINT_TIMER_IRQ,
	CRASH_POINT_NIC_IRQ,
	CRASH_POINT_OOPS_REPORT, /* inside the oops path, after the call trace */
	CRASH_POINT_NIC_TX_QUEUED, /* transmit path, lock held, frame given to the NIC */
	CRASH_POINT_NIC_TX_RING_FULL, /* transmit path, lock held, no descriptor free */
};

void crash_init(void);
/* Called before the NICs are probed: runs the early site. */
void crash_run_early_site(void);
/* Called at the end of init: runs an init-* site, arms the IRQ sites. */
void crash_run_init_site(void);
void crash_point(enum crash_point_id where);
/* Name of the chosen site ("none" by default). */
const char *crash_site_name(void);

#endif
