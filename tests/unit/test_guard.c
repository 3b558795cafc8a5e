/*
 * test_guard.c - the admission limits of policy/guard.c: the keyed
 * per-source rate limiter (also against a naive reference, and the
 * two-address bypass the old 1024-bucket array allowed), connection,
 * unauthenticated-call and session caps, and the lockout with its
 * growing backoff; SipHash-2-4 against the paper's vector.
 */
#include <arpa/inet.h>

#include "core/rand.h"
#include "core/siphash.h"
#include "policy/guard.h"
#include "test.h"

static struct guard_addr
v4(const char *s)
{
	struct guard_addr a;
	struct in_addr in;

	inet_pton(AF_INET, s, &in);
	guard_addr_v4(&a, in.s_addr);
	return a;
}

/* A pointer to a fresh address, for one call's argument. */
#define A(s) (&(struct guard_addr[1]){ v4(s) }[0])

static struct guard_addr
v4n(uint32_t host_order)
{
	struct guard_addr a;

	guard_addr_v4(&a, htonl(host_order));
	return a;
}

static void
test_siphash_vector(void)
{
	uint8_t key[16], msg[64];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	/* SipHash paper, Appendix A: 15 bytes 00..0e. */
	CHECK(pk_siphash24(key, msg, 15) == 0xa129ca6149be45e5ULL);
	/* Reference implementation's vectors.h, lengths 0 and 8. */
	CHECK(pk_siphash24(key, msg, 0) == 0x726fdb47dd0e0e31ULL);
	CHECK(pk_siphash24(key, msg, 8) == 0x93f5f5799a932462ULL);
}

static void
test_addr_str(void)
{
	struct guard_addr a = v4("198.18.0.2");
	char buf[64];

	guard_addr_str(&a, buf, sizeof(buf));
	CHECK_STR(buf, "198.18.0.2");
	memset(&a, 0, sizeof(a));
	a.b[0] = 0x20;
	a.b[1] = 0x01;
	a.b[2] = 0x0d;
	a.b[3] = 0xb8;
	a.b[15] = 1;
	guard_addr_str(&a, buf, sizeof(buf));
	CHECK_STR(buf, "2001:db8::1");
}

static struct guard *
new_guard(uint32_t rate, uint32_t burst)
{
	struct guard_config cfg;

	guard_config_default(&cfg);
	cfg.conn_rate = rate;
	cfg.conn_burst = burst;
	cfg.max_conns_per_src = 0;
	return guard_new(&cfg);
}

/* Opens and closes n connections from a at now; returns how many got in. */
static int
burst_from(struct guard *g, const struct guard_addr *a, int n, uint64_t now)
{
	int in = 0;

	for (int i = 0; i < n; i++) {
		if (guard_conn_open(g, a, now, NULL) == GUARD_OK) {
			in++;
			guard_conn_close(g, a);
		}
	}
	return in;
}

static void
test_rate_one_source(void)
{
	struct guard *g = new_guard(20, 20);
	struct guard_addr a = v4("198.18.3.2");
	uint64_t wait;

	CHECK(g != NULL);
	CHECK_INT(burst_from(g, &a, 100, 1000), 20);
	CHECK_INT(guard_conn_open(g, &a, 1000, &wait), GUARD_RATE);
	CHECK_INT(wait, 50);		/* one token at 20/s */
	/* 20 per second refill, in thousandths: 0.5 s brings 10. */
	CHECK_INT(burst_from(g, &a, 100, 1500), 10);
	CHECK_INT(burst_from(g, &a, 100, 1549), 0);
	CHECK_INT(burst_from(g, &a, 100, 1550), 1);
	/* Closing connections gives nothing back: it is a rate. */
	CHECK_INT(burst_from(g, &a, 100, 1550), 0);
	/* A long pause fills the bucket, never beyond the burst. */
	CHECK_INT(burst_from(g, &a, 100, 100000), 20);
	guard_free(g);
}

/*
 * The old limiter hashed part of the address into 1024 buckets and reset
 * a bucket when another address landed in it, so two colliding addresses
 * taking turns were never limited (98 of 100 got through). Here each
 * address has its own bucket: two addresses get twice one's burst.
 */
static void
test_rate_two_alternating(void)
{
	struct guard *g = new_guard(20, 20);
	struct guard_addr a = v4("198.18.3.10"), b;
	uint32_t na, nb;
	int in = 0;

	/* Find an address that collided with a in the old scheme. */
	inet_pton(AF_INET, "198.18.3.10", &na);
	for (uint32_t i = 11;; i++) {
		nb = htonl(0xc6120300u + i);	/* 198.18.3.i */
		if ((na * 2654435761u) % 1024 == (nb * 2654435761u) % 1024)
			break;
	}
	guard_addr_v4(&b, nb);
	for (int i = 0; i < 100; i++) {
		const struct guard_addr *x = i % 2 == 0 ? &a : &b;

		if (guard_conn_open(g, x, 1000 + (uint64_t)i, NULL) ==
		    GUARD_OK) {
			in++;
			guard_conn_close(g, x);
		}
	}
	/* 20 each, plus what 50 ms of refill brings (one token each). */
	CHECK(in >= 40 && in <= 42);
	guard_free(g);
}

/* Many sources, random order: exactly what a per-address reference
 * bucket would admit. */
static void
test_rate_reference(void)
{
	enum { N = 300, ROUNDS = 20000 };
	struct guard *g = new_guard(5, 3);
	static uint64_t tokens[N], at[N];
	uint64_t now = 1000;
	int got = 0, want = 0;

	pk_rand_use_seeded(7);
	for (int i = 0; i < N; i++) {
		tokens[i] = 3000;
		at[i] = 0;
	}
	for (int r = 0; r < ROUNDS; r++) {
		uint32_t x = pk_rand_u32();
		int i = (int)(x % N);
		struct guard_addr a = v4n(0xc6130000u + (uint32_t)i * 977);

		now += (x >> 16) % 7;
		/* Reference: first sight fills the bucket, then refill. */
		if (at[i] == 0)
			at[i] = now;
		tokens[i] += (now - at[i]) * 5;
		if (tokens[i] > 3000)
			tokens[i] = 3000;
		at[i] = now;
		if (tokens[i] >= 1000) {
			tokens[i] -= 1000;
			want++;
		}
		if (guard_conn_open(g, &a, now, NULL) == GUARD_OK) {
			got++;
			guard_conn_close(g, &a);
		}
	}
	CHECK_INT(got, want);
	CHECK(want > 1000 && want < ROUNDS);
	guard_free(g);
	pk_rand_set_source(NULL, NULL);
}

static void
test_conn_caps(void)
{
	struct guard_config cfg;
	struct guard *g;
	struct guard_addr a = v4("198.18.3.2"), b = v4("198.18.3.3");
	struct guard_stats st;

	guard_config_default(&cfg);
	cfg.conn_rate = 0;
	cfg.max_conns = 10;
	cfg.max_conns_per_src = 4;
	g = guard_new(&cfg);
	for (int i = 0; i < 4; i++)
		CHECK_INT(guard_conn_open(g, &a, 1, NULL), GUARD_OK);
	CHECK_INT(guard_conn_open(g, &a, 1, NULL), GUARD_SRC_CONNS);
	guard_conn_close(g, &a);
	CHECK_INT(guard_conn_open(g, &a, 1, NULL), GUARD_OK);
	for (int i = 0; i < 4; i++)
		CHECK_INT(guard_conn_open(g, &b, 1, NULL), GUARD_OK);
	/* Eight live; two more sources fill the global cap. */
	CHECK_INT(guard_conn_open(g, A("198.18.3.4"),
	    1, NULL), GUARD_OK);
	CHECK_INT(guard_conn_open(g, A("198.18.3.5"),
	    1, NULL), GUARD_OK);
	CHECK_INT(guard_conn_open(g, A("198.18.3.6"),
	    1, NULL), GUARD_CONNS);
	guard_get_stats(g, &st);
	CHECK_INT(st.conns, 10);
	/* Closing more than was opened changes nothing. */
	guard_conn_close(g, A("198.18.9.9"));
	guard_get_stats(g, &st);
	CHECK_INT(st.conns, 10);
	guard_free(g);
}

static void
test_call_caps(void)
{
	struct guard_config cfg;
	struct guard *g;
	struct guard_addr a = v4("198.18.3.2"), b = v4("198.18.0.2");
	struct guard_stats st;

	guard_config_default(&cfg);
	cfg.conn_rate = 0;
	cfg.max_preauth = 6;
	cfg.max_preauth_per_src = 4;
	cfg.max_sessions = 2;
	cfg.max_sessions_per_src = 1;
	g = guard_new(&cfg);
	CHECK_INT(guard_conn_open(g, &a, 1, NULL), GUARD_OK);
	CHECK_INT(guard_conn_open(g, &b, 1, NULL), GUARD_OK);
	/* One unauthenticated source cannot take every slot. */
	for (int i = 0; i < 4; i++)
		CHECK_INT(guard_call_open(g, &a), GUARD_OK);
	CHECK_INT(guard_call_open(g, &a), GUARD_SRC_PREAUTH);
	CHECK_INT(guard_call_open(g, &b), GUARD_OK);
	CHECK_INT(guard_call_open(g, &b), GUARD_OK);
	CHECK_INT(guard_call_open(g, &b), GUARD_PREAUTH);
	/* b authenticates: its slot moves to the session side. */
	CHECK(guard_session_room(g, &b));
	CHECK_INT(guard_call_authed(g, &b), GUARD_OK);
	CHECK(!guard_session_room(g, &b));
	CHECK_INT(guard_call_authed(g, &b), GUARD_SRC_SESSIONS);
	CHECK_INT(guard_call_open(g, &b), GUARD_OK);
	guard_get_stats(g, &st);
	CHECK_INT(st.preauth, 6);
	CHECK_INT(st.sessions, 1);
	CHECK_INT(guard_call_authed(g, &a), GUARD_OK);
	CHECK_INT(guard_call_authed(g, &a), GUARD_SRC_SESSIONS);
	CHECK(!guard_session_room(g, A("1.2.3.4")));
	guard_call_close(g, &a, 1);
	guard_call_close(g, &a, 0);
	guard_call_close(g, &b, 1);
	guard_get_stats(g, &st);
	CHECK_INT(st.preauth, 4);
	CHECK_INT(st.sessions, 0);
	guard_free(g);
}

static struct guard *
lockout_guard(void)
{
	struct guard_config cfg;

	guard_config_default(&cfg);
	cfg.src_fail_limit = 10;
	cfg.user_fail_limit = 5;
	cfg.lockout_ms = 60000;
	cfg.lockout_max_ms = 3600000;
	cfg.fail_window_ms = 900000;
	return guard_new(&cfg);
}

static void
test_lockout_source_backoff(void)
{
	struct guard *g = lockout_guard();
	struct guard_addr a = v4("198.18.3.2");
	struct guard_lock lk;
	uint64_t now = 1000, wait, want_ms = 60000;
	char user[16];

	/* One mistype locks nothing. */
	guard_auth_result(g, &a, "alice", 0, now, &lk);
	CHECK(!lk.src_locked && !lk.user_locked);
	CHECK_INT(guard_auth_check(g, &a, "alice", now, NULL), GUARD_OK);
	guard_auth_result(g, &a, "alice", 1, now, NULL);
	/* A guessing run over many names: the source locks after 10
	 * failures (9 more here), for 60 s, then 120, 240, ... 3600. */
	for (int round = 0; round < 8; round++) {
		int n = round == 0 ? 9 : 10;

		for (int i = 0; i < n; i++) {
			snprintf(user, sizeof(user), "u%d", round * 10 + i);
			CHECK_INT(guard_auth_check(g, &a, user, now, NULL),
			    GUARD_OK);
			guard_auth_result(g, &a, user, 0, now, &lk);
			CHECK_INT(lk.src_locked, i == n - 1);
		}
		CHECK_INT(lk.src_ms, want_ms);
		CHECK_INT(guard_auth_check(g, &a, "alice", now, &wait),
		    GUARD_SRC_LOCKED);
		CHECK_INT(wait, want_ms);
		CHECK_INT(guard_conn_open(g, &a, now, &wait), GUARD_SRC_LOCKED);
		now += want_ms - 1;
		CHECK_INT(guard_auth_check(g, &a, "x", now, NULL),
		    GUARD_SRC_LOCKED);
		now += 1;
		CHECK_INT(guard_auth_check(g, &a, "x", now, NULL), GUARD_OK);
		want_ms = want_ms * 2 > 3600000 ? 3600000 : want_ms * 2;
	}
	/* A quiet hour forgets the backoff: back to 60 s. */
	now += 3600001;
	for (int i = 0; i < 10; i++)
		guard_auth_result(g, &a, "y", 0, now, &lk);
	CHECK_INT(lk.src_ms, 60000);
	guard_free(g);
}

static void
test_lockout_window(void)
{
	struct guard *g = lockout_guard();
	struct guard_addr a = v4("198.18.3.2");
	struct guard_lock lk;
	uint64_t now = 1000;

	/* Nine failures, a quiet quarter of an hour, nine more: the
	 * first nine are forgotten. */
	for (int i = 0; i < 9; i++)
		guard_auth_result(g, &a, "w", 0, now, &lk);
	now += 900001;
	for (int i = 0; i < 9; i++) {
		guard_auth_result(g, &a, "z", 0, now, &lk);
		CHECK(!lk.src_locked);
	}
	CHECK_INT(lk.src_failures, 9);
	guard_free(g);
}

static void
test_lockout_user(void)
{
	struct guard *g = lockout_guard();
	struct guard_addr home = v4("198.18.0.2"), ev[5];
	struct guard_lock lk;
	uint64_t now = 1000, wait;

	/* alice logs in from home once. */
	guard_auth_result(g, &home, "alice", 1, now, NULL);
	/* Five guesses from five addresses (none reaches its own source
	 * limit) lock alice for 60 s... */
	for (int i = 0; i < 5; i++) {
		ev[i] = v4n(0xc6120400u + (uint32_t)i);
		CHECK_INT(guard_auth_check(g, &ev[i], "alice", now, NULL),
		    GUARD_OK);
		guard_auth_result(g, &ev[i], "alice", 0, now, &lk);
		CHECK_INT(lk.user_locked, i == 4);
		CHECK(!lk.src_locked);
	}
	CHECK_INT(lk.user_ms, 60000);
	/* ... from everywhere but the places she logs in from. */
	CHECK_INT(guard_auth_check(g, &ev[0], "alice", now, &wait),
	    GUARD_USER_LOCKED);
	CHECK_INT(wait, 60000);
	CHECK_INT(guard_auth_check(g, A("9.9.9.9"),
	    "alice", now, NULL), GUARD_USER_LOCKED);
	CHECK_INT(guard_auth_check(g, &home, "alice", now, NULL), GUARD_OK);
	CHECK_INT(guard_auth_check(g, &ev[0], "bob", now, NULL), GUARD_OK);
	/* Her success clears the lock and its backoff. */
	guard_auth_result(g, &home, "alice", 1, now, NULL);
	CHECK_INT(guard_auth_check(g, &ev[0], "alice", now, NULL), GUARD_OK);
	for (int i = 0; i < 5; i++)
		guard_auth_result(g, &ev[i], "alice", 0, now, &lk);
	CHECK_INT(lk.user_ms, 60000);
	guard_free(g);
}

/* More sources than slots: idle entries are evicted, live ones never,
 * and a live entry's counts stay exact. */
static void
test_table_bounded(void)
{
	struct guard_config cfg;
	struct guard *g;
	struct guard_stats st;
	struct guard_addr keep = v4("198.18.0.2");

	guard_config_default(&cfg);
	cfg.conn_rate = 1;
	cfg.conn_burst = 1;
	cfg.max_conns = 64;
	cfg.max_conns_per_src = 2;
	g = guard_new(&cfg);
	CHECK_INT(guard_conn_open(g, &keep, 1, NULL), GUARD_OK);
	CHECK_INT(guard_call_open(g, &keep), GUARD_OK);
	for (uint32_t i = 0; i < 100000; i++) {
		struct guard_addr a = v4n(0x0a000000u + i);
		int v = guard_conn_open(g, &a, 2 + i, NULL);

		CHECK(v == GUARD_OK || v == GUARD_TABLE_FULL);
		if (v == GUARD_OK)
			guard_conn_close(g, &a);
	}
	guard_get_stats(g, &st);
	CHECK_INT(st.source_slots, 1024);
	CHECK(st.sources <= 1024);
	CHECK(st.evictions >= 100000 - 1024);
	CHECK_INT(st.table_full, 0);
	CHECK_INT(st.conns, 1);
	CHECK_INT(st.preauth, 1);
	/* keep's entry survived with its bucket spent and its counts. */
	CHECK_INT(guard_conn_open(g, &keep, 3, NULL), GUARD_RATE);
	guard_call_close(g, &keep, 0);
	guard_conn_close(g, &keep);
	guard_get_stats(g, &st);
	CHECK_INT(st.conns, 0);
	CHECK_INT(st.preauth, 0);
	guard_free(g);
}

static void
test_verdict_keys(void)
{
	CHECK_STR(guard_verdict_key(GUARD_RATE), "connect-rate");
	CHECK_STR(guard_verdict_key(GUARD_SRC_PREAUTH), "max-preauth-per-ip");
	CHECK_STR(guard_verdict_key(GUARD_USER_LOCKED),
	    "lockout-failures-per-user");
	CHECK_STR(guard_verdict_key(999), "?");
}

int
main(void)
{
	RUN(test_siphash_vector);
	RUN(test_addr_str);
	RUN(test_rate_one_source);
	RUN(test_rate_two_alternating);
	RUN(test_rate_reference);
	RUN(test_conn_caps);
	RUN(test_call_caps);
	RUN(test_lockout_source_backoff);
	RUN(test_lockout_window);
	RUN(test_lockout_user);
	RUN(test_table_bounded);
	RUN(test_verdict_keys);
	TEST_MAIN_END();
}
