#include "netconsole/frame.h"

#include "kernel/string.h"
#include "netconsole/unaligned.h"

#define IPPROTO_ICMP 1
#define IPPROTO_UDP 17
#define IPPROTO_ICMPV6 58
#define IPV4_TTL 64
/* Linux's default hop limit for unicast; neighbour discovery must use 255
 * so a receiver knows no router forwarded it (RFC 4861 3.1). */
#define IPV6_HOP_LIMIT 64
#define NDP_HOP_LIMIT 255
#define NDP_OPT_SOURCE_LLADDR 1
#define NDP_OPT_TARGET_LLADDR 2
/* NA flags (RFC 4861 4.4): solicited and override; never router. */
#define NDP_NA_SOLICITED 0x40000000u
#define NDP_NA_OVERRIDE 0x20000000u

static const uint8_t broadcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* A 32-bit word at any alignment, as the CPU loads it: one instruction on
 * x86 (the kernel) and on the little-endian hosts the unit tests run on. */
typedef uint32_t __attribute__((may_alias, aligned(1))) any_aligned_u32;

static inline uint32_t load_le32(const uint8_t *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return *(const any_aligned_u32 *)p;
#else
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
#endif
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	*(any_aligned_u32 *)p = v;
#else
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
#endif
}

/* RFC 1071 2(B): the one's complement sum does not depend on byte order, so
 * a piece is summed as little-endian 32-bit words (bytes at even offsets
 * low, odd ones high), folded and swapped once into network order; a piece
 * that starts at an odd offset of the summed data has the roles of its
 * bytes swapped, so its sum is swapped once more (2(C)). Continues sum,
 * folded to 16 bits so that any number of pieces can follow. */
static uint32_t add_piece(uint32_t sum, uint64_t wide, bool odd)
{
	while (wide >> 16)
		wide = (wide & 0xffff) + (wide >> 16);
	uint32_t piece = (uint32_t)((wide & 0xff) << 8 | wide >> 8);
	if (odd)
		piece = (piece & 0xff) << 8 | piece >> 8;
	sum += piece;
	return (sum & 0xffff) + (sum >> 16);
}

/* The last 0 to 3 bytes of a piece, in the places a little-endian word
 * gives them. */
static uint32_t tail_le(const uint8_t *p, size_t len)
{
	uint32_t tail = 0;
	for (size_t i = 0; i < len; i++)
		tail |= (uint32_t)p[i] << (8 * i);
	return tail;
}

uint32_t frame_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t wide = 0;
	for (; len >= 4; len -= 4, p += 4)
		wide += load_le32(p);
	return add_piece(sum, wide + tail_le(p, len), false);
}

/* Every byte a console sends passes through here once: copy and sum in one
 * pass, a word at a time. */
uint32_t frame_csum_copy(void *dst, const void *src, size_t len, uint32_t sum, bool odd)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	uint64_t wide = 0;
	/* 16 bytes a loop: under QEMU's TCG each pass of a loop costs about as
	 * much as the moves in it. */
	for (; len >= 16; len -= 16, s += 16, d += 16) {
		uint32_t a = load_le32(s), b = load_le32(s + 4);
		uint32_t c = load_le32(s + 8), e = load_le32(s + 12);
		store_le32(d, a);
		store_le32(d + 4, b);
		store_le32(d + 8, c);
		store_le32(d + 12, e);
		wide += (uint64_t)a + b + c + e;
	}
	for (; len >= 4; len -= 4, s += 4, d += 4) {
		uint32_t w = load_le32(s);
		store_le32(d, w);
		wide += w;
	}
	for (size_t i = 0; i < len; i++)
		d[i] = s[i];
	return add_piece(sum, wide + tail_le(s, len), odd);
}

uint16_t frame_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put_unaligned_be16(type, p + 12);
}

/* Zero padding up to the Ethernet minimum; returns the padded length. */
static size_t pad_frame(uint8_t *frame, size_t len)
{
	if (len >= FRAME_MIN_LEN)
		return len;
	memset(frame + len, 0, FRAME_MIN_LEN - len);
	return FRAME_MIN_LEN;
}

/* An IPv4 header without options, checksum included, for len bytes of
 * protocol header and payload after it. */
static void put_ipv4(uint8_t *ip, uint8_t protocol, size_t len, uint16_t ip_id, uint32_t src_ip,
		     uint32_t dst_ip)
{
	ip[0] = 0x45; /* version 4, five 32-bit header words */
	ip[1] = 0; /* type of service */
	put_unaligned_be16((uint16_t)(FRAME_IPV4_HLEN + len), ip + 2);
	put_unaligned_be16(ip_id, ip + 4);
	put_unaligned_be16(0, ip + 6); /* DF clear, no fragment: a router may fragment */
	ip[8] = IPV4_TTL;
	ip[9] = protocol;
	put_unaligned_be16(0, ip + 10);
	put_unaligned_be32(src_ip, ip + 12);
	put_unaligned_be32(dst_ip, ip + 16);
	put_unaligned_be16(frame_csum_fold(frame_csum_add(0, ip, FRAME_IPV4_HLEN)), ip + 10);
}

/* RFC 768: the sum of the pseudo-header (addresses, zero, protocol, UDP
 * length) and the UDP header and payload; 0 when they are intact. */
static uint16_t udp_csum(const uint8_t *ip, const uint8_t *udp, uint16_t udp_len)
{
	uint8_t pseudo[12];
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	put_unaligned_be16(udp_len, pseudo + 10);
	return frame_csum_fold(
		frame_csum_add(frame_csum_add(0, pseudo, sizeof(pseudo)), udp, udp_len));
}

/* An IPv6 header (no extension headers) for len bytes after it. Traffic
 * class and flow label stay 0, as with net.ipv6.auto_flowlabels=0. */
static void put_ipv6(uint8_t *ip6, uint8_t next_header, uint8_t hop_limit, size_t len,
		     const uint8_t src[16], const uint8_t dst[16])
{
	put_unaligned_be32(6u << 28, ip6); /* version 6, class 0, flow label 0 */
	put_unaligned_be16((uint16_t)len, ip6 + 4);
	ip6[6] = next_header;
	ip6[7] = hop_limit;
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, dst, 16);
}

/* RFC 8200 8.1: the upper-layer checksum over the pseudo-header (source and
 * destination address, 32-bit upper-layer length, three zero bytes, next
 * header) and the len bytes at l4; 0 when they are intact. */
static uint16_t ipv6_l4_csum(const uint8_t *ip6, uint8_t next_header, const uint8_t *l4, size_t len)
{
	uint8_t tail[8] = {0};
	put_unaligned_be32((uint32_t)len, tail);
	tail[7] = next_header;
	uint32_t sum = frame_csum_add(frame_csum_add(0, ip6 + 8, 32), tail, sizeof(tail));
	return frame_csum_fold(frame_csum_add(sum, l4, len));
}

size_t frame_udp_headers_len(const struct frame_udp_endpoints *ep)
{
	return ep->ipv6 ? FRAME_UDP6_HEADERS : FRAME_UDP_HEADERS;
}

size_t frame_put_udp_headers(void *frame, const struct frame_udp_endpoints *ep, uint16_t ip_id,
			     size_t len, bool checksum)
{
	uint8_t *eth = frame;
	uint8_t *ip = eth + FRAME_ETH_HLEN;
	uint8_t *udp = ip + (ep->ipv6 ? FRAME_IPV6_HLEN : FRAME_IPV4_HLEN);
	uint16_t udp_len = (uint16_t)(FRAME_UDP_HLEN + len);

	put_eth(eth, ep->dst_mac, ep->src_mac, ep->ipv6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
	if (ep->ipv6)
		put_ipv6(ip, IPPROTO_UDP, IPV6_HOP_LIMIT, udp_len, ep->src_ip6, ep->dst_ip6);
	else
		put_ipv4(ip, IPPROTO_UDP, udp_len, ip_id, ep->src_ip, ep->dst_ip);
	put_unaligned_be16(ep->src_port, udp);
	put_unaligned_be16(ep->dst_port, udp + 2);
	put_unaligned_be16(udp_len, udp + 4);
	put_unaligned_be16(0, udp + 6);
	if (checksum || ep->ipv6) {
		uint16_t csum = ep->ipv6 ? ipv6_l4_csum(ip, IPPROTO_UDP, udp, udp_len)
					 : udp_csum(ip, udp, udp_len);
		/* Zero means "no checksum" in UDP; a computed zero is sent as all
		 * ones (RFC 768, RFC 8200 8.1). */
		put_unaligned_be16(csum ? csum : 0xffff, udp + 6);
	}
	return frame_udp_headers_len(ep) + len;
}

void frame_udp_template_init(struct frame_udp_template *t, const struct frame_udp_endpoints *ep)
{
	uint8_t *ip = t->headers + FRAME_ETH_HLEN;
	t->ipv6 = ep->ipv6;
	t->len = (uint8_t)frame_put_udp_headers(t->headers, ep, 0, 0, false);
	uint8_t *udp = t->headers + t->len - FRAME_UDP_HLEN;
	/* What stays of the UDP checksum: the pseudo-header's addresses and
	 * protocol, the ports; the lengths come per datagram. */
	uint8_t protocol[2] = {0, IPPROTO_UDP};
	uint32_t sum = t->ipv6 ? frame_csum_add(0, ip + 8, 32) : frame_csum_add(0, ip + 12, 8);
	sum = frame_csum_add(sum, protocol, 2);
	t->udp_sum = frame_csum_add(sum, udp, 4);
	/* The IPv4 header without its length, identification and checksum. */
	if (!t->ipv6) {
		put_unaligned_be16(0, ip + 2);
		put_unaligned_be16(0, ip + 10);
		t->ip_sum = frame_csum_add(0, ip, FRAME_IPV4_HLEN);
	}
}

size_t frame_udp_template_finish(void *frame, const struct frame_udp_template *t, uint16_t ip_id,
				 size_t len, uint32_t payload_sum)
{
	uint8_t *eth = frame, *ip = eth + FRAME_ETH_HLEN;
	uint8_t *udp = eth + t->len - FRAME_UDP_HLEN;
	uint16_t udp_len = (uint16_t)(FRAME_UDP_HLEN + len);
	uint8_t lengths[4];

	memcpy(frame, t->headers, t->len);
	if (t->ipv6) {
		put_unaligned_be16(udp_len, ip + 4);
	} else {
		uint8_t patch[4];
		put_unaligned_be16((uint16_t)(FRAME_IPV4_HLEN + udp_len), patch);
		put_unaligned_be16(ip_id, patch + 2);
		memcpy(ip + 2, patch, 4);
		put_unaligned_be16(frame_csum_fold(frame_csum_add(t->ip_sum, patch, 4)), ip + 10);
	}
	put_unaligned_be16(udp_len, udp + 4);
	/* The length counts twice: in the pseudo-header and in the UDP header. */
	put_unaligned_be16(udp_len, lengths);
	put_unaligned_be16(udp_len, lengths + 2);
	uint16_t csum = frame_csum_fold(frame_csum_add(t->udp_sum + payload_sum, lengths, 4));
	/* Zero means "no checksum" in UDP; a computed zero is sent as all ones
	 * (RFC 768, RFC 8200 8.1). */
	put_unaligned_be16(csum ? csum : 0xffff, udp + 6);
	return pad_frame(frame, t->len + len);
}

size_t frame_build_udp(void *buf, size_t size, const struct frame_udp_endpoints *ep, uint16_t ip_id,
		       const void *payload, size_t len)
{
	struct frame_udp_template t;
	size_t headers = frame_udp_headers_len(ep);
	size_t frame_len = headers + len;
	if (frame_len > FRAME_MAX_LEN || size < frame_len || size < FRAME_MIN_LEN)
		return 0;
	frame_udp_template_init(&t, ep);
	uint32_t sum = frame_csum_copy((uint8_t *)buf + headers, payload, len, 0, false);
	return frame_udp_template_finish(buf, &t, ip_id, len, sum);
}

size_t frame_build_arp(void *buf, size_t size, const struct frame_arp *arp)
{
	if (size < FRAME_MIN_LEN)
		return 0;
	uint8_t *eth = buf;
	uint8_t *a = eth + FRAME_ETH_HLEN;
	bool request = arp->op == ARP_OP_REQUEST;

	put_eth(eth, request ? broadcast_mac : arp->target_mac, arp->sender_mac, ETHERTYPE_ARP);
	put_unaligned_be16(1, a); /* hardware type: Ethernet */
	put_unaligned_be16(ETHERTYPE_IPV4, a + 2);
	a[4] = 6; /* hardware address length */
	a[5] = 4; /* protocol address length */
	put_unaligned_be16(arp->op, a + 6);
	memcpy(a + 8, arp->sender_mac, 6);
	put_unaligned_be32(arp->sender_ip, a + 14);
	if (request)
		memset(a + 18, 0, 6);
	else
		memcpy(a + 18, arp->target_mac, 6);
	put_unaligned_be32(arp->target_ip, a + 24);
	return pad_frame(eth, FRAME_ARP_LEN);
}

/* The protocol header and payload of an Ethernet II IPv4 packet of the given
 * protocol, unfragmented, with a valid header checksum and at least min_len
 * bytes after the IPv4 header; NULL for anything else. */
static const uint8_t *parse_ipv4(const uint8_t *eth, size_t len, uint8_t protocol, size_t min_len,
				 size_t *out_len)
{
	const uint8_t *ip = eth + FRAME_ETH_HLEN;
	if (len < FRAME_ETH_HLEN + FRAME_IPV4_HLEN + min_len ||
	    get_unaligned_be16(eth + 12) != ETHERTYPE_IPV4)
		return NULL;
	size_t ihl = (size_t)(ip[0] & 0xf) * 4;
	if (ip[0] >> 4 != 4 || ihl < FRAME_IPV4_HLEN || ip[9] != protocol)
		return NULL;
	/* More-fragments set or a non-zero offset: a piece we cannot use. */
	if (get_unaligned_be16(ip + 6) & 0x3fff)
		return NULL;
	size_t ip_len = get_unaligned_be16(ip + 2);
	if (ip_len < ihl + min_len || FRAME_ETH_HLEN + ip_len > len)
		return NULL;
	if (frame_csum_fold(frame_csum_add(0, ip, ihl)) != 0)
		return NULL;
	*out_len = ip_len - ihl;
	return ip + ihl;
}

/* The upper-layer header and payload of an Ethernet II IPv6 packet whose
 * first header is next_header (no extension headers: netpoll never needs
 * them), with at least min_len bytes; NULL for anything else. */
static const uint8_t *parse_ipv6(const uint8_t *eth, size_t len, uint8_t next_header,
				 size_t min_len, size_t *out_len)
{
	const uint8_t *ip6 = eth + FRAME_ETH_HLEN;
	if (len < FRAME_ETH_HLEN + FRAME_IPV6_HLEN + min_len ||
	    get_unaligned_be16(eth + 12) != ETHERTYPE_IPV6)
		return NULL;
	if (ip6[0] >> 4 != 6 || ip6[6] != next_header)
		return NULL;
	size_t payload_len = get_unaligned_be16(ip6 + 4);
	if (payload_len < min_len || FRAME_ETH_HLEN + FRAME_IPV6_HLEN + payload_len > len)
		return NULL;
	*out_len = payload_len;
	return ip6 + FRAME_IPV6_HLEN;
}

bool frame_parse_udp(const void *frame, size_t len, struct frame_udp_endpoints *ep,
		     const uint8_t **payload, size_t *payload_len)
{
	const uint8_t *eth = frame, *ip = eth + FRAME_ETH_HLEN;
	size_t room;
	bool ipv6 = len >= FRAME_ETH_HLEN && get_unaligned_be16(eth + 12) == ETHERTYPE_IPV6;
	const uint8_t *udp = ipv6 ? parse_ipv6(eth, len, IPPROTO_UDP, FRAME_UDP_HLEN, &room)
				  : parse_ipv4(eth, len, IPPROTO_UDP, FRAME_UDP_HLEN, &room);
	if (!udp)
		return false;
	size_t udp_len = get_unaligned_be16(udp + 4);
	if (udp_len < FRAME_UDP_HLEN || udp_len > room)
		return false;
	if (ipv6 ? ipv6_l4_csum(ip, IPPROTO_UDP, udp, udp_len) != 0 ||
			    get_unaligned_be16(udp + 6) == 0
		 : get_unaligned_be16(udp + 6) && udp_csum(ip, udp, (uint16_t)udp_len) != 0)
		return false;
	memset(ep, 0, sizeof(*ep));
	memcpy(ep->dst_mac, eth, 6);
	memcpy(ep->src_mac, eth + 6, 6);
	ep->ipv6 = ipv6;
	if (ipv6) {
		memcpy(ep->src_ip6, ip + 8, 16);
		memcpy(ep->dst_ip6, ip + 24, 16);
	} else {
		ep->src_ip = get_unaligned_be32(ip + 12);
		ep->dst_ip = get_unaligned_be32(ip + 16);
	}
	ep->src_port = get_unaligned_be16(udp);
	ep->dst_port = get_unaligned_be16(udp + 2);
	*payload = udp + FRAME_UDP_HLEN;
	*payload_len = udp_len - FRAME_UDP_HLEN;
	return true;
}

void frame_solicited_node_mac(const uint8_t ip[16], uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	mac[2] = 0xff;
	memcpy(mac + 3, ip + 13, 3);
}

size_t frame_build_ndp(void *buf, size_t size, const struct frame_ndp *nd)
{
	size_t icmp_len = nd->has_lladdr ? 32 : 24;
	size_t frame_len = FRAME_ETH_HLEN + FRAME_IPV6_HLEN + icmp_len;
	if (size < frame_len)
		return 0;
	uint8_t *eth = buf;
	uint8_t *ip6 = eth + FRAME_ETH_HLEN;
	uint8_t *icmp = ip6 + FRAME_IPV6_HLEN;
	bool solicit = nd->type == NDP_NEIGHBOR_SOLICIT;
	uint8_t dst_mac[6], dst_ip[16];

	if (solicit) {
		/* ff02::1:ffXX:XXXX, the target's low 24 bits (RFC 4291 2.7.1). */
		static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
		memcpy(dst_ip, prefix, sizeof(prefix));
		memcpy(dst_ip + 13, nd->target + 13, 3);
		frame_solicited_node_mac(nd->target, dst_mac);
	} else {
		memcpy(dst_ip, nd->dst_ip, 16);
		memcpy(dst_mac, nd->dst_mac, 6);
	}
	put_eth(eth, dst_mac, nd->src_mac, ETHERTYPE_IPV6);
	put_ipv6(ip6, IPPROTO_ICMPV6, NDP_HOP_LIMIT, icmp_len, nd->src_ip, dst_ip);
	icmp[0] = nd->type;
	icmp[1] = 0; /* code */
	put_unaligned_be16(0, icmp + 2);
	put_unaligned_be32(solicit ? 0 : NDP_NA_OVERRIDE | (nd->solicited ? NDP_NA_SOLICITED : 0),
			   icmp + 4);
	memcpy(icmp + 8, nd->target, 16);
	if (nd->has_lladdr) {
		icmp[24] = solicit ? NDP_OPT_SOURCE_LLADDR : NDP_OPT_TARGET_LLADDR;
		icmp[25] = 1; /* length in units of 8 bytes */
		memcpy(icmp + 26, nd->lladdr, 6);
	}
	put_unaligned_be16(ipv6_l4_csum(ip6, IPPROTO_ICMPV6, icmp, icmp_len), icmp + 2);
	return frame_len;
}

bool frame_parse_ndp(const void *frame, size_t len, struct frame_ndp *out)
{
	const uint8_t *eth = frame, *ip6 = eth + FRAME_ETH_HLEN;
	size_t icmp_len;
	const uint8_t *icmp = parse_ipv6(eth, len, IPPROTO_ICMPV6, 24, &icmp_len);
	if (!icmp || ip6[7] != NDP_HOP_LIMIT || icmp[1] != 0)
		return false;
	if (icmp[0] != NDP_NEIGHBOR_SOLICIT && icmp[0] != NDP_NEIGHBOR_ADVERT)
		return false;
	if (ipv6_l4_csum(ip6, IPPROTO_ICMPV6, icmp, icmp_len) != 0)
		return false;
	bool solicit = icmp[0] == NDP_NEIGHBOR_SOLICIT;
	if (icmp[8] == 0xff) /* the target is never a multicast address */
		return false;
	memset(out, 0, sizeof(*out));
	out->type = icmp[0];
	memcpy(out->dst_mac, eth, 6);
	memcpy(out->src_mac, eth + 6, 6);
	memcpy(out->src_ip, ip6 + 8, 16);
	memcpy(out->dst_ip, ip6 + 24, 16);
	memcpy(out->target, icmp + 8, 16);
	out->solicited = !solicit && (get_unaligned_be32(icmp + 4) & NDP_NA_SOLICITED);
	uint8_t wanted = solicit ? NDP_OPT_SOURCE_LLADDR : NDP_OPT_TARGET_LLADDR;
	for (size_t off = 24; off < icmp_len;) {
		size_t opt_len = off + 2 <= icmp_len ? (size_t)icmp[off + 1] * 8 : 0;
		if (opt_len == 0 || off + opt_len > icmp_len)
			return false;
		if (icmp[off] == wanted && opt_len >= 8 && !out->has_lladdr) {
			memcpy(out->lladdr, icmp + off + 2, 6);
			out->has_lladdr = true;
		}
		off += opt_len;
	}
	return true;
}

bool frame_parse_arp(const void *frame, size_t len, struct frame_arp *out)
{
	const uint8_t *eth = frame;
	const uint8_t *a = eth + FRAME_ETH_HLEN;
	if (len < FRAME_ARP_LEN || get_unaligned_be16(eth + 12) != ETHERTYPE_ARP)
		return false;
	if (get_unaligned_be16(a) != 1 || get_unaligned_be16(a + 2) != ETHERTYPE_IPV4 ||
	    a[4] != 6 || a[5] != 4)
		return false;
	out->op = get_unaligned_be16(a + 6);
	if (out->op != ARP_OP_REQUEST && out->op != ARP_OP_REPLY)
		return false;
	memcpy(out->sender_mac, a + 8, 6);
	out->sender_ip = get_unaligned_be32(a + 14);
	memcpy(out->target_mac, a + 18, 6);
	out->target_ip = get_unaligned_be32(a + 24);
	return true;
}

bool frame_parse_icmp_echo(const void *frame, size_t len, struct frame_icmp_echo *out)
{
	const uint8_t *eth = frame, *ip = eth + FRAME_ETH_HLEN;
	size_t icmp_len;
	const uint8_t *icmp = parse_ipv4(eth, len, IPPROTO_ICMP, FRAME_ICMP_HLEN, &icmp_len);
	if (!icmp)
		return false;
	if (icmp[1] != 0 || (icmp[0] != ICMP_ECHO_REQUEST && icmp[0] != ICMP_ECHO_REPLY))
		return false;
	if (frame_csum_fold(frame_csum_add(0, icmp, icmp_len)) != 0)
		return false;
	memcpy(out->dst_mac, eth, 6);
	memcpy(out->src_mac, eth + 6, 6);
	out->src_ip = get_unaligned_be32(ip + 12);
	out->dst_ip = get_unaligned_be32(ip + 16);
	out->type = icmp[0];
	out->id = get_unaligned_be16(icmp + 4);
	out->seq = get_unaligned_be16(icmp + 6);
	out->data = icmp + FRAME_ICMP_HLEN;
	out->data_len = icmp_len - FRAME_ICMP_HLEN;
	return true;
}

size_t frame_build_icmp_echo(void *buf, size_t size, const struct frame_icmp_echo *echo,
			     uint16_t ip_id)
{
	size_t icmp_len = FRAME_ICMP_HLEN + echo->data_len;
	size_t frame_len = FRAME_ETH_HLEN + FRAME_IPV4_HLEN + icmp_len;
	if (frame_len > FRAME_MAX_LEN || size < frame_len || size < FRAME_MIN_LEN)
		return 0;

	uint8_t *eth = buf;
	uint8_t *ip = eth + FRAME_ETH_HLEN;
	uint8_t *icmp = ip + FRAME_IPV4_HLEN;

	put_eth(eth, echo->dst_mac, echo->src_mac, ETHERTYPE_IPV4);
	put_ipv4(ip, IPPROTO_ICMP, icmp_len, ip_id, echo->src_ip, echo->dst_ip);

	icmp[0] = echo->type;
	icmp[1] = 0; /* code */
	put_unaligned_be16(0, icmp + 2);
	put_unaligned_be16(echo->id, icmp + 4);
	put_unaligned_be16(echo->seq, icmp + 6);
	memcpy(icmp + FRAME_ICMP_HLEN, echo->data, echo->data_len);
	put_unaligned_be16(frame_csum_fold(frame_csum_add(0, icmp, icmp_len)), icmp + 2);

	return pad_frame(eth, frame_len);
}
