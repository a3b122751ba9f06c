/* Makes received payloads safe to show: a packet must not be able to drive
 * the terminal, so only printable ASCII, '\n' and '\t' pass through and every
 * other byte becomes \xNN. Host only, any context (pure function). */
#ifndef HOST_CLIENT_ESCAPE_H
#define HOST_CLIENT_ESCAPE_H

#include <stddef.h>

/* An escaped byte takes at most this many output bytes. */
#define CLIENT_ESCAPE_MAX_EXPANSION 4

/* Writes the escaped form of in[0..len) to out, which must hold
 * CLIENT_ESCAPE_MAX_EXPANSION * len bytes; returns the bytes written (no NUL). */
size_t client_escape(const void *in, size_t len, char *out);

#endif
