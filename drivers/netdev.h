/* The polled net-device interface every NIC driver implements, and the
 * registry that names devices eth0, eth1, ... in probe order.
 *
 * Contexts: every op works with interrupts disabled, never sleeps and never
 * waits without bound, so it may be called from normal, IRQ and oops context.
 * Callers serialise with dev->lock (spin_lock_irqsave in normal and IRQ
 * context; in an oops, spin_trylock and take the device over on failure).
 * Drivers never take dev->lock inside their ops; their interrupt handler takes
 * it (normal IRQ context) around its own poll. */
#ifndef DRIVERS_NETDEV_H
#define DRIVERS_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/spinlock.h"

#define ETH_ALEN 6
#define ETH_FRAME_MAX 1514 /* without FCS, which the NICs append */
#define NETDEV_MAX 4

struct net_device;

/* Receives one frame from poll(); frame is valid only during the call. */
typedef void (*netdev_rx_fn)(struct net_device *dev, const void *frame, size_t len, void *ctx);

struct net_device_ops {
	/* Resets the NIC into a known state and starts transmit and receive.
	 * Called at boot, and again from the oops path when the device must be
	 * brought up late or recovered. Returns 0 or a negative error. */
	int (*open)(struct net_device *dev);
	/* Copies the frame into the transmit ring and starts it. A full ring is
	 * reaped and waited on for a bounded time; then returns -1 (dropped). */
	int (*transmit)(struct net_device *dev, const void *frame, size_t len);
	/* Like transmit, but the NIC need not be told yet: queued frames go out,
	 * in order, at the next kick() or transmit(). A sender with several
	 * frames ready pays for one doorbell; a NIC without a shared doorbell
	 * (rtl8139) starts each frame at once. */
	int (*queue)(struct net_device *dev, const void *frame, size_t len);
	void (*kick)(struct net_device *dev);
	/* Reaps transmit completions and hands each received frame to
	 * dev->rx_handler. Handles at most budget received frames. */
	void (*poll)(struct net_device *dev, unsigned budget);
	/* Unmasks (on) or masks (off) the device's interrupt sources. */
	void (*irq_enable)(struct net_device *dev, bool on);
	bool (*link_up)(struct net_device *dev);
};

struct net_device_stats {
	uint32_t tx_packets, tx_dropped, rx_packets, rx_dropped, interrupts;
};

struct net_device {
	char name[8];
	const char *driver; /* "e1000", "rtl8139" */
	uint8_t mac[ETH_ALEN];
	uint8_t irq;
	uint8_t pci_bus, pci_slot, pci_func;
	const struct net_device_ops *ops;
	void *priv;
	struct spinlock lock;
	netdev_rx_fn rx_handler;
	void *rx_ctx;
	bool up; /* open() succeeded */
	struct net_device_stats stats;
};

/* Boot, normal context: names the device ethN, prints its line, keeps it. */
int netdev_register(struct net_device *dev);
/* Any context. NULL when no such device. */
struct net_device *netdev_by_name(const char *name, size_t len);
struct net_device *netdev_get(unsigned index);
unsigned netdev_count(void);

#endif
