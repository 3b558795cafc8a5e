/*
 * tunnel.c - a PPTP endpoint: the control connection, its calls and their
 * sessions, with the owner-facing events of tunnel.h.
 *
 * Each layer's results land in a scratch list first and are translated
 * here: control bytes and GRE packets pass through, IP packets get their
 * call's ID as tag, and the layers' events drive the others (a call that
 * comes up gets a session; a PPP link that goes down clears its call; a
 * call that is cleared takes its PPP link down). Handling one event may
 * call into the control connection again, whose results are translated
 * one level deeper; the nesting is bounded by the protocol (a Call-Clear
 * leads to a Call-Disconnect, which leads to nothing), and by
 * SCRATCH_DEPTH.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "engine/tunnel.h"
#include "gre/gre.h"

#define SCRATCH_DEPTH 8

struct tunnel_call {
	int used;
	uint16_t call_id;
	uint16_t peer_call_id;
	struct session *sess;
	int up;
	struct ppp_up_info info;
	int ppp_down;		/* PPP_EV_DOWN seen */
	int ctrl_gone;		/* the call is over on the control side */
	int clearing;		/* we asked the control side to end it */
	int down_code;
	char down_reason[PK_EVENT_TEXT_MAX];
	uint64_t started;
	char log_ctx[160];
};

struct tunnel {
	struct tunnel_config cfg;
	struct pptp_ctrl *ctrl;
	struct tunnel_call calls[PK_CTRL_CALLS_MAX];
	int closed;
	char local_name[PK_PPP_NAME_MAX + 1];
	char password[PK_PPP_SECRET_MAX + 1];
	struct pk_ratelimit rl;
};

static struct pk_out scratch[SCRATCH_DEPTH];
static int scratch_used;

static struct pk_out *
scratch_take(void)
{
	struct pk_out *o;

	if (scratch_used >= SCRATCH_DEPTH) {
		/* The protocol bounds the nesting well below this. */
		pk_log(PK_LOG_ERR, NULL, "tunnel: scratch depth exceeded");
		abort();
	}
	o = &scratch[scratch_used++];
	out_reset(o);
	return o;
}

/* Allocates every level once, so scratch_take() cannot fail later. */
static int
scratch_init(void)
{
	for (size_t i = 0; i < SCRATCH_DEPTH; i++)
		if (scratch[i].arena == NULL &&
		    out_init(&scratch[i], PK_OUT_ARENA, PK_OUT_ITEMS) != 0)
			return PK_ERR_NOMEM;
	return PK_OK;
}

static void
scratch_give(struct pk_out *o)
{
	out_reset(o);
	scratch_used--;
}

void
tunnel_config_default(struct tunnel_config *cfg, int role)
{
	memset(cfg, 0, sizeof(*cfg));
	pptp_ctrl_config_default(&cfg->ctrl, role);
	ppp_config_default(&cfg->ppp);
	cfg->ppp.is_server = role == PPTP_ROLE_PAC;
	cfg->mss_clamp = 1;
	cfg->mtu = 1400;
	cfg->auto_call = role == PPTP_ROLE_PNS;
}

const char *
tunnel_event_name(int type)
{
	static const char *const names[] = {
		"?", "ctrl-up", "call-request", "call-up", "auth-request",
		"auth-ok", "auth-failed", "up", "ipv6-up", "call-down",
		"closed",
	};

	if (type < 0 || type > TUNNEL_EV_CLOSED)
		return "?";
	return names[type];
}

int
tunnel_new(struct tunnel **tp, const struct tunnel_config *cfg, uint64_t now)
{
	struct tunnel *t;
	int r;

	*tp = NULL;
	if (scratch_init() != 0 || (t = calloc(1, sizeof(*t))) == NULL)
		return PK_ERR_NOMEM;
	t->cfg = *cfg;
	snprintf(t->cfg.ctrl.log_ctx, sizeof(t->cfg.ctrl.log_ctx), "%s",
	    cfg->log_ctx);
	/* The template's strings are the caller's; keep our own copies. */
	if (cfg->ppp.local_name != NULL)
		snprintf(t->local_name, sizeof(t->local_name), "%s",
		    cfg->ppp.local_name);
	if (cfg->ppp.password != NULL)
		snprintf(t->password, sizeof(t->password), "%s",
		    cfg->ppp.password);
	t->cfg.ppp.local_name = t->local_name;
	t->cfg.ppp.password = cfg->ppp.password != NULL ? t->password : NULL;
	pk_ratelimit_init(&t->rl, 10000, 5);
	if ((r = pptp_ctrl_new(&t->ctrl, &t->cfg.ctrl, now)) != 0) {
		tunnel_free(t);
		return r;
	}
	*tp = t;
	return PK_OK;
}

void
tunnel_free(struct tunnel *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		session_free(t->calls[i].sess);
	pptp_ctrl_free(t->ctrl);
	crypto_wipe(t->password, sizeof(t->password));
	crypto_wipe(&t->cfg, sizeof(t->cfg));
	free(t);
}

static struct tunnel_call *
call_find(struct tunnel *t, uint16_t call_id)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (t->calls[i].used && t->calls[i].call_id == call_id)
			return &t->calls[i];
	return NULL;
}

static struct tunnel_call *
call_add(struct tunnel *t, uint16_t call_id, uint64_t now)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		struct tunnel_call *c = &t->calls[i];

		if (c->used)
			continue;
		memset(c, 0, sizeof(*c));
		c->used = 1;
		c->call_id = call_id;
		c->started = now;
		snprintf(c->log_ctx, sizeof(c->log_ctx), "%s call=%u",
		    t->cfg.log_ctx, call_id);
		return c;
	}
	return NULL;
}

static void
call_release(struct tunnel_call *c)
{
	session_free(c->sess);
	memset(c, 0, sizeof(*c));
}

static int process_ctrl(struct tunnel *t, uint64_t now, struct pk_out *co,
    struct pk_out *out);
static int process_session(struct tunnel *t, struct tunnel_call *c,
    uint64_t now, struct pk_out *so, struct pk_out *out);

/* Translates a control-connection call's results (in co, from
 * scratch_take()) and returns co; r is the call's own return value. */
static int
ctrl_done(struct tunnel *t, uint64_t now, struct pk_out *co, int r,
    struct pk_out *out)
{
	int e = process_ctrl(t, now, co, out);

	scratch_give(co);
	return r != 0 ? r : e;
}

/* The same for a session call; a dropped input (r) is reported unless
 * translating failed. */
static int
session_done(struct tunnel *t, struct tunnel_call *c, uint64_t now,
    struct pk_out *so, int r, struct pk_out *out)
{
	int e = process_session(t, c, now, so, out);

	scratch_give(so);
	return e != 0 ? e : r;
}

/* Carrier lost for one call's PPP link: Dead at once, nothing sent. */
static void
lower_down(struct tunnel *t, struct tunnel_call *c, uint64_t now,
    struct pk_out *out)
{
	struct pk_out *so = scratch_take();

	session_lower_down(c->sess, now, so);
	(void)session_done(t, c, now, so, 0, out);
}

static int
emit(struct pk_out *out, uint16_t type, int32_t code, uint32_t id,
    const void *payload, size_t len, const char *text)
{
	return out_event(out, EV_SRC_SESSION, type, code, id, payload, len,
	    "%s", text != NULL ? text : "");
}

/* Records why the call ends (its code and text), replacing any earlier
 * reason; callers that must not override one check down_reason first. */
static void __attribute__((format(printf, 3, 4)))
call_set_reason(struct tunnel_call *c, int code, const char *fmt, ...)
{
	va_list ap;

	c->down_code = code;
	va_start(ap, fmt);
	vsnprintf(c->down_reason, sizeof(c->down_reason), fmt, ap);
	va_end(ap);
}

/*
 * The call is over on the control side (or never existed there): take
 * its PPP link down if it still runs, tell the owner once, and free it.
 */
static int
end_call(struct tunnel *t, struct tunnel_call *c, uint64_t now, int code,
    const char *ctrl_text, struct pk_out *out)
{
	struct pk_out *co;
	uint16_t id = c->call_id;
	int r;

	c->ctrl_gone = 1;
	if (c->sess != NULL && !c->ppp_down) {
		/*
		 * The control side ended first: its reason is the reason,
		 * not PPP's "lower layer down" that follows from it; unless
		 * PPP already knew why (the peer's LCP Terminate-Request
		 * just before its TCP close).
		 */
		if (c->down_reason[0] == '\0') {
			if (session_pending_reason(c->sess, &c->down_code,
			    c->down_reason, sizeof(c->down_reason))) {
				/* The peer ending the link is orderly, not
				 * the control connection failing. */
				if (c->down_code == PK_ERR_CLOSED)
					c->down_code = PK_OK;
			} else if (ctrl_text != NULL)
				call_set_reason(c, code, "%s", ctrl_text);
		}
		lower_down(t, c, now, out);
	}
	/* PPP's reason ("authentication failed") says more than the
	 * control connection's ("call disconnected by peer"). */
	if (c->ppp_down)
		r = emit(out, TUNNEL_EV_CALL_DOWN, c->down_code, id, NULL, 0,
		    c->down_reason);
	else
		r = emit(out, TUNNEL_EV_CALL_DOWN, code, id, NULL, 0,
		    ctrl_text);
	call_release(c);
	if (t->cfg.auto_call && tunnel_call_count(t) == 0 && !t->closed &&
	    pptp_ctrl_state(t->ctrl) == PPTP_CTRL_ESTABLISHED) {
		/* MS-PTPT §3.3.4.2: a PNS with no calls left stops. */
		co = scratch_take();
		int e = ctrl_done(t, now, co, pptp_ctrl_stop(t->ctrl, now, PPTP_STOP_NONE, co), out);
		if (r == 0)
			r = e;
	}
	return r;
}

static int
start_session(struct tunnel *t, struct tunnel_call *c,
    const struct pptp_ev_call_up *up, uint64_t now, struct pk_out *out)
{
	struct pk_out *so;
	struct session_config sc;
	int r;

	memset(&sc, 0, sizeof(sc));
	sc.ppp = t->cfg.ppp;
	gre_chan_config_default(&sc.gre, up->local_call_id, up->peer_call_id);
	sc.gre.rwin = t->cfg.ctrl.recv_window;
	sc.gre.peer_rwin = up->peer_recv_window;
	sc.gre.peer_ppd = up->peer_processing_delay;
	sc.mss_clamp = t->cfg.mss_clamp;
	sc.mtu = t->cfg.mtu;
	sc.log_ctx = c->log_ctx;
	c->peer_call_id = up->peer_call_id;
	if ((r = session_new(&c->sess, &sc)) != 0)
		return r;
	so = scratch_take();
	return session_done(t, c, now, so, session_start(c->sess, now, so), out);
}

static int
handle_ctrl_event(struct tunnel *t, uint64_t now, const struct pk_out *src,
    size_t idx, struct pk_out *out)
{
	struct pk_out *co;
	struct pk_event ev;
	struct tunnel_call *c;
	int r;

	if ((r = out_get_event(src, idx, &ev)) != 0 ||
	    ev.source != EV_SRC_CTRL)
		return r;
	c = call_find(t, (uint16_t)ev.id);
	switch (ev.type) {
	case PPTP_EV_CTRL_UP: {
		struct pptp_ev_ctrl_up up;

		if ((r = out_event_payload(src, idx, &up, sizeof(up))) != 0 ||
		    (r = emit(out, TUNNEL_EV_CTRL_UP, 0, 0, &up, sizeof(up),
		    ev.text)) != 0)
			return r;
		if (t->cfg.auto_call)
			return tunnel_call_start(t, now, out);
		return PK_OK;
	}
	case PPTP_EV_CTRL_DOWN:
		/* Every call ended before this event (ctrl.h). */
		for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
			if (t->calls[i].used)
				(void)end_call(t, &t->calls[i], now, ev.code,
				    ev.text, out);
		t->closed = 1;
		return emit(out, TUNNEL_EV_CLOSED, ev.code, 0, NULL, 0,
		    ev.text);
	case PPTP_EV_CALL_REQUEST: {
		struct pptp_ev_call_request req;

		if ((r = out_event_payload(src, idx, &req, sizeof(req))) != 0)
			return r;
		if (c == NULL && (c = call_add(t, (uint16_t)ev.id, now)) ==
		    NULL)
			return PK_ERR_FULL;
		c->peer_call_id = req.peer_call_id;
		return emit(out, TUNNEL_EV_CALL_REQUEST, 0, ev.id, &req,
		    sizeof(req), ev.text);
	}
	case PPTP_EV_CALL_UP: {
		struct pptp_ev_call_up up;

		if ((r = out_event_payload(src, idx, &up, sizeof(up))) != 0)
			return r;
		if (c == NULL && (c = call_add(t, (uint16_t)ev.id, now)) ==
		    NULL)
			return PK_ERR_FULL;
		if ((r = emit(out, TUNNEL_EV_CALL_UP, 0, ev.id, &up,
		    sizeof(up), ev.text)) != 0)
			return r;
		if ((r = start_session(t, c, &up, now, out)) != 0 &&
		    r != PK_ERR_FULL) {
			/* No memory for the session: clear the call. */
			call_set_reason(c, r, "cannot start the session: %s",
			    pk_strerror(r));
			c->ppp_down = 1;
			co = scratch_take();
			(void)ctrl_done(t, now, co, t->cfg.ctrl.role ==
			    PPTP_ROLE_PAC ? pptp_ctrl_call_disconnect(t->ctrl,
			    now, ev.id, PPTP_CDN_GENERAL_ERROR, 0, 0, NULL, co) :
			    pptp_ctrl_call_clear(t->ctrl, now, ev.id, co), out);
		}
		return r;
	}
	case PPTP_EV_CALL_FAILED:
	case PPTP_EV_CALL_DOWN: {
		struct pptp_ev_call_end end;
		char text[PK_EVENT_TEXT_MAX];

		if (c == NULL)
			return PK_OK;
		/* A peer's CDN may say why in its Call Statistics text (ours
		 * do): "MPPE required but peer refused ...". */
		snprintf(text, sizeof(text), "%s", ev.text);
		if (out_event_payload(src, idx, &end, sizeof(end)) == 0 &&
		    end.origin == PPTP_END_PEER && end.stats[0] != '\0')
			snprintf(text, sizeof(text), "peer ended the call: %.*s",
			    PK_EVENT_TEXT_MAX - 30, end.stats);
		return end_call(t, c, now, ev.code, text, out);
	}
	case PPTP_EV_CALL_CLEAR_REQUESTED:
		if (c != NULL && c->sess != NULL && !c->ppp_down) {
			call_set_reason(c, PK_OK,
			    "call cleared by peer (Call-Clear-Request)");
			lower_down(t, c, now, out);
		}
		co = scratch_take();
		return ctrl_done(t, now, co, pptp_ctrl_call_disconnect(t->ctrl,
		    now, (uint16_t)ev.id, PPTP_CDN_REQUEST, 0, 0, NULL, co), out);
	case PPTP_EV_SET_LINK_INFO:
	case PPTP_EV_WAN_ERROR:
		/* ACCMs mean nothing on GRE (no async framing), and a PNS
		 * ignores WAN errors (MS-PTPT §3.2.5.6). */
		pk_log(PK_LOG_DEBUG, t->cfg.log_ctx, "%s: %s",
		    pptp_ctrl_event_name(ev.type), ev.text);
		return PK_OK;
	}
	return PK_OK;
}

static int
process_ctrl(struct tunnel *t, uint64_t now, struct pk_out *co,
    struct pk_out *out)
{
	int r = PK_OK, e;

	for (size_t i = 0; i < co->n_items; i++) {
		const struct out_item *it = out_item(co, i);

		if (it->kind == OUT_EVENT)
			e = handle_ctrl_event(t, now, co, i, out);
		else
			e = out_copy_item(out, co, i);
		if (e != 0 && r == 0)
			r = e;
	}
	return r;
}

/* PPP went down by itself (or by our close): clear the call. */
static int
ppp_went_down(struct tunnel *t, struct tunnel_call *c, uint64_t now,
    struct pk_out *out)
{
	struct pk_out *co;
	uint8_t result;

	if (c->ctrl_gone || c->clearing)
		return PK_OK;
	c->clearing = 1;
	if (t->cfg.ctrl.role == PPTP_ROLE_PNS) {
		co = scratch_take();
		return ctrl_done(t, now, co, pptp_ctrl_call_clear(t->ctrl, now,
		    c->call_id, co), out);
	}
	/* RFC 2637 §2.13: "lost carrier" for a link that died, "admin
	 * shutdown" for one we or the peer ended on purpose. */
	result = c->down_code == PK_ERR_TIMEOUT ? PPTP_CDN_LOST_CARRIER :
	    PPTP_CDN_ADMIN_SHUTDOWN;
	co = scratch_take();
	return ctrl_done(t, now, co, pptp_ctrl_call_disconnect(t->ctrl, now,
	    c->call_id, result, 0, 0, c->down_reason, co), out);
}

static int
handle_ppp_event(struct tunnel *t, struct tunnel_call *c, uint64_t now,
    const struct pk_out *so, size_t idx, struct pk_out *out)
{
	struct pk_event ev;
	int r;

	if ((r = out_get_event(so, idx, &ev)) != 0)
		return r;
	if (ev.source != EV_SRC_PPP)
		return out_copy_item(out, so, idx);
	switch (ev.type) {
	case PPP_EV_AUTH_REQUEST: {
		struct auth_request req;

		if ((r = out_event_payload(so, idx, &req, sizeof(req))) != 0)
			return r;
		r = emit(out, TUNNEL_EV_AUTH_REQUEST, 0, c->call_id, &req,
		    sizeof(req), ev.text);
		crypto_wipe(&req, sizeof(req));
		return r;
	}
	case PPP_EV_AUTH_OK:
		return emit(out, TUNNEL_EV_AUTH_OK, 0, c->call_id, NULL, 0,
		    ev.text);
	case PPP_EV_AUTH_FAILED:
		/* The most useful reason the call can end with. */
		if (c->down_reason[0] == '\0')
			call_set_reason(c, ev.code, "%s", ev.text);
		return emit(out, TUNNEL_EV_AUTH_FAILED, ev.code, c->call_id,
		    NULL, 0, ev.text);
	case PPP_EV_UP:
	case PPP_EV_IPV6_UP:
		if ((r = out_event_payload(so, idx, &c->info,
		    sizeof(c->info))) != 0)
			return r;
		c->up = 1;
		return emit(out, ev.type == PPP_EV_UP ? TUNNEL_EV_UP :
		    TUNNEL_EV_IPV6_UP, 0, c->call_id, &c->info,
		    sizeof(c->info), ev.text);
	case PPP_EV_DOWN:
		c->ppp_down = 1;
		/* Keep a reason (and its code) set earlier: an authentication
		 * failure, or the control side ending first. */
		if (c->down_reason[0] == '\0')
			call_set_reason(c, ev.code, "%s", ev.text);
		return ppp_went_down(t, c, now, out);
	}
	return PK_OK;
}

static int
process_session(struct tunnel *t, struct tunnel_call *c, uint64_t now,
    struct pk_out *so, struct pk_out *out)
{
	uint16_t id = c->call_id;
	int r = PK_OK, e;

	for (size_t i = 0; i < so->n_items; i++) {
		const struct out_item *it = out_item(so, i);

		switch (it->kind) {
		case OUT_IP:
			e = out_put(out, OUT_IP, id, out_data(so, i), it->len);
			break;
		case OUT_EVENT:
			/* The call may end (and c be released) here; later
			 * items of this list then have no call to go to. */
			if (!c->used || c->call_id != id)
				continue;
			e = handle_ppp_event(t, c, now, so, i, out);
			break;
		default:
			e = out_copy_item(out, so, i);
			break;
		}
		if (e != 0 && r == 0)
			r = e;
	}
	return r;
}

int
tunnel_start(struct tunnel *t, uint64_t now, struct pk_out *out)
{
	struct pk_out *co;
	co = scratch_take();
	return ctrl_done(t, now, co, pptp_ctrl_start(t->ctrl, now, co), out);
}

int
tunnel_ctrl_input(struct tunnel *t, uint64_t now, const uint8_t *data,
    size_t len, struct pk_out *out)
{
	struct pk_out *co;
	co = scratch_take();
	return ctrl_done(t, now, co, pptp_ctrl_input(t->ctrl, now, data, len,
	    co), out);
}

int
tunnel_ctrl_closed(struct tunnel *t, uint64_t now, struct pk_out *out)
{
	struct pk_out *co;
	co = scratch_take();
	return ctrl_done(t, now, co, pptp_ctrl_peer_closed(t->ctrl, now, co), out);
}

int
tunnel_gre_input(struct tunnel *t, uint64_t now, const uint8_t *pkt,
    size_t len, struct pk_out *out)
{
	struct pk_out *so;
	struct tunnel_call *c;
	uint16_t call_id;
	int r;

	if ((r = gre_peek_call_id(pkt, len, &call_id)) != 0)
		return r;
	if ((c = call_find(t, call_id)) == NULL || c->sess == NULL)
		return PK_ERR_NOT_FOUND;
	so = scratch_take();
	return session_done(t, c, now, so, session_gre_input(c->sess, now, pkt,
	    len, so), out);
}

int
tunnel_ip_input(struct tunnel *t, uint64_t now, uint16_t call_id,
    uint8_t *pkt, size_t len, struct pk_out *out)
{
	struct pk_out *so;
	struct tunnel_call *c = call_find(t, call_id);

	if (c == NULL || c->sess == NULL)
		return PK_ERR_NOT_FOUND;
	so = scratch_take();
	return session_done(t, c, now, so, session_ip_input(c->sess, now, pkt,
	    len, so), out);
}

uint64_t
tunnel_next_deadline(const struct tunnel *t)
{
	uint64_t d = pptp_ctrl_next_deadline(t->ctrl);

	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (t->calls[i].used && t->calls[i].sess != NULL)
			d = pk_deadline_min(d,
			    session_next_deadline(t->calls[i].sess));
	return d;
}

int
tunnel_timeout(struct tunnel *t, uint64_t now, struct pk_out *out)
{
	struct pk_out *co, *so;
	int r = PK_OK, e;

	if (pptp_ctrl_next_deadline(t->ctrl) <= now) {
		co = scratch_take();
		e = ctrl_done(t, now, co, pptp_ctrl_timeout(t->ctrl, now, co), out);
		if (e != 0)
			r = e;
	}
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		struct tunnel_call *c = &t->calls[i];

		if (!c->used || c->sess == NULL ||
		    session_next_deadline(c->sess) > now)
			continue;
		so = scratch_take();
		e = session_done(t, c, now, so, session_timeout(c->sess, now,
		    so), out);
		if (e != 0 && r == 0)
			r = e;
	}
	return r;
}

int
tunnel_call_accept(struct tunnel *t, uint64_t now, uint16_t id,
    uint16_t final_call_id, struct pk_out *out)
{
	struct pk_out *co;
	struct tunnel_call *c = call_find(t, id);
	struct pptp_call_answer a;

	if (c == NULL)
		return PK_ERR_NOT_FOUND;
	memset(&a, 0, sizeof(a));
	a.local_call_id = final_call_id;
	if (final_call_id != 0 && final_call_id != id) {
		/* Rename first: the call-up event will carry the new ID. */
		c->call_id = final_call_id;
		snprintf(c->log_ctx, sizeof(c->log_ctx), "%s call=%u",
		    t->cfg.log_ctx, final_call_id);
	}
	co = scratch_take();
	return ctrl_done(t, now, co, pptp_ctrl_call_accept(t->ctrl, now, id,
	    &a, co), out);
}

int
tunnel_call_reject(struct tunnel *t, uint64_t now, uint16_t id,
    uint8_t result, uint8_t error, struct pk_out *out)
{
	struct pk_out *co;
	if (call_find(t, id) == NULL)
		return PK_ERR_NOT_FOUND;
	co = scratch_take();
	return ctrl_done(t, now, co, pptp_ctrl_call_reject(t->ctrl, now, id,
	    result, error, 0, co), out);
}

int
tunnel_call_start(struct tunnel *t, uint64_t now, struct pk_out *out)
{
	struct pptp_call_params p;
	struct pk_out *co = scratch_take();
	uint16_t id = 0;
	int r, e;

	pptp_call_params_default(&p);
	r = pptp_ctrl_call_start(t->ctrl, now, &p, &id, co);
	/* Record the call before its events are handled. */
	if (r == 0 && call_add(t, id, now) == NULL)
		r = PK_ERR_FULL;
	e = process_ctrl(t, now, co, out);
	scratch_give(co);
	return r != 0 ? r : e;
}

int
tunnel_auth_complete(struct tunnel *t, uint64_t now, uint16_t call_id,
    const struct auth_result *res, struct pk_out *out)
{
	struct pk_out *so;
	struct tunnel_call *c = call_find(t, call_id);

	if (c == NULL || c->sess == NULL)
		return PK_ERR_NOT_FOUND;
	so = scratch_take();
	return session_done(t, c, now, so, session_auth_complete(c->sess, now,
	    res, so), out);
}

int
tunnel_call_close(struct tunnel *t, uint64_t now, uint16_t call_id,
    const char *reason, struct pk_out *out)
{
	struct pk_out *so;
	struct tunnel_call *c = call_find(t, call_id);

	if (c == NULL)
		return PK_ERR_NOT_FOUND;
	if (c->sess == NULL || c->ppp_down)
		return PK_OK;
	call_set_reason(c, PK_OK, "%s", reason);
	so = scratch_take();
	return session_done(t, c, now, so, session_close(c->sess, now, reason,
	    so), out);
}

int
tunnel_stop(struct tunnel *t, uint64_t now, uint8_t reason, const char *why,
    struct pk_out *out)
{
	struct pk_out *co, *so;
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		struct tunnel_call *c = &t->calls[i];

		if (!c->used || c->sess == NULL || c->ppp_down)
			continue;
		/* One LCP Terminate-Request leaves now; the StopCCRQ below
		 * ends the calls without waiting for its ack. */
		call_set_reason(c, PK_OK, "%s", why);
		c->clearing = 1;
		so = scratch_take();
		(void)session_done(t, c, now, so, session_close(c->sess, now,
		    why, so), out);
	}
	co = scratch_take();
	return ctrl_done(t, now, co, pptp_ctrl_stop(t->ctrl, now, reason, co), out);
}

size_t
tunnel_call_count(const struct tunnel *t)
{
	size_t n = 0;

	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		n += t->calls[i].used ? 1 : 0;
	return n;
}

static void
fill_info(const struct tunnel_call *c, struct tunnel_call_info *info)
{
	memset(info, 0, sizeof(*info));
	info->call_id = c->call_id;
	info->peer_call_id = c->peer_call_id;
	info->up = c->up;
	info->info = c->info;
	info->started_ms = c->started;
	if (c->sess != NULL) {
		info->has_session = 1;
		session_get_stats(c->sess, &info->stats);
		info->last_data = session_last_data(c->sess);
	}
}

int
tunnel_call_at(const struct tunnel *t, size_t idx,
    struct tunnel_call_info *info)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		if (!t->calls[i].used)
			continue;
		if (idx-- == 0) {
			fill_info(&t->calls[i], info);
			return PK_OK;
		}
	}
	return PK_ERR_NOT_FOUND;
}

int
tunnel_call_get(const struct tunnel *t, uint16_t call_id,
    struct tunnel_call_info *info)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		if (t->calls[i].used && t->calls[i].call_id == call_id) {
			fill_info(&t->calls[i], info);
			return PK_OK;
		}
	}
	return PK_ERR_NOT_FOUND;
}

const struct pptp_ctrl *
tunnel_ctrl(const struct tunnel *t)
{
	return t->ctrl;
}
