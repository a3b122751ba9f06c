#include "kernel/serial.h"

#include "kernel/cmdline.h"
#include "kernel/io.h"
#include "kernel/string.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THRE 0x20
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
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS; no OUT2, so no UART interrupts */
}

static void serial_putc(char c)
{
	for (int i = 0; i < THRE_SPINS && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
		cpu_relax();
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
