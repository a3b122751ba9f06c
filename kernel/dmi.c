#include "kernel/dmi.h"

#include "kernel/paging.h"
#include "kernel/printk.h"
#include "kernel/smbios.h"

/* Linux prints no Hardware name: line without DMI; a report read far from
 * the machine is clearer with one that says what is missing. */
#define NO_TABLES "Unknown (no SMBIOS tables)"

static char description[SMBIOS_NAME_MAX];

/* All 4 GiB are identity mapped except the pages paging leaves out. */
static const uint8_t *map_physical(uint32_t phys, uint32_t len, void *ctx)
{
	(void)ctx;
	if (!len || !paging_mapped(phys, len))
		return NULL;
	return (const uint8_t *)(uintptr_t)phys;
}

void dmi_setup(void)
{
	if (smbios_describe(map_physical, NULL, description, sizeof(description)))
		printk(KERN_INFO "DMI: %s\n", description);
	else
		printk(KERN_INFO "DMI not present or invalid.\n");
}

const char *dmi_hardware_name(void)
{
	return description[0] ? description : NO_TABLES;
}
