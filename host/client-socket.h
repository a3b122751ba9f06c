/* netconsole-client's UDP sockets: bind, receive one datagram without
 * blocking, send a reply, name an address. Host only, normal process
 * context; errors are reported on stderr. */
#ifndef HOST_CLIENT_SOCKET_H
#define HOST_CLIENT_SOCKET_H

#include <netinet/in.h>
#include <stddef.h>

/* Larger than any IPv4 UDP payload, so no datagram is ever truncated. */
#define CLIENT_MAX_PAYLOAD 65536
/* "255.255.255.255:65535" */
#define CLIENT_ADDRESS_MAX (INET_ADDRSTRLEN + 6)

struct client_packet {
	struct sockaddr_in sender;
	size_t len;
	unsigned char payload[CLIENT_MAX_PAYLOAD];
};

/* "IP:PORT" in buf (CLIENT_ADDRESS_MAX bytes); returns buf. */
const char *client_format_address(const struct sockaddr_in *addr, char *buf);

/* A UDP socket bound to addr:port whose receive buffer is asked to be
 * rcvbuf bytes (root may go past rmem_max). Returns the fd or -1. */
int client_open_socket(struct in_addr addr, unsigned short port, int rcvbuf);

/* Returns 1 with a datagram in packet, 0 when there is none waiting, -1 on
 * a socket error. */
int client_receive(int sock, struct client_packet *packet);

/* Sends one datagram; a failure is reported (what names it) and
 * otherwise ignored, as UDP loses datagrams anyway. */
void client_send(int sock, const struct sockaddr_in *to, const void *buf, size_t len,
		 const char *what);

#endif
