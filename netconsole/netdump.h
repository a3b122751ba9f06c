/* netdump: after a panic, streams every RAM range, the faulting registers
 * and a description to a host over UDP (netconsole/netdump_proto.h), which
 * writes an ELF core. netdump_init() runs once at boot in normal context
 * (after netconsole_init, from the boot sequence); the dump itself runs as a late panic handler,
 * interrupts off, bounded in time. netdump_parse_config() is pure. */
#ifndef NETCONSOLE_NETDUMP_H
#define NETCONSOLE_NETDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "netconsole/config.h"

/* Herald and FINISH: this many tries, each waiting this long for the ack.
 * With no host listening the panic is delayed by at most their product. */
#define NETDUMP_CONTROL_TRIES 8
#define NETDUMP_CONTROL_WAIT_MS 250
/* Data: a dump with no acknowledgement at all for this long is abandoned. */
#define NETDUMP_STALL_MS 3000
/* Hard limit on the whole dump, however slowly the host acknowledges. */
#define NETDUMP_TIME_LIMIT_MS 120000

/* A text written at boot into the .bss symbol netdump_canary, so a test can
 * read it back from the core (gdb: x/s &netdump_canary): the ELF file holds
 * no bytes for it, only the dumped memory does. */
#define NETDUMP_CANARY_TEXT "netdump canary: read back from the crash dump"
extern char netdump_canary[64];

/* Parses the value of netdump=[port@]<host-ip>, the address IPv4 or IPv6
 * (bare or in brackets). Returns 0, or -1 with a message in err. */
int netdump_parse_config(const char *value, size_t len, uint16_t *port, struct netconsole_ip *host,
			 char *err, size_t err_size);

struct netpoll;

/* Boot, normal context: reads netdump= from the command line; when given,
 * sets up the sender on the device and source address of nc (netconsole's
 * first target; NULL when netconsole is off) and arms the dump. */
void netdump_init(const struct netpoll *nc);

#endif
