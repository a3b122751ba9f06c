/* Cuts a console line into UDP payloads of at most NETCONSOLE_CHUNK_MAX
 * bytes, in order and without adding bytes, so that the listener rebuilds the
 * line by concatenation. Pure; callable from any context, host-testable. */
#ifndef NETCONSOLE_SPLIT_H
#define NETCONSOLE_SPLIT_H

#include <stddef.h>

/* Linux's netconsole sends at most this much per packet as well. */
#define NETCONSOLE_CHUNK_MAX 1000

typedef void (*netconsole_chunk_fn)(const char *chunk, size_t len, void *ctx);

/* Calls fn once per piece of at most max bytes (max > 0), in order; nothing
 * for an empty message. Returns the number of pieces. */
unsigned netconsole_split(const char *msg, size_t len, size_t max, netconsole_chunk_fn fn,
			  void *ctx);

#endif
