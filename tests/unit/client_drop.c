/* Tests host/client-drop.c, the listener's --drop test aid: each rule loses
 * exactly the packets it names (first copies only, so resends get through),
 * windows of replies open on the named text, a random rule replays from its
 * seed, and bad rules are refused with a reason. */
#include "tap.h"

#include "host/client-drop.c"
#include "host/client-escape.c"
#include "host/client-ext.c"

static struct drop_plan *plan_of(const char *a, const char *b)
{
	char error[200];
	struct drop_plan *p = drop_plan_new(NULL);
	if (drop_plan_add(p, a, error, sizeof(error)) < 0 ||
	    (b && drop_plan_add(p, b, error, sizeof(error)) < 0)) {
		printf("# %s\n", error);
		exit(1);
	}
	return p;
}

static bool rec(struct drop_plan *p, const char *payload, long long now)
{
	return drop_record_packet(p, payload, strlen(payload), now);
}

static bool reply(struct drop_plan *p, const char *text, long long now)
{
	return drop_reply(p, text, strlen(text), now);
}

static void test_seq(void)
{
	struct drop_plan *p = plan_of("seq:5-6", NULL);
	ok(!rec(p, "6,4,10,-;four\n", 0), "seq: record below the range passes");
	ok(rec(p, "6,5,10,-;five\n", 0), "seq: first copy of 5 dropped");
	ok(!rec(p, "6,5,10,-;five\n", 0), "seq: its resend passes");
	ok(rec(p, "6,6,10,-;six\n", 0), "seq: 6 dropped");
	ok(!rec(p, "6,7,10,-;seven\n", 0), "seq: 7 passes");
	ok(!reply(p, "ncrx7 5", 0), "seq: replies pass");
	is_int((int)drop_count_records(p), 2, "seq: two drops counted");
	drop_plan_free(p);
}

static void test_frag_and_text(void)
{
	struct drop_plan *p = plan_of("frag:1:2", NULL);
	ok(!rec(p, "6,1,0,-,ncfrag=0/1500;aaaa", 0), "frag: first fragment passes");
	ok(rec(p, "6,1,0,-,ncfrag=980/1500;bbbb", 0), "frag: second fragment dropped");
	ok(!rec(p, "6,1,0,-,ncfrag=0/1500;aaaa", 0), "frag: resent first passes");
	ok(!rec(p, "6,1,0,-,ncfrag=980/1500;bbbb", 0), "frag: resent second passes");
	ok(!rec(p, "6,2,0,-,ncfrag=980/1500;bbbb", 0), "frag: another record's fragment passes");
	drop_plan_free(p);

	p = plan_of("text:Kernel panic", NULL);
	ok(rec(p, "0,28,5,-;Kernel panic - not syncing\n", 0), "text: matching record dropped");
	ok(rec(p, "0,29,5,-;---[ end Kernel panic ]---\n", 0), "text: a second one too");
	ok(!rec(p, "0,28,5,-,ncemg=1;Kernel panic - not syncing\n", 0), "text: the resend passes");
	ok(!rec(p, "0,30,5,-;Kernel\n", 0), "text: a partial match passes");
	drop_plan_free(p);
}

static void test_replies_after(void)
{
	struct drop_plan *p = plan_of("replies-after:end: here:100", NULL);
	ok(!reply(p, "ncrx3", 0), "replies-after: replies pass before the text");
	ok(!rec(p, "6,4,0,-;the end: here\n", 1000), "replies-after: the record itself passes");
	ok(reply(p, "ncrx4", 1000), "replies-after: a reply at once is dropped");
	ok(reply(p, "ncrx4", 1099), "replies-after: and one 99 ms later");
	ok(!reply(p, "ncrx4", 1100), "replies-after: 100 ms later it passes");
	is_int((int)drop_count_replies(p), 2, "replies-after: two replies counted");
	drop_plan_free(p);
}

static void test_random(void)
{
	char first[200], second[200];
	for (int round = 0; round < 2; round++) {
		struct drop_plan *p = plan_of("random:30:12345", NULL);
		char *out = round ? second : first;
		for (int i = 0; i < 100; i++)
			out[i] = (char)('0' +
					(i % 2 ? reply(p, "ncrx1", i) : rec(p, "6,1,0,-;x\n", i)));
		out[100] = '\0';
		drop_plan_free(p);
	}
	ok(strcmp(first, second) == 0, "random: the same seed drops the same packets");
	int drops = 0;
	for (int i = 0; i < 100; i++)
		drops += first[i] == '1';
	ok(drops > 10 && drops < 50, "random: 30%% drops about 30 of 100 (%d)", drops);
	struct drop_plan *p = plan_of("random:30:54321", NULL);
	int same = 0;
	for (int i = 0; i < 100; i++)
		same += (first[i] == '1') ==
			(i % 2 ? reply(p, "ncrx1", i) : rec(p, "6,1,0,-;x\n", i));
	ok(same < 100, "random: another seed drops other packets");
	drop_plan_free(p);
}

static void test_bad_rules(void)
{
	static const char *const bad[] = {
		"seq:",		"seq:x",     "seq:5-3",		"frag:1",
		"frag:1:0",	"text:",     "replies-after:x", "replies-after:x:y",
		"random:100:1", "random:30", "bogus:1",
	};
	char error[200];
	struct drop_plan *p = drop_plan_new(NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		error[0] = '\0';
		ok(drop_plan_add(p, bad[i], error, sizeof(error)) < 0 && strstr(error, bad[i]),
		   "refused, naming the rule: %s (%s)", bad[i], error);
	}
	drop_plan_free(p);
}

int main(void)
{
	plan(36);
	test_seq();
	test_frag_and_text();
	test_replies_after();
	test_random();
	test_bad_rules();
	return done_testing();
}
