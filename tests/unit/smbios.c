/* Tests kernel/smbios.c, the SMBIOS reader behind "DMI:" and "Hardware
 * name:", on fake firmware memory: entry points built byte by byte as
 * DSP0134 lays them out (numbers written here, not taken from the parser),
 * the description formatted as Linux's dmi_format_ids() does, and broken
 * tables (checksums, truncation, no terminator) refused or cut safely. */
#include "tap.h"

#include "kernel/smbios.c"
#include "kernel/string.c"
#include "kernel/format.c"

#include <stdint.h>

#define AREA_BASE 0xF0000u
#define AREA_SIZE 0x10000u
#define TABLE_BASE 0x07FE0000u
#define TABLE_SIZE 4096u

static uint8_t area[AREA_SIZE];
static uint8_t table[TABLE_SIZE];
static size_t table_len;

static const uint8_t *map(uint32_t phys, uint32_t len, void *ctx)
{
	(void)ctx;
	if (phys >= AREA_BASE && phys - AREA_BASE + (uint64_t)len <= AREA_SIZE)
		return area + (phys - AREA_BASE);
	if (phys >= TABLE_BASE && phys - TABLE_BASE + (uint64_t)len <= TABLE_SIZE)
		return table + (phys - TABLE_BASE);
	return NULL;
}

static void reset(void)
{
	memset(area, 0, sizeof(area));
	memset(table, 0, sizeof(table));
	table_len = 0;
}

/* Appends a structure: type, formatted bytes after the 4-byte header, and
 * its strings (NULL-terminated list). */
static void add_structure(uint8_t type, const uint8_t *formatted, uint8_t formatted_len,
			  const char *const *strings)
{
	uint8_t *s = table + table_len;
	s[0] = type;
	s[1] = (uint8_t)(4 + formatted_len);
	s[2] = (uint8_t)table_len;
	s[3] = 0;
	memcpy(s + 4, formatted, formatted_len);
	size_t n = 4 + formatted_len;
	if (!strings || !strings[0])
		s[n++] = 0;
	for (; strings && *strings; strings++) {
		memcpy(s + n, *strings, strlen(*strings) + 1);
		n += strlen(*strings) + 1;
	}
	s[n++] = 0;
	table_len += n;
}

static void add_bios(const char *version, const char *date)
{
	/* vendor = 1, version = 2, start segment, date = 3, ROM size */
	const uint8_t f[] = {1, 2, 0x00, 0xe8, 3, 0};
	const char *strings[] = {"SeaBIOS", version, date, NULL};
	add_structure(0, f, sizeof(f), strings);
}

static void add_system(const char *manufacturer, const char *product)
{
	/* manufacturer = 1, product = 2, version = 0, serial = 0 */
	const uint8_t f[] = {1, 2, 0, 0};
	const char *strings[] = {manufacturer, product, NULL};
	add_structure(1, f, sizeof(f), strings);
}

static void add_end(void)
{
	add_structure(127, NULL, 0, NULL);
}

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;
	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)(0x100 - sum);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A 2.x entry point at offset off of the area (31 bytes). */
static void entry_2x(uint32_t off, uint16_t structures)
{
	uint8_t *e = area + off;
	memcpy(e, "_SM_", 4);
	e[5] = 0x1f;
	e[6] = 2;
	e[7] = 8;
	memcpy(e + 0x10, "_DMI_", 5);
	e[0x16] = (uint8_t)table_len;
	e[0x17] = (uint8_t)(table_len >> 8);
	put32(e + 0x18, TABLE_BASE);
	e[0x1c] = (uint8_t)structures;
	e[0x1d] = (uint8_t)(structures >> 8);
	fix_checksum(e + 0x10, 15, 5);
	fix_checksum(e, 0x1f, 4);
}

/* A 3.x entry point at offset off of the area (24 bytes). */
static void entry_3x(uint32_t off)
{
	uint8_t *e = area + off;
	memcpy(e, "_SM3_", 5);
	e[6] = 0x18;
	e[7] = 3;
	e[10] = 1;
	put32(e + 0x0c, (uint32_t)table_len);
	put32(e + 0x10, TABLE_BASE);
	put32(e + 0x14, 0);
	fix_checksum(e, 0x18, 5);
}

static const char *describe(void)
{
	static char out[SMBIOS_NAME_MAX];
	memset(out, 'Z', sizeof(out));
	if (!smbios_describe(map, NULL, out, sizeof(out)))
		return out[0] == '\0' ? "(none)" : "(none, but text left)";
	return out;
}

static void qemu_tables(void)
{
	reset();
	add_bios("1.16.2-debian-1.16.2-1", "04/01/2014");
	add_system("QEMU", "Standard PC (i440FX + PIIX, 1996)");
	add_end();
}

int main(void)
{
	plan(14);

	qemu_tables();
	entry_2x(0x5b0, 3);
	is_str(describe(),
	       "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
	       "2.x entry point: Linux's line for QEMU's i440FX machine");

	qemu_tables();
	entry_3x(0x9f0);
	is_str(describe(),
	       "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
	       "3.x entry point");

	qemu_tables();
	entry_2x(0x100, 3);
	area[0x100 + 0x1e] ^= 1;
	is_str(describe(), "(none)", "2.x entry point with a bad checksum: no tables");

	qemu_tables();
	entry_2x(0x100, 3);
	area[0x100 + 0x18] += 1; /* table address: the _DMI_ checksum is wrong */
	area[0x100 + 0x0f] -= 1; /* outside _DMI_: the outer checksum still holds */
	is_str(describe(), "(none)", "bad _DMI_ intermediate checksum: no tables");

	reset();
	is_str(describe(), "(none)", "no entry point at all");

	qemu_tables();
	entry_2x(0x108, 3);
	is_str(describe(), "(none)", "an entry point off the 16-byte grid is not found");

	/* A 3.x entry point anywhere wins over a 2.x one before it. */
	reset();
	add_bios("3x-bios", "01/01/2020");
	add_system("Three", "Point");
	add_end();
	entry_3x(0x800);
	entry_2x(0x100, 1); /* one structure only: the BIOS */
	is_str(describe(), "Three Point, BIOS 3x-bios 01/01/2020", "3.x preferred to 2.x");
	area[0x800] = 0;
	is_str(describe(), " , BIOS 3x-bios 01/01/2020",
	       "2.x structure count honoured: no system structure, empty names as Linux");

	reset();
	add_bios("b", "d");
	add_system("Vendor", "Box");
	{
		const uint8_t f[] = {1, 2, 0, 0};
		const char *strings[] = {"Board Maker", "Board 9", NULL};
		add_structure(2, f, sizeof(f), strings);
	}
	add_end();
	entry_3x(0);
	is_str(describe(), "Vendor Box/Board 9, BIOS b d", "a board name follows a slash");

	reset();
	add_bios("   ", "d\x01\x7f");
	{
		const uint8_t f[] = {0, 1, 0, 0}; /* no manufacturer string */
		const char *strings[] = {"Tab\there", NULL};
		add_structure(1, f, sizeof(f), strings);
	}
	add_end();
	entry_3x(0);
	is_str(describe(), " Tab\\x09here, BIOS  d\\x01\\x7f",
	       "absent and all-space strings empty, unprintable bytes as \\xNN");

	reset();
	{
		static char longname[300];
		memset(longname, 'L', sizeof(longname) - 1);
		add_bios("v", "d");
		add_system(longname, "P");
		add_end();
	}
	entry_3x(0);
	ok(strlen(describe()) == SMBIOS_NAME_MAX - 1, "a long description is cut at %d bytes",
	   SMBIOS_NAME_MAX - 1);

	/* Strings that run off the end of the table: nothing past it is read. */
	reset();
	add_bios("v", "d");
	add_system("Vendor", "Product");
	table_len -= 2; /* cut in the middle of the last string set */
	memset(table + table_len, 'X', TABLE_SIZE - table_len);
	entry_3x(0);
	is_str(describe(), " , BIOS v d", "a structure without its double NUL is not read");

	reset();
	add_bios("v", "d");
	table[1] = 2; /* length below the header */
	add_end();
	entry_3x(0);
	is_str(describe(), " , BIOS  ", "a structure shorter than its header ends the walk");

	qemu_tables();
	entry_3x(0);
	put32(area + 0x14, 1); /* the table above 4 GiB */
	fix_checksum(area, 0x18, 5);
	is_str(describe(), "(none)", "a table above 4 GiB is out of reach");

	return done_testing();
}
