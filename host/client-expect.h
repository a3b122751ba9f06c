/* Watches the received byte stream for expected texts, however the sender
 * split it into packets (streaming KMP, no copy of the stream is kept).
 * Host only, normal process context. */
#ifndef HOST_CLIENT_EXPECT_H
#define HOST_CLIENT_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

struct expected_text {
	const char *text;
	size_t len;
	/* fallback[i]: length of the longest proper prefix of text[0..i] that
	 * is also its suffix, so a mismatch resumes without rereading bytes. */
	size_t *fallback;
	size_t matched;
	bool seen;
};

struct expect_set {
	struct expected_text *texts;
	size_t count;
	size_t unseen;
};

/* Borrows the non-empty texts; returns 0, or -1 when out of memory. */
int expect_init(struct expect_set *set, const char *const *texts, size_t count);
void expect_free(struct expect_set *set);

void expect_feed(struct expect_set *set, const void *data, size_t len);

static inline bool expect_all_seen(const struct expect_set *set)
{
	return set->unseen == 0;
}

#endif
