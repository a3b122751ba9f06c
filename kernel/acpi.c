#include "kernel/acpi.h"

#include "kernel/fwtable.h"
#include "kernel/printk.h"
#include "kernel/string.h"

/* ACPI 6.x, 5.2.5 (RSDP), 5.2.7 (RSDT), 5.2.12 (MADT). */
#define EBDA_SEGMENT_POINTER 0x40e
#define BIOS_AREA_START 0xe0000
#define BIOS_AREA_END 0x100000
#define RSDP_V1_LENGTH 20
#define SDT_HEADER_LENGTH 36
#define MADT_ENTRIES_OFFSET 44
#define MADT_LOCAL_APIC 0
#define MADT_IO_APIC 1
#define MADT_INTERRUPT_OVERRIDE 2
#define MADT_LAPIC_ENABLED 0x1
#define MPS_POLARITY_MASK 0x3
#define MPS_POLARITY_LOW 0x3
#define MPS_TRIGGER_MASK 0xc
#define MPS_TRIGGER_LEVEL 0xc

static struct acpi_madt_info madt;

static const uint8_t *scan_rsdp(uint32_t start, uint32_t end)
{
	for (uint32_t at = start; at + RSDP_V1_LENGTH <= end; at += 16) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)at;
		if (!memcmp(p, "RSD PTR ", 8) && fw_checksum_ok(p, RSDP_V1_LENGTH))
			return p;
	}
	return NULL;
}

static const uint8_t *find_rsdp(void)
{
	/* Hidden from the compiler, which takes a pointer this low for NULL. */
	uintptr_t pointer = EBDA_SEGMENT_POINTER;
	__asm__("" : "+r"(pointer));
	uint32_t ebda = (uint32_t) * (const volatile uint16_t *)pointer << 4;
	const uint8_t *rsdp = NULL;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		rsdp = scan_rsdp(ebda, ebda + 1024);
	return rsdp ? rsdp : scan_rsdp(BIOS_AREA_START, BIOS_AREA_END);
}

static const uint8_t *find_table(const uint8_t *rsdt, const char *signature)
{
	uint32_t len = fw_le32(rsdt + 4);
	if (len < SDT_HEADER_LENGTH || !fw_checksum_ok(rsdt, len))
		return NULL;
	for (uint32_t at = SDT_HEADER_LENGTH; at + 4 <= len; at += 4) {
		const uint8_t *table = (const uint8_t *)(uintptr_t)fw_le32(rsdt + at);
		if (!memcmp(table, signature, 4) && fw_checksum_ok(table, fw_le32(table + 4)))
			return table;
	}
	return NULL;
}

static void add_cpu(const uint8_t *entry)
{
	if (!(fw_le32(entry + 4) & MADT_LAPIC_ENABLED))
		return;
	if (madt.cpu_count == ACPI_MAX_CPUS) {
		madt.cpus_ignored++;
		return;
	}
	madt.cpu_apic_ids[madt.cpu_count++] = entry[3];
}

static void add_override(const uint8_t *entry)
{
	uint8_t irq = entry[3];
	uint16_t flags = (uint16_t)(entry[8] | entry[9] << 8);
	if (entry[2] != 0 || irq >= ACPI_ISA_IRQS)
		return;
	madt.isa[irq] = (struct acpi_irq_route){
		.gsi = fw_le32(entry + 4),
		.active_low = (flags & MPS_POLARITY_MASK) == MPS_POLARITY_LOW,
		.level = (flags & MPS_TRIGGER_MASK) == MPS_TRIGGER_LEVEL,
	};
}

void acpi_madt_init(void)
{
	for (unsigned irq = 0; irq < ACPI_ISA_IRQS; irq++)
		madt.isa[irq] = (struct acpi_irq_route){.gsi = irq};
	const uint8_t *rsdp = find_rsdp();
	const uint8_t *table =
		rsdp ? find_table((const uint8_t *)(uintptr_t)fw_le32(rsdp + 16), "APIC") : NULL;
	if (!table) {
		pr_info("ACPI: no MADT found, one CPU assumed\n");
		return;
	}
	uint32_t len = fw_le32(table + 4);
	madt.lapic_address = fw_le32(table + SDT_HEADER_LENGTH);
	for (uint32_t at = MADT_ENTRIES_OFFSET; at + 2 <= len;) {
		const uint8_t *entry = table + at;
		if (entry[1] < 2 || at + entry[1] > len)
			break;
		if (entry[0] == MADT_LOCAL_APIC && entry[1] >= 8)
			add_cpu(entry);
		else if (entry[0] == MADT_IO_APIC && entry[1] >= 12 && !madt.ioapic_address) {
			madt.ioapic_address = fw_le32(entry + 4);
			madt.ioapic_gsi_base = fw_le32(entry + 8);
		} else if (entry[0] == MADT_INTERRUPT_OVERRIDE && entry[1] >= 10)
			add_override(entry);
		at += entry[1];
	}
	madt.found = madt.cpu_count > 0;
	pr_info("ACPI: MADT: %u CPU%s, local APIC at %08x, I/O APIC at %08x (GSI base %u)\n",
		madt.cpu_count, madt.cpu_count == 1 ? "" : "s", madt.lapic_address,
		madt.ioapic_address, madt.ioapic_gsi_base);
	if (madt.cpus_ignored)
		pr_warn("ACPI: %u more CPUs than the kernel's %u ignored\n", madt.cpus_ignored,
			ACPI_MAX_CPUS);
}

const struct acpi_madt_info *acpi_madt(void)
{
	return &madt;
}
