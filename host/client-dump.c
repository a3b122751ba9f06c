/* The netdump receiver and ELF core writer. */
#include "host/client-dump.h"
#include "host/client-escape.h"
#include "host/client-files.h"
#include "host/client-socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "netconsole-client"

#define ELF_EHDR_LEN 52
#define ELF_PHDR_LEN 32
#define PAGE 4096
#define NT_PRSTATUS 1
#define NT_PRPSINFO 3
#define PRSTATUS_LEN 144
#define PRSTATUS_REG_OFFSET 72
#define PRPSINFO_LEN 124
/* Each note: namesz, descsz, type, "CORE\0" padded to 8, then desc. */
#define NOTE_HDR_LEN (12 + 8)
#define VERIFY_BUF (1024 * NETDUMP_CHUNK)
/* A wire string escaped for one line. */
#define ESCAPED_STR_MAX (CLIENT_ESCAPE_MAX_EXPANSION * NETDUMP_STR_MAX + 1)
/* Refused heralds are reported at most this often. */
#define REFUSAL_REPORT_MS 1000

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

/* The herald's CPU section (netconsole/netdump_proto.h), the rest of it from
 * p; a herald without one is of CPU 0 alone. */
static int parse_cpus(const uint8_t *p, const uint8_t *end, struct dump_description *d)
{
	bool named[NETDUMP_MAX_CPUS] = {false};
	size_t per_cpu = 4 + 4 * NETDUMP_NREGS;

	if (p == end)
		return 0;
	if (end - p < 8)
		return -1;
	d->cpu = get_unaligned_be32(p);
	uint32_t count = get_unaligned_be32(p + 4);
	p += 8;
	if (d->cpu >= NETDUMP_MAX_CPUS || count > NETDUMP_MAX_CPUS - 1 ||
	    (size_t)(end - p) != count * per_cpu)
		return -1;
	named[d->cpu] = true;
	for (unsigned i = 0; i < count; i++) {
		struct dump_cpu *c = &d->others[i];
		c->cpu = get_unaligned_be32(p);
		if (c->cpu >= NETDUMP_MAX_CPUS || named[c->cpu])
			return -1;
		named[c->cpu] = true;
		for (unsigned r = 0; r < NETDUMP_NREGS; r++)
			c->regs[r] = get_unaligned_be32(p + 4 + 4 * r);
		p += per_cpu;
	}
	d->other_count = count;
	return 0;
}

int dump_parse_herald(const uint8_t *p, size_t len, struct dump_description *d)
{
	const uint8_t *end = p + len;
	size_t fixed = 12 + 4 * NETDUMP_NREGS + 4;

	memset(d, 0, sizeof(*d));
	if (len < fixed)
		return -1;
	d->chunk = get_unaligned_be32(p);
	d->zero_below = get_unaligned_be32(p + 4);
	d->signal = get_unaligned_be32(p + 8);
	p += 12;
	for (unsigned i = 0; i < NETDUMP_NREGS; i++, p += 4)
		d->regs[i] = get_unaligned_be32(p);
	d->range_count = get_unaligned_be32(p);
	p += 4;
	if (d->chunk < DUMP_CHUNK_MIN || d->chunk > NETDUMP_PAYLOAD_MAX || d->chunk % 16 ||
	    d->range_count == 0 || d->range_count > NETDUMP_MAX_RANGES ||
	    (size_t)(end - p) < 16 * d->range_count)
		return -1;
	for (unsigned i = 0; i < d->range_count; i++, p += 16) {
		d->ranges[i].start = get_unaligned_be64(p);
		d->ranges[i].length = get_unaligned_be64(p + 8);
		/* Written so that nothing wraps: start + length <= 4 GiB. */
		if (d->ranges[i].length == 0 || d->ranges[i].length > DUMP_ADDRESS_LIMIT ||
		    d->ranges[i].start > DUMP_ADDRESS_LIMIT - d->ranges[i].length)
			return -1;
		if (i > 0 && d->ranges[i].start < d->ranges[i - 1].start + d->ranges[i - 1].length)
			return -1;
	}
	char *texts[2] = {d->release, d->panic};
	for (unsigned t = 0; t < 2; t++) {
		if (end - p < 2)
			return -1;
		size_t n = get_unaligned_be16(p);
		if (n > NETDUMP_STR_MAX || (size_t)(end - p - 2) < n)
			return -1;
		memcpy(texts[t], p + 2, n);
		texts[t][n] = '\0';
		p += 2 + n;
	}
	return parse_cpus(p, end, d);
}

static size_t notes_len(const struct dump_description *d)
{
	return (1 + d->other_count) * (NOTE_HDR_LEN + PRSTATUS_LEN) + NOTE_HDR_LEN + PRPSINFO_LEN;
}

size_t dump_core_header_size(const struct dump_description *d)
{
	return ELF_EHDR_LEN + ELF_PHDR_LEN * (1 + d->range_count) + notes_len(d);
}

uint64_t dump_core_data_offset(const struct dump_description *d)
{
	return (dump_core_header_size(d) + PAGE - 1) / PAGE * PAGE;
}

uint64_t dump_core_size(const struct dump_description *d)
{
	uint64_t size = dump_core_data_offset(d);
	for (unsigned i = 0; i < d->range_count; i++)
		size += d->ranges[i].length;
	return size;
}

int64_t dump_core_offset_of(const struct dump_description *d, uint64_t address, uint64_t len)
{
	uint64_t offset = dump_core_data_offset(d);
	for (unsigned i = 0; i < d->range_count; i++) {
		const struct dump_range *r = &d->ranges[i];
		if (address >= r->start && address + len <= r->start + r->length &&
		    address + len >= address)
			return (int64_t)(offset + (address - r->start));
		offset += r->length;
	}
	return -1;
}

static uint64_t sent_start(const struct dump_description *d, unsigned i)
{
	uint64_t start = d->ranges[i].start;
	return start < d->zero_below ? d->zero_below : start;
}

static uint32_t range_chunks(const struct dump_description *d, unsigned i)
{
	uint64_t start = sent_start(d, i), end = d->ranges[i].start + d->ranges[i].length;
	return start >= end ? 0 : (uint32_t)((end - start + d->chunk - 1) / d->chunk);
}

/* Ranges are disjoint below 4 GiB and chunks at least DUMP_CHUNK_MIN, so
 * the sum stays below 2^32 / DUMP_CHUNK_MIN + NETDUMP_MAX_RANGES. */
uint32_t dump_chunk_count(const struct dump_description *d)
{
	uint32_t n = 0;
	for (unsigned i = 0; i < d->range_count; i++)
		n += range_chunks(d, i);
	return n;
}

/* The address and length chunk seq (1-based) must carry; false when the
 * dump has no such chunk. */
static bool chunk_of_seq(const struct dump_description *d, uint32_t seq, uint64_t *address,
			 uint32_t *len)
{
	uint32_t first = 1;
	for (unsigned i = 0; i < d->range_count; i++) {
		uint32_t n = range_chunks(d, i);
		if (seq >= first && seq < first + n) {
			uint64_t end = d->ranges[i].start + d->ranges[i].length;
			*address = sent_start(d, i) + (uint64_t)(seq - first) * d->chunk;
			*len = end - *address < d->chunk ? (uint32_t)(end - *address) : d->chunk;
			return true;
		}
		first += n;
	}
	return false;
}

static uint8_t *put_note_header(uint8_t *p, uint32_t descsz, uint32_t type)
{
	put_le32(p, 5);
	put_le32(p + 4, descsz);
	put_le32(p + 8, type);
	memcpy(p + 12, "CORE\0\0\0\0", 8);
	return p + NOTE_HDR_LEN;
}

/* One CPU's NT_PRSTATUS note: its thread's LWP is the CPU number plus one
 * (gdb takes no LWP 0). Every note carries the signal, as in Linux's cores:
 * BFD takes the core's signal from the last one. Returns the end of the
 * note. */
static uint8_t *put_prstatus(uint8_t *p, uint32_t cpu, uint32_t signal,
			     const uint32_t regs[NETDUMP_NREGS])
{
	p = put_note_header(p, PRSTATUS_LEN, NT_PRSTATUS);
	put_le16(p + 12, (uint16_t)signal); /* pr_cursig */
	put_le32(p + 24, cpu + 1); /* pr_pid */
	for (unsigned i = 0; i < NETDUMP_NREGS; i++)
		put_le32(p + PRSTATUS_REG_OFFSET + 4 * i, regs[i]);
	return p + PRSTATUS_LEN;
}

void dump_core_build_header(const struct dump_description *d, uint8_t *buf)
{
	size_t header = dump_core_header_size(d);
	uint16_t phnum = (uint16_t)(1 + d->range_count);
	uint8_t *p;

	memset(buf, 0, header);
	memcpy(buf, "\177ELF", 4);
	buf[4] = 1; /* ELFCLASS32 */
	buf[5] = 1; /* ELFDATA2LSB */
	buf[6] = 1; /* EV_CURRENT */
	put_le16(buf + 16, 4); /* ET_CORE */
	put_le16(buf + 18, 3); /* EM_386 */
	put_le32(buf + 20, 1);
	put_le32(buf + 28, ELF_EHDR_LEN); /* e_phoff */
	put_le16(buf + 40, ELF_EHDR_LEN);
	put_le16(buf + 42, ELF_PHDR_LEN);
	put_le16(buf + 44, phnum);
	put_le16(buf + 46, 40); /* e_shentsize, though there are none */

	p = buf + ELF_EHDR_LEN;
	uint32_t note_offset = (uint32_t)(ELF_EHDR_LEN + ELF_PHDR_LEN * phnum);
	put_le32(p, 4); /* PT_NOTE */
	put_le32(p + 4, note_offset);
	put_le32(p + 16, (uint32_t)notes_len(d));
	put_le32(p + 28, 4);
	uint64_t offset = dump_core_data_offset(d);
	for (unsigned i = 0; i < d->range_count; i++) {
		p += ELF_PHDR_LEN;
		put_le32(p, 1); /* PT_LOAD */
		put_le32(p + 4, (uint32_t)offset);
		put_le32(p + 8, (uint32_t)d->ranges[i].start);
		put_le32(p + 12, (uint32_t)d->ranges[i].start);
		put_le32(p + 16, (uint32_t)d->ranges[i].length);
		put_le32(p + 20, (uint32_t)d->ranges[i].length);
		put_le32(p + 24, 7); /* PF_R | PF_W | PF_X */
		put_le32(p + 28, PAGE);
		offset += d->ranges[i].length;
	}

	/* The CPU that panicked first: gdb makes the first note's thread the
	 * current one. */
	p = put_prstatus(buf + note_offset, d->cpu, d->signal, d->regs);
	for (unsigned i = 0; i < d->other_count; i++)
		p = put_prstatus(p, d->others[i].cpu, d->signal, d->others[i].regs);
	p = put_note_header(p, PRPSINFO_LEN, NT_PRPSINFO);
	p[1] = 'R'; /* pr_sname */
	put_le32(p + 12, d->cpu + 1); /* pr_pid */
	/* gdb compares pr_psargs's first word with the executable's name
	 * (build/kernel.elf) and prints all of it as "Core was generated by". */
	memcpy(p + 28, "kernel.elf", 10); /* pr_fname */
	char psargs[80];
	snprintf(psargs, sizeof(psargs), "kernel.elf %.32s %.32s", d->release, d->panic);
	memcpy(p + 44, psargs, strlen(psargs));
}

struct session {
	struct sockaddr_in6 sender;
	bool write_failed; /* the core could not be written: no fsync, no resize */
	uint32_t dump_id;
	bool closed, complete;
	struct dump_description desc;
	uint32_t chunks;
	uint8_t *received; /* one bit per data seq */
	uint32_t received_count, duplicates;
	uint64_t received_bytes;
	uint32_t kernel_retransmits;
	uint32_t unmapped_pages;
	int fd;
	unsigned number;
	char ip[INET6_ADDRSTRLEN];
	long long start_ms, first_data_ms, finish_ms, last_ms;
	uint32_t *pending; /* seqs to acknowledge */
	size_t pending_count, pending_size;
	char verdict[160];
	char release[ESCAPED_STR_MAX], panic[ESCAPED_STR_MAX]; /* escaped */
};

struct dump_receiver {
	char *dir;
	int dir_fd;
	bool quiet;
	uint64_t max_bytes;
	/* Open and recently closed dumps; count of them in use. */
	struct session *sessions[DUMP_SESSIONS_MAX];
	unsigned count, finished, complete;
	unsigned next_number; /* where the search for a free N starts */
	unsigned long refused;
	long long refusal_reported_ms;
	unsigned loss_percent;
	uint32_t loss_state;
	unsigned long lost_in, lost_out;
};

void dump_receiver_set_max(struct dump_receiver *r, uint64_t max_bytes)
{
	r->max_bytes = max_bytes;
}

void dump_receiver_set_loss(struct dump_receiver *r, unsigned percent, uint32_t seed)
{
	r->loss_percent = percent;
	r->loss_state = seed ? seed : 1;
}

/* xorshift32: any fixed seed gives the same losses, run after run. */
static bool lose_one(struct dump_receiver *r)
{
	if (!r->loss_percent)
		return false;
	r->loss_state ^= r->loss_state << 13;
	r->loss_state ^= r->loss_state >> 17;
	r->loss_state ^= r->loss_state << 5;
	return r->loss_state % 100 < r->loss_percent;
}

struct dump_receiver *dump_receiver_new(const char *dir, bool quiet)
{
	struct dump_receiver *r;
	int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dir_fd < 0 || faccessat(dir_fd, ".", W_OK, 0) < 0) {
		fprintf(stderr, PROG ": --dump-dir %s: not a writable directory\n", dir);
		if (dir_fd >= 0)
			close(dir_fd);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r || !(r->dir = strdup(dir))) {
		free(r);
		close(dir_fd);
		fprintf(stderr, PROG ": out of memory\n");
		return NULL;
	}
	r->dir_fd = dir_fd;
	r->quiet = quiet;
	r->max_bytes = DUMP_MAX_DEFAULT;
	r->refusal_reported_ms = -REFUSAL_REPORT_MS;
	return r;
}

/* A file's name inside the directory: KIND.IP.N[SUFFIX], never a path. */
static void name_of(const struct session *s, const char *kind, const char *suffix, char *buf,
		    size_t size)
{
	snprintf(buf, size, "%s.%s.%u%s", kind, s->ip, s->number, suffix);
}

/* write() once, whole, or fail (a short write means the disk is full). */
static int write_whole(int fd, const void *buf, size_t len, off_t at)
{
	ssize_t n = pwrite(fd, buf, len, at);

	if (n >= 0 && (size_t)n != len)
		errno = ENOSPC;
	return n >= 0 && (size_t)n == len ? 0 : -1;
}

static void queue_ack(struct session *s, uint32_t seq)
{
	if (s->pending_count == DUMP_PENDING_MAX)
		return; /* the kernel resends, and we ack then */
	if (s->pending_count == s->pending_size) {
		size_t size = s->pending_size ? 2 * s->pending_size : 256;
		uint32_t *grown = realloc(s->pending, size * sizeof(*grown));
		if (!grown)
			return; /* the kernel resends, and we ack then */
		s->pending = grown;
		s->pending_size = size;
	}
	s->pending[s->pending_count++] = seq;
}

static double seconds_between(long long from_ms, long long to_ms)
{
	return (double)(to_ms - from_ms) / 1000.0;
}

/* The info file, built whole in memory, then written to a temporary name
 * and renamed, so a reader never sees half. The verdict comes first and the
 * strings from the wire are escaped into one line each, so no forged line
 * can look like a field. */
static void write_info(const struct dump_receiver *r, const struct session *s)
{
	char name[96], tmp[104], *text = NULL;
	size_t size = 0;
	const struct dump_description *d = &s->desc;
	FILE *f = open_memstream(&text, &size);
	uint64_t ram = 0;
	long long end_ms = s->closed ? (s->finish_ms ? s->finish_ms : s->last_ms) : s->last_ms;
	double seconds = seconds_between(s->start_ms, end_ms);
	int fd;

	if (!f)
		return;
	fprintf(f, "complete: %s\n", s->complete ? "yes" : "no");
	fprintf(f, "verdict: %s\n", s->verdict);
	fprintf(f, "sender: %s\n", s->ip);
	fprintf(f, "dump_id: 0x%08x\n", s->dump_id);
	fprintf(f, "kernel_release: %s\n", s->release);
	fprintf(f, "panic: %s\n", s->panic);
	fprintf(f, "signal: %u\n", d->signal);
	/* One thread each in the core, in this order: the CPU that panicked first. */
	fprintf(f, "cpus: %u", d->cpu);
	for (unsigned i = 0; i < d->other_count; i++)
		fprintf(f, " %u", d->others[i].cpu);
	fprintf(f, "\n");
	fprintf(f, "ranges:");
	for (unsigned i = 0; i < d->range_count; i++) {
		fprintf(f, " 0x%llx-0x%llx", (unsigned long long)d->ranges[i].start,
			(unsigned long long)(d->ranges[i].start + d->ranges[i].length - 1));
		ram += d->ranges[i].length;
	}
	fprintf(f, "\nram_bytes: %llu\n", (unsigned long long)ram);
	fprintf(f, "zero_filled_below: 0x%x\n", d->zero_below);
	fprintf(f, "core_bytes: %llu\n", (unsigned long long)dump_core_size(d));
	fprintf(f, "received_bytes: %llu\n", (unsigned long long)s->received_bytes);
	fprintf(f, "chunks: %u of %u\n", s->received_count, s->chunks);
	fprintf(f, "duplicate_chunks: %u\n", s->duplicates);
	fprintf(f, "kernel_resends: %u\n", s->kernel_retransmits);
	fprintf(f, "unmapped_pages_zeroed: %u\n", s->unmapped_pages);
	fprintf(f, "seconds: %.3f\n", seconds);
	fprintf(f, "mb_per_s: %.1f\n",
		seconds > 0 ? (double)s->received_bytes / seconds / 1e6 : 0.0);
	/* The data phase alone: the herald's answer may wait on the NIC (QEMU's
	 * e1000 holds receive back for a second after it is enabled). */
	if (s->first_data_ms) {
		double data_seconds = seconds_between(s->first_data_ms, end_ms);
		fprintf(f, "data_seconds: %.3f\n", data_seconds);
		fprintf(f, "data_mb_per_s: %.1f\n",
			data_seconds > 0 ? (double)s->received_bytes / data_seconds / 1e6 : 0.0);
	}
	if (r->loss_percent)
		fprintf(f, "simulated_loss: %u%% (%lu datagrams and %lu acks dropped so far)\n",
			r->loss_percent, r->lost_in, r->lost_out);
	if (fclose(f) != 0) {
		free(text);
		return;
	}
	name_of(s, "info", "", name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	fd = client_replace_file_at(r->dir_fd, tmp, O_WRONLY);
	if (fd >= 0) {
		int failed = write_whole(fd, text, size, 0) < 0;
		failed |= close(fd) < 0;
		if (failed || renameat(r->dir_fd, tmp, r->dir_fd, name) < 0) {
			fd = -1;
			unlinkat(r->dir_fd, tmp, 0);
		}
	}
	if (fd < 0)
		fprintf(stderr, PROG ": %s/%s: %s\n", r->dir, name, strerror(errno));
	free(text);
}

static struct session *find_session(struct dump_receiver *r, const struct sockaddr_in6 *from,
				    uint32_t dump_id)
{
	for (unsigned i = 0; i < r->count; i++) {
		struct session *s = r->sessions[i];
		if (s->dump_id == dump_id && client_same_address(&s->sender, from))
			return s;
	}
	return NULL;
}

/* Reserves the lowest free N from where the last search ended with
 * info.<ip>.<N>, and creates the core with its header; its size is set at
 * the end (sparse), so a herald alone costs no disk. */
static int create_files(struct dump_receiver *r, struct session *s)
{
	char name[96];
	int fd = -1;

	for (unsigned tries = 0; tries < 100000; tries++) {
		s->number = r->next_number++ % 100000;
		name_of(s, "info", "", name, sizeof(name));
		fd = openat(r->dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0644);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd >= 0) {
		close(fd);
		name_of(s, "vmcore", ".partial", name, sizeof(name));
		s->fd = client_replace_file_at(r->dir_fd, name, O_RDWR);
	}
	if (s->fd >= 0) {
		size_t header_len = dump_core_header_size(&s->desc);
		uint8_t *header = malloc(header_len);
		if (header) {
			dump_core_build_header(&s->desc, header);
			int written = write_whole(s->fd, header, header_len, 0);
			free(header);
			if (written == 0)
				return 0;
		}
	}
	fprintf(stderr, PROG ": cannot create the dump files in %s: %s\n", r->dir, strerror(errno));
	return -1;
}

static void free_session(struct session *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->received);
	free(s->pending);
	free(s);
}

static void forget_session(struct dump_receiver *r, unsigned i)
{
	free_session(r->sessions[i]);
	r->sessions[i] = r->sessions[--r->count];
}

static void close_session(struct dump_receiver *r, struct session *s, const char *verdict,
			  bool complete);

/* Makes room for a new dump: the least recently heard closed one goes
 * first, else the least recently heard open one is closed as incomplete. */
static void make_room(struct dump_receiver *r)
{
	unsigned oldest = 0;
	bool closed_found = false;

	for (unsigned i = 0; i < r->count; i++) {
		const struct session *s = r->sessions[i], *o = r->sessions[oldest];
		if ((s->closed && !closed_found) ||
		    (s->closed == closed_found && s->last_ms < o->last_ms)) {
			oldest = i;
			closed_found = s->closed;
		}
	}
	if (!r->sessions[oldest]->closed)
		close_session(r, r->sessions[oldest], "displaced by newer dumps", false);
	forget_session(r, oldest);
}

/* Says why a herald was refused, at most once a second. */
static void refuse(struct dump_receiver *r, const char *ip, const char *why, long long now_ms)
{
	r->refused++;
	if (r->quiet || now_ms - r->refusal_reported_ms < REFUSAL_REPORT_MS)
		return;
	r->refusal_reported_ms = now_ms;
	fprintf(stderr, PROG ": dump from %s refused: %s (%lu refused so far)\n", ip, why,
		r->refused);
}

static void start_session(struct dump_receiver *r, const struct sockaddr_in6 *from,
			  const struct netdump_header *h, const uint8_t *payload, long long now_ms)
{
	struct session *s = calloc(1, sizeof(*s));
	char ip[INET6_ADDRSTRLEN], why[96];

	client_format_ip(&from->sin6_addr, ip);
	if (!s)
		return;
	s->fd = -1;
	if (dump_parse_herald(payload, h->len, &s->desc) < 0) {
		free(s);
		refuse(r, ip, "malformed herald", now_ms);
		return;
	}
	if (dump_core_size(&s->desc) > r->max_bytes) {
		snprintf(why, sizeof(why), "a %llu-byte core is over --dump-max %llu",
			 (unsigned long long)dump_core_size(&s->desc),
			 (unsigned long long)r->max_bytes);
		free(s);
		refuse(r, ip, why, now_ms);
		return;
	}
	if (r->count == DUMP_SESSIONS_MAX)
		make_room(r);
	s->sender = *from;
	s->dump_id = h->dump_id;
	memcpy(s->ip, ip, sizeof(ip));
	client_escape_line(s->desc.release, strlen(s->desc.release), s->release);
	client_escape_line(s->desc.panic, strlen(s->desc.panic), s->panic);
	s->chunks = dump_chunk_count(&s->desc);
	s->received = calloc(s->chunks / 8 + 1, 1);
	if (!s->received || create_files(r, s) < 0) {
		free_session(s);
		return;
	}
	s->start_ms = s->last_ms = now_ms;
	snprintf(s->verdict, sizeof(s->verdict), "receiving");
	r->sessions[r->count++] = s;
	write_info(r, s);
	if (!r->quiet)
		fprintf(stderr, PROG ": dump from %s: %s, \"%s\", %u chunks\n", s->ip, s->release,
			s->panic, s->chunks);
	queue_ack(s, 0);
}

/* A chunk is written once: a copy that comes again is only counted (and
 * acknowledged), so what the checksums read back is what came first. */
static void take_data(struct dump_receiver *r, struct session *s, const struct netdump_header *h,
		      const uint8_t *payload, long long now_ms)
{
	char verdict[128];
	uint64_t address;
	uint32_t len, bit;

	if (!chunk_of_seq(&s->desc, h->seq, &address, &len) || address != h->offset ||
	    len != h->len)
		return;
	bit = h->seq - 1;
	if (s->received[bit / 8] & (1u << (bit % 8))) {
		s->duplicates++;
		queue_ack(s, h->seq);
		return;
	}
	int64_t at = dump_core_offset_of(&s->desc, address, len);
	if (at < 0 || write_whole(s->fd, payload, len, at) < 0) {
		snprintf(verdict, sizeof(verdict), "cannot write the core: %s", strerror(errno));
		s->write_failed = true;
		close_session(r, s, verdict, false);
		return;
	}
	if (!s->first_data_ms)
		s->first_data_ms = now_ms;
	s->received[bit / 8] |= (uint8_t)(1u << (bit % 8));
	s->received_count++;
	s->received_bytes += len;
	queue_ack(s, h->seq);
}

/* Recomputes every range's checksum from the core as written. Returns the
 * index of the first range that differs, or -1 when all agree. It reads
 * only bytes that came (every chunk must have, first), so its cost is the
 * sender's own. */
static int verify_ranges(struct session *s, const uint64_t *sums)
{
	const struct dump_description *d = &s->desc;
	/* Whole chunks per read, so each chunk's sum is taken as it was sent. */
	size_t step = VERIFY_BUF / d->chunk * d->chunk;
	uint8_t *buf = malloc(VERIFY_BUF);
	int bad = -2;

	if (!buf)
		return -2;
	for (unsigned i = 0; i < d->range_count; i++) {
		uint64_t address = sent_start(d, i), end = d->ranges[i].start + d->ranges[i].length;
		uint64_t sum = 0;
		while (address < end) {
			size_t want = end - address < step ? (size_t)(end - address) : step;
			int64_t at = dump_core_offset_of(d, address, want);
			if (at < 0 || pread(s->fd, buf, want, at) != (ssize_t)want)
				goto out;
			for (size_t off = 0; off < want; off += d->chunk) {
				size_t n = want - off < d->chunk ? want - off : d->chunk;
				sum += netdump_chunk_term(address + off,
							  netdump_chunk_sum(buf + off, n));
			}
			address += want;
		}
		if (sum != sums[i]) {
			bad = (int)i;
			goto out;
		}
	}
	bad = -1;
out:
	free(buf);
	return bad;
}

/* The core gets its full (sparse) size unless writing it failed, is
 * renamed to vmcore.IP.N or vmcore.IP.N.incomplete, and the info file is
 * written whole with the verdict. */
static void close_session(struct dump_receiver *r, struct session *s, const char *verdict,
			  bool complete)
{
	char from[96], to[96];

	s->closed = true;
	s->complete = complete;
	snprintf(s->verdict, sizeof(s->verdict), "%s", verdict);
	name_of(s, "vmcore", ".partial", from, sizeof(from));
	name_of(s, "vmcore", complete ? "" : ".incomplete", to, sizeof(to));
	if (!s->write_failed &&
	    (ftruncate(s->fd, (off_t)dump_core_size(&s->desc)) < 0 || fsync(s->fd) < 0))
		fprintf(stderr, PROG ": %s/%s: %s\n", r->dir, from, strerror(errno));
	if (renameat(r->dir_fd, from, r->dir_fd, to) < 0)
		fprintf(stderr, PROG ": %s/%s: %s\n", r->dir, to, strerror(errno));
	close(s->fd);
	s->fd = -1;
	free(s->received);
	s->received = NULL;
	write_info(r, s);
	r->finished++;
	if (complete)
		r->complete++;
	if (!r->quiet)
		fprintf(stderr, PROG ": dump from %s %s: %s/%s (%s)\n", s->ip,
			complete ? "complete" : "INCOMPLETE", r->dir, to, verdict);
}

static void take_finish(struct dump_receiver *r, struct session *s, const struct netdump_header *h,
			const uint8_t *p, long long now_ms)
{
	uint64_t sums[NETDUMP_MAX_RANGES];
	char verdict[128];

	queue_ack(s, h->seq);
	if (s->closed)
		return;
	s->finish_ms = now_ms;
	if (h->len < 16 || get_unaligned_be32(p) != s->desc.range_count ||
	    h->len < 16 + 8 * s->desc.range_count || get_unaligned_be32(p + 4) != s->chunks) {
		close_session(r, s, "malformed closing message", false);
		return;
	}
	s->kernel_retransmits = get_unaligned_be32(p + 8);
	s->unmapped_pages = get_unaligned_be32(p + 12);
	for (unsigned i = 0; i < s->desc.range_count; i++)
		sums[i] = get_unaligned_be64(p + 16 + 8 * i);
	if (s->received_count != s->chunks) {
		snprintf(verdict, sizeof(verdict), "closed with %u of %u chunks", s->received_count,
			 s->chunks);
		close_session(r, s, verdict, false);
		return;
	}
	int bad = verify_ranges(s, sums);
	if (bad == -1) {
		close_session(r, s, "all range checksums verified", true);
		return;
	}
	if (bad >= 0)
		snprintf(verdict, sizeof(verdict), "checksum mismatch in range %d", bad);
	else
		snprintf(verdict, sizeof(verdict), "cannot read the core back to verify it");
	close_session(r, s, verdict, false);
}

void dump_receiver_handle(struct dump_receiver *r, const struct sockaddr_in6 *from,
			  const uint8_t *buf, size_t len, long long now_ms)
{
	struct netdump_header h;
	struct session *s;

	if (lose_one(r)) {
		r->lost_in++;
		return;
	}
	if (netdump_get_header(buf, len, &h) < 0)
		return;
	s = find_session(r, from, h.dump_id);
	if (s)
		s->last_ms = now_ms;
	switch (h.type) {
	case NETDUMP_HERALD:
		if (s)
			queue_ack(s, 0);
		else
			start_session(r, from, &h, buf + NETDUMP_HDR_LEN, now_ms);
		break;
	case NETDUMP_DATA:
		if (s && !s->closed)
			take_data(r, s, &h, buf + NETDUMP_HDR_LEN, now_ms);
		break;
	case NETDUMP_FINISH:
		if (s && h.seq == s->chunks + 1)
			take_finish(r, s, &h, buf + NETDUMP_HDR_LEN, now_ms);
		break;
	default:
		break;
	}
}

void dump_receiver_flush(struct dump_receiver *r, dump_send_fn send, void *ctx)
{
	uint8_t packet[NETDUMP_UDP_MAX];

	for (unsigned i = 0; i < r->count; i++) {
		struct session *s = r->sessions[i];
		size_t done = 0;
		while (done < s->pending_count) {
			size_t n = s->pending_count - done;
			size_t most = client_is_ipv4(&s->sender.sin6_addr) ? NETDUMP_ACK_MAX_SEQS
									   : NETDUMP_ACK6_MAX_SEQS;
			if (n > most)
				n = most;
			struct netdump_header h = {.type = NETDUMP_ACK,
						   .dump_id = s->dump_id,
						   .len = (uint32_t)(4 + 4 * n)};
			netdump_put_header(packet, &h);
			put_unaligned_be32((uint32_t)n, packet + NETDUMP_HDR_LEN);
			for (size_t k = 0; k < n; k++)
				put_unaligned_be32(s->pending[done + k],
						   packet + NETDUMP_HDR_LEN + 4 + 4 * k);
			if (lose_one(r))
				r->lost_out++;
			else
				send(&s->sender, packet, NETDUMP_HDR_LEN + h.len, ctx);
			done += n;
		}
		s->pending_count = 0;
	}
}

/* Closes open dumps idle for DUMP_IDLE_MS and forgets closed ones idle as
 * long (all, when now_ms < 0). */
void dump_receiver_expire(struct dump_receiver *r, long long now_ms)
{
	char verdict[128];

	for (unsigned i = 0; i < r->count; i++) {
		struct session *s = r->sessions[i];
		if (now_ms >= 0 && now_ms - s->last_ms < DUMP_IDLE_MS)
			continue;
		if (s->closed) {
			if (now_ms >= 0)
				forget_session(r, i--);
			continue;
		}
		snprintf(verdict, sizeof(verdict), "%s with %u of %u chunks, no closing message",
			 now_ms >= 0 ? "went silent" : "listener stopped", s->received_count,
			 s->chunks);
		close_session(r, s, verdict, false);
	}
}

unsigned dump_receiver_finished(const struct dump_receiver *r)
{
	return r->finished;
}

unsigned dump_receiver_complete(const struct dump_receiver *r)
{
	return r->complete;
}

unsigned dump_receiver_active(const struct dump_receiver *r)
{
	unsigned open = 0;
	for (unsigned i = 0; i < r->count; i++)
		open += !r->sessions[i]->closed;
	return open;
}

void dump_receiver_free(struct dump_receiver *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->count; i++)
		free_session(r->sessions[i]);
	close(r->dir_fd);
	free(r->dir);
	free(r);
}
