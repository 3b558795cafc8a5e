/*
 * test_lwip_renegotiation.c - renegotiation between pptpkit's PPP engine
 * and lwIP 2.1.3's (a port of pppd, sharing no code with pptpkit), in
 * memory, in both roles: the late packets of issue 13 arriving once the
 * link is up.
 *
 *  - lwIP's acked LCP Configure-Request again, as a retransmission that
 *    crossed pptpkit's Ack would arrive (same Identifier, RFC 1661 §5.1):
 *    pptpkit acks it again and nothing else happens, MPPE included.
 *  - A late Configure-Request of lwIP's under a new Identifier:
 *    pptpkit renegotiates that protocol (RFC 1661 §4.1 RCR in Opened),
 *    lwIP follows (its Opened automaton gets pptpkit's new request), and
 *    the link comes back: for LCP through authentication again (lwIP, as
 *    pppd, runs the whole link phase again), for IPCP at once. Traffic
 *    then crosses both ways; pptpkit reported up once.
 *  - A late Configure-Ack of lwIP's: pptpkit discards it, sends nothing.
 *  - With MPPE, LCP renegotiation takes CCP down, which pppd and lwIP
 *    treat as fatal (ccp.c: "MPPE disabled", LCP closed): the link ends,
 *    cleanly, with lwIP's reason on pptpkit's side.
 */
#include "auth/auth.h"
#include "core/err.h"
#include "core/log.h"
#include "lwip_peer.h"
#include "policy/policy.h"
#include "ppp/ppp.h"
#include "ppp/ppp_proto.h"
#include "test.h"

#define OUR_IP 0xc6130001u	/* 198.19.0.1 */
#define THEIR_IP 0xc6130002u	/* 198.19.0.2 */

struct engine {
	struct ppp *ppp;
	struct pk_out out, later;
	const char *secret;
	int up, down, auth_ok;
	struct ppp_up_info info;
	char reason[PK_EVENT_TEXT_MAX];
	size_t n_ip;
	uint64_t now;
};

/* lwIP's first frame of each kind, kept for a late replay. */
struct kept {
	uint8_t frame[LWIP_PEER_FRAME_MAX];
	size_t len;
};

enum { K_LCP_REQ, K_LCP_ACK, K_IPCP_REQ, K_CCP_REQ, K_MAX };

static struct kept kept[K_MAX];

static void
keep(const uint8_t *f, size_t len)
{
	size_t off = len >= 2 && f[0] == PPP_ADDRESS ? 2 : 0;
	uint16_t proto;
	int k = -1;

	if (len < off + 3)
		return;
	proto = (uint16_t)(f[off] << 8 | f[off + 1]);
	if (proto == PPP_PROTO_LCP && f[off + 2] == PPP_CONFREQ)
		k = K_LCP_REQ;
	else if (proto == PPP_PROTO_LCP && f[off + 2] == PPP_CONFACK)
		k = K_LCP_ACK;
	else if (proto == PPP_PROTO_IPCP && f[off + 2] == PPP_CONFREQ)
		k = K_IPCP_REQ;
	else if (proto == PPP_PROTO_CCP && f[off + 2] == PPP_CONFREQ)
		k = K_CCP_REQ;
	if (k < 0 || kept[k].len != 0 || len > sizeof(kept[k].frame))
		return;
	memcpy(kept[k].frame, f, len);
	kept[k].len = len;
}

static void
engine_drain(struct engine *e, struct lwip_peer *peer)
{
	for (size_t i = 0; i < e->out.n_items; i++) {
		const struct out_item *it = out_item(&e->out, i);
		struct auth_request req;
		struct auth_result res;
		struct pk_event ev;

		if (it->kind == OUT_PPP) {
			(void)lwip_peer_input(peer, out_data(&e->out, i),
			    it->len);
			continue;
		}
		if (it->kind == OUT_IP) {
			e->n_ip++;
			continue;
		}
		if (out_get_event(&e->out, i, &ev) != 0)
			continue;
		switch (ev.type) {
		case PPP_EV_AUTH_REQUEST:
			CHECK_INT(out_event_payload(&e->out, i, &req,
			    sizeof(req)), PK_OK);
			CHECK_INT(auth_verify_local(&req, e->secret, &res),
			    PK_OK);
			/* Answered after the call, as an owner would. */
			(void)ppp_auth_complete(e->ppp, e->now, &res,
			    &e->later);
			auth_result_wipe(&res);
			break;
		case PPP_EV_AUTH_OK:
			e->auth_ok++;
			break;
		case PPP_EV_UP:
			CHECK_INT(out_event_payload(&e->out, i, &e->info,
			    sizeof(e->info)), PK_OK);
			e->up++;
			break;
		case PPP_EV_DOWN:
			e->down++;
			snprintf(e->reason, sizeof(e->reason), "%s", ev.text);
			break;
		}
	}
	out_reset(&e->out);
	for (size_t k = 0; k < e->later.n_items; k++)
		(void)out_copy_item(&e->out, &e->later, k);
	out_reset(&e->later);
	if (e->out.n_items > 0)
		engine_drain(e, peer);
}

/* Moves frames both ways and both clocks for ms of virtual time. */
static void
pump(struct engine *e, struct lwip_peer *l, uint32_t ms)
{
	uint8_t frame[LWIP_PEER_FRAME_MAX];

	for (uint32_t t = 0; t < ms; t += 10) {
		size_t n;

		while ((n = lwip_peer_pop_frame(l, frame, sizeof(frame))) > 0) {
			CHECK(n <= sizeof(frame));
			keep(frame, n);
			(void)ppp_input(e->ppp, e->now, frame, n, &e->out);
			engine_drain(e, l);
		}
		e->now += 10;
		lwip_peer_advance(l, 10);
		if (ppp_next_deadline(e->ppp) <= e->now) {
			(void)ppp_timeout(e->ppp, e->now, &e->out);
			engine_drain(e, l);
		}
	}
}

static uint16_t
ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A valid IPv4/UDP header and payload (lwIP checks the checksum). */
static void
build_udp(uint8_t *p, size_t len, uint32_t src, uint32_t dst)
{
	uint16_t c;

	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;
	for (int i = 0; i < 4; i++) {
		p[12 + i] = (uint8_t)(src >> (24 - 8 * i));
		p[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
	}
	c = ip_checksum(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	p[20] = 0x9c; p[21] = 0x40;
	p[23] = 9;
	p[24] = (uint8_t)((len - 20) >> 8);
	p[25] = (uint8_t)(len - 20);
}

/* Three packets each way; returns 1 if all arrived. */
static int
traffic(struct engine *e, struct lwip_peer *l)
{
	uint8_t pkt[600], got[LWIP_PEER_FRAME_MAX];
	int ok = 1;

	e->n_ip = 0;
	for (int i = 0; i < 3; i++) {
		build_udp(pkt, sizeof(pkt), THEIR_IP, OUR_IP);
		if (lwip_peer_send_ip(l, pkt, sizeof(pkt)) != PK_OK)
			ok = 0;
		build_udp(pkt, sizeof(pkt), OUR_IP, THEIR_IP);
		if (ppp_send_ip(e->ppp, e->now, pkt, sizeof(pkt),
		    &e->out) != PK_OK)
			ok = 0;
		engine_drain(e, l);
	}
	pump(e, l, 200);
	for (int i = 0; i < 3; i++)
		if (lwip_peer_pop_ip(l, got, sizeof(got)) != sizeof(pkt))
			ok = 0;
	return ok && e->n_ip == 3;
}

struct method {
	const char *name;
	unsigned ours, lwip;
	int mppe;
};

static const struct method methods[] = {
	{ "pap", PK_AUTH_PAP, LWIP_PEER_AUTH_PAP, 0 },
	{ "chap-md5", PK_AUTH_CHAP_MD5, LWIP_PEER_AUTH_CHAP_MD5, 0 },
	{ "mschapv2+mppe128", PK_AUTH_MSCHAPV2, LWIP_PEER_AUTH_MSCHAP_V2, 1 },
};

static void
setup(const struct method *m, int we_serve, struct engine *e,
    struct lwip_peer **lp)
{
	struct lwip_peer_config lc;
	struct ppp_config pc;

	memset(kept, 0, sizeof(kept));
	memset(e, 0, sizeof(*e));
	memset(&lc, 0, sizeof(lc));
	lc.is_server = !we_serve;
	lc.user = "alice";
	lc.password = "sesame 42";
	lc.auth = m->lwip;
	lc.mppe = m->mppe ? LWIP_PEER_MPPE_REQUIRE : 0;
	lc.local_ip = we_serve ? 0 : THEIR_IP;
	lc.peer_ip = we_serve ? 0 : OUR_IP;
	*lp = lwip_peer_new(&lc);
	CHECK(*lp != NULL);
	ppp_config_default(&pc);
	pc.is_server = we_serve;
	pc.policy.auth = m->ours;
	pc.policy.mppe = m->mppe ? PK_MPPE_REQUIRE : PK_MPPE_DENY;
	pc.policy.mppe_bits = PK_MPPE_128;
	pc.local_name = we_serve ? "pptpkit" : "alice";
	pc.password = we_serve ? NULL : "sesame 42";
	pc.local_ip = we_serve ? OUR_IP : 0;
	pc.peer_ip = we_serve ? THEIR_IP : 0;
	e->secret = "sesame 42";
	e->now = 1000;
	CHECK_INT(out_init(&e->out, PK_OUT_ARENA, PK_OUT_ITEMS), PK_OK);
	CHECK_INT(out_init(&e->later, PK_OUT_ARENA, PK_OUT_ITEMS), PK_OK);
	e->ppp = ppp_new(&pc, we_serve ? "engine-server" : "engine-client");
	CHECK(e->ppp != NULL);
	CHECK_INT(lwip_peer_start(*lp), PK_OK);
	CHECK_INT(ppp_start(e->ppp, e->now, &e->out), PK_OK);
	engine_drain(e, *lp);
	pump(e, *lp, 20000);
	CHECK_INT(e->up, 1);
	CHECK(lwip_peer_is_up(*lp));
	CHECK(traffic(e, *lp));
}

static void
teardown(struct engine *e, struct lwip_peer *l)
{
	ppp_free(e->ppp);
	out_free(&e->out);
	out_free(&e->later);
	lwip_peer_free(l);
}

/*
 * Hands pptpkit lwIP's kept frame k again, under another Identifier if
 * renumber (what a peer that numbers each copy anew would send); returns
 * ppp_input()'s code, and what pptpkit sent in *items and *first.
 */
static int
replay(struct engine *e, struct lwip_peer *l, int k, int renumber,
    size_t *items, uint8_t *first)
{
	uint8_t f[LWIP_PEER_FRAME_MAX];
	size_t off = kept[k].frame[0] == PPP_ADDRESS ? 2 : 0;
	int r;

	CHECK(kept[k].len > off + 4);
	memcpy(f, kept[k].frame, kept[k].len);
	if (renumber)
		f[off + 3] ^= 0x80;
	r = ppp_input(e->ppp, e->now, f, kept[k].len, &e->out);
	*items = e->out.n_items;
	*first = 0;
	if (*items > 0 && out_item(&e->out, 0)->kind == OUT_PPP) {
		const uint8_t *o = out_data(&e->out, 0);
		size_t n = out_item(&e->out, 0)->len;
		size_t oo = n >= 2 && o[0] == PPP_ADDRESS ? 2 : 0;

		/* Control protocols are never PFC-compressed (>= 0x100). */
		if (n > oo + 2)
			*first = o[oo + 2];
	}
	engine_drain(e, l);
	return r;
}

static void
run(const struct method *m, int we_serve)
{
	struct engine e;
	struct lwip_peer *l;
	char label[80];
	size_t items;
	uint8_t code;

	snprintf(label, sizeof(label), "%s, pptpkit as %s", m->name,
	    we_serve ? "server" : "client");
	test_current = label;
	setup(m, we_serve, &e, &l);

	/* A late Configure-Ack: out of sequence, nothing happens. */
	CHECK_INT(replay(&e, l, K_LCP_ACK, 0, &items, &code), PK_ERR_VALUE);
	CHECK_INT(items, 0);
	pump(&e, l, 1000);
	CHECK(traffic(&e, l));

	/* lwIP's LCP request, the one acked, again (a retransmission that
	 * crossed our Ack; lwIP, as pppd, keeps the Identifier): it gets
	 * its Ack again and nothing else happens, MPPE included. */
	CHECK_INT(replay(&e, l, K_LCP_REQ, 0, &items, &code), PK_OK);
	CHECK_INT(items, 1);
	CHECK_INT(code, PPP_CONFACK);
	pump(&e, l, 1000);
	CHECK_INT(e.down, 0);
	CHECK_INT(ppp_stats(e.ppp)->renegotiations, 0);
	CHECK(traffic(&e, l));

	/* A late IPCP Configure-Request under a new Identifier: IPCP
	 * renegotiates on both sides. */
	CHECK_INT(replay(&e, l, K_IPCP_REQ, 1, &items, &code), PK_OK);
	CHECK_INT(code, PPP_CONFREQ);
	pump(&e, l, 10000);
	CHECK_INT(e.down, 0);
	CHECK(lwip_peer_is_up(l));
	CHECK(traffic(&e, l));
	CHECK_INT(ppp_stats(e.ppp)->resumed, 1);

	/* LCP under a new Identifier: the whole link phase again. */
	CHECK_INT(replay(&e, l, K_LCP_REQ, 1, &items, &code), PK_OK);
	CHECK_INT(code, PPP_CONFREQ);
	pump(&e, l, 20000);
	if (!m->mppe) {
		CHECK_INT(e.down, 0);
		CHECK_INT(e.up, 1);
		CHECK_INT(e.auth_ok, 2);
		CHECK(lwip_peer_is_up(l));
		CHECK(traffic(&e, l));
		CHECK_INT(ppp_stats(e.ppp)->resumed, 2);
		fprintf(stderr, "  %-36s renegotiated IPCP, then LCP with "
		    "authentication; traffic crossed\n", label);
	} else {
		/* lwIP (pppd's ccp.c): CCP down with MPPE closes LCP. */
		CHECK_INT(e.down, 1);
		CHECK(strstr(e.reason, "MPPE disabled") != NULL);
		fprintf(stderr, "  %-36s renegotiated IPCP; LCP: lwIP ended "
		    "the link (%s)\n", label, e.reason);
	}
	teardown(&e, l);
}

static void
test_renegotiation_with_lwip(void)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		run(&methods[i], 1);
		run(&methods[i], 0);
	}
}

int
main(void)
{
	pk_log_set_level(PK_LOG_ERR);
	RUN(test_renegotiation_with_lwip);
	TEST_MAIN_END();
}
