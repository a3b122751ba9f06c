#include "netconsole/config.h"

#include <stdarg.h>

#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "netconsole/unaligned.h"

struct span {
	const char *s;
	size_t len;
};

/* Where an error message points the user: "key=value" as typed. */
struct origin {
	const char *key;
	struct span value;
};

struct errbuf {
	char *buf;
	size_t size;
};

static void warn(struct netconsole_config *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(struct netconsole_config *cfg, const char *fmt, ...)
{
	va_list ap;
	if (cfg->warning_count == NETCONSOLE_WARN_MAX)
		return;
	va_start(ap, fmt);
	kvsnprintf(cfg->warnings[cfg->warning_count++], NETCONSOLE_ERR_MAX, fmt, ap);
	va_end(ap);
}

static int bad_field(struct errbuf *e, const char *what, struct span bad, const struct origin *o)
{
	ksnprintf(e->buf, e->size, "netconsole: bad %s \"%.*s\" in %s=%.*s", what, (int)bad.len,
		  bad.s, o->key, (int)o->value.len, o->value.s);
	return -1;
}

bool netconsole_parse_ipv4(const char *s, size_t len, uint32_t *ip)
{
	uint32_t value = 0;
	size_t pos = 0;
	for (int part = 0; part < 4; part++) {
		size_t start = pos;
		while (pos < len && s[pos] != '.')
			pos++;
		size_t digits = pos - start;
		unsigned long octet;
		if (digits == 0 || digits > 3 ||
		    kparse_u32(s + start, digits, 10, &octet) != digits || octet > 255)
			return false;
		value = value << 8 | (uint32_t)octet;
		if (part < 3) {
			if (pos == len)
				return false;
			pos++; /* the dot */
		}
	}
	if (pos != len)
		return false;
	*ip = value;
	return true;
}

/* RFC 4291 2.2: eight groups of up to four hex digits, one run of zero
 * groups written as "::", and optionally a dotted quad for the last two. */
bool netconsole_parse_ipv6(const char *s, size_t len, uint8_t ip[16])
{
	uint8_t out[16] = {0};
	size_t pos = 0, bytes = 0;
	int gap = -1; /* where "::" stands, in bytes */

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		pos = 2;
	} else if (len && s[0] == ':') {
		return false;
	}
	while (pos < len) {
		size_t start = pos;
		while (pos < len && s[pos] != ':' && s[pos] != '.')
			pos++;
		if (pos < len && s[pos] == '.') {
			/* The rest is a dotted quad filling the last four bytes. */
			uint32_t v4;
			if (bytes > 12 || !netconsole_parse_ipv4(s + start, len - start, &v4))
				return false;
			put_unaligned_be32(v4, out + bytes);
			bytes += 4;
			pos = len;
			break;
		}
		unsigned long group;
		size_t digits = pos - start;
		if (digits == 0 || digits > 4 || bytes == 16 ||
		    kparse_u32(s + start, digits, 16, &group) != digits)
			return false;
		out[bytes++] = (uint8_t)(group >> 8);
		out[bytes++] = (uint8_t)group;
		if (pos == len)
			break;
		pos++; /* the colon */
		if (pos < len && s[pos] == ':') {
			if (gap >= 0)
				return false; /* a second "::" */
			gap = (int)bytes;
			pos++;
		} else if (pos == len) {
			return false; /* a trailing single colon */
		}
	}
	if (gap < 0 ? bytes != 16 : bytes > 14)
		return false;
	if (gap >= 0) {
		/* Move what followed the gap to the end; zeros fill the gap. */
		size_t tail = bytes - (size_t)gap;
		memmove(out + 16 - tail, out + gap, tail);
		memset(out + gap, 0, 16 - tail - (size_t)gap);
	}
	memcpy(ip, out, 16);
	return true;
}

size_t netconsole_format_ipv6(char *buf, size_t size, const uint8_t ip[16])
{
	/* RFC 5952 4.2: the longest run of two or more zero groups, the first
	 * of equal ones, becomes "::"; lower case, no leading zeros. */
	int best = -1, best_len = 1;
	for (int i = 0; i < 8;) {
		int run = 0;
		while (i + run < 8 && !ip[2 * (i + run)] && !ip[2 * (i + run) + 1])
			run++;
		if (run > best_len) {
			best = i;
			best_len = run;
		}
		i += run ? run : 1;
	}
	size_t used = 0;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			used += (size_t)ksnprintf(buf + used, size > used ? size - used : 0, "::");
			i += best_len - 1;
			continue;
		}
		bool colon = i > 0 && i != best + best_len;
		used += (size_t)ksnprintf(buf + used, size > used ? size - used : 0, "%s%x",
					  colon ? ":" : "", ip[2 * i] << 8 | ip[2 * i + 1]);
	}
	return used;
}

bool netconsole_parse_mac(const char *s, size_t len, uint8_t mac[6])
{
	if (len != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		unsigned long byte;
		if (kparse_u32(s + 3 * i, 2, 16, &byte) != 2)
			return false;
		if (i < 5 && s[3 * i + 2] != ':')
			return false;
		mac[i] = (uint8_t)byte;
	}
	return true;
}

static bool parse_port(struct span v, uint16_t *port)
{
	unsigned long n;
	if (v.len == 0 || kparse_u32(v.s, v.len, 10, &n) != v.len || n == 0 || n > 65535)
		return false;
	*port = (uint16_t)n;
	return true;
}

static bool parse_dev(struct span v, char dev[NETCONSOLE_DEV_NAME_MAX + 1])
{
	if (v.len > NETCONSOLE_DEV_NAME_MAX)
		return false;
	for (size_t i = 0; i < v.len; i++)
		if (v.s[i] == ':' || v.s[i] == '/' || v.s[i] == ',' || v.s[i] == '@')
			return false;
	memcpy(dev, v.s, v.len);
	dev[v.len] = '\0';
	return true;
}

/* Splits off the text before delim; false when delim does not occur. */
static bool take_until(struct span *rest, char delim, struct span *field)
{
	for (size_t i = 0; i < rest->len; i++) {
		if (rest->s[i] == delim) {
			field->s = rest->s;
			field->len = i;
			rest->s += i + 1;
			rest->len -= i + 1;
			return true;
		}
	}
	return false;
}

static int missing(struct errbuf *e, char delim, const char *after, const struct origin *o)
{
	ksnprintf(e->buf, e->size, "netconsole: missing '%c' after %s in %s=%.*s", delim, after,
		  o->key, (int)o->value.len, o->value.s);
	return -1;
}

bool netconsole_parse_ip(const char *s, size_t len, struct netconsole_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		ip->ipv6 = true;
		return netconsole_parse_ipv6(s + 1, len - 2, ip->v6);
	}
	for (size_t i = 0; i < len; i++)
		if (s[i] == ':')
			ip->ipv6 = true;
	return ip->ipv6 ? netconsole_parse_ipv6(s, len, ip->v6)
			: netconsole_parse_ipv4(s, len, &ip->v4);
}

bool netconsole_usable_ip(const struct netconsole_ip *ip)
{
	static const uint8_t unspecified[16];
	if (!ip->ipv6)
		return ip->v4 != 0;
	return ip->v6[0] != 0xff && memcmp(ip->v6, unspecified, 16) != 0;
}

/* One [+][r][src-port]@[src-ip]/[dev],[tgt-port]@<tgt-ip>[/[tgt-mac]]. */
static int parse_linux_target(struct span spec, const struct origin *o,
			      struct netconsole_target_config *t, struct errbuf *e)
{
	struct span rest = spec, f;

	while (rest.len && (rest.s[0] == '+' || rest.s[0] == 'r')) {
		if (rest.s[0] == '+')
			t->extended = true;
		else
			t->release = true;
		rest.s++;
		rest.len--;
	}
	if (t->release && !t->extended) {
		ksnprintf(e->buf, e->size,
			  "netconsole: release ('r') needs the extended format ('+') in %s=%.*s",
			  o->key, (int)o->value.len, o->value.s);
		return -1;
	}

	t->local_port = NETCONSOLE_LINUX_LOCAL_PORT;
	if (!take_until(&rest, '@', &f))
		return missing(e, '@', "source port", o);
	if (f.len && !parse_port(f, &t->local_port))
		return bad_field(e, "source port", f, o);

	struct netconsole_ip local = {0}, remote;
	struct span local_text;
	if (!take_until(&rest, '/', &local_text))
		return missing(e, '/', "source IP", o);
	/* 0.0.0.0 means "not given", as an empty field: ip= supplies it. */
	if (local_text.len && (!netconsole_parse_ip(local_text.s, local_text.len, &local) ||
			       (local.ipv6 && !netconsole_usable_ip(&local))))
		return bad_field(e, "source IP", local_text, o);

	if (!take_until(&rest, ',', &f))
		return missing(e, ',', "device", o);
	if (!parse_dev(f, t->dev))
		return bad_field(e, "device", f, o);

	t->remote_port = NETCONSOLE_LINUX_REMOTE_PORT;
	if (!take_until(&rest, '@', &f))
		return missing(e, '@', "target port", o);
	if (f.len && !parse_port(f, &t->remote_port))
		return bad_field(e, "target port", f, o);

	/* Linux insists on the '/' after the target IP even without a MAC;
	 * accepting its absence costs nothing and reads naturally. */
	if (!take_until(&rest, '/', &f)) {
		f = rest;
		rest.len = 0;
	}
	if (f.len == 0) {
		ksnprintf(e->buf, e->size, "netconsole: missing target IP in %s=%.*s", o->key,
			  (int)o->value.len, o->value.s);
		return -1;
	}
	if (!netconsole_parse_ip(f.s, f.len, &remote) || !netconsole_usable_ip(&remote))
		return bad_field(e, "target IP", f, o);
	if (local_text.len && local.ipv6 != remote.ipv6) {
		ksnprintf(e->buf, e->size,
			  "netconsole: source IP \"%.*s\" and target IP \"%.*s\" are not of one "
			  "family in %s=%.*s",
			  (int)local_text.len, local_text.s, (int)f.len, f.s, o->key,
			  (int)o->value.len, o->value.s);
		return -1;
	}
	t->ipv6 = remote.ipv6;
	t->local_ip = local.v4;
	t->remote_ip = remote.v4;
	memcpy(t->local_ip6, local.v6, 16);
	memcpy(t->remote_ip6, remote.v6, 16);
	/* ip= gives IPv4 only, and there is no address autoconfiguration. */
	if (t->ipv6 && !local_text.len) {
		ksnprintf(e->buf, e->size,
			  "netconsole: missing source IP for the IPv6 target in %s=%.*s", o->key,
			  (int)o->value.len, o->value.s);
		return -1;
	}

	if (rest.len) {
		if (!netconsole_parse_mac(rest.s, rest.len, t->remote_mac))
			return bad_field(e, "target MAC", rest, o);
		t->remote_mac_given = true;
	}
	return 0;
}

struct linux_walk {
	struct netconsole_config *cfg;
	struct errbuf *e;
	int result;
};

static void linux_param(const struct cmdline_param *param, void *ctx)
{
	struct linux_walk *w = ctx;
	if (w->result < 0 || !cmdline_key_is(param, "netconsole"))
		return;
	struct origin o = {"netconsole", {param->value ? param->value : "", param->value_len}};
	/* Linux separates several targets in one value with ';'. */
	struct span rest = o.value, spec;
	while (w->result == 0) {
		bool last = !take_until(&rest, ';', &spec);
		if (last)
			spec = rest;
		if (w->cfg->count == NETCONSOLE_MAX_TARGETS) {
			ksnprintf(w->e->buf, w->e->size,
				  "netconsole: more than %d targets in netconsole=%.*s",
				  NETCONSOLE_MAX_TARGETS, (int)o.value.len, o.value.s);
			w->result = -1;
			return;
		}
		struct netconsole_target_config *t = &w->cfg->targets[w->cfg->count];
		w->result = parse_linux_target(spec, &o, t, w->e);
		if (w->result == 0)
			w->cfg->count++;
		if (last)
			return;
	}
}

enum old_param {
	OLD_DEV,
	OLD_TARGET_IP,
	OLD_SOURCE_PORT,
	OLD_TARGET_PORT,
	OLD_ETH0,
	OLD_COUNT = OLD_ETH0 + 6
};

static const char *const old_names[OLD_COUNT] = {
	"dev",
	"target_ip",
	"source_port",
	"target_port",
	"target_eth_byte0",
	"target_eth_byte1",
	"target_eth_byte2",
	"target_eth_byte3",
	"target_eth_byte4",
	"target_eth_byte5",
};

struct old_walk {
	struct cmdline_param params[OLD_COUNT];
	bool seen[OLD_COUNT];
};

static void old_param(const struct cmdline_param *param, void *ctx)
{
	struct old_walk *w = ctx;
	for (int i = 0; i < OLD_COUNT; i++) {
		if (cmdline_key_is(param, old_names[i])) {
			w->params[i] = *param; /* the last one wins, as for any parameter */
			w->seen[i] = true;
		}
	}
}

/* " dev= target_ip=" for the 2001 parameters given; false when none. */
static bool old_params_named(const struct old_walk *w, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < OLD_COUNT; i++)
		if (w->seen[i] && used < size)
			used += (size_t)ksnprintf(buf + used, size - used, " %s=", old_names[i]);
	return used > 0;
}

static struct origin origin_of(const struct cmdline_param *p, const char *key)
{
	struct origin o = {key, {p->value ? p->value : "", p->value ? p->value_len : 0}};
	return o;
}

/* target_ip is a host-order number in hex (0x0a000701), as insmod took it,
 * or a dotted quad. */
static bool parse_old_ip(struct span v, uint32_t *ip)
{
	unsigned long n;
	if (v.len > 2 && v.s[0] == '0' && (v.s[1] == 'x' || v.s[1] == 'X')) {
		if (kparse_u32(v.s, v.len, 0, &n) != v.len)
			return false;
		*ip = (uint32_t)n;
		return true;
	}
	return netconsole_parse_ipv4(v.s, v.len, ip);
}

static int parse_2001(struct old_walk *w, struct netconsole_target_config *t, struct errbuf *e)
{
	struct origin o;

	if (w->seen[OLD_DEV]) {
		o = origin_of(&w->params[OLD_DEV], "dev");
		if (o.value.len == 0 || !parse_dev(o.value, t->dev))
			return bad_field(e, "device", o.value, &o);
	}
	o = origin_of(&w->params[OLD_TARGET_IP], "target_ip");
	if (!parse_old_ip(o.value, &t->remote_ip) || !t->remote_ip) {
		bad_field(e, "target IP", o.value, &o);
		for (size_t i = 0; i < o.value.len; i++)
			if (o.value.s[i] == ':') {
				size_t used = strlen(e->buf);
				ksnprintf(e->buf + used, e->size - used,
					  ": the 2001 parameters are IPv4 only, use netconsole=");
				break;
			}
		return -1;
	}

	t->local_port = NETCONSOLE_2001_PORT;
	if (w->seen[OLD_SOURCE_PORT]) {
		o = origin_of(&w->params[OLD_SOURCE_PORT], "source_port");
		if (!parse_port(o.value, &t->local_port))
			return bad_field(e, "source port", o.value, &o);
	}
	t->remote_port = NETCONSOLE_2001_PORT;
	if (w->seen[OLD_TARGET_PORT]) {
		o = origin_of(&w->params[OLD_TARGET_PORT], "target_port");
		if (!parse_port(o.value, &t->remote_port))
			return bad_field(e, "target port", o.value, &o);
	}

	int given = 0;
	for (int i = 0; i < 6; i++)
		given += w->seen[OLD_ETH0 + i];
	if (given == 0)
		return 0;
	for (int i = 0; i < 6; i++) {
		const char *key = old_names[OLD_ETH0 + i];
		if (!w->seen[OLD_ETH0 + i]) {
			ksnprintf(
				e->buf, e->size,
				"netconsole: %s= missing: give all six target_eth_byte0..5 or none",
				key);
			return -1;
		}
		o = origin_of(&w->params[OLD_ETH0 + i], key);
		unsigned long byte;
		if (o.value.len == 0 ||
		    kparse_u32(o.value.s, o.value.len, 0, &byte) != o.value.len || byte > 255)
			return bad_field(e, "MAC byte", o.value, &o);
		t->remote_mac[i] = (uint8_t)byte;
	}
	t->remote_mac_given = true;
	return 0;
}

/* ip=<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>:<autoconf> */
struct ip_param {
	uint32_t client, gateway, netmask;
	char dev[NETCONSOLE_DEV_NAME_MAX + 1];
};

static bool is_autoconf_word(struct span v)
{
	static const char *const words[] = {"off",  "none",  "on",   "any",
					    "dhcp", "bootp", "rarp", "both"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == v.len && memcmp(words[i], v.s, v.len) == 0)
			return true;
	return false;
}

static int parse_ip_param(const struct cmdline_param *p, struct ip_param *ip, struct errbuf *e)
{
	struct origin o = origin_of(p, "ip");
	struct span rest = o.value, f[6];
	int n;
	memset(ip, 0, sizeof(*ip));
	for (n = 0; n < 6; n++) {
		if (!take_until(&rest, ':', &f[n])) {
			f[n++] = rest;
			break;
		}
	}
	if (!netconsole_parse_ipv4(f[0].s, f[0].len, &ip->client)) {
		if (is_autoconf_word(f[0])) {
			ksnprintf(
				e->buf, e->size,
				"netconsole: ip=%.*s: address autoconfiguration is not supported, "
				"give the client address",
				(int)o.value.len, o.value.s);
			return -1;
		}
		return bad_field(e, "client address", f[0], &o);
	}
	if (n > 2 && f[2].len && !netconsole_parse_ipv4(f[2].s, f[2].len, &ip->gateway))
		return bad_field(e, "gateway", f[2], &o);
	if (n > 3 && f[3].len && !netconsole_parse_ipv4(f[3].s, f[3].len, &ip->netmask))
		return bad_field(e, "netmask", f[3], &o);
	if (n > 5 && !parse_dev(f[5], ip->dev))
		return bad_field(e, "device", f[5], &o);
	return 0;
}

/* Gives targets without a source address the one from ip=, and every target
 * on that address the gateway and netmask. */
static int apply_ip_param(const char *cmdline, struct netconsole_config *cfg, struct errbuf *e)
{
	struct cmdline_param p;
	struct ip_param ip;
	bool have_ip = cmdline_find(cmdline, "ip", &p);
	bool ip_ok = false;
	bool need_ip = false;

	for (unsigned i = 0; i < cfg->count; i++)
		need_ip |= !cfg->targets[i].ipv6 && cfg->targets[i].local_ip == 0;
	if (need_ip && !have_ip) {
		ksnprintf(e->buf, e->size,
			  "netconsole: no source IP: give it in netconsole= or as ip=<client-ip>");
		return -1;
	}
	/* A bad ip= is an error only when a target depends on it. */
	if (have_ip)
		ip_ok = parse_ip_param(&p, &ip, e) == 0;
	if (need_ip && !ip_ok)
		return -1;
	if (have_ip && !ip_ok)
		warn(cfg, "%s; ignored, every target has its source address", e->buf);
	for (unsigned i = 0; i < cfg->count && ip_ok; i++) {
		struct netconsole_target_config *t = &cfg->targets[i];
		if (t->ipv6)
			continue;
		if (t->local_ip == 0) {
			t->local_ip = ip.client;
			if (!t->dev[0])
				memcpy(t->dev, ip.dev, sizeof(t->dev));
		}
		if (t->local_ip == ip.client) {
			t->gateway = ip.gateway;
			t->netmask = ip.netmask;
		}
	}
	return 0;
}

int netconsole_config_parse(const char *cmdline, struct netconsole_config *cfg, char *err,
			    size_t err_size)
{
	struct errbuf e = {err, err_size};
	struct cmdline_param p;
	struct old_walk old;
	char buf[NETCONSOLE_ERR_MAX];

	memset(cfg, 0, sizeof(*cfg));
	if (err_size)
		err[0] = '\0';
	memset(&old, 0, sizeof(old));
	cmdline_foreach(cmdline, old_param, &old);
	if (cmdline_find(cmdline, "netconsole", &p)) {
		struct linux_walk w = {cfg, &e, 0};
		cmdline_foreach(cmdline, linux_param, &w);
		if (w.result < 0)
			return -1;
		if (old_params_named(&old, buf, sizeof(buf)))
			warn(cfg, "netconsole: netconsole= given, ignoring%s", buf);
	} else if (old.seen[OLD_TARGET_IP]) {
		if (parse_2001(&old, &cfg->targets[0], &e) < 0)
			return -1;
		cfg->count = 1;
	} else if (old_params_named(&old, buf, sizeof(buf))) {
		ksnprintf(err, err_size, "netconsole: target_ip= missing, needed by%s", buf);
		return -1;
	} else {
		if (cmdline_find(cmdline, "ip", &p))
			warn(cfg, "netconsole: ip= without netconsole= or target_ip=, ignored");
		return 0;
	}
	if (apply_ip_param(cmdline, cfg, &e) < 0)
		return -1;
	if (err_size)
		err[0] = '\0';
	return (int)cfg->count;
}

uint32_t netconsole_next_hop(const struct netconsole_target_config *t)
{
	bool off_subnet = t->netmask && ((t->remote_ip ^ t->local_ip) & t->netmask);
	return off_subnet && t->gateway ? t->gateway : t->remote_ip;
}
