#include "kernel/harness/bench.h"

#include <stdbool.h>

#include "kernel/format.h"
#include "kernel/string.h"

/* The whole of [s, s + len) must be a decimal number. */
static bool parse_number(const char *s, size_t len, uint32_t *out)
{
	unsigned long n;

	if (!len || kparse_u32(s, len, 10, &n) != len)
		return false;
	*out = (uint32_t)n;
	return true;
}

static int bad_value(const char *value, size_t len, struct bench_spec *out, char *err,
		     size_t err_size)
{
	ksnprintf(err, err_size,
		  "bench: bad value \"%.*s\": expected flood:COUNT:SIZE, blast:COUNT:SIZE, "
		  "smp-flood:COUNT:SIZE, profile:COUNT:SIZE or oops",
		  (int)len, value);
	out->mode = BENCH_NONE;
	return -1;
}

int bench_parse(const char *value, size_t len, struct bench_spec *out, char *err, size_t err_size)
{
	const char *end = value + len;
	const char *colon, *numbers = value + 6;

	memset(out, 0, sizeof(*out));
	if (len == 4 && memcmp(value, "oops", 4) == 0) {
		out->mode = BENCH_OOPS;
		return 0;
	}
	if (len > 6 && memcmp(value, "flood:", 6) == 0)
		out->mode = BENCH_FLOOD;
	else if (len > 6 && memcmp(value, "blast:", 6) == 0)
		out->mode = BENCH_BLAST;
	else if (len > 10 && memcmp(value, "smp-flood:", 10) == 0) {
		out->mode = BENCH_SMP_FLOOD;
		numbers = value + 10;
	} else if (len > 8 && memcmp(value, "profile:", 8) == 0) {
		out->mode = BENCH_PROFILE;
		numbers = value + 8;
	} else
		return bad_value(value, len, out, err, err_size);
	for (colon = numbers; colon < end && *colon != ':'; colon++)
		;
	if (colon == end || !parse_number(numbers, (size_t)(colon - numbers), &out->count) ||
	    !parse_number(colon + 1, (size_t)(end - colon - 1), &out->size))
		return bad_value(value, len, out, err, err_size);
	if (out->count == 0) {
		ksnprintf(err, err_size, "bench: COUNT must be at least 1");
		out->mode = BENCH_NONE;
		return -1;
	}
	if (out->size < BENCH_SIZE_MIN || out->size > BENCH_SIZE_MAX) {
		ksnprintf(err, err_size, "bench: SIZE %u is out of range %u..%u",
			  (unsigned)out->size, BENCH_SIZE_MIN, BENCH_SIZE_MAX);
		out->mode = BENCH_NONE;
		return -1;
	}
	return 0;
}
