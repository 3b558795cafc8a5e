/*
 * test_ppp_auth.c - PAP and CHAP (MD5, MS-CHAPv1, MS-CHAPv2) as packets
 * on the wire, each role against hand-written frames: what the request,
 * challenge and response look like, retransmissions, duplicates after
 * success, Success/Failure messages, MS-CHAP Change-Password refused, and
 * a client refusing a server whose S= authenticator response is wrong.
 */
#include "auth/mschap.h"
#include "core/log.h"
#include "core/rand.h"
#include "ppp_harness.h"
#include "ppp_script.h"

#define PW "correct horse"

static unsigned cfg_auth;
static int cfg_mppe;

static void
tweak(struct ppp_config *cfg)
{
	cfg->policy.auth = cfg_auth;
	cfg->policy.mppe = cfg_mppe;
}

/* A server with LCP opened, asking for auth (MPPE optional). */
static void
server(struct script *s, unsigned auth)
{
	struct ppp_config cfg;

	h_config(&cfg, 1);
	cfg_auth = auth;
	cfg_mppe = PK_MPPE_ALLOW;
	tweak(&cfg);
	cfg.echo_interval_ms = 0;	/* count only auth frames */
	CHECK_INT(s_new(s, &cfg), 0);
	s_start(s);
	CHECK_INT(s_open_lcp(s), 0);
	CHECK_INT(ppp_phase(s->p), PPP_PHASE_AUTHENTICATE);
}

/*
 * A client with LCP opened by a "server" whose Configure-Request asks
 * for the Auth-Protocol option given in hex.
 */
static void
client(struct script *s, unsigned auth, int mppe, const char *auth_opt)
{
	struct ppp_config cfg;
	uint8_t ack[64], opt[8], req[64];
	struct buf_writer w;
	size_t len, n;
	const uint8_t *f;

	h_config(&cfg, 0);
	cfg.policy.auth = auth;
	cfg.policy.mppe = mppe;
	cfg.echo_interval_ms = 0;
	CHECK_INT(s_new(s, &cfg), 0);
	s_start(s);
	f = s_frame(s, 0, &len);
	CHECK(f != NULL && len < sizeof(ack));
	if (f == NULL || len >= sizeof(ack))
		return;
	memcpy(ack, f, len);
	ack[4] = PPP_CONFACK;
	n = test_unhex(auth_opt, opt, sizeof(opt));
	buf_writer_init(&w, req, sizeof(req));
	buf_put_u16(&w, 0xff03);
	buf_put_u16(&w, PPP_PROTO_LCP);
	buf_put_u8(&w, PPP_CONFREQ);
	buf_put_u8(&w, 1);
	buf_put_u16(&w, (uint16_t)(PPP_HDR_LEN + n + 10));
	buf_put_bytes(&w, opt, n);
	buf_put_bytes(&w, "\x05\x06\x11\x22\x33\x44\x07\x02\x08\x02", 10);
	s_reset(s);
	s_feed_bytes(s, req, w.len);
	CHECK_INT(s_byte(s, 0, 4), PPP_CONFACK);
	s_feed_bytes(s, ack, len);
	if (n > 0)
		CHECK_INT(ppp_phase(s->p), PPP_PHASE_AUTHENTICATE);
}

/*
 * A server that asks for no authentication at all (pppd does, after we
 * Nak a method our policy refuses): the client ends the link instead of
 * running one whose server proved nothing.
 */
static void
test_client_refuses_unauthenticated_server(void)
{
	struct script s;

	client(&s, PK_AUTH_MSCHAPV2, PK_MPPE_DENY, "");
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_TERMINATE);
	/* Its Terminate-Requests go unanswered: Max-Terminate ends it. */
	for (int i = 0; i < 5; i++)
		s_advance(&s, 3000);
	CHECK_INT(s.up, 0);
	CHECK_INT(s.down, 1);
	CHECK_INT(s.down_code, PK_ERR_POLICY);
	if (strstr(s.down_text, "did not ask us to authenticate") == NULL) {
		fprintf(stderr, "down: %d \"%s\"\n", s.down_code, s.down_text);
		test_failures++;
	}
	s_free(&s);
}

/* --- PAP --- */

static void
test_pap_server(void)
{
	struct script s;

	server(&s, PK_AUTH_PAP);
	/* RFC 1334 §2.2.1: the authenticator waits for the peer. */
	CHECK_INT(s_nframes(&s), 1);	/* just the LCP Ack */
	s_reset(&s);
	CHECK_INT(s_feed(&s, "c0 23 01 05 00 18 05 61 6c 69 63 65 0d 63 6f 72 "
	    "72 65 63 74 20 68 6f 72 73 65"), 0);
	CHECK_INT(s.auth_requests, 1);
	CHECK_INT(s.req.method, PK_AUTH_PAP);
	CHECK_STR(s.req.user, "alice");
	CHECK_INT(s.req.response_len, 13);
	CHECK_MEM(s.req.response, PW, 13);
	CHECK_INT(s_nframes(&s), 0);
	/* A retransmission while the owner decides: no second event; the
	 * answer goes to the latest Identifier. */
	s_feed(&s, "c0 23 01 06 00 18 05 61 6c 69 63 65 0d 63 6f 72 72 65 63 "
	    "74 20 68 6f 72 73 65");
	CHECK_INT(s.auth_requests, 1);
	CHECK_INT(s_auth_answer(&s, PW), 0);
	CHECK(s_find(&s, "c0 23 02 06 00 13 0e 41 63 63 65 73 73 20 67 72 61 "
	    "6e 74 65 64") == 0);
	CHECK_INT(s.auth_ok, 1);
	CHECK_STR(s.auth_ok_text, "user \"alice\" authenticated with pap");
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_NETWORK);
	/* The Ack was lost: the peer asks again and gets an Ack again. */
	s_reset(&s);
	s_feed(&s, "c0 23 01 07 00 18 05 61 6c 69 63 65 0d 63 6f 72 72 65 63 "
	    "74 20 68 6f 72 73 65");
	CHECK(s_find(&s, "c0 23 02 07 00 05 00") == 0);
	CHECK_INT(s.auth_requests, 1);
	s_free(&s);

	/* A wrong password: Nak, then LCP Terminate-Request. */
	server(&s, PK_AUTH_PAP);
	s_reset(&s);
	s_feed(&s, "c0 23 01 05 00 0f 05 61 6c 69 63 65 04 6e 6f 70 65");
	CHECK_INT(s_auth_answer(&s, PW), 0);
	CHECK(s_find(&s, "c0 23 03 05 00 1b 16 41 75 74 68 65 6e 74 69 63 61 "
	    "74 69 6f 6e 20 66 61 69 6c 75 72 65") == 0);
	CHECK(s_find(&s, "ff 03 c0 21 05 xx 00 19 41 75 74 68 65 6e 74 69 63 "
	    "61 74 69 6f 6e 20 66 61 69 6c 65 64") == 1);
	CHECK_INT(s.auth_failed, 1);
	CHECK_STR(s.auth_failed_text, "authentication failed for user "
	    "\"alice\" (pap)");
	s_free(&s);
}

static void
test_pap_malformed(void)
{
	static const struct {
		const char *in;
		int err;
	} cases[] = {
		{ "c0 23 01 05 00 08 09 61 62 63", PK_ERR_SHORT },
		{ "c0 23 01 05 00 0a 01 61 05 62 63 64", PK_ERR_SHORT },
		{ "c0 23 01 05 00 04", PK_ERR_SHORT },
		{ "c0 23 01 05 00 09 02 61 00 01 62", PK_ERR_VALUE },
		{ "c0 23 01 05 00 10 01 61 01 62", PK_ERR_LENGTH },
		{ "c0 23 02 05 00 05 00", PK_ERR_TYPE },	/* an Ack */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct script s;

		server(&s, PK_AUTH_PAP);
		s_reset(&s);
		CHECK_INT(s_feed(&s, cases[i].in), cases[i].err);
		CHECK_INT(s.auth_requests, 0);
		CHECK_INT(s_nframes(&s), 0);
		s_free(&s);
	}
}

static void
test_pap_client(void)
{
	struct script s;
	uint8_t id1, id2;
	char nak[64];

	client(&s, PK_AUTH_PAP, PK_MPPE_DENY, "03 04 c0 23");
	CHECK(s_find(&s, "c0 23 01 xx 00 18 05 61 6c 69 63 65 0d 63 6f 72 72 "
	    "65 63 74 20 68 6f 72 73 65") == 1);
	id1 = s_byte(&s, 1, 3);
	/* No answer: repeated with a new Identifier (RFC 1334 §2.2.1). */
	s_reset(&s);
	s_advance(&s, 3000);
	CHECK(s_find(&s, "c0 23 01 xx 00 18 05 61 6c 69 63 65 0d 63 6f 72 72 "
	    "65 63 74 20 68 6f 72 73 65") == 0);
	id2 = s_byte(&s, 0, 3);
	CHECK(id1 != id2);
	/* An answer to the old Identifier is not for us any more. */
	snprintf(nak, sizeof(nak), "c0 23 02 %02x 00 05 00", id1);
	CHECK_INT(s_feed(&s, nak), PK_ERR_STATE);
	CHECK_INT(s.auth_ok, 0);
	snprintf(nak, sizeof(nak), "c0 23 03 %02x 00 0a 05 6e 6f 70 65 21",
	    id2);
	s_reset(&s);
	s_feed(&s, nak);
	CHECK_INT(s.auth_failed, 1);
	CHECK_STR(s.auth_failed_text, "authentication rejected by server: "
	    "nope!");
	CHECK(s_find(&s, "ff 03 c0 21 05 xx 00 19 41 75 74 68 65 6e 74 69 63 "
	    "61 74 69 6f 6e 20 66 61 69 6c 65 64") == 0);
	s_free(&s);

	/* Acked: into the Network phase (IPCP starts, no CCP: denied). */
	client(&s, PK_AUTH_PAP, PK_MPPE_DENY, "03 04 c0 23");
	id1 = s_byte(&s, 1, 3);
	snprintf(nak, sizeof(nak), "c0 23 02 %02x 00 05 00", id1);
	s_reset(&s);
	s_feed(&s, nak);
	CHECK_INT(s.auth_ok, 1);
	CHECK(s_find(&s, "80 21 01 xx 00 22 03 06 00 00 00 00 81 06 00 00 00 "
	    "00 82 06 00 00 00 00 83 06 00 00 00 00 84 06 00 00 00 00") == 0);
	s_free(&s);

	/* Never answered: Max-Configure requests, then give up. */
	client(&s, PK_AUTH_PAP, PK_MPPE_DENY, "03 04 c0 23");
	for (int i = 0; i < 12 && s.auth_failed == 0; i++)
		s_advance(&s, 3000);
	CHECK_INT(s.auth_failed, 1);
	CHECK_STR(s.auth_failed_text, "authentication failed: no answer to "
	    "PAP Authenticate-Request");
	s_free(&s);
}

/* --- CHAP-MD5 --- */

/* Builds a CHAP Challenge/Response frame (compressed address). */
static size_t
chap_frame(uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
    const uint8_t *value, size_t vlen, const char *name)
{
	struct buf_writer w;
	size_t nlen = strlen(name);

	buf_writer_init(&w, buf, cap);
	buf_put_u16(&w, PPP_PROTO_CHAP);
	buf_put_u8(&w, code);
	buf_put_u8(&w, id);
	buf_put_u16(&w, (uint16_t)(5 + vlen + nlen));
	buf_put_u8(&w, (uint8_t)vlen);
	buf_put_bytes(&w, value, vlen);
	buf_put_bytes(&w, name, nlen);
	return w.len;
}

/* A CHAP Success/Failure frame with a text message. */
static size_t
chap_final(uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
    const char *msg)
{
	struct buf_writer w;

	buf_writer_init(&w, buf, cap);
	buf_put_u16(&w, PPP_PROTO_CHAP);
	buf_put_u8(&w, code);
	buf_put_u8(&w, id);
	buf_put_u16(&w, (uint16_t)(4 + strlen(msg)));
	buf_put_bytes(&w, msg, strlen(msg));
	return w.len;
}

/* Reads the challenge out of the server's frame idx. */
static int
get_challenge(const struct script *s, int idx, uint8_t *id, uint8_t *chal,
    size_t want)
{
	size_t len;
	const uint8_t *f = s_frame(s, idx, &len);

	if (f == NULL || len < 7 + want || f[2] != CHAP_CHALLENGE ||
	    f[6] != want)
		return -1;
	*id = f[3];
	memcpy(chal, f + 7, want);
	return 0;
}

static void
test_chap_md5_server(void)
{
	struct script s;
	uint8_t id, chal[16], resp[16], frame[128], first[128];
	size_t n, first_len;
	const uint8_t *f;

	server(&s, PK_AUTH_CHAP_MD5);
	/* "c2 23 01 id 00 23 10 <16> pptpkit-server" */
	CHECK(s_find(&s, "c2 23 01 xx 00 23 10 xx xx xx xx xx xx xx xx xx xx "
	    "xx xx xx xx xx xx 70 70 74 70 6b 69 74 2d 73 65 72 76 65 72") ==
	    1);
	CHECK_INT(get_challenge(&s, 1, &id, chal, 16), 0);
	f = s_frame(&s, 1, &first_len);
	memcpy(first, f, first_len);
	/* No Response: the same Challenge again after the restart time. */
	s_reset(&s);
	s_advance(&s, 2999);
	CHECK_INT(s_nframes(&s), 0);
	s_advance(&s, 1);
	CHECK_INT(s_nframes(&s), 1);
	f = s_frame(&s, 0, &n);
	CHECK(n == first_len && memcmp(f, first, n) == 0);
	/* A Response to another Identifier is dropped. */
	chap_md5_response(id, (const uint8_t *)PW, strlen(PW), chal, 16,
	    resp);
	n = chap_frame(frame, sizeof(frame), CHAP_RESPONSE, (uint8_t)(id + 1),
	    resp, 16, "alice");
	s_reset(&s);
	CHECK_INT(s_feed_bytes(&s, frame, n), PK_ERR_VALUE);
	CHECK_INT(s.auth_requests, 0);
	n = chap_frame(frame, sizeof(frame), CHAP_RESPONSE, id, resp, 16,
	    "alice");
	CHECK_INT(s_feed_bytes(&s, frame, n), 0);
	CHECK_INT(s.auth_requests, 1);
	CHECK_INT(s.req.method, PK_AUTH_CHAP_MD5);
	CHECK_INT(s.req.chap_id, id);
	CHECK_INT(s.req.challenge_len, 16);
	CHECK_MEM(s.req.challenge, chal, 16);
	CHECK_INT(s.req.response_len, 16);
	CHECK_MEM(s.req.response, resp, 16);
	/* No more Challenges while the owner decides. */
	s_reset(&s);
	s_advance(&s, 10000);
	CHECK_INT(s_nframes(&s), 0);
	CHECK_INT(s_auth_answer(&s, PW), 0);
	CHECK_INT(s.auth_ok, 1);
	{
		char want[80];

		snprintf(want, sizeof(want), "c2 23 03 %02x 00 12 41 63 63 65 "
		    "73 73 20 67 72 61 6e 74 65 64", id);
		CHECK(s_find(&s, want) == 0);
		/* Success lost: the repeated Response gets it again. */
		s_reset(&s);
		s_feed_bytes(&s, frame, n);
		CHECK(s_find(&s, want) == 0);
		CHECK_INT(s.auth_requests, 1);
	}
	s_free(&s);

	/* Never answered: Max-Configure Challenges, then failure. */
	server(&s, PK_AUTH_CHAP_MD5);
	s_reset(&s);
	for (int i = 0; i < 12 && s.auth_failed == 0; i++)
		s_advance(&s, 3000);
	CHECK_INT(s_nframes(&s), 9 + 1);	/* 9 repeats + Terminate */
	CHECK_INT(s.auth_failed, 1);
	CHECK_STR(s.auth_failed_text, "authentication failed: no CHAP "
	    "Response from peer");
	s_free(&s);
}

static void
test_chap_md5_client(void)
{
	struct script s;
	uint8_t chal[20], frame[128], want[16];
	size_t n, len;
	const uint8_t *f;

	memset(chal, 0xa5, sizeof(chal));
	client(&s, PK_AUTH_CHAP_MD5, PK_MPPE_DENY, "03 05 c2 23 05");
	s_reset(&s);
	/* Any challenge length is fine for MD5 (RFC 1994 §4.1). */
	n = chap_frame(frame, sizeof(frame), CHAP_CHALLENGE, 0x42, chal, 20,
	    "srv");
	CHECK_INT(s_feed_bytes(&s, frame, n), 0);
	chap_md5_response(0x42, (const uint8_t *)PW, strlen(PW), chal, 20,
	    want);
	CHECK(s_find(&s, "c2 23 02 42 00 1a 10 xx xx xx xx xx xx xx xx xx xx "
	    "xx xx xx xx xx xx 61 6c 69 63 65") == 0);
	f = s_frame(&s, 0, &len);
	CHECK(f != NULL && memcmp(f + 7, want, 16) == 0);
	/* The same Challenge again: the same Response again. */
	s_feed_bytes(&s, frame, n);
	CHECK_INT(s_nframes(&s), 2);
	{
		size_t l2;
		const uint8_t *f2 = s_frame(&s, 1, &l2);

		CHECK(f2 != NULL && l2 == len && memcmp(f, f2, len) == 0);
	}
	/* Success for another Identifier: ignored; for ours: done. */
	n = chap_final(frame, sizeof(frame), CHAP_SUCCESS, 0x41, "ok");
	CHECK_INT(s_feed_bytes(&s, frame, n), PK_ERR_STATE);
	n = chap_final(frame, sizeof(frame), CHAP_SUCCESS, 0x42, "ok");
	CHECK_INT(s_feed_bytes(&s, frame, n), 0);
	CHECK_INT(s.auth_ok, 1);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_NETWORK);
	s_free(&s);

	/* Failure: reported with the server's text; no retry. */
	client(&s, PK_AUTH_CHAP_MD5, PK_MPPE_DENY, "03 05 c2 23 05");
	n = chap_frame(frame, sizeof(frame), CHAP_CHALLENGE, 7, chal, 16,
	    "srv");
	s_feed_bytes(&s, frame, n);
	n = chap_final(frame, sizeof(frame), CHAP_FAILURE, 7, "no\x01way");
	s_reset(&s);
	s_feed_bytes(&s, frame, n);
	CHECK_INT(s.auth_failed, 1);
	CHECK_STR(s.auth_failed_text, "authentication rejected by server: "
	    "no?way");
	CHECK_INT(s_byte(&s, 0, 4), PPP_TERMREQ);
	s_free(&s);
}

/* --- MS-CHAP --- */

static void
test_mschapv2_server(void)
{
	struct script s;
	uint8_t id, chal[16], peer[16], resp[49], frame[128];
	char s_string[43];
	size_t n, len;
	const uint8_t *f;

	server(&s, PK_AUTH_MSCHAPV2);
	CHECK_INT(get_challenge(&s, 1, &id, chal, 16), 0);
	memset(peer, 0x33, sizeof(peer));
	CHECK_INT(mschapv2_build_response(chal, peer, "alice", PW, resp), 0);
	n = chap_frame(frame, sizeof(frame), CHAP_RESPONSE, id, resp, 49,
	    "alice");
	s_reset(&s);
	s_feed_bytes(&s, frame, n);
	CHECK_INT(s.req.method, PK_AUTH_MSCHAPV2);
	CHECK_INT(s.req.response_len, 49);
	CHECK_MEM(s.req.response, resp, 49);
	CHECK_INT(s_auth_answer(&s, PW), 0);
	/* RFC 2759 §5: "S=<40 hex> M=<text>", verifiable by the peer. */
	f = s_frame(&s, 0, &len);
	CHECK(f != NULL && len > 6 + 42 && f[2] == CHAP_SUCCESS &&
	    f[4] == 0 && f[5] == len - 2);
	CHECK_INT(mschapv2_generate_authenticator_response(PW, resp + 24,
	    peer, chal, "alice", s_string), 0);
	CHECK(f != NULL && memcmp(f + 6, s_string, 42) == 0);
	CHECK(f != NULL && memcmp(f + 6 + 42, " M=", 3) == 0);
	s_free(&s);

	/* Wrong password: E=691 R=0 C=<32 hex> V=3. */
	server(&s, PK_AUTH_MSCHAPV2);
	CHECK_INT(get_challenge(&s, 1, &id, chal, 16), 0);
	CHECK_INT(mschapv2_build_response(chal, peer, "alice", "nope", resp),
	    0);
	n = chap_frame(frame, sizeof(frame), CHAP_RESPONSE, id, resp, 49,
	    "alice");
	s_reset(&s);
	s_feed_bytes(&s, frame, n);
	CHECK_INT(s_auth_answer(&s, PW), 0);
	f = s_frame(&s, 0, &len);
	CHECK(f != NULL && f[2] == CHAP_FAILURE && len > 6 + 48);
	CHECK(f != NULL && memcmp(f + 6, "E=691 R=0 C=", 12) == 0 &&
	    memcmp(f + 6 + 44, " V=3", 4) == 0);
	CHECK_INT(s.auth_failed, 1);
	CHECK_INT(s_byte(&s, 1, 4), PPP_TERMREQ);
	s_free(&s);

	/* A Response with the wrong Value-Size: Failure, no decision asked. */
	server(&s, PK_AUTH_MSCHAPV2);
	CHECK_INT(get_challenge(&s, 1, &id, chal, 16), 0);
	n = chap_frame(frame, sizeof(frame), CHAP_RESPONSE, id, resp, 48,
	    "alice");
	s_reset(&s);
	CHECK_INT(s_feed_bytes(&s, frame, n), PK_ERR_LENGTH);
	CHECK_INT(s.auth_requests, 0);
	CHECK_INT(s_byte(&s, 0, 2), CHAP_FAILURE);
	CHECK_STR(s.auth_failed_text, "authentication failed: malformed "
	    "mschapv2 Response from \"alice\" (value size 48)");
	s_free(&s);
}

static void
test_mschap_change_password_refused(void)
{
	static const struct {
		unsigned method;
		uint8_t code;
		const char *msg;
	} cases[] = {
		{ PK_AUTH_MSCHAPV2, 7, "E=709 R=0 V=3 M=Password change not "
		    "supported" },
		{ PK_AUTH_MSCHAPV1, 6, "E=709 R=0 V=2 M=Password change not "
		    "supported" },
		{ PK_AUTH_MSCHAPV1, 5, "E=709 R=0 V=2 M=Password change not "
		    "supported" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct script s;
		uint8_t id, chal[16], frame[600], want[128];
		struct buf_writer w;
		size_t len, mlen = strlen(cases[i].msg);
		const uint8_t *f;
		char text[128];

		server(&s, cases[i].method);
		CHECK_INT(get_challenge(&s, 1, &id, chal,
		    cases[i].method == PK_AUTH_MSCHAPV2 ? 16 : 8), 0);
		/* The body does not matter: we never look into it. */
		buf_writer_init(&w, frame, sizeof(frame));
		buf_put_u16(&w, PPP_PROTO_CHAP);
		buf_put_u8(&w, cases[i].code);
		buf_put_u8(&w, id);
		buf_put_u16(&w, 4 + 582);
		buf_put_zero(&w, 582);
		s_reset(&s);
		CHECK_INT(s_feed_bytes(&s, frame, w.len), 0);
		f = s_frame(&s, 0, &len);
		buf_writer_init(&w, want, sizeof(want));
		buf_put_u16(&w, PPP_PROTO_CHAP);
		buf_put_u8(&w, CHAP_FAILURE);
		buf_put_u8(&w, id);
		buf_put_u16(&w, (uint16_t)(4 + mlen));
		buf_put_bytes(&w, cases[i].msg, mlen);
		CHECK(f != NULL && len == w.len && memcmp(f, want, len) == 0);
		CHECK_INT(s.auth_requests, 0);
		CHECK_INT(s.auth_failed, 1);
		snprintf(text, sizeof(text), "authentication failed: peer "
		    "asked to change its password (MS-CHAP code %u), which "
		    "is not supported", cases[i].code);
		CHECK_STR(s.auth_failed_text, text);
		CHECK_INT(s_byte(&s, 1, 4), PPP_TERMREQ);
		s_free(&s);
	}
}

/* The client's Response: peer challenge, 8 zeros, NT-Response, flags. */
static void
mschapv2_client_respond(struct script *s, const uint8_t chal[16],
    uint8_t peer[16], uint8_t nt[24])
{
	uint8_t frame[128], want[24];
	size_t n, len;
	const uint8_t *f;

	n = chap_frame(frame, sizeof(frame), CHAP_CHALLENGE, 0x21, chal, 16,
	    "srv");
	s_reset(s);
	CHECK_INT(s_feed_bytes(s, frame, n), 0);
	CHECK(s_find(s, "c2 23 02 21 00 3b 31 xx xx xx xx xx xx xx xx xx xx xx "
	    "xx xx xx xx xx 00 00 00 00 00 00 00 00 xx xx xx xx xx xx xx xx "
	    "xx xx xx xx xx xx xx xx xx xx xx xx xx xx xx xx 00 61 6c 69 63 "
	    "65") == 0);
	f = s_frame(s, 0, &len);
	if (f == NULL || len < 56)
		return;
	memcpy(peer, f + 7, 16);
	memcpy(nt, f + 7 + 24, 24);
	CHECK_INT(mschapv2_generate_nt_response(chal, peer, "alice", PW,
	    want), 0);
	CHECK_MEM(nt, want, 24);
}

static void
test_mschapv2_client(void)
{
	struct script s;
	uint8_t chal[16], peer[16], nt[24], frame[128];
	char auth[43], msg[80];
	size_t n;

	memset(chal, 0x77, sizeof(chal));
	client(&s, PK_AUTH_MSCHAPV2, PK_MPPE_REQUIRE, "03 05 c2 23 81");
	mschapv2_client_respond(&s, chal, peer, nt);
	CHECK_INT(mschapv2_generate_authenticator_response(PW, nt, peer, chal,
	    "alice", auth), 0);
	snprintf(msg, sizeof(msg), "%s M=welcome", auth);
	n = chap_final(frame, sizeof(frame), CHAP_SUCCESS, 0x21, msg);
	s_reset(&s);
	CHECK_INT(s_feed_bytes(&s, frame, n), 0);
	CHECK_INT(s.auth_ok, 1);
	CHECK_STR(s.auth_ok_text, "authenticated to the server with "
	    "mschapv2");
	/* Keys exist, so CCP starts with MPPE. */
	CHECK(s_find(&s, "80 fd 01 xx 00 0a 12 06 01 00 00 40") == 0);
	s_free(&s);

	/* A server that does not know the password cannot produce S=:
	 * the peer MUST end the session (RFC 2759 §5). */
	static const char *const bad[] = {
		"S=0000000000000000000000000000000000000000 M=welcome",
		"M=welcome",
		"",
		"S=",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		client(&s, PK_AUTH_MSCHAPV2, PK_MPPE_REQUIRE,
		    "03 05 c2 23 81");
		mschapv2_client_respond(&s, chal, peer, nt);
		n = chap_final(frame, sizeof(frame), CHAP_SUCCESS, 0x21,
		    bad[i]);
		s_reset(&s);
		CHECK_INT(s_feed_bytes(&s, frame, n), PK_ERR_AUTH);
		CHECK_INT(s.auth_ok, 0);
		CHECK_INT(s.auth_failed, 1);
		CHECK_STR(s.auth_failed_text, "server failed mutual "
		    "authentication: bad or missing S= authenticator response; "
		    "refusing the server");
		CHECK_INT(s_byte(&s, 0, 4), PPP_TERMREQ);
		CHECK(ppp_phase(s.p) == PPP_PHASE_TERMINATE);
		s_ack_terminate(&s);
		CHECK_INT(s.down, 1);
		CHECK_INT(s.down_code, PK_ERR_AUTH);
		s_free(&s);
	}

	/* E=691 R=0: reported as sent, no new Response (no retry). */
	for (int retry = 0; retry < 2; retry++) {
		client(&s, PK_AUTH_MSCHAPV2, PK_MPPE_REQUIRE,
		    "03 05 c2 23 81");
		mschapv2_client_respond(&s, chal, peer, nt);
		snprintf(msg, sizeof(msg), "E=691 R=%d C=00112233445566778899"
		    "AABBCCDDEEFF V=3 M=bad password", retry);
		n = chap_final(frame, sizeof(frame), CHAP_FAILURE, 0x21, msg);
		s_reset(&s);
		s_feed_bytes(&s, frame, n);
		CHECK_INT(s.auth_failed, 1);
		{
			char want[160];

			snprintf(want, sizeof(want), "authentication rejected "
			    "by server: %s", msg);
			CHECK_STR(s.auth_failed_text, want);
		}
		CHECK_INT(s_nframes(&s), 1);	/* Terminate-Request only */
		CHECK_INT(s_byte(&s, 0, 4), PPP_TERMREQ);
		s_free(&s);
	}

	/* An 8-byte challenge is not MS-CHAPv2's: dropped. */
	client(&s, PK_AUTH_MSCHAPV2, PK_MPPE_REQUIRE, "03 05 c2 23 81");
	n = chap_frame(frame, sizeof(frame), CHAP_CHALLENGE, 1, chal, 8,
	    "srv");
	s_reset(&s);
	CHECK_INT(s_feed_bytes(&s, frame, n), PK_ERR_LENGTH);
	CHECK_INT(s_nframes(&s), 0);
	s_free(&s);
}

static void
test_mschapv1(void)
{
	struct script s;
	uint8_t id, chal[8], resp[49], frame[128], nt[24];
	size_t n, len;
	const uint8_t *f;

	/* Server: an 8-byte challenge; a v1 Response is accepted. */
	server(&s, PK_AUTH_MSCHAPV1);
	CHECK_INT(get_challenge(&s, 1, &id, chal, 8), 0);
	CHECK_INT(mschapv1_build_response(chal, PW, resp), 0);
	n = chap_frame(frame, sizeof(frame), CHAP_RESPONSE, id, resp, 49,
	    "alice");
	s_reset(&s);
	s_feed_bytes(&s, frame, n);
	CHECK_INT(s_auth_answer(&s, PW), 0);
	CHECK_INT(s.auth_ok, 1);
	CHECK_INT(s_byte(&s, 0, 2), CHAP_SUCCESS);
	s_free(&s);

	/* Client: LM zeros, NT-Response, use-NT flag 1 (RFC 2433 §5). */
	client(&s, PK_AUTH_MSCHAPV1, PK_MPPE_REQUIRE, "03 05 c2 23 80");
	memset(chal, 0x19, sizeof(chal));
	n = chap_frame(frame, sizeof(frame), CHAP_CHALLENGE, 9, chal, 8,
	    "srv");
	s_reset(&s);
	s_feed_bytes(&s, frame, n);
	f = s_frame(&s, 0, &len);
	CHECK(f != NULL && len == 6 + 1 + 49 + 5 && f[6] == 49);
	CHECK_INT(mschapv1_nt_challenge_response(chal, PW, nt), 0);
	if (f != NULL && len == 61) {
		static const uint8_t zero[24];

		CHECK_MEM(f + 7, zero, 24);
		CHECK_MEM(f + 7 + 24, nt, 24);
		CHECK_INT(f[7 + 48], 1);
	}
	n = chap_final(frame, sizeof(frame), CHAP_SUCCESS, 9, "");
	s_feed_bytes(&s, frame, n);
	CHECK_INT(s.auth_ok, 1);
	s_free(&s);
}

/* The client refuses a server asking for a method it does not allow,
 * and a server that skips authentication while MPPE is required. */
static void
test_client_requires_auth(void)
{
	struct script s;
	struct ppp_config cfg;

	h_config(&cfg, 0);
	CHECK_INT(s_new(&s, &cfg), 0);
	s_start(&s);
	CHECK_INT(s_open_lcp(&s), 0);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_TERMINATE);
	CHECK(s_sent_link_closed(&s));
	s_ack_terminate(&s);
	CHECK_INT(s.down, 1);
	CHECK_STR(s.down_text, "MPPE required but the server did not ask us "
	    "to authenticate, so there are no MPPE keys");
	s_free(&s);
}

int
main(void)
{
	pk_log_set_level(PK_LOG_ERR);
	pk_rand_use_seeded(3);
	RUN(test_client_refuses_unauthenticated_server);
	RUN(test_pap_server);
	RUN(test_pap_malformed);
	RUN(test_pap_client);
	RUN(test_chap_md5_server);
	RUN(test_chap_md5_client);
	RUN(test_mschapv2_server);
	RUN(test_mschap_change_password_refused);
	RUN(test_mschapv2_client);
	RUN(test_mschapv1);
	RUN(test_client_requires_auth);
	TEST_MAIN_END();
}
