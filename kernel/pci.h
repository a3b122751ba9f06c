/* PCI configuration mechanism #1 (ports 0xCF8/0xCFC): bus scan, BAR decoding,
 * and binding of devices to the drivers declared with PCI_DRIVER(). Normal
 * context only (boot); the config accessors are also safe in the oops path. */
#ifndef KERNEL_PCI_H
#define KERNEL_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_BARS 6

struct pci_device {
	uint8_t bus, slot, func;
	uint16_t vendor, device;
	uint8_t irq; /* interrupt line as the firmware routed it, 0xff when none */
	uint32_t bar[PCI_BARS]; /* base address, flag bits masked off */
	bool bar_is_io[PCI_BARS];
};

struct pci_driver {
	const char *name;
	uint16_t vendor, device;
	/* Called once per matching device at boot; returns 0 when it bound. */
	int (*probe)(struct pci_device *dev);
};

/* Puts a driver in the table pci_scan() matches against. */
#define PCI_DRIVER(var)                                   \
	static const struct pci_driver *const var##_entry \
		__attribute__((used, section(".pci_drivers"))) = &var

uint32_t pci_read32(const struct pci_device *dev, uint8_t offset);
uint16_t pci_read16(const struct pci_device *dev, uint8_t offset);
uint8_t pci_read8(const struct pci_device *dev, uint8_t offset);
void pci_write16(const struct pci_device *dev, uint8_t offset, uint16_t value);

/* Turns on I/O and memory decoding and bus mastering. */
void pci_enable(struct pci_device *dev);
/* Scans bus 0..255 and probes a driver for every device one matches. */
void pci_scan(void);

#endif
