/* netpoll: sends UDP packets over IPv4 or IPv6 straight through a polled net
 * device from any context (normal, IRQ, oops), and resolves the next hop's
 * MAC by polled ARP or neighbour solicitation at boot (normal context). Its
 * rx handler answers ARP and neighbour solicitations for our own address
 * and hands other frames to its consumers (netconsole's ncrx replies,
 * netdump's acknowledgements, the echo service). Every device access goes
 * through netdev_claim(). Errors are negative (kernel/errno.h). */
#ifndef NETCONSOLE_NETPOLL_H
#define NETCONSOLE_NETPOLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/netdev.h"
#include "netconsole/frame.h"

#define NETPOLL_MAX 4
/* Polled ARP or NDP: one request, a wait, then one retry. QEMU's e1000 holds
 * received frames back for the first second after the receiver is enabled,
 * so a reply to the first request may take that long to show. */
#define NETPOLL_ARP_TRIES 2
#define NETPOLL_ARP_WAIT_MS 1000

/* Addresses and ports in host order; an IPv6 netpoll (ipv6) uses
 * local_ip6 and remote_ip6, the 16 bytes on the wire, and has local_ip and
 * remote_ip 0. */
struct netpoll {
	struct net_device *dev;
	uint32_t local_ip;
	uint16_t local_port;
	uint32_t remote_ip;
	uint16_t remote_port;
	bool ipv6;
	uint8_t local_ip6[16];
	uint8_t remote_ip6[16];
	uint8_t remote_mac[ETH_ALEN];
	uint16_t ip_id;
	uint8_t index; /* in setup order: the oops path's frame buffer */
	/* The headers of its datagrams, prebuilt (len 0 until the first). */
	struct frame_udp_template tx_template;
	/* With the device claimed: the address being resolved (arp_ip, or
	 * remote_ip6 for IPv6), and whether a reply for it has filled
	 * remote_mac. */
	uint32_t arp_ip;
	bool arp_pending;
	bool arp_resolved;
	/* Set by netpoll_set_rx_frame() and netpoll_set_udp_rx(). */
	void (*rx_frame)(struct netpoll *np, const void *frame, size_t len);
	void (*udp_rx)(struct netpoll *np, const uint8_t *payload, size_t len);
	void *udp_rx_ctx;
};

/* Boot, normal context. Fills in np (dev must be open), remembers it and
 * installs the rx handler on its device. Returns 0, or -ENOSPC when
 * NETPOLL_MAX are already set up. */
int netpoll_setup(struct netpoll *np, struct net_device *dev, uint32_t local_ip,
		  uint16_t local_port, uint32_t remote_ip, uint16_t remote_port);
/* The same for IPv6 addresses (16 bytes each, as on the wire). */
int netpoll_setup_ipv6(struct netpoll *np, struct net_device *dev, const uint8_t local_ip6[16],
		       uint16_t local_port, const uint8_t remote_ip6[16], uint16_t remote_port);

/* Boot, normal context, after netpoll_setup(). Optional receivers, called
 * with the device claimed by whoever polls it (the driver's interrupt
 * handler, netpoll_poll(), netpoll_resolve(); in the panic, with the device
 * taken over). rx_frame gets every non-ARP frame polled from the device;
 * udp_rx the payload of each valid UDP datagram from remote_ip to
 * local_ip:local_port, with ctx in np->udp_rx_ctx. */
void netpoll_set_rx_frame(struct netpoll *np,
			  void (*rx_frame)(struct netpoll *np, const void *frame, size_t len));
void netpoll_set_udp_rx(struct netpoll *np,
			void (*udp_rx)(struct netpoll *np, const uint8_t *payload, size_t len),
			void *ctx);

/* Only from those receivers (the device is claimed already): answer the
 * sender of request from local_ip:local_port, or a ping to local_ip.
 * Return 0, or a negative error when the frame was dropped. */
int netpoll_reply_udp(struct netpoll *np, const struct frame_udp_endpoints *request,
		      const void *payload, size_t len);
int netpoll_reply_icmp_echo(struct netpoll *np, const struct frame_icmp_echo *request);

/* Any context: the frame addresses of a datagram from np to its remote end,
 * for senders that build whole frames themselves (netdump, the bench). */
void netpoll_udp_endpoints(const struct netpoll *np, struct frame_udp_endpoints *ep);

/* Boot, normal context. Asks for next_hop's MAC by ARP and polls the device
 * for the answer, for at most NETPOLL_ARP_TRIES * NETPOLL_ARP_WAIT_MS. On
 * success remote_mac holds it; otherwise remote_mac becomes broadcast.
 * Returns whether a reply came. */
bool netpoll_resolve(struct netpoll *np, uint32_t next_hop);
/* The same for an IPv6 netpoll, whose targets are on-link: a neighbour
 * solicitation for remote_ip6 to its solicited-node multicast address,
 * polled as ARP is; without an advertisement remote_mac becomes that
 * group's MAC (33:33:ff:xx:xx:xx), which the target's NIC accepts. */
bool netpoll_resolve_ipv6(struct netpoll *np);

/* Any context, the oops included, but never from the receivers above;
 * bounded in time. Sends one UDP datagram (at most FRAME_MAX_LEN -
 * FRAME_UDP_HEADERS bytes). Returns 0, or a negative error when the packet
 * was dropped. */
int netpoll_send_udp(struct netpoll *np, const void *payload, size_t len);
/* The same, but the NIC may be told only at the next netpoll_flush() (or
 * send), so several datagrams share one doorbell. */
int netpoll_queue_udp(struct netpoll *np, const void *payload, size_t len);
void netpoll_flush(struct netpoll *np);

/* Any context, the oops included; bounded. Polls the device once (budget
 * frames), so replies reach udp_rx and rx_frame with interrupts off. */
void netpoll_poll(struct netpoll *np, unsigned budget);

#endif
