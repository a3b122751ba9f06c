/* The one place that builds and parses Ethernet II frames carrying IPv4/UDP,
 * ICMP echo or ARP: for netpoll (netconsole, netdump) and the echo service.
 * Pure functions on caller buffers: callable from any context (normal, IRQ,
 * oops) and host-testable. */
#ifndef NETCONSOLE_FRAME_H
#define NETCONSOLE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_ETH_HLEN 14
#define FRAME_IPV4_HLEN 20
#define FRAME_UDP_HLEN 8
#define FRAME_UDP_HEADERS (FRAME_ETH_HLEN + FRAME_IPV4_HLEN + FRAME_UDP_HLEN)
#define FRAME_ICMP_HLEN 8
#define FRAME_ARP_LEN (FRAME_ETH_HLEN + 28)
/* Shortest Ethernet frame without FCS; shorter ones are padded with zeros
 * because not every NIC pads by itself. */
#define FRAME_MIN_LEN 60
#define FRAME_MAX_LEN 1514

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

/* Addresses and ports in host order. */
struct frame_udp_endpoints {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t src_port;
	uint16_t dst_port;
};

struct frame_arp {
	uint16_t op;
	uint8_t sender_mac[6];
	uint32_t sender_ip;
	uint8_t target_mac[6];
	uint32_t target_ip;
};

/* An ICMP echo request or reply (RFC 792); addresses in host order. data
 * points into the parsed frame, or at the caller's data when building. */
struct frame_icmp_echo {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t src_ip;
	uint32_t dst_ip;
	uint8_t type; /* ICMP_ECHO_REQUEST or ICMP_ECHO_REPLY */
	uint16_t id;
	uint16_t seq;
	const uint8_t *data;
	size_t data_len;
};

/* RFC 1071: one's complement sum of big-endian 16-bit words, continued
 * from sum (start with 0). An odd trailing byte is padded with zero, so
 * only the last piece of a checksummed sequence may have odd length. */
uint32_t frame_csum_add(uint32_t sum, const void *data, size_t len);
/* Folds the carries and complements: the value to store in the header. */
uint16_t frame_csum_fold(uint32_t sum);

/* Writes the Ethernet, IPv4 and UDP headers in front of len bytes of payload
 * already at frame + FRAME_UDP_HEADERS (the caller checked that they fit);
 * with checksum false the UDP checksum is left 0 ("none", allowed for IPv4).
 * Returns FRAME_UDP_HEADERS + len, unpadded. */
size_t frame_put_udp_headers(void *frame, const struct frame_udp_endpoints *ep, uint16_t ip_id,
			     size_t len, bool checksum);

/* Writes the frame into buf; returns its length (padded to FRAME_MIN_LEN),
 * or 0 when it does not fit in size or exceeds FRAME_MAX_LEN. ip_id is the
 * IPv4 identification, which the caller increments per packet. */
size_t frame_build_udp(void *buf, size_t size, const struct frame_udp_endpoints *ep, uint16_t ip_id,
		       const void *payload, size_t len);

/* ARP for IPv4 over Ethernet. A request is broadcast and has a zero target
 * MAC; a reply goes to the requester (target_mac). Returns the length
 * (FRAME_MIN_LEN) or 0 when size is too small. */
size_t frame_build_arp(void *buf, size_t size, const struct frame_arp *arp);

/* True when frame is an Ethernet II IPv4/UDP datagram, unfragmented, with a
 * valid IPv4 header checksum and a valid (or absent) UDP checksum; fills ep
 * (MACs, addresses, ports) and points payload into frame. */
bool frame_parse_udp(const void *frame, size_t len, struct frame_udp_endpoints *ep,
		     const uint8_t **payload, size_t *payload_len);

/* True when frame is an Ethernet II ARP request or reply for IPv4 over
 * Ethernet; fills out. */
bool frame_parse_arp(const void *frame, size_t len, struct frame_arp *out);

/* True when frame is an Ethernet II IPv4 ICMP echo request or reply,
 * unfragmented, with valid IPv4 header and ICMP checksums; fills out. */
bool frame_parse_icmp_echo(const void *frame, size_t len, struct frame_icmp_echo *out);

/* Writes an IPv4 ICMP echo frame (without IP options) into buf; returns its
 * length (padded to FRAME_MIN_LEN), or 0 when it does not fit in size or
 * exceeds FRAME_MAX_LEN. echo->data must not overlap buf. */
size_t frame_build_icmp_echo(void *buf, size_t size, const struct frame_icmp_echo *echo,
			     uint16_t ip_id);

#endif
