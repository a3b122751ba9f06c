#include "kernel/ioapic.h"

#include <stddef.h>

#include "kernel/acpi.h"
#include "kernel/io.h"

/* 82093AA I/O APIC datasheet: index and data window, version register,
 * redirection table entries of two 32-bit halves from register 0x10. */
#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIRECTION 0x10
#define REDIR_ACTIVE_LOW 0x2000
#define REDIR_LEVEL 0x8000
#define REDIR_MASKED 0x10000
#define REDIR_DELIVERY_NMI 0x400
#define REDIR_DEST_LOGICAL 0x800

static volatile uint8_t *ioapic;
static uint32_t first_gsi;
static unsigned pins;

static uint32_t ioapic_read(uint32_t reg)
{
	mmio_write32(ioapic, IOREGSEL, reg);
	return mmio_read32(ioapic, IOWIN);
}

static void ioapic_write(uint32_t reg, uint32_t value)
{
	mmio_write32(ioapic, IOREGSEL, reg);
	mmio_write32(ioapic, IOWIN, value);
}

void ioapic_init(uint32_t address, uint32_t gsi_base)
{
	ioapic = (volatile uint8_t *)(uintptr_t)address;
	first_gsi = gsi_base;
	pins = ((ioapic_read(IOAPIC_VERSION) >> 16) & 0xff) + 1;
	for (unsigned pin = 0; pin < pins; pin++)
		ioapic_write(IOAPIC_REDIRECTION + 2 * pin, REDIR_MASKED);
}

bool ioapic_ready(void)
{
	return ioapic != NULL;
}

/* The pin of ISA line irq (through its MADT override), or -1. */
static int isa_pin(unsigned irq)
{
	if (!ioapic || irq >= ACPI_ISA_IRQS)
		return -1;
	const struct acpi_irq_route *route = &acpi_madt()->isa[irq];
	if (route->gsi < first_gsi || route->gsi - first_gsi >= pins)
		return -1;
	return (int)(route->gsi - first_gsi);
}

bool ioapic_route(unsigned irq, uint8_t vector, uint8_t apic_id)
{
	int pin = isa_pin(irq);
	if (pin < 0)
		return false;
	const struct acpi_irq_route *route = &acpi_madt()->isa[irq];
	uint32_t low = vector | (route->active_low ? REDIR_ACTIVE_LOW : 0) |
		       (route->level ? REDIR_LEVEL : 0);
	ioapic_write(IOAPIC_REDIRECTION + 2 * (uint32_t)pin + 1, (uint32_t)apic_id << 24);
	ioapic_write(IOAPIC_REDIRECTION + 2 * (uint32_t)pin, low);
	return true;
}

/* The low half of each pin's NMI entry, so that ioapic_mask() writes a
 * constant (no read-modify-write through the shared index register). */
static uint32_t nmi_entry[ACPI_ISA_IRQS];

bool ioapic_route_nmi(unsigned irq, uint8_t destination, bool logical)
{
	int pin = isa_pin(irq);
	if (pin < 0)
		return false;
	nmi_entry[irq] = REDIR_DELIVERY_NMI | (logical ? REDIR_DEST_LOGICAL : 0) |
			 (acpi_madt()->isa[irq].active_low ? REDIR_ACTIVE_LOW : 0);
	ioapic_write(IOAPIC_REDIRECTION + 2 * (uint32_t)pin + 1, (uint32_t)destination << 24);
	ioapic_write(IOAPIC_REDIRECTION + 2 * (uint32_t)pin, nmi_entry[irq]);
	return true;
}

void ioapic_mask_nmi(unsigned irq)
{
	int pin = isa_pin(irq);
	if (pin >= 0)
		ioapic_write(IOAPIC_REDIRECTION + 2 * (uint32_t)pin, nmi_entry[irq] | REDIR_MASKED);
}
