#include "kernel/pci.h"

#include "kernel/io.h"
#include "kernel/printk.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CONFIG_ENABLE 0x80000000u

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_INTERRUPT_LINE 0x3c

#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)

#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_TYPE_NORMAL 0x00
#define PCI_HEADER_MULTIFUNCTION 0x80

#define PCI_BAR_IO (1u << 0)
#define PCI_BAR_IO_MASK 0xfffffffcu
#define PCI_BAR_MEM_TYPE_MASK 0x6u
#define PCI_BAR_MEM_TYPE_64 0x4u
#define PCI_BAR_MEM_MASK 0xfffffff0u

#define PCI_VENDOR_NONE 0xffff
#define PCI_SLOTS 32
#define PCI_FUNCS 8
/* Probed devices are kept here so that drivers may hold on to them. */
#define PCI_MAX_BOUND 16

/* Defined by boot/linker.ld around the .pci_drivers section. The start
 * symbol may sit before the padding that aligns the first entry, so it is
 * declared as bytes and rounded up to the entries' alignment. */
extern const char __pci_drivers_start[];
extern const char __pci_drivers_end[];

static struct pci_device bound_devices[PCI_MAX_BOUND];
static unsigned bound_count;

static uint32_t config_address(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset)
{
	return PCI_CONFIG_ENABLE | (uint32_t)bus << 16 | (uint32_t)(slot & 0x1f) << 11 |
	       (uint32_t)(func & 0x7) << 8 | (offset & 0xfc);
}

static uint32_t config_read32(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset)
{
	outl(PCI_CONFIG_ADDRESS, config_address(bus, slot, func, offset));
	return inl(PCI_CONFIG_DATA);
}

uint32_t pci_read32(const struct pci_device *dev, uint8_t offset)
{
	return config_read32(dev->bus, dev->slot, dev->func, offset);
}

uint16_t pci_read16(const struct pci_device *dev, uint8_t offset)
{
	return (uint16_t)(pci_read32(dev, offset) >> ((offset & 2) * 8));
}

uint8_t pci_read8(const struct pci_device *dev, uint8_t offset)
{
	return (uint8_t)(pci_read32(dev, offset) >> ((offset & 3) * 8));
}

void pci_write16(const struct pci_device *dev, uint8_t offset, uint16_t value)
{
	/* A 16-bit access through the data window leaves the other half of
	 * the dword alone, which matters for status bits that clear on write. */
	outl(PCI_CONFIG_ADDRESS, config_address(dev->bus, dev->slot, dev->func, offset));
	outw((uint16_t)(PCI_CONFIG_DATA + (offset & 2)), value);
}

void pci_enable(struct pci_device *dev)
{
	uint16_t command = pci_read16(dev, PCI_COMMAND);

	command |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	pci_write16(dev, PCI_COMMAND, command);
}

static void decode_bars(struct pci_device *dev)
{
	for (unsigned i = 0; i < PCI_BARS; i++) {
		uint32_t raw = pci_read32(dev, (uint8_t)(PCI_BAR0 + 4 * i));

		if (raw & PCI_BAR_IO) {
			dev->bar_is_io[i] = true;
			dev->bar[i] = raw & PCI_BAR_IO_MASK;
			continue;
		}
		dev->bar_is_io[i] = false;
		dev->bar[i] = raw & PCI_BAR_MEM_MASK;
		if ((raw & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64 && i + 1 < PCI_BARS) {
			/* Only the low 4 GiB are mapped: a BAR placed above
			 * them is unusable, so report it as absent. */
			if (pci_read32(dev, (uint8_t)(PCI_BAR0 + 4 * (i + 1))) != 0)
				dev->bar[i] = 0;
			i++;
			dev->bar[i] = 0;
			dev->bar_is_io[i] = false;
		}
	}
}

static const struct pci_driver *find_driver(const struct pci_device *dev)
{
	const uintptr_t align = _Alignof(const struct pci_driver *);
	const struct pci_driver *const *drv =
		(const void *)(((uintptr_t)__pci_drivers_start + align - 1) & ~(align - 1));

	for (; (uintptr_t)drv < (uintptr_t)__pci_drivers_end; drv++) {
		if ((*drv)->vendor == dev->vendor && (*drv)->device == dev->device)
			return *drv;
	}
	return NULL;
}

static uint8_t header_type(uint8_t bus, uint8_t slot, uint8_t func)
{
	const struct pci_device where = {.bus = bus, .slot = slot, .func = func};

	return pci_read8(&where, PCI_HEADER_TYPE);
}

static void probe_function(uint8_t bus, uint8_t slot, uint8_t func, uint32_t id)
{
	struct pci_device found = {
		.bus = bus,
		.slot = slot,
		.func = func,
		.vendor = (uint16_t)id,
		.device = (uint16_t)(id >> 16),
	};
	const struct pci_driver *drv;
	struct pci_device *dev;

	if ((header_type(bus, slot, func) & PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_NORMAL)
		return;
	drv = find_driver(&found);
	if (!drv)
		return;
	if (bound_count == PCI_MAX_BOUND) {
		pr_err("pci: %02x:%02x.%x: too many devices, %s not probed\n", bus, slot, func,
		       drv->name);
		return;
	}
	dev = &bound_devices[bound_count];
	*dev = found;
	dev->irq = pci_read8(dev, PCI_INTERRUPT_LINE);
	decode_bars(dev);
	if (drv->probe(dev) == 0)
		bound_count++;
	else
		pr_err("pci: %02x:%02x.%x: %s probe failed\n", bus, slot, func, drv->name);
}

void pci_scan(void)
{
	for (unsigned bus = 0; bus < 256; bus++) {
		for (uint8_t slot = 0; slot < PCI_SLOTS; slot++) {
			uint8_t funcs = 1;

			if ((config_read32((uint8_t)bus, slot, 0, PCI_VENDOR_ID) & 0xffff) ==
			    PCI_VENDOR_NONE)
				continue;
			if (header_type((uint8_t)bus, slot, 0) & PCI_HEADER_MULTIFUNCTION)
				funcs = PCI_FUNCS;
			for (uint8_t func = 0; func < funcs; func++) {
				uint32_t id =
					config_read32((uint8_t)bus, slot, func, PCI_VENDOR_ID);

				if ((id & 0xffff) != PCI_VENDOR_NONE)
					probe_function((uint8_t)bus, slot, func, id);
			}
		}
	}
}
