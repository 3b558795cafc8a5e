/*
 * chap.c - CHAP framing (RFC 1994 §4) for MD5 (algorithm 5), MS-CHAPv1
 * (0x80, RFC 2433) and MS-CHAPv2 (0x81, RFC 2759), in both roles. The
 * computations live in src/auth (mschap.h); this file moves packets.
 *
 * Authenticator: sends a Challenge, repeats it until a Response arrives
 * (Max-Configure times, restart interval apart), raises
 * PPP_EV_AUTH_REQUEST and answers Success/Failure as ppp_auth_complete()
 * says; a repeated Response gets the same answer again (RFC 1994 §4.2).
 * MS-CHAP Change-Password packets (codes 5, 6, 7) are refused with a
 * Failure (E=709).
 * Peer: answers each Challenge; on an MS-CHAPv2 Success it checks the
 * S= authenticator response (RFC 2759 §5) and ends the link if it is
 * wrong; a Failure ("E=691 R=0 ...") ends it too, without retry.
 */
#include <stdio.h>
#include <string.h>

#include "auth/mschap.h"
#include "core/escape.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/rand.h"
#include "mppe/mppe_keys.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

#define CHAP_PKT_MAX (CHAP_CHALRESP_HDR_LEN + AUTH_RESPONSE_MAX + \
    PK_PPP_NAME_MAX)

static const char *
method_name(const struct ppp *p)
{
	return policy_auth_name(p->auth.method);
}

static int
is_mschap(const struct ppp *p)
{
	return p->auth.method == PK_AUTH_MSCHAPV1 ||
	    p->auth.method == PK_AUTH_MSCHAPV2;
}

/* Challenge Value sizes (RFC 1994 §4.1, RFC 2433 §5, RFC 2759 §3). */
static size_t
challenge_size(unsigned method)
{
	return method == PK_AUTH_MSCHAPV1 ? AUTH_MSCHAPV1_CHALLENGE_LEN :
	    method == PK_AUTH_MSCHAPV2 ? AUTH_MSCHAPV2_CHALLENGE_LEN :
	    CHAP_MD5_CHALLENGE_LEN;
}

/* Response Value sizes (RFC 1994 §4.1, RFC 2433 §5, RFC 2759 §4). */
static size_t
response_size(unsigned method)
{
	return method == PK_AUTH_MSCHAPV1 ? AUTH_MSCHAPV1_RESPONSE_LEN :
	    method == PK_AUTH_MSCHAPV2 ? AUTH_MSCHAPV2_RESPONSE_LEN :
	    AUTH_CHAP_MD5_RESPONSE_LEN;
}

/* Challenge and Response share one layout: Value-Size, Value, Name. */
static int
build_chalresp(uint8_t *buf, size_t cap, uint8_t code, uint8_t id,
    const uint8_t *value, size_t vlen, const char *name, size_t *outlen)
{
	size_t nlen = strlen(name);
	struct buf_writer w;

	buf_writer_init(&w, buf, cap);
	buf_put_u8(&w, code);
	buf_put_u8(&w, id);
	buf_put_u16(&w, (uint16_t)(CHAP_CHALRESP_HDR_LEN + vlen + nlen));
	buf_put_u8(&w, (uint8_t)vlen);
	buf_put_bytes(&w, value, vlen);
	buf_put_bytes(&w, name, nlen);
	*outlen = w.len;
	return w.err;
}

static int
parse_chalresp(struct buf_reader *data, const uint8_t **value,
    uint8_t *vlen, const uint8_t **name, size_t *nlen)
{
	int r;

	if ((r = buf_get_u8(data, vlen)) != 0 ||
	    (r = buf_get_ptr(data, value, *vlen)) != 0)
		return r;
	if (*vlen == 0)
		return PK_ERR_VALUE;
	*nlen = buf_remaining(data);
	*name = buf_cur(data);
	if (*nlen > PK_PPP_NAME_MAX ||
	    (*nlen > 0 && memchr(*name, 0, *nlen) != NULL))
		return PK_ERR_VALUE;
	return PK_OK;
}

/* Success/Failure: the Message fills the rest of the packet. */
static void
send_final(struct ppp *p, uint8_t code, uint8_t id, const char *msg)
{
	size_t mlen = strlen(msg);
	struct buf_writer w;

	if (mlen > AUTH_MESSAGE_MAX)
		mlen = AUTH_MESSAGE_MAX;
	buf_writer_init(&w, p->auth.last, sizeof(p->auth.last));
	buf_put_u8(&w, code);
	buf_put_u8(&w, id);
	buf_put_u16(&w, (uint16_t)(PPP_HDR_LEN + mlen));
	buf_put_bytes(&w, msg, mlen);
	p->auth.last_len = w.err == 0 ? w.len : 0;
	p->auth.last_proto = PPP_PROTO_CHAP;
	ppp_output(p, PPP_PROTO_CHAP, p->auth.last, p->auth.last_len);
}

/* --- authenticator --- */

static void
send_challenge(struct ppp *p)
{
	uint8_t pkt[CHAP_PKT_MAX];
	size_t len;

	if (build_chalresp(pkt, sizeof(pkt), CHAP_CHALLENGE, p->auth.id,
	    p->auth.challenge, p->auth.challenge_len, p->name, &len) == 0)
		ppp_output(p, PPP_PROTO_CHAP, pkt, len);
	p->auth.retry_at = p->now + p->cfg.restart_ms;
}

void
chap_start(struct ppp *p)
{
	p->auth.state = AUTH_STARTED;
	if (!p->cfg.is_server)
		return;		/* the authenticator speaks first */
	p->auth.challenge_len = challenge_size(p->auth.method);
	pk_rand_bytes(p->auth.challenge, p->auth.challenge_len);
	p->auth.id = (uint8_t)pk_rand_u32();
	p->auth.retries = p->cfg.max_configure;
	send_challenge(p);
}

void
chap_timeout(struct ppp *p)
{
	if (!p->cfg.is_server || p->auth.state != AUTH_STARTED ||
	    p->auth.retry_at > p->now)
		return;
	if (p->auth.retries <= 1) {
		p->auth.retry_at = PK_TIME_NEVER;
		ppp_auth_failed(p, PK_ERR_TIMEOUT, "authentication failed: no "
		    "CHAP Response from peer");
		return;
	}
	p->auth.retries--;
	send_challenge(p);
}

/* V= of a Failure: the password-change protocol the server speaks
 * (RFC 2759 §6: 3; RFC 2433 §6: 2 for MS-CHAPv1). */
static int
failure_version(const struct ppp *p)
{
	return p->auth.method == PK_AUTH_MSCHAPV2 ? 3 : 2;
}

/* The failure text MS-CHAP peers parse (RFC 2759 §6). */
static void
mschap_failure_text(struct ppp *p, int error, const char *why, char *out,
    size_t outlen)
{
	uint8_t chal[AUTH_MSCHAPV2_CHALLENGE_LEN];

	pk_rand_bytes(chal, sizeof(chal));
	mschap_format_failure(error, 0, chal,
	    challenge_size(p->auth.method), failure_version(p), why, out,
	    outlen);
}

static int
server_response(struct ppp *p, uint8_t id, struct buf_reader *data)
{
	struct auth_request *req = &p->auth.req;
	const uint8_t *value, *name;
	char msg[AUTH_MESSAGE_MAX + 1], who[PK_EVENT_TEXT_MAX];
	uint8_t vlen;
	size_t nlen;
	int r;

	if ((r = parse_chalresp(data, &value, &vlen, &name, &nlen)) != 0) {
		ppp_log_rl(p, PK_LOG_NOTICE, "CHAP: malformed Response "
		    "discarded");
		return r;
	}
	if (id != p->auth.id) {
		ppp_log_rl(p, PK_LOG_NOTICE, "CHAP: Response to another "
		    "Challenge (id %u, ours %u) discarded", id, p->auth.id);
		return PK_ERR_VALUE;
	}
	switch (p->auth.state) {
	case AUTH_DONE:
	case AUTH_FAILED:
		/* RFC 1994 §4.2: our answer was lost; send it again. */
		if (p->auth.last_len > 0 && p->auth.last_proto ==
		    PPP_PROTO_CHAP)
			ppp_output(p, PPP_PROTO_CHAP, p->auth.last,
			    p->auth.last_len);
		return PK_OK;
	case AUTH_WAIT_OWNER:
		return PK_OK;	/* a repeat while the owner decides */
	case AUTH_STARTED:
		break;
	default:
		return PK_ERR_STATE;
	}
	p->auth.retry_at = PK_TIME_NEVER;
	memset(req, 0, sizeof(*req));
	memcpy(req->user, name, nlen);
	if (!ppp_auth_user_ok(p, req->user)) {
		/* Re-authentication after LCP renegotiation: the session
		 * (address, accounting) belongs to the first user. */
		if (is_mschap(p))
			mschap_failure_text(p, MSCHAP_E_AUTH_FAILURE,
			    "Another user", msg, sizeof(msg));
		else
			snprintf(msg, sizeof(msg), "Another user");
		send_final(p, CHAP_FAILURE, id, msg);
		ppp_auth_failed(p, PK_ERR_AUTH, "re-authentication as "
		    "\"%s\" refused: the link belongs to \"%s\"", req->user,
		    p->peer_name);
		return PK_ERR_AUTH;
	}
	memcpy(p->peer_name, req->user, sizeof(p->peer_name));
	if (vlen != response_size(p->auth.method)) {
		if (is_mschap(p))
			mschap_failure_text(p, MSCHAP_E_AUTH_FAILURE,
			    "Malformed response", msg, sizeof(msg));
		else
			snprintf(msg, sizeof(msg), "Malformed response");
		send_final(p, CHAP_FAILURE, id, msg);
		ppp_auth_failed(p, PK_ERR_AUTH, "authentication failed: "
		    "malformed %s Response from \"%s\" (value size %u)",
		    method_name(p), pk_escape(who, sizeof(who), req->user),
		    vlen);
		return PK_ERR_LENGTH;
	}
	req->method = p->auth.method;
	req->chap_id = id;
	memcpy(req->challenge, p->auth.challenge, p->auth.challenge_len);
	req->challenge_len = p->auth.challenge_len;
	memcpy(req->response, value, vlen);
	req->response_len = vlen;
	p->auth.state = AUTH_WAIT_OWNER;
	ppp_event(p, PPP_EV_AUTH_REQUEST, 0, req, sizeof(*req),
	    "%s authentication request from \"%s\"", method_name(p),
	    pk_escape(who, sizeof(who), req->user));
	return PK_OK;
}

static int
server_changepw(struct ppp *p, uint8_t code, uint8_t id)
{
	char msg[AUTH_MESSAGE_MAX + 1];

	if (!is_mschap(p) || (p->auth.state != AUTH_STARTED &&
	    p->auth.state != AUTH_WAIT_OWNER)) {
		ppp_log_rl(p, PK_LOG_NOTICE, "CHAP: unexpected code %u "
		    "discarded", code);
		return PK_ERR_TYPE;
	}
	/* RFC 2759 §7 / RFC 2433 §9-§10: we have no password store to
	 * change; say so with ERROR_CHANGING_PASSWORD and end. */
	pk_log(PK_LOG_NOTICE, p->log_ctx, "CHAP: peer sent an MS-CHAP "
	    "Change-Password packet (code %u); password change is not "
	    "supported, refusing", code);
	mschap_format_failure(MSCHAP_E_CHANGING_PASSWORD, 0, NULL, 0,
	    failure_version(p), "Password change not supported", msg,
	    sizeof(msg));
	send_final(p, CHAP_FAILURE, id, msg);
	ppp_auth_failed(p, PK_ERR_AUTH, "authentication failed: peer asked "
	    "to change its password (MS-CHAP code %u), which is not "
	    "supported", code);
	return PK_OK;
}

int
chap_complete(struct ppp *p, const struct auth_result *res)
{
	char msg[AUTH_MESSAGE_MAX + 1], who[PK_EVENT_TEXT_MAX];

	if (res->ok) {
		if (is_mschap(p) && res->have_mppe_keys) {
			memcpy(p->send_key, res->mppe_send_key,
			    AUTH_MPPE_KEY_LEN);
			memcpy(p->recv_key, res->mppe_recv_key,
			    AUTH_MPPE_KEY_LEN);
			p->have_keys = 1;
		}
		send_final(p, CHAP_SUCCESS, p->auth.id, res->message);
		ppp_auth_succeeded(p);
		return PK_OK;
	}
	if (res->message[0] != '\0')
		snprintf(msg, sizeof(msg), "%s", res->message);
	else if (is_mschap(p))
		mschap_failure_text(p, MSCHAP_E_AUTH_FAILURE,
		    "Authentication failed", msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "Authentication failed");
	send_final(p, CHAP_FAILURE, p->auth.id, msg);
	ppp_auth_failed(p, PK_ERR_AUTH, "authentication failed for user "
	    "\"%s\" (%s)", pk_escape(who, sizeof(who), p->peer_name),
	    method_name(p));
	return PK_OK;
}

/* --- peer --- */

/* Computes our Response Value for the stored challenge. */
static int
compute_response(struct ppp *p, uint8_t id, uint8_t *value, size_t *vlen)
{
	const char *user = mschap_strip_domain(p->name);
	struct buf_reader rd;
	int r = PK_OK;

	switch (p->auth.method) {
	case PK_AUTH_CHAP_MD5:
		/* RFC 1994 §4.1: MD5(Identifier || secret || Challenge). */
		chap_md5_response(id, (const uint8_t *)p->password,
		    strlen(p->password), p->auth.challenge,
		    p->auth.challenge_len, value);
		*vlen = AUTH_CHAP_MD5_RESPONSE_LEN;
		break;
	case PK_AUTH_MSCHAPV1:
		r = mschapv1_build_response(p->auth.challenge, p->password,
		    value);
		*vlen = AUTH_MSCHAPV1_RESPONSE_LEN;
		break;
	case PK_AUTH_MSCHAPV2:
		/* RFC 2759 §4: a fresh Peer-Challenge per Response. */
		pk_rand_bytes(p->auth.peer_challenge,
		    sizeof(p->auth.peer_challenge));
		r = mschapv2_build_response(p->auth.challenge,
		    p->auth.peer_challenge, user, p->password, value);
		/* Peer-Challenge 16, Reserved 8, NT-Response 24, Flags. */
		buf_reader_init(&rd, value, AUTH_MSCHAPV2_RESPONSE_LEN);
		if (r == 0 && (buf_skip(&rd, 24) != 0 ||
		    buf_get_bytes(&rd, p->auth.nt_response, 24) != 0))
			r = PK_ERR_INTERNAL;
		*vlen = AUTH_MSCHAPV2_RESPONSE_LEN;
		break;
	default:
		r = PK_ERR_INTERNAL;
	}
	return r;
}

static int
client_challenge(struct ppp *p, uint8_t id, struct buf_reader *data)
{
	uint8_t value[AUTH_RESPONSE_MAX];
	const uint8_t *cval, *name;
	uint8_t clen;
	size_t nlen, vlen = 0, len;
	int r;

	if ((r = parse_chalresp(data, &cval, &clen, &name, &nlen)) != 0 ||
	    (is_mschap(p) && clen != challenge_size(p->auth.method)) ||
	    clen > AUTH_CHALLENGE_MAX) {
		ppp_log_rl(p, PK_LOG_NOTICE, "CHAP: malformed Challenge "
		    "discarded");
		return r != 0 ? r : PK_ERR_LENGTH;
	}
	if (p->auth.state == AUTH_FAILED ||
	    (p->auth.state == AUTH_DONE && is_mschap(p))) {
		ppp_log_rl(p, PK_LOG_NOTICE, "CHAP: Challenge after the "
		    "exchange ended discarded");
		return PK_ERR_STATE;
	}
	/* The same Challenge again: our Response was lost, repeat it. */
	if (p->auth.state == AUTH_WAIT_RESULT && id == p->auth.id &&
	    clen == p->auth.challenge_len &&
	    memcmp(cval, p->auth.challenge, clen) == 0 &&
	    p->auth.last_len > 0) {
		ppp_output(p, PPP_PROTO_CHAP, p->auth.last, p->auth.last_len);
		return PK_OK;
	}
	memcpy(p->auth.challenge, cval, clen);
	p->auth.challenge_len = clen;
	p->auth.id = id;
	if ((r = compute_response(p, id, value, &vlen)) != 0) {
		crypto_wipe(value, sizeof(value));
		ppp_auth_failed(p, PK_ERR_CONFIG, "cannot compute the %s "
		    "response: the password is not usable (%s)",
		    method_name(p), pk_strerror(r));
		return r;
	}
	r = build_chalresp(p->auth.last, sizeof(p->auth.last), CHAP_RESPONSE,
	    id, value, vlen, p->name, &len);
	crypto_wipe(value, sizeof(value));
	if (r != 0)
		return r;
	p->auth.last_len = len;
	p->auth.last_proto = PPP_PROTO_CHAP;
	ppp_output(p, PPP_PROTO_CHAP, p->auth.last, len);
	p->auth.state = AUTH_WAIT_RESULT;
	return PK_OK;
}

static int
client_success(struct ppp *p, uint8_t id, struct buf_reader *data)
{
	const char *msg = (const char *)buf_cur(data);
	size_t mlen = buf_remaining(data);
	const char *user = mschap_strip_domain(p->name);
	int r = PK_OK;

	if (p->auth.state != AUTH_WAIT_RESULT || id != p->auth.id)
		return PK_ERR_STATE;
	switch (p->auth.method) {
	case PK_AUTH_MSCHAPV2:
		/* RFC 2759 §5: the peer MUST verify S= and end the session
		 * if it is missing or wrong. */
		if (mschapv2_check_authenticator_response(p->password,
		    p->auth.nt_response, p->auth.peer_challenge,
		    p->auth.challenge, user, mlen > 0 ? msg : "", mlen) != 0) {
			ppp_auth_failed(p, PK_ERR_AUTH, "server failed mutual "
			    "authentication: bad or missing S= authenticator "
			    "response; refusing the server");
			return PK_ERR_AUTH;
		}
		r = mppe_keys_mschapv2(p->password, p->auth.nt_response, 0,
		    p->send_key, p->recv_key);
		break;
	case PK_AUTH_MSCHAPV1:
		r = mppe_keys_mschapv1(p->password, p->auth.challenge,
		    p->send_key, p->recv_key);
		break;
	default:
		ppp_auth_succeeded(p);
		return PK_OK;
	}
	if (r != 0) {
		ppp_auth_failed(p, PK_ERR_CRYPTO, "MPPE key derivation failed");
		return r;
	}
	p->have_keys = 1;
	ppp_auth_succeeded(p);
	return PK_OK;
}

static int
client_failure(struct ppp *p, uint8_t id, struct buf_reader *data)
{
	char msg[AUTH_MESSAGE_MAX + 1];
	struct mschap_failure f;

	if (p->auth.state != AUTH_WAIT_RESULT || id != p->auth.id)
		return PK_ERR_STATE;
	ppp_printable(msg, sizeof(msg), buf_cur(data), buf_remaining(data));
	/* RFC 2759 §6: we never retry (R=1) nor change passwords (E=648);
	 * the message is reported as the server wrote it. */
	if (is_mschap(p) && mschap_parse_failure((const char *)buf_cur(data),
	    buf_remaining(data), &f) == 0 && f.retry)
		pk_log(PK_LOG_INFO, p->log_ctx, "CHAP: server allows a "
		    "retry; not retrying with the same password");
	ppp_auth_failed(p, PK_ERR_AUTH, "authentication rejected by server: "
	    "%s", msg[0] != '\0' ? msg : "(no message)");
	return PK_OK;
}

int
chap_input(struct ppp *p, const uint8_t *pkt, size_t len)
{
	struct buf_reader data;
	uint8_t code, id;
	int r;

	if ((r = ppp_ctl_parse(pkt, len, &code, &id, &data)) != 0) {
		ppp_log_rl(p, PK_LOG_NOTICE, "CHAP: malformed packet "
		    "discarded");
		return r;
	}
	if (p->cfg.is_server) {
		switch (code) {
		case CHAP_RESPONSE:
			return server_response(p, id, &data);
		case CHAP_CHANGEPW1:
		case CHAP_CHANGEPW2:
		case CHAP_CHANGEPW3:
			return server_changepw(p, code, id);
		default:
			break;
		}
	} else {
		switch (code) {
		case CHAP_CHALLENGE:
			return client_challenge(p, id, &data);
		case CHAP_SUCCESS:
			return client_success(p, id, &data);
		case CHAP_FAILURE:
			return client_failure(p, id, &data);
		default:
			break;
		}
	}
	ppp_log_rl(p, PK_LOG_NOTICE, "CHAP: unexpected code %u discarded",
	    code);
	return PK_ERR_TYPE;
}
