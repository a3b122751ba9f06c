/* The sending side of extended netconsole with ncrx replies: sends each log
 * record in the extended format, takes the receiver's acknowledgements and
 * retransmission requests from the rx path, resends what was asked for (and,
 * when acknowledgements stall, what was never acknowledged, marked ncemg=1),
 * and after a panic lingers for netconsole_linger= seconds serving requests.
 * ncext_write() runs from the console delivery (one at a time, interrupts
 * off, any context, the oops included); the receiver's replies arrive on the
 * device's rx path (IRQ, boot, or the panic's polling), with the device
 * claimed. */
#ifndef NETCONSOLE_EXTCON_H
#define NETCONSOLE_EXTCON_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/logring.h"
#include "netconsole/ext.h"
#include "netconsole/netpoll.h"

#define NCEXT_LINGER_DEFAULT_S 5
#define NCEXT_LINGER_MAX_S 600
/* Emergency resends start this long after acknowledgements stop moving and
 * the wait doubles after each round, up to the maximum. */
#define NCEXT_EMERGENCY_FIRST_MS 200
#define NCEXT_EMERGENCY_MAX_MS 1600
/* Records below the console log level are never sent, resent or
 * counted as lost: each record says how many just before it were left out
 * (ncskip=); the counts of the last runs are kept for resends. */
#define NCEXT_SKIPS_KEPT 64
#define NCEXT_SKIPS_SPAN 4096
/* Records resent per emergency round, to keep each round short. */
#define NCEXT_EMERGENCY_BATCH 32

struct ncext_target {
	struct netpoll *np;
	bool release;
	/* Written by the rx path, with the device claimed. */
	bool replied; /* the receiver has answered at least once */
	uint64_t acked; /* every record below this has arrived */
	uint64_t progress_ms; /* when acked last moved, or the first reply came */
	uint64_t wanted[NCEXT_MISSING_MAX];
	unsigned wanted_count;
	/* Used by ncext_write() and the linger, one at a time. */
	uint64_t sent_end; /* one past the newest record sent */
	/* The filtered runs before recent records (ncskip=), for resends. */
	struct {
		uint64_t seq;
		uint32_t skipped;
	} skips[NCEXT_SKIPS_KEPT];
	unsigned skips_next;
	bool outstanding; /* some record sent is not acknowledged */
	uint64_t outstanding_since_ms; /* when serving first saw that */
	uint64_t stall_since_ms; /* the start of the stall the rounds time */
	uint64_t emergency_wait_ms; /* before the round after the next */
	uint64_t emergency_at_ms; /* the next round */
};

/* Boot, normal context: makes np an extended target with ncrx replies. */
void ncext_attach(struct ncext_target *t, struct netpoll *np, bool release);
/* From the console delivery, any context: serves pending requests, then
 * queues rec's packets; the caller kicks the device (netpoll_flush) once
 * the delivery is done. */
void ncext_write(struct ncext_target *t, const struct log_record *rec);
/* Boot, normal context: reads netconsole_linger= (default
 * NCEXT_LINGER_DEFAULT_S, 0 off) and registers the panic handler that
 * polls for requests that long, or until every target has acknowledged
 * everything. Entries of targets with a NULL np (plain targets) are skipped. */
void ncext_init_linger(struct ncext_target *targets, unsigned count);

#endif
