/*
 * radius_auth.c - Access-Requests for PAP, CHAP-MD5, MS-CHAPv1 and
 * MS-CHAPv2, and what their answers mean for the PPP layer (see
 * radius_auth.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auth/mschap.h"
#include "core/err.h"
#include "core/rand.h"
#include "crypto/crypto.h"
#include "mppe/mppe_keys.h"
#include "radius/radius_auth.h"
#include "radius/radius_mppe.h"

/* The parts of the PPP Response fields (RFC 2433 §6, RFC 2759 §4). */
#define LM_RESPONSE_LEN 24
#define NT_RESPONSE_LEN 24
#define V2_PEER_CHALLENGE_LEN 16
#define V2_RESERVED_LEN 8
#define V2_AUTH_STRING_LEN 42		/* "S=" + 40 hex digits */

#define MSCHAP_E_AUTH_FAILURE 691
#define MSCHAPV2_FAILURE_VERSION 3

#define MSG_GRANTED "Access granted"

static void
whyf(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
whyf(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* ---- the request --------------------------------------------------------- */

static int
put_text_opt(struct buf_writer *w, uint8_t type, const char *s)
{
	return s[0] == '\0' ? PK_OK : radius_put_text(w, type, s);
}

/* The attributes every request about a session carries. */
static int
put_nas_and_call(struct buf_writer *w, const struct radius_nas *nas,
    const struct radius_call *call)
{
	int r = PK_OK;

	if (nas->ip != 0)
		r = radius_put_u32(w, RADIUS_ATTR_NAS_IP_ADDRESS, nas->ip);
	if (r == 0)
		r = put_text_opt(w, RADIUS_ATTR_NAS_IDENTIFIER,
		    nas->identifier);
	if (r == 0)
		r = radius_put_u32(w, RADIUS_ATTR_NAS_PORT, call->nas_port);
	if (r == 0)
		r = radius_put_u32(w, RADIUS_ATTR_NAS_PORT_TYPE,
		    RADIUS_NAS_PORT_TYPE_VIRTUAL);
	if (r == 0)
		r = put_text_opt(w, RADIUS_ATTR_CALLING_STATION_ID,
		    call->calling_station_id);
	if (r == 0)
		r = put_text_opt(w, RADIUS_ATTR_CALLED_STATION_ID,
		    call->called_station_id);
	if (r == 0)
		r = put_text_opt(w, RADIUS_ATTR_ACCT_SESSION_ID,
		    call->acct_session_id);
	return r;
}

/* RFC 2548 §2.3.2: Ident, Flags, LM-Response, NT-Response, from the
 * 49-octet PPP field LM (24), NT (24), use-NT flag (1). */
static int
put_mschapv1(struct buf_writer *w, const struct auth_request *req)
{
	uint8_t v[RADIUS_MS_CHAP_RESPONSE_LEN];
	const uint8_t *lm, *nt;
	struct buf_reader rd;
	struct buf_writer vw;
	uint8_t use_nt;
	int r;

	if (req->challenge_len != RADIUS_MS_CHAP_V1_CHALLENGE_LEN ||
	    req->response_len != AUTH_MSCHAPV1_RESPONSE_LEN)
		return PK_ERR_LENGTH;
	buf_reader_init(&rd, req->response, req->response_len);
	if ((r = buf_get_ptr(&rd, &lm, LM_RESPONSE_LEN)) != 0 ||
	    (r = buf_get_ptr(&rd, &nt, NT_RESPONSE_LEN)) != 0 ||
	    (r = buf_get_u8(&rd, &use_nt)) != 0)
		return r;
	/* The LAN Manager response falls to a dictionary in seconds
	 * (RFC 2433 §6 deprecates it): never forwarded. */
	if (use_nt == 0)
		return PK_ERR_POLICY;
	buf_writer_init(&vw, v, sizeof(v));
	(void)buf_put_u8(&vw, req->chap_id);
	(void)buf_put_u8(&vw, use_nt);
	(void)buf_put_bytes(&vw, lm, LM_RESPONSE_LEN);
	(void)buf_put_bytes(&vw, nt, NT_RESPONSE_LEN);
	if (vw.err != 0)
		return vw.err;
	if ((r = radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_CHAP_CHALLENGE, req->challenge,
	    req->challenge_len)) != 0)
		return r;
	return radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_CHAP_RESPONSE, v, vw.len);
}

/* RFC 2548 §2.3.2 (v2): Ident, Flags, Peer-Challenge, Reserved, Response,
 * from the 49-octet PPP field Peer-Challenge (16), Reserved (8), NT
 * Response (24), Flags (1). */
static int
put_mschapv2(struct buf_writer *w, const struct auth_request *req)
{
	uint8_t v[RADIUS_MS_CHAP2_RESPONSE_LEN];
	const uint8_t *peer_challenge, *reserved, *nt;
	struct buf_reader rd;
	struct buf_writer vw;
	uint8_t flags;
	int r;

	if (req->challenge_len != RADIUS_MS_CHAP_V2_CHALLENGE_LEN ||
	    req->response_len != AUTH_MSCHAPV2_RESPONSE_LEN)
		return PK_ERR_LENGTH;
	buf_reader_init(&rd, req->response, req->response_len);
	if ((r = buf_get_ptr(&rd, &peer_challenge,
	    V2_PEER_CHALLENGE_LEN)) != 0 ||
	    (r = buf_get_ptr(&rd, &reserved, V2_RESERVED_LEN)) != 0 ||
	    (r = buf_get_ptr(&rd, &nt, NT_RESPONSE_LEN)) != 0 ||
	    (r = buf_get_u8(&rd, &flags)) != 0)
		return r;
	buf_writer_init(&vw, v, sizeof(v));
	(void)buf_put_u8(&vw, req->chap_id);
	(void)buf_put_u8(&vw, flags);
	(void)buf_put_bytes(&vw, peer_challenge, V2_PEER_CHALLENGE_LEN);
	(void)buf_put_bytes(&vw, reserved, V2_RESERVED_LEN);
	(void)buf_put_bytes(&vw, nt, NT_RESPONSE_LEN);
	if (vw.err != 0)
		return vw.err;
	if ((r = radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_CHAP_CHALLENGE, req->challenge,
	    req->challenge_len)) != 0)
		return r;
	return radius_put_vsa(w, RADIUS_VENDOR_MICROSOFT,
	    RADIUS_MS_CHAP2_RESPONSE, v, vw.len);
}

/* RFC 2865 §5.3/§5.40: CHAP-Password is the CHAP Identifier and the
 * 16-octet response; the challenge goes in CHAP-Challenge (always: ours
 * is not the Request Authenticator). */
static int
put_chap_md5(struct buf_writer *w, const struct auth_request *req)
{
	uint8_t v[1 + AUTH_CHAP_MD5_RESPONSE_LEN];
	struct buf_writer vw;
	int r;

	if (req->response_len != AUTH_CHAP_MD5_RESPONSE_LEN ||
	    req->challenge_len == 0 ||
	    req->challenge_len > RADIUS_ATTR_VALUE_MAX)
		return PK_ERR_LENGTH;
	buf_writer_init(&vw, v, sizeof(v));
	(void)buf_put_u8(&vw, req->chap_id);
	(void)buf_put_bytes(&vw, req->response, req->response_len);
	if (vw.err != 0)
		return vw.err;
	if ((r = radius_put_attr(w, RADIUS_ATTR_CHAP_PASSWORD, v,
	    vw.len)) != 0)
		return r;
	return radius_put_attr(w, RADIUS_ATTR_CHAP_CHALLENGE, req->challenge,
	    req->challenge_len);
}

int
radius_auth_request(struct radius_request *rq, const struct radius_nas *nas,
    const struct radius_call *call, const struct auth_request *req)
{
	struct buf_writer w;
	int r;

	radius_request_init(rq, RADIUS_CODE_ACCESS_REQUEST);
	if (nas->ip == 0 && nas->identifier[0] == '\0')
		return PK_ERR_ARG;
	if (req->challenge_len > sizeof(req->challenge) ||
	    req->response_len > sizeof(req->response) ||
	    memchr(req->user, '\0', sizeof(req->user)) == NULL)
		return PK_ERR_LENGTH;
	radius_request_writer(rq, &w);
	if ((r = radius_put_text(&w, RADIUS_ATTR_USER_NAME, req->user)) != 0)
		goto out;
	switch (req->method) {
	case PK_AUTH_PAP:
		/* Hidden per transmission by the client (RFC 2865 §5.2). */
		if (req->response_len > RADIUS_PASSWORD_MAX) {
			r = PK_ERR_LENGTH;
			goto out;
		}
		rq->has_password = 1;
		rq->password_len = req->response_len;
		memcpy(rq->password, req->response, req->response_len);
		break;
	case PK_AUTH_CHAP_MD5:
		r = put_chap_md5(&w, req);
		break;
	case PK_AUTH_MSCHAPV1:
		r = put_mschapv1(&w, req);
		break;
	case PK_AUTH_MSCHAPV2:
		r = put_mschapv2(&w, req);
		break;
	default:
		r = PK_ERR_TYPE;
		break;
	}
	if (r != 0)
		goto out;
	if ((r = radius_put_u32(&w, RADIUS_ATTR_SERVICE_TYPE,
	    RADIUS_SERVICE_FRAMED)) != 0 ||
	    (r = radius_put_u32(&w, RADIUS_ATTR_FRAMED_PROTOCOL,
	    RADIUS_FRAMED_PROTOCOL_PPP)) != 0 ||
	    (r = put_nas_and_call(&w, nas, call)) != 0 ||
	    (r = radius_request_commit(rq, &w)) != 0)
		goto out;
	return PK_OK;
 out:
	radius_request_wipe(rq);
	return r;
}

/* ---- the reply ----------------------------------------------------------- */

static void
set_message(struct auth_result *res, const char *msg)
{
	snprintf(res->message, sizeof(res->message), "%s", msg);
}

/* The text of an MS-CHAP sub-attribute after its Ident octet. */
static int
ms_text(const struct radius_attr *a, uint8_t *ident, const uint8_t **text,
    size_t *len)
{
	struct buf_reader rd;

	buf_reader_init(&rd, a->value, a->len);
	if (buf_get_u8(&rd, ident) != 0)
		return PK_ERR_LENGTH;
	*len = buf_remaining(&rd);
	return buf_get_ptr(&rd, text, *len);
}

static int
is_hex(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') ||
	    (c >= 'a' && c <= 'f');
}

/* MS-CHAP2-Success (RFC 2548 §2.3.3): Ident, "S=" + 40 hex digits. */
static int
take_v2_success(const struct radius_attr *a, const struct auth_request *req,
    char out[V2_AUTH_STRING_LEN + 1])
{
	const uint8_t *text;
	uint8_t ident;
	size_t len;

	if (ms_text(a, &ident, &text, &len) != 0 ||
	    len != V2_AUTH_STRING_LEN)
		return PK_ERR_LENGTH;
	if (ident != req->chap_id || text[0] != 'S' || text[1] != '=')
		return PK_ERR_VALUE;
	for (size_t i = 2; i < len; i++)
		if (!is_hex(text[i]))
			return PK_ERR_VALUE;
	memcpy(out, text, len);
	out[len] = '\0';
	return PK_OK;
}

/*
 * MS-CHAP-Error (RFC 2548 §2.1.5): relayed to the peer as received when
 * it parses as a Failure message (E=, R=, C=, V=, M=), printable octets
 * only. Returns 1 if res->message was set.
 */
static int
take_mschap_error(const struct radius_attr *a, struct auth_result *res)
{
	struct mschap_failure f;
	struct radius_attr t;
	const uint8_t *text;
	uint8_t ident;
	size_t len;

	if (ms_text(a, &ident, &text, &len) != 0 || len == 0 ||
	    mschap_parse_failure((const char *)text, len, &f) != 0)
		return 0;
	memset(&t, 0, sizeof(t));
	t.value = text;
	t.len = len;
	radius_attr_printable(&t, res->message, sizeof(res->message));
	return 1;
}

struct reply_keys {
	const struct radius_attr *send, *recv, *v1;
	struct radius_attr send_a, recv_a, v1_a;
};

/* MS-MPPE-Send-Key / Recv-Key (RFC 2548 §2.4.2/§2.4.3): both or none,
 * distinct salts, at least 16 octets of key (longer keys are truncated,
 * as the RFC tells the client to). */
static int
take_v2_keys(const struct reply_keys *k, const struct radius_result *rep,
    const uint8_t *secret, size_t secret_len, struct auth_result *res)
{
	uint8_t key[RADIUS_MPPE_KEY_MAX];
	size_t klen;
	int r;

	if (k->send == NULL && k->recv == NULL)
		return PK_OK;
	if (k->send == NULL || k->recv == NULL)
		return PK_ERR_VALUE;
	if (k->send->len >= RADIUS_MPPE_SALT_LEN &&
	    k->recv->len >= RADIUS_MPPE_SALT_LEN &&
	    memcmp(k->send->value, k->recv->value, RADIUS_MPPE_SALT_LEN) == 0)
		return PK_ERR_VALUE;
	if ((r = radius_mppe_key_decrypt(k->send->value, k->send->len,
	    rep->req_auth, secret, secret_len, key, sizeof(key), &klen)) != 0)
		goto out;
	if (klen < AUTH_MPPE_KEY_LEN) {
		r = PK_ERR_LENGTH;
		goto out;
	}
	memcpy(res->mppe_send_key, key, AUTH_MPPE_KEY_LEN);
	if ((r = radius_mppe_key_decrypt(k->recv->value, k->recv->len,
	    rep->req_auth, secret, secret_len, key, sizeof(key), &klen)) != 0)
		goto out;
	if (klen < AUTH_MPPE_KEY_LEN) {
		r = PK_ERR_LENGTH;
		goto out;
	}
	memcpy(res->mppe_recv_key, key, AUTH_MPPE_KEY_LEN);
	res->have_mppe_keys = 1;
 out:
	crypto_wipe(key, sizeof(key));
	return r;
}

static int
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/*
 * MS-CHAP-MPPE-Keys (RFC 2548 §2.4.1) for MS-CHAPv1: the NT-Key is the
 * NT password hash's hash, from which RFC 3079 §2.4 Get_Start_Key and
 * the challenge give the one key of both directions - the same
 * derivation mppe_keys_mschapv1() makes from a local password.
 */
static int
take_v1_keys(const struct reply_keys *k, const struct radius_result *rep,
    const uint8_t *secret, size_t secret_len, const struct auth_request *req,
    struct auth_result *res)
{
	uint8_t lm[RADIUS_MS_CHAP_MPPE_LM_KEY_LEN];
	uint8_t nt[RADIUS_MS_CHAP_MPPE_NT_KEY_LEN];
	int r;

	if (k->v1 == NULL)
		return PK_OK;
	if ((r = radius_mschap_mppe_keys_decrypt(k->v1->value, k->v1->len,
	    rep->req_auth, secret, secret_len, lm, nt)) != 0)
		return r;
	/* FreeRADIUS sends zeros when it has no NT hash: no keys. */
	if (!all_zero(nt, sizeof(nt))) {
		mppe_get_start_key_v1(req->challenge, nt, res->mppe_send_key);
		memcpy(res->mppe_recv_key, res->mppe_send_key,
		    AUTH_MPPE_KEY_LEN);
		res->have_mppe_keys = 1;
	}
	if (!all_zero(lm, sizeof(lm))) {
		memcpy(res->lm_key, lm, sizeof(res->lm_key));
		res->have_lm_key = 1;
	}
	crypto_wipe(lm, sizeof(lm));
	crypto_wipe(nt, sizeof(nt));
	return PK_OK;
}

/* What an Access-Accept says besides the keys; fails on anything we
 * would act on but cannot parse, or on a service we do not provide. */
static int
accept_attr(const struct radius_attr *a, struct radius_session_attrs *attrs,
    char *why, size_t whylen)
{
	const char *what;
	uint32_t v;
	int r;

	if (a->vendor == 0 && (a->type == RADIUS_ATTR_SERVICE_TYPE ||
	    a->type == RADIUS_ATTR_FRAMED_PROTOCOL)) {
		int st = a->type == RADIUS_ATTR_SERVICE_TYPE;

		if (radius_attr_u32(a, &v) != 0) {
			whyf(why, whylen, "malformed %s", st ?
			    "Service-Type" : "Framed-Protocol");
			return PK_ERR_LENGTH;
		}
		if (v != (st ? RADIUS_SERVICE_FRAMED :
		    RADIUS_FRAMED_PROTOCOL_PPP)) {
			whyf(why, whylen, "%s %u is not what a PPTP session "
			    "provides", st ? "Service-Type" :
			    "Framed-Protocol", v);
			return PK_ERR_VALUE;
		}
		return PK_OK;
	}
	r = radius_session_attr(attrs, a, &what);
	if (r < 0)
		whyf(why, whylen, "malformed %s (%s)", what, pk_strerror(r));
	return r < 0 ? r : PK_OK;
}

static void
collect_key(struct reply_keys *k, const struct radius_attr *a)
{
	if (a->vendor != RADIUS_VENDOR_MICROSOFT)
		return;
	if (a->vtype == RADIUS_MS_MPPE_SEND_KEY) {
		k->send_a = *a;
		k->send = &k->send_a;
	} else if (a->vtype == RADIUS_MS_MPPE_RECV_KEY) {
		k->recv_a = *a;
		k->recv = &k->recv_a;
	} else if (a->vtype == RADIUS_MS_CHAP_MPPE_KEYS) {
		k->v1_a = *a;
		k->v1 = &k->v1_a;
	}
}

static int
interpret_accept(const struct radius_result *rep, const uint8_t *secret,
    size_t secret_len, const struct auth_request *req,
    struct auth_result *res, struct radius_session_attrs *attrs, char *why,
    size_t whylen)
{
	char success[V2_AUTH_STRING_LEN + 1] = "";
	struct reply_keys k;
	struct radius_iter it;
	struct radius_attr a;
	int r;

	memset(&k, 0, sizeof(k));
	radius_iter_init(&it, &rep->reply);
	while (radius_iter_next(&it, &a)) {
		if (a.vendor == RADIUS_VENDOR_MICROSOFT &&
		    a.vtype == RADIUS_MS_CHAP2_SUCCESS) {
			if (req->method != PK_AUTH_MSCHAPV2 ||
			    take_v2_success(&a, req, success) != 0) {
				whyf(why, whylen, "malformed or unexpected "
				    "MS-CHAP2-Success");
				return PK_ERR_AUTH;
			}
			continue;
		}
		collect_key(&k, &a);
		if ((r = accept_attr(&a, attrs, why, whylen)) != 0)
			return r;
	}
	if (req->method == PK_AUTH_MSCHAPV2) {
		/* Without it the peer cannot check us (RFC 2759 §5). */
		if (success[0] == '\0') {
			whyf(why, whylen, "Access-Accept without "
			    "MS-CHAP2-Success");
			return PK_ERR_AUTH;
		}
		r = take_v2_keys(&k, rep, secret, secret_len, res);
	} else if (req->method == PK_AUTH_MSCHAPV1)
		r = take_v1_keys(&k, rep, secret, secret_len, req, res);
	else
		r = PK_OK;
	if (r != 0) {
		whyf(why, whylen, "bad MPPE key attribute (%s)",
		    pk_strerror(r));
		return r;
	}
	res->ok = 1;
	if (req->method == PK_AUTH_MSCHAPV2)
		/* RFC 2759 §5 "S=<auth_string> M=<message>"; the message is
		 * cut to fit the Success packet's field. */
		snprintf(res->message, sizeof(res->message), "%s M=%.*s",
		    success, (int)(sizeof(res->message) - sizeof(success) -
		    3), attrs->reply_message[0] != '\0' ?
		    attrs->reply_message : MSG_GRANTED);
	else
		set_message(res, attrs->reply_message[0] != '\0' ?
		    attrs->reply_message : MSG_GRANTED);
	if (attrs->ip_mode == RADIUS_IP_STATIC)
		res->framed_ip = attrs->framed_ip;
	whyf(why, whylen, "accepted");
	return PK_OK;
}

static void
interpret_reject(const struct radius_result *rep,
    const struct auth_request *req, struct auth_result *res, char *why,
    size_t whylen)
{
	struct radius_iter it;
	struct radius_attr a;
	char reply_msg[RADIUS_TEXT_MAX + 1] = "";
	int have_error = 0;

	radius_iter_init(&it, &rep->reply);
	while (radius_iter_next(&it, &a)) {
		if (a.vendor == RADIUS_VENDOR_MICROSOFT &&
		    a.vtype == RADIUS_MS_CHAP_ERROR && !have_error &&
		    (req->method == PK_AUTH_MSCHAPV1 ||
		    req->method == PK_AUTH_MSCHAPV2))
			have_error = take_mschap_error(&a, res);
		else if (a.vendor == 0 && a.type == RADIUS_ATTR_REPLY_MESSAGE &&
		    reply_msg[0] == '\0')
			radius_attr_printable(&a, reply_msg,
			    sizeof(reply_msg));
	}
	if (!have_error && reply_msg[0] != '\0') {
		if (req->method == PK_AUTH_MSCHAPV1 ||
		    req->method == PK_AUTH_MSCHAPV2)
			radius_auth_fail(req, reply_msg, res);
		else
			set_message(res, reply_msg);
	}
	whyf(why, whylen, "rejected%s%s", reply_msg[0] != '\0' ? ": " : "",
	    reply_msg);
}

int
radius_auth_reply(const struct radius_result *rep, const uint8_t *secret,
    size_t secret_len, const struct auth_request *req,
    struct auth_result *res, struct radius_session_attrs *attrs, char *why,
    size_t whylen)
{
	int r;

	memset(res, 0, sizeof(*res));
	radius_session_attrs_init(attrs);
	whyf(why, whylen, "no decision");
	if (rep->type != RADIUS_EV_REPLY)
		return PK_ERR_ARG;
	switch (rep->reply.code) {
	case RADIUS_CODE_ACCESS_ACCEPT:
		r = interpret_accept(rep, secret, secret_len, req, res, attrs,
		    why, whylen);
		if (r != 0) {
			/* Never keep half an answer. */
			auth_result_wipe(res);
			radius_session_attrs_init(attrs);
			radius_auth_fail(req, "RADIUS reply not usable", res);
		}
		return r;
	case RADIUS_CODE_ACCESS_REJECT:
		interpret_reject(rep, req, res, why, whylen);
		return PK_OK;
	case RADIUS_CODE_ACCESS_CHALLENGE:
		whyf(why, whylen, "Access-Challenge cannot be relayed to a "
		    "PPP peer");
		radius_auth_fail(req, "RADIUS challenge not supported", res);
		return PK_ERR_TYPE;
	}
	whyf(why, whylen, "%s is not an answer to an Access-Request",
	    radius_code_name(rep->reply.code));
	radius_auth_fail(req, "RADIUS reply not usable", res);
	return PK_ERR_TYPE;
}

void
radius_auth_fail(const struct auth_request *req, const char *text,
    struct auth_result *res)
{
	uint8_t challenge[AUTH_MSCHAPV2_CHALLENGE_LEN];

	memset(res, 0, sizeof(*res));
	switch (req->method) {
	case PK_AUTH_MSCHAPV2:
		/* RFC 2759 §6: C= must be present; with R=0 it is unused. */
		pk_rand_bytes(challenge, sizeof(challenge));
		mschap_format_failure(MSCHAP_E_AUTH_FAILURE, 0, challenge,
		    sizeof(challenge), MSCHAPV2_FAILURE_VERSION, text,
		    res->message, sizeof(res->message));
		break;
	case PK_AUTH_MSCHAPV1:
		mschap_format_failure(MSCHAP_E_AUTH_FAILURE, 0, NULL, 0, 0,
		    text, res->message, sizeof(res->message));
		break;
	default:
		set_message(res, text);
		break;
	}
}

/* ---- policy -------------------------------------------------------------- */

int
radius_policy_tighten(const struct radius_session_attrs *attrs,
    const struct pk_policy *local, struct pk_policy *out, char *why,
    size_t whylen)
{
	unsigned bits = 0;

	*out = *local;
	whyf(why, whylen, "unchanged");
	if (attrs->has_mppe_policy &&
	    attrs->mppe_policy == RADIUS_MPPE_POLICY_REQUIRED) {
		if (local->mppe == PK_MPPE_DENY) {
			whyf(why, whylen, "RADIUS requires MPPE, which the "
			    "local policy denies");
			return PK_ERR_POLICY;
		}
		out->mppe = PK_MPPE_REQUIRE;
	}
	if (attrs->has_mppe_types && out->mppe != PK_MPPE_DENY) {
		if (attrs->mppe_types & RADIUS_MPPE_TYPE_40)
			bits |= PK_MPPE_40;
		if (attrs->mppe_types & RADIUS_MPPE_TYPE_56)
			bits |= PK_MPPE_56;
		if (attrs->mppe_types & RADIUS_MPPE_TYPE_128)
			bits |= PK_MPPE_128;
		out->mppe_bits &= bits;
		if (out->mppe_bits == 0) {
			if (out->mppe == PK_MPPE_REQUIRE) {
				whyf(why, whylen, "no MPPE key length is "
				    "allowed both by RADIUS "
				    "(MS-MPPE-Encryption-Types 0x%x) and "
				    "locally", attrs->mppe_types);
				return PK_ERR_POLICY;
			}
			/* Encryption was optional; now impossible. */
			out->mppe = PK_MPPE_DENY;
		}
	}
	if (out->mppe != local->mppe || out->mppe_bits != local->mppe_bits)
		whyf(why, whylen, "tightened by RADIUS");
	return PK_OK;
}
