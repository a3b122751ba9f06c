/* Tests netconsole/netsysrq_parse.c: which datagrams run a SysRq key. Only
 * "SYSRQ <secret> <key>" with exactly the configured secret and one
 * printable key (a newline may follow) is accepted; any other SYSRQ
 * datagram is rejected (and counted by the kernel); anything else is not
 * SysRq at all and goes on to netconsole's other receivers. */
#include "tap.h"

#include <string.h>

#include "netconsole/netsysrq_parse.c"

static enum netsysrq_verdict parse(const char *text, const char *secret, char *key)
{
	*key = 0;
	return netsysrq_parse(text, strlen(text), secret, key);
}

int main(void)
{
	char key;
	plan(17);
	is_int(parse("SYSRQ s3cret c", "s3cret", &key), NETSYSRQ_ACCEPT, "the right secret");
	is_int(key, 'c', "the key");
	is_int(parse("SYSRQ s3cret 9\n", "s3cret", &key), NETSYSRQ_ACCEPT, "a trailing newline");
	is_int(key, '9', "the key before the newline");
	is_int(parse("SYSRQ wrong c", "s3cret", &key), NETSYSRQ_REJECT, "a wrong secret");
	is_int(key, 0, "no key taken from a rejected datagram");
	is_int(parse("SYSRQ s3cre c", "s3cret", &key), NETSYSRQ_REJECT, "a secret's prefix");
	is_int(parse("SYSRQ s3cretX c", "s3cret", &key), NETSYSRQ_REJECT, "a longer secret");
	is_int(parse("SYSRQ c", "s3cret", &key), NETSYSRQ_REJECT, "no secret");
	is_int(parse("SYSRQ s3cret cc", "s3cret", &key), NETSYSRQ_REJECT, "two keys");
	is_int(parse("SYSRQ s3cret  ", "s3cret", &key), NETSYSRQ_REJECT, "a blank key");
	is_int(parse("SYSRQ s3cret \x01", "s3cret", &key), NETSYSRQ_REJECT, "a control key");
	is_int(parse("SYSRQ s3cret", "s3cret", &key), NETSYSRQ_REJECT, "no key");
	is_int(parse("SYSRQ  c", "", &key), NETSYSRQ_REJECT,
	       "an empty configured secret accepts nothing");
	is_int(parse("sysrq s3cret c", "s3cret", &key), NETSYSRQ_NOT_SYSRQ,
	       "the tag is case-sensitive");
	is_int(parse("ncrx1 5", "s3cret", &key), NETSYSRQ_NOT_SYSRQ, "an ncrx reply is not SysRq");
	is_int(netsysrq_parse("SYSRQ s3cret c", 5, "s3cret", &key), NETSYSRQ_NOT_SYSRQ,
	       "a datagram cut before the tag's space");
	return done_testing();
}
