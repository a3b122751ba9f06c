#include "kernel/cmdline.h"

#include "kernel/string.h"

const char *kernel_cmdline = "";

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
	return strlen(key) == param->key_len && memcmp(param->key, key, param->key_len) == 0;
}

bool cmdline_value_is(const struct cmdline_param *param, const char *text)
{
	return param->value && strlen(text) == param->value_len &&
	       memcmp(param->value, text, param->value_len) == 0;
}
