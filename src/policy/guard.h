/*
 * guard.h - who may connect, open calls and try passwords, and how often:
 * the limits pptpkitd applies to strangers before (and around)
 * authentication. Sans-I/O: the owner passes the time and the peer's
 * address, gets a verdict back, and logs it (rate-limited).
 *
 * State is kept per source address and per user name in two bounded hash
 * tables keyed with SipHash under a random key: the whole address (or a
 * 128-bit keyed digest of the name) is stored and compared, so two
 * sources never share an entry, and a peer cannot aim its keys at one
 * bucket. A table holds at most table_size entries; when a new key finds
 * its probe window full, the least recently seen entry that carries no
 * live count (connections, calls) is evicted, one that holds a lockout
 * only if nothing else can go. An entry with live counts is never
 * evicted, so counts are exact; max_conns bounds how many such entries
 * exist (guard_new() sizes the table to four times that). Entries are
 * not dropped when their last connection closes: reconnecting must not
 * refill a rate bucket.
 *
 * Per source:
 *   - new connections: a token bucket (conn_rate per second, conn_burst);
 *   - live connections: at most max_conns_per_src (and max_conns in all);
 *   - calls that have not authenticated: max_preauth_per_src (max_preauth
 *     in all); authenticated sessions: max_sessions_per_src (max_sessions);
 *   - authentication failures: after src_fail_limit within fail_window_ms
 *     the source is locked out for lockout_ms, doubled on each further
 *     lockout up to lockout_max_ms.
 * Per user: after user_fail_limit failures the user is locked out the
 * same way, except from the last GUARD_GOOD_SOURCES addresses it logged in
 * from: a guessing run from elsewhere cannot lock a user out of its usual
 * place. A success clears the user's failures and backoff. The backoff
 * level is forgotten after lockout_max_ms without a failure.
 */
#ifndef PK_POLICY_GUARD_H
#define PK_POLICY_GUARD_H

#include <stddef.h>
#include <stdint.h>

#define GUARD_ADDR_LEN 16
#define GUARD_GOOD_SOURCES 4
/* Probe window: a key lives within this many slots of its bucket. */
#define GUARD_PROBE 16

/* An IPv6 address, or an IPv4 address mapped (::ffff:a.b.c.d). */
struct guard_addr {
	uint8_t b[GUARD_ADDR_LEN];
};

enum guard_verdict {
	GUARD_OK = 0,
	GUARD_RATE,		/* connect-rate / connect-burst */
	GUARD_SRC_CONNS,	/* max-connections-per-ip */
	GUARD_CONNS,		/* max-connections */
	GUARD_SRC_PREAUTH,	/* max-preauth-per-ip */
	GUARD_PREAUTH,		/* max-preauth */
	GUARD_SRC_SESSIONS,	/* max-sessions-per-ip */
	GUARD_SESSIONS,		/* max-sessions */
	GUARD_SRC_LOCKED,	/* lockout of the source address */
	GUARD_USER_LOCKED,	/* lockout of the user name */
	GUARD_TABLE_FULL,	/* no room to track this source */
};

struct guard_config {
	uint32_t conn_rate;		/* per second per source; 0 = off */
	uint32_t conn_burst;		/* bucket depth (>= 1) */
	uint32_t max_conns;		/* >= 1 */
	uint32_t max_conns_per_src;	/* 0 = no limit */
	uint32_t max_preauth;		/* >= 1 */
	uint32_t max_preauth_per_src;	/* 0 = no limit */
	uint32_t max_sessions;		/* >= 1 */
	uint32_t max_sessions_per_src;	/* 0 = no limit */
	uint32_t src_fail_limit;	/* 0 = no source lockout */
	uint32_t user_fail_limit;	/* 0 = no user lockout */
	uint32_t fail_window_ms;	/* failures older are forgotten */
	uint32_t lockout_ms;		/* first lockout */
	uint32_t lockout_max_ms;	/* longest lockout */
	uint32_t user_table;		/* user entries (up to a 2^n) */
};

/* A lockout that a failure started. */
struct guard_lock {
	int src_locked, user_locked;	/* 1 if this failure started it */
	uint32_t src_ms, user_ms;	/* its duration */
	/* Failures counted so far. */
	uint32_t src_failures, user_failures;
};

struct guard_stats {
	size_t sources, users;		/* entries in use */
	size_t source_slots, user_slots;
	uint32_t conns, preauth, sessions;	/* live, all sources */
	uint64_t evictions;		/* entries pushed out for room */
	uint64_t table_full;		/* GUARD_TABLE_FULL verdicts */
};

struct guard;

/* Fills the defaults pptpkitd documents (config.c uses the same). */
void guard_config_default(struct guard_config *cfg);
/* NULL on allocation failure. The hash key comes from pk_rand_bytes(). */
struct guard *guard_new(const struct guard_config *cfg);
void guard_free(struct guard *g);

void guard_addr_v4(struct guard_addr *a, uint32_t addr_be);
/* Writes the address as text ("198.18.0.2" for a mapped IPv4 address). */
void guard_addr_str(const struct guard_addr *a, char *buf, size_t len);
/* The config key a verdict stands for ("connect-rate"), for log lines. */
const char *guard_verdict_key(int verdict);

/*
 * A new control connection from a: checks the lockout, the rate and the
 * connection limits, and on GUARD_OK counts it (release with
 * guard_conn_close()). *wait_ms (may be NULL) gets how long a lockout or
 * the rate limit still holds.
 */
int guard_conn_open(struct guard *g, const struct guard_addr *a,
    uint64_t now, uint64_t *wait_ms);
void guard_conn_close(struct guard *g, const struct guard_addr *a);

/* A call request: takes an unauthenticated-call slot, or refuses. */
int guard_call_open(struct guard *g, const struct guard_addr *a);
/* The call authenticated: its slot becomes a session slot, or
 * GUARD_SRC_SESSIONS / GUARD_SESSIONS (then it stays unauthenticated). */
int guard_call_authed(struct guard *g, const struct guard_addr *a);
/* The call ended; authed says which slot it held. */
void guard_call_close(struct guard *g, const struct guard_addr *a,
    int authed);
/* 1 if one more session (from a, and in all) would be within limits. */
int guard_session_room(const struct guard *g, const struct guard_addr *a);

/*
 * Before a password is checked: GUARD_OK, GUARD_SRC_LOCKED or
 * GUARD_USER_LOCKED (*wait_ms, may be NULL, gets the time left). A locked
 * attempt must be refused without checking the password.
 */
int guard_auth_check(struct guard *g, const struct guard_addr *a,
    const char *user, uint64_t now, uint64_t *wait_ms);
/* After: counts a failure (and starts lockouts, reported in *lock, may be
 * NULL) or records a success. */
void guard_auth_result(struct guard *g, const struct guard_addr *a,
    const char *user, int ok, uint64_t now, struct guard_lock *lock);

void guard_get_stats(const struct guard *g, struct guard_stats *st);

#endif
