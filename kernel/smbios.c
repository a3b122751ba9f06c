#include "kernel/smbios.h"

#include "kernel/format.h"
#include "kernel/fwtable.h"
#include "kernel/string.h"

/* SMBIOS 3.x entry point ("_SM3_", 7.3 of DSP0134 3.x): length at 6, the
 * largest table size at 0x0C, the table's 64-bit address at 0x10. */
#define SM3_LENGTH 6
#define SM3_TABLE_MAX 0x0C
#define SM3_TABLE_ADDRESS 0x10
#define SM3_MIN_LENGTH 0x18
/* Real tables take a few KiB; a larger claim is not believed. */
#define SM3_TABLE_LIMIT (1u << 20)
/* SMBIOS 2.x entry point ("_SM_"): length at 5, the "_DMI_" intermediate
 * anchor at 0x10 with its own 15-byte checksum, table length at 0x16,
 * address at 0x18, structure count at 0x1C. */
#define SM_LENGTH 5
#define SM_DMI_ANCHOR 0x10
#define SM_DMI_LENGTH 15
#define SM_TABLE_LENGTH 0x16
#define SM_TABLE_ADDRESS 0x18
#define SM_STRUCTURES 0x1C
#define SM_MIN_LENGTH 0x1F

/* Structure types and the string fields Linux's DMI code reads. */
#define TYPE_BIOS 0
#define TYPE_SYSTEM 1
#define TYPE_BOARD 2
#define TYPE_END 127
#define BIOS_VERSION 0x05
#define BIOS_DATE 0x08
#define SYSTEM_MANUFACTURER 0x04
#define SYSTEM_PRODUCT 0x05
#define BOARD_PRODUCT 0x05

enum field { SYS_VENDOR, PRODUCT_NAME, BOARD_NAME, BIOS_VERSION_F, BIOS_DATE_F, FIELDS };

struct table {
	const uint8_t *bytes;
	uint32_t len;
	uint32_t structures; /* at most this many (0: until the end) */
};

static bool entry_sm3(smbios_map_fn map, void *ctx, const uint8_t *ep, struct table *t)
{
	uint8_t len = ep[SM3_LENGTH];
	if (len < SM3_MIN_LENGTH || !fw_checksum_ok(ep, len))
		return false;
	/* Tables above 4 GiB are out of reach of a 32-bit kernel. */
	if (fw_le32(ep + SM3_TABLE_ADDRESS + 4))
		return false;
	t->len = fw_le32(ep + SM3_TABLE_MAX);
	if (t->len > SM3_TABLE_LIMIT)
		return false;
	t->bytes = map(fw_le32(ep + SM3_TABLE_ADDRESS), t->len, ctx);
	t->structures = 0;
	return t->bytes != NULL;
}

static bool entry_sm(smbios_map_fn map, void *ctx, const uint8_t *ep, struct table *t)
{
	uint8_t len = ep[SM_LENGTH];
	if (len < SM_MIN_LENGTH || !fw_checksum_ok(ep, len) ||
	    memcmp(ep + SM_DMI_ANCHOR, "_DMI_", 5) != 0 ||
	    !fw_checksum_ok(ep + SM_DMI_ANCHOR, SM_DMI_LENGTH))
		return false;
	t->len = fw_le16(ep + SM_TABLE_LENGTH);
	t->bytes = map(fw_le32(ep + SM_TABLE_ADDRESS), t->len, ctx);
	t->structures = fw_le16(ep + SM_STRUCTURES);
	return t->bytes != NULL;
}

/* As Linux does, a 3.x entry point anywhere in the area wins over a 2.x
 * one. */
static bool find_table(smbios_map_fn map, void *ctx, struct table *t)
{
	const uint8_t *area = map(SMBIOS_SCAN_START, SMBIOS_SCAN_END - SMBIOS_SCAN_START, ctx);
	if (!area)
		return false;
	for (uint32_t off = 0; off + 32 <= SMBIOS_SCAN_END - SMBIOS_SCAN_START; off += 16)
		if (memcmp(area + off, "_SM3_", 5) == 0 && entry_sm3(map, ctx, area + off, t))
			return true;
	for (uint32_t off = 0; off + 32 <= SMBIOS_SCAN_END - SMBIOS_SCAN_START; off += 16)
		if (memcmp(area + off, "_SM_", 4) == 0 && entry_sm(map, ctx, area + off, t))
			return true;
	return false;
}

/* String number index of the structure at s (formatted part of length
 * len, its strings from s + len up to end): NULL when absent, "" when only
 * spaces (Linux takes such a string as empty). */
static const char *string_of(const uint8_t *s, uint32_t len, const uint8_t *end, uint8_t index)
{
	if (!index)
		return "";
	const uint8_t *p = s + len;
	while (--index && p < end && *p) {
		while (p < end && *p)
			p++;
		p++;
	}
	if (p >= end || !*p)
		return "";
	const uint8_t *q = p;
	while (q < end && *q == ' ')
		q++;
	return q < end && *q ? (const char *)p : "";
}

/* The end of the structure at s (past its double NUL), or NULL when it
 * runs past end. */
static const uint8_t *structure_end(const uint8_t *s, const uint8_t *end)
{
	const uint8_t *p = s + s[1];
	while (p + 1 < end && (p[0] || p[1]))
		p++;
	return p + 1 < end ? p + 2 : NULL;
}

static void save(const char **fields, enum field f, const uint8_t *s, const uint8_t *end,
		 uint8_t offset)
{
	/* The first structure of a type that has the field counts. */
	if (!fields[f] && offset < s[1])
		fields[f] = string_of(s, s[1], end, s[offset]);
}

static void read_fields(const struct table *t, const char **fields)
{
	const uint8_t *s = t->bytes, *end = t->bytes + t->len;
	for (uint32_t i = 0; (!t->structures || i < t->structures) && s + 4 <= end; i++) {
		if (s[1] < 4)
			break;
		const uint8_t *next = structure_end(s, end);
		if (!next)
			break;
		/* Strings end at the double NUL; string_of() stays before it. */
		const uint8_t *strings_end = next - 1;
		switch (s[0]) {
		case TYPE_BIOS:
			save(fields, BIOS_VERSION_F, s, strings_end, BIOS_VERSION);
			save(fields, BIOS_DATE_F, s, strings_end, BIOS_DATE);
			break;
		case TYPE_SYSTEM:
			save(fields, SYS_VENDOR, s, strings_end, SYSTEM_MANUFACTURER);
			save(fields, PRODUCT_NAME, s, strings_end, SYSTEM_PRODUCT);
			break;
		case TYPE_BOARD:
			save(fields, BOARD_NAME, s, strings_end, BOARD_PRODUCT);
			break;
		}
		if (s[0] == TYPE_END)
			break;
		s = next;
	}
}

struct description {
	char *buf;
	size_t size, len;
};

static void put_filtered(struct description *o, const char *text)
{
	for (; text && *text; text++) {
		unsigned char c = (unsigned char)*text;
		char piece[5];
		/* Linux's print_filtered(): printable ASCII as is, the rest \xNN. */
		if (c >= 0x20 && c < 0x7f) {
			piece[0] = (char)c;
			piece[1] = '\0';
		} else {
			ksnprintf(piece, sizeof(piece), "\\x%02x", c);
		}
		for (const char *p = piece; *p && o->len + 1 < o->size; p++)
			o->buf[o->len++] = *p;
	}
	o->buf[o->len] = '\0';
}

bool smbios_describe(smbios_map_fn map, void *ctx, char *out, size_t size)
{
	struct table t;
	const char *fields[FIELDS] = {0};
	struct description o = {out, size, 0};
	if (!size)
		return false;
	out[0] = '\0';
	if (!find_table(map, ctx, &t))
		return false;
	read_fields(&t, fields);
	/* Linux's dmi_format_ids(). */
	put_filtered(&o, fields[SYS_VENDOR]);
	put_filtered(&o, " ");
	put_filtered(&o, fields[PRODUCT_NAME]);
	if (fields[BOARD_NAME]) {
		put_filtered(&o, "/");
		put_filtered(&o, fields[BOARD_NAME]);
	}
	put_filtered(&o, ", BIOS ");
	put_filtered(&o, fields[BIOS_VERSION_F]);
	put_filtered(&o, " ");
	put_filtered(&o, fields[BIOS_DATE_F]);
	return true;
}
