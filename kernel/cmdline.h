/* The kernel command line from the boot loader, split into space-separated
 * "key=value" (or bare "key") tokens, and kept whole parameters at a time
 * within COMMAND_LINE_SIZE. Host-testable; its only state is which
 * parameters of kernel_cmdline a module has asked for. Modules look up their
 * own parameters during init (normal context). */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

struct cmdline_param {
	const char *key;
	size_t key_len;
	const char *value; /* NULL for a bare key */
	size_t value_len;
};

/* As Linux on x86: the longest line kept is COMMAND_LINE_SIZE - 1 bytes. */
#define COMMAND_LINE_SIZE 2048

/* What cmdline_copy() left out. */
struct cmdline_cut {
	size_t length; /* of the line as given */
	unsigned dropped; /* parameters left out, 0 when the line fit */
	const char *first_dropped; /* the first of them, whole, as given */
	size_t first_dropped_len;
};

typedef void (*cmdline_fn)(const struct cmdline_param *param, void *ctx);

/* Calls fn for each token of cmdline, in order. Quoting is not supported. */
void cmdline_foreach(const char *cmdline, cmdline_fn fn, void *ctx);
/* Finds the last token whose key equals key; false when absent. */
bool cmdline_find(const char *cmdline, const char *key, struct cmdline_param *out);
/* True when the token's key equals the NUL-terminated key; a token of
 * kernel_cmdline that matches is known from then on. */
bool cmdline_key_is(const struct cmdline_param *param, const char *key);
/* True when the token's value equals the NUL-terminated text. */
bool cmdline_value_is(const struct cmdline_param *param, const char *text);

/* Copies into dst (size bytes with the NUL) the parameters of src that fit
 * whole. A parameter the limit would cut is left out with all after it,
 * never kept in part; cut says what was left out. */
void cmdline_copy(char *dst, size_t size, const char *src, struct cmdline_cut *cut);
/* The length of the longest head of s within max bytes that ends between
 * parameters (max when the first parameter alone is longer); rest points
 * past it and the separators that follow. */
size_t cmdline_head(const char *s, size_t max, const char **rest);

/* The command line the kernel booted with ("" when none). */
extern const char *kernel_cmdline;

/* The parameters of kernel_cmdline no module has asked for, leaving out a
 * first word that is the kernel's path (QEMU's and GRUB legacy's Multiboot
 * loaders put it first): written space-separated to buf, ending in "..."
 * when they do not all fit. Returns how many there are. */
unsigned cmdline_unknown(char *buf, size_t size);

#endif
