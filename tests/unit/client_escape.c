/* Tests host/client-escape.c: only printable ASCII, newline and tab reach
 * the terminal verbatim; every other byte becomes \xNN. */
#include "tap.h"

#include "host/client-escape.c"

static const char *escape_string(const void *in, size_t len)
{
	static char out[1024];

	out[client_escape(in, len, out)] = '\0';
	return out;
}

int main(void)
{
	plan(12);
	unsigned char all[256], byte;
	size_t i, verbatim = 0, escaped_len;
	static char out[256 * CLIENT_ESCAPE_MAX_EXPANSION];
	int mismatches = 0;

	is_str(escape_string("[    0.012345] text\n", 20), "[    0.012345] text\n",
	       "a plain record passes unchanged");
	is_str(escape_string("a\tb", 3), "a\tb", "tab passes unchanged");
	is_str(escape_string("\x1b[2J", 4), "\\x1b[2J", "ESC is escaped");
	is_str(escape_string("\r\x7f\x08", 3), "\\x0d\\x7f\\x08",
	       "CR, DEL and backspace are escaped");
	is_str(escape_string("\x00\xff\x80", 3), "\\x00\\xff\\x80",
	       "NUL and high bytes are escaped");
	is_str(escape_string("\xc3\xa9", 2), "\\xc3\\xa9",
	       "UTF-8 sequences are escaped byte by byte");
	is_int(client_escape("", 0, out), 0, "empty input gives empty output");

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	escaped_len = client_escape(all, 256, out);
	for (i = 0; i < 256; i++) {
		byte = (unsigned char)i;
		if ((byte >= 0x20 && byte < 0x7f) || byte == '\n' || byte == '\t')
			verbatim++;
	}
	is_int(escaped_len, verbatim + 4 * (256 - verbatim),
	       "every byte is either verbatim or four characters");
	for (i = 0; i < escaped_len; i++) {
		byte = (unsigned char)out[i];
		mismatches += !((byte >= 0x20 && byte < 0x7f) || byte == '\n' || byte == '\t');
	}
	is_int(mismatches, 0, "escaped output holds no control or high bytes");

	/* A field of a line: nothing from the wire may start a new line. */
	char line[64 * CLIENT_ESCAPE_MAX_EXPANSION + 1];
	is_str(client_escape_line("6.1\ncomplete: yes", 17, line), "6.1\\x0acomplete: yes",
	       "a newline in a field is escaped");
	is_str(client_escape_line("a\tb\\x0a", 7, line), "a\\x09b\\x5cx0a",
	       "tab and backslash too, so an escape cannot be forged");
	is_str(client_escape_line("Kernel panic - not syncing", 26, line),
	       "Kernel panic - not syncing", "ordinary text passes");
	return done_testing();
}
