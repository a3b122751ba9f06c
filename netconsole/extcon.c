#include "netconsole/extcon.h"

#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/version.h"

#define LINGER_POLL_BUDGET 16

/* One body plus one packet; used only by the console delivery, which runs
 * one at a time, and by the panic's linger, after it. */
static char scratch[NCEXT_BODY_MAX(LOG_TEXT_MAX) + NCEXT_PACKET_MAX];

static struct ncext_target *linger_targets;
static unsigned linger_count;
static unsigned linger_seconds = NCEXT_LINGER_DEFAULT_S;

static uint64_t now_ms(void)
{
	return clock_ns() / 1000000;
}

/* Runs from the rx path, with the device claimed. */
static void ncext_rx(struct netpoll *np, const uint8_t *payload, size_t len)
{
	struct ncext_target *t = np->udp_rx_ctx;
	struct ncext_reply reply;
	if (!ncext_parse_reply((const char *)payload, len, &reply))
		return;
	/* The missing ones below the ack are not acknowledged. */
	uint64_t acked = reply.ack_seq + 1;
	for (unsigned i = 0; i < reply.missing_count; i++)
		if (reply.missing[i] < acked)
			acked = reply.missing[i];
	/* Acknowledgements stall from the first reply on, not from boot. */
	if (!t->replied || acked > t->acked) {
		if (acked > t->acked)
			t->acked = acked;
		t->progress_ms = now_ms();
	}
	t->replied = true;
	for (unsigned i = 0; i < reply.missing_count; i++) {
		bool known = false;
		for (unsigned j = 0; j < t->wanted_count && !known; j++)
			known = t->wanted[j] == reply.missing[i];
		if (!known && t->wanted_count < NCEXT_MISSING_MAX)
			t->wanted[t->wanted_count++] = reply.missing[i];
	}
}

/* Queued: the console's flush after the delivery (netconsole.c), or the
 * linger after serving, rings the doorbell once for all of them. */
static void send_packet(const char *payload, size_t len, void *ctx)
{
	netpoll_queue_udp(ctx, payload, len);
}

static bool filtered(const struct log_record *rec)
{
	return rec->level >= console_loglevel;
}

/* How many records just before rec were filtered: the console passes them
 * over, so they lie between the last record written and this one. Reads
 * forward, as the ring reads fastest. Records overwritten in the ring
 * meanwhile were not filtered: they end a run. */
static uint32_t filtered_before(struct ncext_target *t, struct logring *ring,
				const struct log_record *rec)
{
	uint32_t run = 0;
	struct log_record r;
	uint64_t from = t->sent_end;
	/* A receiver holds a window of NCEXT_SKIPS_SPAN records at most. */
	if (rec->seq > from && rec->seq - from > NCEXT_SKIPS_SPAN)
		from = rec->seq - NCEXT_SKIPS_SPAN;
	for (uint64_t seq = from; seq < rec->seq; seq++)
		run = logring_read(ring, seq, &r) && r.seq == seq && filtered(&r) ? run + 1 : 0;
	if (run) {
		t->skips[t->skips_next].seq = rec->seq;
		t->skips[t->skips_next].skipped = run;
		t->skips_next = (t->skips_next + 1) % NCEXT_SKIPS_KEPT;
	}
	return run;
}

/* The count a resent record carried when first sent (0 once forgotten). */
static uint32_t filtered_before_sent(const struct ncext_target *t, uint64_t seq)
{
	for (unsigned i = 0; i < NCEXT_SKIPS_KEPT; i++)
		if (t->skips[i].skipped && t->skips[i].seq == seq)
			return t->skips[i].skipped;
	return 0;
}

static void send_record(struct ncext_target *t, const struct log_record *rec, bool emergency,
			uint32_t skipped)
{
	struct ncext_record x = {t->release ? KERNEL_RELEASE : NULL,
				 rec->level,
				 rec->seq,
				 rec->ts_ns / 1000,
				 emergency,
				 rec->text,
				 rec->len,
				 true,
				 skipped};
	ncext_send(&x, scratch, sizeof(scratch), send_packet, t->np);
}

/* Records overwritten in the ring since cannot be sent again: logring_read
 * then returns a later one, which is skipped. A filtered record is never
 * sent, whoever asks: the console left it out. */
static void resend(struct ncext_target *t, struct logring *ring, uint64_t seq, bool emergency)
{
	struct log_record rec;
	if (seq < t->sent_end && logring_read(ring, seq, &rec) && rec.seq == seq && !filtered(&rec))
		send_record(t, &rec, emergency, filtered_before_sent(t, seq));
}

static void serve(struct ncext_target *t, struct logring *ring, uint64_t now)
{
	uint64_t wanted[NCEXT_MISSING_MAX];
	struct netdev_claim claim;
	/* The rx path writes what the receiver asked for with the device
	 * claimed; claiming it here takes a consistent copy. */
	netdev_claim(t->np->dev, &claim);
	unsigned count = t->wanted_count;
	for (unsigned i = 0; i < count; i++)
		wanted[i] = t->wanted[i];
	t->wanted_count = 0;
	bool replied = t->replied;
	uint64_t acked = t->acked, progress = t->progress_ms;
	netdev_release(t->np->dev, &claim);

	for (unsigned i = 0; i < count; i++)
		resend(t, ring, wanted[i], false);

	/* Only a receiver that has answered expects replies to its silence;
	 * a plain listener would just see duplicates. */
	if (!replied || acked >= t->sent_end) {
		t->outstanding = false;
		return;
	}
	/* A stall starts when acknowledgements last moved, or, if everything
	 * sent had been acknowledged, when records were first seen waiting;
	 * each new stall starts the rounds over. */
	if (!t->outstanding) {
		t->outstanding = true;
		t->outstanding_since_ms = now;
	}
	uint64_t since = progress > t->outstanding_since_ms ? progress : t->outstanding_since_ms;
	if (since != t->stall_since_ms) {
		t->stall_since_ms = since;
		t->emergency_wait_ms = NCEXT_EMERGENCY_FIRST_MS;
		t->emergency_at_ms = since + NCEXT_EMERGENCY_FIRST_MS;
	}
	if (now < t->emergency_at_ms)
		return;
	for (uint64_t seq = acked; seq < t->sent_end && seq < acked + NCEXT_EMERGENCY_BATCH; seq++)
		resend(t, ring, seq, true);
	if (t->emergency_wait_ms < NCEXT_EMERGENCY_MAX_MS)
		t->emergency_wait_ms *= 2;
	t->emergency_at_ms = now + t->emergency_wait_ms;
}

void ncext_attach(struct ncext_target *t, struct netpoll *np, bool release)
{
	t->np = np;
	t->release = release;
	t->emergency_wait_ms = NCEXT_EMERGENCY_FIRST_MS;
	netpoll_set_udp_rx(np, ncext_rx, t);
}

void ncext_write(struct ncext_target *t, const struct log_record *rec)
{
	struct logring *ring = printk_logring();
	serve(t, ring, now_ms());
	send_record(t, rec, false, filtered_before(t, ring, rec));
	if (rec->seq >= t->sent_end)
		t->sent_end = rec->seq + 1;
}

static bool all_acknowledged(void)
{
	for (unsigned i = 0; i < linger_count; i++) {
		struct ncext_target *t = &linger_targets[i];
		if (t->np && (!t->replied || t->acked < t->sent_end))
			return false;
	}
	return true;
}

/* After the panic report: interrupts are off and nothing else runs, so the
 * only way requests reach us is by polling. Every timing decision, here and
 * in serve(), reads the one clock that stamps the receiver's progress: a
 * count of polling rounds runs slow (a round is a millisecond of delay plus
 * the polling), and resends timed by it came late or never. The clock runs
 * from timer_init(), before any console can start. */
static void linger(void)
{
	uint32_t flags = printk_lock();
	struct logring *ring = printk_logring();
	uint64_t start = now_ms();
	uint64_t limit = (uint64_t)linger_seconds * 1000;
	for (uint64_t now = start; now - start < limit && !all_acknowledged(); now = now_ms()) {
		for (unsigned i = 0; i < linger_count; i++) {
			if (!linger_targets[i].np)
				continue;
			netpoll_poll(linger_targets[i].np, LINGER_POLL_BUDGET);
			serve(&linger_targets[i], ring, now_ms());
			netpoll_flush(linger_targets[i].np);
		}
		mdelay(1);
	}
	printk_unlock(flags);
}

void ncext_init_linger(struct ncext_target *targets, unsigned count)
{
	struct cmdline_param p;
	if (cmdline_find(kernel_cmdline, "netconsole_linger", &p)) {
		unsigned long n;
		size_t len = p.value ? p.value_len : 0;
		if (len && kparse_u32(p.value, len, 10, &n) == len && n <= NCEXT_LINGER_MAX_S)
			linger_seconds = (unsigned)n;
		else
			pr_err("netconsole: bad value \"%.*s\" in netconsole_linger=: expected "
			       "seconds 0..%d; keeping %u\n",
			       (int)len, p.value ? p.value : "", NCEXT_LINGER_MAX_S,
			       linger_seconds);
	}
	linger_targets = targets;
	linger_count = count;
	bool any = false;
	for (unsigned i = 0; i < count; i++)
		any |= targets[i].np != NULL;
	if (any && linger_seconds && panic_register_late(linger) < 0)
		pr_err("netconsole: no room for the panic linger handler\n");
}
