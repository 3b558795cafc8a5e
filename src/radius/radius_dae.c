/*
 * radius_dae.c - Disconnect-Request / CoA-Request parsing, session
 * matching, ACK/NAK encoding and the answer cache (RFC 5176; see
 * radius_dae.h).
 *
 * What a request may hold (RFC 5176 §3.6): NAS identification
 * (NAS-IP-Address, NAS-Identifier, NAS-IPv6-Address), session
 * identification, Proxy-State, Event-Timestamp, Message-Authenticator;
 * a CoA-Request also State and the authorisation changes. Anything else
 * - including a change we cannot make - gets a NAK with Error-Cause 401
 * (Unsupported-Attribute), never a partial ACK.
 */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "crypto/crypto.h"
#include "radius/radius_dae.h"

static void
nak(struct radius_dae_request *req, uint32_t cause, const char *fmt,
    const char *what)
{
	if (req->error_cause != 0)
		return;		/* the first problem is the one reported */
	req->error_cause = cause;
	snprintf(req->error_text, sizeof(req->error_text), fmt, what);
}

static void
keep_opaque(struct radius_dae_opaque *o, const struct radius_attr *a)
{
	o->len = (uint8_t)a->len;
	if (a->len > 0)
		memcpy(o->data, a->value, a->len);
}

/* A text identifier: at most once, printable-safe, must fit. */
static void
ident_text(struct radius_dae_request *req, const struct radius_attr *a,
    int *has, char *dst, size_t cap, const char *what)
{
	if (*has) {
		nak(req, RADIUS_ERROR_INVALID_REQUEST, "%s given twice", what);
		return;
	}
	if (a->len == 0 || radius_attr_text(a, dst, cap) != 0) {
		nak(req, RADIUS_ERROR_INVALID_ATTRIBUTE_VALUE, "bad %s",
		    what);
		return;
	}
	*has = 1;
}

static void
ident_u32(struct radius_dae_request *req, const struct radius_attr *a,
    int *has, uint32_t *v, const char *what)
{
	if (*has) {
		nak(req, RADIUS_ERROR_INVALID_REQUEST, "%s given twice", what);
		return;
	}
	if (radius_attr_u32(a, v) != 0) {
		nak(req, RADIUS_ERROR_INVALID_ATTRIBUTE_VALUE, "bad %s",
		    what);
		return;
	}
	*has = 1;
}

/* NAS identification: the request must be meant for us (§3, 403). */
static void
nas_ident(struct radius_dae_request *req, const struct radius_attr *a,
    const struct radius_dae_config *cfg)
{
	char text[RADIUS_TEXT_MAX + 1];
	uint32_t ip;

	switch (a->type) {
	case RADIUS_ATTR_NAS_IP_ADDRESS:
		if (radius_attr_u32(a, &ip) != 0)
			nak(req, RADIUS_ERROR_INVALID_ATTRIBUTE_VALUE, "bad %s",
			    "NAS-IP-Address");
		else if (ip != cfg->nas.ip)
			nak(req, RADIUS_ERROR_NAS_ID_MISMATCH, "%s is not "
			    "ours", "NAS-IP-Address");
		break;
	case RADIUS_ATTR_NAS_IDENTIFIER:
		if (radius_attr_text(a, text, sizeof(text)) != 0)
			nak(req, RADIUS_ERROR_INVALID_ATTRIBUTE_VALUE, "bad %s",
			    "NAS-Identifier");
		else if (strcmp(text, cfg->nas.identifier) != 0)
			nak(req, RADIUS_ERROR_NAS_ID_MISMATCH, "%s is not "
			    "ours", "NAS-Identifier");
		break;
	default:
		/* NAS-IPv6-Address: we have none to match. */
		nak(req, RADIUS_ERROR_NAS_ID_MISMATCH, "%s is not ours",
		    "NAS-IPv6-Address");
		break;
	}
}

/* Returns 1 if a is a session identification attribute (handled). */
static int
session_ident(struct radius_dae_request *req, const struct radius_attr *a)
{
	switch (a->type) {
	case RADIUS_ATTR_USER_NAME:
		ident_text(req, a, &req->has_user, req->user,
		    sizeof(req->user), "User-Name");
		return 1;
	case RADIUS_ATTR_ACCT_SESSION_ID:
		ident_text(req, a, &req->has_session_id, req->acct_session_id,
		    sizeof(req->acct_session_id), "Acct-Session-Id");
		return 1;
	case RADIUS_ATTR_ACCT_MULTI_SESSION_ID:
		ident_text(req, a, &req->has_multi_session_id,
		    req->multi_session_id, sizeof(req->multi_session_id),
		    "Acct-Multi-Session-Id");
		return 1;
	case RADIUS_ATTR_CALLING_STATION_ID:
		ident_text(req, a, &req->has_calling, req->calling_station_id,
		    sizeof(req->calling_station_id), "Calling-Station-Id");
		return 1;
	case RADIUS_ATTR_CALLED_STATION_ID:
		ident_text(req, a, &req->has_called, req->called_station_id,
		    sizeof(req->called_station_id), "Called-Station-Id");
		return 1;
	case RADIUS_ATTR_FRAMED_IP_ADDRESS:
		ident_u32(req, a, &req->has_framed_ip, &req->framed_ip,
		    "Framed-IP-Address");
		return 1;
	case RADIUS_ATTR_NAS_PORT:
		ident_u32(req, a, &req->has_nas_port, &req->nas_port,
		    "NAS-Port");
		return 1;
	}
	return 0;
}

/* The changes a CoA-Request may ask for (RFC 5176 §2.2). */
static int
is_coa_change(const struct radius_attr *a)
{
	if (a->vendor == 0)
		return a->type == RADIUS_ATTR_SESSION_TIMEOUT ||
		    a->type == RADIUS_ATTR_IDLE_TIMEOUT ||
		    a->type == RADIUS_ATTR_ACCT_INTERIM_INTERVAL;
	if (a->vendor == RADIUS_VENDOR_WISPR)
		return a->vtype == RADIUS_WISPR_BANDWIDTH_MAX_UP ||
		    a->vtype == RADIUS_WISPR_BANDWIDTH_MAX_DOWN;
	return a->vendor == RADIUS_VENDOR_MIKROTIK &&
	    a->vtype == RADIUS_MIKROTIK_RATE_LIMIT;
}

static void
one_attr(struct radius_dae_request *req, const struct radius_attr *a,
    const struct radius_dae_config *cfg, int coa, uint32_t *timestamp,
    int *has_timestamp)
{
	const char *what;
	uint32_t v;

	if (a->vendor == 0) {
		switch (a->type) {
		case RADIUS_ATTR_MESSAGE_AUTHENTICATOR:
			return;		/* checked already */
		case RADIUS_ATTR_PROXY_STATE:
			if (req->n_proxy_state == RADIUS_DAE_PROXY_STATE_MAX) {
				nak(req, RADIUS_ERROR_RESOURCES_UNAVAILABLE,
				    "%s", "too many Proxy-State attributes");
				return;
			}
			keep_opaque(&req->proxy_state[req->n_proxy_state++],
			    a);
			return;
		case RADIUS_ATTR_EVENT_TIMESTAMP:
			if (radius_attr_u32(a, timestamp) != 0)
				nak(req, RADIUS_ERROR_INVALID_ATTRIBUTE_VALUE,
				    "bad %s", "Event-Timestamp");
			else
				*has_timestamp = 1;
			return;
		case RADIUS_ATTR_NAS_IP_ADDRESS:
		case RADIUS_ATTR_NAS_IDENTIFIER:
		case RADIUS_ATTR_NAS_IPV6_ADDRESS:
			nas_ident(req, a, cfg);
			return;
		case RADIUS_ATTR_STATE:
			/* §3.3: at most one, CoA only, echoed. */
			if (!coa || req->has_state)
				break;
			req->has_state = 1;
			keep_opaque(&req->state, a);
			return;
		case RADIUS_ATTR_SERVICE_TYPE:
			/* §3.2: Authorize Only is optional; we do not
			 * support it (405). Not allowed in a Disconnect. */
			if (!coa)
				break;
			if (radius_attr_u32(a, &v) == 0 &&
			    v == RADIUS_SERVICE_AUTHORIZE_ONLY)
				nak(req, RADIUS_ERROR_UNSUPPORTED_SERVICE, "%s",
				    "Service-Type Authorize-Only");
			else
				nak(req, RADIUS_ERROR_UNSUPPORTED_ATTRIBUTE,
				    "%s", "Service-Type");
			return;
		}
		if (session_ident(req, a))
			return;
	}
	if (coa && is_coa_change(a)) {
		if (radius_session_attr(&req->changes, a, &what) < 0)
			nak(req, RADIUS_ERROR_INVALID_ATTRIBUTE_VALUE,
			    "bad %s", what);
		return;
	}
	/* §3: a Disconnect-Request holds only identification; anything a
	 * CoA asks that we cannot do is refused as a whole. */
	{
		char what_buf[48];

		if (a->vendor != 0)
			snprintf(what_buf, sizeof(what_buf), "%u:%u",
			    a->vendor, a->vtype);
		else
			snprintf(what_buf, sizeof(what_buf), "%u", a->type);
		nak(req, RADIUS_ERROR_UNSUPPORTED_ATTRIBUTE,
		    "unsupported attribute %s", what_buf);
	}
}

int
radius_dae_parse(const uint8_t *data, size_t len, const uint8_t *secret,
    size_t secret_len, const struct radius_dae_config *cfg,
    uint32_t unix_now, struct radius_dae_request *req)
{
	static const uint8_t zero[RADIUS_AUTH_LEN];
	struct radius_packet p;
	struct radius_iter it;
	struct radius_attr a;
	uint32_t ts = 0;
	int has_ts = 0, coa, r;

	memset(req, 0, sizeof(*req));
	radius_session_attrs_init(&req->changes);
	if ((r = radius_packet_decode(data, len, &p)) != 0)
		return r;
	if (p.code != RADIUS_CODE_DISCONNECT_REQUEST &&
	    p.code != RADIUS_CODE_COA_REQUEST)
		return PK_ERR_TYPE;
	/* §3.4: the Message-Authenticator (computed over a zero
	 * authenticator) when present, and always the Request
	 * Authenticator, as for accounting (RFC 2866 §3). */
	r = radius_check_ma(&p, zero, secret, secret_len);
	if (r == PK_ERR_AUTH)
		return PK_ERR_AUTH;
	if (r == PK_ERR_NOT_FOUND && cfg->require_ma)
		return PK_ERR_POLICY;
	if (radius_check_request_auth(&p, secret, secret_len) != 0)
		return PK_ERR_AUTH;
	req->code = p.code;
	req->id = p.id;
	memcpy(req->auth, p.auth, sizeof(req->auth));
	coa = p.code == RADIUS_CODE_COA_REQUEST;
	radius_iter_init(&it, &p);
	while (radius_iter_next(&it, &a))
		one_attr(req, &a, cfg, coa, &ts, &has_ts);
	if (has_ts && cfg->event_window_s != 0 &&
	    (ts > unix_now ? ts - unix_now : unix_now - ts) >
	    cfg->event_window_s)
		return PK_ERR_LATE;
	if (!has_ts && cfg->require_timestamp)
		return PK_ERR_POLICY;
	if (!req->has_user && !req->has_session_id &&
	    !req->has_multi_session_id && !req->has_framed_ip &&
	    !req->has_calling && !req->has_nas_port)
		nak(req, RADIUS_ERROR_MISSING_ATTRIBUTE, "%s",
		    "no session identification");
	return PK_OK;
}

int
radius_dae_matches(const struct radius_dae_request *req,
    const struct radius_call *call, const char *multi_session_id,
    uint32_t framed_ip)
{
	if (req->has_user && strcmp(req->user, call->user) != 0)
		return 0;
	if (req->has_session_id &&
	    strcmp(req->acct_session_id, call->acct_session_id) != 0)
		return 0;
	if (req->has_multi_session_id && (multi_session_id == NULL ||
	    strcmp(req->multi_session_id, multi_session_id) != 0))
		return 0;
	if (req->has_framed_ip && req->framed_ip != framed_ip)
		return 0;
	if (req->has_calling &&
	    strcmp(req->calling_station_id, call->calling_station_id) != 0)
		return 0;
	if (req->has_called &&
	    strcmp(req->called_station_id, call->called_station_id) != 0)
		return 0;
	if (req->has_nas_port && req->nas_port != call->nas_port)
		return 0;
	return 1;
}

int
radius_dae_reply(struct buf_writer *w, const struct radius_dae_request *req,
    int ack, uint32_t error_cause, const uint8_t *secret, size_t secret_len)
{
	uint8_t code;
	int r;

	if (req->code == RADIUS_CODE_DISCONNECT_REQUEST)
		code = ack ? RADIUS_CODE_DISCONNECT_ACK :
		    RADIUS_CODE_DISCONNECT_NAK;
	else if (req->code == RADIUS_CODE_COA_REQUEST)
		code = ack ? RADIUS_CODE_COA_ACK : RADIUS_CODE_COA_NAK;
	else
		return PK_ERR_ARG;
	if ((r = radius_enc_begin(w, code, req->id, req->auth)) != 0 ||
	    (r = radius_put_ma(w)) != 0)
		return r;
	if (!ack && error_cause != 0 && (r = radius_put_u32(w,
	    RADIUS_ATTR_ERROR_CAUSE, error_cause)) != 0)
		return r;
	if (req->has_state && (r = radius_put_attr(w, RADIUS_ATTR_STATE,
	    req->state.data, req->state.len)) != 0)
		return r;
	for (size_t i = 0; i < req->n_proxy_state; i++)
		if ((r = radius_put_attr(w, RADIUS_ATTR_PROXY_STATE,
		    req->proxy_state[i].data, req->proxy_state[i].len)) != 0)
			return r;
	return radius_enc_finish(w, secret, secret_len, req->auth);
}

/* ---- answer cache -------------------------------------------------------- */

void
radius_dae_cache_init(struct radius_dae_cache *c, uint32_t ttl_ms)
{
	memset(c, 0, sizeof(*c));
	c->ttl_ms = ttl_ms;
}

int
radius_dae_cache_find(const struct radius_dae_cache *c, uint64_t client,
    const struct radius_dae_request *req, uint64_t now, const uint8_t **reply,
    size_t *len)
{
	for (size_t i = 0; i < PK_RADIUS_DAE_CACHE; i++) {
		const struct radius_dae_cache_entry *e = &c->e[i];

		if (e->len == 0 || e->expires <= now || e->client != client ||
		    e->id != req->id ||
		    !crypto_memeq(e->auth, req->auth, RADIUS_AUTH_LEN))
			continue;
		*reply = e->reply;
		*len = e->len;
		return 1;
	}
	return 0;
}

void
radius_dae_cache_store(struct radius_dae_cache *c, uint64_t client,
    const struct radius_dae_request *req, uint64_t now, const uint8_t *reply,
    size_t len)
{
	struct radius_dae_cache_entry *e;

	if (len == 0 || len > RADIUS_DAE_CACHE_REPLY_MAX)
		return;
	e = &c->e[c->next];
	c->next = (c->next + 1) % PK_RADIUS_DAE_CACHE;
	e->client = client;
	e->expires = now + c->ttl_ms;
	e->id = req->id;
	memcpy(e->auth, req->auth, RADIUS_AUTH_LEN);
	memcpy(e->reply, reply, len);
	e->len = (uint16_t)len;
}
