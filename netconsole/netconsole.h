/* Netconsole: a console target that sends every log record as a UDP packet
 * straight through a polled net device, without a network stack.
 * netconsole_init() runs once at boot in normal context, after the NICs are
 * probed; the console write path works from any context, the oops included. */
#ifndef NETCONSOLE_NETCONSOLE_H
#define NETCONSOLE_NETCONSOLE_H

/* Parses netconsole=, ip= and the 2001 parameters from the kernel command
 * line, brings the chosen devices up and registers the console (replaying
 * the log ring). A bad configuration is reported and leaves netconsole off. */
void netconsole_init(void);

#include <stdint.h>

struct net_device;
struct netpoll;

/* The netpoll of target index (device, source and target addresses and
 * ports, resolved MAC), or NULL when there is no such target. Any context,
 * after netconsole_init(). */
const struct netpoll *netconsole_netpoll(unsigned index);
/* The source address of the first IPv4 target on dev, or 0 when none is
 * on it.
 * Any context, after netconsole_init(). */
uint32_t netconsole_source_ip(const struct net_device *dev);

#endif
