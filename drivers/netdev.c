#include "drivers/netdev.h"

#include "kernel/format.h"
#include "kernel/irq.h"
#include "kernel/oops_audit.h"
#include "kernel/pci.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timer.h"

static struct net_device *devices[NETDEV_MAX];
static unsigned device_count;

/* The only writer of dev->up besides netdev_open(). */
static bool netdev_reset(struct net_device *dev)
{
	dev->up = false;
	dev->up = dev->ops->open(dev) == 0;
	return dev->up;
}

bool netdev_recover(struct net_device *dev)
{
	if (!oops_in_progress || dev->oops_reset)
		return false;
	dev->oops_reset = true;
	return netdev_reset(dev);
}

bool netdev_claim(struct net_device *dev, struct netdev_claim *claim)
{
	oops_audit_send();
	claim->held = spin_lock_or_take_over(&dev->lock, &claim->flags);
	/* The holder may have stopped between handing the NIC a frame and
	 * recording it, so the ring state is not to be trusted. */
	if (!claim->held)
		netdev_recover(dev);
	return dev->up;
}

void netdev_release(struct net_device *dev, struct netdev_claim *claim)
{
	spin_unlock_if_held(&dev->lock, claim->held, claim->flags);
}

int netdev_open(struct net_device *dev)
{
	struct netdev_claim claim;
	int err = 0;

	if (!netdev_claim(dev, &claim)) {
		err = dev->ops->open(dev);
		dev->up = err == 0;
	}
	netdev_release(dev, &claim);
	return err;
}

void netdev_poll_irq(struct net_device *dev, unsigned budget)
{
	struct netdev_claim claim;

	if (netdev_claim(dev, &claim))
		dev->ops->poll(dev, budget);
	netdev_release(dev, &claim);
}

int netdev_tx_admit(struct net_device *dev, size_t len)
{
	if (!dev->up)
		return netdev_tx_drop(dev, -ENETDOWN);
	if (len == 0 || len > ETH_FRAME_MAX)
		return netdev_tx_drop(dev, -EINVAL);
	return 0;
}

int netdev_tx_drop(struct net_device *dev, int err)
{
	dev->stats.tx_dropped++;
	return err;
}

int netdev_tx_copy(struct net_device *dev, const void *frame, size_t len)
{
	int err = netdev_tx_admit(dev, len);
	void *buf = err ? NULL : dev->ops->tx_buffer(dev);

	if (!buf)
		return err ? err : -ENOBUFS;
	memcpy(buf, frame, len);
	return dev->ops->tx_commit(dev, len);
}

bool netdev_wait(bool (*done)(void *arg), void *arg, uint32_t timeout_us, uint32_t step_us)
{
	for (uint32_t waited = 0;; waited += step_us) {
		if (done(arg))
			return true;
		if (waited >= timeout_us)
			return false;
		udelay(step_us);
	}
}

int netdev_register(struct net_device *dev)
{
	if (device_count == NETDEV_MAX) {
		pr_err("netdev: no room for another %s device\n", dev->driver);
		return -ENOSPC;
	}
	ksnprintf(dev->name, sizeof(dev->name), "eth%u", device_count);
	devices[device_count++] = dev;
	pr_info("%s: %s at %02x:%02x.%x, mac %02x:%02x:%02x:%02x:%02x:%02x, irq %u\n", dev->name,
		dev->driver, dev->pci_bus, dev->pci_slot, dev->pci_func, dev->mac[0], dev->mac[1],
		dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5], dev->irq);
	return 0;
}

int netdev_register_pci(struct net_device *dev, const struct pci_device *pci,
			void (*interrupt)(unsigned irq, void *ctx), void *ctx)
{
	dev->irq = pci->irq;
	dev->pci_bus = pci->bus;
	dev->pci_slot = pci->slot;
	dev->pci_func = pci->func;
	dev->lock = (struct spinlock)SPINLOCK_INIT;
	int err = netdev_register(dev);
	if (err)
		return err;
	if (pci->irq < IRQ_LINES)
		irq_register(pci->irq, interrupt, ctx);
	else
		pr_err("%s: no interrupt line, polled only\n", dev->name);
	return 0;
}

struct net_device *netdev_by_name(const char *name, size_t len)
{
	for (unsigned i = 0; i < device_count; i++) {
		struct net_device *dev = devices[i];

		if (strlen(dev->name) == len && memcmp(dev->name, name, len) == 0)
			return dev;
	}
	return NULL;
}

struct net_device *netdev_get(unsigned index)
{
	return index < device_count ? devices[index] : NULL;
}

unsigned netdev_count(void)
{
	return device_count;
}
