/* The polled net-device interface every NIC driver implements, the registry
 * that names devices eth0, eth1, ... in probe order, and the one rule for
 * using a device from any context: netdev_claim() / netdev_release().
 *
 * Contexts: every op works with interrupts disabled, never sleeps and never
 * waits without bound, so it may be called from normal, IRQ and oops
 * context, always between netdev_claim() and netdev_release() (link_up, one
 * side-effect-free register read, excepted). Drivers never claim inside
 * their ops; their interrupt handler claims (netdev_poll_irq) around its own
 * poll. Ops that return int return 0 or a negative error (kernel/errno.h). */
#ifndef DRIVERS_NETDEV_H
#define DRIVERS_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/errno.h"
#include "kernel/spinlock.h"

#define ETH_ALEN 6
#define ETH_FRAME_MAX 1514 /* without FCS, which the NICs append */
#define NETDEV_MAX 4

struct net_device;
struct pci_device;

/* Receives one frame from poll(), with the device claimed; frame is valid
 * only during the call. */
typedef void (*netdev_rx_fn)(struct net_device *dev, const void *frame, size_t len);

struct net_device_ops {
	/* Resets the NIC into a known state and starts transmit and receive.
	 * Called by netdev_open() at boot, and by netdev_claim() in an oops
	 * when the device must be recovered. Returns 0 or a negative error. */
	int (*open)(struct net_device *dev);
	/* Copies the frame into the transmit ring. The NIC need not be told
	 * yet: queued frames go out, in order, at the next kick(). A sender
	 * with several frames ready pays for one doorbell; a NIC without a
	 * shared doorbell (rtl8139) starts each frame at once. A full ring is
	 * reaped and waited on for a bounded time; then returns -ENOBUFS. */
	int (*queue)(struct net_device *dev, const void *frame, size_t len);
	/* queue() in two steps, for a sender that builds the frame in place
	 * (one copy of its bytes instead of two): tx_buffer() returns the
	 * next transmit slot's buffer (ETH_FRAME_MAX bytes), reaping and
	 * waiting as queue() does, or NULL (the drop counted) when none comes
	 * free or the device is down; tx_commit() then queues the len bytes
	 * written there, as queue() would. Nothing but tx_commit() may come
	 * between them. */
	void *(*tx_buffer)(struct net_device *dev);
	int (*tx_commit)(struct net_device *dev, size_t len);
	void (*kick)(struct net_device *dev);
	/* Reaps transmit completions and hands each received frame to
	 * dev->rx_handler. Handles at most budget received frames. */
	void (*poll)(struct net_device *dev, unsigned budget);
	/* One register read with no side effects: needs no claim. */
	bool (*link_up)(struct net_device *dev);
};

struct net_device_stats {
	uint32_t tx_packets, tx_dropped, rx_packets, rx_dropped;
};

struct net_device {
	char name[8];
	const char *driver; /* "e1000", "rtl8139" */
	uint8_t mac[ETH_ALEN];
	uint8_t irq;
	uint8_t pci_bus, pci_slot, pci_func;
	const struct net_device_ops *ops;
	void *priv;
	struct spinlock lock; /* netdev_claim() only */
	netdev_rx_fn rx_handler;
	/* Written only by netdev.c: open() succeeded and the device may be used. */
	bool up;
	bool oops_reset; /* netdev_claim() has reset it in this oops */
	struct net_device_stats stats;
};

/* The state netdev_claim() hands to netdev_release(). */
struct netdev_claim {
	uint32_t flags;
	bool held;
};

/* Any context, the oops included: makes the caller the only user of dev's
 * ops until netdev_release(), with interrupts off. In normal and IRQ
 * context it waits for whoever uses the device. In an oops, a device in use
 * by a context the oops froze on this CPU, or by a CPU the panic stopped,
 * is taken over instead (one that another CPU still uses is waited for, at
 * most SMP_TAKE_OVER_BOUND_MS: spin_lock_or_take_over()), and since its
 * holder may have stopped half-way through a driver update, it is reset
 * (ops->open), at most once per device per oops. Returns whether the device
 * is up; release it either way. Claims do not nest. */
bool netdev_claim(struct net_device *dev, struct netdev_claim *claim);
void netdev_release(struct net_device *dev, struct netdev_claim *claim);
/* Oops context, with dev claimed: a device that keeps failing (a stuck
 * transmit ring) is reset, within the same once-per-oops budget. Returns
 * whether it was reset and is up. */
bool netdev_recover(struct net_device *dev);

/* Boot, normal context: opens dev unless it is up. Returns 0 or the
 * driver's negative error. */
int netdev_open(struct net_device *dev);

/* Boot, normal context: names the device ethN, prints its line, keeps it.
 * Returns 0 or -ENOSPC. */
int netdev_register(struct net_device *dev);
/* Boot, from a driver's PCI probe, once dev->driver, ops, priv and mac are
 * set: records the PCI address, registers dev and its interrupt handler. */
int netdev_register_pci(struct net_device *dev, const struct pci_device *pci,
			void (*interrupt)(unsigned irq, void *ctx), void *ctx);
/* IRQ context, from a driver's interrupt handler for an interrupt of its
 * own: polls the device (budget frames) with it claimed. */
void netdev_poll_irq(struct net_device *dev, unsigned budget);

/* Drivers' queue op, first: 0 when dev is up and len a frame it can send;
 * otherwise the drop is counted and the error (-ENETDOWN, -EINVAL) returned. */
int netdev_tx_admit(struct net_device *dev, size_t len);
/* Drivers' queue op: counts a dropped frame and returns err. */
int netdev_tx_drop(struct net_device *dev, int err);
/* Drivers' queue op, for a driver with tx_buffer() and tx_commit(): the
 * frame admitted, copied into the buffer the next descriptor owns and
 * committed. Same contexts as queue(). */
int netdev_tx_copy(struct net_device *dev, const void *frame, size_t len);

/* Drivers, any context: calls done(arg) every step_us until it returns true
 * (then true) or timeout_us have passed (then false). Bounded busy wait. */
bool netdev_wait(bool (*done)(void *arg), void *arg, uint32_t timeout_us, uint32_t step_us);

/* Any context. NULL when no such device. */
struct net_device *netdev_by_name(const char *name, size_t len);
struct net_device *netdev_get(unsigned index);
unsigned netdev_count(void);

#endif
