/*
 * test_radius_auth.c - Access-Requests for the four PPP methods and what
 * pptpkit makes of the answers: through the real client and a fake
 * server that answers as FreeRADIUS's mschap module does (RFC 2759 §9.2
 * sample values), MPPE keys equal to the locally derived RFC 3079 ones,
 * MS-CHAP-Error relayed, malformed Access-Accepts refused, the session
 * attributes, rate-limit and route parsing, and the "tighten only" MPPE
 * policy.
 */
#include "auth/auth.h"
#include "auth/mschap.h"
#include "core/err.h"
#include "core/rand.h"
#include "crypto/crypto.h"
#include "mppe/mppe_keys.h"
#include "radius/radius_auth.h"
#include "radius/radius_mppe.h"
#include "radius_fake.h"
#include "test.h"

#define T0 5000
#define SECRET "s3cr3t-radius"

static struct pk_out out;
static struct radius_nas nas = { .identifier = "pptpkit-test",
    .ip = 0xc6120001 };
static struct radius_call call = { .user = "User", .nas_port = 7,
    .calling_station_id = "198.18.0.2", .called_station_id = "198.18.0.1",
    .acct_session_id = "0000ABCD" };

/* RFC 2759 §9.2. */
static const char *v2_auth_challenge = "5B5D7C7D7B3F2F3E3C2C602132262628";
static const char *v2_peer_challenge = "21402324255E262A28295F2B3A337C7E";
static const char *v2_nt_response =
    "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
#define V2_PASSWORD "clientPass"
#define V2_AUTH_RESPONSE "S=407A5589115FD0D6209F510FE9C04566932CDA56"

static void
v2_request(struct auth_request *req)
{
	uint8_t peer[16];

	memset(req, 0, sizeof(*req));
	req->method = PK_AUTH_MSCHAPV2;
	snprintf(req->user, sizeof(req->user), "User");
	req->chap_id = 0x2a;
	req->challenge_len = test_unhex(v2_auth_challenge, req->challenge,
	    sizeof(req->challenge));
	test_unhex(v2_peer_challenge, peer, sizeof(peer));
	CHECK_INT(mschapv2_build_response(req->challenge, peer, "User",
	    V2_PASSWORD, req->response), PK_OK);
	req->response_len = 49;
}

static void
v1_request(struct auth_request *req, const char *password)
{
	memset(req, 0, sizeof(*req));
	req->method = PK_AUTH_MSCHAPV1;
	snprintf(req->user, sizeof(req->user), "User");
	req->chap_id = 3;
	req->challenge_len = 8;
	memcpy(req->challenge, "\x10\x2d\xb5\xdf\x08\x5d\x30\x41", 8);
	CHECK_INT(mschapv1_build_response(req->challenge, password,
	    req->response), PK_OK);
	req->response_len = 49;
}

/* ---- requests on the wire ------------------------------------------------ */

static size_t
encode(struct radius_request *rq, uint8_t *buf, size_t cap,
    struct radius_packet *p)
{
	struct buf_writer w;

	buf_writer_init(&w, buf, cap);
	CHECK_INT(radius_enc_begin(&w, rq->code, 1, (const uint8_t *)
	    "0123456789abcdef"), PK_OK);
	CHECK_INT(buf_put_bytes(&w, rq->attrs, rq->attrs_len), PK_OK);
	CHECK_INT(radius_enc_finish(&w, (const uint8_t *)SECRET,
	    strlen(SECRET), NULL), PK_OK);
	CHECK_INT(radius_packet_decode(buf, w.len, p), PK_OK);
	return w.len;
}

static void
check_common(const struct radius_packet *p)
{
	struct radius_attr a;
	uint32_t v;

	CHECK(fake_find(p, 0, RADIUS_ATTR_USER_NAME, &a));
	CHECK(fake_find(p, 0, RADIUS_ATTR_SERVICE_TYPE, &a));
	CHECK(radius_attr_u32(&a, &v) == 0 && v == RADIUS_SERVICE_FRAMED);
	CHECK(fake_find(p, 0, RADIUS_ATTR_FRAMED_PROTOCOL, &a));
	CHECK(radius_attr_u32(&a, &v) == 0 && v == 1);
	CHECK(fake_find(p, 0, RADIUS_ATTR_NAS_PORT_TYPE, &a));
	CHECK(radius_attr_u32(&a, &v) == 0 && v == 5);
	CHECK(fake_find(p, 0, RADIUS_ATTR_NAS_IP_ADDRESS, &a));
	CHECK(radius_attr_u32(&a, &v) == 0 && v == 0xc6120001);
	CHECK(fake_find(p, 0, RADIUS_ATTR_NAS_IDENTIFIER, &a));
	CHECK(fake_find(p, 0, RADIUS_ATTR_NAS_PORT, &a));
	CHECK(radius_attr_u32(&a, &v) == 0 && v == 7);
	CHECK(fake_find(p, 0, RADIUS_ATTR_CALLING_STATION_ID, &a));
	CHECK(a.len == 10 && memcmp(a.value, "198.18.0.2", 10) == 0);
	CHECK(fake_find(p, 0, RADIUS_ATTR_CALLED_STATION_ID, &a));
	CHECK(fake_find(p, 0, RADIUS_ATTR_ACCT_SESSION_ID, &a));
	CHECK(a.len == 8 && memcmp(a.value, "0000ABCD", 8) == 0);
	/* The client adds these two itself. */
	CHECK(!fake_find(p, 0, RADIUS_ATTR_USER_PASSWORD, &a));
	CHECK(!fake_find(p, 0, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, &a));
}

static void
test_request_pap_chap(void)
{
	struct radius_request rq;
	struct auth_request req;
	struct radius_packet p;
	struct radius_attr a;
	uint8_t buf[RADIUS_PACKET_MAX];

	memset(&req, 0, sizeof(req));
	req.method = PK_AUTH_PAP;
	snprintf(req.user, sizeof(req.user), "User");
	memcpy(req.response, "hunter2", 7);
	req.response_len = 7;
	CHECK_INT(radius_auth_request(&rq, &nas, &call, &req), PK_OK);
	CHECK_INT(rq.code, RADIUS_CODE_ACCESS_REQUEST);
	CHECK_INT(rq.has_password, 1);
	CHECK_INT(rq.password_len, 7);
	CHECK_MEM(rq.password, "hunter2", 7);
	encode(&rq, buf, sizeof(buf), &p);
	check_common(&p);
	radius_request_wipe(&rq);
	CHECK_INT(rq.password[0], 0);

	memset(&req, 0, sizeof(req));
	req.method = PK_AUTH_CHAP_MD5;
	snprintf(req.user, sizeof(req.user), "User");
	req.chap_id = 0x16;
	req.challenge_len = 20;
	memset(req.challenge, 0xc5, 20);
	memset(req.response, 0x77, 16);
	req.response_len = 16;
	CHECK_INT(radius_auth_request(&rq, &nas, &call, &req), PK_OK);
	CHECK_INT(rq.has_password, 0);
	encode(&rq, buf, sizeof(buf), &p);
	check_common(&p);
	CHECK(fake_find(&p, 0, RADIUS_ATTR_CHAP_PASSWORD, &a));
	CHECK_INT(a.len, 17);
	CHECK_INT(a.value[0], 0x16);
	CHECK_INT(a.value[16], 0x77);
	CHECK(fake_find(&p, 0, RADIUS_ATTR_CHAP_CHALLENGE, &a));
	CHECK_INT(a.len, 20);
	req.response_len = 15;
	CHECK_INT(radius_auth_request(&rq, &nas, &call, &req), PK_ERR_LENGTH);
}

static void
test_request_mschap(void)
{
	struct radius_request rq;
	struct auth_request req;
	struct radius_packet p;
	struct radius_attr a;
	uint8_t buf[RADIUS_PACKET_MAX], nt[24];
	struct radius_nas anon = { .identifier = "", .ip = 0 };

	v2_request(&req);
	CHECK_INT(radius_auth_request(&rq, &nas, &call, &req), PK_OK);
	encode(&rq, buf, sizeof(buf), &p);
	check_common(&p);
	CHECK(fake_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE,
	    &a));
	CHECK_INT(a.len, 16);
	CHECK_MEM(a.value, req.challenge, 16);
	CHECK(fake_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_RESPONSE,
	    &a));
	CHECK_INT(a.len, 50);
	CHECK_INT(a.value[0], 0x2a);		/* Ident */
	CHECK_INT(a.value[1], 0);		/* Flags */
	CHECK_MEM(a.value + 2, req.response, 16);	/* Peer-Challenge */
	test_unhex(v2_nt_response, nt, sizeof(nt));
	CHECK_MEM(a.value + 26, nt, 24);	/* RFC 2759 §9.2 */

	v1_request(&req, "clientPass");
	CHECK_INT(radius_auth_request(&rq, &nas, &call, &req), PK_OK);
	encode(&rq, buf, sizeof(buf), &p);
	CHECK(fake_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE,
	    &a));
	CHECK_INT(a.len, 8);
	CHECK(fake_find(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_RESPONSE,
	    &a));
	CHECK_INT(a.len, 50);
	CHECK_INT(a.value[0], 3);
	CHECK_INT(a.value[1], 1);		/* use NT */
	CHECK_MEM(a.value + 26, req.response + 24, 24);
	/* LM only: refused here, never sent. */
	req.response[48] = 0;
	CHECK_INT(radius_auth_request(&rq, &nas, &call, &req), PK_ERR_POLICY);
	req.response[48] = 1;
	req.challenge_len = 16;
	CHECK_INT(radius_auth_request(&rq, &nas, &call, &req), PK_ERR_LENGTH);
	req.challenge_len = 8;
	CHECK_INT(radius_auth_request(&rq, &anon, &call, &req), PK_ERR_ARG);
	req.method = 99;
	CHECK_INT(radius_auth_request(&rq, &nas, &call, &req), PK_ERR_TYPE);
}

/* ---- a fake FreeRADIUS --------------------------------------------------- */

/* What the fake server adds to its answer. */
struct answer {
	int v2_success;			/* MS-CHAP2-Success */
	int v2_success_bad_ident;
	int v2_keys;			/* MS-MPPE-Send/Recv-Key */
	int v2_keys_only_send;
	int v2_keys_same_salt;
	int v2_keys_low_salt;
	int v1_keys;			/* MS-CHAP-MPPE-Keys */
	const char *ms_error;		/* MS-CHAP-Error text */
	const char *reply_message;
	int extras;			/* session attributes */
	int bad_framed_ip;
	const char *mikrotik;
	uint32_t service_type;
	const struct auth_request *req;
	const char *password;
};

static int
add_v2(struct buf_writer *w, const struct radius_packet *req,
    const struct answer *an)
{
	uint8_t v[64], enc[64], send[16], recv[16], nt[24];
	char s[43];
	size_t n;
	uint8_t salt1[2] = { 0x81, 0x01 }, salt2[2] = { 0x81, 0x02 };
	int r = 0;

	if (an->v2_success) {
		CHECK_INT(mschapv2_generate_authenticator_response(
		    an->password, an->req->response + 24, an->req->response,
		    an->req->challenge, an->req->user, s), PK_OK);
		CHECK_STR(s, V2_AUTH_RESPONSE);
		v[0] = an->v2_success_bad_ident ? 0x2b : an->req->chap_id;
		memcpy(v + 1, s, 42);
		r |= radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_CHAP2_SUCCESS, v, 43);
	}
	if (an->v2_keys) {
		memcpy(nt, an->req->response + 24, 24);
		CHECK_INT(mppe_keys_mschapv2(an->password, nt, 1, send, recv),
		    PK_OK);
		if (an->v2_keys_same_salt)
			salt2[1] = 0x01;
		if (an->v2_keys_low_salt)
			salt1[0] = 0x01;
		if (an->v2_keys_low_salt) {
			/* Encrypt with a good salt, then clear its bit. */
			uint8_t good[2] = { 0x81, 0x01 };

			(void)radius_mppe_key_encrypt(send, 16, good,
			    req->auth, (const uint8_t *)SECRET,
			    strlen(SECRET), enc, sizeof(enc), &n);
			enc[0] = 0x01;
		} else
			(void)radius_mppe_key_encrypt(send, 16, salt1,
			    req->auth, (const uint8_t *)SECRET,
			    strlen(SECRET), enc, sizeof(enc), &n);
		r |= radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_MPPE_SEND_KEY, enc, n);
		if (!an->v2_keys_only_send) {
			(void)radius_mppe_key_encrypt(recv, 16, salt2,
			    req->auth, (const uint8_t *)SECRET,
			    strlen(SECRET), enc, sizeof(enc), &n);
			r |= radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
			    RADIUS_MS_MPPE_RECV_KEY, enc, n);
		}
	}
	return r;
}

static int
add_answer(struct buf_writer *w, const struct radius_packet *req, void *arg)
{
	const struct answer *an = arg;
	int r = add_v2(w, req, an);

	if (an->v1_keys) {
		uint8_t hash[16], hh[16], lm[8] = { 0 }, enc[32];

		CHECK_INT(crypto_nt_password_hash(an->password, hash), PK_OK);
		crypto_hash_nt_password_hash(hash, hh);
		radius_mschap_mppe_keys_encrypt(lm, hh, req->auth,
		    (const uint8_t *)SECRET, strlen(SECRET), enc);
		r |= radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_CHAP_MPPE_KEYS, enc, sizeof(enc));
	}
	if (an->ms_error != NULL) {
		uint8_t v[200];

		v[0] = an->req->chap_id;
		memcpy(v + 1, an->ms_error, strlen(an->ms_error));
		r |= radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_CHAP_ERROR, v, 1 + strlen(an->ms_error));
	}
	if (an->reply_message != NULL)
		r |= radius_put_text(w, RADIUS_ATTR_REPLY_MESSAGE,
		    an->reply_message);
	if (an->service_type != 0)
		r |= radius_put_u32(w, RADIUS_ATTR_SERVICE_TYPE,
		    an->service_type);
	if (an->extras) {
		r |= radius_put_u32(w, RADIUS_ATTR_SERVICE_TYPE, 2);
		r |= radius_put_u32(w, RADIUS_ATTR_FRAMED_PROTOCOL, 1);
		r |= radius_put_u32(w, RADIUS_ATTR_FRAMED_IP_ADDRESS,
		    0xc6130042);
		r |= radius_put_u32(w, RADIUS_ATTR_FRAMED_IP_NETMASK,
		    0xffffff00);
		r |= radius_put_text(w, RADIUS_ATTR_FRAMED_POOL, "gold");
		r |= radius_put_text(w, RADIUS_ATTR_FRAMED_ROUTE,
		    "198.51.100.0/24 0.0.0.0 1");
		r |= radius_put_text(w, RADIUS_ATTR_FRAMED_ROUTE,
		    "10.1.0.0 198.19.0.1 5 6");
		r |= radius_put_u32(w, RADIUS_ATTR_FRAMED_MTU, 1400);
		r |= radius_put_u32(w, RADIUS_ATTR_SESSION_TIMEOUT, 3600);
		r |= radius_put_u32(w, RADIUS_ATTR_IDLE_TIMEOUT, 300);
		r |= radius_put_u32(w, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, 60);
		r |= radius_put_attr(w, RADIUS_ATTR_CLASS, "cls-1", 5);
		r |= radius_put_attr(w, RADIUS_ATTR_CLASS, "\x00\x01\x02", 3);
		r |= radius_put_vsa_u32(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_PRIMARY_DNS_SERVER, 0x08080808);
		r |= radius_put_vsa_u32(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_SECONDARY_DNS_SERVER, 0x01010101);
		r |= radius_put_vsa_u32(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_PRIMARY_NBNS_SERVER, 0xc6120005);
		r |= radius_put_vsa_u32(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_MPPE_ENCRYPTION_POLICY, 2);
		r |= radius_put_vsa_u32(w, RADIUS_VENDOR_MICROSOFT,
		    RADIUS_MS_MPPE_ENCRYPTION_TYPES, 6);
		r |= radius_put_vsa_u32(w, RADIUS_VENDOR_WISPR,
		    RADIUS_WISPR_BANDWIDTH_MAX_UP, 1000000);
		r |= radius_put_vsa_u32(w, RADIUS_VENDOR_WISPR,
		    RADIUS_WISPR_BANDWIDTH_MAX_DOWN, 8000000);
		r |= radius_put_vsa(w, RADIUS_VENDOR_MIKROTIK,
		    RADIUS_MIKROTIK_RATE_LIMIT, "512k/2M 1M/4M", 13);
		/* Unknown ones are ignored. */
		r |= radius_put_u32(w, 200, 1);
		r |= radius_put_vsa_u32(w, 9, 1, 1);
	}
	if (an->bad_framed_ip)
		r |= radius_put_attr(w, RADIUS_ATTR_FRAMED_IP_ADDRESS, "abc",
		    3);
	if (an->mikrotik != NULL)
		r |= radius_put_vsa(w, RADIUS_VENDOR_MIKROTIK,
		    RADIUS_MIKROTIK_RATE_LIMIT, an->mikrotik,
		    strlen(an->mikrotik));
	return r;
}

/*
 * Sends req through a real client to the fake server, which answers
 * code with an; returns what radius_auth_reply() says.
 */
static int
round_trip(const struct auth_request *req, uint8_t code, struct answer *an,
    struct auth_result *res, struct radius_session_attrs *attrs, char *why,
    size_t whylen)
{
	struct radius_client_config cfg;
	struct radius_client *c;
	struct radius_request rq;
	struct radius_result rr;
	uint8_t pkt[RADIUS_PACKET_MAX], rep[RADIUS_PACKET_MAX];
	const uint8_t *d, *secret;
	unsigned s;
	size_t n, m, slen;
	int r = PK_ERR_INTERNAL;

	radius_client_config_default(&cfg);
	cfg.n_servers = 1;
	memcpy(cfg.servers[0].secret, SECRET, strlen(SECRET));
	cfg.servers[0].secret_len = strlen(SECRET);
	if (radius_client_new(&c, &cfg, T0) != 0)
		return PK_ERR_INTERNAL;
	an->req = req;
	out_reset(&out);
	CHECK_INT(radius_auth_request(&rq, &nas, &call, req), PK_OK);
	CHECK_INT(radius_client_submit(c, T0, &rq, NULL, &out), PK_OK);
	radius_request_wipe(&rq);
	if (!fake_dgram(&out, 0, &s, &d, &n))
		goto out;
	memcpy(pkt, d, n);
	out_reset(&out);
	m = fake_reply(pkt, n, code, SECRET, 0, add_answer, an, rep,
	    sizeof(rep));
	CHECK(m > 0);
	CHECK_INT(radius_client_input(c, T0 + 1, 0, rep, m, &out), PK_OK);
	if (out.n_items != 1 || radius_client_event(&out, 0, &rr) != 0 ||
	    rr.type != RADIUS_EV_REPLY)
		goto out;
	secret = radius_client_secret(c, rr.server, &slen);
	r = radius_auth_reply(&rr, secret, slen, req, res, attrs, why, whylen);
 out:
	radius_client_free(c);
	return r;
}

static void
test_mschapv2_accept(void)
{
	struct auth_request req;
	struct auth_result res;
	struct radius_session_attrs sa;
	struct answer an = { .v2_success = 1, .v2_keys = 1,
	    .password = V2_PASSWORD };
	uint8_t send[16], recv[16], peer[16];
	char why[128];

	v2_request(&req);
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_ACCEPT, &an, &res, &sa,
	    why, sizeof(why)), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_STR(res.message, V2_AUTH_RESPONSE " M=Access granted");
	/* The peer accepts it as the authenticator response. */
	test_unhex(v2_peer_challenge, peer, sizeof(peer));
	CHECK_INT(mschapv2_check_authenticator_response(V2_PASSWORD,
	    req.response + 24, peer, req.challenge, "User", res.message,
	    strlen(res.message)), PK_OK);
	/* MPPE master keys equal the locally derived RFC 3079 ones. */
	CHECK_INT(res.have_mppe_keys, 1);
	CHECK_INT(mppe_keys_mschapv2(V2_PASSWORD, req.response + 24, 1, send,
	    recv), PK_OK);
	CHECK_MEM(res.mppe_send_key, send, 16);
	CHECK_MEM(res.mppe_recv_key, recv, 16);
	CHECK(memcmp(send, recv, 16) != 0);
	CHECK_INT(res.framed_ip, 0);
	CHECK_INT(sa.ip_mode, RADIUS_IP_NONE);
	auth_result_wipe(&res);
	CHECK_INT(res.have_mppe_keys, 0);
}

static void
test_mschapv1_accept(void)
{
	struct auth_request req;
	struct auth_result res;
	struct radius_session_attrs sa;
	struct answer an = { .v1_keys = 1, .password = "clientPass",
	    .reply_message = "welcome" };
	uint8_t send[16], recv[16];

	v1_request(&req, "clientPass");
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_ACCEPT, &an, &res, &sa,
	    NULL, 0), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_STR(res.message, "welcome");
	CHECK_INT(res.have_mppe_keys, 1);
	CHECK_INT(mppe_keys_mschapv1("clientPass", req.challenge, send, recv),
	    PK_OK);
	CHECK_MEM(res.mppe_send_key, send, 16);
	CHECK_MEM(res.mppe_recv_key, recv, 16);
	/* FreeRADIUS sends a zero LM key: none taken. */
	CHECK_INT(res.have_lm_key, 0);
}

static void
test_pap_chap_accept_reject(void)
{
	struct auth_request req;
	struct auth_result res;
	struct radius_session_attrs sa;
	struct answer an = { 0 };
	char why[128];

	memset(&req, 0, sizeof(req));
	req.method = PK_AUTH_PAP;
	snprintf(req.user, sizeof(req.user), "User");
	memcpy(req.response, "pw", 2);
	req.response_len = 2;
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_ACCEPT, &an, &res, &sa,
	    why, sizeof(why)), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_STR(res.message, "Access granted");
	CHECK_INT(res.have_mppe_keys, 0);
	an.reply_message = "no such user\n";
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_REJECT, &an, &res, &sa,
	    why, sizeof(why)), PK_OK);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "no such user?");
	CHECK(strstr(why, "rejected") != NULL);
	an.reply_message = NULL;
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_REJECT, &an, &res, &sa,
	    why, sizeof(why)), PK_OK);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "");
	/* An Access-Challenge cannot be relayed over PAP. */
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_CHALLENGE, &an, &res,
	    &sa, why, sizeof(why)), PK_ERR_TYPE);
	CHECK_INT(res.ok, 0);
	CHECK(res.message[0] != '\0');
}

/* MS-CHAP-Error is relayed as received: retry and password-expired
 * codes included. Without one (or with garbage), a proper E=691. */
static void
test_mschap_reject(void)
{
	struct auth_request req;
	struct auth_result res;
	struct radius_session_attrs sa;
	struct answer an = { .password = V2_PASSWORD };
	struct mschap_failure f;

	v2_request(&req);
	an.ms_error = "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 "
	    "M=Bad password";
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_REJECT, &an, &res, &sa,
	    NULL, 0), PK_OK);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, an.ms_error);
	an.ms_error = "E=648 R=0 C=00112233445566778899AABBCCDDEEFF V=3 "
	    "M=Password expired";
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_REJECT, &an, &res, &sa,
	    NULL, 0), PK_OK);
	CHECK_STR(res.message, an.ms_error);
	an.ms_error = "not a failure message";
	an.reply_message = "Go away";
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_REJECT, &an, &res, &sa,
	    NULL, 0), PK_OK);
	CHECK_INT(mschap_parse_failure(res.message, strlen(res.message), &f),
	    PK_OK);
	CHECK_INT(f.error, 691);
	CHECK_INT(f.retry, 0);
	CHECK_INT(f.have_challenge, 1);
	CHECK_STR(f.message, "Go away");
	an.ms_error = NULL;
	an.reply_message = NULL;
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_REJECT, &an, &res, &sa,
	    NULL, 0), PK_OK);
	/* Empty: the PPP layer writes its own E=691 text. */
	CHECK_STR(res.message, "");
	v1_request(&req, "x");
	an.ms_error = "E=691 R=0 V=2";
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_REJECT, &an, &res, &sa,
	    NULL, 0), PK_OK);
	CHECK_STR(res.message, "E=691 R=0 V=2");
}

/* Access-Accepts we cannot honour are refused, keys wiped. */
static void
test_bad_accepts(void)
{
	static const struct {
		const char *name;
		struct answer an;
		int err;
	} cases[] = {
		{ "no MS-CHAP2-Success", { .v2_keys = 1 }, PK_ERR_AUTH },
		{ "MS-CHAP2-Success for another Ident", { .v2_success = 1,
		    .v2_success_bad_ident = 1, .v2_keys = 1 }, PK_ERR_AUTH },
		{ "Send-Key without Recv-Key", { .v2_success = 1,
		    .v2_keys = 1, .v2_keys_only_send = 1 }, PK_ERR_VALUE },
		{ "one salt for both keys", { .v2_success = 1, .v2_keys = 1,
		    .v2_keys_same_salt = 1 }, PK_ERR_VALUE },
		{ "salt high bit clear", { .v2_success = 1, .v2_keys = 1,
		    .v2_keys_low_salt = 1 }, PK_ERR_VALUE },
		{ "Framed-IP-Address of 3 octets", { .v2_success = 1,
		    .bad_framed_ip = 1 }, PK_ERR_LENGTH },
		{ "Mikrotik-Rate-Limit nonsense", { .v2_success = 1,
		    .mikrotik = "fast" }, PK_ERR_VALUE },
		{ "Service-Type Login", { .v2_success = 1,
		    .service_type = 1 }, PK_ERR_VALUE },
	};
	struct auth_request req;
	struct auth_result res;
	struct radius_session_attrs sa;
	char why[128];

	v2_request(&req);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct answer an = cases[i].an;
		int r;

		an.password = V2_PASSWORD;
		r = round_trip(&req, RADIUS_CODE_ACCESS_ACCEPT, &an, &res,
		    &sa, why, sizeof(why));
		if (r != cases[i].err)
			fprintf(stderr, "case \"%s\": %d (%s), want %d\n",
			    cases[i].name, r, why, cases[i].err);
		CHECK_INT(r, cases[i].err);
		CHECK_INT(res.ok, 0);
		CHECK_INT(res.have_mppe_keys, 0);
		CHECK(strncmp(res.message, "E=691 R=0 C=", 12) == 0);
	}
}

static void
test_session_attrs(void)
{
	struct auth_request req;
	struct auth_result res;
	struct radius_session_attrs sa;
	struct answer an = { .v2_success = 1, .v2_keys = 1, .extras = 1,
	    .password = V2_PASSWORD };

	v2_request(&req);
	CHECK_INT(round_trip(&req, RADIUS_CODE_ACCESS_ACCEPT, &an, &res, &sa,
	    NULL, 0), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_INT(res.framed_ip, 0xc6130042);
	CHECK_INT(sa.ip_mode, RADIUS_IP_STATIC);
	CHECK_STR(sa.framed_pool, "gold");
	CHECK_INT(sa.framed_mtu, 1400);
	CHECK_INT(sa.session_timeout, 3600);
	CHECK_INT(sa.idle_timeout, 300);
	CHECK_INT(sa.interim_interval, 60);
	CHECK_INT(sa.dns[0], 0x08080808);
	CHECK_INT(sa.dns[1], 0x01010101);
	CHECK_INT(sa.nbns[0], 0xc6120005);
	CHECK_INT(sa.nbns[1], 0);
	CHECK_INT(sa.n_routes, 2);
	CHECK_INT(sa.routes[0].prefix, 0xc6336400);
	CHECK_INT(sa.routes[0].prefix_len, 24);
	CHECK_INT(sa.routes[0].gateway, 0);
	CHECK_INT(sa.routes[0].metric, 1);
	CHECK_INT(sa.routes[1].prefix, 0x0a000000);	/* class A */
	CHECK_INT(sa.routes[1].prefix_len, 8);
	CHECK_INT(sa.routes[1].gateway, 0xc6130001);
	CHECK_INT(sa.routes[1].metric, 5);
	CHECK_INT(sa.n_classes, 2);
	CHECK_INT(sa.classes[0].len, 5);
	CHECK_MEM(sa.classes[0].data, "cls-1", 5);
	CHECK_INT(sa.classes[1].len, 3);
	CHECK_MEM(sa.classes[1].data, "\x00\x01\x02", 3);
	/* WISPr up 1M, down 8M; MikroTik rx 512k (up), tx 2M (down): the
	 * lowest wins. */
	CHECK_INT(sa.rate_up_bps, 512000);
	CHECK_INT(sa.rate_down_bps, 2000000);
	CHECK_INT(sa.has_mppe_policy, 1);
	CHECK_INT(sa.mppe_policy, 2);
	CHECK_INT(sa.has_mppe_types, 1);
	CHECK_INT(sa.mppe_types, 6);
	CHECK_INT(sa.ignored_attrs, 0);
}

static void
test_class_and_route_caps(void)
{
	struct radius_session_attrs sa;
	struct radius_attr a;
	const char *what;
	char route[] = "192.0.2.0/24 0.0.0.0 1";

	radius_session_attrs_init(&sa);
	memset(&a, 0, sizeof(a));
	a.type = RADIUS_ATTR_CLASS;
	a.value = (const uint8_t *)"c";
	a.len = 1;
	for (int i = 0; i < RADIUS_CLASS_MAX + 2; i++)
		CHECK_INT(radius_session_attr(&sa, &a, &what), 1);
	CHECK_INT(sa.n_classes, RADIUS_CLASS_MAX);
	CHECK_INT(sa.ignored_attrs, 2);
	a.len = 0;
	CHECK_INT(radius_session_attr(&sa, &a, &what), PK_ERR_LENGTH);
	CHECK_STR(what, "Class");
	a.type = RADIUS_ATTR_FRAMED_ROUTE;
	a.value = (const uint8_t *)route;
	a.len = strlen(route);
	for (int i = 0; i < RADIUS_ROUTES_MAX + 1; i++)
		CHECK_INT(radius_session_attr(&sa, &a, &what), 1);
	CHECK_INT(sa.n_routes, RADIUS_ROUTES_MAX);
	CHECK_INT(sa.ignored_attrs, 3);
}

static void
test_mikrotik_rates(void)
{
	static const struct {
		const char *text;
		int err;
		uint64_t rx, tx;
	} cases[] = {
		{ "1M/2M", 0, 1000000, 2000000 },
		{ "512k/1024k", 0, 512000, 1024000 },
		{ "512K", 0, 512000, 512000 },
		{ "10G/1G 20G/2G 5G/500M 8/8 5", 0, 10000000000ull,
		    1000000000 },
		{ "128000/256000", 0, 128000, 256000 },
		{ "0/0", 0, 0, 0 },
		{ " 2M/4M", 0, 2000000, 4000000 },
		{ "", PK_ERR_VALUE, 0, 0 },
		{ "M", PK_ERR_VALUE, 0, 0 },
		{ "1M/", PK_ERR_VALUE, 0, 0 },
		{ "1.5M/2M", PK_ERR_VALUE, 0, 0 },
		{ "1X/2M", PK_ERR_VALUE, 0, 0 },
		{ "99999999999999999999/1", PK_ERR_VALUE, 0, 0 },
		{ "2000G", PK_ERR_VALUE, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t rx = 7, tx = 7;
		int r = radius_parse_mikrotik_rate(cases[i].text, &rx, &tx);

		if (r != cases[i].err)
			fprintf(stderr, "case \"%s\"\n", cases[i].text);
		CHECK_INT(r, cases[i].err);
		if (r == 0) {
			CHECK_INT(rx, cases[i].rx);
			CHECK_INT(tx, cases[i].tx);
		}
	}
}

static void
test_framed_routes(void)
{
	static const struct {
		const char *text;
		int err;
		uint32_t prefix;
		int len;
		uint32_t gw, metric;
	} cases[] = {
		{ "192.168.1.0/24 192.168.1.1 1 2 -1 3 400", 0, 0xc0a80100,
		    24, 0xc0a80101, 1 },
		{ "192.168.1.0 192.168.1.1 1", 0, 0xc0a80100, 24, 0xc0a80101,
		    1 },
		{ "172.16.5.0 0.0.0.0", 0, 0xac100000, 16, 0, 0 },
		{ "10.9.8.7/32", 0, 0x0a090807, 32, 0, 0 },
		{ "10.9.8.7/8 0.0.0.0 1", 0, 0x0a000000, 8, 0, 1 },
		{ "0.0.0.0/0 198.19.0.1", 0, 0, 0, 0xc6130001, 0 },
		{ "224.0.0.0 0.0.0.0", 0, 0xe0000000, 32, 0, 0 },
		{ "10.0.0.0/33 0.0.0.0 1", PK_ERR_VALUE, 0, 0, 0, 0 },
		{ "10.0.0/8 0.0.0.0 1", PK_ERR_VALUE, 0, 0, 0, 0 },
		{ "10.0.0.256/8", PK_ERR_VALUE, 0, 0, 0, 0 },
		{ "10.0.0.0/8 gateway", PK_ERR_VALUE, 0, 0, 0, 0 },
		{ "10.0.0.0/8 1.2.3.4 x", PK_ERR_VALUE, 0, 0, 0, 0 },
		{ "", PK_ERR_VALUE, 0, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct radius_route rt;
		int r = radius_parse_framed_route(cases[i].text, &rt);

		if (r != cases[i].err)
			fprintf(stderr, "case \"%s\"\n", cases[i].text);
		CHECK_INT(r, cases[i].err);
		if (r == 0) {
			CHECK_INT(rt.prefix, cases[i].prefix);
			CHECK_INT(rt.prefix_len, cases[i].len);
			CHECK_INT(rt.gateway, cases[i].gw);
			CHECK_INT(rt.metric, cases[i].metric);
		}
	}
}

/* MS-MPPE-Encryption-Policy/-Types can only tighten. */
static void
test_policy_tighten(void)
{
	static const struct {
		const char *name;
		int has_policy;
		uint32_t policy;
		int has_types;
		uint32_t types;
		int mppe;
		unsigned bits;
		int err, want_mppe;
		unsigned want_bits;
	} cases[] = {
		{ "nothing said", 0, 0, 0, 0, PK_MPPE_ALLOW,
		    PK_MPPE_40 | PK_MPPE_128, 0, PK_MPPE_ALLOW,
		    PK_MPPE_40 | PK_MPPE_128 },
		{ "required tightens allow", 1, 2, 0, 0, PK_MPPE_ALLOW,
		    PK_MPPE_128, 0, PK_MPPE_REQUIRE, PK_MPPE_128 },
		{ "allowed cannot loosen require", 1, 1, 0, 0,
		    PK_MPPE_REQUIRE, PK_MPPE_128, 0, PK_MPPE_REQUIRE,
		    PK_MPPE_128 },
		{ "required but denied locally", 1, 2, 0, 0, PK_MPPE_DENY, 0,
		    PK_ERR_POLICY, PK_MPPE_DENY, 0 },
		{ "types 0x4 drop 40", 0, 0, 1, 4, PK_MPPE_REQUIRE,
		    PK_MPPE_40 | PK_MPPE_128, 0, PK_MPPE_REQUIRE,
		    PK_MPPE_128 },
		{ "types 0x6 keep 40/128, drop 56", 1, 1, 1, 6,
		    PK_MPPE_REQUIRE, PK_MPPE_40 | PK_MPPE_56 | PK_MPPE_128, 0,
		    PK_MPPE_REQUIRE, PK_MPPE_40 | PK_MPPE_128 },
		{ "types 0x2 cannot add 40", 0, 0, 1, 2, PK_MPPE_REQUIRE,
		    PK_MPPE_128, PK_ERR_POLICY, PK_MPPE_REQUIRE, 0 },
		{ "types 0x8 is 56", 0, 0, 1, 8, PK_MPPE_ALLOW,
		    PK_MPPE_56 | PK_MPPE_128, 0, PK_MPPE_ALLOW, PK_MPPE_56 },
		{ "no common bits, optional", 0, 0, 1, 2, PK_MPPE_ALLOW,
		    PK_MPPE_128, 0, PK_MPPE_DENY, 0 },
		{ "denied stays denied", 1, 1, 1, 6, PK_MPPE_DENY, 0, 0,
		    PK_MPPE_DENY, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct radius_session_attrs sa;
		struct pk_policy local, got;
		char why[160];
		int r;

		radius_session_attrs_init(&sa);
		sa.has_mppe_policy = cases[i].has_policy;
		sa.mppe_policy = cases[i].policy;
		sa.has_mppe_types = cases[i].has_types;
		sa.mppe_types = cases[i].types;
		policy_default(&local);
		local.mppe = cases[i].mppe;
		local.mppe_bits = cases[i].bits;
		r = radius_policy_tighten(&sa, &local, &got, why, sizeof(why));
		if (r != cases[i].err)
			fprintf(stderr, "case \"%s\": %s\n", cases[i].name,
			    why);
		CHECK_INT(r, cases[i].err);
		if (r == 0) {
			CHECK_INT(got.mppe, cases[i].want_mppe);
			CHECK_INT(got.mppe_bits, cases[i].want_bits);
			CHECK_INT(got.auth, local.auth);
			CHECK_INT(got.mppe_stateful, local.mppe_stateful);
		}
	}
}

static void
test_fail_messages(void)
{
	struct auth_request req;
	struct auth_result res;
	struct mschap_failure f;

	v2_request(&req);
	radius_auth_fail(&req, "RADIUS servers not responding", &res);
	CHECK_INT(res.ok, 0);
	CHECK_INT(mschap_parse_failure(res.message, strlen(res.message), &f),
	    PK_OK);
	CHECK_INT(f.error, 691);
	CHECK_INT(f.retry, 0);
	CHECK_INT(f.version, 3);
	CHECK_INT(f.have_challenge, 1);
	CHECK_STR(f.message, "RADIUS servers not responding");
	v1_request(&req, "x");
	radius_auth_fail(&req, "down", &res);
	CHECK_INT(mschap_parse_failure(res.message, strlen(res.message), &f),
	    PK_OK);
	CHECK_INT(f.have_challenge, 0);
	req.method = PK_AUTH_PAP;
	radius_auth_fail(&req, "down", &res);
	CHECK_STR(res.message, "down");
}

int
main(void)
{
	pk_rand_use_seeded(11);
	if (out_init(&out, 64 * 1024, 64) != 0)
		return 1;
	RUN(test_request_pap_chap);
	RUN(test_request_mschap);
	RUN(test_mschapv2_accept);
	RUN(test_mschapv1_accept);
	RUN(test_pap_chap_accept_reject);
	RUN(test_mschap_reject);
	RUN(test_bad_accepts);
	RUN(test_session_attrs);
	RUN(test_class_and_route_caps);
	RUN(test_mikrotik_rates);
	RUN(test_framed_routes);
	RUN(test_policy_tighten);
	RUN(test_fail_messages);
	out_free(&out);
	TEST_MAIN_END();
}
