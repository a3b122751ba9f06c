/* Deliberate crash sites, selected with crash=SITE. Each site faults for real
 * in its own named function. crash_init() parses the parameter at boot and
 * registers crash_point() as the handler of the core's crash points
 * (kernel/crash_point.h); crash_run_init_site() runs from init (normal
 * context); crash_point() runs wherever the core or a driver hooks it (timer
 * and NIC interrupt handlers: IRQ context; the transmit path, lock held; the
 * oops report: oops context) and faults only when that site was chosen and
 * armed. */
#ifndef HARNESS_CRASH_H
#define HARNESS_CRASH_H

#include "kernel/crash_point.h"

void crash_init(void);
/* Called before the NICs are probed: runs the early site. */
void crash_run_early_site(void);
/* Called at the end of init: runs an init-* site, arms the IRQ sites; with
 * crash_cpu=N (N > 0) on CPU N instead, returning at once. */
void crash_run_init_site(void);
void crash_point(enum crash_point_id where);
/* Name of the chosen site ("none" by default). */
const char *crash_site_name(void);

#endif
