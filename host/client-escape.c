/* Escaping of received bytes for display and for files. */
#include "host/client-escape.h"

#include <stdbool.h>

static bool printable(unsigned char byte)
{
	return byte >= 0x20 && byte <= 0x7e;
}

static size_t escape(const void *in, size_t len, char *out, bool one_line)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *bytes = in;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char byte = bytes[i];
		bool verbatim = one_line ? printable(byte) && byte != '\\'
					 : printable(byte) || byte == '\n' || byte == '\t';

		if (verbatim) {
			out[n++] = (char)byte;
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[byte >> 4];
		out[n++] = hex[byte & 0xf];
	}
	return n;
}

size_t client_escape(const void *in, size_t len, char *out)
{
	return escape(in, len, out, false);
}

char *client_escape_line(const void *in, size_t len, char *out)
{
	out[escape(in, len, out, true)] = '\0';
	return out;
}
