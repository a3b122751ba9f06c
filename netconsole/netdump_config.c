#include "kernel/format.h"
#include "kernel/string.h"
#include "netconsole/config.h"
#include "netconsole/netdump.h"
#include "netconsole/netdump_proto.h"

int netdump_parse_config(const char *value, size_t len, uint16_t *port, struct netconsole_ip *host,
			 char *err, size_t err_size)
{
	size_t at = 0;
	unsigned long number = NETDUMP_DEFAULT_PORT;

	if (!value || !len) {
		ksnprintf(err, err_size, "netdump: empty value, expected netdump=[port@]<host-ip>");
		return -1;
	}
	while (at < len && value[at] != '@')
		at++;
	if (at < len) {
		if (!at || kparse_u32(value, at, 10, &number) != at || !number || number > 65535) {
			ksnprintf(err, err_size, "netdump: bad port \"%.*s\" in netdump=", (int)at,
				  value);
			return -1;
		}
		at++;
	} else {
		at = 0;
	}
	if (!netconsole_parse_ip(value + at, len - at, host) || !netconsole_usable_ip(host)) {
		ksnprintf(err, err_size,
			  "netdump: bad host address \"%.*s\" in netdump=", (int)(len - at),
			  value + at);
		return -1;
	}
	*port = (uint16_t)number;
	return 0;
}
