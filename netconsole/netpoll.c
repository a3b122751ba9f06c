#include "netconsole/netpoll.h"

#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "netconsole/frame.h"

#define ARP_POLL_BUDGET 16

static struct netpoll *netpolls[NETPOLL_MAX];
static unsigned netpoll_count;

/* Requests are built here with the device claimed and interrupts off, so
 * nothing but a fault can break in while it is in use; the oops path
 * therefore builds into buffers of its own, one per netpoll, so that the
 * last frame each sent in the oops stays for a crash dump's reader even
 * after another (netdump's) has sent its own. Outside an oops datagrams are
 * built in the NIC's transmit buffers. */
static uint8_t tx_frame[FRAME_MAX_LEN];
static uint8_t oops_frame[NETPOLL_MAX][FRAME_MAX_LEN];
/* Replies sent from rx callbacks, with the device claimed by the poller. */
static uint8_t rx_reply_frame[FRAME_MAX_LEN];

void netpoll_udp_endpoints(const struct netpoll *np, struct frame_udp_endpoints *ep)
{
	memset(ep, 0, sizeof(*ep));
	memcpy(ep->src_mac, np->dev->mac, ETH_ALEN);
	memcpy(ep->dst_mac, np->remote_mac, ETH_ALEN);
	ep->src_ip = np->local_ip;
	ep->dst_ip = np->remote_ip;
	ep->ipv6 = np->ipv6;
	memcpy(ep->src_ip6, np->local_ip6, 16);
	memcpy(ep->dst_ip6, np->remote_ip6, 16);
	ep->src_port = np->local_port;
	ep->dst_port = np->remote_port;
}

/* With the device claimed. Without kick the frame waits in the ring for the
 * next kick (netpoll_flush). Inlined, as are the senders below, so an oops
 * trace shows the driver called from transmit_udp and netpoll's entry. */
static inline __attribute__((always_inline)) int transmit(struct netpoll *np, const void *frame,
							  size_t len, bool kick)
{
	struct net_device *dev = np->dev;
	enum profile_stage caller = profile_enter(PROFILE_DRIVER);
	int ret = !dev->up ? -ENETDOWN : !len ? -EINVAL : dev->ops->queue(dev, frame, len);
	if (kick && dev->up) {
		profile_enter(PROFILE_DOORBELL);
		dev->ops->kick(dev);
	}
	profile_enter(caller);
	return ret;
}

__attribute__((noinline)) static int transmit_udp(struct netpoll *np, uint8_t *buf,
						  const void *payload, size_t len, bool kick)
{
	struct frame_udp_endpoints ep;
	enum profile_stage caller = profile_enter(PROFILE_FRAME);
	netpoll_udp_endpoints(np, &ep);
	size_t frame_len = frame_build_udp(buf, FRAME_MAX_LEN, &ep, np->ip_id++, payload, len);
	int ret = transmit(np, buf, frame_len, kick);
	profile_enter(caller);
	return ret;
}

/* With the device claimed, outside an oops: the frame is built in the
 * NIC's own transmit buffer, behind headers prebuilt for the target (only
 * length, identification and checksums patched in), its payload copied and
 * summed in one pass. Rebuilt when the target's MAC changes (ARP, NDP). */
static int transmit_udp_in_place(struct netpoll *np, const void *payload, size_t len, bool kick)
{
	struct net_device *dev = np->dev;
	struct frame_udp_template *t = &np->tx_template;

	if (!t->len || memcmp(t->headers, np->remote_mac, ETH_ALEN) != 0) {
		struct frame_udp_endpoints ep;
		netpoll_udp_endpoints(np, &ep);
		frame_udp_template_init(t, &ep);
	}
	if (!dev->up)
		return -ENETDOWN;
	if (!len || t->len + len > FRAME_MAX_LEN)
		return -EINVAL;
	enum profile_stage caller = profile_enter(PROFILE_DRIVER);
	uint8_t *buf = dev->ops->tx_buffer(dev);
	int ret = -ENOBUFS;
	if (buf) {
		profile_enter(PROFILE_FRAME);
		uint32_t sum = frame_csum_copy(buf + t->len, payload, len, 0, false);
		size_t frame_len = frame_udp_template_finish(buf, t, np->ip_id++, len, sum);
		profile_enter(PROFILE_DRIVER);
		ret = dev->ops->tx_commit(dev, frame_len);
	}
	if (kick) {
		profile_enter(PROFILE_DOORBELL);
		dev->ops->kick(dev);
	}
	profile_enter(caller);
	return ret;
}

/* In an oops, the frame is built as it always was, in a buffer of the
 * oops path's own, and handed to the driver's queue op. */
static inline __attribute__((always_inline)) int output_udp(struct netpoll *np, const void *payload,
							    size_t len, bool kick)
{
	struct netdev_claim claim;
	bool oops = oops_in_progress;
	uint8_t *buf = oops_frame[np->index];
	enum profile_stage caller = profile_enter(PROFILE_DRIVER);

	netdev_claim(np->dev, &claim);
	int ret = oops ? transmit_udp(np, buf, payload, len, kick)
		       : transmit_udp_in_place(np, payload, len, kick);
	/* In an oops a stuck transmit ring would drop every later line. */
	if (ret < 0 && netdev_recover(np->dev))
		ret = transmit_udp(np, buf, payload, len, kick);
	netdev_release(np->dev, &claim);
	profile_enter(caller);
	return ret;
}

int netpoll_send_udp(struct netpoll *np, const void *payload, size_t len)
{
	return output_udp(np, payload, len, true);
}

int netpoll_queue_udp(struct netpoll *np, const void *payload, size_t len)
{
	return output_udp(np, payload, len, false);
}

void netpoll_flush(struct netpoll *np)
{
	struct netdev_claim claim;
	enum profile_stage caller = profile_enter(PROFILE_DRIVER);

	if (netdev_claim(np->dev, &claim)) {
		profile_enter(PROFILE_DOORBELL);
		np->dev->ops->kick(np->dev);
		profile_enter(PROFILE_DRIVER);
	}
	netdev_release(np->dev, &claim);
	profile_enter(caller);
}

int netpoll_reply_udp(struct netpoll *np, const struct frame_udp_endpoints *request,
		      const void *payload, size_t len)
{
	struct frame_udp_endpoints ep;
	memset(&ep, 0, sizeof(ep));
	memcpy(ep.src_mac, np->dev->mac, ETH_ALEN);
	memcpy(ep.dst_mac, request->src_mac, ETH_ALEN);
	ep.src_ip = np->local_ip;
	ep.dst_ip = request->src_ip;
	ep.ipv6 = request->ipv6;
	memcpy(ep.src_ip6, np->local_ip6, 16);
	memcpy(ep.dst_ip6, request->src_ip6, 16);
	ep.src_port = np->local_port;
	ep.dst_port = request->src_port;
	size_t frame_len = frame_build_udp(rx_reply_frame, sizeof(rx_reply_frame), &ep, np->ip_id++,
					   payload, len);
	return transmit(np, rx_reply_frame, frame_len, true);
}

int netpoll_reply_icmp_echo(struct netpoll *np, const struct frame_icmp_echo *request)
{
	struct frame_icmp_echo reply = *request;
	memcpy(reply.src_mac, np->dev->mac, ETH_ALEN);
	memcpy(reply.dst_mac, request->src_mac, ETH_ALEN);
	reply.src_ip = np->local_ip;
	reply.dst_ip = request->src_ip;
	reply.type = ICMP_ECHO_REPLY;
	size_t frame_len =
		frame_build_icmp_echo(rx_reply_frame, sizeof(rx_reply_frame), &reply, np->ip_id++);
	return transmit(np, rx_reply_frame, frame_len, true);
}

static void deliver_udp(struct net_device *dev, const void *frame, size_t len)
{
	struct frame_udp_endpoints ep;
	const uint8_t *payload;
	size_t payload_len;

	if (!frame_parse_udp(frame, len, &ep, &payload, &payload_len))
		return;
	for (unsigned i = 0; i < netpoll_count; i++) {
		struct netpoll *np = netpolls[i];
		bool from_remote = np->ipv6 ? ep.ipv6 &&
						      memcmp(ep.src_ip6, np->remote_ip6, 16) == 0 &&
						      memcmp(ep.dst_ip6, np->local_ip6, 16) == 0
					    : !ep.ipv6 && ep.src_ip == np->remote_ip &&
						      ep.dst_ip == np->local_ip;
		if (np->dev == dev && np->udp_rx && from_remote && ep.dst_port == np->local_port)
			np->udp_rx(np, payload, payload_len);
	}
}

/* ARP for IPv4 netpolls on dev: a reply, or a request from the address
 * being resolved, gives its MAC; a request for our address is answered once. */
static void netpoll_rx_arp(struct net_device *dev, const struct frame_arp *arp)
{
	bool answered = false;

	for (unsigned i = 0; i < netpoll_count; i++) {
		struct netpoll *np = netpolls[i];
		if (np->dev != dev || np->ipv6)
			continue;
		/* A request from the next hop tells its MAC as well as a reply. */
		if (np->arp_pending && arp->sender_ip == np->arp_ip) {
			memcpy(np->remote_mac, arp->sender_mac, ETH_ALEN);
			np->arp_resolved = true;
			np->arp_pending = false;
		}
		if (arp->op == ARP_OP_REQUEST && arp->target_ip == np->local_ip && !answered) {
			struct frame_arp reply = {
				ARP_OP_REPLY, {0}, np->local_ip, {0}, arp->sender_ip};
			uint8_t buf[FRAME_MIN_LEN];
			memcpy(reply.sender_mac, dev->mac, ETH_ALEN);
			memcpy(reply.target_mac, arp->sender_mac, ETH_ALEN);
			transmit(np, buf, frame_build_arp(buf, sizeof(buf), &reply), true);
			answered = true;
		}
	}
}

/* Neighbour discovery for IPv6 netpolls on dev, as ARP above: an
 * advertisement for the address being resolved, or a solicitation from it,
 * gives its MAC (RFC 4861 7.2.5, 7.2.3); a solicitation for our address is
 * answered once with a solicited advertisement to the asker (7.2.4). A
 * duplicate address detection probe (source ::) is not answered: we never
 * claim an address someone is about to take. */
static void netpoll_rx_ndp(struct net_device *dev, const struct frame_ndp *nd)
{
	static const uint8_t unspecified[16];
	bool from_nobody = memcmp(nd->src_ip, unspecified, 16) == 0;
	bool answered = false;

	for (unsigned i = 0; i < netpoll_count; i++) {
		struct netpoll *np = netpolls[i];
		if (np->dev != dev || !np->ipv6)
			continue;
		const uint8_t *about = nd->type == NDP_NEIGHBOR_ADVERT ? nd->target : nd->src_ip;
		if (np->arp_pending && nd->has_lladdr && memcmp(about, np->remote_ip6, 16) == 0) {
			memcpy(np->remote_mac, nd->lladdr, ETH_ALEN);
			np->arp_resolved = true;
			np->arp_pending = false;
		}
		if (nd->type == NDP_NEIGHBOR_SOLICIT && !from_nobody && !answered &&
		    memcmp(nd->target, np->local_ip6, 16) == 0) {
			struct frame_ndp na = {
				.type = NDP_NEIGHBOR_ADVERT, .solicited = true, .has_lladdr = true};
			uint8_t buf[FRAME_NDP_LEN];
			memcpy(na.src_mac, dev->mac, ETH_ALEN);
			memcpy(na.dst_mac, nd->has_lladdr ? nd->lladdr : nd->src_mac, ETH_ALEN);
			memcpy(na.src_ip, np->local_ip6, 16);
			memcpy(na.dst_ip, nd->src_ip, 16);
			memcpy(na.target, np->local_ip6, 16);
			memcpy(na.lladdr, dev->mac, ETH_ALEN);
			transmit(np, buf, frame_build_ndp(buf, sizeof(buf), &na), true);
			answered = true;
		}
	}
}

/* Runs from the driver's poll with the device claimed, by whoever polls:
 * the driver's interrupt handler, netpoll_resolve() or netpoll_poll().
 * Netpoll keeps ARP and neighbour discovery; every other frame goes to the
 * receivers. */
static void netpoll_rx(struct net_device *dev, const void *frame, size_t len)
{
	struct frame_arp arp;
	struct frame_ndp nd;

	if (frame_parse_arp(frame, len, &arp)) {
		netpoll_rx_arp(dev, &arp);
		return;
	}
	if (frame_parse_ndp(frame, len, &nd)) {
		netpoll_rx_ndp(dev, &nd);
		return;
	}
	deliver_udp(dev, frame, len);
	for (unsigned i = 0; i < netpoll_count; i++)
		if (netpolls[i]->dev == dev && netpolls[i]->rx_frame)
			netpolls[i]->rx_frame(netpolls[i], frame, len);
}

static int setup(struct netpoll *np, struct net_device *dev, uint16_t local_port,
		 uint16_t remote_port)
{
	if (netpoll_count == NETPOLL_MAX)
		return -ENOSPC;
	np->dev = dev;
	np->index = (uint8_t)netpoll_count;
	np->local_port = local_port;
	np->remote_port = remote_port;
	memset(np->remote_mac, 0xff, ETH_ALEN);

	struct netdev_claim claim;
	netdev_claim(dev, &claim);
	netpolls[netpoll_count++] = np;
	dev->rx_handler = netpoll_rx;
	netdev_release(dev, &claim);
	return 0;
}

int netpoll_setup(struct netpoll *np, struct net_device *dev, uint32_t local_ip,
		  uint16_t local_port, uint32_t remote_ip, uint16_t remote_port)
{
	memset(np, 0, sizeof(*np));
	np->local_ip = local_ip;
	np->remote_ip = remote_ip;
	return setup(np, dev, local_port, remote_port);
}

int netpoll_setup_ipv6(struct netpoll *np, struct net_device *dev, const uint8_t local_ip6[16],
		       uint16_t local_port, const uint8_t remote_ip6[16], uint16_t remote_port)
{
	memset(np, 0, sizeof(*np));
	np->ipv6 = true;
	memcpy(np->local_ip6, local_ip6, 16);
	memcpy(np->remote_ip6, remote_ip6, 16);
	int err = setup(np, dev, local_port, remote_port);
	frame_solicited_node_mac(remote_ip6, np->remote_mac);
	return err;
}

void netpoll_set_rx_frame(struct netpoll *np,
			  void (*rx_frame)(struct netpoll *np, const void *frame, size_t len))
{
	struct netdev_claim claim;
	netdev_claim(np->dev, &claim);
	np->rx_frame = rx_frame;
	netdev_release(np->dev, &claim);
}

void netpoll_set_udp_rx(struct netpoll *np,
			void (*udp_rx)(struct netpoll *np, const uint8_t *payload, size_t len),
			void *ctx)
{
	struct netdev_claim claim;
	netdev_claim(np->dev, &claim);
	np->udp_rx_ctx = ctx;
	np->udp_rx = udp_rx;
	netdev_release(np->dev, &claim);
}

/* Sends the request in tx_frame (request_len bytes) and polls for the answer
 * that netpoll_rx records, NETPOLL_ARP_TRIES times. Returns whether it came;
 * the caller has set arp_pending. */
static bool solicit(struct netpoll *np, size_t request_len)
{
	struct net_device *dev = np->dev;
	struct netdev_claim claim;
	bool resolved = false;

	/* Counting milliseconds rather than reading the clock keeps this
	 * bounded even if the TSC was never calibrated. */
	for (int try = 0; try < NETPOLL_ARP_TRIES && !resolved; try++) {
		netdev_claim(dev, &claim);
		transmit(np, tx_frame, request_len, true);
		netdev_release(dev, &claim);
		for (int ms = 0; ms < NETPOLL_ARP_WAIT_MS && !resolved; ms++) {
			if (netdev_claim(dev, &claim))
				dev->ops->poll(dev, ARP_POLL_BUDGET);
			resolved = np->arp_resolved;
			netdev_release(dev, &claim);
			if (!resolved)
				mdelay(1);
		}
	}

	netdev_claim(dev, &claim);
	np->arp_pending = false;
	resolved = np->arp_resolved;
	netdev_release(dev, &claim);
	return resolved;
}

static void start_resolving(struct netpoll *np, uint32_t next_hop)
{
	struct netdev_claim claim;
	netdev_claim(np->dev, &claim);
	np->arp_ip = next_hop;
	np->arp_resolved = false;
	np->arp_pending = true;
	netdev_release(np->dev, &claim);
}

bool netpoll_resolve(struct netpoll *np, uint32_t next_hop)
{
	struct frame_arp request = {ARP_OP_REQUEST, {0}, np->local_ip, {0}, next_hop};

	memcpy(request.sender_mac, np->dev->mac, ETH_ALEN);
	start_resolving(np, next_hop);
	if (solicit(np, frame_build_arp(tx_frame, sizeof(tx_frame), &request)))
		return true;
	memset(np->remote_mac, 0xff, ETH_ALEN);
	return false;
}

bool netpoll_resolve_ipv6(struct netpoll *np)
{
	struct frame_ndp request = {.type = NDP_NEIGHBOR_SOLICIT, .has_lladdr = true};

	memcpy(request.src_mac, np->dev->mac, ETH_ALEN);
	memcpy(request.src_ip, np->local_ip6, 16);
	memcpy(request.target, np->remote_ip6, 16);
	memcpy(request.lladdr, np->dev->mac, ETH_ALEN);
	start_resolving(np, 0);
	if (solicit(np, frame_build_ndp(tx_frame, sizeof(tx_frame), &request)))
		return true;
	frame_solicited_node_mac(np->remote_ip6, np->remote_mac);
	return false;
}

void netpoll_poll(struct netpoll *np, unsigned budget)
{
	struct netdev_claim claim;

	if (netdev_claim(np->dev, &claim))
		np->dev->ops->poll(np->dev, budget);
	netdev_release(np->dev, &claim);
}
