#include "drivers/netdev.h"

#include "kernel/format.h"
#include "kernel/printk.h"
#include "kernel/string.h"

static struct net_device *devices[NETDEV_MAX];
static unsigned device_count;

int netdev_register(struct net_device *dev)
{
	if (device_count == NETDEV_MAX) {
		pr_err("netdev: no room for another %s device\n", dev->driver);
		return -1;
	}
	ksnprintf(dev->name, sizeof(dev->name), "eth%u", device_count);
	devices[device_count++] = dev;
	pr_info("%s: %s at %02x:%02x.%x, mac %02x:%02x:%02x:%02x:%02x:%02x, irq %u\n", dev->name,
		dev->driver, dev->pci_bus, dev->pci_slot, dev->pci_func, dev->mac[0], dev->mac[1],
		dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5], dev->irq);
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
