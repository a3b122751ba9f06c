/* Where a log record's time goes, for bench=profile: TSC cycles charged to
 * the stage that spent them, from printk to the NIC's doorbell. Each layer
 * marks its own stage with profile_enter(), which charges the cycles since
 * the last switch to the stage being left, so nested stages count only
 * their own time and the stages add up to the whole run. Off (one load and
 * a branch) unless the bench turns it on. Any context; one global set of
 * counts, meant for one CPU flooding while the others idle (the bench). */
#ifndef KERNEL_PROFILE_H
#define KERNEL_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

enum profile_stage {
	PROFILE_OTHER, /* the caller of printk: the bench loop */
	PROFILE_FORMAT, /* printk: the text formatted, cut into lines */
	PROFILE_RING, /* the log lock, the timestamp, the copy into the ring */
	PROFILE_CONSOLE, /* delivery: the record out of the ring, its line or extended header */
	PROFILE_LINK, /* netconsole's link check */
	PROFILE_FRAME, /* headers, payload and checksum of the frame */
	PROFILE_DRIVER, /* the device claim and the driver's queue op */
	PROFILE_DOORBELL, /* the driver's kick op */
	PROFILE_IRQ, /* interrupt handlers: the NIC's transmit completions, the timer */
	PROFILE_STAGES
};

extern bool profile_on;

enum profile_stage profile_switch(enum profile_stage stage);

/* Makes stage the one being charged; returns the one left, for the caller
 * to enter again when it is done. */
static inline enum profile_stage profile_enter(enum profile_stage stage)
{
	return profile_on ? profile_switch(stage) : stage;
}

/* Zeroes the counts and starts charging PROFILE_OTHER. */
void profile_start(void);
/* Stops; fills cycles[PROFILE_STAGES] with the counts. */
void profile_stop(uint64_t cycles[PROFILE_STAGES]);
/* The stage's name as bench=profile prints it ("format", "doorbell"). */
const char *profile_stage_name(enum profile_stage stage);

#endif
