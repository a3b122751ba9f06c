/* netconsole-client's --drop test aid: loses chosen record datagrams and
 * ncrx replies as a lossy network would, deterministically (by sequence
 * number, by text, by fragment, in a time window) or at random from a seed
 * that is printed, so any run can be replayed. Each drop is logged as one
 * line, so a test states exactly what the sender had to recover. Host only,
 * single-threaded normal process context; no I/O beyond the log stream. */
#ifndef HOST_CLIENT_DROP_H
#define HOST_CLIENT_DROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Rules, each repeatable:
 *   seq:A[-B]          the first arrival of each packet (sequence number and
 *                      fragment offset) of records A to B
 *   text:TEXT          the first arrival of each packet whose body holds TEXT
 *   frag:SEQ:N         the first arrival of record SEQ's N-th fragment
 *                      (1-based, in the order fragments first arrive)
 *   replies-after:TEXT:MS   every reply due within MS milliseconds after the
 *                      first packet holding TEXT arrived (dropped or not)
 *   random:PERCENT:SEED     each record packet and each reply with
 *                      probability PERCENT/100, drawn from SEED */
#define DROP_RULES_MAX 16
/* Packets remembered per rule as already dropped once. */
#define DROP_KEYS_MAX 4096

struct drop_plan;

/* NULL when out of memory. Drops are logged to log ("netconsole-client:
 * drop ..."). */
struct drop_plan *drop_plan_new(FILE *log);
void drop_plan_free(struct drop_plan *plan);
/* Adds one rule; -1 with a message naming the problem in error. */
int drop_plan_add(struct drop_plan *plan, const char *rule, char *error, size_t error_size);
/* True when the datagram is to be treated as never received. */
bool drop_record_packet(struct drop_plan *plan, const char *payload, size_t len, long long now_ms);
/* True when the reply is to be treated as lost on the way. */
bool drop_reply(struct drop_plan *plan, const char *reply, size_t len, long long now_ms);
/* Record packets and replies dropped so far. */
unsigned long drop_count_records(const struct drop_plan *plan);
unsigned long drop_count_replies(const struct drop_plan *plan);

#endif
