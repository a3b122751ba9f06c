/* The files netconsole-client writes outside the dump directory:
 * transcripts, the raw log and the ready file. Host only, normal process
 * context; errors are reported on stderr. */
#ifndef HOST_CLIENT_FILES_H
#define HOST_CLIENT_FILES_H

#include <stddef.h>

/* Creates or truncates path for writing. Returns the fd, or -1 with a
 * message. */
int client_create_file(const char *path);

/* Writes all of data, retrying short writes. Returns 0 or -1 (errno set). */
int client_write_all(int fd, const void *data, size_t len);

/* Writes "IP:PORT\n" of the socket's local address to path, under a
 * temporary name renamed into place, so a script polling for the file
 * never reads it half-written. Returns 0 or -1 with a message. */
int client_write_ready_file(const char *path, int sock);

#endif
