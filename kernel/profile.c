#include "kernel/profile.h"

#include "kernel/io.h"
#include "kernel/string.h"

bool profile_on;
static uint64_t cycles_by_stage[PROFILE_STAGES];
static enum profile_stage current;
static uint64_t last_switch;

static const char *const stage_names[PROFILE_STAGES] = {
	[PROFILE_OTHER] = "other",     [PROFILE_FORMAT] = "format",	[PROFILE_RING] = "ring",
	[PROFILE_CONSOLE] = "console", [PROFILE_LINK] = "link",		[PROFILE_FRAME] = "frame",
	[PROFILE_DRIVER] = "driver",   [PROFILE_DOORBELL] = "doorbell", [PROFILE_IRQ] = "irq",
};

enum profile_stage profile_switch(enum profile_stage stage)
{
	uint64_t now = rdtsc();
	enum profile_stage left = current;
	cycles_by_stage[left] += now - last_switch;
	last_switch = now;
	current = stage;
	return left;
}

void profile_start(void)
{
	memset(cycles_by_stage, 0, sizeof(cycles_by_stage));
	current = PROFILE_OTHER;
	last_switch = rdtsc();
	profile_on = true;
}

void profile_stop(uint64_t cycles[PROFILE_STAGES])
{
	profile_switch(PROFILE_OTHER);
	profile_on = false;
	memcpy(cycles, cycles_by_stage, sizeof(cycles_by_stage));
}

const char *profile_stage_name(enum profile_stage stage)
{
	return stage < PROFILE_STAGES ? stage_names[stage] : "?";
}
