#include "drivers/e1000/e1000.h"

#include "kernel/crash_point.h"
#include "kernel/irq.h"
#include "kernel/pci.h"
#include "kernel/printk.h"

#define E1000_VENDOR_INTEL 0x8086
#define E1000_DEVICE_82540EM 0x100e
/* Frames handled per interrupt, so a flood cannot hold the CPU forever. */
#define E1000_IRQ_BUDGET 64

static struct e1000 e1000_devices[E1000_MAX_DEVICES];
static unsigned e1000_count;

static void e1000_interrupt(unsigned irq, void *ctx)
{
	struct e1000 *nic = ctx;
	struct net_device *dev = &nic->netdev;
	uint32_t flags;

	(void)irq;
	if (!e1000_read_interrupt_cause(nic))
		return; /* the line is shared and this NIC did not raise it */
	dev->stats.interrupts++;
	crash_hook(CRASH_POINT_NIC_IRQ);
	flags = spin_lock_irqsave(&dev->lock);
	dev->ops->poll(dev, E1000_IRQ_BUDGET);
	spin_unlock_irqrestore(&dev->lock, flags);
}

static int e1000_probe(struct pci_device *pci)
{
	struct e1000 *nic;
	struct net_device *dev;

	if (e1000_count == E1000_MAX_DEVICES) {
		pr_err("e1000: only %u devices supported\n", E1000_MAX_DEVICES);
		return -1;
	}
	if (pci->bar_is_io[0] || pci->bar[0] == 0) {
		pr_err("e1000: BAR0 is not a memory BAR\n");
		return -1;
	}
	pci_enable(pci);
	nic = &e1000_devices[e1000_count];
	if (e1000_init(nic, (volatile void *)(uintptr_t)pci->bar[0]) != 0)
		return -1;

	dev = &nic->netdev;
	dev->driver = "e1000";
	dev->irq = pci->irq;
	dev->pci_bus = pci->bus;
	dev->pci_slot = pci->slot;
	dev->pci_func = pci->func;
	dev->ops = &e1000_ops;
	dev->priv = nic;
	dev->lock = (struct spinlock)SPINLOCK_INIT;
	if (netdev_register(dev) != 0)
		return -1;
	e1000_count++;
	if (pci->irq < IRQ_LINES)
		irq_register(pci->irq, e1000_interrupt, nic);
	else
		pr_err("%s: no interrupt line, polled only\n", dev->name);
	return 0;
}

static const struct pci_driver e1000_driver = {
	.name = "e1000",
	.vendor = E1000_VENDOR_INTEL,
	.device = E1000_DEVICE_82540EM,
	.probe = e1000_probe,
};
PCI_DRIVER(e1000_driver);
