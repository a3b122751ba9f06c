#include "kernel/console.h"

#include "kernel/io.h"
#include "kernel/oops_audit.h"
#include "kernel/printk.h"
#include "kernel/string.h"

static struct console *consoles;

/* One line: "[" + 5-digit seconds + "." + 6 digits + "] " + text + "\n". */
#define LINE_MAX (LOG_TEXT_MAX + 32)

/* Takes the next record for con out of the ring under the log lock, copying
 * its text, so the write callback runs without the lock: a console that
 * prints while it writes (a driver complaining) can then append its record. */
static bool next_record(struct console *con, struct log_record *rec, char *text)
{
	uint32_t flags = printk_lock();
	bool found = logring_read(printk_logring(), con->next_seq, rec);
	if (found) {
		con->next_seq = rec->seq + 1;
		memcpy(text, rec->text, rec->len);
		rec->text = text;
	}
	printk_unlock(flags);
	return found;
}

/* One delivery at a time, with interrupts off, so every console receives
 * the records in sequence order and the static buffers are never shared.
 * A printk from inside a write does not deliver recursively: its record
 * waits in the ring and the running loop picks it up. In an oops the
 * running delivery may belong to the context that faulted and will never
 * resume, so there a new one takes over. */
void console_flush(void)
{
	static volatile int delivering;
	static char text[LOG_TEXT_MAX];
	static char line[LINE_MAX];

	oops_audit_send();
	uint32_t flags = irq_save();
	if (delivering && !oops_in_progress) {
		irq_restore(flags);
		return;
	}
	delivering++;
	/* Until no console has anything left: a record a later console logs
	 * while it writes must still reach the consoles before it. */
	bool delivered;
	do {
		delivered = false;
		for (struct console *con = consoles; con; con = con->next) {
			struct log_record rec;
			bool wrote = false;
			while (next_record(con, &rec, text)) {
				delivered = true;
				if (rec.level >= console_loglevel)
					continue;
				size_t len = console_format_line(&rec, line, sizeof(line));
				con->write(con, &rec, line, len);
				wrote = true;
			}
			if (wrote && con->flush)
				con->flush(con);
		}
	} while (delivered);
	delivering--;
	irq_restore(flags);
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
