/* The 16550 UART on COM1 as the serial console. serial_init() runs first
 * thing at boot; serial_console may then be registered. Writes poll the
 * transmitter, so they work from any context, the oops path included. */
#ifndef KERNEL_SERIAL_H
#define KERNEL_SERIAL_H

#include "kernel/console.h"

void serial_init(void);
extern struct console serial_console;

#endif
