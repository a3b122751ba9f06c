/* The 16550 UART on COM1 as the serial console. serial_init() runs first
 * thing at boot; serial_console may then be registered. Writes poll the
 * transmitter, so they work from any context, the oops path included.
 * serial_irq_init() (boot, normal context, after irq_init()) takes the
 * receive interrupt for magic SysRq: a BREAK, then the key, as Linux's
 * serial drivers do it. */
#ifndef KERNEL_SERIAL_H
#define KERNEL_SERIAL_H

#include "kernel/console.h"

void serial_init(void);
void serial_irq_init(void);
extern struct console serial_console;

#endif
