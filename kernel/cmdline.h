/* The kernel command line from the boot loader, split into space-separated
 * "key=value" (or bare "key") tokens. Pure and host-testable; modules look up
 * their own parameters during init (normal context). */
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

typedef void (*cmdline_fn)(const struct cmdline_param *param, void *ctx);

/* Calls fn for each token of cmdline, in order. Quoting is not supported. */
void cmdline_foreach(const char *cmdline, cmdline_fn fn, void *ctx);
/* Finds the last token whose key equals key; false when absent. */
bool cmdline_find(const char *cmdline, const char *key, struct cmdline_param *out);
/* True when the token's key equals the NUL-terminated key. */
bool cmdline_key_is(const struct cmdline_param *param, const char *key);
/* True when the token's value equals the NUL-terminated text. */
bool cmdline_value_is(const struct cmdline_param *param, const char *text);

/* The command line the kernel booted with ("" when none). */
extern const char *kernel_cmdline;

#endif
