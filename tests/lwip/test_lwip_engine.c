/*
 * test_lwip_engine.c - pptpkit's PPP engine against an independent PPP
 * implementation: lwIP 2.1.3's (derived from pppd, written apart from
 * ours), in memory, in both roles. For PAP, CHAP-MD5, MS-CHAPv1 with
 * MPPE and MS-CHAPv2 with MPPE-128 the link must come up with the same
 * parameters on both sides, and IPv4 packets must cross both ways
 * byte-identical (through MPPE where negotiated). A wrong password must
 * fail on both sides.
 */
#include "auth/auth.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "lwip_peer.h"
#include "policy/policy.h"
#include "ppp/ppp.h"
#include "test.h"

#define OUR_IP 0xc6130001u	/* 198.19.0.1 */
#define THEIR_IP 0xc6130002u	/* 198.19.0.2 */

struct engine {
	struct ppp *ppp;
	struct pk_out out;
	int is_server;
	const char *secret;	/* server: alice's password */
	int up, down, auth_failed;
	struct ppp_up_info info;
	char reason[PK_EVENT_TEXT_MAX];
	uint8_t ip[8][PK_IP_PACKET_MAX];
	size_t ip_len[8];
	size_t n_ip;
	uint64_t now;
};

static void
engine_drain(struct engine *e, struct lwip_peer *peer)
{
	for (size_t i = 0; i < e->out.n_items; i++) {
		const struct out_item *it = out_item(&e->out, i);
		struct pk_event ev;

		switch (it->kind) {
		case OUT_PPP:
			(void)lwip_peer_input(peer, out_data(&e->out, i),
			    it->len);
			break;
		case OUT_IP:
			if (e->n_ip < 8) {
				memcpy(e->ip[e->n_ip], out_data(&e->out, i),
				    it->len);
				e->ip_len[e->n_ip++] = it->len;
			}
			break;
		case OUT_EVENT:
			CHECK_INT(out_get_event(&e->out, i, &ev), PK_OK);
			if (ev.type == PPP_EV_AUTH_REQUEST) {
				struct auth_request req;
				struct auth_result res;

				CHECK_INT(out_event_payload(&e->out, i, &req,
				    sizeof(req)), PK_OK);
				CHECK_STR(req.user, "alice");
				CHECK_INT(auth_verify_local(&req, e->secret,
				    &res), PK_OK);
				/* Answered after the call, as an owner would. */
				struct pk_out later;

				CHECK_INT(out_init(&later, PK_OUT_ARENA,
				    PK_OUT_ITEMS), PK_OK);
				(void)ppp_auth_complete(e->ppp, e->now, &res,
				    &later);
				auth_result_wipe(&res);
				for (size_t k = 0; k < later.n_items; k++)
					(void)out_copy_item(&e->out, &later, k);
				out_free(&later);
			} else if (ev.type == PPP_EV_UP) {
				CHECK_INT(out_event_payload(&e->out, i,
				    &e->info, sizeof(e->info)), PK_OK);
				e->up = 1;
			} else if (ev.type == PPP_EV_AUTH_FAILED) {
				e->auth_failed = 1;
			} else if (ev.type == PPP_EV_DOWN) {
				e->down = 1;
				snprintf(e->reason, sizeof(e->reason), "%s",
				    ev.text);
			}
			break;
		}
	}
	out_reset(&e->out);
}

/* Moves frames both ways and advances both clocks until cond holds or
 * limit_ms of virtual time pass. */
static void
pump(struct engine *e, struct lwip_peer *l, uint32_t limit_ms,
    int (*cond)(struct engine *, struct lwip_peer *))
{
	uint8_t frame[LWIP_PEER_FRAME_MAX];

	for (uint32_t t = 0; t < limit_ms; t += 10) {
		for (int moved = 1; moved;) {
			size_t n;

			moved = 0;
			while ((n = lwip_peer_pop_frame(l, frame,
			    sizeof(frame))) > 0) {
				CHECK(n <= sizeof(frame));
				(void)ppp_input(e->ppp, e->now, frame, n, &e->out);
				engine_drain(e, l);
				moved = 1;
			}
			if (e->out.n_items > 0) {
				engine_drain(e, l);
				moved = 1;
			}
		}
		if (cond(e, l))
			return;
		e->now += 10;
		lwip_peer_advance(l, 10);
		if (ppp_next_deadline(e->ppp) <= e->now) {
			(void)ppp_timeout(e->ppp, e->now, &e->out);
			engine_drain(e, l);
		}
	}
}

static int
both_up(struct engine *e, struct lwip_peer *l)
{
	return e->up && lwip_peer_is_up(l);
}

static int
either_dead(struct engine *e, struct lwip_peer *l)
{
	return e->down && lwip_peer_phase(l) == 0;
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

/* A valid IPv4/UDP packet (lwIP checks the header checksum). */
static size_t
build_udp(uint8_t *p, size_t len, uint32_t src, uint32_t dst, uint16_t id)
{
	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = (uint8_t)(id >> 8);
	p[5] = (uint8_t)id;
	p[8] = 64;
	p[9] = 17;
	for (int i = 0; i < 4; i++) {
		p[12 + i] = (uint8_t)(src >> (24 - 8 * i));
		p[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
	}
	uint16_t c = ip_checksum(p, 20);

	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	p[20] = 0x9c; p[21] = 0x40;	/* ports 40000 -> 9 */
	p[23] = 9;
	p[24] = (uint8_t)((len - 20) >> 8);
	p[25] = (uint8_t)(len - 20);
	for (size_t i = 28; i < len; i++)
		p[i] = (uint8_t)(i * 13 + id);
	return len;
}

static void
check_traffic(struct engine *e, struct lwip_peer *l)
{
	static const size_t sizes[] = { 28, 100, 577, 1200, 1380 };
	uint8_t pkt[PK_IP_PACKET_MAX], got[LWIP_PEER_FRAME_MAX];
	size_t n;

	/* lwIP -> engine */
	e->n_ip = 0;
	for (size_t i = 0; i < 5; i++) {
		build_udp(pkt, sizes[i], lwip_peer_local_ip(l),
		    lwip_peer_peer_ip(l), (uint16_t)(10 + i));
		CHECK_INT(lwip_peer_send_ip(l, pkt, sizes[i]), PK_OK);
	}
	pump(e, l, 200, either_dead);
	CHECK_INT(e->n_ip, 5);
	for (size_t i = 0; i < e->n_ip && i < 5; i++) {
		build_udp(pkt, sizes[i], lwip_peer_local_ip(l),
		    lwip_peer_peer_ip(l), (uint16_t)(10 + i));
		CHECK_INT(e->ip_len[i], sizes[i]);
		CHECK_MEM(e->ip[i], pkt, sizes[i]);
	}
	/* engine -> lwIP */
	for (size_t i = 0; i < 5; i++) {
		build_udp(pkt, sizes[i], e->info.local_ip, e->info.peer_ip,
		    (uint16_t)(20 + i));
		CHECK_INT(ppp_send_ip(e->ppp, e->now, pkt, sizes[i], &e->out),
		    PK_OK);
		engine_drain(e, l);
	}
	pump(e, l, 200, either_dead);
	for (size_t i = 0; i < 5; i++) {
		build_udp(pkt, sizes[i], e->info.local_ip, e->info.peer_ip,
		    (uint16_t)(20 + i));
		n = lwip_peer_pop_ip(l, got, sizeof(got));
		CHECK_INT(n, sizes[i]);
		if (n == sizes[i])
			CHECK_MEM(got, pkt, n);
	}
	CHECK_INT(lwip_peer_pop_ip(l, got, sizeof(got)), 0);
}

struct method {
	const char *name;
	unsigned ours;		/* PK_AUTH_* */
	unsigned lwip;		/* LWIP_PEER_AUTH_* */
	int mppe_bits;		/* expected; 0 = none */
};

static const struct method methods[] = {
	{ "pap", PK_AUTH_PAP, LWIP_PEER_AUTH_PAP, 0 },
	{ "chap-md5", PK_AUTH_CHAP_MD5, LWIP_PEER_AUTH_CHAP_MD5, 0 },
	{ "mschapv1+mppe", PK_AUTH_MSCHAPV1, LWIP_PEER_AUTH_MSCHAP_V1, 128 },
	{ "mschapv2+mppe128", PK_AUTH_MSCHAPV2, LWIP_PEER_AUTH_MSCHAP_V2, 128 },
};

/* lwIP has no "allow": MPPE is required or refused (tests/lwip/README). */
static void
setup(const struct method *m, int we_serve, const char *our_pw,
    const char *their_pw, struct engine *e, struct lwip_peer **lp)
{
	struct lwip_peer_config lc;
	struct ppp_config pc;

	memset(e, 0, sizeof(*e));
	memset(&lc, 0, sizeof(lc));
	lc.is_server = !we_serve;
	lc.user = "alice";
	lc.password = their_pw;
	lc.auth = m->lwip;
	lc.mppe = m->mppe_bits ? LWIP_PEER_MPPE_REQUIRE : 0;
	/* The server side hands out the addresses: ours OUR_IP, the lwIP
	 * side THEIR_IP, whichever serves. */
	lc.local_ip = we_serve ? 0 : THEIR_IP;
	lc.peer_ip = we_serve ? 0 : OUR_IP;
	*lp = lwip_peer_new(&lc);
	CHECK(*lp != NULL);

	ppp_config_default(&pc);
	pc.is_server = we_serve;
	pc.policy.auth = m->ours;
	pc.policy.mppe = m->mppe_bits ? PK_MPPE_REQUIRE : PK_MPPE_DENY;
	pc.policy.mppe_bits = PK_MPPE_128;
	pc.local_name = we_serve ? "pptpkit" : "alice";
	pc.password = we_serve ? NULL : our_pw;
	pc.local_ip = we_serve ? OUR_IP : 0;
	pc.peer_ip = we_serve ? THEIR_IP : 0;
	e->is_server = we_serve;
	e->secret = our_pw;
	e->now = 1000;
	CHECK_INT(out_init(&e->out, PK_OUT_ARENA, PK_OUT_ITEMS), PK_OK);
	e->ppp = ppp_new(&pc, we_serve ? "engine-server" : "engine-client");
	CHECK(e->ppp != NULL);
	CHECK_INT(lwip_peer_start(*lp), PK_OK);
	CHECK_INT(ppp_start(e->ppp, e->now, &e->out), PK_OK);
	engine_drain(e, *lp);
}

static void
teardown(struct engine *e, struct lwip_peer *l)
{
	ppp_free(e->ppp);
	out_free(&e->out);
	lwip_peer_free(l);
}

static void
run_method(const struct method *m, int we_serve)
{
	struct engine e;
	struct lwip_peer *l;
	char label[80];

	snprintf(label, sizeof(label), "%s, pptpkit as %s", m->name,
	    we_serve ? "server" : "client");
	test_current = label;
	/*
	 * ASCII only: lwIP, like pppd, turns each byte of the secret into
	 * one UTF-16 unit for the NT hash, where Windows and pptpkit
	 * convert UTF-8 properly; non-ASCII MS-CHAP secrets differ there.
	 */
	setup(m, we_serve, "sesame 42", "sesame 42", &e, &l);
	pump(&e, l, 30000, both_up);
	CHECK(e.up);
	CHECK(lwip_peer_is_up(l));
	if (e.up && lwip_peer_is_up(l)) {
		CHECK_INT(e.info.auth_method, m->ours);
		CHECK_INT(e.info.mppe_bits, m->mppe_bits);
		CHECK_INT(lwip_peer_mppe_bits(l), m->mppe_bits);
		CHECK_INT(e.info.local_ip, lwip_peer_peer_ip(l));
		CHECK_INT(e.info.peer_ip, lwip_peer_local_ip(l));
		CHECK_INT(e.info.local_ip, OUR_IP);
		CHECK_INT(e.info.peer_ip, THEIR_IP);
		check_traffic(&e, l);
		if (m->mppe_bits != 0)
			CHECK_INT(ppp_stats(e.ppp)->drop_mppe, 0);
	}
	fprintf(stderr, "  %-40s %s\n", label, e.up && lwip_peer_is_up(l) ?
	    "up, traffic crossed" : e.reason);
	teardown(&e, l);
}

static void
run_wrong_password(const struct method *m, int we_serve)
{
	struct engine e;
	struct lwip_peer *l;
	char label[80];

	snprintf(label, sizeof(label), "%s wrong password, pptpkit as %s",
	    m->name, we_serve ? "server" : "client");
	test_current = label;
	setup(m, we_serve, "right", "wrong", &e, &l);
	pump(&e, l, 60000, either_dead);
	CHECK(!e.up);
	CHECK(e.down);
	CHECK(e.auth_failed);
	CHECK(!lwip_peer_is_up(l));
	fprintf(stderr, "  %-40s %s\n", label, e.reason);
	teardown(&e, l);
}

static void
test_independent_peer(void)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		run_method(&methods[i], 1);
		run_method(&methods[i], 0);
	}
}

/*
 * lwIP, like pppd, hashes each byte of a non-ASCII secret as one UTF-16
 * unit; pptpkit's server accepts that form as well (auth_local.c), so a
 * UTF-8 secret in chap-secrets works for these peers as for Windows.
 */
static void
test_non_ascii_secret_from_pppd_style_peer(void)
{
	for (size_t i = 2; i < 4; i++) {
		struct engine e;
		struct lwip_peer *l;

		test_current = methods[i].name;
		setup(&methods[i], 1, "s\xc3\xa9same", "s\xc3\xa9same", &e,
		    &l);
		pump(&e, l, 30000, both_up);
		CHECK(e.up);
		CHECK(lwip_peer_is_up(l));
		if (e.up && lwip_peer_is_up(l))
			check_traffic(&e, l);
		fprintf(stderr, "  %-40s %s\n", methods[i].name, e.up ?
		    "non-ASCII secret from lwIP accepted" : e.reason);
		teardown(&e, l);
	}
}

static void
test_wrong_password(void)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		run_wrong_password(&methods[i], 1);
		run_wrong_password(&methods[i], 0);
	}
}

int
main(void)
{
	pk_rand_use_seeded(7);
	pk_log_set_level(PK_LOG_ERR);
	RUN(test_independent_peer);
	RUN(test_wrong_password);
	RUN(test_non_ascii_secret_from_pppd_style_peer);
	TEST_MAIN_END();
}
