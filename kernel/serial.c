#include "kernel/serial.h"

#include "kernel/cmdline.h"
#include "kernel/io.h"
#include "kernel/irq.h"
#include "kernel/string.h"
#include "kernel/sysrq.h"
#include "kernel/timer.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01 /* a received byte waits */
#define LSR_BI 0x10 /* break interrupt: the line was held low a whole character */
#define LSR_THRE 0x20
#define IER_RDI 0x01 /* received data available */
#define IER_RLSI 0x04 /* receiver line status: breaks */
#define MCR_DTR_RTS 0x03
#define MCR_OUT2 0x08 /* gates the UART's interrupt onto the ISA line */
#define COM1_IRQ 4
/* A key counts as SysRq when it comes this soon after the BREAK (Linux: 5 s). */
#define SYSRQ_WINDOW_NS 5000000000ull
/* Bytes one interrupt reads at most: a stuck receiver cannot hold the CPU. */
#define RX_BUDGET 64
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

/* At 115200 baud a byte takes ~87 us; this bound outlasts a stuck UART
 * without ever hanging the oops path on it. */
#define THRE_SPINS 100000

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1); /* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7); /* enable and clear FIFOs */
	outb(COM1 + UART_MCR, MCR_DTR_RTS); /* no OUT2: no UART interrupts yet */
}

/* Reading LSR clears its break flag: a break that comes while the console
 * polls for THRE is kept here for the receive interrupt, as Linux's 8250
 * driver keeps it in lsr_saved_flags. */
static volatile uint8_t lsr_saved_flags;

static uint64_t break_ns;
static bool break_seen;

/* Nothing reads the serial line but SysRq: bytes that follow no BREAK are
 * dropped. The byte that comes with a break condition is the break's own
 * (zero) and is dropped too. */
static void serial_interrupt(unsigned irq, void *ctx)
{
	(void)irq;
	(void)ctx;
	for (int i = 0; i < RX_BUDGET; i++) {
		uint8_t lsr = inb(COM1 + UART_LSR) | lsr_saved_flags;
		lsr_saved_flags = 0;
		if (!(lsr & (LSR_DR | LSR_BI)))
			return;
		uint8_t byte = inb(COM1 + UART_DATA);
		if (lsr & LSR_BI) {
			break_seen = true;
			break_ns = clock_ns();
		} else if (break_seen) {
			break_seen = false;
			if (clock_ns() - break_ns <= SYSRQ_WINDOW_NS)
				handle_sysrq((char)byte);
		}
	}
}

void serial_irq_init(void)
{
	irq_register(COM1_IRQ, serial_interrupt, NULL);
	outb(COM1 + UART_IER, IER_RDI | IER_RLSI);
	outb(COM1 + UART_MCR, MCR_DTR_RTS | MCR_OUT2);
}

static void serial_putc(char c)
{
	for (int i = 0; i < THRE_SPINS; i++) {
		uint8_t lsr = inb(COM1 + UART_LSR);
		lsr_saved_flags |= lsr & LSR_BI;
		if (lsr & LSR_THRE)
			break;
		cpu_relax();
	}
	outb(COM1 + UART_DATA, (uint8_t)c);
}

/* Linux-style console= selection: once the command line is known, the serial
 * console stays on unless console= is given and never names ttyS0 (so
 * console=null silences it). Until then it prints, as it must early in boot. */
static void note_console_choice(const struct cmdline_param *param, void *ctx)
{
	int *choice = ctx;

	if (!cmdline_key_is(param, "console"))
		return;
	if (param->value_len >= 5 && memcmp(param->value, "ttyS0", 5) == 0)
		*choice = 1;
	else if (*choice < 0)
		*choice = 0;
}

static bool serial_selected(void)
{
	static int selected = -1;

	if (selected < 0 && kernel_cmdline[0]) {
		int choice = -1;

		cmdline_foreach(kernel_cmdline, note_console_choice, &choice);
		selected = choice != 0;
	}
	return selected != 0;
}

static void serial_write(struct console *con, const struct log_record *rec, const char *line,
			 size_t len)
{
	(void)con;
	(void)rec;
	if (!serial_selected())
		return;
	for (size_t i = 0; i < len; i++)
		serial_putc(line[i]);
}

struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
	.replay = true,
};
