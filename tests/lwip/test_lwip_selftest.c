/*
 * test_lwip_selftest.c - proves the lwip_peer harness by joining two lwIP
 * PPP peers (client and server) in memory: each authentication method and
 * MPPE mode lwIP can serve brings the link up, IPv4 packets cross both ways
 * byte for byte, failures are reported, and frame I/O behaves as
 * documented in lwip_peer.h.
 */
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "lwip_peer.h"
#include "test.h"

#define PPP_PROTO_IP	0x0021
#define PPP_PROTO_COMP	0x00fd	/* RFC 1962: compressed/encrypted datagram */
#define PPP_PROTO_LCP	0xc021
#define PPPERR_NONE	0
#define PPPERR_USER	5
#define PPPERR_CONNECT	6
#define PPPERR_AUTHFAIL	7
#define PPPERR_PEERDEAD	9
#define PHASE_DEAD	0
#define PHASE_RUNNING	10

#define IP_SERVER	0xc6120001u	/* 198.18.0.1 */
#define IP_CLIENT	0xc6120002u	/* 198.18.0.2 */

/* Frames seen on the simulated wire by the last pump(). */
struct wire_log {
	size_t n_frames;
	size_t n_comp;		/* protocol 0x00FD (MPPE) */
	size_t n_ip;		/* protocol 0x0021 (clear IPv4) */
	size_t n_no_addr;	/* frames without FF 03 */
	size_t n_short_proto;	/* frames with a 1-byte protocol field */
	int saw_plain_marker;	/* test payload visible in clear */
};

static const uint8_t marker[] = "lwip-peer-selftest-marker";

static int
contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++) {
		if (memcmp(hay + i, needle, m) == 0)
			return 1;
	}
	return 0;
}

static void
log_frame(struct wire_log *w, const uint8_t *f, size_t len)
{
	size_t off = 0;
	unsigned proto;

	w->n_frames++;
	if (len >= 2 && f[0] == 0xff && f[1] == 0x03)
		off = 2;
	else
		w->n_no_addr++;
	if (off < len && (f[off] & 1) != 0) {
		proto = f[off];
		w->n_short_proto++;
	} else if (off + 1 < len) {
		proto = (unsigned)f[off] << 8 | f[off + 1];
	} else {
		proto = 0;
	}
	if (proto == PPP_PROTO_COMP)
		w->n_comp++;
	if (proto == PPP_PROTO_IP)
		w->n_ip++;
	if (contains(f, len, marker, sizeof(marker) - 1))
		w->saw_plain_marker = 1;
}

/* Moves every queued frame from one peer to the other until both queues
 * are empty (or a bound is hit). Returns the number of frames moved. */
static size_t
pump(struct lwip_peer *a, struct lwip_peer *b, struct wire_log *w)
{
	uint8_t buf[LWIP_PEER_FRAME_MAX];
	size_t moved = 0, len;
	int round;

	for (round = 0; round < 1000; round++) {
		size_t before = moved;

		while ((len = lwip_peer_pop_frame(a, buf, sizeof(buf))) != 0) {
			CHECK(len <= sizeof(buf));
			if (w != NULL)
				log_frame(w, buf, len);
			CHECK_INT(lwip_peer_input(b, buf, len), PK_OK);
			moved++;
		}
		while ((len = lwip_peer_pop_frame(b, buf, sizeof(buf))) != 0) {
			CHECK(len <= sizeof(buf));
			if (w != NULL)
				log_frame(w, buf, len);
			CHECK_INT(lwip_peer_input(a, buf, len), PK_OK);
			moved++;
		}
		if (moved == before)
			break;
	}
	return moved;
}

/* Exchanges frames and advances the clock until both peers are up or
 * until limit_ms of virtual time has passed. */
static int
run_until_up(struct lwip_peer *c, struct lwip_peer *s, uint32_t limit_ms,
    struct wire_log *w)
{
	uint32_t t;

	for (t = 0; t <= limit_ms; t += 250) {
		pump(c, s, w);
		if (lwip_peer_is_up(c) && lwip_peer_is_up(s))
			return 1;
		lwip_peer_advance(NULL, 250);
	}
	return 0;
}

/* Exchanges frames and advances the clock until neither peer's phase is
 * past dead, or limit_ms has passed. */
static int
run_until_dead(struct lwip_peer *c, struct lwip_peer *s, uint32_t limit_ms)
{
	uint32_t t;

	for (t = 0; t <= limit_ms; t += 250) {
		pump(c, s, NULL);
		if (lwip_peer_phase(c) == PHASE_DEAD &&
		    lwip_peer_phase(s) == PHASE_DEAD)
			return 1;
		lwip_peer_advance(NULL, 250);
	}
	return 0;
}

static uint16_t
ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Builds a valid IPv4/UDP packet (RFC 791, RFC 768; UDP checksum 0 =
 * none) of total length len >= 28 whose payload starts with the marker. */
static size_t
build_udp(uint8_t *pkt, size_t len, uint32_t src, uint32_t dst, uint16_t id)
{
	size_t i;

	memset(pkt, 0, len);
	pkt[0] = 0x45;			/* version 4, IHL 5 */
	put16(pkt + 2, (uint16_t)len);
	put16(pkt + 4, id);
	pkt[8] = 64;			/* TTL */
	pkt[9] = 17;			/* UDP */
	put32(pkt + 12, src);
	put32(pkt + 16, dst);
	put16(pkt + 10, ip_checksum(pkt, 20));
	put16(pkt + 20, 40000);
	put16(pkt + 22, 9);		/* discard */
	put16(pkt + 24, (uint16_t)(len - 20));
	for (i = 28; i < len; i++)
		pkt[i] = (uint8_t)(i * 7 + id);
	if (len >= 28 + sizeof(marker) - 1)
		memcpy(pkt + 28, marker, sizeof(marker) - 1);
	return len;
}

/* Sends packets of several sizes from one peer and checks the other gets
 * each one unchanged, in order. */
static void
check_ip_crosses(struct lwip_peer *from, struct lwip_peer *to,
    struct lwip_peer *c, struct lwip_peer *s, struct wire_log *w)
{
	static const size_t sizes[] = { 28, 60, 577, 1400, 1500 };
	uint8_t pkt[LWIP_PEER_FRAME_MAX], got[LWIP_PEER_FRAME_MAX];
	uint32_t src = lwip_peer_local_ip(from), dst = lwip_peer_peer_ip(from);
	size_t i, len;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		build_udp(pkt, sizes[i], src, dst, (uint16_t)(100 + i));
		CHECK_INT(lwip_peer_send_ip(from, pkt, sizes[i]), PK_OK);
	}
	pump(c, s, w);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		build_udp(pkt, sizes[i], src, dst, (uint16_t)(100 + i));
		len = lwip_peer_pop_ip(to, got, sizeof(got));
		CHECK_INT(len, sizes[i]);
		if (len == sizes[i])
			CHECK_MEM(got, pkt, len);
	}
	CHECK_INT(lwip_peer_pop_ip(to, got, sizeof(got)), 0);
}

struct auth_case {
	const char *name;
	unsigned server_auth, client_auth;
	unsigned server_mppe, client_mppe;
	unsigned want_auth;
	int want_mppe_bits;
	int want_stateful;
};

static void
make_pair(const struct auth_case *tc, struct lwip_peer **cp,
    struct lwip_peer **sp)
{
	struct lwip_peer_config sc, cc;

	memset(&sc, 0, sizeof(sc));
	sc.is_server = 1;
	sc.user = "alice";
	sc.password = "Secr3t pass";
	sc.auth = tc->server_auth;
	sc.mppe = tc->server_mppe;
	sc.local_ip = IP_SERVER;
	sc.peer_ip = IP_CLIENT;
	memset(&cc, 0, sizeof(cc));
	cc.user = "alice";
	cc.password = "Secr3t pass";
	cc.auth = tc->client_auth;
	cc.mppe = tc->client_mppe;
	*sp = lwip_peer_new(&sc);
	*cp = lwip_peer_new(&cc);
	CHECK(*sp != NULL);
	CHECK(*cp != NULL);
}

static const struct auth_case auth_cases[] = {
	{ "PAP", LWIP_PEER_AUTH_PAP, 0, 0, 0, LWIP_PEER_AUTH_PAP, 0, 0 },
	{ "CHAP-MD5", LWIP_PEER_AUTH_CHAP_MD5, 0, 0, 0,
	    LWIP_PEER_AUTH_CHAP_MD5, 0, 0 },
	{ "MS-CHAPv1", LWIP_PEER_AUTH_MSCHAP_V1, 0, 0, 0,
	    LWIP_PEER_AUTH_MSCHAP_V1, 0, 0 },
	{ "MS-CHAPv2", LWIP_PEER_AUTH_MSCHAP_V2, 0, 0, 0,
	    LWIP_PEER_AUTH_MSCHAP_V2, 0, 0 },
	/* lwIP drops 40-bit MPPE after MS-CHAPv1 (ccp.c: "MS-CHAP LM not
	 * supported"), so v1 gets 128-bit. */
	{ "MS-CHAPv1+MPPE", LWIP_PEER_AUTH_MSCHAP_V1, 0,
	    LWIP_PEER_MPPE_REQUIRE, LWIP_PEER_MPPE_REQUIRE,
	    LWIP_PEER_AUTH_MSCHAP_V1, 128, 0 },
	{ "MS-CHAPv2+MPPE-128", LWIP_PEER_AUTH_MSCHAP_V2, 0,
	    LWIP_PEER_MPPE_REQUIRE | LWIP_PEER_MPPE_REFUSE_40,
	    LWIP_PEER_MPPE_REQUIRE, LWIP_PEER_AUTH_MSCHAP_V2, 128, 0 },
	{ "MS-CHAPv2+MPPE-40", LWIP_PEER_AUTH_MSCHAP_V2, 0,
	    LWIP_PEER_MPPE_REQUIRE | LWIP_PEER_MPPE_REFUSE_128,
	    LWIP_PEER_MPPE_REQUIRE, LWIP_PEER_AUTH_MSCHAP_V2, 40, 0 },
	/* lwIP always requests stateless MPPE and only accepts stateful
	 * when the other side insists (ccp.c), so two lwIP peers that both
	 * allow stateful mode still agree on stateless. */
	{ "MS-CHAPv2+MPPE-128-allow-stateful", LWIP_PEER_AUTH_MSCHAP_V2, 0,
	    LWIP_PEER_MPPE_REQUIRE | LWIP_PEER_MPPE_REFUSE_40 |
	    LWIP_PEER_MPPE_ALLOW_STATEFUL,
	    LWIP_PEER_MPPE_REQUIRE | LWIP_PEER_MPPE_ALLOW_STATEFUL,
	    LWIP_PEER_AUTH_MSCHAP_V2, 128, 0 },
	/* Server offers everything: lwIP asks for CHAP-MD5 first. */
	{ "server-any", 0, 0, 0, 0, LWIP_PEER_AUTH_CHAP_MD5, 0, 0 },
	/* The client refuses CHAP-MD5 and MS-CHAPv2, so the LCP Nak loop
	 * must land on MS-CHAPv1. */
	{ "client-only-MS-CHAPv1", 0, LWIP_PEER_AUTH_MSCHAP_V1, 0, 0,
	    LWIP_PEER_AUTH_MSCHAP_V1, 0, 0 },
	{ "client-only-PAP", 0, LWIP_PEER_AUTH_PAP, 0, 0,
	    LWIP_PEER_AUTH_PAP, 0, 0 },
};

static void
run_auth_case(const struct auth_case *tc)
{
	struct lwip_peer *c, *s;
	struct wire_log w;

	fprintf(stderr, "  case %s\n", tc->name);
	lwip_peer_set_seed(0x1234u);
	make_pair(tc, &c, &s);
	if (c == NULL || s == NULL) {
		lwip_peer_free(c);
		lwip_peer_free(s);
		return;
	}
	memset(&w, 0, sizeof(w));
	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	CHECK_INT(lwip_peer_start(c), PK_ERR_STATE);
	CHECK(run_until_up(c, s, 30000, &w));
	CHECK_INT(lwip_peer_err(c), PPPERR_NONE);
	CHECK_INT(lwip_peer_err(s), PPPERR_NONE);
	CHECK_INT(lwip_peer_phase(c), PHASE_RUNNING);
	CHECK_INT(lwip_peer_auth_done(c), tc->want_auth);
	CHECK_INT(lwip_peer_auth_done(s), tc->want_auth);
	CHECK_INT(lwip_peer_local_ip(c), IP_CLIENT);
	CHECK_INT(lwip_peer_peer_ip(c), IP_SERVER);
	CHECK_INT(lwip_peer_local_ip(s), IP_SERVER);
	CHECK_INT(lwip_peer_peer_ip(s), IP_CLIENT);
	CHECK_INT(lwip_peer_mppe_bits(c), tc->want_mppe_bits);
	CHECK_INT(lwip_peer_mppe_bits(s), tc->want_mppe_bits);
	CHECK_INT(lwip_peer_mppe_stateful(c), tc->want_stateful);
	CHECK_INT(lwip_peer_mppe_stateful(s), tc->want_stateful);

	memset(&w, 0, sizeof(w));
	check_ip_crosses(c, s, c, s, &w);
	check_ip_crosses(s, c, c, s, &w);
	if (tc->want_mppe_bits != 0) {
		/* Every data frame went encrypted: none in clear, and the
		 * payload marker never appeared on the wire. */
		CHECK_INT(w.n_comp, 10);
		CHECK_INT(w.n_ip, 0);
		CHECK(!w.saw_plain_marker);
	} else {
		CHECK_INT(w.n_ip, 10);
		CHECK_INT(w.n_comp, 0);
		CHECK(w.saw_plain_marker);
	}
	/* Full headers unless hdr_compress was asked for. */
	CHECK_INT(w.n_no_addr, 0);
	CHECK_INT(w.n_short_proto, 0);

	/* A graceful close from the client takes both sides down. */
	CHECK_INT(lwip_peer_close(c), PK_OK);
	CHECK(run_until_dead(c, s, 30000));
	CHECK_INT(lwip_peer_err(c), PPPERR_USER);
	CHECK_INT(lwip_peer_err(s), PPPERR_CONNECT);
	CHECK(!lwip_peer_is_up(c));
	CHECK(!lwip_peer_is_up(s));
	CHECK_INT(lwip_peer_close(c), PK_ERR_STATE);
	lwip_peer_free(c);
	lwip_peer_free(s);
	/* Nothing of either peer is left on lwIP's timer list. */
	CHECK_INT(lwip_peer_next_timer(), UINT32_MAX);
}

static void
test_auth_methods(void)
{
	size_t i;

	for (i = 0; i < sizeof(auth_cases) / sizeof(auth_cases[0]); i++)
		run_auth_case(&auth_cases[i]);
}

struct fail_case {
	const char *name;
	unsigned server_auth;
	const char *client_password;
	unsigned server_mppe, client_mppe;
	int want_server_err, want_client_err;
};

static const struct fail_case fail_cases[] = {
	{ "PAP-bad-password", LWIP_PEER_AUTH_PAP, "wrong", 0, 0,
	    PPPERR_AUTHFAIL, PPPERR_AUTHFAIL },
	{ "CHAP-MD5-bad-password", LWIP_PEER_AUTH_CHAP_MD5, "wrong", 0, 0,
	    PPPERR_AUTHFAIL, PPPERR_AUTHFAIL },
	{ "MS-CHAPv1-bad-password", LWIP_PEER_AUTH_MSCHAP_V1, "wrong", 0, 0,
	    PPPERR_AUTHFAIL, PPPERR_AUTHFAIL },
	{ "MS-CHAPv2-bad-password", LWIP_PEER_AUTH_MSCHAP_V2, "wrong", 0, 0,
	    PPPERR_AUTHFAIL, PPPERR_AUTHFAIL },
	/* The client does not do MPPE: it Configure-Rejects the server's
	 * MPPE option and the server closes LCP (ccp.c: "MPPE required but
	 * peer refused"). */
	{ "MPPE-refused-by-client", LWIP_PEER_AUTH_MSCHAP_V2, "Secr3t pass",
	    LWIP_PEER_MPPE_REQUIRE, 0, PPPERR_CONNECT, PPPERR_CONNECT },
	/* MPPE required after PAP: no key material, so both sides close
	 * LCP (ccp.c: "MPPE required, but MS-CHAP[v2] auth not
	 * performed"), which lwIP reports as a lost connection. */
	{ "MPPE-without-MS-CHAP", LWIP_PEER_AUTH_PAP, "Secr3t pass",
	    LWIP_PEER_MPPE_REQUIRE, LWIP_PEER_MPPE_REQUIRE,
	    PPPERR_CONNECT, PPPERR_CONNECT },
};

static void
run_fail_case(const struct fail_case *tc)
{
	struct lwip_peer_config sc, cc;
	struct lwip_peer *c, *s;

	fprintf(stderr, "  case %s\n", tc->name);
	memset(&sc, 0, sizeof(sc));
	sc.is_server = 1;
	sc.user = "alice";
	sc.password = "Secr3t pass";
	sc.auth = tc->server_auth;
	sc.mppe = tc->server_mppe;
	sc.local_ip = IP_SERVER;
	sc.peer_ip = IP_CLIENT;
	memset(&cc, 0, sizeof(cc));
	cc.user = "alice";
	cc.password = tc->client_password;
	cc.mppe = tc->client_mppe;
	s = lwip_peer_new(&sc);
	c = lwip_peer_new(&cc);
	CHECK(s != NULL && c != NULL);
	if (s == NULL || c == NULL) {
		lwip_peer_free(c);
		lwip_peer_free(s);
		return;
	}
	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	CHECK(run_until_dead(c, s, 60000));
	CHECK(!lwip_peer_is_up(c));
	CHECK(!lwip_peer_is_up(s));
	CHECK_INT(lwip_peer_err(s), tc->want_server_err);
	CHECK_INT(lwip_peer_err(c), tc->want_client_err);
	CHECK_INT(lwip_peer_local_ip(c), 0);
	lwip_peer_free(c);
	lwip_peer_free(s);
	CHECK_INT(lwip_peer_next_timer(), UINT32_MAX);
}

static void
test_auth_failures(void)
{
	size_t i;

	for (i = 0; i < sizeof(fail_cases) / sizeof(fail_cases[0]); i++)
		run_fail_case(&fail_cases[i]);
}

static struct lwip_peer *
new_server(unsigned auth)
{
	struct lwip_peer_config sc;

	memset(&sc, 0, sizeof(sc));
	sc.is_server = 1;
	sc.user = "bob";
	sc.password = "pw";
	sc.auth = auth;
	sc.local_ip = IP_SERVER;
	sc.peer_ip = IP_CLIENT;
	return lwip_peer_new(&sc);
}

static struct lwip_peer *
new_client(int hdr_compress)
{
	struct lwip_peer_config cc;

	memset(&cc, 0, sizeof(cc));
	cc.user = "bob";
	cc.password = "pw";
	cc.hdr_compress = hdr_compress;
	return lwip_peer_new(&cc);
}

/* hdr_compress: once LCP agreed on ACFC and PFC, frames go out without
 * FF 03 and with 1-byte protocols (never LCP), and the other lwip_peer
 * still understands them (lwip_peer_input() expands them). */
static void
test_header_compression(void)
{
	struct lwip_peer *c, *s;
	struct wire_log w;

	lwip_peer_set_seed(77);
	s = new_server(LWIP_PEER_AUTH_CHAP_MD5);
	c = new_client(1);
	CHECK(s != NULL && c != NULL);
	if (s == NULL || c == NULL)
		goto out;
	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	memset(&w, 0, sizeof(w));
	CHECK(run_until_up(c, s, 30000, &w));
	CHECK_INT(lwip_peer_tx_acfc(c), 1);
	CHECK_INT(lwip_peer_tx_pfc(c), 1);
	/* Some client frames after LCP (CHAP, IPCP, CCP) were compressed. */
	CHECK(w.n_no_addr > 0);
	memset(&w, 0, sizeof(w));
	check_ip_crosses(c, s, c, s, &w);
	CHECK_INT(w.n_frames, 5);
	CHECK_INT(w.n_no_addr, 5);
	CHECK_INT(w.n_short_proto, 5);
	CHECK_INT(w.n_ip, 5);
	/* The server was not asked to compress. */
	memset(&w, 0, sizeof(w));
	check_ip_crosses(s, c, c, s, &w);
	CHECK_INT(w.n_no_addr, 0);
	CHECK_INT(w.n_short_proto, 0);
out:
	lwip_peer_free(c);
	lwip_peer_free(s);
}

/* LCP echo (RFC 1661 §5.8) runs on the virtual clock: answered echoes keep
 * the link up; once the frames stop, the client declares the peer dead
 * after lwIP's LCP_MAXECHOFAILS (3) unanswered requests. */
static void
test_echo_and_timers(void)
{
	struct lwip_peer_config cc;
	struct lwip_peer *c, *s;
	uint8_t buf[LWIP_PEER_FRAME_MAX];
	uint32_t t;
	size_t echoes = 0, len;

	lwip_peer_set_seed(5);
	s = new_server(LWIP_PEER_AUTH_PAP);
	memset(&cc, 0, sizeof(cc));
	cc.user = "bob";
	cc.password = "pw";
	cc.lcp_echo_interval = 2;
	c = lwip_peer_new(&cc);
	CHECK(s != NULL && c != NULL);
	if (s == NULL || c == NULL)
		goto out;
	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	CHECK(run_until_up(c, s, 30000, NULL));
	/* 20 s of answered echoes. */
	CHECK(lwip_peer_next_timer() <= 2000);
	for (t = 0; t < 20000; t += 500) {
		pump(c, s, NULL);
		lwip_peer_advance(NULL, 500);
	}
	CHECK(lwip_peer_is_up(c));
	CHECK(lwip_peer_frames_out(c) > 10);
	/* Now the server is unplugged: the client's frames go nowhere. */
	for (t = 0; t < 20000 && lwip_peer_phase(c) != PHASE_DEAD;
	    t += 500) {
		while ((len = lwip_peer_pop_frame(c, buf, sizeof(buf))) != 0) {
			if (len >= 5 && buf[2] == 0xc0 && buf[3] == 0x21 &&
			    buf[4] == 9)	/* LCP Echo-Request */
				echoes++;
		}
		lwip_peer_advance(NULL, 500);
	}
	CHECK_INT(lwip_peer_phase(c), PHASE_DEAD);
	CHECK_INT(lwip_peer_err(c), PPPERR_PEERDEAD);
	CHECK(echoes >= 3);
	/* Dead: refuses IP. */
	build_udp(buf, 40, IP_CLIENT, IP_SERVER, 1);
	CHECK_INT(lwip_peer_send_ip(c, buf, 40), PK_ERR_STATE);
out:
	lwip_peer_free(c);
	lwip_peer_free(s);
	CHECK_INT(lwip_peer_next_timer(), UINT32_MAX);
}

/* The frame interface itself: argument checks, truncation, compressed
 * input forms, and freeing peers in the middle of a negotiation. */
static void
test_frame_io(void)
{
	struct lwip_peer_config bad;
	struct lwip_peer *c, *s;
	uint8_t buf[LWIP_PEER_FRAME_MAX], small[4], pkt[64], frame[80];
	size_t len, full;
	char longname[LWIP_PEER_NAME_MAX + 2];

	/* Invalid configurations are refused. */
	memset(&bad, 0, sizeof(bad));
	bad.auth = 0x10;
	CHECK(lwip_peer_new(&bad) == NULL);
	memset(&bad, 0, sizeof(bad));
	bad.mppe = LWIP_PEER_MPPE_REFUSE_40;	/* shaping without REQUIRE */
	CHECK(lwip_peer_new(&bad) == NULL);
	memset(&bad, 0, sizeof(bad));
	bad.is_server = 1;			/* server without addresses */
	CHECK(lwip_peer_new(&bad) == NULL);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memset(&bad, 0, sizeof(bad));
	bad.user = longname;
	CHECK(lwip_peer_new(&bad) == NULL);
	CHECK(lwip_peer_new(NULL) == NULL);
	lwip_peer_free(NULL);

	lwip_peer_set_seed(99);
	s = new_server(LWIP_PEER_AUTH_PAP);
	c = new_client(0);
	CHECK(s != NULL && c != NULL);
	if (s == NULL || c == NULL)
		goto out;
	/* Nothing goes in before start. */
	CHECK_INT(lwip_peer_input(c, (const uint8_t *)"\xc0\x21", 2),
	    PK_ERR_STATE);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	/* The first frame is LCP Configure-Request with full headers. */
	CHECK_INT(lwip_peer_frames_pending(c), 1);
	full = lwip_peer_pop_frame(c, small, sizeof(small));
	CHECK(full > sizeof(small));	/* truncated copy, full length */
	CHECK_MEM(small, "\xff\x03\xc0\x21", 4);
	CHECK_INT(lwip_peer_frames_pending(c), 0);
	CHECK_INT(lwip_peer_pop_frame(c, buf, sizeof(buf)), 0);
	/* Malformed input is refused before lwIP sees it. */
	CHECK_INT(lwip_peer_input(c, buf, 0), PK_ERR_SHORT);
	CHECK_INT(lwip_peer_input(c, (const uint8_t *)"\xff\x03", 2),
	    PK_ERR_SHORT);
	CHECK_INT(lwip_peer_input(c, (const uint8_t *)"\xff\x03\xc0", 3),
	    PK_ERR_SHORT);
	CHECK_INT(lwip_peer_input(c, (const uint8_t *)"\xc0", 1),
	    PK_ERR_SHORT);
	CHECK_INT(lwip_peer_input(c, buf, LWIP_PEER_FRAME_MAX + 1),
	    PK_ERR_LONG);
	CHECK_INT(lwip_peer_frames_in(c), 0);
	/* An unknown protocol is handed to lwIP, which answers with an LCP
	 * Protocol-Reject only once LCP is open: before that, silence. */
	CHECK_INT(lwip_peer_input(c, (const uint8_t *)"\x80\x57\x01\x01\x00"
	    "\x04", 6), PK_OK);
	CHECK_INT(lwip_peer_frames_pending(c), 0);

	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK(run_until_up(c, s, 30000, NULL));
	/* IP sent before/after up is covered elsewhere; here the input
	 * forms: no FF 03, and a 1-byte protocol field (PFC), both for an
	 * IPv4 packet, which the client must deliver unchanged. */
	build_udp(pkt, sizeof(pkt), IP_SERVER, IP_CLIENT, 7);
	frame[0] = 0x21;
	memcpy(frame + 1, pkt, sizeof(pkt));
	CHECK_INT(lwip_peer_input(c, frame, 1 + sizeof(pkt)), PK_OK);
	len = lwip_peer_pop_ip(c, buf, sizeof(buf));
	CHECK_INT(len, sizeof(pkt));
	CHECK_MEM(buf, pkt, sizeof(pkt));
	frame[0] = 0x00;
	frame[1] = 0x21;
	memcpy(frame + 2, pkt, sizeof(pkt));
	CHECK_INT(lwip_peer_input(c, frame, 2 + sizeof(pkt)), PK_OK);
	len = lwip_peer_pop_ip(c, small, sizeof(small));
	CHECK_INT(len, sizeof(pkt));	/* truncated copy, full length */
	CHECK_MEM(small, pkt, sizeof(small));
	CHECK_INT(lwip_peer_pop_ip(c, buf, sizeof(buf)), 0);
	/* Unknown protocol once LCP is open: LCP Protocol-Reject (code 8)
	 * carrying the rejected protocol (RFC 1661 §5.7). */
	CHECK_INT(lwip_peer_input(c, (const uint8_t *)"\xff\x03\x80\x57\x01"
	    "\x01\x00\x04", 8), PK_OK);
	len = lwip_peer_pop_frame(c, buf, sizeof(buf));
	CHECK(len >= 10);
	CHECK_MEM(buf, "\xff\x03\xc0\x21\x08", 5);
	CHECK_MEM(buf + 8, "\x80\x57", 2);
	/* A full frame queue refuses more and counts the drops. */
	for (len = 0; len < LWIP_PEER_QUEUE_MAX; len++)
		CHECK_INT(lwip_peer_send_ip(c, pkt, sizeof(pkt)), PK_OK);
	CHECK_INT(lwip_peer_frames_pending(c), LWIP_PEER_QUEUE_MAX);
	CHECK_INT(lwip_peer_dropped(c), 0);
	CHECK_INT(lwip_peer_send_ip(c, pkt, sizeof(pkt)), PK_ERR_FULL);
	CHECK_INT(lwip_peer_dropped(c), 1);
	while (lwip_peer_pop_frame(c, buf, sizeof(buf)) != 0)
		;
	CHECK_INT(lwip_peer_send_ip(c, pkt, sizeof(pkt)), PK_OK);
	CHECK_INT(lwip_peer_frames_pending(c), 1);
	/* IP packets of a bad length are refused. */
	CHECK_INT(lwip_peer_send_ip(c, pkt, 19), PK_ERR_SHORT);
	CHECK_INT(lwip_peer_send_ip(c, buf, LWIP_PEER_FRAME_MAX + 1),
	    PK_ERR_LONG);
out:
	lwip_peer_free(c);
	lwip_peer_free(s);
	CHECK_INT(lwip_peer_next_timer(), UINT32_MAX);

	/* Freed in the middle of authentication, with timers running. */
	s = new_server(LWIP_PEER_AUTH_MSCHAP_V2);
	c = new_client(0);
	CHECK(s != NULL && c != NULL);
	if (s == NULL || c == NULL)
		goto out2;
	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	/* Two exchanges: LCP opens, the challenge is on its way. */
	len = lwip_peer_pop_frame(c, buf, sizeof(buf));
	CHECK_INT(lwip_peer_input(s, buf, len), PK_OK);
	while ((len = lwip_peer_pop_frame(s, buf, sizeof(buf))) != 0)
		CHECK_INT(lwip_peer_input(c, buf, len), PK_OK);
	CHECK(lwip_peer_next_timer() != UINT32_MAX);
out2:
	lwip_peer_free(c);
	lwip_peer_free(s);
	CHECK_INT(lwip_peer_next_timer(), UINT32_MAX);
	lwip_peer_advance(NULL, 60000);
}

/* A server without an account does not ask for authentication, and a
 * client without credentials refuses to authenticate (lwIP's lcp.c). */
static void
test_no_auth(void)
{
	struct lwip_peer_config sc, cc;
	struct lwip_peer *c, *s;

	lwip_peer_set_seed(11);
	memset(&sc, 0, sizeof(sc));
	sc.is_server = 1;
	sc.local_ip = IP_SERVER;
	sc.peer_ip = IP_CLIENT;
	memset(&cc, 0, sizeof(cc));
	s = lwip_peer_new(&sc);
	c = lwip_peer_new(&cc);
	CHECK(s != NULL && c != NULL);
	if (s == NULL || c == NULL)
		goto out;
	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	CHECK(run_until_up(c, s, 30000, NULL));
	CHECK_INT(lwip_peer_auth_done(c), 0);
	CHECK_INT(lwip_peer_auth_done(s), 0);
	check_ip_crosses(c, s, c, s, NULL);
	lwip_peer_free(c);
	lwip_peer_free(s);

	/* A server that requires PAP and a client without credentials: the
	 * client refuses the option, and the server gives up on it. */
	sc.user = "dave";
	sc.password = "pw";
	sc.auth = LWIP_PEER_AUTH_PAP;
	s = lwip_peer_new(&sc);
	c = lwip_peer_new(&cc);
	CHECK(s != NULL && c != NULL);
	if (s == NULL || c == NULL)
		goto out;
	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	CHECK(run_until_dead(c, s, 120000));
	CHECK(!lwip_peer_is_up(c));
	CHECK(!lwip_peer_is_up(s));
	/* auth.c: "peer refused to authenticate: terminating link". */
	CHECK_INT(lwip_peer_err(s), PPPERR_AUTHFAIL);
	CHECK_INT(lwip_peer_err(c), PPPERR_CONNECT);
out:
	lwip_peer_free(c);
	lwip_peer_free(s);
	CHECK_INT(lwip_peer_next_timer(), UINT32_MAX);
}

/* Passive mode: the server waits for the client's Configure-Request, and
 * VJ negotiation (lwIP's default) leaves UDP packets untouched. */
static void
test_passive_and_vj(void)
{
	struct lwip_peer_config sc, cc;
	struct lwip_peer *c, *s;

	lwip_peer_set_seed(3);
	memset(&sc, 0, sizeof(sc));
	sc.is_server = 1;
	sc.user = "carol";
	sc.password = "x";
	sc.auth = LWIP_PEER_AUTH_MSCHAP_V2;
	sc.local_ip = IP_SERVER;
	sc.peer_ip = IP_CLIENT;
	sc.passive = 1;
	sc.vj = 1;
	memset(&cc, 0, sizeof(cc));
	cc.user = "carol";
	cc.password = "x";
	cc.vj = 1;
	s = lwip_peer_new(&sc);
	c = lwip_peer_new(&cc);
	CHECK(s != NULL && c != NULL);
	if (s == NULL || c == NULL)
		goto out;
	CHECK_INT(lwip_peer_start(s), PK_OK);
	CHECK_INT(lwip_peer_frames_pending(s), 0);
	lwip_peer_advance(NULL, 10000);
	CHECK_INT(lwip_peer_frames_pending(s), 0);
	CHECK_INT(lwip_peer_start(c), PK_OK);
	CHECK(run_until_up(c, s, 30000, NULL));
	check_ip_crosses(c, s, c, s, NULL);
	check_ip_crosses(s, c, c, s, NULL);
out:
	lwip_peer_free(c);
	lwip_peer_free(s);
}

int
main(void)
{
	RUN(test_auth_methods);
	RUN(test_auth_failures);
	RUN(test_header_compression);
	RUN(test_echo_and_timers);
	RUN(test_frame_io);
	RUN(test_no_auth);
	RUN(test_passive_and_vj);
	TEST_MAIN_END();
}
