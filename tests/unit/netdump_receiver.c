/* The host's netdump receiver: a dump fed through it packet by packet
 * becomes an ELF32 core whose headers, notes and bytes are checked here;
 * acknowledgements name every seq; a missing chunk, a wrong checksum or a
 * dump that goes silent is kept but marked incomplete. */
#include "tap.h"

#include "host/client-dump.c"

#include <stdlib.h>

#define RAM_SIZE 0x20000
static uint8_t ram[RAM_SIZE];
static const struct dump_range test_ranges[2] = {{0, 0x2000}, {0x10000, 3000}};
static uint32_t acked[4096];
static unsigned acked_count;
static char dir[] = "/tmp/netdump-unit.XXXXXX";

static void collect_ack(const struct sockaddr_in *to, const void *buf, size_t len, void *ctx)
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
	struct sockaddr_in from = {.sin_family = AF_INET, .sin_port = htons(6667)};
	uint8_t buf[NETDUMP_UDP_MAX], body[NETDUMP_PAYLOAD_MAX];
	uint64_t sums[2] = {0, 0};
	uint32_t seq = 1;

	from.sin_addr.s_addr = htonl(0x7f000001);
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

static char *slurp(const char *name, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(RAM_SIZE * 4);
	*size = fread(buf, 1, RAM_SIZE * 4, f);
	fclose(f);
	buf[*size < RAM_SIZE * 4 ? *size : RAM_SIZE * 4 - 1] = '\0';
	return buf;
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

	struct sockaddr_in from = {.sin_family = AF_INET, .sin_port = htons(6667)};
	uint8_t buf[NETDUMP_UDP_MAX], body[NETDUMP_PAYLOAD_MAX];
	from.sin_addr.s_addr = htonl(0x7f000001);
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

int main(void)
{
	plan(41);
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
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return done_testing();
}
