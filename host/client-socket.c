/* netconsole-client's UDP sockets. */
#include "host/client-socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROG "netconsole-client"

bool client_is_ipv4(const struct in6_addr *ip)
{
	return IN6_IS_ADDR_V4MAPPED(ip);
}

const char *client_format_ip(const struct in6_addr *ip, char *buf)
{
	if (client_is_ipv4(ip))
		inet_ntop(AF_INET, &ip->s6_addr[12], buf, INET6_ADDRSTRLEN);
	else
		inet_ntop(AF_INET6, ip, buf, INET6_ADDRSTRLEN);
	return buf;
}

const char *client_format_address(const struct sockaddr_in6 *addr, char *buf)
{
	char ip[INET6_ADDRSTRLEN];
	bool v4 = client_is_ipv4(&addr->sin6_addr);

	client_format_ip(&addr->sin6_addr, ip);
	snprintf(buf, CLIENT_ADDRESS_MAX, v4 ? "%s:%u" : "[%s]:%u", ip, ntohs(addr->sin6_port));
	return buf;
}

int client_parse_ip(const char *text, struct in6_addr *ip)
{
	struct in_addr v4;
	char bare[INET6_ADDRSTRLEN];
	size_t len = strlen(text);

	if (inet_pton(AF_INET, text, &v4) == 1) {
		*ip = client_ipv4_address(ntohl(v4.s_addr), 0).sin6_addr;
		return 0;
	}
	if (len >= 2 && text[0] == '[' && text[len - 1] == ']' && len - 2 < sizeof(bare)) {
		memcpy(bare, text + 1, len - 2);
		bare[len - 2] = '\0';
		text = bare;
	}
	return inet_pton(AF_INET6, text, ip) == 1 ? 0 : -1;
}

struct sockaddr_in6 client_ipv4_address(uint32_t ip, uint16_t port)
{
	struct sockaddr_in6 a;
	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons(port);
	a.sin6_addr.s6_addr[10] = 0xff;
	a.sin6_addr.s6_addr[11] = 0xff;
	uint32_t be = htonl(ip);
	memcpy(&a.sin6_addr.s6_addr[12], &be, 4);
	return a;
}

bool client_same_address(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
	return IN6_ARE_ADDR_EQUAL(&a->sin6_addr, &b->sin6_addr) && a->sin6_port == b->sin6_port;
}

/* Whether sock is an IPv4 socket, the fallback on a kernel without IPv6. */
static bool socket_is_ipv4(int sock)
{
	int domain = AF_INET6;
	socklen_t len = sizeof(domain);
	getsockopt(sock, SOL_SOCKET, SO_DOMAIN, &domain, &len);
	return domain == AF_INET;
}

static void to_ipv4(const struct sockaddr_in6 *in, struct sockaddr_in *out)
{
	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	out->sin_port = in->sin6_port;
	memcpy(&out->sin_addr, &in->sin6_addr.s6_addr[12], 4);
}

int client_open_socket(const struct in6_addr *addr, unsigned short port, int rcvbuf)
{
	struct sockaddr_in6 local;
	struct sockaddr_in local4;
	char where[CLIENT_ADDRESS_MAX];
	bool takes_ipv4 = IN6_IS_ADDR_UNSPECIFIED(addr) || client_is_ipv4(addr);
	int sock, off = 0;

	memset(&local, 0, sizeof(local));
	local.sin6_family = AF_INET6;
	local.sin6_addr = *addr;
	local.sin6_port = htons(port);
	client_format_address(&local, where);

	sock = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 && errno == EAFNOSUPPORT && takes_ipv4) {
		sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		to_ipv4(&local, &local4);
	}
	if (sock < 0) {
		fprintf(stderr, PROG ": UDP socket for %s: %s\n", where, strerror(errno));
		return -1;
	}
	if (socket_is_ipv4(sock)
		    ? bind(sock, (struct sockaddr *)&local4, sizeof(local4)) < 0
		    : (takes_ipv4 &&
		       setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0) ||
			      bind(sock, (struct sockaddr *)&local, sizeof(local)) < 0) {
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
	struct sockaddr_storage from;
	socklen_t from_len = sizeof(from);
	ssize_t n;

	n = recvfrom(sock, packet->payload, sizeof(packet->payload), MSG_DONTWAIT,
		     (struct sockaddr *)&from, &from_len);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		fprintf(stderr, PROG ": recvfrom: %s\n", strerror(errno));
		return -1;
	}
	if (from.ss_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)&from;
		packet->sender =
			client_ipv4_address(ntohl(v4->sin_addr.s_addr), ntohs(v4->sin_port));
	} else {
		memcpy(&packet->sender, &from, sizeof(packet->sender));
	}
	packet->len = (size_t)n;
	return 1;
}

void client_send(int sock, const struct sockaddr_in6 *to, const void *buf, size_t len,
		 const char *what)
{
	struct sockaddr_in to4;
	int sent;

	if (socket_is_ipv4(sock)) {
		to_ipv4(to, &to4);
		sent = (int)sendto(sock, buf, len, 0, (const struct sockaddr *)&to4, sizeof(to4));
	} else {
		sent = (int)sendto(sock, buf, len, 0, (const struct sockaddr *)to, sizeof(*to));
	}
	if (sent < 0)
		fprintf(stderr, PROG ": sending %s: %s\n", what, strerror(errno));
}
