/* The machine's description, read once from the firmware's SMBIOS tables
 * (kernel/smbios.h) as Linux's dmi_setup() does: dmi_setup() runs at boot
 * in normal context, after paging_init(); dmi_hardware_name() is safe from
 * any context, the oops included (it only reads what boot stored). */
#ifndef KERNEL_DMI_H
#define KERNEL_DMI_H

/* Prints "DMI: <description>", or "DMI not present or invalid." as Linux
 * does. */
void dmi_setup(void);
/* The text of the oops's "Hardware name:" line: the description, or, when
 * there are no tables (or before dmi_setup()), words saying so. */
const char *dmi_hardware_name(void);

#endif
