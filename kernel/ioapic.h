/* The I/O APIC: routes an ISA/PCI interrupt line to one CPU's local APIC,
 * with the polarity and trigger the MADT gives for it, or as an NMI to a set
 * of CPUs (the NMI watchdog's). ioapic_init(), ioapic_route() and
 * ioapic_route_nmi() are for normal context at boot (kernel/irq.c and
 * kernel/watchdog.c call them); ioapic_mask_nmi() may run in any context, NMI
 * and oops included; nothing else runs at interrupt time, since the local
 * APIC takes the EOI. */
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
/* Delivers ISA line irq as an NMI (edge, as the 82093AA requires for NMI)
 * to the local APICs destination names: with logical, the flat logical IDs
 * whose bits it sets (kernel/apic.h), else the one physical APIC ID. False
 * when the line has no pin here. */
bool ioapic_route_nmi(unsigned irq, uint8_t destination, bool logical);
/* Masks the pin ioapic_route_nmi() set for ISA line irq: one constant
 * written, so CPUs may race on it. */
void ioapic_mask_nmi(unsigned irq);

#endif
