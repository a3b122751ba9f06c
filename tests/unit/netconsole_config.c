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

int main(void)
{
	plan(177);
	test_helpers();
	test_linux();
	test_extended_flags();
	test_linux_errors();
	test_2001();
	return done_testing();
}
