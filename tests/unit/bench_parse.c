/* Tests kernel/bench_spec.c: parsing the value of bench= into a mode, a
 * count and a size, and rejecting malformed or out-of-range values. */
#include "tap.h"

#include "kernel/harness/bench_spec.c"
#include "kernel/format.c"

static void check_ok(const char *value, enum bench_mode mode, uint32_t count, uint32_t size)
{
	struct bench_spec spec;
	char err[BENCH_ERR_MAX] = "";
	int rc = bench_parse(value, strlen(value), &spec, err, sizeof(err));

	is_int(rc, 0, value);
	is_int(spec.mode, mode, "mode");
	is_int((int)spec.count, (int)count, "count");
	is_int((int)spec.size, (int)size, "size");
}

static void check_bad(const char *value, const char *want_in_err)
{
	struct bench_spec spec;
	char err[BENCH_ERR_MAX] = "";
	int rc = bench_parse(value, strlen(value), &spec, err, sizeof(err));

	is_int(rc, -1, value);
	is_int(spec.mode, BENCH_NONE, "mode stays none");
	ok(strstr(err, want_in_err) != NULL, "error names the problem");
}

int main(void)
{
	plan(89);
	check_ok("flood:100000:256", BENCH_FLOOD, 100000, 256);
	check_ok("blast:1:1000", BENCH_BLAST, 1, 1000);
	check_ok("flood:5:40", BENCH_FLOOD, 5, 40);
	check_ok("oops", BENCH_OOPS, 0, 0);
	check_ok("smp-flood:20000:256", BENCH_SMP_FLOOD, 20000, 256);
	check_ok("profile:20000:64", BENCH_PROFILE, 20000, 64);
	/* The value is bounded by its length, not by a NUL. */
	{
		struct bench_spec spec;
		char err[BENCH_ERR_MAX];
		is_int(bench_parse("flood:7:64 crash=none", 10, &spec, err, sizeof(err)), 0,
		       "stops at the given length");
		is_int((int)spec.size, 64, "size before the space");
	}
	check_bad("", "expected flood:COUNT:SIZE");
	check_bad("flood", "expected flood:COUNT:SIZE");
	check_bad("flood:", "expected");
	check_bad("flood:10", "expected");
	check_bad("flood:10:", "expected");
	check_bad("flood::256", "expected");
	check_bad("flood:1x:256", "expected");
	check_bad("flood:10:256:3", "expected");
	check_bad("storm:10:256", "expected");
	check_bad("oopsy", "expected");
	check_bad("smp-flood", "expected");
	check_bad("smp-flood:10", "expected");
	check_bad("smp-flood:0:256", "COUNT must be at least 1");
	check_bad("smp-flood:10:39", "SIZE 39 is out of range");
	check_bad("profile:10", "expected");
	check_bad("profile", "expected");
	check_bad("profile:0:64", "COUNT must be at least 1");
	check_bad("flood:0:256", "COUNT must be at least 1");
	check_bad("blast:10:39", "SIZE 39 is out of range");
	check_bad("blast:10:1001", "SIZE 1001 is out of range");
	check_bad("flood:99999999999:256", "expected");
	done_testing();
}
