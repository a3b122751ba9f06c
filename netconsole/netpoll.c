#include "netconsole/netpoll.h"

#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "netconsole/frame.h"

#define ARP_POLL_BUDGET 16

static struct netpoll *netpolls[NETPOLL_MAX];
static unsigned netpoll_count;

/* Frames are built here with the device lock held and interrupts off, so on
 * this uniprocessor nothing but a fault can break in while it is in use; the
 * oops path therefore builds into a buffer of its own. */
static uint8_t tx_frame[FRAME_MAX_LEN];
static uint8_t oops_frame[FRAME_MAX_LEN];

/* Called with dev->lock held (or taken over in an oops). Without kick the
 * frame waits in the ring for the next kick (netpoll_flush). */
static int transmit(struct netpoll *np, const void *frame, size_t len, bool kick)
{
	struct net_device *dev = np->dev;
	int ret = len && dev->up ? dev->ops->queue(dev, frame, len) : -1;
	if (ret < 0)
		np->drops++;
	if (kick && dev->up)
		dev->ops->kick(dev);
	return ret < 0 ? -1 : 0;
}

static int transmit_udp(struct netpoll *np, uint8_t *buf, const void *payload, size_t len,
			bool kick)
{
	struct frame_udp_endpoints ep;
	memcpy(ep.src_mac, np->dev->mac, ETH_ALEN);
	memcpy(ep.dst_mac, np->remote_mac, ETH_ALEN);
	ep.src_ip = np->local_ip;
	ep.dst_ip = np->remote_ip;
	ep.src_port = np->local_port;
	ep.dst_port = np->remote_port;
	size_t frame_len = frame_build_udp(buf, FRAME_MAX_LEN, &ep, np->ip_id++, payload, len);
	return transmit(np, buf, frame_len, kick);
}

/* Resets the device, at most once per oops; true when it is up again. */
static bool reopen_once(struct netpoll *np)
{
	struct net_device *dev = np->dev;
	if (np->reopened)
		return false;
	np->reopened = true;
	dev->up = dev->ops->open(dev) == 0;
	return dev->up;
}

static int send_in_oops(struct netpoll *np, const void *payload, size_t len, bool kick)
{
	struct net_device *dev = np->dev;
	/* A failed trylock means the context this oops interrupted holds the
	 * lock. On a uniprocessor that context cannot run again before we
	 * return (it is frozen beneath us, and will most likely never resume),
	 * so nobody else touches the device while we use it without the lock.
	 * Waiting instead would deadlock, which is why we take it over. */
	bool locked = spin_trylock(&dev->lock);
	/* The lock holder may have stopped half-way through a driver update (a
	 * frame handed to the NIC but not yet recorded), so the ring state is
	 * not to be trusted: reset the NIC once before the first send. */
	if (!locked)
		reopen_once(np);
	int ret = transmit_udp(np, oops_frame, payload, len, kick);
	/* A stuck transmit ring would drop every later line: reset it once. */
	if (ret < 0 && reopen_once(np))
		ret = transmit_udp(np, oops_frame, payload, len, kick);
	if (locked)
		spin_unlock(&dev->lock);
	return ret;
}

static int output_udp(struct netpoll *np, const void *payload, size_t len, bool kick)
{
	if (oops_in_progress)
		return send_in_oops(np, payload, len, kick);
	uint32_t flags = spin_lock_irqsave(&np->dev->lock);
	int ret = transmit_udp(np, tx_frame, payload, len, kick);
	spin_unlock_irqrestore(&np->dev->lock, flags);
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
	struct net_device *dev = np->dev;

	if (oops_in_progress) {
		/* As in send_in_oops: a lock the oops interrupted is taken over. */
		bool locked = spin_trylock(&dev->lock);
		if (dev->up)
			dev->ops->kick(dev);
		if (locked)
			spin_unlock(&dev->lock);
		return;
	}
	uint32_t flags = spin_lock_irqsave(&dev->lock);
	if (dev->up)
		dev->ops->kick(dev);
	spin_unlock_irqrestore(&dev->lock, flags);
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
		if (np->dev == dev && np->udp_rx && ep.src_ip == np->remote_ip &&
		    ep.dst_ip == np->local_ip && ep.dst_port == np->local_port)
			np->udp_rx(np, payload, payload_len);
	}
}

/* Runs from the driver's poll with dev->lock held, by whoever polls: the
 * driver's interrupt handler or netpoll_resolve(). */
static void netpoll_rx(struct net_device *dev, const void *frame, size_t len, void *ctx)
{
	struct frame_arp arp;
	bool answered = false;

	(void)ctx;
	if (!frame_parse_arp(frame, len, &arp)) {
		deliver_udp(dev, frame, len);
		for (unsigned i = 0; i < netpoll_count; i++)
			if (netpolls[i]->dev == dev && netpolls[i]->rx_frame)
				netpolls[i]->rx_frame(netpolls[i], frame, len);
		return;
	}
	for (unsigned i = 0; i < netpoll_count; i++) {
		struct netpoll *np = netpolls[i];
		if (np->dev != dev)
			continue;
		/* A request from the next hop tells its MAC as well as a reply. */
		if (np->arp_pending && arp.sender_ip == np->arp_ip) {
			memcpy(np->remote_mac, arp.sender_mac, ETH_ALEN);
			np->arp_resolved = true;
			np->arp_pending = false;
		}
		if (arp.op == ARP_OP_REQUEST && arp.target_ip == np->local_ip && !answered) {
			struct frame_arp reply = {
				ARP_OP_REPLY, {0}, np->local_ip, {0}, arp.sender_ip};
			uint8_t buf[FRAME_MIN_LEN];
			memcpy(reply.sender_mac, dev->mac, ETH_ALEN);
			memcpy(reply.target_mac, arp.sender_mac, ETH_ALEN);
			transmit(np, buf, frame_build_arp(buf, sizeof(buf), &reply), true);
			answered = true;
		}
	}
}

int netpoll_setup(struct netpoll *np, struct net_device *dev, uint32_t local_ip,
		  uint16_t local_port, uint32_t remote_ip, uint16_t remote_port)
{
	if (netpoll_count == NETPOLL_MAX)
		return -1;
	memset(np, 0, sizeof(*np));
	np->dev = dev;
	np->local_ip = local_ip;
	np->local_port = local_port;
	np->remote_ip = remote_ip;
	np->remote_port = remote_port;
	memset(np->remote_mac, 0xff, ETH_ALEN);

	uint32_t flags = spin_lock_irqsave(&dev->lock);
	netpolls[netpoll_count++] = np;
	dev->rx_ctx = NULL;
	dev->rx_handler = netpoll_rx;
	spin_unlock_irqrestore(&dev->lock, flags);
	return 0;
}

bool netpoll_resolve(struct netpoll *np, uint32_t next_hop)
{
	struct net_device *dev = np->dev;
	struct frame_arp request = {ARP_OP_REQUEST, {0}, np->local_ip, {0}, next_hop};
	bool resolved = false;
	uint32_t flags;

	memcpy(request.sender_mac, dev->mac, ETH_ALEN);
	flags = spin_lock_irqsave(&dev->lock);
	np->arp_ip = next_hop;
	np->arp_resolved = false;
	np->arp_pending = true;
	spin_unlock_irqrestore(&dev->lock, flags);

	/* Counting milliseconds rather than reading the clock keeps this
	 * bounded even if the TSC was never calibrated. */
	for (int try = 0; try < NETPOLL_ARP_TRIES && !resolved; try++) {
		flags = spin_lock_irqsave(&dev->lock);
		transmit(np, tx_frame, frame_build_arp(tx_frame, sizeof(tx_frame), &request), true);
		spin_unlock_irqrestore(&dev->lock, flags);
		for (int ms = 0; ms < NETPOLL_ARP_WAIT_MS && !resolved; ms++) {
			flags = spin_lock_irqsave(&dev->lock);
			dev->ops->poll(dev, ARP_POLL_BUDGET);
			resolved = np->arp_resolved;
			spin_unlock_irqrestore(&dev->lock, flags);
			if (!resolved)
				mdelay(1);
		}
	}

	flags = spin_lock_irqsave(&dev->lock);
	np->arp_pending = false;
	resolved = np->arp_resolved;
	if (!resolved)
		memset(np->remote_mac, 0xff, ETH_ALEN);
	spin_unlock_irqrestore(&dev->lock, flags);
	return resolved;
}

void netpoll_poll(struct netpoll *np, unsigned budget)
{
	struct net_device *dev = np->dev;
	if (!dev->up)
		return;
	if (oops_in_progress) {
		/* As in send_in_oops(): a holder of the lock is frozen beneath us. */
		bool locked = spin_trylock(&dev->lock);
		dev->ops->poll(dev, budget);
		if (locked)
			spin_unlock(&dev->lock);
		return;
	}
	uint32_t flags = spin_lock_irqsave(&dev->lock);
	dev->ops->poll(dev, budget);
	spin_unlock_irqrestore(&dev->lock, flags);
}
