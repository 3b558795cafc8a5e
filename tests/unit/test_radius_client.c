/*
 * test_radius_client.c - the RADIUS client transaction machine against a
 * fake server (radius_fake.h): what goes on the wire, forged and stray
 * replies (BlastRADIUS: an Access-Accept without a valid
 * Message-Authenticator, or with one but a wrong Response
 * Authenticator, is refused), retransmission, failover and hold-down,
 * the 256-Identifier bound, accounting retransmission with a new
 * Acct-Delay-Time, a long outage with a bounded queue that keeps every
 * Stop, and the rules for a full pk_out.
 */
#include "core/clock.h"
#include "core/err.h"
#include "core/out.h"
#include "core/rand.h"
#include "radius/radius_client.h"
#include "radius/radius_mppe.h"
#include "radius_fake.h"
#include "test.h"

#define T0 1000000

static struct pk_out out;

static void
config(struct radius_client_config *cfg, size_t n)
{
	radius_client_config_default(cfg);
	cfg->n_servers = n;
	for (size_t i = 0; i < n; i++) {
		snprintf((char *)cfg->servers[i].secret,
		    sizeof(cfg->servers[i].secret), "secret%zu", i);
		cfg->servers[i].secret_len = 7;
		snprintf(cfg->servers[i].name, sizeof(cfg->servers[i].name),
		    "s%zu", i);
	}
	cfg->timeout_ms = 1000;
	cfg->tries = 2;
	cfg->dead_ms = 20000;
	snprintf(cfg->log_ctx, sizeof(cfg->log_ctx), "radius=test");
}

static void
access_request(struct radius_request *rq, const char *user, const char *pw,
    uint64_t cookie)
{
	struct buf_writer w;

	radius_request_init(rq, RADIUS_CODE_ACCESS_REQUEST);
	radius_request_writer(rq, &w);
	(void)radius_put_text(&w, RADIUS_ATTR_USER_NAME, user);
	(void)radius_put_text(&w, RADIUS_ATTR_NAS_IDENTIFIER, "nas");
	CHECK_INT(radius_request_commit(rq, &w), PK_OK);
	rq->has_password = 1;
	rq->password_len = strlen(pw);
	memcpy(rq->password, pw, rq->password_len);
	rq->cookie = cookie;
}

static void
acct_request(struct radius_request *rq, int prio, const char *sid,
    uint64_t cookie)
{
	struct buf_writer w;

	radius_request_init(rq, RADIUS_CODE_ACCOUNTING_REQUEST);
	radius_request_writer(rq, &w);
	(void)radius_put_u32(&w, RADIUS_ATTR_ACCT_STATUS_TYPE,
	    prio == RADIUS_PRIO_STOP ? 2 : prio == RADIUS_PRIO_START ? 1 : 3);
	(void)radius_put_text(&w, RADIUS_ATTR_ACCT_SESSION_ID, sid);
	CHECK_INT(radius_request_commit(rq, &w), PK_OK);
	rq->prio = (uint8_t)prio;
	rq->add_delay_time = 1;
	snprintf(rq->key, sizeof(rq->key), "%s", sid);
	rq->cookie = cookie;
}

/* The nth datagram of out, copied (out is reset between steps). */
static size_t
dgram(size_t nth, unsigned *server, uint8_t *buf)
{
	const uint8_t *d;
	size_t len;

	if (!fake_dgram(&out, nth, server, &d, &len))
		return 0;
	memcpy(buf, d, len);
	return len;
}

static size_t
events(int type, struct radius_result *last)
{
	size_t n = 0;

	for (size_t i = 0; i < out.n_items; i++) {
		struct radius_result r;

		if (radius_client_event(&out, i, &r) != 0 || r.type != type)
			continue;
		n++;
		if (last != NULL)
			*last = r;
	}
	return n;
}

/* What an Access-Request looks like on the wire. */
static void
test_request_on_wire(void)
{
	struct radius_client_config cfg;
	struct radius_client *c;
	struct radius_request rq;
	struct radius_packet p;
	struct radius_attr a;
	uint8_t pkt[RADIUS_PACKET_MAX], pw[RADIUS_PASSWORD_MAX];
	unsigned s;
	size_t n;
	uint32_t handle;

	config(&cfg, 2);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	access_request(&rq, "alice", "s3cret", 77);
	CHECK_INT(radius_client_submit(c, T0, &rq, &handle, &out), PK_OK);
	radius_request_wipe(&rq);
	CHECK_INT(fake_count(&out, OUT_UDP), 1);
	n = dgram(0, &s, pkt);
	CHECK_INT(s, 0);
	CHECK_INT(radius_packet_decode(pkt, n, &p), PK_OK);
	CHECK_INT(p.code, RADIUS_CODE_ACCESS_REQUEST);
	/* Message-Authenticator first and valid for server 0's secret. */
	CHECK_INT(p.ma_off, RADIUS_HDR_LEN + 2);
	CHECK_INT(radius_check_ma(&p, p.auth, (const uint8_t *)"secret0", 7),
	    PK_OK);
	CHECK(fake_find(&p, 0, RADIUS_ATTR_USER_PASSWORD, &a));
	CHECK_INT(a.len, 16);
	CHECK_INT(radius_password_unhide(a.value, a.len, p.auth,
	    (const uint8_t *)"secret0", 7, pw), PK_OK);
	CHECK_MEM(pw, "s3cret\0\0\0\0\0\0\0\0\0\0", 16);
	CHECK(fake_find(&p, 0, RADIUS_ATTR_USER_NAME, &a));
	CHECK_INT(radius_client_pending(c), 1);
	CHECK_INT(radius_client_next_deadline(c), T0 + 1000);
	out_reset(&out);
	radius_client_free(c);
}

/*
 * The forged replies of BlastRADIUS (CVE-2024-3596) and their cousins:
 * none completes the request; the genuine answer still does.
 */
static void
test_forged_replies(void)
{
	struct radius_client_config cfg;
	struct radius_server_stats st;
	struct radius_client *c;
	struct radius_request rq;
	struct radius_result res;
	uint8_t req[RADIUS_PACKET_MAX], rep[RADIUS_PACKET_MAX];
	unsigned s;
	size_t n, m;
	uint32_t handle;

	config(&cfg, 1);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	access_request(&rq, "alice", "pw", 5);
	CHECK_INT(radius_client_submit(c, T0, &rq, &handle, &out), PK_OK);
	n = dgram(0, &s, req);
	out_reset(&out);

	/* A forged Access-Accept without Message-Authenticator (its
	 * Response Authenticator right, as a collision would make it). */
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_ACCEPT, "secret0",
	    FAKE_NO_MA, NULL, NULL, rep, sizeof(rep));
	CHECK(m > 0);
	CHECK_INT(radius_client_input(c, T0 + 1, 0, rep, m, &out),
	    PK_ERR_POLICY);
	/* With a Message-Authenticator of the wrong key. */
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_ACCEPT, "secret0",
	    FAKE_BAD_MA, NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 2, 0, rep, m, &out),
	    PK_ERR_AUTH);
	/* With a valid Message-Authenticator but a wrong Response
	 * Authenticator. */
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_ACCEPT, "secret0",
	    FAKE_BAD_AUTH, NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 3, 0, rep, m, &out),
	    PK_ERR_AUTH);
	/* Another Identifier: unsolicited. */
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_ACCEPT, "secret0",
	    FAKE_WRONG_ID, NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 4, 0, rep, m, &out),
	    PK_ERR_NOT_FOUND);
	/* The right answer to the wrong request type. */
	m = fake_reply(req, n, RADIUS_CODE_ACCOUNTING_RESPONSE, "secret0", 0,
	    NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 5, 0, rep, m, &out),
	    PK_ERR_TYPE);
	/* Garbage. */
	CHECK_INT(radius_client_input(c, T0 + 6, 0, rep, 10, &out),
	    PK_ERR_SHORT);
	CHECK_INT(radius_client_input(c, T0 + 6, 1, rep, m, &out),
	    PK_ERR_ARG);
	CHECK_INT(out.n_items, 0);
	CHECK_INT(radius_client_pending(c), 1);
	CHECK_INT(radius_client_server_stats(c, 0, T0, &st), PK_OK);
	CHECK_INT(st.missing_ma, 1);
	CHECK_INT(st.bad_ma, 1);
	CHECK_INT(st.bad_authenticator, 1);
	CHECK_INT(st.unsolicited, 1);
	CHECK_INT(st.malformed, 2);
	CHECK_INT(st.replies, 0);

	/* The genuine Access-Accept. */
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_ACCEPT, "secret0", 0, NULL,
	    NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 10, 0, rep, m, &out), PK_OK);
	CHECK_INT(events(RADIUS_EV_REPLY, &res), 1);
	CHECK_INT(res.handle, handle);
	CHECK_INT(res.cookie, 5);
	CHECK_INT(res.server, 0);
	CHECK_INT(res.reply.code, RADIUS_CODE_ACCESS_ACCEPT);
	CHECK_INT(res.reply.len, m);
	CHECK_MEM(res.req_auth, req + RADIUS_AUTH_OFF, RADIUS_AUTH_LEN);
	CHECK_INT(radius_client_pending(c), 0);
	CHECK_INT(radius_client_next_deadline(c), PK_TIME_NEVER);
	out_reset(&out);
	/* The same answer again: a duplicate, not unsolicited. */
	CHECK_INT(radius_client_input(c, T0 + 11, 0, rep, m, &out),
	    PK_ERR_DUPLICATE);
	CHECK_INT(radius_client_server_stats(c, 0, T0, &st), PK_OK);
	CHECK_INT(st.duplicates, 1);
	CHECK_INT(st.replies, 1);
	CHECK_INT(out.n_items, 0);
	radius_client_free(c);
}

/* require_ma off (radius-require-message-authenticator no): an answer
 * without one is taken, a wrong one still is not. */
static void
test_relaxed_ma(void)
{
	struct radius_client_config cfg;
	struct radius_client *c;
	struct radius_request rq;
	uint8_t req[RADIUS_PACKET_MAX], rep[RADIUS_PACKET_MAX];
	unsigned s;
	size_t n, m;

	config(&cfg, 1);
	cfg.require_ma = 0;
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	access_request(&rq, "bob", "pw", 1);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	n = dgram(0, &s, req);
	out_reset(&out);
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_REJECT, "secret0",
	    FAKE_BAD_MA, NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0, 0, rep, m, &out), PK_ERR_AUTH);
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_REJECT, "secret0",
	    FAKE_NO_MA | FAKE_BAD_AUTH, NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0, 0, rep, m, &out), PK_ERR_AUTH);
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_REJECT, "secret0",
	    FAKE_NO_MA, NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0, 0, rep, m, &out), PK_OK);
	CHECK_INT(events(RADIUS_EV_REPLY, NULL), 1);
	out_reset(&out);
	radius_client_free(c);
}

/*
 * Retransmission (same bytes), failover to the second server (new ID,
 * new authenticator, password hidden with its secret), hold-down of the
 * first, and its return once the hold-down is over.
 */
static void
test_failover_and_hold_down(void)
{
	struct radius_client_config cfg;
	struct radius_server_stats st;
	struct radius_client *c;
	struct radius_request rq;
	struct radius_packet p;
	struct radius_attr a;
	uint8_t first[RADIUS_PACKET_MAX], again[RADIUS_PACKET_MAX];
	uint8_t onb[RADIUS_PACKET_MAX], rep[RADIUS_PACKET_MAX];
	uint8_t pw[RADIUS_PASSWORD_MAX];
	unsigned s;
	size_t n, n2, nb, m;

	config(&cfg, 2);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	access_request(&rq, "carol", "pw", 9);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	n = dgram(0, &s, first);
	CHECK_INT(s, 0);
	out_reset(&out);
	/* Nothing before the deadline. */
	CHECK_INT(radius_client_timeout(c, T0 + 999, &out), PK_OK);
	CHECK_INT(out.n_items, 0);
	/* Second try: the very same packet (RFC 2865 §3). */
	CHECK_INT(radius_client_timeout(c, T0 + 1000, &out), PK_OK);
	n2 = dgram(0, &s, again);
	CHECK_INT(s, 0);
	CHECK_INT(n2, n);
	CHECK_MEM(again, first, n);
	out_reset(&out);
	/* Tries exhausted: on to server 1. */
	CHECK_INT(radius_client_timeout(c, T0 + 2000, &out), PK_OK);
	nb = dgram(0, &s, onb);
	CHECK_INT(s, 1);
	CHECK_INT(radius_packet_decode(onb, nb, &p), PK_OK);
	CHECK(memcmp(p.auth, first + RADIUS_AUTH_OFF, 16) != 0);
	CHECK_INT(radius_check_ma(&p, p.auth, (const uint8_t *)"secret1", 7),
	    PK_OK);
	CHECK(fake_find(&p, 0, RADIUS_ATTR_USER_PASSWORD, &a));
	CHECK_INT(radius_password_unhide(a.value, a.len, p.auth,
	    (const uint8_t *)"secret1", 7, pw), PK_OK);
	CHECK_MEM(pw, "pw\0", 3);
	out_reset(&out);
	CHECK_INT(radius_client_server_stats(c, 0, T0 + 2000, &st), PK_OK);
	CHECK_INT(st.dead, 1);
	CHECK_INT(st.timeouts, 1);
	CHECK_INT(st.retransmissions, 1);
	CHECK_INT(st.outstanding, 0);
	/* Server 0's late answer to the first packet is not lost on us:
	 * counted as a duplicate, nothing else. */
	m = fake_reply(first, n, RADIUS_CODE_ACCESS_ACCEPT, "secret0", 0,
	    NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 2100, 0, rep, m, &out),
	    PK_ERR_DUPLICATE);
	m = fake_reply(onb, nb, RADIUS_CODE_ACCESS_ACCEPT, "secret1", 0, NULL,
	    NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 2200, 1, rep, m, &out), PK_OK);
	CHECK_INT(events(RADIUS_EV_REPLY, NULL), 1);
	out_reset(&out);

	/* Server 0 is held down: the next request goes straight to 1. */
	access_request(&rq, "dave", "pw", 10);
	CHECK_INT(radius_client_submit(c, T0 + 3000, &rq, NULL, &out), PK_OK);
	CHECK(dgram(0, &s, onb) > 0);
	CHECK_INT(s, 1);
	m = fake_reply(onb, dgram(0, &s, onb), RADIUS_CODE_ACCESS_ACCEPT,
	    "secret1", 0, NULL, NULL, rep, sizeof(rep));
	out_reset(&out);
	CHECK_INT(radius_client_input(c, T0 + 3100, 1, rep, m, &out), PK_OK);
	out_reset(&out);
	/* After the hold-down, server 0 is first again. */
	access_request(&rq, "erin", "pw", 11);
	CHECK_INT(radius_client_submit(c, T0 + 2000 + 20000, &rq, NULL, &out),
	    PK_OK);
	CHECK(dgram(0, &s, onb) > 0);
	CHECK_INT(s, 0);
	out_reset(&out);
	radius_client_free(c);
}

/* One lost request on a server that answers others is no dead server. */
static void
test_no_hold_down_when_answering(void)
{
	struct radius_client_config cfg;
	struct radius_server_stats st;
	struct radius_client *c;
	struct radius_request rq;
	uint8_t a[RADIUS_PACKET_MAX], rep[RADIUS_PACKET_MAX];
	unsigned s;
	size_t n, m;

	config(&cfg, 2);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	access_request(&rq, "u1", "pw", 1);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	access_request(&rq, "u2", "pw", 2);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	n = dgram(1, &s, a);
	out_reset(&out);
	/* u2 is answered, u1 never is. */
	m = fake_reply(a, n, RADIUS_CODE_ACCESS_REJECT, "secret0", 0, NULL,
	    NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 10, 0, rep, m, &out), PK_OK);
	out_reset(&out);
	CHECK_INT(radius_client_timeout(c, T0 + 1000, &out), PK_OK);
	out_reset(&out);
	CHECK_INT(radius_client_timeout(c, T0 + 2000, &out), PK_OK);
	CHECK(dgram(0, &s, a) > 0);
	CHECK_INT(s, 1);
	out_reset(&out);
	CHECK_INT(radius_client_server_stats(c, 0, T0 + 2000, &st), PK_OK);
	CHECK_INT(st.dead, 0);
	CHECK_INT(st.timeouts, 1);
	radius_client_free(c);
}

/* Every server silent: the request fails with a clear event, and while
 * all are held down only one request probes each server. */
static void
test_all_dead(void)
{
	struct radius_client_config cfg;
	struct radius_client *c;
	struct radius_request rq;
	struct radius_result res;
	uint64_t now = T0;
	uint32_t h1;

	config(&cfg, 2);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	access_request(&rq, "u", "pw", 42);
	CHECK_INT(radius_client_submit(c, now, &rq, &h1, &out), PK_OK);
	CHECK_INT(fake_count(&out, OUT_UDP), 1);
	out_reset(&out);
	/* 2 tries x 1 s on each of 2 servers. */
	while (radius_client_next_deadline(c) != PK_TIME_NEVER &&
	    events(RADIUS_EV_FAILED, NULL) == 0) {
		now = radius_client_next_deadline(c);
		out_reset(&out);
		CHECK_INT(radius_client_timeout(c, now, &out), PK_OK);
	}
	CHECK_INT(now, T0 + 4000);
	CHECK_INT(events(RADIUS_EV_FAILED, &res), 1);
	CHECK_INT(res.handle, h1);
	CHECK_INT(res.cookie, 42);
	CHECK_INT(res.code, PK_ERR_TIMEOUT);
	CHECK(strstr(res.text, "not answered") != NULL);
	CHECK_INT(radius_client_pending(c), 0);
	out_reset(&out);

	/* Both held down now: three logins, one probe per server. */
	for (int i = 0; i < 3; i++) {
		access_request(&rq, "u", "pw", (uint64_t)i);
		CHECK_INT(radius_client_submit(c, now, &rq, NULL, &out),
		    PK_OK);
	}
	CHECK_INT(fake_count(&out, OUT_UDP), 2);
	CHECK_INT(radius_client_pending(c), 3);
	out_reset(&out);
	/* Nobody waits longer than give_up (4 s) after submitting. */
	{
		uint64_t start = now;
		size_t failed = 0;

		while (radius_client_pending(c) > 0) {
			now = radius_client_next_deadline(c);
			CHECK(now <= start + 4000);
			out_reset(&out);
			CHECK_INT(radius_client_timeout(c, now, &out), PK_OK);
			failed += events(RADIUS_EV_FAILED, NULL);
			CHECK(fake_count(&out, OUT_UDP) <= 2);
		}
		CHECK_INT(failed, 3);
	}
	out_reset(&out);
	radius_client_free(c);
}

/* 256 Identifiers per server: more requests wait, none shares an ID. */
static void
test_identifier_bound(void)
{
	struct radius_client_config cfg;
	struct radius_client_stats cst;
	struct radius_server_stats st;
	struct radius_client *c;
	struct radius_request rq;
	uint8_t seen[256] = { 0 }, req[RADIUS_PACKET_MAX];
	uint8_t rep[RADIUS_PACKET_MAX];
	static struct pk_out big;
	unsigned s;
	size_t n, m;

	CHECK_INT(out_init(&big, 300 * (RADIUS_PACKET_MAX + 64), 600), PK_OK);
	config(&cfg, 1);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	for (int i = 0; i < 300; i++) {
		access_request(&rq, "u", "pw", (uint64_t)i);
		CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &big), PK_OK);
	}
	CHECK_INT(fake_count(&big, OUT_UDP), 256);
	for (size_t i = 0; i < 256; i++) {
		const uint8_t *d = NULL;

		if (!fake_dgram(&big, i, &s, &d, &n)) {
			CHECK(0);
			break;
		}
		CHECK_INT(seen[d[1]], 0);
		seen[d[1]] = 1;
	}
	CHECK_INT(radius_client_server_stats(c, 0, T0, &st), PK_OK);
	CHECK_INT(st.outstanding, 256);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.pending, 300);
	CHECK_INT(cst.waiting, 44);
	/* One answer frees one ID: one waiting request goes out. */
	{
		const uint8_t *d = NULL;

		CHECK(fake_dgram(&big, 17, &s, &d, &n));
		if (d != NULL)
			memcpy(req, d, n);
	}
	out_reset(&big);
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_ACCEPT, "secret0", 0, NULL,
	    NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 5, 0, rep, m, &big), PK_OK);
	CHECK_INT(fake_count(&big, OUT_UDP), 1);
	CHECK_INT(fake_count(&big, OUT_EVENT), 1);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.waiting, 43);
	out_free(&big);
	radius_client_free(c);
}

/* A full queue of Access-Requests refuses more (no silent loss). */
static void
test_auth_queue_full(void)
{
	struct radius_client_config cfg;
	struct radius_client_stats cst;
	struct radius_client *c;
	struct radius_request rq;

	config(&cfg, 1);
	cfg.queue_max = 4;
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	for (int i = 0; i < 4; i++) {
		access_request(&rq, "u", "pw", (uint64_t)i);
		CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
		out_reset(&out);
	}
	access_request(&rq, "u", "pw", 5);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_ERR_FULL);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.pending, 4);
	CHECK_INT(cst.dropped[RADIUS_PRIO_STOP], 1);
	radius_client_free(c);
}

static uint32_t
delay_of(const uint8_t *pkt, size_t n)
{
	struct radius_packet p;
	struct radius_attr a;
	uint32_t v = UINT32_MAX;

	if (radius_packet_decode(pkt, n, &p) == 0 &&
	    fake_find(&p, 0, RADIUS_ATTR_ACCT_DELAY_TIME, &a))
		(void)radius_attr_u32(&a, &v);
	return v;
}

/*
 * Accounting: each retransmission carries the time waited in
 * Acct-Delay-Time, so it is a new packet with a new Identifier and
 * Request Authenticator (RFC 2866 §5.2); a late answer to the previous
 * one still completes the record.
 */
static void
test_acct_retransmit(void)
{
	struct radius_client_config cfg;
	struct radius_client *c;
	struct radius_request rq;
	struct radius_packet p1, p2;
	uint8_t a1[RADIUS_PACKET_MAX], a2[RADIUS_PACKET_MAX];
	uint8_t rep[RADIUS_PACKET_MAX];
	unsigned s;
	size_t n1, n2, m;

	config(&cfg, 1);
	cfg.retry_forever = 1;
	cfg.tries = 5;
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	acct_request(&rq, RADIUS_PRIO_START, "S1", 1);
	rq.delay_base = 2;
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	n1 = dgram(0, &s, a1);
	out_reset(&out);
	CHECK_INT(radius_packet_decode(a1, n1, &p1), PK_OK);
	CHECK_INT(p1.ma_off, 0);
	CHECK_INT(radius_check_request_auth(&p1, (const uint8_t *)"secret0",
	    7), PK_OK);
	CHECK_INT(delay_of(a1, n1), 2);
	CHECK_INT(radius_client_timeout(c, T0 + 1000, &out), PK_OK);
	n2 = dgram(0, &s, a2);
	out_reset(&out);
	CHECK_INT(radius_packet_decode(a2, n2, &p2), PK_OK);
	CHECK_INT(delay_of(a2, n2), 3);
	CHECK(p2.id != p1.id);
	CHECK(memcmp(p2.auth, p1.auth, 16) != 0);
	CHECK_INT(radius_check_request_auth(&p2, (const uint8_t *)"secret0",
	    7), PK_OK);
	/* The answer to the first transmission arrives now. */
	m = fake_reply(a1, n1, RADIUS_CODE_ACCOUNTING_RESPONSE, "secret0",
	    FAKE_NO_MA, NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 1100, 0, rep, m, &out), PK_OK);
	CHECK_INT(events(RADIUS_EV_REPLY, NULL), 1);
	out_reset(&out);
	CHECK_INT(radius_client_pending(c), 0);
	/* And the answer to the second is a duplicate. */
	m = fake_reply(a2, n2, RADIUS_CODE_ACCOUNTING_RESPONSE, "secret0",
	    FAKE_NO_MA, NULL, NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 1200, 0, rep, m, &out),
	    PK_ERR_DUPLICATE);
	radius_client_free(c);
}

/*
 * A ten-minute outage of both accounting servers: a session starts,
 * updates and stops every 30 s (20 sessions). The queue (48) holds every
 * Start and Stop; Interim-Updates are superseded; during the outage each server
 * sees at most one request (two transmissions) at a time; when server 1
 * comes back, every record held is delivered and each Stop is
 * acknowledged exactly once.
 */
static void
test_acct_outage(void)
{
	struct radius_client_config cfg;
	struct radius_client_stats cst;
	struct radius_server_stats st;
	struct radius_client *c;
	struct radius_request rq;
	uint64_t now = T0, end = T0 + 10 * 60 * 1000;
	uint8_t acked_stop[32] = { 0 };
	struct pk_out got;
	int session = 0, step = 0;
	char sid[16];

	CHECK_INT(out_init(&got, 256 * 1024, 256), PK_OK);
	config(&cfg, 2);
	cfg.retry_forever = 1;
	cfg.queue_max = 48;
	cfg.park_ms = 5000;
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	while (now < end) {
		uint64_t next = now + 10000;

		/* Run the timers up to the next event; nobody answers. */
		for (;;) {
			uint64_t d = radius_client_next_deadline(c);

			if (d > next)
				break;
			now = d > now ? d : now;
			out_reset(&out);
			CHECK_INT(radius_client_timeout(c, now, &out), PK_OK);
			CHECK(fake_count(&out, OUT_UDP) <= 4);
			for (unsigned i = 0; i < 2; i++) {
				CHECK_INT(radius_client_server_stats(c, i, now,
				    &st), PK_OK);
				if (now > T0 + 60000)
					CHECK(st.outstanding <= 2);
			}
		}
		now = next;
		out_reset(&out);
		snprintf(sid, sizeof(sid), "S%d", session);
		if (step == 0)
			acct_request(&rq, RADIUS_PRIO_START, sid,
			    (uint64_t)session);
		else if (step == 1)
			acct_request(&rq, RADIUS_PRIO_INTERIM, sid,
			    (uint64_t)session);
		else
			acct_request(&rq, RADIUS_PRIO_STOP, sid,
			    (uint64_t)session | 0x100);
		CHECK_INT(radius_client_submit(c, now, &rq, NULL, &out), PK_OK);
		if (++step == 3) {
			step = 0;
			session++;
		}
	}
	CHECK_INT(session, 20);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.dropped[RADIUS_PRIO_STOP], 0);
	CHECK_INT(cst.dropped[RADIUS_PRIO_START], 0);
	CHECK_INT(cst.dropped[RADIUS_PRIO_INTERIM], 0);
	CHECK(cst.superseded > 0);
	CHECK_INT(cst.completed, 0);
	CHECK(radius_client_pending(c) >= 20);
	/* Server 1 answers again. */
	for (int round = 0; round < 200 && radius_client_pending(c) > 0;
	    round++) {
		now = pk_deadline_min(radius_client_next_deadline(c),
		    now + 1000);
		out_reset(&out);
		CHECK_INT(radius_client_timeout(c, now, &out), PK_OK);
		out_reset(&got);
		for (size_t i = 0; i < out.n_items; i++)
			(void)out_copy_item(&got, &out, i);
		/* Answers free IDs and release waiting records into out:
		 * keep answering until nothing new is sent. */
		while (fake_count(&got, OUT_UDP) > 0) {
			struct pk_out more;

			CHECK_INT(out_init(&more, 256 * 1024, 256), PK_OK);
			for (size_t k = 0; ; k++) {
				uint8_t req[RADIUS_PACKET_MAX];
				uint8_t rep[RADIUS_PACKET_MAX];
				const uint8_t *d = NULL;
				struct radius_result res;
				unsigned s;
				size_t n, m;

				if (!fake_dgram(&got, k, &s, &d, &n))
					break;
				if (s != 1)
					continue;
				memcpy(req, d, n);
				m = fake_reply(req, n,
				    RADIUS_CODE_ACCOUNTING_RESPONSE, "secret1",
				    FAKE_NO_MA, NULL, NULL, rep, sizeof(rep));
				out_reset(&out);
				if (radius_client_input(c, now, 1, rep, m,
				    &out) != PK_OK)
					continue;
				for (size_t i = 0; i < out.n_items; i++) {
					if (out_item(&out, i)->kind == OUT_UDP)
						(void)out_copy_item(&more,
						    &out, i);
				}
				if (events(RADIUS_EV_REPLY, &res) == 1 &&
				    (res.cookie & 0x100) != 0) {
					CHECK_INT(acked_stop[res.cookie &
					    0x1f], 0);
					acked_stop[res.cookie & 0x1f] = 1;
				}
			}
			out_reset(&got);
			for (size_t i = 0; i < more.n_items; i++)
				(void)out_copy_item(&got, &more, i);
			out_free(&more);
		}
	}
	CHECK_INT(radius_client_pending(c), 0);
	for (int i = 0; i < 20; i++)
		CHECK_INT(acked_stop[i], 1);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.dropped[RADIUS_PRIO_STOP], 0);
	out_reset(&out);
	out_free(&got);
	radius_client_free(c);
}

/* When the bound is hit: Interim-Updates go first, then Starts; a Stop
 * is refused only when the queue holds nothing but Stops; all counted. */
static void
test_acct_bound(void)
{
	struct radius_client_config cfg;
	struct radius_client_stats cst;
	struct radius_client *c;
	struct radius_request rq;

	config(&cfg, 1);
	cfg.retry_forever = 1;
	cfg.queue_max = 4;
	cfg.window = 1;
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	acct_request(&rq, RADIUS_PRIO_STOP, "A", 1);	/* in flight */
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	acct_request(&rq, RADIUS_PRIO_START, "B", 2);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	acct_request(&rq, RADIUS_PRIO_INTERIM, "C", 3);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	acct_request(&rq, RADIUS_PRIO_START, "D", 4);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	/* Full. A Stop displaces the Interim-Update, then the oldest
	 * Start, then the other Start. */
	acct_request(&rq, RADIUS_PRIO_STOP, "E", 5);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.dropped[RADIUS_PRIO_INTERIM], 1);
	acct_request(&rq, RADIUS_PRIO_STOP, "F", 6);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	acct_request(&rq, RADIUS_PRIO_STOP, "G", 7);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.dropped[RADIUS_PRIO_START], 2);
	/* Only Stops now: an Interim or a Start is refused, and so is a
	 * fifth Stop - never a Stop for a Stop. */
	acct_request(&rq, RADIUS_PRIO_INTERIM, "H", 8);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_ERR_FULL);
	acct_request(&rq, RADIUS_PRIO_STOP, "I", 9);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_ERR_FULL);
	/* Nor does an Accounting-Off displace a Stop. */
	acct_request(&rq, RADIUS_PRIO_ONOFF, "", 10);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_ERR_FULL);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.dropped[RADIUS_PRIO_INTERIM], 2);
	CHECK_INT(cst.dropped[RADIUS_PRIO_STOP], 1);
	CHECK_INT(cst.dropped[RADIUS_PRIO_ONOFF], 1);
	CHECK_INT(cst.pending, 4);
	out_reset(&out);
	radius_client_free(c);
}

/* A newer Interim-Update or Stop replaces a waiting Interim-Update of
 * the same session; other sessions' records stay. */
static void
test_supersede(void)
{
	struct radius_client_config cfg;
	struct radius_client_stats cst;
	struct radius_client *c;
	struct radius_request rq;

	config(&cfg, 1);
	cfg.retry_forever = 1;
	cfg.window = 1;
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	acct_request(&rq, RADIUS_PRIO_START, "A", 1);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	acct_request(&rq, RADIUS_PRIO_INTERIM, "A", 2);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	acct_request(&rq, RADIUS_PRIO_INTERIM, "B", 3);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	acct_request(&rq, RADIUS_PRIO_INTERIM, "A", 4);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	acct_request(&rq, RADIUS_PRIO_STOP, "A", 5);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	radius_client_stats(c, &cst);
	CHECK_INT(cst.superseded, 2);
	CHECK_INT(cst.pending, 3);	/* Start A (sent), Interim B, Stop A */
	CHECK_INT(fake_count(&out, OUT_UDP), 1);
	out_reset(&out);
	radius_client_free(c);
}

/* With no room in out, nothing is lost: the work waits for the next
 * call, and next_deadline says "now". */
static void
test_out_full(void)
{
	struct radius_client_config cfg;
	struct radius_client *c;
	struct radius_request rq;
	struct pk_out tiny;
	size_t sent = 0;

	/* Room for one datagram at a time. */
	CHECK_INT(out_init(&tiny, RADIUS_CLIENT_OUT_MIN / 2 + 100, 4), PK_OK);
	config(&cfg, 1);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	for (int i = 0; i < 3; i++) {
		access_request(&rq, "u", "pw", (uint64_t)i);
		CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &tiny),
		    PK_OK);
	}
	sent += fake_count(&tiny, OUT_UDP);
	CHECK(sent >= 1 && sent < 3);
	CHECK_INT(radius_client_next_deadline(c), T0);
	while (sent < 3) {
		out_reset(&tiny);
		CHECK_INT(radius_client_timeout(c, T0 + 1, &tiny), PK_OK);
		CHECK(fake_count(&tiny, OUT_UDP) >= 1);
		sent += fake_count(&tiny, OUT_UDP);
	}
	CHECK_INT(sent, 3);
	CHECK_INT(radius_client_next_deadline(c), T0 + 1000);
	out_free(&tiny);
	radius_client_free(c);
}

static void
test_cancel_and_args(void)
{
	struct radius_client_config cfg;
	struct radius_client *c;
	struct radius_request rq;
	uint8_t req[RADIUS_PACKET_MAX], rep[RADIUS_PACKET_MAX];
	uint32_t h;
	unsigned s;
	size_t n, m;

	config(&cfg, 1);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_OK);
	access_request(&rq, "u", "pw", 1);
	CHECK_INT(radius_client_submit(c, T0, &rq, &h, &out), PK_OK);
	n = dgram(0, &s, req);
	out_reset(&out);
	CHECK_INT(radius_client_cancel(c, h), PK_OK);
	CHECK_INT(radius_client_cancel(c, h), PK_ERR_NOT_FOUND);
	CHECK_INT(radius_client_pending(c), 0);
	CHECK_INT(radius_client_next_deadline(c), PK_TIME_NEVER);
	m = fake_reply(req, n, RADIUS_CODE_ACCESS_ACCEPT, "secret0", 0, NULL,
	    NULL, rep, sizeof(rep));
	CHECK_INT(radius_client_input(c, T0 + 1, 0, rep, m, &out),
	    PK_ERR_DUPLICATE);
	CHECK_INT(out.n_items, 0);
	/* Bad requests and configurations. */
	radius_request_init(&rq, RADIUS_CODE_ACCESS_ACCEPT);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_ERR_ARG);
	radius_client_free(c);
	config(&cfg, 0);
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_ERR_ARG);
	config(&cfg, 1);
	cfg.servers[0].secret_len = 0;
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_ERR_ARG);
	config(&cfg, 1);
	cfg.queue_max = PK_RADIUS_QUEUE_MAX + 1;
	CHECK_INT(radius_client_new(&c, &cfg, T0), PK_ERR_ARG);
	radius_client_free(NULL);
}

int
main(void)
{
	pk_rand_use_seeded(7);
	if (out_init(&out, 256 * 1024, 256) != 0)
		return 1;
	RUN(test_request_on_wire);
	RUN(test_forged_replies);
	RUN(test_relaxed_ma);
	RUN(test_failover_and_hold_down);
	RUN(test_no_hold_down_when_answering);
	RUN(test_all_dead);
	RUN(test_identifier_bound);
	RUN(test_auth_queue_full);
	RUN(test_acct_retransmit);
	RUN(test_acct_outage);
	RUN(test_acct_bound);
	RUN(test_supersede);
	RUN(test_out_full);
	RUN(test_cancel_and_args);
	out_free(&out);
	TEST_MAIN_END();
}
