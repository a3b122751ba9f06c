/* Sends magic SysRq over a QEMU serial port whose chardev is a telnet-mode
 * socket (-chardev socket,...,telnet=on): the telnet BREAK command (IAC BRK,
 * RFC 854), which QEMU turns into a break condition on the emulated UART,
 * then the key. A test aid, standing in for a person pressing Ctrl-a b on
 * -serial mon:stdio. It stays connected and reads the port until QEMU
 * closes it (a client that leaves while the guest writes makes QEMU's
 * chardev log repeat bytes), and sends each key once the text before it has
 * appeared in the serial output since the previous key.
 * usage: serial-sysrq [--output FILE] SOCKET-PATH STEP...
 *   STEP: [--after TEXT] [--delay MS] [--no-break] KEY
 *     --after: once TEXT has come since the previous step (or the start);
 *     --delay: then MS milliseconds later; --no-break: the key alone
 *   --output: the serial output as it came, telnet commands left out
 * Exits 0 at end of file after every key went out, 1 otherwise. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define TELNET_IAC 255
#define TELNET_BRK 243
#define CONNECT_TRIES 100 /* 100 ms apart */
#define OUTPUT_MAX (8u << 20)

struct step {
	const char *after;
	long delay_ms;
	int with_break;
	unsigned char key;
};

static char *output;
static size_t output_len, output_cap;
static FILE *copy;
/* Where a telnet command in the byte stream stands: 0 none, 1 after IAC,
 * 2 after IAC and WILL/WONT/DO/DONT (an option byte follows). */
static int telnet_state;

#define TELNET_WILL 251
#define TELNET_DONT 254

/* Keeps the bytes of the serial output, leaving out QEMU's telnet
 * negotiation (IAC IAC stands for a 255 byte). */
static size_t strip_telnet(char *buf, size_t n)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (telnet_state == 2) {
			telnet_state = 0;
		} else if (telnet_state == 1) {
			telnet_state = c >= TELNET_WILL && c <= TELNET_DONT ? 2 : 0;
			if (c == TELNET_IAC)
				buf[kept++] = (char)c;
		} else if (c == TELNET_IAC) {
			telnet_state = 1;
		} else {
			buf[kept++] = (char)c;
		}
	}
	return kept;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: serial-sysrq [--output FILE] SOCKET-PATH [--after TEXT] [--delay MS] "
		"[--no-break] KEY ...\n");
	return 2;
}

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int send_all(int fd, const unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads what is there (waiting up to ms); returns 0 at end of file. */
static int read_some(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	if (poll(&p, 1, ms) <= 0)
		return 1;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return 0;
	n = (ssize_t)strip_telnet(buf, (size_t)n);
	if (copy && (fwrite(buf, 1, (size_t)n, copy) != (size_t)n || fflush(copy))) {
		fprintf(stderr, "serial-sysrq: cannot write the output copy\n");
		exit(1);
	}
	if (output_len + (size_t)n > output_cap && output_cap < OUTPUT_MAX) {
		output_cap = output_cap ? output_cap * 2 : 65536;
		char *grown = realloc(output, output_cap);
		if (!grown) {
			fprintf(stderr, "serial-sysrq: out of memory\n");
			exit(1);
		}
		output = grown;
	}
	if (output_len + (size_t)n <= output_cap) {
		memcpy(output + output_len, buf, (size_t)n);
		output_len += (size_t)n;
	}
	return 1;
}

/* The first place text appears in buf[from, len), or NULL. */
static const char *find_text(const char *buf, size_t from, size_t len, const char *text)
{
	size_t n = strlen(text);
	for (size_t i = from; i + n <= len; i++)
		if (memcmp(buf + i, text, n) == 0)
			return buf + i;
	return NULL;
}

static int connect_to(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "serial-sysrq: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(addr.sun_path, path);
	for (int i = 0; i < CONNECT_TRIES; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			break;
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			return fd;
		close(fd);
		pause_ms(100);
	}
	fprintf(stderr, "serial-sysrq: cannot connect to %s: %s\n", path, strerror(errno));
	return -1;
}

int main(int argc, char **argv)
{
	int first = 1;
	if (argc > 2 && strcmp(argv[1], "--output") == 0) {
		copy = fopen(argv[2], "w");
		if (!copy) {
			fprintf(stderr, "serial-sysrq: cannot create %s: %s\n", argv[2],
				strerror(errno));
			return 1;
		}
		first = 3;
	}
	if (argc < first + 2)
		return usage();
	const char *path = argv[first];
	struct step *steps = calloc((size_t)argc, sizeof(*steps));
	int nsteps = 0;
	struct step cur = {NULL, 0, 1, 0};
	for (int i = first + 1; i < argc; i++) {
		if (strcmp(argv[i], "--after") == 0 && i + 1 < argc)
			cur.after = argv[++i];
		else if (strcmp(argv[i], "--delay") == 0 && i + 1 < argc)
			cur.delay_ms = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--no-break") == 0)
			cur.with_break = 0;
		else if (strlen(argv[i]) == 1) {
			cur.key = (unsigned char)argv[i][0];
			steps[nsteps++] = cur;
			cur = (struct step){NULL, 0, 1, 0};
		} else
			return usage();
	}
	if (!nsteps || cur.after || cur.delay_ms || !cur.with_break)
		return usage();
	/* A port QEMU closed is reported as a failed write, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	int fd = connect_to(path);
	if (fd < 0)
		return 1;
	size_t seen_from = 0;
	int open = 1, sent = 0;
	const unsigned char brk[2] = {TELNET_IAC, TELNET_BRK};
	while (open && sent < nsteps) {
		const struct step *s = &steps[sent];
		const char *found =
			s->after ? find_text(output, seen_from, output_len, s->after) : NULL;
		if (s->after && !found) {
			open = read_some(fd, 100);
			continue;
		}
		if (found)
			seen_from = (size_t)(found - output) + strlen(s->after);
		for (long until = now_ms() + s->delay_ms; open && now_ms() < until;)
			open = read_some(fd, 50);
		/* QEMU must see the break and the key as two events. */
		if ((s->with_break && send_all(fd, brk, sizeof(brk)) < 0) ||
		    (pause_ms(200), send_all(fd, &s->key, 1) < 0)) {
			fprintf(stderr, "serial-sysrq: cannot write to %s: %s\n", path,
				strerror(errno));
			return 1;
		}
		sent++;
	}
	while (open)
		open = read_some(fd, 1000);
	close(fd);
	if (sent < nsteps) {
		fprintf(stderr, "serial-sysrq: the port closed before \"%s\" appeared\n",
			steps[sent].after);
		return 1;
	}
	return 0;
}
