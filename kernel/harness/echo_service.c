#include "kernel/harness/echo_service.h"

#include "drivers/netdev.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "netconsole/frame.h"
#include "netconsole/netconsole.h"
#include "netconsole/netpoll.h"

/* A netpoll of our own puts us on the device's receive path next to
 * netconsole: netpoll answers ARP for our address (once, whichever netpoll
 * owns it) and hands us every other frame. */
static struct netpoll echo_netpoll;
static uint32_t echo_ip;

/* With the device claimed by whoever polls it (the driver's interrupt
 * handler, usually): replies go straight out through netpoll's rx-path
 * senders. A printk here would send through netconsole on this device. */
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
		if (ping.type == ICMP_ECHO_REQUEST && ping.dst_ip == echo_ip)
			netpoll_reply_icmp_echo(np, &ping);
		return;
	}
	if (frame_parse_udp(frame, len, &ep, &payload, &payload_len) && ep.dst_ip == echo_ip &&
	    ep.dst_port == ECHO_SERVICE_UDP_PORT)
		netpoll_reply_udp(np, &ep, payload, payload_len);
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
	uint32_t ip = netconsole_source_ip(dev);
	if (!ip || !dev->up) {
		pr_err("echo: %s carries no netconsole target to take the address from\n",
		       dev->name);
		return;
	}
	if (netpoll_setup(&echo_netpoll, dev, ip, ECHO_SERVICE_UDP_PORT, 0, 0) < 0) {
		pr_err("echo: no room for another netpoll on %s\n", dev->name);
		return;
	}
	echo_ip = ip;
	netpoll_set_rx_frame(&echo_netpoll, echo_rx);
	pr_info("echo: %s answers ICMP echo and UDP port %u for %u.%u.%u.%u\n", dev->name,
		ECHO_SERVICE_UDP_PORT, ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}
