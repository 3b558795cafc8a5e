/*
 * test_scan_probe.c - the deep scan in memory: scan_conn probes (the PNS
 * side) against the server engine itself (struct tunnel, PAC role) under
 * several --auth policies, joined as in test_tunnel.c by a byte stream
 * for the control connection and a simulated network for GRE. Each probe
 * gets a fresh server object, as a new TCP connection to pptpkitd does.
 *
 * For every policy the scan must find exactly the methods the server's
 * LCP allows (lcp_auth_allowed: with MPPE required only MS-CHAP), name
 * the one it proposes, end every probe cleanly (Stop-Control-Connection
 * answered, server closed), and send no credentials (the server never
 * sees an authentication request). Then the LCP prober alone against
 * scripted pppd-like packets, GRE loss, a GRE black hole, and a server
 * that asks for no authentication.
 */
#include "audit/scan_conn.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "engine/tunnel.h"
#include "ppp/ppp_proto.h"
#include "test.h"

#define NETQ 256
#define CTRL_BUF 16384
#define TIMEOUT_MS 2000

struct gre_pkt {
	uint64_t at;
	int to_srv;
	size_t len;
	uint8_t data[PK_GRE_PACKET_MAX];
};

struct world {
	uint64_t now;
	struct tunnel *srv;
	struct pk_out srv_out;
	struct scan_conn *conn;
	struct pk_out cli_out;
	uint8_t to_srv[CTRL_BUF], to_cli[CTRL_BUF];
	size_t to_srv_len, to_cli_len;
	struct gre_pkt *q;
	size_t nq;
	/* network faults */
	int drop_srv_gre;	/* drop this many server->client packets */
	int blackhole;		/* drop all GRE */
	/* GRE overtakes the control connection: the server's first LCP
	 * packet reaches the prober before the Outgoing-Call-Reply. */
	int gre_first;
	/* server's view */
	int srv_closed, srv_call_down, srv_auth_requests, tcp_closed;
	int srv_closed_code;
};

static void
srv_event(struct world *w, size_t idx)
{
	struct pk_event ev;

	CHECK_INT(out_get_event(&w->srv_out, idx, &ev), PK_OK);
	switch (ev.type) {
	case TUNNEL_EV_CALL_REQUEST:
		CHECK_INT(tunnel_call_accept(w->srv, w->now, (uint16_t)ev.id,
		    0x4242, &w->srv_out), PK_OK);
		break;
	case TUNNEL_EV_AUTH_REQUEST:
		w->srv_auth_requests++;
		break;
	case TUNNEL_EV_CALL_DOWN:
		w->srv_call_down++;
		break;
	case TUNNEL_EV_CLOSED:
		w->srv_closed = 1;
		w->srv_closed_code = ev.code;
		break;
	}
}

static void
gre_push(struct world *w, int to_srv, const uint8_t *p, size_t len)
{
	struct gre_pkt *g;

	if (w->blackhole || w->nq >= NETQ)
		return;
	if (!to_srv && w->drop_srv_gre > 0) {
		w->drop_srv_gre--;
		return;
	}
	g = &w->q[w->nq++];
	g->at = w->now + (w->gre_first ? 0 : 2);
	g->to_srv = to_srv;
	g->len = len;
	memcpy(g->data, p, len);
}

static void
drain_srv(struct world *w)
{
	for (size_t i = 0; i < w->srv_out.n_items; i++) {
		const struct out_item *it = out_item(&w->srv_out, i);
		const uint8_t *d = out_data(&w->srv_out, i);

		if (it->kind == OUT_CTRL && !w->tcp_closed) {
			CHECK(w->to_cli_len + it->len <= CTRL_BUF);
			memcpy(w->to_cli + w->to_cli_len, d, it->len);
			w->to_cli_len += it->len;
		} else if (it->kind == OUT_GRE)
			gre_push(w, 0, d, it->len);
		else if (it->kind == OUT_EVENT)
			srv_event(w, i);
	}
	CHECK(!w->srv_out.overflow);
	out_reset(&w->srv_out);
}

static void
drain_cli(struct world *w)
{
	for (size_t i = 0; i < w->cli_out.n_items; i++) {
		const struct out_item *it = out_item(&w->cli_out, i);
		const uint8_t *d = out_data(&w->cli_out, i);

		if (it->kind == OUT_CTRL && !w->tcp_closed) {
			CHECK(w->to_srv_len + it->len <= CTRL_BUF);
			memcpy(w->to_srv + w->to_srv_len, d, it->len);
			w->to_srv_len += it->len;
		} else if (it->kind == OUT_GRE)
			gre_push(w, 1, d, it->len);
		else
			CHECK(0);	/* a probe emits bytes only */
	}
	CHECK(!w->cli_out.overflow);
	out_reset(&w->cli_out);
}

static uint64_t
next_time(struct world *w)
{
	uint64_t t = PK_TIME_NEVER;

	for (size_t i = 0; i < w->nq; i++)
		t = pk_deadline_min(t, w->q[i].at);
	if (!w->srv_closed)
		t = pk_deadline_min(t, tunnel_next_deadline(w->srv));
	return pk_deadline_min(t, scan_conn_next_deadline(w->conn));
}

/* Runs one probe to its end; the world's server is fresh. */
static void
run_probe(struct world *w, uint64_t limit)
{
	while (w->now < limit) {
		if (w->to_srv_len > 0 && !w->srv_closed) {
			size_t n = w->to_srv_len;

			w->to_srv_len = 0;
			(void)tunnel_ctrl_input(w->srv, w->now, w->to_srv, n,
			    &w->srv_out);
			drain_srv(w);
			continue;
		}
		if (w->gre_first && w->nq > 0 && !w->q[0].to_srv &&
		    w->q[0].at <= w->now) {
			struct gre_pkt g = w->q[0];

			w->q[0] = w->q[--w->nq];
			(void)scan_conn_gre_input(w->conn, w->now, g.data, g.len,
			    &w->cli_out);
			drain_cli(w);
			continue;
		}
		if (w->to_cli_len > 0) {
			/* In two pieces, as TCP may deliver it. */
			size_t n = w->to_cli_len, half = n > 7 ? 7 : n;
			uint8_t tmp[CTRL_BUF];

			memcpy(tmp, w->to_cli, n);
			w->to_cli_len = 0;
			(void)scan_conn_ctrl_input(w->conn, w->now, tmp, half,
			    &w->cli_out);
			(void)scan_conn_ctrl_input(w->conn, w->now, tmp + half,
			    n - half, &w->cli_out);
			drain_cli(w);
			continue;
		}
		if (scan_conn_done(w->conn) && !w->tcp_closed) {
			/* The owner closes TCP: the server sees EOF. */
			w->tcp_closed = 1;
			if (!w->srv_closed) {
				(void)tunnel_ctrl_closed(w->srv, w->now,
				    &w->srv_out);
				drain_srv(w);
			}
			continue;
		}
		if (scan_conn_done(w->conn) && w->srv_closed)
			return;
		for (size_t i = 0; i < w->nq; i++) {
			if (w->q[i].at > w->now)
				continue;
			struct gre_pkt g = w->q[i];

			w->q[i--] = w->q[--w->nq];
			if (g.to_srv && !w->srv_closed) {
				(void)tunnel_gre_input(w->srv, w->now, g.data,
				    g.len, &w->srv_out);
				drain_srv(w);
			} else if (!g.to_srv) {
				(void)scan_conn_gre_input(w->conn, w->now,
				    g.data, g.len, &w->cli_out);
				drain_cli(w);
			}
		}
		if (!w->srv_closed && tunnel_next_deadline(w->srv) <= w->now) {
			(void)tunnel_timeout(w->srv, w->now, &w->srv_out);
			drain_srv(w);
		}
		if (scan_conn_next_deadline(w->conn) <= w->now) {
			(void)scan_conn_timeout(w->conn, w->now, &w->cli_out);
			drain_cli(w);
		}
		if (w->to_srv_len || w->to_cli_len)
			continue;
		uint64_t t = next_time(w);

		if (t == PK_TIME_NEVER && scan_conn_done(w->conn) &&
		    w->tcp_closed)
			return;
		if (t == PK_TIME_NEVER)
			t = w->now + 1;
		w->now = t > w->now ? t : w->now + 1;
	}
	CHECK(!"probe did not finish in time");
}

static void
world_probe(struct world *w, const struct pk_policy *pol, int method,
    struct scan_report *rep, struct scan_conn_result *res_out)
{
	struct tunnel_config sc;
	struct scan_conn_config cc;

	w->to_srv_len = w->to_cli_len = 0;
	w->nq = 0;
	w->srv_closed = w->srv_call_down = w->tcp_closed = 0;
	w->srv_closed_code = -999;
	tunnel_config_default(&sc, PPTP_ROLE_PAC);
	sc.ppp.policy = *pol;
	sc.ppp.local_name = "pptpkit";
	sc.ppp.local_ip = 0xc6130001;
	sc.ppp.peer_ip = 0xc6130002;
	snprintf(sc.ctrl.host_name, sizeof(sc.ctrl.host_name), "lab-srv");
	snprintf(sc.log_ctx, sizeof(sc.log_ctx), "srv");
	CHECK_INT(tunnel_new(&w->srv, &sc, w->now), PK_OK);
	memset(&cc, 0, sizeof(cc));
	cc.method = method;
	cc.call_id = 0x1234;
	cc.timeout_ms = TIMEOUT_MS;
	snprintf(cc.log_ctx, sizeof(cc.log_ctx), "scan %s",
	    scan_method_name(method));
	CHECK_INT(scan_conn_new(&w->conn, &cc, w->now), PK_OK);
	CHECK_INT(scan_conn_start(w->conn, w->now, &w->cli_out), PK_OK);
	drain_cli(w);
	run_probe(w, w->now + 60000);
	CHECK(scan_conn_done(w->conn));
	CHECK(w->srv_closed);
	if (res_out != NULL)
		*res_out = *scan_conn_result(w->conn);
	if (rep != NULL)
		scan_conn_report(w->conn, rep);
	scan_conn_free(w->conn);
	tunnel_free(w->srv);
	w->conn = NULL;
	w->srv = NULL;
	/* Time passes between probes, as it does between connections. */
	w->now += 50;
}

static void
world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->now = 10000;
	w->q = calloc(NETQ, sizeof(*w->q));
	CHECK_INT(out_init(&w->srv_out, PK_OUT_ARENA, PK_OUT_ITEMS), PK_OK);
	CHECK_INT(out_init(&w->cli_out, PK_OUT_ARENA, PK_OUT_ITEMS), PK_OK);
}

static void
world_free(struct world *w)
{
	out_free(&w->srv_out);
	out_free(&w->cli_out);
	free(w->q);
}

/* A whole deep scan of one server: probes until the planner is done. */
static void
deep_scan(struct world *w, const struct pk_policy *pol,
    struct scan_report *rep)
{
	struct scan_conn_result res;
	int m, first = 1;

	scan_report_init(rep, 0, 1723, 1);
	rep->tcp = SCAN_TCP_OPEN;
	while ((m = scan_plan_next(rep)) >= 0) {
		world_probe(w, pol, m, rep, &res);
		/* Every probe ends by the book: LCP terminated, call
		 * cleared, Stop-Control-Connection answered. */
		CHECK(res.clean);
		CHECK_INT(w->srv_closed_code, 0);
		CHECK_INT(w->srv_auth_requests, 0);
		if (first) {
			CHECK_INT(rep->reply.kind, SCAN_REPLY_SCCRP);
			CHECK_STR(rep->reply.start.host_name, "lab-srv");
			CHECK_STR(rep->reply.start.vendor, "pptpkit");
			first = 0;
		}
		if (rep->probes > SCAN_METHODS) {
			CHECK(!"too many probes");
			break;
		}
	}
}

struct policy_case {
	const char *name;
	unsigned auth;		/* PK_AUTH_* */
	int mppe;		/* PK_MPPE_* use */
	unsigned accepted;	/* 1 << SCAN_M_* */
	int offered;		/* SCAN_M_* */
};

#define B(m) (1u << (m))

static const struct policy_case policy_cases[] = {
	{ "default mschapv2", PK_AUTH_MSCHAPV2, PK_MPPE_REQUIRE,
	    B(SCAN_M_MSCHAPV2), SCAN_M_MSCHAPV2 },
	{ "all, mppe allow", PK_AUTH_ALL, PK_MPPE_ALLOW,
	    B(SCAN_M_PAP) | B(SCAN_M_CHAP_MD5) | B(SCAN_M_MSCHAPV1) |
	    B(SCAN_M_MSCHAPV2), SCAN_M_MSCHAPV2 },
	/* MPPE required: PAP and CHAP-MD5 cannot give keys, so the server
	 * does not agree to them although --auth lists them. */
	{ "all, mppe require", PK_AUTH_ALL, PK_MPPE_REQUIRE,
	    B(SCAN_M_MSCHAPV1) | B(SCAN_M_MSCHAPV2), SCAN_M_MSCHAPV2 },
	{ "pap only", PK_AUTH_PAP, PK_MPPE_DENY, B(SCAN_M_PAP), SCAN_M_PAP },
	{ "chap only", PK_AUTH_CHAP_MD5, PK_MPPE_DENY, B(SCAN_M_CHAP_MD5),
	    SCAN_M_CHAP_MD5 },
	{ "mschapv1 only", PK_AUTH_MSCHAPV1, PK_MPPE_REQUIRE,
	    B(SCAN_M_MSCHAPV1), SCAN_M_MSCHAPV1 },
	{ "pap+chap", PK_AUTH_PAP | PK_AUTH_CHAP_MD5, PK_MPPE_DENY,
	    B(SCAN_M_PAP) | B(SCAN_M_CHAP_MD5), SCAN_M_CHAP_MD5 },
	{ "pap+mschapv2 allow", PK_AUTH_PAP | PK_AUTH_MSCHAPV2, PK_MPPE_ALLOW,
	    B(SCAN_M_PAP) | B(SCAN_M_MSCHAPV2), SCAN_M_MSCHAPV2 },
};

static void
test_policies(void)
{
	struct world w;

	world_init(&w);
	for (size_t i = 0; i < sizeof(policy_cases) / sizeof(policy_cases[0]);
	    i++) {
		const struct policy_case *c = &policy_cases[i];
		struct scan_report rep;
		struct pk_policy pol;

		test_current = c->name;
		policy_default(&pol);
		pol.auth = c->auth;
		pol.mppe = c->mppe;
		deep_scan(&w, &pol, &rep);
		CHECK_INT(rep.deep, SCAN_DEEP_DONE);
		CHECK(rep.offered_known);
		CHECK_INT(rep.offered, c->offered);
		CHECK_INT(scan_report_accepted(&rep), c->accepted);
		for (int m = 0; m < SCAN_METHODS; m++) {
			int want = (c->accepted & B(m)) ? SCAN_V_ACCEPTED :
			    SCAN_V_REFUSED;

			if (rep.verdict[m] != want)
				fprintf(stderr, "%s: %s: verdict %d (%s)\n",
				    c->name, scan_method_name(m),
				    rep.verdict[m], rep.evidence[m]);
			CHECK_INT(rep.verdict[m], want);
			CHECK(rep.evidence[m][0] != '\0');
		}
		/* The offered method needs no probe of its own, unless it
		 * was the first one asked about. */
		CHECK_INT(rep.probes, c->offered == SCAN_M_PAP ?
		    SCAN_METHODS : SCAN_METHODS - 1);
		/* A CHAP-family method the server accepted after our Nak
		 * was proven by its Challenge. */
		for (int m = SCAN_M_CHAP_MD5; m <= SCAN_M_MSCHAPV2; m++)
			if ((c->accepted & B(m)) && m != c->offered)
				CHECK(strstr(rep.evidence[m],
				    "CHAP Challenge") != NULL);
	}
	test_current = "test_policies";
	world_free(&w);
}

/* The reply-only probe: SCCRQ, SCCRP, StopCCRQ, StopCCRP. */
static void
test_reply_only(void)
{
	struct world w;
	struct scan_conn_result res;
	struct scan_report rep;
	struct pk_policy pol;

	world_init(&w);
	policy_default(&pol);
	scan_report_init(&rep, 0, 1723, 0);
	world_probe(&w, &pol, -1, &rep, &res);
	CHECK_INT(res.outcome, SCAN_OUT_REPLY_ONLY);
	CHECK(res.clean);
	CHECK(res.reply_done);
	CHECK_INT(rep.reply.kind, SCAN_REPLY_SCCRP);
	CHECK_INT(rep.reply.start.result, 1);
	CHECK_INT(rep.reply.start.firmware_rev, 1);
	CHECK_INT(rep.deep, SCAN_DEEP_OFF);
	CHECK_INT(w.srv_call_down, 0);
	CHECK_INT(w.srv_closed_code, 0);
	world_free(&w);
}

/* The server's first LCP packets are lost: LCP's retransmission still
 * gets the right verdict. */
static void
test_gre_loss(void)
{
	struct world w;
	struct scan_conn_result res;
	struct pk_policy pol;

	world_init(&w);
	policy_default(&pol);
	pol.auth = PK_AUTH_PAP | PK_AUTH_MSCHAPV2;
	pol.mppe = PK_MPPE_ALLOW;
	w.drop_srv_gre = 2;
	world_probe(&w, &pol, SCAN_M_PAP, NULL, &res);
	CHECK_INT(res.outcome, SCAN_OUT_VERDICT);
	CHECK_INT(res.verdict, SCAN_V_ACCEPTED);
	w.drop_srv_gre = 2;
	world_probe(&w, &pol, SCAN_M_CHAP_MD5, NULL, &res);
	CHECK_INT(res.verdict, SCAN_V_REFUSED);
	world_free(&w);
}

/* The server's first GRE packet arrives before its Outgoing-Call-Reply
 * (two sockets, no order between them): it is kept and used, so the
 * verdict does not wait for the server's 3 s retransmission. */
static void
test_gre_overtakes_ctrl(void)
{
	struct world w;
	struct scan_conn_result res;
	struct pk_policy pol;
	uint64_t t0;

	world_init(&w);
	policy_default(&pol);
	pol.auth = PK_AUTH_PAP;
	pol.mppe = PK_MPPE_DENY;
	w.gre_first = 1;
	t0 = w.now;
	world_probe(&w, &pol, SCAN_M_PAP, NULL, &res);
	CHECK_INT(res.outcome, SCAN_OUT_VERDICT);
	CHECK_INT(res.verdict, SCAN_V_ACCEPTED);
	CHECK(w.now - t0 < 1000);
	world_free(&w);
}

/* No GRE at all: the probe says so and the deep scan stops. */
static void
test_gre_blackhole(void)
{
	struct world w;
	struct scan_conn_result res;
	struct scan_report rep;
	struct pk_policy pol;

	world_init(&w);
	policy_default(&pol);
	w.blackhole = 1;
	scan_report_init(&rep, 0, 1723, 1);
	rep.tcp = SCAN_TCP_OPEN;
	world_probe(&w, &pol, SCAN_M_PAP, &rep, &res);
	CHECK_INT(res.outcome, SCAN_OUT_NO_GRE);
	CHECK(strstr(res.note, "GRE") != NULL);
	CHECK_INT(rep.deep, SCAN_DEEP_FAILED);
	CHECK(strstr(rep.deep_note, "GRE") != NULL);
	CHECK_INT(scan_plan_next(&rep), -1);
	/* The control connection was still ended politely. */
	CHECK(res.clean);
	world_free(&w);
}

/* --- the prober alone, against scripted server packets --- */

struct sent {
	uint8_t pkt[256];
	size_t len;
	int n;
};

static int
capture(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct sent *s = arg;

	CHECK_INT(proto, PPP_PROTO_LCP);
	if (len <= sizeof(s->pkt)) {
		memcpy(s->pkt, pkt, len);
		s->len = len;
	}
	s->n++;
	return 0;
}

/* Feeds one LCP packet (hex, from Code on) framed as GRE carries it. */
static void
feed(struct scan_lcp *l, uint64_t now, const char *hex)
{
	uint8_t f[300];
	size_t n;

	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = 0xc0;
	f[3] = 0x21;
	n = test_unhex(hex, f + 4, sizeof(f) - 4);
	CHECK_INT(scan_lcp_frame(l, now, f, n + 4), PK_OK);
}

static void
test_scripted_pppd(void)
{
	struct scan_lcp l;
	struct sent s = { { 0 }, 0, 0 };
	uint8_t want[64];
	size_t n;

	/* pppd (require-mschap-v2): asyncmap 0, auth CHAP/0x81, magic,
	 * pcomp, accomp. We probe PAP. */
	scan_lcp_init(&l, SCAN_M_PAP, "t", capture, &s);
	scan_lcp_start(&l, 1000);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.pkt[0], PPP_CONFREQ);
	feed(&l, 1001, "0101 0019 0206 00000000 0305 c22381 0506 11223344 "
	    "0702 0802");
	/* Our answer: a Nak suggesting PAP. */
	n = test_unhex("03 01 0008 0304c023", want, sizeof(want));
	CHECK_INT(s.len, n);
	CHECK_MEM(s.pkt, want, n);
	CHECK_INT(l.first, SCAN_M_MSCHAPV2);
	CHECK_INT(l.verdict, SCAN_V_UNTESTED);
	/* A retransmission (same Identifier) is not an answer: Nak again. */
	feed(&l, 1500, "0101 0019 0206 00000000 0305 c22381 0506 11223344 "
	    "0702 0802");
	CHECK_INT(l.verdict, SCAN_V_UNTESTED);
	CHECK_INT(s.pkt[0], PPP_CONFNAK);
	/* pppd without +pap drops CHAP and has nothing else: its next
	 * request has no Auth-Protocol. */
	feed(&l, 1600, "0102 0014 0206 00000000 0506 11223344 0702 0802");
	CHECK_INT(l.verdict, SCAN_V_REFUSED);
	CHECK(strstr(l.evidence, "dropped") != NULL);

	/* pppd with +pap: it switches to PAP; we Ack. */
	s.n = 0;
	scan_lcp_init(&l, SCAN_M_PAP, "t", capture, &s);
	scan_lcp_start(&l, 1000);
	feed(&l, 1001, "0107 000f 0305 c22381 0506 11223344");
	feed(&l, 1002, "0108 000e 0304 c023 0506 11223344");
	CHECK_INT(l.verdict, SCAN_V_ACCEPTED);
	CHECK_INT(s.pkt[0], PPP_CONFACK);
	CHECK(strstr(l.evidence, "after our Configure-Nak") != NULL);

	/* A request with an option we reject (Callback, 13) is answered
	 * with the Reject alone; the Nak follows on the next request. */
	s.n = 0;
	scan_lcp_init(&l, SCAN_M_MSCHAPV1, "t", capture, &s);
	scan_lcp_start(&l, 1000);
	feed(&l, 1001, "0101 000c 0305 c22381 0d03 06");
	CHECK_INT(s.pkt[0], PPP_CONFREJ);
	CHECK(!l.nak_sent);
	feed(&l, 1002, "0102 0009 0305 c22381");
	CHECK_INT(s.pkt[0], PPP_CONFNAK);
	CHECK(l.nak_sent);
	feed(&l, 1003, "0103 0009 0305 c22380");
	CHECK_INT(l.verdict, SCAN_V_ACCEPTED);

	/* EAP offered first (pppd require-eap) when EAP is probed. */
	s.n = 0;
	scan_lcp_init(&l, SCAN_M_EAP, "t", capture, &s);
	scan_lcp_start(&l, 1000);
	feed(&l, 1001, "0101 0008 0304 c227");
	CHECK_INT(l.verdict, SCAN_V_ACCEPTED);
	CHECK_INT(l.first, SCAN_M_EAP);

	/* A Terminate-Request answering our Nak: refused, with reason. */
	s.n = 0;
	scan_lcp_init(&l, SCAN_M_CHAP_MD5, "t", capture, &s);
	scan_lcp_start(&l, 1000);
	feed(&l, 1001, "0101 0009 0305 c22381");
	feed(&l, 1002, "0502 000d 6e6f7065206e6f7065");
	CHECK_INT(l.verdict, SCAN_V_REFUSED);
	CHECK(strstr(l.evidence, "nope nope") != NULL);
	/* No Auth-Protocol in the first request: the server asks for no
	 * authentication (pptpkitd cannot be configured so; pppd with
	 * noauth is). No verdict: the owner reports it. */
	s.n = 0;
	scan_lcp_init(&l, SCAN_M_PAP, "t", capture, &s);
	scan_lcp_start(&l, 1000);
	feed(&l, 1001, "0101 000a 0506 11223344");
	CHECK_INT(l.first, SCAN_M_NONE);
	CHECK_INT(l.verdict, SCAN_V_UNTESTED);
	CHECK_INT(s.pkt[0], PPP_CONFACK);
	/* Unknown Auth-Protocol first: recorded as other. */
	s.n = 0;
	scan_lcp_init(&l, SCAN_M_PAP, "t", capture, &s);
	scan_lcp_start(&l, 1000);
	feed(&l, 1001, "0101 0009 0305 c22306");
	CHECK_INT(l.first, SCAN_M_OTHER);
	CHECK_INT(l.first_raw_len, 3);
	/* Malformed packets are discarded, not acted on. */
	{
		uint8_t bad[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x09, 0x00,
		    0x40, 0x03 };

		CHECK(scan_lcp_frame(&l, 1002, bad, sizeof(bad)) != PK_OK);
	}
}

int
main(void)
{
	pk_log_set_level(PK_LOG_WARN);
	pk_rand_use_seeded(0x5ca9);
	RUN(test_reply_only);
	RUN(test_policies);
	RUN(test_gre_loss);
	RUN(test_gre_overtakes_ctrl);
	RUN(test_gre_blackhole);
	RUN(test_scripted_pppd);
	TEST_MAIN_END();
}
