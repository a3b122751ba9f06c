#include "kernel/console.h"

#include "kernel/io.h"
#include "kernel/oops_audit.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/timer.h"

static struct console *consoles;
/* Held by the CPU delivering records to the consoles. */
static struct spinlock delivery = SPINLOCK_INIT;
/* CPUs waiting, with interrupts on, to take the delivery over: the CPU
 * delivering hands it over after its current pass over the consoles. */
static volatile unsigned handoff_waiters;
/* How long such a CPU waits: a holder that runs hands over within a
 * record's time; a vCPU thread the host preempted may take tens of
 * milliseconds. */
#define HANDOFF_WAIT_MS SMP_TAKE_OVER_BOUND_MS

/* One line: "[" + 5-digit seconds + "." + 6 digits + "] " + text + "\n". */
#define LINE_MAX (LOG_TEXT_MAX + 32)

/* Takes the next record for con out of the ring under the log lock, its
 * console line formatted straight from the ring into line (its text then
 * points into the line: one copy), so the write callback runs without the
 * lock: a console that prints while it writes (a driver complaining) can
 * then append its record. A record below the console log level is passed
 * over unformatted; *len is 0 for it. */
static bool next_record(struct console *con, struct log_record *rec, char *line, size_t *len)
{
	uint32_t flags = printk_lock();
	bool found = logring_read(printk_logring(), con->next_seq, rec);
	if (found) {
		con->next_seq = rec->seq + 1;
		*len = 0;
		if (rec->level < console_loglevel) {
			*len = console_format_line(rec, line, LINE_MAX);
			/* The line ends in the text and its newline. */
			rec->text = line + *len - 1 - rec->len;
		}
	}
	printk_unlock(flags);
	return found;
}

/* True when some console has a record it has not received yet. */
static bool records_pending(void)
{
	uint32_t flags = printk_lock();
	uint64_t next = printk_logring()->next_seq;
	bool pending = false;
	for (struct console *con = consoles; con; con = con->next)
		pending |= con->next_seq < next;
	printk_unlock(flags);
	return pending;
}

/* Returns true when it stopped early to hand the delivery over to a
 * waiting CPU, which it does only at the end of a pass that delivered
 * something to every console with records, so that every hand-over is
 * progress for each console. */
static bool deliver(void)
{
	static char line[LINE_MAX];

	/* Until no console has anything left: a record a later console logs
	 * while it writes must still reach the consoles before it. */
	bool delivered;
	do {
		delivered = false;
		for (struct console *con = consoles; con; con = con->next) {
			struct log_record rec;
			size_t len;
			bool wrote = false;
			while (next_record(con, &rec, line, &len)) {
				delivered = true;
				if (!len)
					continue;
				con->write(con, &rec, line, len);
				wrote = true;
			}
			if (wrote && con->flush)
				con->flush(con);
			/* A CPU the panic stops finishes what it handed a console:
			 * its stop waited for this point (smp.c). */
			smp_stop_if_requested();
		}
		if (delivered && !oops_in_progress &&
		    __atomic_load_n(&handoff_waiters, __ATOMIC_ACQUIRE))
			return true;
	} while (delivered);
	return false;
}

/* One delivery at a time, on one CPU, with interrupts off, so every console
 * receives the records in sequence order and the static buffers are never
 * shared. A printk that finds a delivery running (a write that prints, or
 * another CPU) leaves its record in the ring for that delivery, which looks
 * again after it ends; with interrupts on it first waits for another CPU to
 * hand the delivery over (wait_for_handoff). Returns false when another CPU
 * was delivering. In an oops the running delivery is taken over only
 * when it cannot go on: it belongs to a context the oops froze on this CPU,
 * or to a CPU that has been stopped. A CPU being stopped delivers nothing:
 * the panic does, once it has stopped. */
static bool deliver_unless_busy(void)
{
	bool busy = false;
	uint32_t flags = irq_save();
	for (;;) {
		bool held = spin_trylock(&delivery);
		if (!held && !(oops_in_progress && spin_may_take_over(&delivery, NULL))) {
			busy = true;
			break;
		}
		bool handed_over = deliver();
		if (!held)
			break;
		spin_unlock(&delivery);
		/* A waiter that gave up meanwhile leaves the rest to us. */
		if (!records_pending() ||
		    (handed_over && __atomic_load_n(&handoff_waiters, __ATOMIC_ACQUIRE)))
			break;
	}
	irq_restore(flags);
	return !busy;
}

/* A printk with interrupts on holds no lock (every spinlock here turns them
 * off), so when another CPU is delivering it may wait for that CPU to hand
 * the delivery over, and deliver itself: a CPU that prints faster than the
 * consoles take records then cannot outrun them and overwrite records in
 * the ring that no console has had yet (Linux's console_owner hand-over).
 * Bounded by HANDOFF_WAIT_MS; after that its record stays in the ring for
 * the delivering CPU, as with interrupts off. */
static void wait_for_handoff(void)
{
	uint64_t deadline = clock_ns() + (uint64_t)HANDOFF_WAIT_MS * 1000000;
	for (;;) {
		bool gave_up = false;
		__atomic_add_fetch(&handoff_waiters, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&delivery.locked, __ATOMIC_ACQUIRE)) {
			if (oops_in_progress || clock_ns() >= deadline) {
				gave_up = true;
				break;
			}
			cpu_relax();
		}
		__atomic_sub_fetch(&handoff_waiters, 1, __ATOMIC_SEQ_CST);
		if (gave_up || deliver_unless_busy())
			return;
	}
}

void console_flush(void)
{
	if (smp_this_cpu_stopping())
		return;
	oops_audit_send();
	enum profile_stage caller = profile_enter(PROFILE_CONSOLE);
	bool may_wait = (irq_flags() & EFLAGS_IF) && !oops_in_progress;
	if (!deliver_unless_busy() && may_wait)
		wait_for_handoff();
	profile_enter(caller);
}

bool console_delivering_here(void)
{
	return delivery.locked && delivery.owner_cpu == smp_processor_id();
}

void console_register(struct console *con)
{
	uint32_t flags = printk_lock();
	struct logring *ring = printk_logring();
	con->next_seq = con->replay ? ring->first_seq : ring->next_seq;
	struct console **link = &consoles;
	while (*link)
		link = &(*link)->next;
	con->next = NULL;
	*link = con;
	printk_unlock(flags);
	console_flush();
}
