/* Streaming search for the --expect texts. */
#include "host/client-expect.h"

#include <stdlib.h>
#include <string.h>

static void build_fallback(struct expected_text *expected)
{
	size_t i, k = 0;

	expected->fallback[0] = 0;
	for (i = 1; i < expected->len; i++) {
		while (k > 0 && expected->text[i] != expected->text[k])
			k = expected->fallback[k - 1];
		if (expected->text[i] == expected->text[k])
			k++;
		expected->fallback[i] = k;
	}
}

int expect_init(struct expect_set *set, const char *const *texts, size_t count)
{
	size_t i;

	memset(set, 0, sizeof(*set));
	set->texts = calloc(count ? count : 1, sizeof(*set->texts));
	if (!set->texts)
		return -1;
	set->count = count;
	set->unseen = count;
	for (i = 0; i < count; i++) {
		struct expected_text *expected = &set->texts[i];

		expected->text = texts[i];
		expected->len = strlen(texts[i]);
		expected->fallback = calloc(expected->len ? expected->len : 1, sizeof(size_t));
		if (!expected->fallback) {
			expect_free(set);
			return -1;
		}
		build_fallback(expected);
	}
	return 0;
}

void expect_free(struct expect_set *set)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		free(set->texts[i].fallback);
	free(set->texts);
	memset(set, 0, sizeof(*set));
}

static void feed_one(struct expected_text *expected, const unsigned char *data, size_t len)
{
	const unsigned char *text = (const unsigned char *)expected->text;
	size_t k = expected->matched, i;

	for (i = 0; i < len; i++) {
		while (k > 0 && data[i] != text[k])
			k = expected->fallback[k - 1];
		if (data[i] == text[k])
			k++;
		if (k == expected->len) {
			expected->seen = true;
			return;
		}
	}
	expected->matched = k;
}

void expect_feed(struct expect_set *set, const void *data, size_t len)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		struct expected_text *expected = &set->texts[i];

		if (expected->seen)
			continue;
		feed_one(expected, data, len);
		if (expected->seen)
			set->unseen--;
	}
}
