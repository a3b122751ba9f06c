/* Console targets and printk's delivery to them. Consoles register once;
 * a console with replay set first receives every record still in the log
 * ring (Linux's CON_PRINTBUFFER), then each new one. The write callback gets
 * one whole record formatted as a line ("[    0.012345] text\n") and must work
 * from any context with interrupts disabled, the oops path included. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/logring.h"

struct console {
	const char *name;
	void (*write)(struct console *con, const struct log_record *rec, const char *line,
		      size_t len);
	/* Optional: called once write() has had every pending record, so a
	 * console may batch its output. Same contexts as write(). */
	void (*flush)(struct console *con);
	bool replay;
	/* Private to console.c: next record this console is to receive. */
	uint64_t next_seq;
	struct console *next;
};

/* Normal context. Delivers the backlog (when replay is set) before returning. */
void console_register(struct console *con);
/* Any context: hands every console the records it has not received yet.
 * When another CPU is delivering, a caller with interrupts on waits for it
 * to hand the delivery over (at most SMP_TAKE_OVER_BOUND_MS) and delivers
 * the rest; with interrupts off it leaves them to that CPU. */
void console_flush(void);
/* Any context: true while this CPU delivers records to the consoles. */
bool console_delivering_here(void);
/* Formats a record as its console line (console_line.c; pure, any context);
 * returns the length written, without the NUL. */
size_t console_format_line(const struct log_record *rec, char *buf, size_t size);

#endif
