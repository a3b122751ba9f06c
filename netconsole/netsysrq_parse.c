#include "netconsole/netsysrq.h"

#include "kernel/string.h"

#define SYSRQ_TAG "SYSRQ "

enum netsysrq_verdict netsysrq_parse(const char *payload, size_t len, const char *secret, char *key)
{
	size_t tag = sizeof(SYSRQ_TAG) - 1;
	if (len < tag || memcmp(payload, SYSRQ_TAG, tag) != 0)
		return NETSYSRQ_NOT_SYSRQ;
	if (len && payload[len - 1] == '\n')
		len--;
	size_t secret_len = secret ? strlen(secret) : 0;
	/* "SYSRQ " SECRET " " KEY, exactly. */
	if (!secret_len || len != tag + secret_len + 2 ||
	    memcmp(payload + tag, secret, secret_len) != 0 || payload[tag + secret_len] != ' ')
		return NETSYSRQ_REJECT;
	char k = payload[len - 1];
	if (k <= ' ' || k > '~')
		return NETSYSRQ_REJECT;
	*key = k;
	return NETSYSRQ_ACCEPT;
}
