/* The CPUs and interrupt controllers the firmware describes in the ACPI MADT
 * (found through the RSDP in the EBDA or the BIOS area and the RSDT).
 * acpi_madt_init() runs once at boot, normal context, before paging (the
 * BIOS data area that points to the EBDA is in page 0, which paging leaves
 * unmapped); acpi_madt() may then be read from any context. */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_MAX_CPUS 8
#define ACPI_ISA_IRQS 16

/* How an ISA IRQ reaches the I/O APIC: its global system interrupt and
 * its polarity and trigger (MADT interrupt source override, else ISA's
 * active-high edge). */
struct acpi_irq_route {
	uint32_t gsi;
	bool active_low, level;
};

struct acpi_madt_info {
	bool found;
	uint32_t lapic_address;
	unsigned cpu_count; /* enabled processors, boot CPU first as listed */
	uint8_t cpu_apic_ids[ACPI_MAX_CPUS];
	unsigned cpus_ignored; /* enabled beyond ACPI_MAX_CPUS */
	uint32_t ioapic_address; /* 0 when none */
	uint32_t ioapic_gsi_base;
	struct acpi_irq_route isa[ACPI_ISA_IRQS];
};

/* Reads the MADT; found stays false (and one CPU is assumed) without one. */
void acpi_madt_init(void);
const struct acpi_madt_info *acpi_madt(void);

#endif
