#include "kernel/cmdline.h"

#include <stdint.h>

#include "kernel/string.h"

const char *kernel_cmdline = "";

/* One bit per byte of kernel_cmdline: set where a known token starts. */
static unsigned char known[COMMAND_LINE_SIZE / 8];

/* The token's offset in kernel_cmdline, or -1 when it lies elsewhere. */
static long offset_in_kernel_cmdline(const char *token)
{
	uintptr_t offset = (uintptr_t)token - (uintptr_t)kernel_cmdline;
	return offset < strlen(kernel_cmdline) && offset < COMMAND_LINE_SIZE ? (long)offset : -1;
}

static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

void cmdline_foreach(const char *cmdline, cmdline_fn fn, void *ctx)
{
	const char *p = cmdline;
	while (*p) {
		while (is_separator(*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && !is_separator(*p))
			p++;
		struct cmdline_param param = {start, (size_t)(p - start), NULL, 0};
		for (const char *eq = start; eq < p; eq++) {
			if (*eq == '=') {
				param.key_len = (size_t)(eq - start);
				param.value = eq + 1;
				param.value_len = (size_t)(p - eq - 1);
				break;
			}
		}
		fn(&param, ctx);
	}
}

static void note_dropped(const struct cmdline_param *param, void *ctx)
{
	struct cmdline_cut *cut = ctx;
	if (!cut->dropped++) {
		cut->first_dropped = param->key;
		/* key_len is the whole token for a bare key, so measure it. */
		while (param->key[cut->first_dropped_len] &&
		       !is_separator(param->key[cut->first_dropped_len]))
			cut->first_dropped_len++;
	}
}

void cmdline_copy(char *dst, size_t size, const char *src, struct cmdline_cut *cut)
{
	size_t kept = strlen(src);

	memset(cut, 0, sizeof(*cut));
	cut->length = kept;
	if (kept >= size) {
		const char *rest;
		kept = cmdline_head(src, size - 1, &rest);
		if (kept == size - 1 && !is_separator(src[kept]))
			kept = 0; /* the first parameter alone is too long */
		cmdline_foreach(src + kept, note_dropped, cut);
	}
	memcpy(dst, src, kept);
	dst[kept] = '\0';
}

size_t cmdline_head(const char *s, size_t max, const char **rest)
{
	size_t len = strlen(s);
	if (len > max) {
		len = max;
		for (size_t end = max; end > 0; end--) {
			if (!is_separator(s[end]))
				continue;
			while (end > 0 && is_separator(s[end - 1]))
				end--;
			if (end > 0)
				len = end;
			break;
		}
	}
	*rest = s + len;
	while (is_separator(**rest))
		(*rest)++;
	return len;
}

struct find_ctx {
	const char *key;
	struct cmdline_param *out;
	bool found;
};

static void find_one(const struct cmdline_param *param, void *ctx)
{
	struct find_ctx *f = ctx;
	if (cmdline_key_is(param, f->key)) {
		*f->out = *param;
		f->found = true;
	}
}

bool cmdline_find(const char *cmdline, const char *key, struct cmdline_param *out)
{
	struct find_ctx f = {key, out, false};
	cmdline_foreach(cmdline, find_one, &f);
	return f.found;
}

bool cmdline_key_is(const struct cmdline_param *param, const char *key)
{
	if (strlen(key) != param->key_len || memcmp(param->key, key, param->key_len) != 0)
		return false;
	long offset = offset_in_kernel_cmdline(param->key);
	if (offset >= 0)
		known[offset / 8] |= (unsigned char)(1u << (offset % 8));
	return true;
}

struct unknown_list {
	char *buf;
	size_t size, used;
	unsigned count;
	bool past_first_word, full;
};

/* QEMU and GRUB legacy put the kernel's path first ("build/kernel.elf"),
 * GRUB 2 does not: a first word without '=' but with '/' or '.' is a path. */
static bool is_image_path(const struct cmdline_param *param, size_t len)
{
	return !param->value && (memchr(param->key, '/', len) || memchr(param->key, '.', len));
}

static void note_unknown(const struct cmdline_param *param, void *ctx)
{
	static const char more[] = " ...";
	struct unknown_list *u = ctx;
	long offset = offset_in_kernel_cmdline(param->key);
	size_t len = 0;

	while (param->key[len] && !is_separator(param->key[len]))
		len++;
	if (!u->past_first_word) {
		u->past_first_word = true;
		if (is_image_path(param, len))
			return;
	}
	if (offset < 0 || known[offset / 8] & (1u << (offset % 8)))
		return;
	u->count++;
	if (u->full || !u->size)
		return;
	size_t space = u->used ? 1 : 0;
	/* Room is always left for " ..." and the NUL. */
	if (u->used + space + len + sizeof(more) <= u->size) {
		memcpy(u->buf + u->used, " ", space);
		memcpy(u->buf + u->used + space, param->key, len);
		u->used += space + len;
	} else {
		u->full = true;
		const char *mark = u->used ? more : more + 1;
		if (u->used + strlen(mark) < u->size) {
			memcpy(u->buf + u->used, mark, strlen(mark));
			u->used += strlen(mark);
		}
	}
	u->buf[u->used] = '\0';
}

unsigned cmdline_unknown(char *buf, size_t size)
{
	struct unknown_list u = {buf, size, 0, 0, false, false};
	if (size)
		buf[0] = '\0';
	cmdline_foreach(kernel_cmdline, note_unknown, &u);
	return u.count;
}

bool cmdline_value_is(const struct cmdline_param *param, const char *text)
{
	return param->value && strlen(text) == param->value_len &&
	       memcmp(param->value, text, param->value_len) == 0;
}
