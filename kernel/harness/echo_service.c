#include "kernel/harness/echo_service.h"

#include "drivers/netdev.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "netconsole/frame.h"
#include "netconsole/netconsole.h"
#include "netconsole/netpoll.h"

/* A netpoll of our own puts us on the device's receive path next to
 * netconsole: netpoll_rx answers ARP for our address (once, whichever
 * netpoll owns it) and hands us every other frame. */
static struct netpoll echo_netpoll;
/* Used only from echo_rx(), which runs under dev->lock. */
static uint8_t reply_frame[FRAME_MAX_LEN];

/* Under dev->lock (held by the driver's interrupt handler around its poll):
 * send straight through the driver. Taking the lock again would deadlock,
 * and so would a printk, which sends through netconsole on this device. */
static void send_reply(struct netpoll *np, size_t len)
{
	struct net_device *dev = np->dev;
	if (!len || dev->ops->transmit(dev, reply_frame, len) < 0)
		np->drops++;
}

static void answer_ping(struct netpoll *np, const struct frame_icmp_echo *req)
{
	struct frame_icmp_echo reply = *req;
	memcpy(reply.src_mac, np->dev->mac, ETH_ALEN);
	memcpy(reply.dst_mac, req->src_mac, ETH_ALEN);
	reply.src_ip = np->local_ip;
	reply.dst_ip = req->src_ip;
	reply.type = ICMP_ECHO_REPLY;
	send_reply(np,
		   frame_build_icmp_echo(reply_frame, sizeof(reply_frame), &reply, np->ip_id++));
}

static void echo_datagram(struct netpoll *np, const struct frame_udp_endpoints *req,
			  const uint8_t *payload, size_t len)
{
	struct frame_udp_endpoints reply;
	memcpy(reply.src_mac, np->dev->mac, ETH_ALEN);
	memcpy(reply.dst_mac, req->src_mac, ETH_ALEN);
	reply.src_ip = np->local_ip;
	reply.dst_ip = req->src_ip;
	reply.src_port = ECHO_SERVICE_UDP_PORT;
	reply.dst_port = req->src_port;
	send_reply(np, frame_build_udp(reply_frame, sizeof(reply_frame), &reply, np->ip_id++,
				       payload, len));
}

static void echo_rx(struct netpoll *np, const void *frame, size_t len)
{
	struct frame_icmp_echo ping;
	struct frame_udp_endpoints ep;
	const uint8_t *payload;
	size_t payload_len;

	/* netconsole polls the device during the panic; the oops owns it. */
	if (oops_in_progress)
		return;
	if (frame_parse_icmp_echo(frame, len, &ping)) {
		if (ping.type == ICMP_ECHO_REQUEST && ping.dst_ip == np->local_ip)
			answer_ping(np, &ping);
		return;
	}
	if (frame_parse_udp(frame, len, &ep, &payload, &payload_len) && ep.dst_ip == np->local_ip &&
	    ep.dst_port == ECHO_SERVICE_UDP_PORT)
		echo_datagram(np, &ep, payload, payload_len);
}

/* The source address of the first netconsole target on dev, or 0. */
static uint32_t netconsole_address_on(const struct net_device *dev)
{
	const struct netpoll *np;
	for (unsigned i = 0; (np = netconsole_netpoll(i)) != NULL; i++)
		if (np->dev == dev)
			return np->local_ip;
	return 0;
}

void echo_service_init(void)
{
	struct cmdline_param p;
	if (!cmdline_find(kernel_cmdline, "echo", &p))
		return;
	const char *name = p.value ? p.value : "";
	size_t name_len = p.value ? p.value_len : 0;
	struct net_device *dev = netdev_by_name(name, name_len);
	if (!dev) {
		pr_err("echo: no device \"%.*s\" for echo=\n", (int)name_len, name);
		return;
	}
	uint32_t ip = netconsole_address_on(dev);
	if (!ip || !dev->up) {
		pr_err("echo: %s carries no netconsole target to take the address from\n",
		       dev->name);
		return;
	}
	if (netpoll_setup(&echo_netpoll, dev, ip, ECHO_SERVICE_UDP_PORT, 0, 0) < 0) {
		pr_err("echo: no room for another netpoll on %s\n", dev->name);
		return;
	}
	/* After netpoll_setup(), which clears the structure: one aligned
	 * store, so an interrupt sees either no handler or this one. */
	echo_netpoll.rx_frame = echo_rx;
	pr_info("echo: %s answers ICMP echo and UDP port %u for %u.%u.%u.%u\n", dev->name,
		ECHO_SERVICE_UDP_PORT, ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}
