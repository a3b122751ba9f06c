/* Splitting console lines into UDP payloads: pieces are in order, at most
 * the limit, and concatenate back to exactly the original line. */
#include "tap.h"

#include "netconsole/split.c"

struct collect {
	char buf[8192];
	size_t len;
	unsigned calls;
	size_t longest;
	size_t shortest;
};

static void collect_chunk(const char *chunk, size_t len, void *ctx)
{
	struct collect *c = ctx;
	memcpy(c->buf + c->len, chunk, len);
	c->len += len;
	c->calls++;
	if (len > c->longest)
		c->longest = len;
	if (c->calls == 1 || len < c->shortest)
		c->shortest = len;
}

static void check(size_t len, unsigned want_pieces)
{
	static char line[5000];
	for (size_t i = 0; i < len; i++)
		line[i] = (char)('a' + (i * 7) % 26);
	if (len)
		line[len - 1] = '\n';
	struct collect c = {.len = 0};
	unsigned pieces = netconsole_split(line, len, NETCONSOLE_CHUNK_MAX, collect_chunk, &c);
	is_int(pieces, want_pieces, "%zu bytes: %u pieces", len, want_pieces);
	is_int(c.calls, want_pieces, "%zu bytes: callback once per piece", len);
	is_int(c.len, len, "%zu bytes: no bytes added or lost", len);
	ok(memcmp(c.buf, line, len) == 0, "%zu bytes: pieces concatenate to the line", len);
	ok(c.longest <= NETCONSOLE_CHUNK_MAX, "%zu bytes: no piece above the limit", len);
	ok(len == 0 || c.shortest > 0, "%zu bytes: no empty piece", len);
}

int main(void)
{
	plan(57);
	check(0, 0);
	check(1, 1);
	check(80, 1);
	check(999, 1);
	check(1000, 1);
	check(1001, 2);
	check(2000, 2);
	check(2001, 3);
	check(4999, 5);

	struct collect c = {.len = 0};
	netconsole_split("abcdefg", 7, 3, collect_chunk, &c);
	is_int(c.calls, 3, "limit 3: abc def g");
	is_int(c.longest, 3, "limit 3: full pieces first");
	is_int(c.shortest, 1, "limit 3: the remainder last");
	return done_testing();
}
