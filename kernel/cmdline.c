#include "kernel/cmdline.h"

#include "kernel/string.h"

const char *kernel_cmdline = "";

void cmdline_foreach(const char *cmdline, cmdline_fn fn, void *ctx)
{
	const char *p = cmdline;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
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
