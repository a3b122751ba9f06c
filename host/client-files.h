/* The files netconsole-client writes outside the dump directory:
 * transcripts, the raw log and the ready file. Host only, normal process
 * context; errors are reported on stderr (except by
 * client_replace_file_at, whose callers name what failed). */
#ifndef HOST_CLIENT_FILES_H
#define HOST_CLIENT_FILES_H

#include <stddef.h>

/* No file is opened through a symlink: a link where one is expected makes
 * the open fail (a name the user gave) or is removed first (a name the
 * listener made up, such as FILE.IP-PORT or a temporary). */

/* Creates or truncates path, a name the user gave, for writing. Returns the
 * fd, or -1 with a message. */
int client_create_file(const char *path);

/* Opens path for appending, creating it if it is gone. Returns the fd, or
 * -1 with a message. */
int client_append_file(const char *path);

/* Creates name (relative to dir_fd, or AT_FDCWD) afresh with open flags
 * (O_WRONLY or O_RDWR): whatever has that name, a file or a planted link,
 * is removed first. Returns the fd, or -1 with errno set. */
int client_replace_file_at(int dir_fd, const char *name, int flags);

/* Writes all of data, retrying short writes. Returns 0 or -1 (errno set). */
int client_write_all(int fd, const void *data, size_t len);

/* Writes "IP:PORT\n" of the socket's local address to path, under a
 * temporary name renamed into place, so a script polling for the file
 * never reads it half-written. Returns 0 or -1 with a message. */
int client_write_ready_file(const char *path, int sock);

#endif
