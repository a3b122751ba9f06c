/* Magic SysRq from the network. With netconsole_sysrq=SECRET on the command
 * line, a datagram "SYSRQ SECRET KEY" (a newline may follow) from a
 * netconsole target's host to the kernel's netconsole port runs KEY; a SYSRQ
 * datagram with another secret, or none, is ignored and counted, with one
 * log line per burst. Without the parameter nothing on the network is ever
 * acted on. netsysrq_init() runs at boot (normal context); netsysrq_rx()
 * from the receive path, device claimed (IRQ context or polled), so what it
 * runs or prints waits for the interrupt's end (irq_work). netsysrq_parse()
 * is pure and host-tested. */
#ifndef NETCONSOLE_NETSYSRQ_H
#define NETCONSOLE_NETSYSRQ_H

#include <stdbool.h>
#include <stddef.h>

#define NETSYSRQ_SECRET_MAX 64

enum netsysrq_verdict {
	NETSYSRQ_NOT_SYSRQ, /* some other datagram: not ours */
	NETSYSRQ_ACCEPT, /* the right secret and one key: run it */
	NETSYSRQ_REJECT, /* a SYSRQ datagram with a wrong or missing secret, or malformed */
};

enum netsysrq_verdict netsysrq_parse(const char *payload, size_t len, const char *secret,
				     char *key);

/* Reads netconsole_sysrq=; true when it is set. */
bool netsysrq_init(void);
/* True when the datagram was a SYSRQ one (accepted or rejected). */
bool netsysrq_rx(const char *payload, size_t len);

#endif
