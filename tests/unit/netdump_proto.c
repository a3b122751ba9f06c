/* netdump's wire format and configuration: header round trip and rejection
 * of foreign or truncated packets, the chunk checksum's sensitivity to
 * content and position, and netdump=[port@]<host-ip> parsing. */
#include "tap.h"

#include "kernel/cmdline.c"
#include "kernel/format.c"
#include "netconsole/config.c"
#include "netconsole/netdump_config.c"
#include "netconsole/netdump_proto.h"

static void test_header(void)
{
	uint8_t buf[NETDUMP_HDR_LEN + 8] = {0};
	struct netdump_header in = {.type = NETDUMP_DATA,
				    .dump_id = 0xdeadbeef,
				    .seq = 123456,
				    .offset = 0x123456789aULL,
				    .len = 8};
	struct netdump_header out;

	netdump_put_header(buf, &in);
	is_int(get_unaligned_be32(buf), NETDUMP_MAGIC, "magic is written big-endian");
	is_int(netdump_get_header(buf, sizeof(buf), &out), 0, "a whole packet parses");
	is_int(out.type, NETDUMP_DATA, "type round trip");
	is_int(out.dump_id, 0xdeadbeef, "dump id round trip");
	is_int(out.seq, 123456, "seq round trip");
	ok(out.offset == 0x123456789aULL, "64-bit offset round trip");
	is_int(out.len, 8, "len round trip");
	is_int(netdump_get_header(buf, sizeof(buf) - 1, &out), -1,
	       "a payload shorter than len is rejected");
	is_int(netdump_get_header(buf, NETDUMP_HDR_LEN - 1, &out), -1,
	       "a short header is rejected");
	buf[4] = NETDUMP_VERSION + 1;
	is_int(netdump_get_header(buf, sizeof(buf), &out), -1, "another version is rejected");
	buf[4] = NETDUMP_VERSION;
	buf[0] ^= 1;
	is_int(netdump_get_header(buf, sizeof(buf), &out), -1, "a wrong magic is rejected");
	ok(NETDUMP_HDR_LEN + NETDUMP_CHUNK <= NETDUMP_UDP_MAX, "a chunk fits one frame");
	ok(4 + 4 * NETDUMP_ACK_MAX_SEQS <= NETDUMP_PAYLOAD_MAX, "a full ACK fits one frame");
	ok(NETDUMP_HDR_LEN + NETDUMP_CHUNK6 <= 1500 - 40 - 8 && NETDUMP_CHUNK6 % 16 == 0,
	   "an IPv6 chunk fits one frame (MTU 1500 less 40 + 8 header bytes)");
	ok(NETDUMP_HDR_LEN + 4 + 4 * NETDUMP_ACK6_MAX_SEQS <= 1500 - 40 - 8,
	   "a full IPv6 ACK fits one frame");
}

static void test_checksum(void)
{
	uint8_t a[NETDUMP_CHUNK], b[NETDUMP_CHUNK];

	for (unsigned i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 7 + 3);
	memcpy(b, a, sizeof(a));
	ok(netdump_chunk_sum(a, sizeof(a)) == netdump_chunk_sum(b, sizeof(b)),
	   "equal chunks have equal sums");
	b[100] ^= 0x40;
	ok(netdump_chunk_sum(a, sizeof(a)) != netdump_chunk_sum(b, sizeof(b)),
	   "one flipped bit changes the sum");
	memcpy(b, a, sizeof(a));
	uint32_t w0, w1;
	memcpy(&w0, b, 4);
	memcpy(&w1, b + 4, 4);
	memcpy(b, &w1, 4);
	memcpy(b + 4, &w0, 4);
	ok(netdump_chunk_sum(a, sizeof(a)) != netdump_chunk_sum(b, sizeof(b)),
	   "swapped words change the sum (position sensitive)");
	ok(netdump_chunk_sum(a, 7) != netdump_chunk_sum(a, 6), "a trailing odd byte counts");
	uint64_t s = netdump_chunk_sum(a, sizeof(a));
	ok(netdump_chunk_term(0x1000, s) != netdump_chunk_term(0x1000 + NETDUMP_CHUNK, s),
	   "the same chunk at another address gives another term");
}

static void test_config(void)
{
	char err[96];
	uint16_t port = 0;
	struct netconsole_ip ip;

	is_int(netdump_parse_config("10.0.7.1", 8, &port, &ip, err, sizeof(err)), 0,
	       "bare host address");
	is_int(port, NETDUMP_DEFAULT_PORT, "default port 6667");
	ok(!ip.ipv6 && ip.v4 == 0x0a000701, "host address");
	is_int(netdump_parse_config("7000@10.0.7.9", 13, &port, &ip, err, sizeof(err)), 0,
	       "port@host");
	is_int(port, 7000, "given port");
	ok(!ip.ipv6 && ip.v4 == 0x0a000709, "given host");
	is_int(netdump_parse_config("70000@10.0.7.1", 14, &port, &ip, err, sizeof(err)), -1,
	       "port out of range");
	is_str(err, "netdump: bad port \"70000\" in netdump=", "names the bad port");
	is_int(netdump_parse_config("@10.0.7.1", 9, &port, &ip, err, sizeof(err)), -1,
	       "empty port");
	is_int(netdump_parse_config("10.0.7", 6, &port, &ip, err, sizeof(err)), -1,
	       "three-part address");
	is_str(err, "netdump: bad host address \"10.0.7\" in netdump=", "names the bad address");
	is_int(netdump_parse_config("0.0.0.0", 7, &port, &ip, err, sizeof(err)), -1,
	       "the zero address is no host");
	is_int(netdump_parse_config(NULL, 0, &port, &ip, err, sizeof(err)), -1,
	       "bare netdump without a value");
	is_int(netdump_parse_config("6667@[fd00:7::1]", 16, &port, &ip, err, sizeof(err)), 0,
	       "port@[IPv6 host]");
	ok(ip.ipv6 && ip.v6[0] == 0xfd && ip.v6[3] == 7 && ip.v6[15] == 1 && port == 6667,
	   "IPv6 host address and port");
	is_int(netdump_parse_config("fd00:7::1", 9, &port, &ip, err, sizeof(err)), 0,
	       "bare IPv6 host");
	is_int(netdump_parse_config("ff02::1", 7, &port, &ip, err, sizeof(err)), -1,
	       "multicast is no host");
	is_str(err,
	       "netdump: bad host address \"ff02::1\" in netdump=", "names the bad IPv6 address");
}

int main(void)
{
	plan(38);
	test_header();
	test_checksum();
	test_config();
	return done_testing();
}
