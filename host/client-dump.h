/* netconsole-client's netdump receiver: takes the kernel's dump messages
 * (netconsole/netdump_proto.h), writes DIR/vmcore.<ip>.<N> (an ELF32 core)
 * and DIR/info.<ip>.<N>, and produces the acknowledgements. Host only,
 * single-threaded process context; the ELF layout helpers are pure. */
#ifndef HOST_CLIENT_DUMP_H
#define HOST_CLIENT_DUMP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "netconsole/netdump_proto.h"

struct dump_range {
	uint64_t start, length;
};

/* Another CPU the panic stopped, with the registers it was stopped with. */
struct dump_cpu {
	uint32_t cpu;
	uint32_t regs[NETDUMP_NREGS];
};

/* What the herald says about a dump. */
struct dump_description {
	uint32_t chunk;
	uint32_t zero_below;
	uint32_t signal;
	uint32_t regs[NETDUMP_NREGS];
	uint32_t cpu; /* the CPU that panicked: regs and signal are its own */
	unsigned other_count;
	struct dump_cpu others[NETDUMP_MAX_CPUS - 1];
	unsigned range_count;
	struct dump_range ranges[NETDUMP_MAX_RANGES];
	char release[NETDUMP_STR_MAX + 1];
	char panic[NETDUMP_STR_MAX + 1];
};

/* Limits on what a herald may ask for. Every size and count from the wire
 * is checked against them in arithmetic that cannot wrap: ranges lie below
 * 4 GiB, so with chunks of at least DUMP_CHUNK_MIN bytes a dump has fewer
 * than 2^23 chunks, and its core is at most the receiver's max_bytes. */
#define DUMP_CHUNK_MIN 512
#define DUMP_ADDRESS_LIMIT (1ULL << 32)
/* The default largest core accepted (--dump-max): four times the largest
 * guest the harness boots. */
#define DUMP_MAX_DEFAULT (1ULL << 30)
/* Dumps held at once, open or recently closed (a closed one stays a while
 * to acknowledge a resent FINISH); a new herald displaces the least
 * recently heard of them. */
#define DUMP_SESSIONS_MAX 8
/* Acknowledgements queued per dump between two flushes at most; the kernel
 * resends what stays unacknowledged. */
#define DUMP_PENDING_MAX 4096

/* Decodes a HERALD payload. Returns 0, or -1 when it is malformed (ranges
 * unsorted, overlapping or reaching past 4 GiB, a chunk size outside
 * DUMP_CHUNK_MIN..NETDUMP_PAYLOAD_MAX or not a multiple of 16, truncated
 * fields, a CPU section naming a CPU twice or beyond NETDUMP_MAX_CPUS, or
 * bytes after it). */
int dump_parse_herald(const uint8_t *payload, size_t len, struct dump_description *out);

/* The core's layout: ELF header, one PT_NOTE and a PT_LOAD per range, the
 * notes (an NT_PRSTATUS per CPU, the one that panicked first, so gdb selects
 * it; then NT_PRPSINFO), then each range's bytes from a page-aligned
 * offset. Each CPU is a thread whose LWP is its number plus one. */
size_t dump_core_header_size(const struct dump_description *d);
uint64_t dump_core_data_offset(const struct dump_description *d);
uint64_t dump_core_size(const struct dump_description *d);
/* The file offset of [address, address + len), or -1 when it is not
 * inside one range. */
int64_t dump_core_offset_of(const struct dump_description *d, uint64_t address, uint64_t len);
/* Writes the ELF header, program headers and the NT_PRSTATUS and NT_PRPSINFO
 * notes into buf (dump_core_header_size bytes). */
void dump_core_build_header(const struct dump_description *d, uint8_t *buf);
/* The number of DATA chunks the kernel sends for d (a parsed herald: fewer
 * than 2^23). */
uint32_t dump_chunk_count(const struct dump_description *d);

struct dump_receiver;

/* Sends an ACK datagram to a sender (the caller's socket). */
typedef void (*dump_send_fn)(const struct sockaddr_in6 *to, const void *buf, size_t len, void *ctx);

/* Dumps that receive nothing for this long are closed as incomplete;
 * closed ones are forgotten after as long again. */
#define DUMP_IDLE_MS 10000

/* NULL with a message on stderr when dir is not a writable directory.
 * quiet leaves out the progress and refusal messages (errors still show).
 * Every file is created inside dir (opened once), never through a
 * symlink; a core or info file whose write fails (a full disk) ends that
 * dump as incomplete and nothing else. */
struct dump_receiver *dump_receiver_new(const char *dir, bool quiet);
/* Refuses heralds whose core would be larger than max_bytes (default
 * DUMP_MAX_DEFAULT). */
void dump_receiver_set_max(struct dump_receiver *r, uint64_t max_bytes);
/* For tests where tc netem is unavailable: drops this percentage of the
 * datagrams handed in and of the acknowledgements sent, pseudo-randomly
 * from seed, as a lossy link would. The info file counts them. */
void dump_receiver_set_loss(struct dump_receiver *r, unsigned percent, uint32_t seed);
/* Takes one datagram; acknowledgements wait for dump_receiver_flush. */
void dump_receiver_handle(struct dump_receiver *r, const struct sockaddr_in6 *from,
			  const uint8_t *buf, size_t len, long long now_ms);
/* Sends the pending acknowledgements, batched per sender. */
void dump_receiver_flush(struct dump_receiver *r, dump_send_fn send, void *ctx);
/* Closes dumps idle since DUMP_IDLE_MS before now_ms (all when now_ms < 0)
 * as incomplete. */
void dump_receiver_expire(struct dump_receiver *r, long long now_ms);
/* Dumps closed so far, and how many of them complete and verified. */
unsigned dump_receiver_finished(const struct dump_receiver *r);
unsigned dump_receiver_complete(const struct dump_receiver *r);
/* Dumps open right now. */
unsigned dump_receiver_active(const struct dump_receiver *r);
void dump_receiver_free(struct dump_receiver *r);

#endif
