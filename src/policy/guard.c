/* guard.c - per-source and per-user admission limits (see guard.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rand.h"
#include "core/siphash.h"
#include "crypto/crypto.h"
#include "policy/guard.h"

#define SRC_TABLE_MIN 1024
#define TOKEN 1000		/* one token, in thousandths */

/* Failure counting and backoff, shared by sources and users. */
struct guard_fail {
	uint32_t failures;
	uint32_t lockouts;	/* backoff level */
	uint64_t last_failure;
	uint64_t locked_until;
};

struct guard_src {
	struct guard_addr addr;
	int used;
	uint64_t last_seen;
	uint64_t tokens;	/* thousandths */
	uint64_t tokens_at;
	uint32_t conns, preauth, sessions;
	struct guard_fail fail;
};

struct guard_user {
	uint64_t id[2];		/* two keyed hashes of the name */
	int used;
	uint64_t last_seen;
	struct guard_fail fail;
	struct guard_addr good[GUARD_GOOD_SOURCES];	/* newest first */
	size_t n_good;
};

struct guard {
	struct guard_config cfg;
	uint8_t key[3][PK_SIPHASH_KEY_LEN];	/* buckets, user id x2 */
	struct guard_src *src;
	size_t n_src;		/* slots, a power of two */
	struct guard_user *user;
	size_t n_user;
	uint32_t conns, preauth, sessions;
	uint64_t evictions, table_full;
};

void
guard_config_default(struct guard_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->conn_rate = 20;
	cfg->conn_burst = 20;
	cfg->max_conns = 2048;
	cfg->max_conns_per_src = 64;
	cfg->max_preauth = 128;
	cfg->max_preauth_per_src = 8;
	cfg->max_sessions = 1024;
	cfg->max_sessions_per_src = 0;
	cfg->src_fail_limit = 10;
	cfg->user_fail_limit = 5;
	cfg->fail_window_ms = 15 * 60 * 1000;
	cfg->lockout_ms = 60 * 1000;
	cfg->lockout_max_ms = 60 * 60 * 1000;
	cfg->user_table = 4096;
}

static size_t
pow2_at_least(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

struct guard *
guard_new(const struct guard_config *cfg)
{
	struct guard *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return NULL;
	g->cfg = *cfg;
	if (g->cfg.conn_burst == 0)
		g->cfg.conn_burst = 1;
	pk_rand_bytes(g->key, sizeof(g->key));
	g->n_src = pow2_at_least(cfg->max_conns * (size_t)4 > SRC_TABLE_MIN ?
	    cfg->max_conns * (size_t)4 : SRC_TABLE_MIN);
	g->n_user = pow2_at_least(cfg->user_table > GUARD_PROBE ?
	    cfg->user_table : GUARD_PROBE);
	g->src = calloc(g->n_src, sizeof(*g->src));
	g->user = calloc(g->n_user, sizeof(*g->user));
	if (g->src == NULL || g->user == NULL) {
		guard_free(g);
		return NULL;
	}
	return g;
}

void
guard_free(struct guard *g)
{
	if (g == NULL)
		return;
	free(g->src);
	free(g->user);
	crypto_wipe(g, sizeof(*g));
	free(g);
}

void
guard_addr_v4(struct guard_addr *a, uint32_t addr_be)
{
	memset(a, 0, sizeof(*a));
	a->b[10] = 0xff;
	a->b[11] = 0xff;
	memcpy(a->b + 12, &addr_be, 4);
}

void
guard_addr_str(const struct guard_addr *a, char *buf, size_t len)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	if (len == 0)
		return;
	if (memcmp(a->b, mapped, sizeof(mapped)) == 0) {
		if (inet_ntop(AF_INET, a->b + 12, buf, (socklen_t)len) != NULL)
			return;
	} else if (inet_ntop(AF_INET6, a->b, buf, (socklen_t)len) != NULL)
		return;
	buf[0] = '\0';
}

const char *
guard_verdict_key(int verdict)
{
	switch (verdict) {
	case GUARD_OK:
		return "ok";
	case GUARD_RATE:
		return "connect-rate";
	case GUARD_SRC_CONNS:
		return "max-connections-per-ip";
	case GUARD_CONNS:
		return "max-connections";
	case GUARD_SRC_PREAUTH:
		return "max-preauth-per-ip";
	case GUARD_PREAUTH:
		return "max-preauth";
	case GUARD_SRC_SESSIONS:
		return "max-sessions-per-ip";
	case GUARD_SESSIONS:
		return "max-sessions";
	case GUARD_SRC_LOCKED:
		return "lockout-failures-per-ip";
	case GUARD_USER_LOCKED:
		return "lockout-failures-per-user";
	case GUARD_TABLE_FULL:
		return "max-connections";
	}
	return "?";
}

/* ---- the source table ------------------------------------------------ */

static int
src_live(const struct guard_src *e)
{
	return e->conns != 0 || e->preauth != 0 || e->sessions != 0;
}

static int
fail_locked(const struct guard_fail *f, uint64_t now)
{
	return f->locked_until > now;
}

/*
 * The entry for a, or NULL. With create, a free slot of a's probe window
 * is taken, else the stalest entry there without live counts is evicted
 * (a locked one last); NULL if every slot holds live counts.
 */
static struct guard_src *
src_find(struct guard *g, const struct guard_addr *a, uint64_t now,
    int create)
{
	size_t mask = g->n_src - 1;
	size_t home = (size_t)pk_siphash24(g->key[0], a->b, sizeof(a->b)) &
	    mask;
	struct guard_src *free_slot = NULL, *victim = NULL;
	int victim_locked = 0;

	for (size_t i = 0; i < GUARD_PROBE; i++) {
		struct guard_src *e = &g->src[(home + i) & mask];
		int locked;

		if (!e->used) {
			if (free_slot == NULL)
				free_slot = e;
			continue;
		}
		if (memcmp(e->addr.b, a->b, sizeof(a->b)) == 0)
			return e;
		if (src_live(e))
			continue;
		locked = fail_locked(&e->fail, now);
		if (victim == NULL || (victim_locked && !locked) ||
		    (victim_locked == locked &&
		    e->last_seen < victim->last_seen)) {
			victim = e;
			victim_locked = locked;
		}
	}
	if (!create)
		return NULL;
	if (free_slot == NULL) {
		if (victim == NULL) {
			g->table_full++;
			return NULL;
		}
		free_slot = victim;
		g->evictions++;
	}
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = 1;
	free_slot->addr = *a;
	free_slot->last_seen = now;
	free_slot->tokens = (uint64_t)g->cfg.conn_burst * TOKEN;
	free_slot->tokens_at = now;
	return free_slot;
}

/* ---- the user table -------------------------------------------------- */

static struct guard_user *
user_find(struct guard *g, const char *name, uint64_t now, int create)
{
	size_t len = strlen(name), mask = g->n_user - 1;
	uint64_t id0 = pk_siphash24(g->key[1], name, len);
	uint64_t id1 = pk_siphash24(g->key[2], name, len);
	size_t home = (size_t)id0 & mask;
	struct guard_user *free_slot = NULL, *victim = NULL;
	int victim_locked = 0;

	for (size_t i = 0; i < GUARD_PROBE; i++) {
		struct guard_user *e = &g->user[(home + i) & mask];
		int locked;

		if (!e->used) {
			if (free_slot == NULL)
				free_slot = e;
			continue;
		}
		if (e->id[0] == id0 && e->id[1] == id1)
			return e;
		locked = fail_locked(&e->fail, now);
		if (victim == NULL || (victim_locked && !locked) ||
		    (victim_locked == locked &&
		    e->last_seen < victim->last_seen)) {
			victim = e;
			victim_locked = locked;
		}
	}
	if (!create)
		return NULL;
	if (free_slot == NULL) {
		free_slot = victim;	/* the window is never empty */
		g->evictions++;
	}
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = 1;
	free_slot->id[0] = id0;
	free_slot->id[1] = id1;
	free_slot->last_seen = now;
	return free_slot;
}

static int
user_good_source(const struct guard_user *u, const struct guard_addr *a)
{
	for (size_t i = 0; i < u->n_good; i++)
		if (memcmp(u->good[i].b, a->b, sizeof(a->b)) == 0)
			return 1;
	return 0;
}

static void
user_add_good(struct guard_user *u, const struct guard_addr *a)
{
	size_t i, n = u->n_good;

	for (i = 0; i < n; i++)
		if (memcmp(u->good[i].b, a->b, sizeof(a->b)) == 0)
			break;
	if (i == n && n < GUARD_GOOD_SOURCES)
		u->n_good = ++n;
	if (i == GUARD_GOOD_SOURCES)
		i--;			/* the oldest goes */
	memmove(&u->good[1], &u->good[0], i * sizeof(u->good[0]));
	u->good[0] = *a;
}

/* ---- failures and backoff -------------------------------------------- */

/* Counts one failure; returns the lockout it starts (ms), or 0. */
static uint32_t
fail_count(const struct guard_config *cfg, struct guard_fail *f,
    uint32_t limit, uint64_t now)
{
	uint64_t quiet = now - f->last_failure;
	uint64_t ms;

	if (f->last_failure != 0 && quiet > cfg->fail_window_ms)
		f->failures = 0;
	if (f->last_failure != 0 && quiet > cfg->lockout_max_ms)
		f->lockouts = 0;
	f->last_failure = now;
	if (limit == 0 || ++f->failures < limit)
		return 0;
	/* lockout_ms, doubled per earlier lockout, at most lockout_max. */
	ms = cfg->lockout_ms;
	for (uint32_t i = 0; i < f->lockouts && ms < cfg->lockout_max_ms; i++)
		ms *= 2;
	if (ms > cfg->lockout_max_ms)
		ms = cfg->lockout_max_ms;
	f->locked_until = now + ms;
	f->lockouts++;
	f->failures = 0;
	return (uint32_t)ms;
}

/* ---- connections ------------------------------------------------------ */

static void
refill(const struct guard_config *cfg, struct guard_src *e, uint64_t now)
{
	uint64_t cap = (uint64_t)cfg->conn_burst * TOKEN;

	if (now > e->tokens_at) {
		uint64_t add = (now - e->tokens_at) * cfg->conn_rate;

		e->tokens = cap - e->tokens < add ? cap : e->tokens + add;
		e->tokens_at = now;
	}
}

int
guard_conn_open(struct guard *g, const struct guard_addr *a, uint64_t now,
    uint64_t *wait_ms)
{
	struct guard_src *e;

	if (wait_ms != NULL)
		*wait_ms = 0;
	if ((e = src_find(g, a, now, 1)) == NULL)
		return GUARD_TABLE_FULL;
	e->last_seen = now;
	if (fail_locked(&e->fail, now)) {
		if (wait_ms != NULL)
			*wait_ms = e->fail.locked_until - now;
		return GUARD_SRC_LOCKED;
	}
	if (g->cfg.conn_rate != 0) {
		refill(&g->cfg, e, now);
		if (e->tokens < TOKEN) {
			if (wait_ms != NULL)
				*wait_ms = (TOKEN - e->tokens +
				    g->cfg.conn_rate - 1) / g->cfg.conn_rate;
			return GUARD_RATE;
		}
		e->tokens -= TOKEN;
	}
	if (g->cfg.max_conns_per_src != 0 &&
	    e->conns >= g->cfg.max_conns_per_src)
		return GUARD_SRC_CONNS;
	if (g->conns >= g->cfg.max_conns)
		return GUARD_CONNS;
	e->conns++;
	g->conns++;
	return GUARD_OK;
}

void
guard_conn_close(struct guard *g, const struct guard_addr *a)
{
	struct guard_src *e = src_find(g, a, 0, 0);

	if (e == NULL || e->conns == 0)
		return;
	e->conns--;
	g->conns--;
}

/* ---- calls ------------------------------------------------------------- */

int
guard_call_open(struct guard *g, const struct guard_addr *a)
{
	struct guard_src *e = src_find(g, a, 0, 0);

	/* A call comes on a counted connection, so its entry exists. */
	if (e == NULL)
		return GUARD_TABLE_FULL;
	if (g->cfg.max_preauth_per_src != 0 &&
	    e->preauth >= g->cfg.max_preauth_per_src)
		return GUARD_SRC_PREAUTH;
	if (g->preauth >= g->cfg.max_preauth)
		return GUARD_PREAUTH;
	e->preauth++;
	g->preauth++;
	return GUARD_OK;
}

int
guard_session_room(const struct guard *g, const struct guard_addr *a)
{
	struct guard_src *e = src_find((struct guard *)g, a, 0, 0);

	if (g->sessions >= g->cfg.max_sessions)
		return 0;
	return g->cfg.max_sessions_per_src == 0 || e == NULL ||
	    e->sessions < g->cfg.max_sessions_per_src;
}

int
guard_call_authed(struct guard *g, const struct guard_addr *a)
{
	struct guard_src *e = src_find(g, a, 0, 0);

	if (e == NULL || e->preauth == 0)
		return GUARD_TABLE_FULL;
	if (g->cfg.max_sessions_per_src != 0 &&
	    e->sessions >= g->cfg.max_sessions_per_src)
		return GUARD_SRC_SESSIONS;
	if (g->sessions >= g->cfg.max_sessions)
		return GUARD_SESSIONS;
	e->preauth--;
	g->preauth--;
	e->sessions++;
	g->sessions++;
	return GUARD_OK;
}

void
guard_call_close(struct guard *g, const struct guard_addr *a, int authed)
{
	struct guard_src *e = src_find(g, a, 0, 0);

	if (e == NULL)
		return;
	if (authed && e->sessions > 0) {
		e->sessions--;
		g->sessions--;
	} else if (!authed && e->preauth > 0) {
		e->preauth--;
		g->preauth--;
	}
}

/* ---- authentication ------------------------------------------------------ */

int
guard_auth_check(struct guard *g, const struct guard_addr *a,
    const char *user, uint64_t now, uint64_t *wait_ms)
{
	struct guard_src *e = src_find(g, a, now, 0);
	struct guard_user *u = user_find(g, user, now, 0);

	if (wait_ms != NULL)
		*wait_ms = 0;
	if (e != NULL && fail_locked(&e->fail, now)) {
		if (wait_ms != NULL)
			*wait_ms = e->fail.locked_until - now;
		return GUARD_SRC_LOCKED;
	}
	if (u != NULL && fail_locked(&u->fail, now) &&
	    !user_good_source(u, a)) {
		if (wait_ms != NULL)
			*wait_ms = u->fail.locked_until - now;
		return GUARD_USER_LOCKED;
	}
	return GUARD_OK;
}

void
guard_auth_result(struct guard *g, const struct guard_addr *a,
    const char *user, int ok, uint64_t now, struct guard_lock *lock)
{
	struct guard_src *e = src_find(g, a, now, !ok);
	struct guard_user *u = user_find(g, user, now, 1);
	uint32_t ms;

	if (lock != NULL)
		memset(lock, 0, sizeof(*lock));
	u->last_seen = now;
	if (ok) {
		memset(&u->fail, 0, sizeof(u->fail));
		user_add_good(u, a);
		if (e != NULL)
			e->last_seen = now;
		return;
	}
	if (e != NULL) {
		e->last_seen = now;
		ms = fail_count(&g->cfg, &e->fail, g->cfg.src_fail_limit, now);
		if (lock != NULL) {
			lock->src_locked = ms != 0;
			lock->src_ms = ms;
			lock->src_failures = ms != 0 ? g->cfg.src_fail_limit :
			    e->fail.failures;
		}
	}
	/* A failure from one of the user's usual places still counts
	 * against the source, but cannot lock the user out of it. */
	ms = fail_count(&g->cfg, &u->fail, g->cfg.user_fail_limit, now);
	if (lock != NULL) {
		lock->user_locked = ms != 0;
		lock->user_ms = ms;
		lock->user_failures = ms != 0 ? g->cfg.user_fail_limit :
		    u->fail.failures;
	}
}

void
guard_get_stats(const struct guard *g, struct guard_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < g->n_src; i++)
		st->sources += g->src[i].used != 0;
	for (size_t i = 0; i < g->n_user; i++)
		st->users += g->user[i].used != 0;
	st->source_slots = g->n_src;
	st->user_slots = g->n_user;
	st->conns = g->conns;
	st->preauth = g->preauth;
	st->sessions = g->sessions;
	st->evictions = g->evictions;
	st->table_full = g->table_full;
}
