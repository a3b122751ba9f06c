/* The I/O APIC: routes an ISA/PCI interrupt line to one CPU's local APIC,
 * with the polarity and trigger the MADT gives for it. ioapic_init() and
 * ioapic_route() are for normal context at boot (kernel/irq.c calls them);
 * nothing here runs at interrupt time, since the local APIC takes the EOI. */
#ifndef KERNEL_IOAPIC_H
#define KERNEL_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Maps the I/O APIC at address and masks every pin. */
void ioapic_init(uint32_t address, uint32_t gsi_base);
bool ioapic_ready(void);
/* Delivers ISA line irq (through its MADT override) as vector to the local
 * APIC apic_id, unmasked. False when the line has no pin here. */
bool ioapic_route(unsigned irq, uint8_t vector, uint8_t apic_id);

#endif
