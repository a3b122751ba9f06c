#include "netconsole/netconsole.h"

#include "drivers/netdev.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "netconsole/config.h"
#include "netconsole/extcon.h"
#include "netconsole/netpoll.h"
#include "netconsole/netsysrq.h"
#include "netconsole/split.h"

/* How long a freshly opened NIC may take to report link before we go on
 * anyway (QEMU reports it at once; real PHYs negotiate for a while). */
#define LINK_WAIT_MS 1000

static struct netpoll targets[NETCONSOLE_MAX_TARGETS];
/* np is NULL for a plain target. */
static struct ncext_target extended_targets[NETCONSOLE_MAX_TARGETS];
static unsigned target_count;
/* Records each target lost while its link was down, not yet reported. */
static uint32_t dropped_while_down[NETCONSOLE_MAX_TARGETS];

const struct netpoll *netconsole_netpoll(unsigned index)
{
	return index < target_count ? &targets[index] : NULL;
}

uint32_t netconsole_source_ip(const struct net_device *dev)
{
	for (unsigned i = 0; i < target_count; i++)
		if (targets[i].dev == dev && !targets[i].ipv6)
			return targets[i].local_ip;
	return 0;
}

static void send_chunk(const char *chunk, size_t len, void *ctx)
{
	netpoll_queue_udp(ctx, chunk, len);
}

/* A NIC whose link is down takes frames and loses them (QEMU's models do
 * exactly that), so sending, or waiting for the link, would only hide the
 * loss or stall the kernel, the panic included: the record is dropped and
 * counted at the cost of one register read. The first record after the
 * link returns brings a line saying how many went missing; printk queues
 * it behind the record being written, and the count is cleared first so
 * that line cannot report itself. The read has no side effects, so it
 * needs no device lock. */
static bool link_ready(unsigned i)
{
	struct net_device *dev = targets[i].dev;
	enum profile_stage caller = profile_enter(PROFILE_LINK);
	bool up = dev->ops->link_up(dev);
	profile_enter(caller);
	if (!up) {
		dropped_while_down[i]++;
		return false;
	}
	uint32_t dropped = dropped_while_down[i];
	if (dropped) {
		dropped_while_down[i] = 0;
		pr_warn("netconsole: %s: %u messages dropped while the link was down\n", dev->name,
			dropped);
	}
	return true;
}

static void netconsole_write(struct console *con, const struct log_record *rec, const char *line,
			     size_t len)
{
	(void)con;
	for (unsigned i = 0; i < target_count; i++) {
		if (!link_ready(i))
			continue;
		if (extended_targets[i].np)
			ncext_write(&extended_targets[i], rec);
		else
			netconsole_split(line, len, NETCONSOLE_CHUNK_MAX, send_chunk, &targets[i]);
	}
}

/* One doorbell for all the records a console flush delivered, in either
 * format: the delivery ends here, in an oops too, so nothing waits longer
 * than the records delivered with it. */
static void netconsole_flush(struct console *con)
{
	(void)con;
	for (unsigned i = 0; i < target_count; i++)
		netpoll_flush(&targets[i]);
}

/* The receivers netsysrq's sits in front of (an extended target's ncrx
 * replies), by target. */
static void (*next_udp_rx[NETCONSOLE_MAX_TARGETS])(struct netpoll *np, const uint8_t *payload,
						   size_t len);

static void target_udp_rx(struct netpoll *np, const uint8_t *payload, size_t len)
{
	if (netsysrq_rx((const char *)payload, len))
		return;
	unsigned i = (unsigned)(np - targets);
	if (i < NETCONSOLE_MAX_TARGETS && next_udp_rx[i])
		next_udp_rx[i](np, payload, len);
}

/* With netconsole_sysrq= set, every target's port takes SysRq datagrams. */
static void listen_for_sysrq(unsigned count)
{
	if (!netsysrq_init())
		return;
	for (unsigned i = 0; i < count; i++) {
		next_udp_rx[i] = targets[i].udp_rx;
		netpoll_set_udp_rx(&targets[i], target_udp_rx, targets[i].udp_rx_ctx);
	}
}

static struct console netconsole_console = {
	.name = "netcon",
	.write = netconsole_write,
	.flush = netconsole_flush,
	.replay = true,
};

static struct net_device *find_device(const struct netconsole_target_config *t)
{
	struct net_device *dev = t->dev[0] ? netdev_by_name(t->dev, strlen(t->dev)) : netdev_get(0);
	if (!dev) {
		if (t->dev[0])
			pr_err("netconsole: device %s not found\n", t->dev);
		else
			pr_err("netconsole: no network device found\n");
	}
	return dev;
}

static int bring_up(struct net_device *dev)
{
	int err = netdev_open(dev);
	if (err) {
		pr_err("netconsole: %s: open failed (%d)\n", dev->name, err);
		return err;
	}
	for (int ms = 0; ms < LINK_WAIT_MS && !dev->ops->link_up(dev); ms++)
		mdelay(1);
	if (!dev->ops->link_up(dev))
		pr_warn("netconsole: %s: link is down, dropping records until it is up\n",
			dev->name);
	return 0;
}

/* "10.0.7.1", or "[fd00:7::1]" so that the port after it reads clearly. */
static void format_ip(char *buf, size_t size, uint32_t ip)
{
	ksnprintf(buf, size, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
		  ip & 0xff);
}

static void format_ip6(char *buf, size_t size, const uint8_t ip[16])
{
	char text[48];
	netconsole_format_ipv6(text, sizeof(text), ip);
	ksnprintf(buf, size, "[%s]", text);
}

static void describe(const struct netpoll *np, const char *how)
{
	char src[48], dst[48];
	const uint8_t *m = np->remote_mac;
	if (np->ipv6) {
		format_ip6(src, sizeof(src), np->local_ip6);
		format_ip6(dst, sizeof(dst), np->remote_ip6);
	} else {
		format_ip(src, sizeof(src), np->local_ip);
		format_ip(dst, sizeof(dst), np->remote_ip);
	}
	pr_info("netconsole: %s %s:%u -> %s:%u (%02x:%02x:%02x:%02x:%02x:%02x%s)\n", np->dev->name,
		src, np->local_port, dst, np->remote_port, m[0], m[1], m[2], m[3], m[4], m[5], how);
}

/* Resolves the target's MAC unless the configuration gave it, and prints
 * the target's line saying where the MAC came from. */
static void set_remote_mac(struct netpoll *np, const struct netconsole_target_config *t)
{
	char how[48];
	if (t->remote_mac_given) {
		memcpy(np->remote_mac, t->remote_mac, ETH_ALEN);
		describe(np, ", given");
		return;
	}
	if (t->ipv6) {
		/* Without an advertisement the frames go to the target's
		 * solicited-node group, as IPv4 falls back to broadcast. */
		describe(np, netpoll_resolve_ipv6(np) ? ", NDP" : ", no NDP reply, multicast");
		return;
	}
	uint32_t hop = netconsole_next_hop(t);
	bool resolved = netpoll_resolve(np, hop);
	if (hop != t->remote_ip) {
		char gw[16];
		format_ip(gw, sizeof(gw), hop);
		ksnprintf(how, sizeof(how), resolved ? ", ARP via %s" : ", no ARP reply from %s",
			  gw);
	} else {
		ksnprintf(how, sizeof(how), resolved ? ", ARP" : ", no ARP reply");
	}
	describe(np, how);
}

void netconsole_init(void)
{
	struct netconsole_config cfg;
	struct net_device *devs[NETCONSOLE_MAX_TARGETS];
	char err[NETCONSOLE_ERR_MAX];

	int count = netconsole_config_parse(kernel_cmdline, &cfg, err, sizeof(err));
	for (unsigned i = 0; i < cfg.warning_count; i++)
		pr_warn("%s\n", cfg.warnings[i]);
	if (count < 0)
		pr_err("%s\n", err);
	if (count <= 0)
		return;
	/* Every device must exist and open before any target goes live, so a
	 * bad configuration leaves netconsole entirely off. */
	for (int i = 0; i < count; i++) {
		devs[i] = find_device(&cfg.targets[i]);
		if (!devs[i] || bring_up(devs[i]) < 0)
			return;
	}
	for (int i = 0; i < count; i++) {
		const struct netconsole_target_config *t = &cfg.targets[i];
		int err = t->ipv6 ? netpoll_setup_ipv6(&targets[i], devs[i], t->local_ip6,
						       t->local_port, t->remote_ip6, t->remote_port)
				  : netpoll_setup(&targets[i], devs[i], t->local_ip, t->local_port,
						  t->remote_ip, t->remote_port);
		if (err < 0) {
			pr_err("netconsole: no room for target %d\n", i);
			return;
		}
		set_remote_mac(&targets[i], t);
		if (t->extended)
			ncext_attach(&extended_targets[i], &targets[i], t->release);
	}
	target_count = (unsigned)count;
	listen_for_sysrq(target_count);
	ncext_init_linger(extended_targets, target_count);
	pr_info("netconsole: network logging started\n");
	console_register(&netconsole_console);
}
