#include "netconsole/netdump.h"

#include "drivers/netdev.h"
#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/memmap.h"
#include "kernel/oops.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/version.h"
#include "netconsole/frame.h"
#include "netconsole/netdump_proto.h"
#include "netconsole/netpoll.h"

/* Chunks in flight. Each costs one slot here and at most one frame in the
 * host's socket buffer, which the host sizes for it. */
#define WINDOW 512
/* New chunks sent between two polls for acknowledgements: enough to keep
 * the NIC busy, few enough that the receive ring does not overflow. */
#define SEND_BURST 32
#define POLL_BUDGET 64
/* A chunk is resent once a later one was acknowledged and it has been out
 * this long (the link does not reorder, so it was lost), or after the full
 * timeout when nothing later came back either. */
#define FAST_RESEND_NS 2000000ULL
#define RESEND_NS 200000000ULL
#define NS_PER_MS 1000000ULL
/* Physical page 0 is unmapped (NULL faults); the host fills it with zeros. */
#define ZERO_BELOW 4096
#define PAGE_SIZE 4096

/* The largest herald (every range, both texts whole, every CPU) fits one
 * frame, over IPv6 too. */
_Static_assert(12 + 4 * NETDUMP_NREGS + 4 + 16 * NETDUMP_MAX_RANGES + 2 * (2 + NETDUMP_STR_MAX) +
			       8 + (NETDUMP_MAX_CPUS - 1) * (4 + 4 * NETDUMP_NREGS) <=
		       NETDUMP_UDP6_MAX - NETDUMP_HDR_LEN,
	       "a herald outgrows one frame");
_Static_assert(SMP_MAX_CPUS <= NETDUMP_MAX_CPUS, "the herald cannot name every CPU");

char netdump_canary[64];

static struct netpoll dump_np;

/* A chunk in flight keeps the frame it went out in: memory the dump itself
 * uses (its stack, the NIC's buffers, this window) changes while it runs,
 * and a resend must carry the very bytes the checksum counted. The frame
 * is built here whole, once, so a send is one hand-over to the driver. */
struct slot {
	uint32_t seq;
	bool acked;
	uint16_t len;
	uint64_t sent_ns;
	uint8_t frame[FRAME_UDP_HEADERS + NETDUMP_UDP_MAX];
};

struct plan_range {
	uint32_t ram_start; /* as the loader gave it */
	uint32_t start, end; /* the bytes sent: [start, end) */
	uint32_t first_seq, chunks;
};

static struct {
	uint32_t dump_id;
	/* Data bytes per chunk: NETDUMP_CHUNK, or NETDUMP_CHUNK6 over IPv6. */
	uint32_t chunk;
	struct plan_range ranges[NETDUMP_MAX_RANGES];
	unsigned range_count;
	uint32_t last_data_seq;
	uint32_t base, next, highest_acked;
	bool herald_acked, finish_acked;
	uint64_t range_sum[NETDUMP_MAX_RANGES];
	uint32_t retransmits;
	uint32_t unmapped_pages; /* sent as zeros: guard pages and the like */
	uint64_t last_progress_ns;
	struct frame_udp_endpoints endpoints; /* dump_np's, for chunk frames */
	struct slot slots[WINDOW];
	uint8_t packet[NETDUMP_UDP_MAX];
} st;

static void ack_seq(uint32_t seq)
{
	if (seq == 0) {
		st.herald_acked = true;
	} else if (seq == st.last_data_seq + 1) {
		st.finish_acked = true;
	} else if (seq >= st.base && seq < st.next) {
		struct slot *s = &st.slots[seq % WINDOW];
		if (s->seq == seq && !s->acked) {
			s->acked = true;
			st.last_progress_ns = clock_ns();
			if (seq > st.highest_acked)
				st.highest_acked = seq;
		}
	}
}

/* Takes ACKs for this dump from the host (netpoll hands over the datagrams
 * from the host's address to our port); everything else is ignored. */
static void netdump_rx(struct netpoll *np, const uint8_t *payload, size_t payload_len)
{
	struct netdump_header h;

	(void)np;
	if (netdump_get_header(payload, payload_len, &h) < 0 || h.type != NETDUMP_ACK ||
	    h.dump_id != st.dump_id || h.len < 4)
		return;
	const uint8_t *body = payload + NETDUMP_HDR_LEN;
	uint32_t count = get_unaligned_be32(body);
	if (count > (h.len - 4) / 4)
		return;
	for (uint32_t i = 0; i < count; i++)
		ack_seq(get_unaligned_be32(body + 4 + 4 * i));
}

static void poll_acks(void)
{
	netpoll_poll(&dump_np, POLL_BUDGET);
}

static void send_packet(uint8_t type, uint32_t seq, uint64_t offset, size_t len)
{
	struct netdump_header h = {.type = type,
				   .dump_id = st.dump_id,
				   .seq = seq,
				   .offset = offset,
				   .len = (uint32_t)len};
	netdump_put_header(st.packet, &h);
	netpoll_send_udp(&dump_np, st.packet, NETDUMP_HDR_LEN + len);
}

/* Sends a control message until it is acknowledged or the tries run out.
 * Each wait is bounded by the clock, and by a count of short delays in case
 * the TSC was never calibrated (clock_ns() stays 0 then). */
static bool send_control(uint8_t type, uint32_t seq, size_t len, const bool *acked)
{
	for (int try = 0; try < NETDUMP_CONTROL_TRIES; try++) {
		uint64_t deadline = clock_ns() + NETDUMP_CONTROL_WAIT_MS * NS_PER_MS;
		send_packet(type, seq, 0, len);
		for (int waits = 0; waits < NETDUMP_CONTROL_WAIT_MS * 10; waits++) {
			poll_acks();
			if (*acked)
				return true;
			if (clock_ns() >= deadline &&
			    deadline > NETDUMP_CONTROL_WAIT_MS * NS_PER_MS)
				break;
			udelay(100);
		}
	}
	return false;
}

static uint8_t *put_text(uint8_t *p, const char *text)
{
	size_t len = strlen(text);
	if (len > NETDUMP_STR_MAX)
		len = NETDUMP_STR_MAX;
	put_unaligned_be16((uint16_t)len, p);
	memcpy(p + 2, text, len);
	return p + 2 + len;
}

static uint32_t read_ss(void)
{
	uint32_t ss;
	__asm__ volatile("mov %%ss, %0" : "=r"(ss));
	return ss;
}

/* NT_PRSTATUS's registers from a trap frame and the stack pointer of the
 * context it interrupted. */
static void regs_of_frame(const struct trap_frame *f, uint32_t esp, uint32_t regs[NETDUMP_NREGS])
{
	regs[NETDUMP_EBX] = f->ebx;
	regs[NETDUMP_ECX] = f->ecx;
	regs[NETDUMP_EDX] = f->edx;
	regs[NETDUMP_ESI] = f->esi;
	regs[NETDUMP_EDI] = f->edi;
	regs[NETDUMP_EBP] = f->ebp;
	regs[NETDUMP_EAX] = f->eax;
	regs[NETDUMP_DS] = f->ds;
	regs[NETDUMP_ES] = f->es;
	regs[NETDUMP_FS] = f->fs;
	regs[NETDUMP_GS] = f->gs;
	regs[NETDUMP_ORIG_EAX] = 0xffffffff;
	regs[NETDUMP_EIP] = f->eip;
	regs[NETDUMP_CS] = f->cs;
	regs[NETDUMP_EFLAGS] = f->eflags;
	regs[NETDUMP_ESP] = esp;
	/* One flat stack segment on every CPU. */
	regs[NETDUMP_SS] = read_ss();
}

/* The registers of this CPU's fault, or, for a plain panic(), of this
 * function (its callers then show the path into panic()). */
static void capture_registers(uint32_t regs[NETDUMP_NREGS], uint32_t *signal)
{
	const struct trap_frame *f = oops_fault_frame_here();

	if (f) {
		regs_of_frame(f, trap_frame_esp(f), regs);
		/* The signal a user process would get: SIGFPE, SIGILL, SIGSEGV. */
		*signal = f->vector == TRAP_DIVIDE_ERROR     ? 8
			  : f->vector == TRAP_INVALID_OPCODE ? 4
							     : 11;
		return;
	}
	uint32_t eip, esp, ebp, cs, ds, es, fs, gs, eflags;
	__asm__ volatile("call 1f\n1: pop %0\n"
			 "mov %%esp, %1\n"
			 "mov %%ebp, %2\n"
			 "pushf\npop %3\n"
			 : "=r"(eip), "=r"(esp), "=r"(ebp), "=r"(eflags));
	__asm__ volatile("mov %%cs, %0\nmov %%ds, %1\nmov %%es, %2\nmov %%fs, %3\nmov %%gs, %4"
			 : "=r"(cs), "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
	memset(regs, 0, NETDUMP_NREGS * sizeof(regs[0]));
	regs[NETDUMP_EIP] = eip;
	regs[NETDUMP_ESP] = esp;
	regs[NETDUMP_EBP] = ebp;
	regs[NETDUMP_EFLAGS] = eflags;
	regs[NETDUMP_CS] = cs;
	regs[NETDUMP_DS] = ds;
	regs[NETDUMP_ES] = es;
	regs[NETDUMP_FS] = fs;
	regs[NETDUMP_GS] = gs;
	regs[NETDUMP_SS] = read_ss();
	regs[NETDUMP_ORIG_EAX] = 0xffffffff;
	*signal = 6; /* SIGABRT, as for abort() */
}

/* The herald's CPU section: this CPU, then each other CPU the panic stopped,
 * with the registers it was stopped with (kernel/smp.c keeps them). A CPU
 * that did not stop is left out: nothing tells where it is. */
static uint8_t *put_cpus(uint8_t *p)
{
	uint8_t *count_at = p + 4;
	uint32_t count = 0;

	put_unaligned_be32(smp_processor_id(), p);
	p += 8;
	for (unsigned cpu = 0; cpu < smp_num_cpus(); cpu++) {
		struct trap_frame frame;
		uint32_t esp, regs[NETDUMP_NREGS];
		if (!smp_stopped_regs(cpu, &frame, &esp))
			continue;
		regs_of_frame(&frame, esp, regs);
		put_unaligned_be32(cpu, p);
		p += 4;
		for (unsigned i = 0; i < NETDUMP_NREGS; i++, p += 4)
			put_unaligned_be32(regs[i], p);
		count++;
	}
	put_unaligned_be32(count, count_at);
	return p;
}

/* Splits the RAM below 4 GiB (what a 32-bit kernel can read) into chunk
 * sequence numbers; page 0 is left to the host's zeros. Returns the herald
 * payload length. */
static size_t plan_and_build_herald(void)
{
	unsigned count;
	const struct memmap_range *ram = memmap_ranges(&count);
	uint8_t *p = st.packet + NETDUMP_HDR_LEN;
	uint32_t regs[NETDUMP_NREGS], signal;
	uint32_t seq = 1;

	capture_registers(regs, &signal);
	st.range_count = 0;
	for (unsigned i = 0; i < count && st.range_count < NETDUMP_MAX_RANGES; i++) {
		uint64_t start = ram[i].start, end = ram[i].start + ram[i].length;
		/* The top page is left out so end fits in 32 bits. */
		if (end > 0xfffff000ULL)
			end = 0xfffff000ULL;
		if (start >= end)
			continue;
		st.ranges[st.range_count].ram_start = (uint32_t)start;
		if (start < ZERO_BELOW)
			start = ZERO_BELOW;
		if (start >= end)
			continue;
		struct plan_range *r = &st.ranges[st.range_count++];
		r->start = (uint32_t)start;
		r->end = (uint32_t)end;
		r->first_seq = seq;
		r->chunks = (uint32_t)((end - start + st.chunk - 1) / st.chunk);
		seq += r->chunks;
	}
	st.last_data_seq = seq - 1;

	put_unaligned_be32(st.chunk, p);
	put_unaligned_be32(ZERO_BELOW, p + 4);
	put_unaligned_be32(signal, p + 8);
	p += 12;
	for (unsigned i = 0; i < NETDUMP_NREGS; i++, p += 4)
		put_unaligned_be32(regs[i], p);
	/* The host is told the loader's ranges as they were, so its core
	 * covers page 0 too (as zeros). */
	put_unaligned_be32(st.range_count, p);
	p += 4;
	for (unsigned i = 0; i < st.range_count; i++, p += 16) {
		put_unaligned_be64(st.ranges[i].ram_start, p);
		put_unaligned_be64(st.ranges[i].end - st.ranges[i].ram_start, p + 8);
	}
	p = put_text(p, KERNEL_RELEASE);
	p = put_text(p, panic_message());
	p = put_cpus(p);
	return (size_t)(p - (st.packet + NETDUMP_HDR_LEN));
}

/* Copies RAM the kernel can read; pages it has unmapped (page 0, stack
 * guard pages) would fault, so they go out as zeros, counted once. */
static void copy_ram(uint8_t *dst, uint32_t address, uint32_t len)
{
	if (paging_mapped(address, len)) {
		memcpy(dst, (const void *)(uintptr_t)address, len);
		return;
	}
	while (len) {
		uint32_t in_page = PAGE_SIZE - (address & (PAGE_SIZE - 1));
		uint32_t n = len < in_page ? len : in_page;
		if (paging_mapped(address, n)) {
			memcpy(dst, (const void *)(uintptr_t)address, n);
		} else {
			memset(dst, 0, n);
			if ((address & (PAGE_SIZE - 1)) == 0)
				st.unmapped_pages++;
		}
		dst += n;
		address += n;
		len -= n;
	}
}

/* The frame is whole already, so it goes to the driver as it is, with the
 * device claimed like every other use of it. A refused frame is simply
 * resent later. Frames are only queued: kick_queued() rings the doorbell
 * once a burst. */
static void transmit_slot(struct slot *s)
{
	struct net_device *dev = dump_np.dev;
	struct netdev_claim claim;

	if (netdev_claim(dev, &claim))
		dev->ops->queue(dev, s->frame, s->len);
	netdev_release(dev, &claim);
	s->sent_ns = clock_ns();
}

static void kick_queued(void)
{
	netpoll_flush(&dump_np);
}

static void send_new_chunk(uint32_t seq)
{
	struct slot *s = &st.slots[seq % WINDOW];
	unsigned r = 0;
	while (seq >= st.ranges[r].first_seq + st.ranges[r].chunks)
		r++;
	const struct plan_range *range = &st.ranges[r];
	uint32_t address = range->start + (seq - range->first_seq) * st.chunk;
	uint32_t len = range->end - address < st.chunk ? range->end - address : st.chunk;
	uint8_t *payload = s->frame + frame_udp_headers_len(&st.endpoints);
	uint8_t *data = payload + NETDUMP_HDR_LEN;
	struct netdump_header h = {.type = NETDUMP_DATA,
				   .dump_id = st.dump_id,
				   .seq = seq,
				   .offset = address,
				   .len = len};

	copy_ram(data, address, len);
	st.range_sum[r] += netdump_chunk_term(address, netdump_chunk_sum(data, len));
	netdump_put_header(payload, &h);
	/* The UDP checksum is left out where IPv4 allows it: summing every
	 * byte of RAM once more would cost a third of the dump's time, and the
	 * closing message checks every range end to end. IPv6 requires it. */
	s->len = (uint16_t)frame_put_udp_headers(s->frame, &st.endpoints, dump_np.ip_id++,
						 NETDUMP_HDR_LEN + len, false);
	s->seq = seq;
	s->acked = false;
	transmit_slot(s);
}

static void resend_lost(uint64_t now)
{
	for (uint32_t seq = st.base; seq < st.next; seq++) {
		struct slot *s = &st.slots[seq % WINDOW];
		if (s->acked)
			continue;
		uint64_t age = now - s->sent_ns;
		if ((seq < st.highest_acked && age > FAST_RESEND_NS) || age > RESEND_NS) {
			transmit_slot(s);
			st.retransmits++;
		}
	}
}

/* Returns whether every chunk was acknowledged in time. */
static bool send_data(uint64_t deadline_ns)
{
	st.base = st.next = 1;
	st.highest_acked = 0;
	st.last_progress_ns = clock_ns();
	for (unsigned i = 0; i < WINDOW; i++)
		st.slots[i].seq = 0;

	while (st.base <= st.last_data_seq) {
		for (int n = 0;
		     n < SEND_BURST && st.next <= st.last_data_seq && st.next < st.base + WINDOW;
		     n++)
			send_new_chunk(st.next++);
		kick_queued();
		poll_acks();
		while (st.base < st.next && st.slots[st.base % WINDOW].acked)
			st.base++;
		uint64_t now = clock_ns();
		if (now > deadline_ns || now - st.last_progress_ns > NETDUMP_STALL_MS * NS_PER_MS)
			return false;
		if (st.base < st.next &&
		    (st.highest_acked > st.base || st.next == st.base + WINDOW ||
		     st.next > st.last_data_seq)) {
			resend_lost(now);
			kick_queued();
		}
	}
	return true;
}

static size_t build_finish(void)
{
	uint8_t *p = st.packet + NETDUMP_HDR_LEN;
	put_unaligned_be32(st.range_count, p);
	put_unaligned_be32(st.last_data_seq, p + 4);
	put_unaligned_be32(st.retransmits, p + 8);
	put_unaligned_be32(st.unmapped_pages, p + 12);
	p += 16;
	for (unsigned i = 0; i < st.range_count; i++, p += 8)
		put_unaligned_be64(st.range_sum[i], p);
	return (size_t)(p - (st.packet + NETDUMP_HDR_LEN));
}

static void netdump_panic(void)
{
	uint64_t start = clock_ns();
	uint64_t deadline = start + NETDUMP_TIME_LIMIT_MS * NS_PER_MS;

	netpoll_udp_endpoints(&dump_np, &st.endpoints);
	st.chunk = dump_np.ipv6 ? NETDUMP_CHUNK6 : NETDUMP_CHUNK;
	st.herald_acked = st.finish_acked = false;
	st.retransmits = st.unmapped_pages = 0;
	memset(st.range_sum, 0, sizeof(st.range_sum));
	size_t herald_len = plan_and_build_herald();
	uint64_t bytes = 0;
	for (unsigned i = 0; i < st.range_count; i++)
		bytes += st.ranges[i].end - st.ranges[i].start;
	printk(KERN_EMERG "netdump: sending %u KiB in %u chunks to port %u\n",
	       (unsigned)(bytes >> 10), st.last_data_seq, dump_np.remote_port);
	if (!send_control(NETDUMP_HERALD, 0, herald_len, &st.herald_acked)) {
		printk(KERN_EMERG "netdump: no reply from the host, no dump taken\n");
		return;
	}
	if (!send_data(deadline)) {
		printk(KERN_EMERG "netdump: host stopped acknowledging at chunk %u of %u, dump "
				  "abandoned\n",
		       st.base, st.last_data_seq);
		return;
	}
	if (!send_control(NETDUMP_FINISH, st.last_data_seq + 1, build_finish(), &st.finish_acked)) {
		printk(KERN_EMERG "netdump: the closing message was never acknowledged\n");
		return;
	}
	uint64_t us = (clock_ns() - start) / 1000;
	printk(KERN_EMERG "netdump: dump sent in %u ms (%u KiB/s), %u chunks resent\n",
	       (unsigned)(us / 1000), us ? (unsigned)(bytes * 1000000 / 1024 / us) : 0,
	       st.retransmits);
}

void netdump_init(const struct netpoll *nc)
{
	struct cmdline_param param;
	char err[96], where[48];
	uint16_t port;
	struct netconsole_ip host;
	bool same_host;
	int ret;

	if (!cmdline_find(kernel_cmdline, "netdump", &param))
		return;
	if (netdump_parse_config(param.value, param.value ? param.value_len : 0, &port, &host, err,
				 sizeof(err)) < 0) {
		pr_err("%s\n", err);
		return;
	}
	if (!nc) {
		pr_err("netdump: needs a working netconsole= for its device and address\n");
		return;
	}
	if (host.ipv6 != nc->ipv6) {
		pr_err("netdump: the host's address is IPv%c, netconsole's first target IPv%c\n",
		       host.ipv6 ? '6' : '4', nc->ipv6 ? '6' : '4');
		return;
	}
	if (host.ipv6) {
		ret = netpoll_setup_ipv6(&dump_np, nc->dev, nc->local_ip6, NETDUMP_DEFAULT_PORT,
					 host.v6, port);
		same_host = memcmp(host.v6, nc->remote_ip6, 16) == 0;
		char text[40];
		netconsole_format_ipv6(text, sizeof(text), host.v6);
		ksnprintf(where, sizeof(where), "[%s]", text);
	} else {
		ret = netpoll_setup(&dump_np, nc->dev, nc->local_ip, NETDUMP_DEFAULT_PORT, host.v4,
				    port);
		same_host = host.v4 == nc->remote_ip;
		ksnprintf(where, sizeof(where), "%u.%u.%u.%u", host.v4 >> 24,
			  (host.v4 >> 16) & 0xff, (host.v4 >> 8) & 0xff, host.v4 & 0xff);
	}
	if (ret < 0) {
		pr_err("netdump: no netpoll slot left\n");
		return;
	}
	if (same_host)
		memcpy(dump_np.remote_mac, nc->remote_mac, ETH_ALEN);
	else if (host.ipv6 && !netpoll_resolve_ipv6(&dump_np))
		pr_warn("netdump: no NDP reply from the host, sending to its multicast group\n");
	else if (!host.ipv6 && !netpoll_resolve(&dump_np, host.v4))
		pr_warn("netdump: no ARP reply from the host, sending to broadcast\n");
	netpoll_set_udp_rx(&dump_np, netdump_rx, NULL);
	/* Differs from boot to boot, so the host never mixes two dumps. */
	st.dump_id = (uint32_t)clock_ns() ^ (uint32_t)(clock_ns() >> 32) ^ 0x5a17c0deU;
	memcpy(netdump_canary, NETDUMP_CANARY_TEXT, sizeof(NETDUMP_CANARY_TEXT));
	if (panic_register_late(netdump_panic) < 0) {
		pr_err("netdump: no room for the panic handler\n");
		return;
	}
	pr_info("netdump: armed, dumps go to %s:%u\n", where, port);
}
