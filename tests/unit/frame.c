/* Frame building and parsing against frames derived by hand from RFC 791
 * (IPv4), RFC 768 (UDP), RFC 792 (ICMP echo), RFC 826 (ARP) and RFC 1071
 * (checksum), plus an independent checksum verification of every frame
 * built. */
#include "tap.h"

#include "netconsole/frame.c"

static const uint8_t guest_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t host_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
#define GUEST_IP 0x0a000705u /* 10.0.7.5 */
#define HOST_IP 0x0a000701u /* 10.0.7.1 */

/* The receiver's check (RFC 1071 section 1): summing the data including its
 * checksum field gives all ones. Written independently of frame.c: bytes
 * are added one at a time into a 64-bit accumulator. */
static int sums_to_ones(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < alen; i++)
		sum += (i % 2) ? a[i] : (uint64_t)a[i] << 8;
	for (size_t i = 0; i < blen; i++)
		sum += (i % 2) ? b[i] : (uint64_t)b[i] << 8;
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

static int ip_header_ok(const uint8_t *frame)
{
	return sums_to_ones(frame + 14, 20, NULL, 0);
}

static int udp_checksum_ok(const uint8_t *frame)
{
	const uint8_t *ip = frame + 14;
	size_t udp_len = (size_t)(ip[24] << 8 | ip[25]);
	uint8_t pseudo[12] = {0};
	memcpy(pseudo, ip + 12, 8);
	pseudo[9] = 17;
	pseudo[10] = ip[24];
	pseudo[11] = ip[25];
	return sums_to_ones(pseudo, sizeof(pseudo), ip + 20, udp_len);
}

static struct frame_udp_endpoints endpoints(void)
{
	struct frame_udp_endpoints ep;
	memset(&ep, 0, sizeof(ep));
	memcpy(ep.src_mac, guest_mac, 6);
	memcpy(ep.dst_mac, host_mac, 6);
	ep.src_ip = GUEST_IP;
	ep.dst_ip = HOST_IP;
	ep.src_port = 6665;
	ep.dst_port = 6666;
	return ep;
}

static void test_checksum(void)
{
	/* RFC 1071 section 3: these bytes sum to ddf2, so the checksum is 220d. */
	const uint8_t rfc[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	is_int(frame_csum_fold(frame_csum_add(0, rfc, 8)), 0x220d, "RFC 1071 example checksum");
	is_int(frame_csum_fold(frame_csum_add(frame_csum_add(0, rfc, 4), rfc + 4, 4)), 0x220d,
	       "checksum continued over two pieces");
	const uint8_t odd[3] = {0x12, 0x34, 0x56};
	is_int(frame_csum_fold(frame_csum_add(0, odd, 3)), (uint16_t) ~(0x1234 + 0x5600),
	       "odd trailing byte counts as its high half");
	const uint8_t carry[4] = {0xff, 0xff, 0x00, 0x02};
	is_int(frame_csum_fold(frame_csum_add(0, carry, 4)), (uint16_t)~0x0002, "end-around carry");
}

static void test_udp_known_frame(void)
{
	/* 10.0.7.5:6665 -> 10.0.7.1:6666, payload "hi\n", IP ID 1.
	 * IPv4 header words 4500 001f 0001 0000 4011 ---- 0a00 0705 0a00 0701
	 * sum to a737, checksum 58c8. UDP: pseudo-header 0a00 0705 0a00 0701
	 * 0011 000b, header 1a09 1a0a 000b ----, data 6869 0a00 sum to c8a9,
	 * checksum 3756. 45 bytes, padded with zeros to 60. */
	static const uint8_t want[60] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
		0x08, 0x00, 0x45, 0x00, 0x00, 0x1f, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11,
		0x58, 0xc8, 0x0a, 0x00, 0x07, 0x05, 0x0a, 0x00, 0x07, 0x01, 0x1a, 0x09,
		0x1a, 0x0a, 0x00, 0x0b, 0x37, 0x56, 'h',  'i',	'\n', 0,    0,	  0,
		0,    0,    0,	  0,	0,    0,    0,	  0,	0,    0,    0,	  0,
	};
	uint8_t buf[FRAME_MAX_LEN];
	memset(buf, 0xaa, sizeof(buf));
	struct frame_udp_endpoints ep = endpoints();
	size_t len = frame_build_udp(buf, sizeof(buf), &ep, 1, "hi\n", 3);
	is_int(len, 60, "short UDP frame padded to the Ethernet minimum");
	ok(memcmp(buf, want, sizeof(want)) == 0, "UDP frame matches the hand-derived bytes");
	for (size_t i = 0; i < sizeof(want); i++)
		if (buf[i] != want[i])
			printf("#   byte %zu: got %02x want %02x\n", i, buf[i], want[i]);
	ok(ip_header_ok(buf), "IPv4 header checksum verifies");
	ok(udp_checksum_ok(buf), "UDP checksum verifies");
}

static void test_udp_long_frame(void)
{
	uint8_t buf[FRAME_MAX_LEN];
	char payload[1000];
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (char)(' ' + i % 95);
	struct frame_udp_endpoints ep = endpoints();
	size_t len = frame_build_udp(buf, sizeof(buf), &ep, 0xbeef, payload, sizeof(payload));
	is_int(len, 42 + 1000, "1000-byte payload frame length");
	is_int(buf[16] << 8 | buf[17], 20 + 8 + 1000, "IPv4 total length");
	is_int(buf[38] << 8 | buf[39], 8 + 1000, "UDP length");
	is_int(buf[18] << 8 | buf[19], 0xbeef, "IP ID as given by the caller");
	is_int(buf[20] & 0x40, 0, "DF not set");
	is_int(buf[22], 64, "TTL 64");
	ok(memcmp(buf + 42, payload, sizeof(payload)) == 0, "payload copied unchanged");
	ok(ip_header_ok(buf), "long frame: IPv4 header checksum verifies");
	ok(udp_checksum_ok(buf), "long frame: UDP checksum verifies");

	buf[42 + 500] ^= 1;
	ok(!udp_checksum_ok(buf), "a flipped payload bit fails the UDP check (the check can fail)");

	static char big[1473];
	is_int(frame_build_udp(buf, sizeof(buf), &ep, 0, big, 1472), 1514,
	       "largest payload fills FRAME_MAX_LEN");
	is_int(frame_build_udp(buf, sizeof(buf), &ep, 0, big, sizeof(big)), 0,
	       "payload beyond FRAME_MAX_LEN refused");
	is_int(frame_build_udp(buf, 100, &ep, 0, payload, 100), 0, "too small a buffer refused");
}

/* netdump's use: headers written in front of a payload already in place,
 * without a UDP checksum; everything else as frame_build_udp writes it. */
static void test_udp_headers_without_checksum(void)
{
	uint8_t built[FRAME_MAX_LEN], put[FRAME_MAX_LEN];
	struct frame_udp_endpoints ep = endpoints();
	size_t len = frame_build_udp(built, sizeof(built), &ep, 7, "netdump chunk", 13);
	memset(put, 0xaa, sizeof(put));
	memcpy(put + 42, "netdump chunk", 13);
	is_int(frame_put_udp_headers(put, &ep, 7, 13, false), 42 + 13,
	       "headers in place: length of headers and payload, unpadded");
	is_int(len, 60, "(the built frame is padded)");
	ok(memcmp(put, built, 40) == 0, "Ethernet, IPv4 and UDP ports and length as built");
	is_int(put[40] << 8 | put[41], 0, "UDP checksum left 0 (none)");
	ok(ip_header_ok(put), "IPv4 header checksum verifies");
	ok(memcmp(put + 42, "netdump chunk", 13) == 0, "payload untouched");
}

static void test_udp_zero_checksum(void)
{
	/* Choose the last payload word so that the sum comes to all ones: the
	 * computed checksum is then 0, which UDP must send as ffff. */
	uint8_t buf[FRAME_MAX_LEN];
	uint8_t payload[4] = {'o', 'k', 0, 0};
	struct frame_udp_endpoints ep = endpoints();
	frame_build_udp(buf, sizeof(buf), &ep, 7, payload, 4);
	uint16_t c = (uint16_t)(buf[40] << 8 | buf[41]);
	payload[2] = (uint8_t)(c >> 8);
	payload[3] = (uint8_t)c;
	frame_build_udp(buf, sizeof(buf), &ep, 7, payload, 4);
	is_int(buf[40] << 8 | buf[41], 0xffff, "computed zero UDP checksum sent as ffff");
	ok(udp_checksum_ok(buf), "ffff checksum verifies");
}

static void test_arp(void)
{
	/* RFC 826 request: who has 10.0.7.1, tell 10.0.7.5. */
	static const uint8_t want_req[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
		0x0a, 0x00, 0x07, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x07, 0x01,
	};
	uint8_t buf[FRAME_MAX_LEN];
	memset(buf, 0xaa, sizeof(buf));
	struct frame_arp req = {ARP_OP_REQUEST, {0}, GUEST_IP, {0}, HOST_IP};
	memcpy(req.sender_mac, guest_mac, 6);
	memset(req.target_mac, 0x77, 6); /* ignored for a request */
	is_int(frame_build_arp(buf, sizeof(buf), &req), 60, "ARP request length");
	ok(memcmp(buf, want_req, sizeof(want_req)) == 0, "ARP request matches hand-derived bytes");

	/* Reply from the guest to the host: 10.0.7.5 is at 52:54:00:12:34:56. */
	static const uint8_t want_rep[60] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
		0x0a, 0x00, 0x07, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x07, 0x01,
	};
	struct frame_arp rep = {ARP_OP_REPLY, {0}, GUEST_IP, {0}, HOST_IP};
	memcpy(rep.sender_mac, guest_mac, 6);
	memcpy(rep.target_mac, host_mac, 6);
	memset(buf, 0xaa, sizeof(buf));
	is_int(frame_build_arp(buf, sizeof(buf), &rep), 60, "ARP reply length");
	ok(memcmp(buf, want_rep, sizeof(want_rep)) == 0, "ARP reply matches hand-derived bytes");
	is_int(frame_build_arp(buf, 59, &rep), 0, "ARP into too small a buffer refused");

	struct frame_arp got;
	ok(frame_parse_arp(want_rep, 60, &got), "ARP reply parses");
	is_int(got.op, ARP_OP_REPLY, "parsed op");
	is_int(got.sender_ip, GUEST_IP, "parsed sender IP");
	is_int(got.target_ip, HOST_IP, "parsed target IP");
	ok(memcmp(got.sender_mac, guest_mac, 6) == 0, "parsed sender MAC");
	ok(memcmp(got.target_mac, host_mac, 6) == 0, "parsed target MAC");
	ok(frame_parse_arp(want_req, 42, &got) && got.op == ARP_OP_REQUEST,
	   "unpadded 42-byte request parses");

	uint8_t bad[60];
	memcpy(bad, want_req, 60);
	ok(!frame_parse_arp(bad, 41, &got), "truncated ARP rejected");
	bad[13] = 0x00; /* ethertype 0800 */
	ok(!frame_parse_arp(bad, 60, &got), "IPv4 ethertype is not ARP");
	memcpy(bad, want_req, 60);
	bad[21] = 3; /* RARP request */
	ok(!frame_parse_arp(bad, 60, &got), "unknown ARP op rejected");
	memcpy(bad, want_req, 60);
	bad[18] = 8; /* hardware address length */
	ok(!frame_parse_arp(bad, 60, &got), "non-Ethernet address length rejected");
	memcpy(bad, want_req, 60);
	bad[17] = 0xdd; /* protocol 86dd (IPv6) */
	ok(!frame_parse_arp(bad, 60, &got), "non-IPv4 protocol rejected");
}

/* Round trip through the builder, then every way a frame can be spoiled. */
static void test_parse_udp(void)
{
	struct frame_udp_endpoints ep = {{0x52, 0x54, 0, 0x12, 0x34, 0x56},
					 {0x02, 0, 0, 0, 0, 1},
					 0x0a000705,
					 0x0a000701,
					 6665,
					 6666,
					 false,
					 {0},
					 {0}};
	struct frame_udp_endpoints got;
	const uint8_t *payload;
	size_t plen;
	uint8_t buf[FRAME_MAX_LEN];
	size_t len = frame_build_udp(buf, sizeof(buf), &ep, 7, "ncrx5 3", 7);

	ok(frame_parse_udp(buf, len, &got, &payload, &plen), "built frame parses");
	ok(got.src_ip == ep.src_ip && got.dst_ip == ep.dst_ip && got.src_port == 6665 &&
		   got.dst_port == 6666 && memcmp(got.src_mac, ep.src_mac, 6) == 0,
	   "addresses and ports come back");
	ok(plen == 7 && memcmp(payload, "ncrx5 3", 7) == 0, "payload without the padding");
	ok(!frame_parse_udp(buf, FRAME_UDP_HEADERS + 6, &got, &payload, &plen),
	   "frame shorter than the IP length refused");
	buf[FRAME_UDP_HEADERS] ^= 1;
	ok(!frame_parse_udp(buf, len, &got, &payload, &plen), "bad UDP checksum refused");
	buf[FRAME_UDP_HEADERS] ^= 1;
	buf[FRAME_ETH_HLEN + 8] ^= 1; /* TTL: breaks the header checksum */
	ok(!frame_parse_udp(buf, len, &got, &payload, &plen), "bad IPv4 checksum refused");
	buf[FRAME_ETH_HLEN + 8] ^= 1;
	buf[FRAME_ETH_HLEN + 6] |= 0x20; /* more fragments */
	ok(!frame_parse_udp(buf, len, &got, &payload, &plen), "IP fragment refused");
	buf[FRAME_ETH_HLEN + 6] &= (uint8_t)~0x20;
	buf[FRAME_ETH_HLEN + 9] = 6;
	ok(!frame_parse_udp(buf, len, &got, &payload, &plen), "TCP refused");
	buf[FRAME_ETH_HLEN + 9] = 17;
	ok(frame_parse_udp(buf, len, &got, &payload, &plen), "restored frame parses again");
	struct frame_arp arp = {ARP_OP_REQUEST, {1, 2, 3, 4, 5, 6}, 1, {0}, 2};
	len = frame_build_arp(buf, sizeof(buf), &arp);
	ok(!frame_parse_udp(buf, len, &got, &payload, &plen), "ARP is not UDP");
}

/* A ping from the host to the guest: 4 data bytes "ping", id 42, seq 7. The
 * checksums were summed by hand: IPv4 ~b95b = 46a4, ICMP ~e701 = 18fe. */
static const uint8_t ping_request[46] = {
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00, 0x40, 0x01,
	0x46, 0xa4, 0x0a, 0x00, 0x07, 0x01, 0x0a, 0x00, 0x07, 0x05, 0x08, 0x00,
	0x18, 0xfe, 0x00, 0x2a, 0x00, 0x07, 'p',  'i',	'n',  'g',
};

/* Its answer with IP id 1: IPv4 ~a728 = 58d7, ICMP ~df01 = 20fe. */
static const uint8_t ping_reply[46] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x01,
	0x58, 0xd7, 0x0a, 0x00, 0x07, 0x05, 0x0a, 0x00, 0x07, 0x01, 0x00, 0x00,
	0x20, 0xfe, 0x00, 0x2a, 0x00, 0x07, 'p',  'i',	'n',  'g',
};

static struct frame_icmp_echo answer(const struct frame_icmp_echo *req)
{
	struct frame_icmp_echo rep = *req;
	memcpy(rep.src_mac, req->dst_mac, 6);
	memcpy(rep.dst_mac, req->src_mac, 6);
	rep.src_ip = req->dst_ip;
	rep.dst_ip = req->src_ip;
	rep.type = ICMP_ECHO_REPLY;
	return rep;
}

static void test_icmp_known_frames(void)
{
	struct frame_icmp_echo req;
	uint8_t buf[FRAME_MAX_LEN];

	ok(frame_parse_icmp_echo(ping_request, sizeof(ping_request), &req), "ping request parses");
	ok(req.type == ICMP_ECHO_REQUEST && req.id == 42 && req.seq == 7, "type, id and seq");
	ok(req.src_ip == HOST_IP && req.dst_ip == GUEST_IP, "addresses");
	ok(memcmp(req.src_mac, host_mac, 6) == 0 && memcmp(req.dst_mac, guest_mac, 6) == 0, "MACs");
	ok(req.data_len == 4 && memcmp(req.data, "ping", 4) == 0, "data points into the frame");

	struct frame_icmp_echo rep = answer(&req);
	memset(buf, 0xaa, sizeof(buf));
	size_t len = frame_build_icmp_echo(buf, sizeof(buf), &rep, 1);
	is_int((long)len, FRAME_MIN_LEN, "short reply padded to the minimum frame");
	ok(memcmp(buf, ping_reply, sizeof(ping_reply)) == 0, "reply matches the hand-built frame");
	ok(buf[46] == 0 && buf[59] == 0, "padding is zeros");
	ok(ip_header_ok(buf) && sums_to_ones(buf + 34, 12, NULL, 0),
	   "reply checksums verify independently");

	struct frame_icmp_echo back;
	ok(frame_parse_icmp_echo(buf, len, &back) && back.type == ICMP_ECHO_REPLY &&
		   back.data_len == 4,
	   "padding is not taken for data: the IP length bounds it");
}

static void test_icmp_sizes_and_rejects(void)
{
	uint8_t data[FRAME_MAX_LEN];
	uint8_t buf[FRAME_MAX_LEN];
	uint8_t bad[sizeof(ping_request)];
	struct frame_icmp_echo req, got;
	const size_t max_data = FRAME_MAX_LEN - FRAME_ETH_HLEN - FRAME_IPV4_HLEN - FRAME_ICMP_HLEN;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	ok(frame_parse_icmp_echo(ping_request, sizeof(ping_request), &req), "request parses");
	req.data = data;
	req.data_len = max_data;
	size_t len = frame_build_icmp_echo(buf, sizeof(buf), &req, 9);
	is_int((long)len, FRAME_MAX_LEN, "largest echo fills a full frame");
	ok(ip_header_ok(buf) && sums_to_ones(buf + 34, len - 34, NULL, 0),
	   "full-size checksums verify independently");
	ok(frame_parse_icmp_echo(buf, len, &got) && got.data_len == max_data &&
		   memcmp(got.data, data, max_data) == 0,
	   "full-size echo round-trips");
	req.data_len = 3;
	len = frame_build_icmp_echo(buf, sizeof(buf), &req, 9);
	ok(len && sums_to_ones(buf + 34, 11, NULL, 0), "odd-length data checksums verify");
	req.data_len = max_data + 1;
	is_int((long)frame_build_icmp_echo(buf, sizeof(buf), &req, 9), 0, "oversize echo refused");
	req.data_len = 4;
	is_int((long)frame_build_icmp_echo(buf, 40, &req, 9), 0, "small buffer refused");

	memcpy(bad, ping_request, sizeof(bad));
	bad[45] ^= 1;
	ok(!frame_parse_icmp_echo(bad, sizeof(bad), &got), "bad ICMP checksum rejected");
	memcpy(bad, ping_request, sizeof(bad));
	bad[24] ^= 1;
	ok(!frame_parse_icmp_echo(bad, sizeof(bad), &got), "bad IPv4 checksum rejected");
	memcpy(bad, ping_request, sizeof(bad));
	bad[34] = 13; /* timestamp request: not an echo */
	ok(!frame_parse_icmp_echo(bad, sizeof(bad), &got), "other ICMP types rejected");
	ok(!frame_parse_icmp_echo(ping_request, sizeof(ping_request) - 1, &got),
	   "frame shorter than the IP length rejected");

	struct frame_udp_endpoints ep = endpoints();
	len = frame_build_udp(buf, sizeof(buf), &ep, 1, "ping", 4);
	ok(!frame_parse_icmp_echo(buf, len, &got), "UDP is not ICMP");
}

/* IPv6 reference frames, captured with tcpdump -xx from the host's own stack
 * (Linux 6.x) on a tap in a scratch namespace with auto_flowlabels=0:
 * fd00:7::1 (02:00:00:00:00:01) sends UDP from port 6666 to fd00:7::5
 * (52:54:00:12:34:56) port 6665 through a permanent neighbour entry, and an
 * NS for fd00:7::6; the NA is Linux's answer to an NS from fd00:7::5.
 * tcpdump -vv said "udp sum ok" / "icmp6 sum ok" for each. */
#define HOST6 "fd000007000000000000000000000001"
#define GUEST6 "fd000007000000000000000000000005"
#define ETH_TO_GUEST6 "52540012345602000000000186dd"
/* Payload "netconsole over IPv6\n\0\0": 23 bytes, an odd length. */
static const char udp6_ref[] = ETH_TO_GUEST6
	"60000000001f1140" HOST6 GUEST6 "1a0a1a09001fccff6e6574636f6e736f6c65206f7665722049507636"
	"0a0000";
/* Payload "netconsole over IPv6!\n" and b5f3, chosen so that the sum is all
 * ones: the computed checksum is 0, and Linux sends it as ffff. */
static const char udp6_zero_ref[] = ETH_TO_GUEST6
	"6000000000201140" HOST6 GUEST6 "1a0a1a090020ffff6e6574636f6e736f6c65206f7665722049507636"
	"210ab5f3";
/* NS from fd00:7::1 for fd00:7::6 to ff02::1:ff00:6, source link-layer
 * address option 02:00:00:00:00:01. */
static const char ns_ref[] = "3333ff00000602000000000186dd"
			     "6000000000203aff" HOST6 "ff0200000000000000000001ff000006"
			     "87007d8100000000fd000007000000000000000000000006"
			     "0101020000000001";
/* NA from fd00:7::1 to fd00:7::5: solicited, override, target link-layer
 * address option 02:00:00:00:00:01. */
static const char na_ref[] =
	ETH_TO_GUEST6 "6000000000203aff" HOST6 GUEST6 "88001c8460000000" HOST6 "0201020000000001";

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;
	for (; hex[0] && hex[1]; hex += 2) {
		unsigned v;
		sscanf(hex, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void ip6_of(const char *hex, uint8_t ip[16])
{
	unhex(hex, ip);
}

/* The receiver's check of RFC 8200 8.1, written from the RFC: the 40-byte
 * pseudo-header is laid out in full and summed with the upper-layer bytes. */
static int ipv6_l4_ok(const uint8_t *frame, uint8_t next_header)
{
	const uint8_t *ip6 = frame + 14;
	size_t len = (size_t)(ip6[4] << 8 | ip6[5]);
	uint8_t pseudo[40] = {0};
	memcpy(pseudo, ip6 + 8, 32);
	pseudo[34] = ip6[4];
	pseudo[35] = ip6[5];
	pseudo[39] = next_header;
	return sums_to_ones(pseudo, sizeof(pseudo), ip6 + 40, len);
}

static struct frame_udp_endpoints endpoints6_to_guest(void)
{
	struct frame_udp_endpoints ep;
	memset(&ep, 0, sizeof(ep));
	memcpy(ep.src_mac, host_mac, 6);
	memcpy(ep.dst_mac, guest_mac, 6);
	ep.ipv6 = true;
	ip6_of(HOST6, ep.src_ip6);
	ip6_of(GUEST6, ep.dst_ip6);
	ep.src_port = 6666;
	ep.dst_port = 6665;
	return ep;
}

static void same_bytes(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len,
		       const char *what)
{
	ok(got_len == want_len && memcmp(got, want, want_len) == 0, "%s equals the reference",
	   what);
	for (size_t i = 0; i < want_len && i < got_len; i++)
		if (got[i] != want[i])
			printf("#   byte %zu: got %02x want %02x\n", i, got[i], want[i]);
	if (got_len != want_len)
		printf("#   length: got %zu want %zu\n", got_len, want_len);
}

static void test_udp6_reference(void)
{
	uint8_t want[FRAME_MAX_LEN], buf[FRAME_MAX_LEN];
	size_t want_len = unhex(udp6_ref, want);
	struct frame_udp_endpoints ep = endpoints6_to_guest();

	ok(ipv6_l4_ok(want, 17), "(the reference's UDP checksum verifies by the RFC)");
	memset(buf, 0xaa, sizeof(buf));
	size_t len = frame_build_udp(buf, sizeof(buf), &ep, 1234, "netconsole over IPv6\n\0\0", 23);
	same_bytes(buf, len, want, want_len, "UDP/IPv6 frame, odd payload");
	is_int(frame_udp_headers_len(&ep), 62, "IPv6 UDP headers: 14 + 40 + 8 bytes");

	want_len = unhex(udp6_zero_ref, want);
	len = frame_build_udp(buf, sizeof(buf), &ep, 0, "netconsole over IPv6!\n\xb5\xf3", 24);
	same_bytes(buf, len, want, want_len, "UDP/IPv6 frame whose checksum computes to 0");
	is_int(buf[60] << 8 | buf[61], 0xffff, "computed zero sent as ffff over IPv6");

	/* netdump asks for no checksum; IPv6 has no such thing. */
	memset(buf, 0xaa, sizeof(buf));
	memcpy(buf + 62, "netconsole over IPv6\n\0\0", 23);
	is_int(frame_put_udp_headers(buf, &ep, 0, 23, false), 85,
	       "IPv6 headers in place: 62 + payload, unpadded");
	unhex(udp6_ref, want);
	ok(memcmp(buf, want, 85) == 0, "checksum false still writes the IPv6 UDP checksum");
}

static void test_udp6_sizes_and_parse(void)
{
	uint8_t buf[FRAME_MAX_LEN], ref[FRAME_MAX_LEN];
	static char payload[1453];
	struct frame_udp_endpoints ep = endpoints6_to_guest(), got;
	const uint8_t *data;
	size_t data_len;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (char)(i * 13 + 1);
	is_int(frame_build_udp(buf, sizeof(buf), &ep, 0, payload, 1452), 1514,
	       "1452 bytes of payload fill an IPv6 frame");
	ok(ipv6_l4_ok(buf, 17), "full-size IPv6 UDP checksum verifies independently");
	is_int(frame_build_udp(buf, sizeof(buf), &ep, 0, payload, 1453), 0,
	       "1453 bytes over IPv6 refused");
	size_t len = frame_build_udp(buf, sizeof(buf), &ep, 0, payload, 1000);
	is_int(len, 1062, "a 1000-byte netconsole chunk: 1062-byte frame over IPv6");
	ok(ipv6_l4_ok(buf, 17), "1000-byte chunk checksum verifies independently");

	size_t ref_len = unhex(udp6_ref, ref);
	ok(frame_parse_udp(ref, ref_len, &got, &data, &data_len),
	   "reference UDP/IPv6 frame parses");
	ok(got.ipv6 && memcmp(got.src_ip6, ep.src_ip6, 16) == 0 &&
		   memcmp(got.dst_ip6, ep.dst_ip6, 16) == 0 && got.src_port == 6666 &&
		   got.dst_port == 6665 && got.src_ip == 0 && got.dst_ip == 0,
	   "family, addresses and ports come back");
	ok(data_len == 23 && memcmp(data, "netconsole over IPv6\n\0\0", 23) == 0, "payload");
	memcpy(buf, ref, ref_len);
	buf[ref_len + 0] = 0;
	ok(frame_parse_udp(buf, 100, &got, &data, &data_len) && data_len == 23,
	   "trailing padding is not payload: the IPv6 payload length bounds it");
	ok(!frame_parse_udp(ref, ref_len - 1, &got, &data, &data_len), "truncated frame refused");
	memcpy(buf, ref, ref_len);
	buf[30] ^= 0x01; /* a source address bit: only the pseudo-header covers it */
	ok(!frame_parse_udp(buf, ref_len, &got, &data, &data_len),
	   "changed source address fails the pseudo-header checksum");
	memcpy(buf, ref, ref_len);
	buf[60] = buf[61] = 0;
	ok(!frame_parse_udp(buf, ref_len, &got, &data, &data_len),
	   "zero UDP checksum refused over IPv6");
	memcpy(buf, ref, ref_len);
	buf[20] = 0; /* next header: hop-by-hop options */
	ok(!frame_parse_udp(buf, ref_len, &got, &data, &data_len), "extension header refused");
	memcpy(buf, ref, ref_len);
	buf[14] = 0x45;
	ok(!frame_parse_udp(buf, ref_len, &got, &data, &data_len), "version 4 in an 86dd frame");
	size_t zlen = unhex(udp6_zero_ref, ref);
	ok(frame_parse_udp(ref, zlen, &got, &data, &data_len) && data_len == 24,
	   "ffff checksum accepted");
}

static void test_ndp(void)
{
	uint8_t want[FRAME_MAX_LEN], buf[FRAME_MAX_LEN];
	struct frame_ndp nd, got;
	uint8_t mac[6];

	memset(&nd, 0, sizeof(nd));
	nd.type = NDP_NEIGHBOR_SOLICIT;
	memcpy(nd.src_mac, host_mac, 6);
	memset(nd.dst_mac, 0x77, 6); /* ignored for an NS */
	ip6_of(HOST6, nd.src_ip);
	ip6_of("fd000007000000000000000000000006", nd.target);
	nd.has_lladdr = true;
	memcpy(nd.lladdr, host_mac, 6);
	size_t want_len = unhex(ns_ref, want);
	memset(buf, 0xaa, sizeof(buf));
	size_t len = frame_build_ndp(buf, sizeof(buf), &nd);
	same_bytes(buf, len, want, want_len, "NS to the solicited-node group");
	ok(ipv6_l4_ok(buf, 58), "NS ICMPv6 checksum verifies independently");
	frame_solicited_node_mac(nd.target, mac);
	ok(memcmp(mac, "\x33\x33\xff\x00\x00\x06", 6) == 0, "solicited-node MAC 33:33:ff:00:00:06");

	memset(&nd, 0, sizeof(nd));
	nd.type = NDP_NEIGHBOR_ADVERT;
	memcpy(nd.src_mac, host_mac, 6);
	memcpy(nd.dst_mac, guest_mac, 6);
	ip6_of(HOST6, nd.src_ip);
	ip6_of(GUEST6, nd.dst_ip);
	ip6_of(HOST6, nd.target);
	nd.solicited = true;
	nd.has_lladdr = true;
	memcpy(nd.lladdr, host_mac, 6);
	want_len = unhex(na_ref, want);
	len = frame_build_ndp(buf, sizeof(buf), &nd);
	same_bytes(buf, len, want, want_len, "solicited NA");
	is_int(frame_build_ndp(buf, 85, &nd), 0, "NDP into too small a buffer refused");

	ok(frame_parse_ndp(want, want_len, &got), "reference NA parses");
	ok(got.type == NDP_NEIGHBOR_ADVERT && got.solicited && got.has_lladdr &&
		   memcmp(got.lladdr, host_mac, 6) == 0 && memcmp(got.target, nd.target, 16) == 0 &&
		   memcmp(got.src_ip, nd.src_ip, 16) == 0,
	   "NA: type, S flag, target and its link-layer address");
	want_len = unhex(ns_ref, want);
	ok(frame_parse_ndp(want, want_len, &got), "reference NS parses");
	ok(got.type == NDP_NEIGHBOR_SOLICIT && got.has_lladdr &&
		   memcmp(got.lladdr, host_mac, 6) == 0 &&
		   memcmp(got.target, "\xfd\0\0\x07\0\0\0\0\0\0\0\0\0\0\0\x06", 16) == 0,
	   "NS: target and the sender's link-layer address");
	memcpy(buf, want, want_len);
	buf[21] = 254; /* hop limit: not in the checksum */
	ok(!frame_parse_ndp(buf, want_len, &got), "NS with hop limit 254 refused (RFC 4861 7.1)");
	memcpy(buf, want, want_len);
	buf[want_len - 1] ^= 1;
	ok(!frame_parse_ndp(buf, want_len, &got), "NS with a bad ICMPv6 checksum refused");
	memcpy(buf, want, want_len);
	buf[79] = 0; /* option length 0, checksum corrected by the same amount */
	buf[57] = (uint8_t)(buf[57] + 1);
	ok(!frame_parse_ndp(buf, want_len, &got), "option of length 0 refused");
	ok(!frame_parse_ndp(want, 14 + 40 + 23, &got), "NS shorter than 24 bytes refused");
	unhex(udp6_ref, buf);
	ok(!frame_parse_ndp(buf, 85, &got), "UDP is not NDP");
}

/* The plain reference for frame_csum_copy(): RFC 1071's sum taken one byte
 * at a time over the whole data, big-endian pairs, into 64 bits. */
static uint16_t reference_csum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += (i % 2) ? p[i] : (uint64_t)p[i] << 8;
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Copy and sum in one pass: data cut into pieces of every length from 0 to
 * 9 and some long ones, starting at odd and even offsets of the sum, copied
 * between buffers of every alignment; each result must equal the reference
 * sum of the whole, and the copy the source. Worst cases too: all 0xff
 * (every word carries), 1472 bytes. */
static void test_csum_copy(void)
{
	static uint8_t src[1600 + 8], dst[1600 + 8];
	unsigned seed = 12345;
	int sums_ok = 1, copies_ok = 1, checked = 0;

	for (int round = 0; round < 400; round++) {
		size_t total = round < 20 ? (size_t)round : (size_t)(round * 37 % 1473);
		size_t src_align = (size_t)round % 4, dst_align = (size_t)(round / 4) % 4;
		uint8_t *s = src + src_align, *d = dst + dst_align;
		for (size_t i = 0; i < total; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = round % 10 == 9 ? 0xff : (uint8_t)(seed >> 16);
		}
		memset(dst, 0xa5, sizeof(dst));
		uint32_t sum = 0;
		for (size_t off = 0; off < total;) {
			seed = seed * 1103515245u + 12345u;
			size_t piece = round % 3 == 0 ? (seed >> 16) % 10 : (seed >> 16) % 300;
			if (piece > total - off)
				piece = total - off;
			sum = frame_csum_copy(d + off, s + off, piece, sum, off % 2);
			off += piece;
		}
		if (frame_csum_fold(sum) != reference_csum(s, total)) {
			sums_ok = 0;
			printf("# round %d: %zu bytes, src+%zu dst+%zu: sum %04x, reference %04x\n",
			       round, total, src_align, dst_align, frame_csum_fold(sum),
			       reference_csum(s, total));
		}
		if (memcmp(d, s, total) != 0 || d[total] != 0xa5 || (dst_align && d[-1] != 0xa5))
			copies_ok = 0;
		checked++;
	}
	ok(sums_ok, "copy and sum in pieces equals the reference sum (%d cases)", checked);
	ok(copies_ok, "the copy is the source, not a byte more or less");
	/* The same pieces through frame_csum_add(), whose only odd piece is
	 * the last. */
	uint8_t rfc[9] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0x42};
	uint8_t copy[9];
	uint32_t sum = frame_csum_copy(copy, rfc, 3, 0, false);
	sum = frame_csum_copy(copy + 3, rfc + 3, 5, sum, true);
	sum = frame_csum_copy(copy + 8, rfc + 8, 1, sum, false);
	is_int(frame_csum_fold(sum), frame_csum_fold(frame_csum_add(0, rfc, 9)),
	       "odd pieces in the middle: as one piece through frame_csum_add");
}

int main(void)
{
	plan(117);
	test_parse_udp();
	test_checksum();
	test_csum_copy();
	test_udp_known_frame();
	test_udp_long_frame();
	test_udp_headers_without_checksum();
	test_udp_zero_checksum();
	test_arp();
	test_icmp_known_frames();
	test_icmp_sizes_and_rejects();
	test_udp6_reference();
	test_udp6_sizes_and_parse();
	test_ndp();
	return done_testing();
}
