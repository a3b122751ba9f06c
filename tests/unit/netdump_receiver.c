/* The host's netdump receiver: a dump fed through it packet by packet
 * becomes an ELF32 core whose headers, notes and bytes are checked here;
 * acknowledgements name every seq; a missing chunk, a wrong checksum or a
 * dump that goes silent is kept but marked incomplete. */
#include "tap.h"

#include "host/client-dump.c"
#include "host/client-escape.c"
#include "host/client-files.c"
#include "host/client-socket.c"
#include "tests/host/netdump-herald.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

#define RAM_SIZE 0x20000
static uint8_t ram[RAM_SIZE];
static const struct dump_range test_ranges[2] = {{0, 0x2000}, {0x10000, 3000}};
static uint32_t acked[4096];
static unsigned acked_count;
static char dir[] = "/tmp/netdump-unit.XXXXXX";

static void collect_ack(const struct sockaddr_in6 *to, const void *buf, size_t len, void *ctx)
{
	struct netdump_header h;
	(void)to;
	(void)ctx;
	if (netdump_get_header(buf, len, &h) < 0 || h.type != NETDUMP_ACK)
		return;
	const uint8_t *p = (const uint8_t *)buf + NETDUMP_HDR_LEN;
	for (uint32_t i = 0; i < get_unaligned_be32(p) && acked_count < 4096; i++)
		acked[acked_count++] = get_unaligned_be32(p + 4 + 4 * i);
}

static bool was_acked(uint32_t seq)
{
	for (unsigned i = 0; i < acked_count; i++)
		if (acked[i] == seq)
			return true;
	return false;
}

static size_t packet(uint8_t *buf, uint8_t type, uint32_t id, uint32_t seq, uint64_t offset,
		     const void *payload, size_t len)
{
	struct netdump_header h = {
		.type = type, .dump_id = id, .seq = seq, .offset = offset, .len = (uint32_t)len};
	netdump_put_header(buf, &h);
	memcpy(buf + NETDUMP_HDR_LEN, payload, len);
	return NETDUMP_HDR_LEN + len;
}

static size_t herald(uint8_t *p)
{
	uint8_t *start = p;
	put_unaligned_be32(NETDUMP_CHUNK, p);
	put_unaligned_be32(4096, p + 4);
	put_unaligned_be32(11, p + 8);
	p += 12;
	for (unsigned i = 0; i < NETDUMP_NREGS; i++, p += 4)
		put_unaligned_be32(0x1000 + i, p);
	put_unaligned_be32(2, p);
	p += 4;
	for (unsigned i = 0; i < 2; i++, p += 16) {
		put_unaligned_be64(test_ranges[i].start, p);
		put_unaligned_be64(test_ranges[i].length, p + 8);
	}
	put_unaligned_be16(3, p);
	memcpy(p + 2, "rel", 3);
	put_unaligned_be16(4, p + 5);
	memcpy(p + 7, "oops", 4);
	return (size_t)(p + 11 - start);
}

/* Feeds a whole dump; skip_seq (0: none) is never sent; corrupt flips the
 * first range's checksum. Returns the number of data chunks. */
static uint32_t feed_dump(struct dump_receiver *r, uint32_t id, uint32_t skip_seq, bool corrupt)
{
	struct sockaddr_in6 from = client_ipv4_address(0x7f000001, 6667);
	uint8_t buf[NETDUMP_UDP_MAX], body[NETDUMP_PAYLOAD_MAX];
	uint64_t sums[2] = {0, 0};
	uint32_t seq = 1;
	dump_receiver_handle(r, &from, buf,
			     packet(buf, NETDUMP_HERALD, id, 0, 0, body, herald(body)), 0);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t at = test_ranges[i].start < 4096 ? 4096 : test_ranges[i].start;
		uint64_t end = test_ranges[i].start + test_ranges[i].length;
		for (; at < end; at += NETDUMP_CHUNK, seq++) {
			size_t n = end - at < NETDUMP_CHUNK ? end - at : NETDUMP_CHUNK;
			sums[i] += netdump_chunk_term(at, netdump_chunk_sum(ram + at, n));
			if (seq == skip_seq)
				continue;
			size_t len = packet(buf, NETDUMP_DATA, id, seq, at, ram + at, n);
			dump_receiver_handle(r, &from, buf, len, 1);
			if (seq == 2) /* a duplicate, as after a lost ack */
				dump_receiver_handle(r, &from, buf, len, 1);
		}
	}
	if (corrupt)
		sums[0] ^= 1;
	put_unaligned_be32(2, body);
	put_unaligned_be32(seq - 1, body + 4);
	put_unaligned_be32(0, body + 8);
	put_unaligned_be32(0, body + 12);
	put_unaligned_be64(sums[0], body + 16);
	put_unaligned_be64(sums[1], body + 24);
	dump_receiver_handle(r, &from, buf, packet(buf, NETDUMP_FINISH, id, seq, 0, body, 32), 2);
	return seq - 1;
}

static char *slurp_path(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(RAM_SIZE * 4);
	*size = fread(buf, 1, RAM_SIZE * 4, f);
	fclose(f);
	buf[*size < RAM_SIZE * 4 ? *size : RAM_SIZE * 4 - 1] = '\0';
	return buf;
}

static char *slurp(const char *name, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp_path(path, size);
}

static uint32_t le32(const void *p)
{
	const uint8_t *b = p;
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static void test_complete_dump(void)
{
	struct dump_receiver *r = dump_receiver_new(dir, true);
	size_t size;

	ok(r != NULL, "receiver opens on a writable directory");
	uint32_t chunks = feed_dump(r, 0x1111, 0, false);
	is_int(chunks, 3 + 3, "chunks: page 0 skipped, then 4096 + 3000 bytes");
	dump_receiver_flush(r, collect_ack, NULL);
	ok(was_acked(0) && was_acked(1) && was_acked(chunks) && was_acked(chunks + 1),
	   "herald, data and FINISH are acknowledged");
	is_int(dump_receiver_complete(r), 1, "the dump is complete");
	is_int(dump_receiver_active(r), 0, "and closed");

	uint8_t *core = (uint8_t *)slurp("vmcore.127.0.0.1.0", &size);
	ok(core != NULL, "vmcore.127.0.0.1.0 written");
	if (!core)
		return;
	struct dump_description d;
	uint8_t body[NETDUMP_PAYLOAD_MAX];
	dump_parse_herald(body, herald(body), &d);
	is_int(size, dump_core_size(&d), "core size as laid out");
	ok(memcmp(core, "\177ELF\1\1\1", 7) == 0, "ELF32, little-endian");
	is_int(core[16] | core[17] << 8, 4, "ET_CORE");
	is_int(core[18] | core[19] << 8, 3, "EM_386");
	is_int(core[44] | core[45] << 8, 3, "a PT_NOTE and two PT_LOADs");
	const uint8_t *ph = core + 52;
	is_int(le32(ph), 4, "first program header is PT_NOTE");
	is_int(le32(ph + 32), 1, "then PT_LOAD");
	is_int(le32(ph + 32 + 8), 0, "first PT_LOAD at address 0");
	is_int(le32(ph + 64 + 8), 0x10000, "second PT_LOAD at 0x10000");
	is_int(le32(ph + 64 + 16), 3000, "second PT_LOAD's size");
	const uint8_t *note = core + le32(ph + 4);
	is_int(le32(note + 8), 1, "NT_PRSTATUS note");
	ok(memcmp(note + 12, "CORE", 5) == 0, "named CORE");
	is_int(le32(note + 20 + 72 + 4 * NETDUMP_EIP), 0x1000 + NETDUMP_EIP,
	       "pr_reg holds EIP where gdb reads it");
	is_int(note[20 + 12], 11, "pr_cursig is the signal");
	uint32_t off0 = le32(ph + 32 + 4), off1 = le32(ph + 64 + 4);
	uint8_t zeros[4096] = {0};
	ok(memcmp(core + off0, zeros, 4096) == 0, "page 0 is zeros");
	ok(memcmp(core + off0 + 4096, ram + 4096, 4096) == 0, "the first range's bytes");
	ok(memcmp(core + off1, ram + 0x10000, 3000) == 0, "the second range's bytes");
	free(core);

	char *info = slurp("info.127.0.0.1.0", &size);
	ok(info && strstr(info, "complete: yes\n"), "info says complete");
	ok(info && strstr(info, "verdict: all range checksums verified\n"), "and verified");
	ok(info && strstr(info, "panic: oops\n") && strstr(info, "kernel_release: rel\n"),
	   "info has the release and panic text");
	ok(info && strstr(info, "duplicate_chunks: 1\n"), "the duplicate is counted");
	free(info);
	dump_receiver_free(r);
}

static void test_incomplete_dumps(void)
{
	struct dump_receiver *r = dump_receiver_new(dir, true);
	size_t size;
	char *info;

	feed_dump(r, 0x2222, 3, false);
	ok(slurp("vmcore.127.0.0.1.1", &size) == NULL, "a dump missing a chunk is not named whole");
	info = slurp("info.127.0.0.1.1", &size);
	ok(info != NULL, "its info file exists");
	ok(info && strstr(info, "complete: no\n") && strstr(info, "5 of 6 chunks"),
	   "info: incomplete, 5 of 6 chunks");
	free(info);
	char *core = slurp("vmcore.127.0.0.1.1.incomplete", &size);
	ok(core != NULL, "kept as vmcore.127.0.0.1.1.incomplete");
	free(core);

	feed_dump(r, 0x3333, 0, true);
	info = slurp("info.127.0.0.1.2", &size);
	ok(info && strstr(info, "checksum mismatch in range 0"), "a wrong checksum is caught");
	free(info);
	is_int(dump_receiver_complete(r), 0, "neither dump counts as complete");

	struct sockaddr_in6 from = client_ipv4_address(0x7f000001, 6667);
	uint8_t buf[NETDUMP_UDP_MAX], body[NETDUMP_PAYLOAD_MAX];
	dump_receiver_handle(r, &from, buf,
			     packet(buf, NETDUMP_HERALD, 0x4444, 0, 0, body, herald(body)), 100);
	is_int(dump_receiver_active(r), 1, "a new dump is open");
	dump_receiver_expire(r, 100 + DUMP_IDLE_MS - 1);
	is_int(dump_receiver_active(r), 1, "not yet idle");
	dump_receiver_expire(r, 100 + DUMP_IDLE_MS);
	is_int(dump_receiver_active(r), 0, "closed once idle");
	info = slurp("info.127.0.0.1.3", &size);
	ok(info && strstr(info, "went silent with 0 of 6 chunks"), "info says it went silent");
	free(info);
	dump_receiver_free(r);
}

static void test_loss(void)
{
	struct dump_receiver *r = dump_receiver_new(dir, true);
	dump_receiver_set_loss(r, 50, 12345);
	unsigned lost = 0;
	for (int i = 0; i < 1000; i++)
		lost += lose_one(r);
	ok(lost > 400 && lost < 600, "50%% simulated loss drops about half (%u of 1000)", lost);
	dump_receiver_free(r);
}

/* herald() followed by a CPU section: this CPU, then the others, each with
 * registers 0x<cpu>000 + index. */
static size_t herald_with_cpus(uint8_t *body, uint32_t self, const uint32_t *others, unsigned count)
{
	uint8_t *p = body + herald(body);
	put_unaligned_be32(self, p);
	put_unaligned_be32(count, p + 4);
	p += 8;
	for (unsigned i = 0; i < count; i++) {
		put_unaligned_be32(others[i], p);
		p += 4;
		for (unsigned r = 0; r < NETDUMP_NREGS; r++, p += 4)
			put_unaligned_be32(others[i] << 12 | r, p);
	}
	return (size_t)(p - body);
}

/* Issue 12: one NT_PRSTATUS note per CPU, the one that panicked first (gdb
 * selects the first note's thread), each thread's LWP its CPU plus one. */
static void test_cpu_notes(void)
{
	struct dump_description d;
	uint8_t body[NETDUMP_PAYLOAD_MAX], core[4096];
	const uint32_t others[] = {0, 1, 3};

	is_int(dump_parse_herald(body, herald(body), &d), 0, "a herald without CPUs parses");
	dump_core_build_header(&d, core);
	const uint8_t *note = core + le32(core + 52 + 4);
	is_int(le32(core + 52 + 16), 2 * 20 + 144 + 124, "one CPU: one NT_PRSTATUS, NT_PRPSINFO");
	is_int(le32(note + 20 + 24), 1, "its LWP is 1 (CPU 0)");

	size_t len = herald_with_cpus(body, 2, others, 3);
	is_int(dump_parse_herald(body, len, &d), 0, "a herald of 4 CPUs parses");
	ok(dump_core_header_size(&d) <= sizeof(core), "its header fits the test's buffer");
	dump_core_build_header(&d, core);
	is_int(le32(core + 52 + 16), 5 * 20 + 4 * 144 + 124, "four NT_PRSTATUS and NT_PRPSINFO");
	note = core + le32(core + 52 + 4);
	const uint32_t want_lwp[] = {3, 1, 2, 4};
	for (unsigned i = 0; i < 4; i++, note += 20 + 144) {
		uint32_t eip = le32(note + 20 + 72 + 4 * NETDUMP_EIP);
		uint32_t want_eip =
			i == 0 ? 0x1000 + NETDUMP_EIP : (want_lwp[i] - 1) << 12 | NETDUMP_EIP;
		ok(le32(note + 8) == 1 && le32(note + 20 + 24) == want_lwp[i] && eip == want_eip &&
			   note[20 + 12] == 11,
		   "note %u: NT_PRSTATUS of LWP %u, EIP %#x, each with the signal", i, want_lwp[i],
		   want_eip);
	}
	is_int(le32(note + 8), 3, "then NT_PRPSINFO");
	is_int(le32(note + 20 + 12), 3, "whose pid is the panicking CPU's thread");

	const uint32_t twice[] = {0, 2};
	is_int(dump_parse_herald(body, herald_with_cpus(body, 2, twice, 2), &d), -1,
	       "a CPU named twice is rejected");
	const uint32_t beyond[] = {NETDUMP_MAX_CPUS};
	is_int(dump_parse_herald(body, herald_with_cpus(body, 0, beyond, 1), &d), -1,
	       "a CPU beyond NETDUMP_MAX_CPUS is rejected");
	const uint32_t all[] = {1, 2, 3, 4, 5, 6, 7, 0};
	is_int(dump_parse_herald(body, herald_with_cpus(body, 0, all, 8), &d), -1,
	       "more than NETDUMP_MAX_CPUS CPUs are rejected");
	len = herald_with_cpus(body, 2, others, 3);
	is_int(dump_parse_herald(body, len - 1, &d), -1, "a truncated CPU section is rejected");
	body[len] = 0;
	is_int(dump_parse_herald(body, len + 1, &d), -1, "a byte after it is rejected");
	is_int(dump_parse_herald(body, herald(body) + 4, &d), -1,
	       "a CPU section shorter than its header is rejected");
}

static void test_malformed_herald(void)
{
	struct dump_description d;
	uint8_t body[NETDUMP_PAYLOAD_MAX];
	size_t len = herald(body);
	is_int(dump_parse_herald(body, len, &d), 0, "a good herald parses");
	is_int(dump_parse_herald(body, len - 1, &d), -1, "a truncated herald is rejected");
	put_unaligned_be64(0x1000, body + 12 + 4 * NETDUMP_NREGS + 4 + 16);
	is_int(dump_parse_herald(body, len, &d), -1, "overlapping ranges are rejected");
}

/* A herald with any chunk size, zero_below, ranges and texts. */
static size_t herald_of(uint8_t *p, uint32_t chunk, uint32_t zero_below,
			const struct dump_range *ranges, unsigned count, const char *release,
			const char *panic)
{
	uint64_t pairs[NETDUMP_MAX_RANGES][2];

	for (unsigned i = 0; i < count; i++) {
		pairs[i][0] = ranges[i].start;
		pairs[i][1] = ranges[i].length;
	}
	return netdump_test_herald(p, chunk, zero_below, pairs, count, release, panic);
}

static struct sockaddr_in6 attacker(uint16_t port)
{
	struct sockaddr_in6 from = client_ipv4_address(0x7f000009, port);
	return from;
}

static void send_herald(struct dump_receiver *r, uint16_t port, uint32_t id, uint32_t chunk,
			const struct dump_range *ranges, unsigned count, long long now)
{
	struct sockaddr_in6 from = attacker(port);
	uint8_t buf[NETDUMP_UDP_MAX], body[NETDUMP_PAYLOAD_MAX];
	size_t len = herald_of(body, chunk, 0, ranges, count, "r", "p");

	dump_receiver_handle(r, &from, buf, packet(buf, NETDUMP_HERALD, id, 0, 0, body, len), now);
}

/* Issue 19: 1-byte chunks over two 2 GiB ranges made 2^32 chunks, a count
 * that wrapped to 0 in 32 bits; one DATA datagram then set a bit 256 MiB
 * past a 1-byte bitmap, and a FINISH read back 4 GiB. */
static void test_chunk_count_wrap(void)
{
	struct dump_receiver *r = dump_receiver_new(dir, true);
	const struct dump_range halves[2] = {{0, 1ULL << 31}, {1ULL << 31, 1ULL << 31}};
	struct sockaddr_in6 from = attacker(7000);
	uint8_t buf[NETDUMP_UDP_MAX], byte = 0x41, body[16] = {0};

	send_herald(r, 7000, 0xbad1, 1, halves, 2, 0);
	is_int(dump_receiver_active(r), 0, "a herald whose chunk count wraps is refused");
	dump_receiver_handle(r, &from, buf,
			     packet(buf, NETDUMP_DATA, 0xbad1, 1u << 31, (1u << 31) - 1, &byte, 1),
			     1);
	dump_receiver_handle(r, &from, buf, packet(buf, NETDUMP_FINISH, 0xbad1, 1, 0, body, 16), 1);
	is_int(dump_receiver_finished(r), 0, "and its DATA and FINISH find nothing to touch");
	dump_receiver_free(r);
}

/* Issue 19: a range whose end wraps in 64 bits passed the 4 GiB check and
 * made an 8 TiB sparse core. */
static void test_range_wrap(void)
{
	struct dump_description d;
	uint8_t body[NETDUMP_PAYLOAD_MAX];
	const struct dump_range wrapping[1] = {{~0ULL - (1ULL << 43) + 1, (1ULL << 43) + 4096}};
	const struct dump_range beyond[1] = {{0xfffff000, 0x2000}};

	is_int(dump_parse_herald(body, herald_of(body, NETDUMP_CHUNK, 0, wrapping, 1, "r", "p"),
				 &d),
	       -1, "a range whose end wraps past 2^64 is refused");
	is_int(dump_parse_herald(body, herald_of(body, NETDUMP_CHUNK, 0, beyond, 1, "r", "p"), &d),
	       -1, "a range that ends past 4 GiB is refused");
}

/* Issue 19: 1-byte chunks cost a page of disk and memory per 57-byte
 * datagram; a chunk must be a multiple of 16 of at least DUMP_CHUNK_MIN. */
static void test_tiny_chunks(void)
{
	struct dump_description d;
	uint8_t body[NETDUMP_PAYLOAD_MAX];
	const struct dump_range one[1] = {{0, 0x100000}};

	is_int(dump_parse_herald(body, herald_of(body, 1, 0, one, 1, "r", "p"), &d), -1,
	       "1-byte chunks are refused");
	is_int(dump_parse_herald(body, herald_of(body, 1000, 0, one, 1, "r", "p"), &d), -1,
	       "a chunk that is not a multiple of 16 is refused");
	is_int(dump_parse_herald(body, herald_of(body, NETDUMP_CHUNK, 0, one, 1, "r", "p"), &d), 0,
	       "the kernel's chunk size is taken");
}

/* Issue 19: nothing bounded a dump's size; --dump-max does. */
static void test_dump_max(void)
{
	struct dump_receiver *r = dump_receiver_new(dir, true);
	const struct dump_range two_gib[1] = {{0, 1ULL << 31}};

	send_herald(r, 7400, 0xaaaa, NETDUMP_CHUNK, two_gib, 1, 0);
	is_int(dump_receiver_active(r), 0, "a 2 GiB dump is refused by default");
	dump_receiver_set_max(r, 1ULL << 32);
	send_herald(r, 7400, 0xaaab, NETDUMP_CHUNK, two_gib, 1, 0);
	is_int(dump_receiver_active(r), 1, "and taken with --dump-max 4G");
	dump_receiver_free(r);
}

/* Issue 19: 64 dumps per listener lifetime, closed ones never freed. */
static void test_many_dumps(void)
{
	struct dump_receiver *r = dump_receiver_new(dir, true);
	const struct dump_range one[1] = {{0x10000, 4096}};
	unsigned opened = 0;

	for (unsigned i = 0; i < 200; i++) {
		send_herald(r, 7100, 0x5000 + i, NETDUMP_CHUNK, one, 1, 1000 * i);
		opened += dump_receiver_active(r);
		dump_receiver_expire(r, 1000 * i + DUMP_IDLE_MS);
	}
	is_int(opened, 200, "200 dumps in a row are each received");
	is_int(dump_receiver_finished(r), 200, "and each closed");
	ok(r->count <= DUMP_SESSIONS_MAX, "closed dumps are freed (%u held)", r->count);
	dump_receiver_free(r);
}

static bool file_says(const char *path, const char *want)
{
	char text[64] = "";
	FILE *f = fopen(path, "r");

	if (f) {
		if (!fgets(text, sizeof(text), f))
			text[0] = '\0';
		fclose(f);
	}
	return strcmp(text, want) == 0;
}

/* Issue 19: the dump files were opened through symlinks planted in the
 * directory, so a root listener overwrote any file they named. */
static void test_symlinks(void)
{
	char victim[512], link[512];
	struct dump_receiver *r;
	FILE *f;

	snprintf(victim, sizeof(victim), "%s.victim", dir);
	f = fopen(victim, "w");
	fputs("precious\n", f);
	fclose(f);
	r = dump_receiver_new(dir, true);
	/* The next dump from 127.0.0.1 will be number 4 (see the tests above);
	 * plant links under every name it may open. */
	const char *names[] = {"vmcore.127.0.0.1.4.partial", "info.127.0.0.1.4.tmp",
			       "vmcore.127.0.0.1.4"};
	for (unsigned i = 0; i < 3; i++) {
		snprintf(link, sizeof(link), "%s/%s", dir, names[i]);
		if (symlink(victim, link) < 0)
			printf("# symlink %s: %s\n", link, strerror(errno));
	}
	feed_dump(r, 0x7777, 0, false);
	ok(file_says(victim, "precious\n"), "a file linked from the dump directory is untouched");
	is_int(dump_receiver_complete(r), 1, "and the dump is still received whole");
	dump_receiver_free(r);
	unlink(victim);
}

static size_t count_lines(const char *text, const char *prefix)
{
	size_t n = 0, len = strlen(prefix);

	for (const char *line = text; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		n += strncmp(line, prefix, len) == 0;
	}
	return n;
}

/* Issue 19: the herald's strings went raw into the info file (a forged
 * "complete: yes" line landed before the real one) and to the terminal. */
static void test_wire_strings(void)
{
	char log_path[512], *log;
	FILE *saved;
	size_t size;
	struct dump_receiver *r;
	struct sockaddr_in6 from = attacker(7200);
	uint8_t buf[NETDUMP_UDP_MAX], body[NETDUMP_PAYLOAD_MAX];
	const struct dump_range one[1] = {{0x10000, 4096}};
	size_t len = herald_of(body, NETDUMP_CHUNK, 0, one, 1, "6.1\ncomplete: yes\nverdict: ok",
			       "\033[2J\033]0;owned\007");

	snprintf(log_path, sizeof(log_path), "%s.stderr", dir);
	fflush(stderr);
	saved = fdopen(dup(2), "w");
	if (!freopen(log_path, "w", stderr))
		return;
	r = dump_receiver_new(dir, false);
	dump_receiver_handle(r, &from, buf, packet(buf, NETDUMP_HERALD, 0x8888, 0, 0, body, len),
			     0);
	dump_receiver_expire(r, -1);
	dump_receiver_free(r);
	fflush(stderr);
	dup2(fileno(saved), 2);
	fclose(saved);

	char *info = slurp("info.127.0.0.9.0", &size);
	ok(info && count_lines(info, "complete:") == 1 && count_lines(info, "verdict:") == 1,
	   "a forged line in the release does not become a field of the info file");
	ok(info && strstr(info, "complete: no\n"), "the real verdict stands");
	ok(info && !strchr(info, '\033') && !strchr(info, '\007'),
	   "no terminal control byte reaches the info file");
	free(info);
	log = slurp_path(log_path, &size);
	ok(log && strstr(log, "dump from 127.0.0.9") && !strchr(log, '\033') &&
		   !strchr(log, '\007') && count_lines(log, "complete: yes") == 0,
	   "nor the terminal");
	free(log);
	unlink(log_path);
}

/* Issue 19: a full disk must end the dump (as incomplete, with the reason),
 * never the listener. RLIMIT_FSIZE plays the full disk. */
static void test_disk_full(void)
{
	struct dump_receiver *r = dump_receiver_new(dir, true);
	const struct dump_range big[1] = {{0x100000, 256 * 1024}};
	struct sockaddr_in6 from = attacker(7300);
	uint8_t buf[NETDUMP_UDP_MAX];
	struct rlimit old, small;
	uint32_t seq = 1;
	size_t size;

	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 64 * 1024;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &small);
	send_herald(r, 7300, 0x9999, NETDUMP_CHUNK, big, 1, 0);
	for (uint64_t at = big[0].start; at < big[0].start + big[0].length;
	     at += NETDUMP_CHUNK, seq++) {
		uint64_t left = big[0].start + big[0].length - at;
		size_t n = left < NETDUMP_CHUNK ? (size_t)left : NETDUMP_CHUNK;
		dump_receiver_handle(r, &from, buf,
				     packet(buf, NETDUMP_DATA, 0x9999, seq, at, ram, n), 1);
	}
	setrlimit(RLIMIT_FSIZE, &old);
	is_int(dump_receiver_finished(r), 1, "a dump the disk cannot hold is closed");
	char *info = slurp("info.127.0.0.9.1", &size);
	ok(info && strstr(info, "complete: no\n") && strstr(info, "cannot write the core"),
	   "as incomplete, saying the core could not be written");
	free(info);
	dump_receiver_free(r);
}

int main(void)
{
	plan(79);
	for (unsigned i = 0; i < RAM_SIZE; i++)
		ram[i] = (uint8_t)(i ^ (i >> 8) ^ 0x5a);
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_complete_dump();
	test_incomplete_dumps();
	test_loss();
	test_malformed_herald();
	test_cpu_notes();
	test_chunk_count_wrap();
	test_range_wrap();
	test_tiny_chunks();
	test_symlinks();
	test_wire_strings();
	test_disk_full();
	test_dump_max();
	test_many_dumps();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return done_testing();
}
