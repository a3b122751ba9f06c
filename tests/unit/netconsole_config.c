/* Netconsole configuration: Linux's netconsole= syntax, the 2001 module
 * parameters with ip=, defaults, several targets, and the error messages
 * for malformed values. */
#include "tap.h"

#include "kernel/cmdline.c"
#include "kernel/format.c"
#include "netconsole/config.c"

static struct netconsole_config cfg;
static char err[NETCONSOLE_ERR_MAX];

static int parse(const char *cmdline)
{
	memset(err, 'x', sizeof(err));
	return netconsole_config_parse(cmdline, &cfg, err, sizeof(err));
}

static void bad(const char *cmdline, const char *want_err)
{
	is_int(parse(cmdline), -1, "rejected: %s", cmdline);
	is_str(err, want_err, "error text for: %s", cmdline);
}

/* The one warning the last parse gave, or none (NULL). */
static void warned(const char *want)
{
	if (!want) {
		is_int(cfg.warning_count, 0, "no warning");
		return;
	}
	is_int(cfg.warning_count, 1, "one warning");
	is_str(cfg.warnings[0], want, "the warning");
}

static int mac_is(const uint8_t *mac, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t e,
		  uint8_t f)
{
	const uint8_t want[6] = {a, b, c, d, e, f};
	return memcmp(mac, want, 6) == 0;
}

static void test_helpers(void)
{
	uint32_t ip = 0;
	ok(netconsole_parse_ipv4("10.0.7.1", 8, &ip) && ip == 0x0a000701, "dotted quad");
	ok(netconsole_parse_ipv4("255.255.255.0", 13, &ip) && ip == 0xffffff00, "netmask quad");
	ok(netconsole_parse_ipv4("10.0.7.1x", 8, &ip), "length bounds the parse");
	ok(!netconsole_parse_ipv4("10.0.7", 6, &ip), "three parts rejected");
	ok(!netconsole_parse_ipv4("10.0.7.1.2", 10, &ip), "five parts rejected");
	ok(!netconsole_parse_ipv4("10.0.7.256", 10, &ip), "octet above 255 rejected");
	ok(!netconsole_parse_ipv4("10..7.1", 7, &ip), "empty octet rejected");
	ok(!netconsole_parse_ipv4("10.0.7.", 7, &ip), "trailing dot rejected");
	ok(!netconsole_parse_ipv4("1a.0.7.1", 8, &ip), "letter rejected");
	ok(!netconsole_parse_ipv4("", 0, &ip), "empty rejected");

	uint8_t mac[6];
	ok(netconsole_parse_mac("52:54:00:aB:Cd:ff", 17, mac) &&
		   mac_is(mac, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xff),
	   "MAC with mixed case");
	ok(!netconsole_parse_mac("52:54:00:ab:cd", 14, mac), "five bytes rejected");
	ok(!netconsole_parse_mac("52-54-00-ab-cd-ef", 17, mac), "dashes rejected");
	ok(!netconsole_parse_mac("52:54:00:ab:cd:eg", 17, mac), "non-hex rejected");
}

static void test_linux(void)
{
	is_int(parse("netconsole=6665@10.0.7.5/eth0,6666@10.0.7.1/ crash=none"), 1,
	       "full Linux form: one target");
	const struct netconsole_target_config *t = &cfg.targets[0];
	is_str(t->dev, "eth0", "device");
	is_int(t->local_ip, 0x0a000705, "source IP");
	is_int(t->local_port, 6665, "source port");
	is_int(t->remote_ip, 0x0a000701, "target IP");
	is_int(t->remote_port, 6666, "target port");
	ok(!t->remote_mac_given, "no target MAC");
	is_str(err, "", "no error text on success");

	is_int(parse("netconsole=4444@10.0.7.5/eth1,9353@10.0.7.1/12:34:56:78:9a:bc"), 1,
	       "Linux form with MAC");
	is_str(t->dev, "eth1", "device eth1");
	is_int(t->local_port, 4444, "explicit source port");
	is_int(t->remote_port, 9353, "explicit target port");
	ok(t->remote_mac_given && mac_is(t->remote_mac, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc),
	   "target MAC");

	is_int(parse("ip=10.0.7.5 netconsole=@/,@10.0.7.1/"), 1, "shortest Linux form");
	is_str(t->dev, "", "device defaults to the first one");
	is_int(t->local_port, 6665, "source port defaults to 6665");
	is_int(t->remote_port, 6666, "target port defaults to 6666");
	is_int(t->local_ip, 0x0a000705, "source IP from ip=");

	is_int(parse("netconsole=@10.0.7.5/,@10.0.7.1"), 1,
	       "trailing '/' after target IP optional");
	is_int(t->remote_ip, 0x0a000701, "target IP without the slash");

	is_int(parse("netconsole=@10.0.7.5/,@10.0.7.1/ netconsole=7000@10.0.8.5/eth1,7001@10.0.8.1/ "
		     "netconsole=@10.0.7.5/,@10.0.7.2/;@10.0.7.5/,@10.0.7.3/"),
	       4, "several netconsole= and ';' give four targets");
	is_int(cfg.targets[1].local_port, 7000, "second target's source port");
	is_str(cfg.targets[1].dev, "eth1", "second target's device");
	is_int(cfg.targets[1].remote_ip, 0x0a000801, "second target's IP");
	is_int(cfg.targets[2].remote_ip, 0x0a000702, "third target from a ';' list");
	is_int(cfg.targets[3].remote_ip, 0x0a000703, "fourth target from a ';' list");

	bad("netconsole=@10.0.7.5/,@10.0.7.1/;@10.0.7.5/,@10.0.7.2/;@10.0.7.5/,@10.0.7.3/;"
	    "@10.0.7.5/,@10.0.7.4/;@10.0.7.5/,@10.0.7.6/",
	    "netconsole: more than 4 targets in netconsole=@10.0.7.5/,@10.0.7.1/;@10.0.7.5/,"
	    "@10.0.7.2/;@10.0.7.5/,@10.0.7.3/;@10.0.7.5/,@10.0.7.4/;@10.0.7.5/,@10.0.7.6/");

	is_int(parse("ip=10.0.7.5:10.0.7.1:10.0.7.254:255.255.255.0:guest:eth1:off "
		     "netconsole=@/,@10.0.9.1/"),
	       1, "full ip= form");
	is_int(t->local_ip, 0x0a000705, "client IP from full ip=");
	is_int(t->gateway, 0x0a0007fe, "gateway from ip=");
	is_int(t->netmask, 0xffffff00, "netmask from ip=");
	is_str(t->dev, "eth1", "device from ip= when netconsole= names none");
	is_int(netconsole_next_hop(t), 0x0a0007fe, "off-subnet target reached through the gateway");
	is_int(parse("ip=10.0.7.5::10.0.7.254:255.255.255.0 netconsole=@/,@10.0.7.1/"), 1,
	       "on-subnet target with a gateway");
	is_int(netconsole_next_hop(t), 0x0a000701, "on-subnet target resolved directly");
	is_int(parse("ip=10.0.7.5 netconsole=@/,@10.9.9.9/"), 1, "no netmask");
	is_int(netconsole_next_hop(t), 0x0a090909, "without netmask the target is asked directly");

	is_int(parse("ip=10.0.7.5:::::eth1 netconsole=@/eth0,@10.0.7.1/"), 1,
	       "netconsole= device wins over ip=");
	is_str(t->dev, "eth0", "device from netconsole=");

	is_int(parse("ip=dhcp netconsole=@10.0.7.5/,@10.0.7.1/"), 1,
	       "unusable ip= ignored when the source IP is explicit");
	warned("netconsole: ip=dhcp: address autoconfiguration is not supported, give the client "
	       "address; ignored, every target has its source address");
	is_int(t->gateway, 0, "no gateway without a usable ip=");

	is_int(parse("ip=garbage netconsole=@10.0.7.5/,@10.0.7.1/ "
		     "netconsole=@10.0.8.5/,@10.0.8.1/"),
	       2, "bad ip= with every source given: both targets stand");
	warned("netconsole: bad client address \"garbage\" in ip=garbage; ignored, every target "
	       "has its source address");
	is_int(parse("ip=10.0.7.5 netconsole=@10.0.7.5/,@10.0.7.1/"), 1, "good ip=");
	warned(NULL);
	is_int(parse("ip=10.0.7.5::10.0.7.254:255.255.255.0 netconsole=@10.0.8.5/,@10.0.7.1/"), 1,
	       "explicit different source IP");
	is_int(t->gateway, 0, "ip= gateway not applied to another source address");
}

static void test_extended_flags(void)
{
	is_int(parse("netconsole=+6665@10.0.7.5/eth0,6666@10.0.7.1/"), 1, "'+' accepted");
	ok(cfg.targets[0].extended && !cfg.targets[0].release, "'+': extended, no release");
	is_int(cfg.targets[0].local_port, 6665, "'+': source port still read");
	is_int(parse("netconsole=+r@10.0.7.5/,@10.0.7.1/"), 1, "'+r' accepted");
	ok(cfg.targets[0].extended && cfg.targets[0].release, "'+r': extended with release");
	is_int(cfg.targets[0].local_port, 6665, "'+r': default source port");
	is_int(parse("netconsole=r+@10.0.7.5/,@10.0.7.1/"), 1, "'r+' accepted as well");
	ok(cfg.targets[0].extended && cfg.targets[0].release, "'r+': extended with release");
	is_int(parse("netconsole=@10.0.7.5/,@10.0.7.1/;+@10.0.7.5/,@10.0.7.2/"), 2,
	       "plain and extended targets side by side");
	ok(!cfg.targets[0].extended && cfg.targets[1].extended, "flags belong to their target");
}

static void test_linux_errors(void)
{
	bad("netconsole=66x6@10.0.7.5/eth0,6666@10.0.7.1/",
	    "netconsole: bad source port \"66x6\" in netconsole=66x6@10.0.7.5/eth0,6666@10.0.7.1/");
	bad("netconsole=6665@10.0.7.5/eth0,66x6@10.0.7.1/",
	    "netconsole: bad target port \"66x6\" in netconsole=6665@10.0.7.5/eth0,66x6@10.0.7.1/");
	bad("netconsole=6665@10.0.7.5/eth0,70000@10.0.7.1/",
	    "netconsole: bad target port \"70000\" in netconsole=6665@10.0.7.5/eth0,70000@10.0.7.1/");
	bad("netconsole=0@10.0.7.5/eth0,6666@10.0.7.1/",
	    "netconsole: bad source port \"0\" in netconsole=0@10.0.7.5/eth0,6666@10.0.7.1/");
	bad("netconsole=@10.0.7.500/,@10.0.7.1/",
	    "netconsole: bad source IP \"10.0.7.500\" in netconsole=@10.0.7.500/,@10.0.7.1/");
	bad("netconsole=@10.0.7.5/,@0.0.0.0/",
	    "netconsole: bad target IP \"0.0.0.0\" in netconsole=@10.0.7.5/,@0.0.0.0/");
	bad("netconsole=@10.0.7.5/,@0.0.0.0",
	    "netconsole: bad target IP \"0.0.0.0\" in netconsole=@10.0.7.5/,@0.0.0.0");
	bad("netconsole=@10.0.7.5/,@10.0.7/",
	    "netconsole: bad target IP \"10.0.7\" in netconsole=@10.0.7.5/,@10.0.7/");
	bad("netconsole=@10.0.7.5/,@10.0.7.1/52:54:00:12:34",
	    "netconsole: bad target MAC \"52:54:00:12:34\" in "
	    "netconsole=@10.0.7.5/,@10.0.7.1/52:54:00:12:34");
	bad("netconsole=@10.0.7.5/averylongname,@10.0.7.1/",
	    "netconsole: bad device \"averylongname\" in netconsole=@10.0.7.5/averylongname,@10.0.7.1/");
	bad("netconsole=@10.0.7.5/,@/",
	    "netconsole: missing target IP in netconsole=@10.0.7.5/,@/");
	bad("netconsole=10.0.7.1",
	    "netconsole: missing '@' after source port in netconsole=10.0.7.1");
	bad("netconsole=@10.0.7.5,@10.0.7.1/",
	    "netconsole: bad source IP \"10.0.7.5,@10.0.7.1\" in netconsole=@10.0.7.5,@10.0.7.1/");
	bad("netconsole=@10.0.7.5",
	    "netconsole: missing '/' after source IP in netconsole=@10.0.7.5");
	bad("netconsole=@10.0.7.5/eth0@10.0.7.1/",
	    "netconsole: missing ',' after device in netconsole=@10.0.7.5/eth0@10.0.7.1/");
	bad("netconsole=@10.0.7.5/eth0,10.0.7.1",
	    "netconsole: missing '@' after target port in netconsole=@10.0.7.5/eth0,10.0.7.1");
	bad("netconsole", "netconsole: missing '@' after source port in netconsole=");
	bad("netconsole=r@10.0.7.5/,@10.0.7.1/",
	    "netconsole: release ('r') needs the extended format ('+') in "
	    "netconsole=r@10.0.7.5/,@10.0.7.1/");
	bad("netconsole=+x@10.0.7.5/,@10.0.7.1/",
	    "netconsole: bad source port \"x\" in netconsole=+x@10.0.7.5/,@10.0.7.1/");
	bad("netconsole=@/,@10.0.7.1/",
	    "netconsole: no source IP: give it in netconsole= or as ip=<client-ip>");
	bad("ip=10.0.7.x netconsole=@/,@10.0.7.1/",
	    "netconsole: bad client address \"10.0.7.x\" in ip=10.0.7.x");
	bad("ip=dhcp netconsole=@/,@10.0.7.1/",
	    "netconsole: ip=dhcp: address autoconfiguration is not supported, give the client "
	    "address");
	bad("ip=10.0.7.5::10.0.7.254:255.255.0.x netconsole=@/,@10.0.7.1/",
	    "netconsole: bad netmask \"255.255.0.x\" in ip=10.0.7.5::10.0.7.254:255.255.0.x");
	bad("ip=10.0.7.5::gw netconsole=@/,@10.0.7.1/",
	    "netconsole: bad gateway \"gw\" in ip=10.0.7.5::gw");
	bad("netconsole=@10.0.7.5/,@10.0.7.1/ netconsole=@10.0.7.5/,@10.0.7.1/x",
	    "netconsole: bad target MAC \"x\" in netconsole=@10.0.7.5/,@10.0.7.1/x");

	char small[24];
	is_int(netconsole_config_parse("netconsole=66x6@10.0.7.5/eth0,6666@10.0.7.1/", &cfg, small,
				       sizeof(small)),
	       -1, "error with a small buffer");
	is_str(small, "netconsole: bad source ", "error truncated to the buffer, terminated");
}

static void test_2001(void)
{
	is_int(parse("ip=10.0.7.5 dev=eth1 target_ip=0x0a000701 source_port=6666 "
		     "target_port=6666 target_eth_byte0=0x00 target_eth_byte1=0x90 "
		     "target_eth_byte2=0x27 target_eth_byte3=0x8C target_eth_byte4=0xA0 "
		     "target_eth_byte5=0xA8"),
	       1, "2001 form from the announcement");
	const struct netconsole_target_config *t = &cfg.targets[0];
	is_str(t->dev, "eth1", "2001 device");
	is_int(t->remote_ip, 0x0a000701, "hex target_ip is host order");
	is_int(t->local_ip, 0x0a000705, "2001 source IP from ip=");
	is_int(t->local_port, 6666, "2001 source port");
	is_int(t->remote_port, 6666, "2001 target port");
	ok(t->remote_mac_given && mac_is(t->remote_mac, 0x00, 0x90, 0x27, 0x8c, 0xa0, 0xa8),
	   "six target_eth_byte values");

	is_int(parse("target_ip=10.0.7.1 ip=10.0.7.5"), 1, "2001 form, dotted quad, defaults");
	is_str(t->dev, "", "2001 device defaults to the first");
	is_int(t->remote_ip, 0x0a000701, "dotted target_ip");
	is_int(t->local_port, 6666, "2001 source port defaults to 6666");
	is_int(t->remote_port, 6666, "2001 target port defaults to 6666");
	ok(!t->remote_mac_given, "no target MAC without target_eth_byte");

	is_int(parse("netconsole=@10.0.7.5/,7777@10.0.7.9/ target_ip=0x0a000701"), 1,
	       "netconsole= takes precedence over target_ip=");
	warned("netconsole: netconsole= given, ignoring target_ip=");
	is_int(t->remote_ip, 0x0a000709, "Linux form's target used");
	is_int(t->remote_port, 7777, "Linux form's port used");

	bad("ip=10.0.7.5 dev=eth0 source_port=6666 crash=none",
	    "netconsole: target_ip= missing, needed by dev= source_port=");
	bad("target_eth_byte5=0xA8 target_port=6666",
	    "netconsole: target_ip= missing, needed by target_port= target_eth_byte5=");
	is_int(parse("ip=10.0.7.5 crash=none"), 0, "ip= alone: off");
	warned("netconsole: ip= without netconsole= or target_ip=, ignored");
	is_int(parse("crash=none"), 0, "no netconsole parameter: off");
	warned(NULL);
	is_int(parse(""), 0, "empty command line: off");

	bad("ip=10.0.7.5 target_ip=0x0a00070g",
	    "netconsole: bad target IP \"0x0a00070g\" in target_ip=0x0a00070g");
	bad("ip=10.0.7.5 target_ip=0x10a000701",
	    "netconsole: bad target IP \"0x10a000701\" in target_ip=0x10a000701");
	bad("ip=10.0.7.5 target_ip", "netconsole: bad target IP \"\" in target_ip=");
	bad("ip=10.0.7.5 target_ip=0x0a000701 target_port=66x6",
	    "netconsole: bad target port \"66x6\" in target_port=66x6");
	bad("ip=10.0.7.5 target_ip=0x0a000701 source_port=",
	    "netconsole: bad source port \"\" in source_port=");
	bad("ip=10.0.7.5 target_ip=0x0a000701 dev=", "netconsole: bad device \"\" in dev=");
	bad("ip=10.0.7.5 target_ip=0x0a000701 target_eth_byte0=0 target_eth_byte1=1 "
	    "target_eth_byte2=2 target_eth_byte4=4 target_eth_byte5=5",
	    "netconsole: target_eth_byte3= missing: give all six target_eth_byte0..5 or none");
	bad("ip=10.0.7.5 target_ip=0x0a000701 target_eth_byte0=0 target_eth_byte1=1 "
	    "target_eth_byte2=2 target_eth_byte3=0x100 target_eth_byte4=4 target_eth_byte5=5",
	    "netconsole: bad MAC byte \"0x100\" in target_eth_byte3=0x100");
	bad("target_ip=0x0a000701",
	    "netconsole: no source IP: give it in netconsole= or as ip=<client-ip>");
	bad("ip=10.0.7.5 target_ip=0.0.0.0",
	    "netconsole: bad target IP \"0.0.0.0\" in target_ip=0.0.0.0");
	bad("ip=10.0.7.5 target_ip=0x0", "netconsole: bad target IP \"0x0\" in target_ip=0x0");
}

static int ip6_is(const uint8_t *ip, const char *text)
{
	uint8_t want[16];
	return netconsole_parse_ipv6(text, strlen(text), want) && memcmp(ip, want, 16) == 0;
}

/* Expected bytes written out by hand from RFC 4291 2.2 and RFC 5952. */
static void test_ipv6_helpers(void)
{
	uint8_t ip[16];
	static const uint8_t fd00_7_1[16] = {0xfd, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	static const uint8_t ll[16] = {0xfe, 0x80, 0, 0,    0,	  0,	0,    0,
				       0x50, 0x54, 0, 0xff, 0xfe, 0x12, 0x34, 0x56};
	static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 7, 1};
	static const uint8_t full[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
					 0,    0,    0,	   0,	 0, 0, 0, 1};
	ok(netconsole_parse_ipv6("fd00:7::1", 9, ip) && memcmp(ip, fd00_7_1, 16) == 0, "fd00:7::1");
	ok(netconsole_parse_ipv6("fd00:0007:0:0:0:0:0:0001", 24, ip) &&
		   memcmp(ip, fd00_7_1, 16) == 0,
	   "all eight groups, leading zeros");
	ok(netconsole_parse_ipv6("FE80::5054:ff:FE12:3456", 23, ip) && memcmp(ip, ll, 16) == 0,
	   "link-local, upper case");
	ok(netconsole_parse_ipv6("::ffff:10.0.7.1", 15, ip) && memcmp(ip, mapped, 16) == 0,
	   "dotted quad in the last 32 bits");
	ok(netconsole_parse_ipv6("2001:db8:1::1", 13, ip) && memcmp(ip, full, 16) == 0,
	   "gap in the middle");
	ok(netconsole_parse_ipv6("::", 2, ip) && ip[0] == 0 && ip[15] == 0, "::");
	ok(netconsole_parse_ipv6("fd00:7::", 8, ip) && ip[1] == 0 && ip[3] == 7 && ip[15] == 0,
	   "trailing ::");
	ok(!netconsole_parse_ipv6("fd00::7::1", 10, ip), "two :: rejected");
	ok(!netconsole_parse_ipv6("fd00:7:1", 8, ip), "three groups without :: rejected");
	ok(!netconsole_parse_ipv6("1:2:3:4:5:6:7:8:9", 17, ip), "nine groups rejected");
	ok(!netconsole_parse_ipv6("1:2:3:4::5:6:7:8", 16, ip), ":: standing for nothing rejected");
	ok(!netconsole_parse_ipv6("fd00:12345::1", 13, ip), "five hex digits rejected");
	ok(!netconsole_parse_ipv6("fd00:7::1:", 10, ip), "trailing colon rejected");
	ok(!netconsole_parse_ipv6(":fd00::1", 8, ip), "leading single colon rejected");
	ok(!netconsole_parse_ipv6("fd00:7::g", 9, ip), "non-hex rejected");
	ok(!netconsole_parse_ipv6("fe80::1%eth0", 12, ip), "zone index rejected");
	ok(!netconsole_parse_ipv6("::ffff:10.0.7", 13, ip), "short dotted quad rejected");
	ok(!netconsole_parse_ipv6("", 0, ip), "empty rejected");

	char text[48];
	netconsole_format_ipv6(text, sizeof(text), fd00_7_1);
	is_str(text, "fd00:7::1", "formatted: longest zero run as ::");
	netconsole_format_ipv6(text, sizeof(text), ll);
	is_str(text, "fe80::5054:ff:fe12:3456", "formatted link-local");
	static const uint8_t two_runs[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					     0,	   1,	 0,    0,    0, 0, 0, 1};
	netconsole_format_ipv6(text, sizeof(text), two_runs);
	is_str(text, "2001:db8::1:0:0:1", "first of equal runs shortened");
	static const uint8_t one_zero[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1,
					     0,	   1,	 0,    1,    0, 1, 0, 1};
	netconsole_format_ipv6(text, sizeof(text), one_zero);
	is_str(text, "2001:db8:0:1:1:1:1:1", "a single zero group stays 0");
	memset(ip, 0, 16);
	netconsole_format_ipv6(text, sizeof(text), ip);
	is_str(text, "::", "unspecified");
	memset(ip, 0xff, 16);
	is_int(netconsole_format_ipv6(text, sizeof(text), ip), 39, "longest form is 39 characters");
}

static void test_ipv6(void)
{
	const struct netconsole_target_config *t = &cfg.targets[0];
	is_int(parse("netconsole=+6665@fd00:7::5/eth0,6666@fd00:7::1/"), 1,
	       "the issue's IPv6 example");
	ok(t->ipv6 && t->extended && ip6_is(t->local_ip6, "fd00:7::5") &&
		   ip6_is(t->remote_ip6, "fd00:7::1"),
	   "IPv6 source and target");
	ok(t->local_ip == 0 && t->remote_ip == 0, "no IPv4 addresses");
	is_str(t->dev, "eth0", "device");
	is_int(t->local_port, 6665, "source port");
	is_int(t->remote_port, 6666, "target port");
	is_int(parse("netconsole=@[fd00:7::5]/,@[fd00:7::1]/52:54:00:12:34:56"), 1,
	       "addresses in brackets, with a target MAC");
	ok(t->ipv6 && ip6_is(t->remote_ip6, "fd00:7::1") && t->remote_mac_given &&
		   mac_is(t->remote_mac, 0x52, 0x54, 0, 0x12, 0x34, 0x56),
	   "bracketed target and MAC");
	is_int(parse("netconsole=@fe80::5054:ff:fe12:3456/eth1,@fe80::1"), 1,
	       "link-local addresses with the device");
	ok(t->ipv6 && ip6_is(t->remote_ip6, "fe80::1"), "link-local target");
	is_str(t->dev, "eth1", "link-local device");
	is_int(parse("ip=10.0.7.5 netconsole=@/eth0,@10.0.7.1/;@fd00:8::5/eth1,@fd00:8::1/"), 2,
	       "an IPv4 and an IPv6 target together");
	ok(!cfg.targets[0].ipv6 && cfg.targets[0].local_ip == 0x0a000705, "IPv4 one from ip=");
	ok(cfg.targets[1].ipv6 && cfg.targets[1].local_ip == 0 &&
		   ip6_is(cfg.targets[1].local_ip6, "fd00:8::5"),
	   "ip= leaves the IPv6 one alone");
	is_int(parse("netconsole=@fd00:7::5/,@fd00:7::1/"), 1, "IPv6 needs no ip=");
	warned(NULL);

	bad("netconsole=@fd00:7::5/,@fd00::7::1/",
	    "netconsole: bad target IP \"fd00::7::1\" in netconsole=@fd00:7::5/,@fd00::7::1/");
	bad("netconsole=@fd00:7::x/,@fd00:7::1/",
	    "netconsole: bad source IP \"fd00:7::x\" in netconsole=@fd00:7::x/,@fd00:7::1/");
	bad("netconsole=@[fd00:7::5/,@fd00:7::1/",
	    "netconsole: bad source IP \"[fd00:7::5\" in netconsole=@[fd00:7::5/,@fd00:7::1/");
	bad("netconsole=@fd00:7::5/,@[fd00:7::1",
	    "netconsole: bad target IP \"[fd00:7::1\" in netconsole=@fd00:7::5/,@[fd00:7::1");
	bad("netconsole=@fd00:7::5/,@::/",
	    "netconsole: bad target IP \"::\" in netconsole=@fd00:7::5/,@::/");
	bad("netconsole=@fd00:7::5/,@ff02::1/",
	    "netconsole: bad target IP \"ff02::1\" in netconsole=@fd00:7::5/,@ff02::1/");
	bad("netconsole=@::/,@fd00:7::1/",
	    "netconsole: bad source IP \"::\" in netconsole=@::/,@fd00:7::1/");
	bad("netconsole=@fe80::1%eth0/eth0,@fe80::2/",
	    "netconsole: bad source IP \"fe80::1%eth0\" in netconsole=@fe80::1%eth0/eth0,@fe80::2/");
	bad("netconsole=@10.0.7.5/,@fd00:7::1/",
	    "netconsole: source IP \"10.0.7.5\" and target IP \"fd00:7::1\" are not of one family "
	    "in netconsole=@10.0.7.5/,@fd00:7::1/");
	bad("netconsole=@fd00:7::5/,@10.0.7.1/",
	    "netconsole: source IP \"fd00:7::5\" and target IP \"10.0.7.1\" are not of one family "
	    "in netconsole=@fd00:7::5/,@10.0.7.1/");
	bad("ip=10.0.7.5 netconsole=@/,@fd00:7::1/",
	    "netconsole: missing source IP for the IPv6 target in netconsole=@/,@fd00:7::1/");
	bad("ip=10.0.7.5 target_ip=fd00:7::1",
	    "netconsole: bad target IP \"fd00:7::1\" in target_ip=fd00:7::1: the 2001 parameters "
	    "are IPv4 only, use netconsole=");
}

int main(void)
{
	plan(241);
	test_helpers();
	test_linux();
	test_extended_flags();
	test_linux_errors();
	test_2001();
	test_ipv6_helpers();
	test_ipv6();
	return done_testing();
}
