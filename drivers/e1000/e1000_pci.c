#include "drivers/e1000/e1000.h"

#include "kernel/crash_point.h"
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

	(void)irq;
	if (!e1000_read_interrupt_cause(nic))
		return; /* the line is shared and this NIC did not raise it */
	crash_hook(CRASH_POINT_NIC_IRQ);
	netdev_poll_irq(dev, E1000_IRQ_BUDGET);
}

static int e1000_probe(struct pci_device *pci)
{
	struct e1000 *nic;
	int err;

	if (e1000_count == E1000_MAX_DEVICES) {
		pr_err("e1000: only %u devices supported\n", E1000_MAX_DEVICES);
		return -ENOSPC;
	}
	if (pci->bar_is_io[0] || pci->bar[0] == 0) {
		pr_err("e1000: BAR0 is not a memory BAR\n");
		return -ENODEV;
	}
	pci_enable(pci);
	nic = &e1000_devices[e1000_count];
	err = e1000_init(nic, (volatile void *)(uintptr_t)pci->bar[0]);
	if (err)
		return err;
	nic->netdev.driver = "e1000";
	nic->netdev.ops = &e1000_ops;
	nic->netdev.priv = nic;
	err = netdev_register_pci(&nic->netdev, pci, e1000_interrupt, nic);
	if (err)
		return err;
	e1000_count++;
	return 0;
}

static const struct pci_driver e1000_driver = {
	.name = "e1000",
	.vendor = E1000_VENDOR_INTEL,
	.device = E1000_DEVICE_82540EM,
	.probe = e1000_probe,
};
PCI_DRIVER(e1000_driver);
