/* netconsole-client's UDP sockets: bind, receive one datagram without
 * blocking, send a reply, name an address. Addresses are IPv6 socket
 * addresses throughout; an IPv4 one is IPv4-mapped (::ffff:10.0.7.5), as a
 * dual-stack socket reports it. Host only, normal process context; errors
 * are reported on stderr. */
#ifndef HOST_CLIENT_SOCKET_H
#define HOST_CLIENT_SOCKET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Larger than any UDP payload, so no datagram is ever truncated. */
#define CLIENT_MAX_PAYLOAD 65536
/* "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535" */
#define CLIENT_ADDRESS_MAX (INET6_ADDRSTRLEN + 8)

struct client_packet {
	struct sockaddr_in6 sender;
	size_t len;
	unsigned char payload[CLIENT_MAX_PAYLOAD];
};

/* The address as people write it: "10.0.7.5" for an IPv4-mapped one, else
 * RFC 5952 ("fd00:7::5"); buf holds INET6_ADDRSTRLEN bytes. Returns buf. */
const char *client_format_ip(const struct in6_addr *ip, char *buf);
/* "10.0.7.5:6665" or "[fd00:7::5]:6665" in buf (CLIENT_ADDRESS_MAX bytes);
 * returns buf. */
const char *client_format_address(const struct sockaddr_in6 *addr, char *buf);

/* Parses an IPv4 address (stored IPv4-mapped) or an IPv6 one, bare or in
 * brackets; returns 0, or -1 when text is neither. */
int client_parse_ip(const char *text, struct in6_addr *ip);
/* The socket address of IPv4 address ip (host order) and port. */
struct sockaddr_in6 client_ipv4_address(uint32_t ip, uint16_t port);
bool client_is_ipv4(const struct in6_addr *ip);
bool client_same_address(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b);

/* A UDP socket bound to addr:port whose receive buffer is asked to be
 * rcvbuf bytes (root may go past rmem_max). The unspecified address (::)
 * and IPv4-mapped ones take IPv4 as well; where the kernel has no IPv6
 * those fall back to an IPv4 socket. Returns the fd or -1. */
int client_open_socket(const struct in6_addr *addr, unsigned short port, int rcvbuf);

/* Returns 1 with a datagram in packet, 0 when there is none waiting, -1 on
 * a socket error. */
int client_receive(int sock, struct client_packet *packet);

/* Sends one datagram; a failure is reported (what names it) and
 * otherwise ignored, as UDP loses datagrams anyway. */
void client_send(int sock, const struct sockaddr_in6 *to, const void *buf, size_t len,
		 const char *what);

#endif
