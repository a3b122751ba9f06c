/* libFuzzer target over the listener's netdump receiver
 * (host/client-dump.c): the input is a run of datagrams, each behind a
 * three-byte header (length, little-endian 16 bits, then one byte that picks
 * the sender's port and moves the clock on), fed to one receiver writing
 * into a private directory; acknowledgements are flushed and checked after
 * each datagram, idle dumps expire along the way, and the directory is
 * emptied after each input. Built by `make fuzz` (clang, ASan, UBSan);
 * tests/fuzz/dump_seeds.c writes the hostile inputs of issue 19 as seeds. */
#include "host/client-dump.c"
#include "host/client-escape.c"
#include "host/client-files.c"
#include "host/client-socket.c"

#include <assert.h>
#include <dirent.h>

static char dir[64];

/* An ACK must be one well-formed datagram listing at most what fits. */
static void check_ack(const struct sockaddr_in6 *to, const void *buf, size_t len, void *ctx)
{
	struct netdump_header h;
	unsigned long *acks = ctx;

	assert(to->sin6_family == AF_INET6);
	assert(len <= NETDUMP_UDP_MAX);
	assert(netdump_get_header(buf, len, &h) == 0 && h.type == NETDUMP_ACK);
	assert(get_unaligned_be32((const uint8_t *)buf + NETDUMP_HDR_LEN) <= NETDUMP_ACK_MAX_SEQS);
	++*acks;
}

static void empty_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

/* At exit, so a finished run leaves no directory behind. */
static void remove_dir(void)
{
	empty_dir();
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/dev/shm/client-dump-fuzz.XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof(dir), "/tmp/client-dump-fuzz.XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	atexit(remove_dir);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dump_receiver *r = dump_receiver_new(dir, true);
	unsigned long acks = 0;
	long long now = 0;

	if (!r)
		abort();
	/* Small enough that a core can be written and read back in a run. */
	dump_receiver_set_max(r, 1 << 20);
	while (size >= 3) {
		size_t len = (size_t)data[0] | (size_t)data[1] << 8;
		struct sockaddr_in6 from = client_ipv4_address(0x7f000001, 6000 + (data[2] & 15));
		now += (data[2] >> 4) * 1000;
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		/* A private copy, so a read past the datagram is caught. */
		uint8_t *packet = malloc(len ? len : 1);
		if (!packet)
			break;
		memcpy(packet, data, len);
		dump_receiver_handle(r, &from, packet, len, now);
		free(packet);
		data += len;
		size -= len;
		dump_receiver_flush(r, check_ack, &acks);
		dump_receiver_expire(r, now);
		assert(r->count <= DUMP_SESSIONS_MAX);
		assert(dump_receiver_complete(r) <= dump_receiver_finished(r));
	}
	dump_receiver_expire(r, -1);
	assert(dump_receiver_active(r) == 0);
	dump_receiver_free(r);
	empty_dir();
	return 0;
}
