#include "kernel/console.h"

#include "kernel/format.h"
#include "kernel/printk.h"

static struct console *consoles;

/* One line: "[" + 5-digit seconds + "." + 6 digits + "] " + text + "\n". */
#define LINE_MAX (LOG_TEXT_MAX + 32)

size_t console_format_line(const struct log_record *rec, char *buf, size_t size)
{
	uint64_t us = rec->ts_ns / 1000;
	int n = ksnprintf(buf, size, "[%5u.%06u] %.*s\n", (unsigned)(us / 1000000),
			  (unsigned)(us % 1000000), (int)rec->len, rec->text);
	return (size_t)n < size ? (size_t)n : size - 1;
}

static void deliver(struct console *con, struct logring *ring)
{
	static char line[LINE_MAX];
	struct log_record rec;
	while (logring_read(ring, con->next_seq, &rec)) {
		con->next_seq = rec.seq + 1;
		if (rec.level >= console_loglevel)
			continue;
		size_t len = console_format_line(&rec, line, sizeof(line));
		con->write(con, &rec, line, len);
	}
}

/* Delivery runs under the log lock, so records reach every console in
 * sequence order and the shared line buffer is never used twice at once. */
void console_flush(void)
{
	uint32_t flags = printk_lock();
	struct logring *ring = printk_logring();
	for (struct console *con = consoles; con; con = con->next)
		deliver(con, ring);
	printk_unlock(flags);
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
