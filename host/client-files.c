/* Transcript, raw-log and ready files. */
#include "host/client-files.h"
#include "host/client-socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROG "netconsole-client"

static int open_named(const char *path, int flags)
{
	int fd = open(path, flags | O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		fprintf(stderr, PROG ": %s: %s\n", path,
			errno == ELOOP ? "is a symbolic link; refusing to write through it"
				       : strerror(errno));
	return fd;
}

int client_create_file(const char *path)
{
	return open_named(path, O_TRUNC);
}

int client_append_file(const char *path)
{
	return open_named(path, O_APPEND);
}

int client_replace_file_at(int dir_fd, const char *name, int flags)
{
	int fd = openat(dir_fd, name, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0 && errno == EEXIST && unlinkat(dir_fd, name, 0) == 0)
		fd = openat(dir_fd, name, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	return fd;
}

int client_write_all(int fd, const void *data, size_t len)
{
	const unsigned char *bytes = data;

	while (len > 0) {
		ssize_t n = write(fd, bytes, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		bytes += n;
		len -= (size_t)n;
	}
	return 0;
}

int client_write_ready_file(const char *path, int sock)
{
	struct sockaddr_storage bound;
	struct sockaddr_in6 local;
	socklen_t bound_len = sizeof(bound);
	char where[CLIENT_ADDRESS_MAX], line[CLIENT_ADDRESS_MAX + 1], tmp_path[PATH_MAX];
	int fd, len, failed;

	if (getsockname(sock, (struct sockaddr *)&bound, &bound_len) < 0) {
		fprintf(stderr, PROG ": getsockname: %s\n", strerror(errno));
		return -1;
	}
	if (bound.ss_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)&bound;
		local = client_ipv4_address(ntohl(v4->sin_addr.s_addr), ntohs(v4->sin_port));
	} else {
		memcpy(&local, &bound, sizeof(local));
	}
	if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s.%ld.tmp", path, (long)getpid()) >=
	    sizeof(tmp_path)) {
		fprintf(stderr, PROG ": ready file name too long: %s\n", path);
		return -1;
	}
	fd = client_replace_file_at(AT_FDCWD, tmp_path, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, PROG ": ready file %s: %s\n", tmp_path, strerror(errno));
		return -1;
	}
	len = snprintf(line, sizeof(line), "%s\n", client_format_address(&local, where));
	failed = client_write_all(fd, line, (size_t)len) < 0;
	failed |= close(fd) < 0;
	if (failed || rename(tmp_path, path) < 0) {
		fprintf(stderr, PROG ": ready file %s: %s\n", path, strerror(errno));
		unlink(tmp_path);
		return -1;
	}
	return 0;
}
