/* chatter=MS:COUNT makes the kernel log COUNT numbered lines, one every MS
 * milliseconds, at the end of boot and before the crash site runs: a steady
 * log for tests that cut the network meanwhile, and a crash that comes late.
 * chatter_run() runs once from init (normal context, interrupts on). */
#ifndef HARNESS_CHATTER_H
#define HARNESS_CHATTER_H

void chatter_run(void);

#endif
