/* Makes bytes from the wire safe to show: a packet must not be able to
 * drive the terminal or forge a line in a file, so only printable ASCII
 * (and in running text '\n' and '\t') pass through and every other byte
 * becomes \xNN. Host only, any context (pure functions). */
#ifndef HOST_CLIENT_ESCAPE_H
#define HOST_CLIENT_ESCAPE_H

#include <stddef.h>

/* An escaped byte takes at most this many output bytes. */
#define CLIENT_ESCAPE_MAX_EXPANSION 4

/* Running text (log records): writes the escaped form of in[0..len) to out,
 * which must hold CLIENT_ESCAPE_MAX_EXPANSION * len bytes; returns the bytes
 * written (no NUL). '\n' and '\t' pass. */
size_t client_escape(const void *in, size_t len, char *out);

/* One field of a line (a kernel release, a panic string): as above, but
 * '\n', '\t' and '\\' are escaped too, so the result is one unambiguous
 * line. out must hold CLIENT_ESCAPE_MAX_EXPANSION * len + 1 bytes; it is
 * NUL-terminated. Returns out. */
char *client_escape_line(const void *in, size_t len, char *out);

#endif
