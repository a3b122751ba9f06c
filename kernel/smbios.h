/* The machine's name from the SMBIOS tables the firmware leaves in memory
 * (entry point "_SM3_" or "_SM_" in 0xF0000-0xFFFFF), formatted as Linux's
 * DMI code does for "DMI:" at boot and "Hardware name:" in oopses: system
 * manufacturer and product, "/board" when there is one, ", BIOS " version
 * and date. A pure parser that reads memory through an accessor: any
 * context, host-testable; kernel/dmi.h calls it once at boot. */
#ifndef KERNEL_SMBIOS_H
#define KERNEL_SMBIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the entry point may lie (SMBIOS 3.x, 5.2.1 and 5.2.2). */
#define SMBIOS_SCAN_START 0xF0000u
#define SMBIOS_SCAN_END 0x100000u
/* Linux keeps the description in 128 bytes (dmi_ids_string). */
#define SMBIOS_NAME_MAX 128

/* Returns a pointer to len readable bytes at physical address phys, or
 * NULL when they cannot be read. */
typedef const uint8_t *(*smbios_map_fn)(uint32_t phys, uint32_t len, void *ctx);

/* Finds the tables and writes the description into out (NUL-terminated,
 * cut at size - 1 bytes). False, with out empty, when there are no valid
 * tables. */
bool smbios_describe(smbios_map_fn map, void *ctx, char *out, size_t size);

#endif
