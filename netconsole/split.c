#include "netconsole/split.h"

unsigned netconsole_split(const char *msg, size_t len, size_t max, netconsole_chunk_fn fn,
			  void *ctx)
{
	unsigned pieces = 0;
	for (size_t off = 0; off < len; pieces++) {
		size_t n = len - off < max ? len - off : max;
		fn(msg + off, n, ctx);
		off += n;
	}
	return pieces;
}
