/* Netconsole configuration from the kernel command line: Linux's netconsole=
 * syntax (IPv4 or IPv6), or the 2001 module parameters (dev=, target_ip=,
 * ...; IPv4 only) with the interface address from ip=. Pure and
 * host-testable; called at boot only. */
#ifndef NETCONSOLE_CONFIG_H
#define NETCONSOLE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETCONSOLE_MAX_TARGETS 4
#define NETCONSOLE_DEV_NAME_MAX 7 /* struct net_device's name[8] less the NUL */
#define NETCONSOLE_LINUX_LOCAL_PORT 6665
#define NETCONSOLE_LINUX_REMOTE_PORT 6666
#define NETCONSOLE_2001_PORT 6666
#define NETCONSOLE_ERR_MAX 200 /* a buffer this size holds any error message */
#define NETCONSOLE_WARN_MAX 2 /* an ignored ip=, ignored 2001 parameters */

/* Addresses are host-order numbers: 10.0.7.1 is 0x0a000701. */
struct netconsole_target_config {
	char dev[NETCONSOLE_DEV_NAME_MAX + 1]; /* "" means the first device */
	/* Named as netpoll names them (and the frames: src_ and dst_). */
	uint32_t local_ip;
	uint16_t local_port;
	uint32_t remote_ip;
	uint16_t remote_port;
	/* An IPv6 target: the addresses are local_ip6 and remote_ip6 (the 16
	 * bytes on the wire) and local_ip, remote_ip, gateway, netmask are 0. */
	bool ipv6;
	uint8_t local_ip6[16];
	uint8_t remote_ip6[16];
	uint8_t remote_mac[6];
	bool remote_mac_given;
	/* Linux's '+': records in the extended format, with sequence numbers,
	 * which also enables ncrx replies. 'r' (only with '+'): the kernel
	 * release goes first in every header. */
	bool extended;
	bool release;
	/* From ip=; 0 when not given. A target outside local_ip/netmask is
	 * reached through the gateway's MAC. */
	uint32_t gateway;
	uint32_t netmask;
};

struct netconsole_config {
	struct netconsole_target_config targets[NETCONSOLE_MAX_TARGETS];
	unsigned count;
	/* Parameters the configuration ignores, one line each, such as
	 * `netconsole: netconsole= given, ignoring target_ip= dev=`. */
	char warnings[NETCONSOLE_WARN_MAX][NETCONSOLE_ERR_MAX];
	unsigned warning_count;
};

/* Fills cfg from the command line. Returns the number of targets (0 when
 * netconsole is not configured at all), or -1 with a message such as
 * `netconsole: bad target port "66x6" in netconsole=...` in err. Either way
 * cfg->warnings name the parameters it ignored. */
int netconsole_config_parse(const char *cmdline, struct netconsole_config *cfg, char *err,
			    size_t err_size);

/* The address to ARP for: the gateway when ip= gave one and the target lies
 * outside the source address's subnet, else the target itself. IPv6
 * targets are on-link (no gateway): their next hop is the target. */
uint32_t netconsole_next_hop(const struct netconsole_target_config *t);

/* Parses a dotted quad ("10.0.7.1") into a host-order number. */
bool netconsole_parse_ipv4(const char *s, size_t len, uint32_t *ip);
/* An address of either family, as the command line gives it. */
struct netconsole_ip {
	bool ipv6;
	uint32_t v4; /* host order */
	uint8_t v6[16];
};

/* A dotted quad, or an IPv6 address bare or in brackets ("[fd00:7::1]",
 * easier to tell from ports and MACs around it). */
bool netconsole_parse_ip(const char *s, size_t len, struct netconsole_ip *ip);
/* False for what is neither a source nor a target: the unspecified address
 * (0.0.0.0, ::) and IPv6 multicast (ff00::/8); netpoll talks to one host. */
bool netconsole_usable_ip(const struct netconsole_ip *ip);
/* Parses an IPv6 address in any RFC 4291 2.2 text form ("fd00:7::1",
 * "::ffff:10.0.7.1") into its 16 bytes. */
bool netconsole_parse_ipv6(const char *s, size_t len, uint8_t ip[16]);
/* Writes ip in RFC 5952 form ("fd00:7::1") into buf; returns the length it
 * needs (at most 39), as ksnprintf does. */
size_t netconsole_format_ipv6(char *buf, size_t size, const uint8_t ip[16]);
/* Parses "52:54:00:12:34:56" (two hex digits per byte). */
bool netconsole_parse_mac(const char *s, size_t len, uint8_t mac[6]);

#endif
