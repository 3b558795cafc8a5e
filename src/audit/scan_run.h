/*
 * scan_run.h - the Linux glue of `pptpkit scan`: a libuv loop that runs
 * the sans-I/O probes of scan_conn.h against many targets at once over
 * TCP and, for --deep, one raw GRE socket shared by every probe (GRE is
 * demultiplexed by the target's address: a target has one probe at a
 * time).
 */
#ifndef PK_AUDIT_SCAN_RUN_H
#define PK_AUDIT_SCAN_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "audit/scan.h"
#include "audit/scan_targets.h"

#define SCAN_CONCURRENCY_DEFAULT 64
#define SCAN_CONCURRENCY_MAX 1024
#define SCAN_TIMEOUT_DEFAULT_MS 5000

struct scan_run_options {
	int deep;
	unsigned concurrency;	/* targets in flight, 1..SCAN_CONCURRENCY_MAX */
	uint32_t timeout_ms;	/* each wait (connect, reply, each step) */
	int progress;		/* print progress on stderr */
};

/* One target's outcome. rep is allocated for every target that
 * connected or failed with an error worth its text; refused and
 * timed-out targets need only tcp. */
struct scan_slot {
	uint32_t addr;		/* network order */
	uint16_t port;
	uint8_t tcp;		/* enum scan_tcp_state */
	struct scan_report *rep;
};

struct scan_results {
	struct scan_slot *slots;
	size_t n;
	int deep;
	uint64_t duration_ms;
	int interrupted;	/* SIGINT: slots left PENDING */
};

/*
 * Scans every target. Returns 0 and fills *res (free with
 * scan_results_free()), or PK_ERR_SYS / PK_ERR_NOMEM with a message in err
 * (e.g. the raw GRE socket needs root or CAP_NET_RAW).
 */
int scan_run(const struct scan_targets *t, const struct scan_run_options *o,
    struct scan_results *res, char *err, size_t errlen);
void scan_results_free(struct scan_results *res);

/* Fills rep with what a slot says (a copy of slot->rep, or a report
 * built from the TCP state alone). */
void scan_slot_report(const struct scan_slot *s, struct scan_report *rep);

#endif
