/* Escaping of received payloads for display. */
#include "host/client-escape.h"

#include <stdbool.h>

static bool shown_verbatim(unsigned char byte)
{
	return (byte >= 0x20 && byte <= 0x7e) || byte == '\n' || byte == '\t';
}

size_t client_escape(const void *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *bytes = in;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (shown_verbatim(bytes[i])) {
			out[n++] = (char)bytes[i];
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[bytes[i] >> 4];
		out[n++] = hex[bytes[i] & 0xf];
	}
	return n;
}
