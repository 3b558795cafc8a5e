/*
 * loadgen.h - bench/sessions' load generator: many PPTP clients (PNS) in
 * one process, each the real client engine (struct tunnel, as
 * `pptpkit connect` uses it) without a TUN device. loadgen.c drives the
 * sessions; loadgen_report.c keeps the tallies and prints them.
 */
#ifndef PK_BENCH_LOADGEN_H
#define PK_BENCH_LOADGEN_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Distinct failure texts kept per table; the rest are counted as one. */
#define LG_REASONS_MAX 24
#define LG_REASON_LEN 200

struct lg_reason {
	char text[LG_REASON_LEN];	/* digits folded to '#' */
	char example[LG_REASON_LEN];	/* the first one as it was */
	uint32_t count;
};

struct lg_reasons {
	struct lg_reason r[LG_REASONS_MAX];
	size_t n;
	uint32_t other;			/* did not fit */
};

/* One reading of a process from /proc. */
struct lg_sample {
	uint64_t t_ms;			/* monotonic */
	double cpu_s;			/* utime + stime */
	long rss_kib;
	long fds;
	int ok;
};

struct lg_opts {
	const char *server;		/* dotted quad */
	uint16_t port;
	uint32_t sessions;
	uint32_t src_net;		/* host order, x.y.z.0 */
	uint32_t src_count;		/* source addresses to spread over */
	double rate;			/* starts per second, 0: as fast as
					 * inflight allows */
	uint32_t inflight;		/* handshakes at once */
	uint32_t hold_s;
	uint32_t trickle_s;		/* ping per session while holding */
	uint32_t sample;		/* sessions checked at the end */
	uint32_t handshake_timeout_s;
	uint32_t lcp_echo_s;		/* our own keepalives (0: off) */
	uint32_t pptp_echo_s;
	const char *user;
	const char *password;
	pid_t server_pid;		/* 0: no server readings */
	const char *json_path;
	int teardown;
	uint32_t teardown_s;		/* how long to wait for it */
	int log_level;
};

/* Phase boundaries at which both processes are read. */
enum lg_mark {
	LG_MARK_START = 0,
	LG_MARK_RAMP_END = 1,
	LG_MARK_HOLD_START = 2,
	LG_MARK_HOLD_END = 3,
	LG_MARK_CHECK_END = 4,
	LG_MARK_END = 5,
	LG_MARKS = 6,
};

struct lg_tally {
	uint32_t target, started, connected, failed, dropped, up_now;
	uint32_t closed_clean, closed_forced;
	uint32_t teardown_ms;		/* until all closed or given up */
	uint32_t stateless, stateful, other_mppe;
	uint64_t first_start_ms, last_up_ms;
	uint32_t *latency_ms;		/* connect start -> PPP up, per up */
	uint32_t n_latency;
	uint64_t pings_sent, pings_ok, pings_bad;
	uint32_t first_ping_ok;		/* sessions whose first ping came back */
	uint32_t checked, check_ok;
	uint64_t gre_unknown, gre_send_err;
	uint64_t gre_early;		/* held until the call was known */
	uint64_t gre_after_teardown;	/* for sessions already closed */
	uint32_t hold_s_actual_ms;
	uint32_t up_at_hold_start;
	struct lg_reasons fail_reasons;	/* before PPP came up */
	struct lg_reasons drop_reasons;	/* after */
	struct lg_sample srv[LG_MARKS];
	struct lg_sample self[LG_MARKS];
	int interrupted;
};

/* Fills o from the command line; -1 (usage printed) if it is wrong. */
int lg_parse_opts(int argc, char **argv, struct lg_opts *o);
void lg_reason_add(struct lg_reasons *rs, const char *text);
int lg_sample_read(pid_t pid, uint64_t now_ms, struct lg_sample *s);
void lg_report_print(FILE *f, const struct lg_opts *o,
    const struct lg_tally *t);
int lg_report_json(const char *path, const struct lg_opts *o,
    const struct lg_tally *t);

#endif
