/* udp-send: test helper that sends datagrams from a chosen source address,
 * so tests can play the netconsole sender on loopback.
 *   udp-send [--from IP:PORT] --to IP:PORT [--file F | TEXT...]
 * Each TEXT is one datagram; with --file, each line (newline kept) is one.
 * Destinations are limited to loopback and the harness network 10.0.7.0/24,
 * which only exists inside the test namespaces. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROG "udp-send"

static int usage(const char *problem)
{
	fprintf(stderr,
		PROG ": %s\n"
		     "usage: " PROG " [--from IP:PORT] --to IP:PORT [--file FILE | TEXT...]\n",
		problem);
	return 2;
}

static int parse_endpoint(const char *text, struct sockaddr_in *addr)
{
	const char *colon = strrchr(text, ':');
	char ip[INET_ADDRSTRLEN];
	unsigned long port;
	char *end;

	if (!colon || (size_t)(colon - text) >= sizeof(ip) || colon[1] < '0' || colon[1] > '9')
		return -1;
	memcpy(ip, text, (size_t)(colon - text));
	ip[colon - text] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (*end || errno || port > 65535)
		return -1;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_port = htons((unsigned short)port);
	return inet_pton(AF_INET, ip, &addr->sin_addr) == 1 ? 0 : -1;
}

static bool destination_allowed(const struct sockaddr_in *to)
{
	uint32_t ip = ntohl(to->sin_addr.s_addr);

	return (ip & 0xff000000u) == 0x7f000000u || (ip & 0xffffff00u) == 0x0a000700u;
}

static int send_datagram(int sock, const struct sockaddr_in *to, const void *data, size_t len)
{
	if (sendto(sock, data, len, 0, (const struct sockaddr *)to, sizeof(*to)) == (ssize_t)len)
		return 0;
	fprintf(stderr, PROG ": sendto: %s\n", strerror(errno));
	return -1;
}

static int send_file_lines(int sock, const struct sockaddr_in *to, const char *path)
{
	FILE *file = fopen(path, "r");
	char *line = NULL;
	size_t capacity = 0;
	ssize_t len;
	int result = 0;

	if (!file) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (result == 0 && (len = getline(&line, &capacity, file)) >= 0)
		result = send_datagram(sock, to, line, (size_t)len);
	if (result == 0 && ferror(file)) {
		fprintf(stderr, PROG ": reading %s: %s\n", path, strerror(errno));
		result = -1;
	}
	free(line);
	fclose(file);
	return result;
}

int main(int argc, char **argv)
{
	struct sockaddr_in from, to;
	bool have_from = false, have_to = false;
	const char *file_path = NULL;
	int i, sock, result = 0;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			return usage("option needs a value");
		if (strcmp(argv[i], "--from") == 0) {
			if (parse_endpoint(argv[++i], &from) < 0)
				return usage("--from: want IP:PORT");
			have_from = true;
		} else if (strcmp(argv[i], "--to") == 0) {
			if (parse_endpoint(argv[++i], &to) < 0)
				return usage("--to: want IP:PORT");
			have_to = true;
		} else if (strcmp(argv[i], "--file") == 0) {
			file_path = argv[++i];
		} else {
			return usage("unknown option");
		}
	}
	if (!have_to)
		return usage("--to is required");
	if (!destination_allowed(&to)) {
		fprintf(stderr,
			PROG ": refusing to send to %s: only 127.0.0.0/8 and the test network "
			     "10.0.7.0/24 are allowed\n",
			inet_ntoa(to.sin_addr));
		return 2;
	}
	if (file_path && i < argc)
		return usage("give either --file or TEXT arguments, not both");

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		fprintf(stderr, PROG ": socket: %s\n", strerror(errno));
		return 2;
	}
	if (have_from && bind(sock, (struct sockaddr *)&from, sizeof(from)) < 0) {
		fprintf(stderr, PROG ": cannot bind %s:%u: %s\n", inet_ntoa(from.sin_addr),
			ntohs(from.sin_port), strerror(errno));
		close(sock);
		return 2;
	}
	if (file_path)
		result = send_file_lines(sock, &to, file_path);
	for (; result == 0 && i < argc; i++)
		result = send_datagram(sock, &to, argv[i], strlen(argv[i]));
	close(sock);
	return result == 0 ? 0 : 1;
}
