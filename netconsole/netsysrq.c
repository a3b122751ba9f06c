#include "netconsole/netsysrq.h"

#include <stdint.h>

#include "kernel/cmdline.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/sysrq.h"
#include "kernel/timer.h"

/* Rejections closer together than this are one burst, one log line. */
#define BURST_GAP_NS 1000000000ull

static char secret[NETSYSRQ_SECRET_MAX];
static volatile uint32_t rejected;
static uint64_t last_rejected_ns;

static void report_rejected(struct irq_work *work)
{
	(void)work;
	pr_warn("netconsole: sysrq: ignored a datagram with a wrong or missing secret (%u so far)\n",
		rejected);
}

static struct irq_work report_work = {.fn = report_rejected};

bool netsysrq_init(void)
{
	struct cmdline_param p;
	if (!cmdline_find(kernel_cmdline, "netconsole_sysrq", &p))
		return false;
	if (!p.value || !p.value_len || p.value_len >= sizeof(secret)) {
		pr_err("netconsole: bad value in netconsole_sysrq=: expected a secret of 1 to %u "
		       "characters; SysRq from the network stays off\n",
		       (unsigned)sizeof(secret) - 1);
		return false;
	}
	for (size_t i = 0; i < p.value_len; i++)
		secret[i] = p.value[i];
	secret[p.value_len] = '\0';
	pr_info("netconsole: sysrq: accepting SysRq datagrams with the configured secret\n");
	return true;
}

bool netsysrq_rx(const char *payload, size_t len)
{
	char key;
	switch (netsysrq_parse(payload, len, secret, &key)) {
	case NETSYSRQ_NOT_SYSRQ:
		return false;
	case NETSYSRQ_ACCEPT:
		sysrq_queue(key);
		return true;
	case NETSYSRQ_REJECT:
		break;
	}
	uint64_t now = clock_ns();
	rejected++;
	if (rejected == 1 || now - last_rejected_ns >= BURST_GAP_NS)
		irq_work_queue(&report_work);
	last_rejected_ns = now;
	return true;
}
