/* netconsole-client's UDP sockets. */
#include "host/client-socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROG "netconsole-client"

const char *client_format_address(const struct sockaddr_in *addr, char *buf)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &addr->sin_addr, ip, sizeof(ip));
	snprintf(buf, CLIENT_ADDRESS_MAX, "%s:%u", ip, ntohs(addr->sin_port));
	return buf;
}

int client_open_socket(struct in_addr addr, unsigned short port, int rcvbuf)
{
	struct sockaddr_in local;
	char where[CLIENT_ADDRESS_MAX];
	int sock;

	memset(&local, 0, sizeof(local));
	local.sin_family = AF_INET;
	local.sin_addr = addr;
	local.sin_port = htons(port);
	client_format_address(&local, where);

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		fprintf(stderr, PROG ": UDP socket for %s: %s\n", where, strerror(errno));
		return -1;
	}
	if (bind(sock, (struct sockaddr *)&local, sizeof(local)) < 0) {
		fprintf(stderr, PROG ": cannot bind UDP %s: %s\n", where, strerror(errno));
		close(sock);
		return -1;
	}
	/* FORCE lifts rmem_max for root; otherwise take what is allowed. */
	if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return sock;
}

int client_receive(int sock, struct client_packet *packet)
{
	socklen_t sender_len = sizeof(packet->sender);
	ssize_t n;

	n = recvfrom(sock, packet->payload, sizeof(packet->payload), MSG_DONTWAIT,
		     (struct sockaddr *)&packet->sender, &sender_len);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		fprintf(stderr, PROG ": recvfrom: %s\n", strerror(errno));
		return -1;
	}
	packet->len = (size_t)n;
	return 1;
}

void client_send(int sock, const struct sockaddr_in *to, const void *buf, size_t len,
		 const char *what)
{
	if (sendto(sock, buf, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		fprintf(stderr, PROG ": sending %s: %s\n", what, strerror(errno));
}
