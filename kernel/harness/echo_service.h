/* The echo service (echo=DEV): a second user of a NIC netconsole already
 * drives. From the device's interrupt handler it answers ICMP echo requests
 * and echoes UDP datagrams sent to port 7 (RFC 862) for netconsole's source
 * address on DEV; ARP for that address is netpoll's. It stays silent once an
 * oops is in progress, leaving the NIC to the oops. */
#ifndef HARNESS_ECHO_SERVICE_H
#define HARNESS_ECHO_SERVICE_H

#define ECHO_SERVICE_UDP_PORT 7

/* Boot, normal context, after netconsole_init(): parses echo= and starts the
 * service, or reports why it cannot (no such device, no netconsole target
 * on it to take the address from). */
void echo_service_init(void);

#endif
