/* The one place that builds and parses Ethernet II frames carrying UDP over
 * IPv4 or IPv6, ICMP echo, ARP and IPv6 neighbour discovery: for netpoll
 * (netconsole, netdump) and the echo service.
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
/* IPv6 (RFC 8200): a fixed 40-byte header, so 20 bytes less of payload fit
 * in a frame: 1452 instead of 1472. */
#define FRAME_IPV6_HLEN 40
#define FRAME_UDP6_HEADERS (FRAME_ETH_HLEN + FRAME_IPV6_HLEN + FRAME_UDP_HLEN)
/* A neighbour solicitation or advertisement with one link-layer address
 * option (RFC 4861 4.3, 4.4, 4.6.1). */
#define FRAME_NDP_LEN (FRAME_ETH_HLEN + FRAME_IPV6_HLEN + 32)
#define FRAME_ICMP_HLEN 8
#define FRAME_ARP_LEN (FRAME_ETH_HLEN + 28)
/* Shortest Ethernet frame without FCS; shorter ones are padded with zeros
 * because not every NIC pads by itself. */
#define FRAME_MIN_LEN 60
#define FRAME_MAX_LEN 1514

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd
#define NDP_NEIGHBOR_SOLICIT 135
#define NDP_NEIGHBOR_ADVERT 136
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

/* Addresses and ports in host order; IPv6 addresses as the 16 bytes on the
 * wire. ipv6 chooses which pair of addresses the frame carries. */
struct frame_udp_endpoints {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t src_port;
	uint16_t dst_port;
	bool ipv6;
	uint8_t src_ip6[16];
	uint8_t dst_ip6[16];
};

/* A neighbour solicitation (RFC 4861 4.3) or advertisement (4.4). An NS goes
 * to the solicited-node multicast address of target (RFC 4291 2.7.1) and its
 * Ethernet group address 33:33:ff:xx:xx:xx (RFC 2464 7), so the builder
 * ignores dst_ip and dst_mac for it; an NA goes to dst_ip and dst_mac.
 * lladdr is the one option: the sender's MAC in an NS (source link-layer
 * address), the target's in an NA (target link-layer address). */
struct frame_ndp {
	uint8_t type; /* NDP_NEIGHBOR_SOLICIT or NDP_NEIGHBOR_ADVERT */
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint8_t src_ip[16];
	uint8_t dst_ip[16];
	uint8_t target[16];
	bool solicited; /* NA only: the S flag, an answer to an NS */
	bool has_lladdr;
	uint8_t lladdr[6];
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
/* Copies len bytes from src to dst and continues sum over them, in one
 * pass: odd says the piece starts at an odd offset of the summed data, so
 * pieces of any length can follow each other (the result is folded to 16
 * bits). The buffers may have any alignment and must not overlap. */
uint32_t frame_csum_copy(void *dst, const void *src, size_t len, uint32_t sum, bool odd);

/* The bytes in front of a UDP payload: FRAME_UDP_HEADERS for IPv4,
 * FRAME_UDP6_HEADERS for IPv6. */
size_t frame_udp_headers_len(const struct frame_udp_endpoints *ep);

/* Writes the Ethernet, IP and UDP headers in front of len bytes of payload
 * already at frame + frame_udp_headers_len(ep) (the caller checked that they
 * fit); with checksum false an IPv4 datagram's UDP checksum is left 0
 * ("none", allowed for IPv4). IPv6 datagrams always carry it (RFC 8200 8.1).
 * Returns the headers' length + len, unpadded. */
size_t frame_put_udp_headers(void *frame, const struct frame_udp_endpoints *ep, uint16_t ip_id,
			     size_t len, bool checksum);

/* The headers of every datagram between one pair of endpoints, built once:
 * a sender copies a payload behind them at frame + len with
 * frame_csum_copy() (starting from sum 0, at an even offset), and
 * frame_udp_template_finish() puts the headers in front, with the payload's
 * length, the IPv4 identification and both checksums patched in. */
struct frame_udp_template {
	uint8_t headers[FRAME_UDP6_HEADERS];
	uint8_t len; /* FRAME_UDP_HEADERS or FRAME_UDP6_HEADERS */
	bool ipv6;
	uint32_t ip_sum; /* the IPv4 header's sum without length and id */
	uint32_t udp_sum; /* the UDP checksum's addresses, protocol and ports */
};
void frame_udp_template_init(struct frame_udp_template *t, const struct frame_udp_endpoints *ep);
/* Returns the frame's length, padded to FRAME_MIN_LEN; the caller checked
 * that t->len + len fits in FRAME_MAX_LEN. payload_sum is what
 * frame_csum_copy() returned for the payload. */
size_t frame_udp_template_finish(void *frame, const struct frame_udp_template *t, uint16_t ip_id,
				 size_t len, uint32_t payload_sum);

/* Writes the frame into buf; returns its length (padded to FRAME_MIN_LEN),
 * or 0 when it does not fit in size or exceeds FRAME_MAX_LEN. ip_id is the
 * IPv4 identification, which the caller increments per packet. An IPv6
 * datagram has no identification and ignores it. */
size_t frame_build_udp(void *buf, size_t size, const struct frame_udp_endpoints *ep, uint16_t ip_id,
		       const void *payload, size_t len);

/* ARP for IPv4 over Ethernet. A request is broadcast and has a zero target
 * MAC; a reply goes to the requester (target_mac). Returns the length
 * (FRAME_MIN_LEN) or 0 when size is too small. */
size_t frame_build_arp(void *buf, size_t size, const struct frame_arp *arp);

/* True when frame is an Ethernet II UDP datagram, unfragmented, either over
 * IPv4 with a valid header checksum and a valid (or absent) UDP checksum, or
 * over IPv6 without extension headers and with a valid UDP checksum (a
 * missing one is invalid there, RFC 8200 8.1); fills ep (MACs, family,
 * addresses, ports; the other family's addresses zero) and points payload
 * into frame. */
bool frame_parse_udp(const void *frame, size_t len, struct frame_udp_endpoints *ep,
		     const uint8_t **payload, size_t *payload_len);

/* The Ethernet group address of the solicited-node multicast address of ip
 * (33:33:ff and ip's last three bytes): where an NS for ip goes, and where
 * netpoll sends when no advertisement came, as ARP falls back to broadcast. */
void frame_solicited_node_mac(const uint8_t ip[16], uint8_t mac[6]);

/* Writes an NS or NA (hop limit 255, ICMPv6 checksum over the IPv6
 * pseudo-header) into buf; returns FRAME_NDP_LEN, or FRAME_NDP_LEN - 8
 * without the option, or 0 when size is too small. */
size_t frame_build_ndp(void *buf, size_t size, const struct frame_ndp *nd);

/* True when frame is a valid NS or NA (RFC 4861 7.1: hop limit 255, ICMPv6
 * checksum, code 0, at least 24 bytes, no option of length 0, an NA's
 * target not multicast); fills out, taking the first link-layer address
 * option of the kind the message carries. */
bool frame_parse_ndp(const void *frame, size_t len, struct frame_ndp *out);

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
