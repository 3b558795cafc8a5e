/*
 * pap.c - the Password Authentication Protocol (RFC 1334 §2) in both
 * roles. The authenticator hands the name and password to its owner
 * (PPP_EV_AUTH_REQUEST) and answers with what ppp_auth_complete() says;
 * the peer repeats its Authenticate-Request until answered.
 *
 * Timers: peer, retransmission every restart interval (Max-Configure
 * times); both, the whole exchange within auth_timeout_ms (ppp.c).
 */
#include <string.h>

#include "core/escape.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/rand.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

/* Peer: one Authenticate-Request, a new Identifier each time (§2.2.1). */
static void
send_request(struct ppp *p)
{
	uint8_t data[2 + PK_PPP_NAME_MAX + PK_PPP_SECRET_MAX];
	size_t nlen = strlen(p->name), plen = strlen(p->password);
	struct buf_writer w;

	buf_writer_init(&w, data, sizeof(data));
	buf_put_u8(&w, (uint8_t)nlen);
	buf_put_bytes(&w, p->name, nlen);
	buf_put_u8(&w, (uint8_t)plen);
	buf_put_bytes(&w, p->password, plen);
	p->auth.id++;
	if (w.err == 0)
		ppp_output_ctl(p, PPP_PROTO_PAP, PAP_AUTHREQ, p->auth.id, data,
		    w.len);
	crypto_wipe(data, sizeof(data));
	p->auth.retry_at = p->now + p->cfg.restart_ms;
}

void
pap_start(struct ppp *p)
{
	p->auth.state = AUTH_STARTED;
	if (p->cfg.is_server)
		return;		/* the peer speaks first (§2.2.1) */
	if (strlen(p->name) > 255 || strlen(p->password) > 255) {
		ppp_auth_failed(p, PK_ERR_CONFIG, "PAP cannot carry a name or "
		    "password longer than 255 bytes");
		return;
	}
	p->auth.retries = p->cfg.max_configure;
	p->auth.id = (uint8_t)pk_rand_u32();
	send_request(p);
	p->auth.state = AUTH_WAIT_RESULT;
}

void
pap_timeout(struct ppp *p)
{
	if (p->cfg.is_server || p->auth.state != AUTH_WAIT_RESULT ||
	    p->auth.retry_at > p->now)
		return;
	if (p->auth.retries <= 1) {
		p->auth.retry_at = PK_TIME_NEVER;
		ppp_auth_failed(p, PK_ERR_TIMEOUT, "authentication failed: no "
		    "answer to PAP Authenticate-Request");
		return;
	}
	p->auth.retries--;
	send_request(p);
}

/* Authenticate-Ack/Nak: Msg-Length, Message (§2.2.2). */
static void
send_reply(struct ppp *p, uint8_t code, uint8_t id, const char *msg)
{
	size_t mlen = strlen(msg);
	struct buf_writer w;

	if (mlen > 255)
		mlen = 255;
	buf_writer_init(&w, p->auth.last, sizeof(p->auth.last));
	buf_put_u8(&w, code);
	buf_put_u8(&w, id);
	buf_put_u16(&w, (uint16_t)(PPP_HDR_LEN + 1 + mlen));
	buf_put_u8(&w, (uint8_t)mlen);
	buf_put_bytes(&w, msg, mlen);
	p->auth.last_len = w.err == 0 ? w.len : 0;
	p->auth.last_proto = PPP_PROTO_PAP;
	ppp_output(p, PPP_PROTO_PAP, p->auth.last, p->auth.last_len);
}

static int
server_request(struct ppp *p, uint8_t id, struct buf_reader *data)
{
	struct auth_request *req = &p->auth.req;
	const uint8_t *name, *pw;
	char who[PK_EVENT_TEXT_MAX];
	uint8_t nlen, plen;
	int r;

	if ((r = buf_get_u8(data, &nlen)) != 0 ||
	    (r = buf_get_ptr(data, &name, nlen)) != 0 ||
	    (r = buf_get_u8(data, &plen)) != 0 ||
	    (r = buf_get_ptr(data, &pw, plen)) != 0) {
		ppp_log_rl(p, PK_LOG_NOTICE, "PAP: truncated "
		    "Authenticate-Request discarded");
		return r;
	}
	if (memchr(name, 0, nlen) != NULL) {
		ppp_log_rl(p, PK_LOG_NOTICE, "PAP: peer name with NUL "
		    "discarded");
		return PK_ERR_VALUE;
	}
	switch (p->auth.state) {
	case AUTH_DONE:
	case AUTH_FAILED:
		/* §2.2.1 note: repeat the same answer, for the new id. */
		if (p->auth.last_len > 0)
			send_reply(p, p->auth.state == AUTH_DONE ?
			    PAP_AUTHACK : PAP_AUTHNAK, id,
			    p->auth.state == AUTH_DONE ? "" :
			    "Authentication failed");
		return PK_OK;
	case AUTH_WAIT_OWNER:
		p->auth.id = id;	/* answer the latest retransmission */
		return PK_OK;
	case AUTH_STARTED:
		break;
	default:
		return PK_ERR_STATE;
	}
	memset(req, 0, sizeof(*req));
	req->method = PK_AUTH_PAP;
	memcpy(req->user, name, nlen);
	if (!ppp_auth_user_ok(p, req->user)) {
		/* Re-authentication after LCP renegotiation: the session
		 * belongs to the first user. */
		p->auth.id = id;
		send_reply(p, PAP_AUTHNAK, id, "Another user");
		ppp_auth_failed(p, PK_ERR_AUTH, "re-authentication as "
		    "\"%s\" refused: the link belongs to \"%s\"", req->user,
		    p->peer_name);
		memset(req, 0, sizeof(*req));
		return PK_ERR_AUTH;
	}
	req->chap_id = id;
	memcpy(req->response, pw, plen);
	req->response_len = plen;
	p->auth.id = id;
	p->auth.state = AUTH_WAIT_OWNER;
	memcpy(p->peer_name, req->user, sizeof(p->peer_name));
	/* Peer text reaches logs printable only (core/escape.h). */
	ppp_event(p, PPP_EV_AUTH_REQUEST, 0, req, sizeof(*req),
	    "PAP authentication request from \"%s\"",
	    pk_escape(who, sizeof(who), req->user));
	/* The event holds its own copy; keep no password here. */
	crypto_wipe(req->response, sizeof(req->response));
	return PK_OK;
}

static int
client_reply(struct ppp *p, uint8_t code, uint8_t id,
    struct buf_reader *data)
{
	char msg[AUTH_MESSAGE_MAX + 1];
	uint8_t mlen = 0;
	const uint8_t *m = NULL;

	if (p->auth.state != AUTH_WAIT_RESULT || id != p->auth.id)
		return PK_ERR_STATE;
	/* A short or missing message is tolerated: the code decides. */
	if (buf_get_u8(data, &mlen) != 0 ||
	    buf_get_ptr(data, &m, mlen) != 0)
		mlen = 0;
	ppp_printable(msg, sizeof(msg), m, mlen);
	p->auth.retry_at = PK_TIME_NEVER;
	if (code == PAP_AUTHACK) {
		ppp_auth_succeeded(p);
		return PK_OK;
	}
	ppp_auth_failed(p, PK_ERR_AUTH, "authentication rejected by server: "
	    "%s", msg[0] != '\0' ? msg : "(no message)");
	return PK_OK;
}

int
pap_input(struct ppp *p, const uint8_t *pkt, size_t len)
{
	struct buf_reader data;
	uint8_t code, id;
	int r;

	if ((r = ppp_ctl_parse(pkt, len, &code, &id, &data)) != 0) {
		ppp_log_rl(p, PK_LOG_NOTICE, "PAP: malformed packet "
		    "discarded");
		return r;
	}
	if (code == PAP_AUTHREQ && p->cfg.is_server)
		return server_request(p, id, &data);
	if ((code == PAP_AUTHACK || code == PAP_AUTHNAK) && !p->cfg.is_server)
		return client_reply(p, code, id, &data);
	ppp_log_rl(p, PK_LOG_NOTICE, "PAP: unexpected code %u discarded",
	    code);
	return PK_ERR_TYPE;
}

int
pap_complete(struct ppp *p, const struct auth_result *res)
{
	if (res->ok) {
		send_reply(p, PAP_AUTHACK, p->auth.id, res->message);
		ppp_auth_succeeded(p);
	} else {
		send_reply(p, PAP_AUTHNAK, p->auth.id,
		    res->message[0] != '\0' ? res->message :
		    "Authentication failed");
		char who[PK_EVENT_TEXT_MAX];

		ppp_auth_failed(p, PK_ERR_AUTH, "authentication failed for "
		    "user \"%s\" (pap)",
		    pk_escape(who, sizeof(who), p->peer_name));
	}
	return PK_OK;
}
