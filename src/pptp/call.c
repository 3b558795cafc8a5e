/*
 * call.c - the PPTP calls of one control connection: the outgoing and
 * incoming call state machines of RFC 2637 §3.2.3 and §3.2.4 for both
 * roles, their messages (types 7..15) and their timers (see ctrl.h); the
 * owner's verbs that drive them are in call_api.c.
 *
 * States (enum pptp_call_state):
 *   FREE             slot unused
 *   WAIT_REPLY       we sent OCRQ (PNS) or ICRQ (PAC)
 *   WAIT_ANSWER      we got OCRQ (PAC) or ICRQ (PNS); the owner decides
 *   WAIT_CONNECT     PNS sent ICRP "Connect", waits for ICCN
 *   ESTABLISHED
 *   CLEARING         PAC got CCRQ; the owner sends the CDN
 *   WAIT_DISCONNECT  PNS sent CCRQ, waits for CDN
 * Timer: every state but FREE and ESTABLISHED has call_timeout_ms.
 * Expiry: WAIT_REPLY fails (a PNS also sends CCRQ to abort, §3.2.4.2; a
 * PAC sends CDN, §3.2.3.1); WAIT_ANSWER is refused for the owner (OCRP
 * Time-out / ICRP Do-Not-Accept); WAIT_CONNECT fails with a CCRQ;
 * CLEARING sends the CDN (Result 4) itself; WAIT_DISCONNECT is dropped:
 * a PAC that never sends the CDN (PoPToP closes TCP instead) must not
 * keep the call alive.
 *
 * Which Call ID each message carries (RFC 2637 §2.7-§2.15):
 *   OCRQ/ICRQ Call ID: sender's    OCRP/ICRP Call ID: sender's,
 *                                  Peer's Call ID: the request's
 *   ICCN Peer's Call ID: the PNS's (from ICRP)
 *   CCRQ Call ID: the PNS's        CDN Call ID: the PAC's
 *   WEN Peer's Call ID: the PNS's  SLI Peer's Call ID: the PAC's
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/rand.h"
#include "pptp/ctrl_int.h"

static const char *const cv_names[PPTP_CV_COUNT] = {
	[PPTP_CV_START] = "start",
	[PPTP_CV_RX_REQUEST] = "rx request",
	[PPTP_CV_ACCEPT] = "accept",
	[PPTP_CV_REJECT] = "reject",
	[PPTP_CV_RX_REPLY_OK] = "rx reply ok",
	[PPTP_CV_RX_REPLY_ERR] = "rx reply error",
	[PPTP_CV_RX_CONNECTED] = "rx ICCN",
	[PPTP_CV_CLEAR] = "clear",
	[PPTP_CV_RX_CLEAR] = "rx CCRQ",
	[PPTP_CV_DISCONNECT] = "disconnect",
	[PPTP_CV_RX_DISCONNECT] = "rx CDN",
	[PPTP_CV_TIMEOUT] = "timeout",
	[PPTP_CV_CTRL_DOWN] = "control connection down",
};

#define C_ANY (-1)	/* any live state */
#define D_ANY 0		/* either direction */

struct call_transition {
	int state;
	int ev;
	int dir;
	int next;
};

/*
 * RFC 2637 §3.2.3.1 (PAC incoming), §3.2.3.2 (PNS incoming), §3.2.4.1
 * (PAC outgoing), §3.2.4.2 (PNS outgoing) merged: the role is implied by
 * the event (only a PNS clears, only a PAC disconnects), the direction
 * picks the branch where they differ. A pair not listed is refused.
 */
static const struct call_transition call_table[] = {
	{ PPTP_CALL_FREE, PPTP_CV_START, D_ANY, PPTP_CALL_WAIT_REPLY },
	{ PPTP_CALL_FREE, PPTP_CV_RX_REQUEST, D_ANY, PPTP_CALL_WAIT_ANSWER },
	{ PPTP_CALL_WAIT_ANSWER, PPTP_CV_ACCEPT, PPTP_CALL_OUTGOING,
	    PPTP_CALL_ESTABLISHED },
	{ PPTP_CALL_WAIT_ANSWER, PPTP_CV_ACCEPT, PPTP_CALL_INCOMING,
	    PPTP_CALL_WAIT_CONNECT },
	{ PPTP_CALL_WAIT_ANSWER, PPTP_CV_REJECT, D_ANY, PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_REPLY, PPTP_CV_RX_REPLY_OK, D_ANY,
	    PPTP_CALL_ESTABLISHED },
	{ PPTP_CALL_WAIT_REPLY, PPTP_CV_RX_REPLY_ERR, D_ANY, PPTP_CALL_FREE },
	/* A reply crossing our Call-Clear-Request. */
	{ PPTP_CALL_WAIT_DISCONNECT, PPTP_CV_RX_REPLY_OK, PPTP_CALL_OUTGOING,
	    PPTP_CALL_WAIT_DISCONNECT },
	{ PPTP_CALL_WAIT_DISCONNECT, PPTP_CV_RX_REPLY_ERR, PPTP_CALL_OUTGOING,
	    PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_CONNECT, PPTP_CV_RX_CONNECTED, PPTP_CALL_INCOMING,
	    PPTP_CALL_ESTABLISHED },
	{ PPTP_CALL_WAIT_REPLY, PPTP_CV_CLEAR, PPTP_CALL_OUTGOING,
	    PPTP_CALL_WAIT_DISCONNECT },
	{ PPTP_CALL_WAIT_CONNECT, PPTP_CV_CLEAR, PPTP_CALL_INCOMING,
	    PPTP_CALL_WAIT_DISCONNECT },
	{ PPTP_CALL_ESTABLISHED, PPTP_CV_CLEAR, D_ANY,
	    PPTP_CALL_WAIT_DISCONNECT },
	/* §2.12: "either an incoming or outgoing call, in any state". */
	{ PPTP_CALL_WAIT_ANSWER, PPTP_CV_RX_CLEAR, PPTP_CALL_OUTGOING,
	    PPTP_CALL_CLEARING },
	{ PPTP_CALL_ESTABLISHED, PPTP_CV_RX_CLEAR, D_ANY, PPTP_CALL_CLEARING },
	{ PPTP_CALL_ESTABLISHED, PPTP_CV_DISCONNECT, D_ANY, PPTP_CALL_FREE },
	{ PPTP_CALL_CLEARING, PPTP_CV_DISCONNECT, D_ANY, PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_REPLY, PPTP_CV_DISCONNECT, PPTP_CALL_INCOMING,
	    PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_ANSWER, PPTP_CV_RX_DISCONNECT, PPTP_CALL_INCOMING,
	    PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_CONNECT, PPTP_CV_RX_DISCONNECT, D_ANY,
	    PPTP_CALL_FREE },
	{ PPTP_CALL_ESTABLISHED, PPTP_CV_RX_DISCONNECT, D_ANY, PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_DISCONNECT, PPTP_CV_RX_DISCONNECT, D_ANY,
	    PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_REPLY, PPTP_CV_TIMEOUT, D_ANY, PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_ANSWER, PPTP_CV_TIMEOUT, D_ANY, PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_CONNECT, PPTP_CV_TIMEOUT, D_ANY, PPTP_CALL_FREE },
	{ PPTP_CALL_CLEARING, PPTP_CV_TIMEOUT, D_ANY, PPTP_CALL_FREE },
	{ PPTP_CALL_WAIT_DISCONNECT, PPTP_CV_TIMEOUT, D_ANY, PPTP_CALL_FREE },
	{ C_ANY, PPTP_CV_CTRL_DOWN, D_ANY, PPTP_CALL_FREE },
};

/* The state ev leads to from the call's state, or -1 if none. */
int
pptp_call_next(const struct pptp_call *k, int ev)
{
	for (size_t i = 0; i < sizeof(call_table) / sizeof(call_table[0]);
	    i++) {
		const struct call_transition *t = &call_table[i];

		if (t->ev != ev)
			continue;
		if (t->state != k->state &&
		    !(t->state == C_ANY && k->state != PPTP_CALL_FREE))
			continue;
		if (t->dir != D_ANY && t->dir != k->direction)
			continue;
		return t->next;
	}
	return -1;
}

static void
call_ctx(const struct pptp_ctrl *c, const struct pptp_call *k, char *buf,
    size_t cap)
{
	snprintf(buf, cap, "%s call=%u", c->cfg.log_ctx, k->local_id);
}

/* Moves to next (as pptp_call_next() said), arms the state's timer, frees
 * the slot on FREE. */
void
pptp_call_enter(struct pptp_ctrl *c, struct pptp_call *k, int next, int ev,
    uint64_t now)
{
	char ctx[PPTP_LOG_CTX_MAX + 16];
	int old = k->state;

	call_ctx(c, k, ctx, sizeof(ctx));
	pk_log(PK_LOG_DEBUG, ctx, "call %s -> %s on %s",
	    pptp_call_state_name(old), pptp_call_state_name(next),
	    cv_names[ev]);
	if (next == old)
		return;
	k->state = next;
	switch (next) {
	case PPTP_CALL_FREE:
		c->recent_ids[c->recent_next] = k->local_id;
		c->recent_next = (c->recent_next + 1) % PK_CTRL_CALLS_MAX;
		memset(k, 0, sizeof(*k));
		break;
	case PPTP_CALL_ESTABLISHED:
		k->was_up = 1;
		k->deadline = PK_TIME_NEVER;
		break;
	default:
		k->deadline = now + c->cfg.call_timeout_ms;
		break;
	}
}

struct pptp_call *
pptp_call_by_local(struct pptp_ctrl *c, uint16_t id)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (c->calls[i].state != PPTP_CALL_FREE &&
		    c->calls[i].local_id == id)
			return &c->calls[i];
	return NULL;
}

static struct pptp_call *
call_by_peer(struct pptp_ctrl *c, uint16_t id)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (c->calls[i].state != PPTP_CALL_FREE &&
		    c->calls[i].peer_known && c->calls[i].peer_id == id)
			return &c->calls[i];
	return NULL;
}

size_t
pptp_ctrl_call_count(const struct pptp_ctrl *c)
{
	size_t n = 0;

	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (c->calls[i].state != PPTP_CALL_FREE)
			n++;
	return n;
}

static int
recently_used(const struct pptp_ctrl *c, uint16_t id)
{
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (c->recent_ids[i] == id)
			return 1;
	return 0;
}

/*
 * Takes a free slot with a Call ID unique on this connection (RFC 2637
 * §3.2.2): want if non-zero, else a random one that none of the last
 * PK_CTRL_CALLS_MAX calls had (so that a late reply cannot hit a new
 * call, and someone who can spoof the peer's address cannot guess it).
 * Returns the slot in FREE state with local_id set, or NULL with *err
 * PK_ERR_FULL / PK_ERR_DUPLICATE.
 */
struct pptp_call *
pptp_call_alloc(struct pptp_ctrl *c, uint16_t want, int *err)
{
	struct pptp_call *slot = NULL;
	uint16_t id = want;

	*err = PK_ERR_FULL;
	if (pptp_ctrl_call_count(c) >= c->cfg.max_calls)
		return NULL;
	for (size_t i = 0; i < PK_CTRL_CALLS_MAX && slot == NULL; i++)
		if (c->calls[i].state == PPTP_CALL_FREE)
			slot = &c->calls[i];
	if (slot == NULL)
		return NULL;
	if (want != 0) {
		if (pptp_call_by_local(c, want) != NULL) {
			*err = PK_ERR_DUPLICATE;
			return NULL;
		}
	} else {
		/* At most 2 * PK_CTRL_CALLS_MAX of 65536 IDs are excluded,
		 * so this ends quickly. */
		do {
			id = (uint16_t)pk_rand_u32();
		} while ((id == 0 && !c->cfg.call_id_zero_ok) ||
		    pptp_call_by_local(c, id) != NULL ||
		    recently_used(c, id));
	}
	memset(slot, 0, sizeof(*slot));
	slot->local_id = id;
	slot->deadline = PK_TIME_NEVER;
	*err = PK_OK;
	return slot;
}

/* The one terminal event of a call: CALL_DOWN if it was ever up. */
int
pptp_call_emit_end(struct pptp_ctrl *c, uint64_t now,
    const struct pptp_call *k, int origin, int code, uint8_t result,
    uint8_t error, uint16_t cause, const char *stats, const char *what,
    struct pk_out *out)
{
	struct pptp_ev_call_end e;
	char ctx[PPTP_LOG_CTX_MAX + 16];
	int type = k->was_up ? PPTP_EV_CALL_DOWN : PPTP_EV_CALL_FAILED;

	memset(&e, 0, sizeof(e));
	e.local_call_id = k->local_id;
	e.peer_call_id = k->peer_id;
	e.peer_known = k->peer_known;
	e.direction = k->direction;
	e.origin = origin;
	e.result = result;
	e.error = error;
	e.cause = cause;
	if (stats != NULL)
		pptp_ctrl_sanitize(e.stats, stats, sizeof(e.stats));
	if (k->was_up)
		c->stats.calls_down++;
	else
		c->stats.calls_failed++;
	call_ctx(c, k, ctx, sizeof(ctx));
	/* Rate-limited: a peer can cycle calls as fast as it likes. */
	pptp_ctrl_peer_log(c, now, PK_LOG_INFO, ctx, "call %s: %s",
	    k->was_up ? "down" : "failed", what);
	return out_event(out, EV_SRC_CTRL, (uint16_t)type, code, k->local_id,
	    &e, sizeof(e), "%s", what);
}

int
pptp_call_emit_up(struct pptp_ctrl *c, uint64_t now,
    const struct pptp_call *k, struct pk_out *out)
{
	struct pptp_ev_call_up u;
	char ctx[PPTP_LOG_CTX_MAX + 16];

	memset(&u, 0, sizeof(u));
	u.local_call_id = k->local_id;
	u.peer_call_id = k->peer_id;
	u.serial = k->serial;
	u.direction = k->direction;
	u.peer_recv_window = k->peer_rwin;
	u.peer_processing_delay = k->peer_delay;
	u.connect_speed = k->connect_speed;
	u.framing_type = k->framing_type;
	u.physical_channel = k->physical_channel;
	c->stats.calls_up++;
	call_ctx(c, k, ctx, sizeof(ctx));
	pptp_ctrl_peer_log(c, now, PK_LOG_INFO, ctx, "call up: peer call %u, "
	    "serial %u, peer window %u, speed %u", k->peer_id, k->serial,
	    k->peer_rwin,
	    k->connect_speed);
	return out_event(out, EV_SRC_CTRL, PPTP_EV_CALL_UP, 0, k->local_id,
	    &u, sizeof(u), "call %u up, peer call %u", k->local_id,
	    k->peer_id);
}

/* "result 2 (General error), error 4 (No-Resource), cause 0" */
void
pptp_call_result_text(char *buf, size_t cap, const char *msg,
    unsigned type, uint8_t result, uint8_t error, uint16_t cause)
{
	snprintf(buf, cap, "%s: result %u (%s), error %u (%s), cause %u",
	    msg, result, pptp_result_name(type, result), error,
	    pptp_general_error_name(error), cause);
}

int
pptp_call_send_ocrp(struct pptp_ctrl *c, uint16_t call_id,
    uint16_t peer_call_id, uint8_t result, uint8_t error, uint16_t cause,
    const struct pptp_call *k, struct pk_out *out)
{
	struct pptp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPTP_OCRP;
	m.u.ocrp.call_id = call_id;
	m.u.ocrp.peer_call_id = peer_call_id;
	m.u.ocrp.result = result;
	m.u.ocrp.error = error;
	m.u.ocrp.cause = cause;
	if (k != NULL) {
		m.u.ocrp.connect_speed = k->connect_speed;
		m.u.ocrp.recv_window = k->our_rwin;
		m.u.ocrp.processing_delay = k->our_delay;
		m.u.ocrp.physical_channel = k->physical_channel;
	}
	return pptp_ctrl_send(c, &m, out);
}

int
pptp_call_send_icrp(struct pptp_ctrl *c, uint16_t call_id,
    uint16_t peer_call_id, uint8_t result, uint8_t error,
    const struct pptp_call *k, struct pk_out *out)
{
	struct pptp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPTP_ICRP;
	m.u.icrp.call_id = call_id;
	m.u.icrp.peer_call_id = peer_call_id;
	m.u.icrp.result = result;
	m.u.icrp.error = error;
	if (k != NULL) {
		m.u.icrp.recv_window = k->our_rwin;
		m.u.icrp.transmit_delay = k->our_delay;
	}
	return pptp_ctrl_send(c, &m, out);
}

int
pptp_call_send_ccrq(struct pptp_ctrl *c, const struct pptp_call *k,
    struct pk_out *out)
{
	struct pptp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPTP_CCRQ;
	m.u.ccrq.call_id = k->local_id;
	return pptp_ctrl_send(c, &m, out);
}

int
pptp_call_send_cdn(struct pptp_ctrl *c, const struct pptp_call *k,
    uint8_t result, uint8_t error, uint16_t cause, const char *stats,
    struct pk_out *out)
{
	struct pptp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPTP_CDN;
	m.u.cdn.call_id = k->local_id;
	m.u.cdn.result = result;
	m.u.cdn.error = error;
	m.u.cdn.cause = cause;
	if (stats != NULL)
		snprintf(m.u.cdn.stats, sizeof(m.u.cdn.stats), "%s", stats);
	return pptp_ctrl_send(c, &m, out);
}

/* The Call ID a call message is about, for logs. */
static unsigned
msg_call_id(const struct pptp_msg *m)
{
	switch (m->type) {
	case PPTP_OCRQ:
		return m->u.ocrq.call_id;
	case PPTP_OCRP:
		return m->u.ocrp.peer_call_id;
	case PPTP_ICRQ:
		return m->u.icrq.call_id;
	case PPTP_ICRP:
		return m->u.icrp.peer_call_id;
	case PPTP_ICCN:
		return m->u.iccn.peer_call_id;
	case PPTP_CCRQ:
		return m->u.ccrq.call_id;
	case PPTP_CDN:
		return m->u.cdn.call_id;
	case PPTP_WEN:
		return m->u.wen.peer_call_id;
	case PPTP_SLI:
		return m->u.sli.peer_call_id;
	}
	return 0;
}

/* A well-formed call message we will not act on. */
static int
drop(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    const char *why)
{
	c->stats.rx_unexpected++;
	pptp_ctrl_peer_log(c, now, PK_LOG_NOTICE, NULL,
	    "%s (call ID %u): %s; dropped", pptp_msg_name(m->type),
	    msg_call_id(m), why);
	return PK_OK;
}

/*
 * A request the control connection cannot take: refused at once with
 * the reply type's General Error (RFC 2637 §2.16), no owner involved.
 */
static int
refuse_request(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    uint8_t error, const char *why, struct pk_out *out)
{
	c->stats.rx_unexpected++;
	c->stats.calls_refused++;
	pptp_ctrl_peer_log(c, now, PK_LOG_NOTICE, NULL,
	    "%s (peer call ID %u) refused: %s", pptp_msg_name(m->type),
	    m->type == PPTP_OCRQ ? m->u.ocrq.call_id : m->u.icrq.call_id, why);
	/* Call ID 0: no call was created for the reply to name. */
	if (m->type == PPTP_OCRQ)
		return pptp_call_send_ocrp(c, 0, m->u.ocrq.call_id,
		    PPTP_OCRP_GENERAL_ERROR, error, 0, NULL, out);
	return pptp_call_send_icrp(c, 0, m->u.icrq.call_id,
	    PPTP_ICRP_GENERAL_ERROR, error, NULL, out);
}

/* PAC: OCRQ, §3.2.4.1 idle. PNS: ICRQ, §3.2.3.2 idle. */
static int
rx_request(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out)
{
	struct pptp_ev_call_request q;
	struct pptp_call *k;
	uint16_t peer_id = m->type == PPTP_OCRQ ? m->u.ocrq.call_id :
	    m->u.icrq.call_id;
	int err;

	if (c->state == PPTP_CTRL_IDLE || c->state == PPTP_CTRL_WAIT_CTL_REPLY)
		return refuse_request(c, now, m, PPTP_GE_NOT_CONNECTED,
		    "no control connection yet", out);
	if (c->state != PPTP_CTRL_ESTABLISHED)
		return drop(c, now, m, "control connection stopping");
	if (call_by_peer(c, peer_id) != NULL)
		return refuse_request(c, now, m, PPTP_GE_BAD_CALL_ID,
		    "peer call ID already in use", out);
	if ((k = pptp_call_alloc(c, 0, &err)) == NULL)
		return refuse_request(c, now, m, PPTP_GE_NO_RESOURCE,
		    "call limit reached (max-calls-per-connection)", out);
	k->peer_id = peer_id;
	k->peer_known = 1;
	k->our_rwin = c->cfg.recv_window;
	k->our_delay = c->cfg.processing_delay;
	memset(&q, 0, sizeof(q));
	if (m->type == PPTP_OCRQ) {
		const struct pptp_ocrq *o = &m->u.ocrq;

		k->direction = PPTP_CALL_OUTGOING;
		k->serial = o->serial;
		k->peer_rwin = o->recv_window;
		k->peer_delay = o->processing_delay;
		k->framing_type = o->framing_type;
		k->max_bps = o->max_bps;
		q.min_bps = o->min_bps;
		q.max_bps = o->max_bps;
		q.bearer_type = o->bearer_type;
		q.framing_type = o->framing_type;
		q.peer_recv_window = o->recv_window;
		q.peer_processing_delay = o->processing_delay;
		pptp_ctrl_sanitize(q.phone, o->phone, sizeof(q.phone));
		memcpy(q.subaddr, o->subaddr, sizeof(q.subaddr));
	} else {
		const struct pptp_icrq *i = &m->u.icrq;

		k->direction = PPTP_CALL_INCOMING;
		k->serial = i->serial;
		k->physical_channel = i->physical_channel;
		q.bearer_type = i->bearer_type;
		q.physical_channel = i->physical_channel;
		pptp_ctrl_sanitize(q.phone, i->dialed, sizeof(q.phone));
		pptp_ctrl_sanitize(q.dialing, i->dialing, sizeof(q.dialing));
		memcpy(q.subaddr, i->subaddr, sizeof(q.subaddr));
	}
	pptp_call_enter(c, k, pptp_call_next(k, PPTP_CV_RX_REQUEST),
	    PPTP_CV_RX_REQUEST, now);
	q.local_call_id = k->local_id;
	q.peer_call_id = peer_id;
	q.serial = k->serial;
	q.direction = k->direction;
	return out_event(out, EV_SRC_CTRL, PPTP_EV_CALL_REQUEST, 0,
	    k->local_id, &q, sizeof(q), "%s from peer call %u, serial %u",
	    pptp_msg_name(m->type), peer_id, k->serial);
}

/* PNS: OCRP, §3.2.4.2 wait_reply. PAC: ICRP, §3.2.3.1 wait_reply. */
static int
rx_reply(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out)
{
	struct pptp_call *k;
	char what[PK_EVENT_TEXT_MAX];
	int ok, ev, next, dir, r;
	uint16_t ours, theirs;
	uint8_t result, error;
	uint16_t cause = 0;

	if (m->type == PPTP_OCRP) {
		ours = m->u.ocrp.peer_call_id;
		theirs = m->u.ocrp.call_id;
		result = m->u.ocrp.result;
		error = m->u.ocrp.error;
		cause = m->u.ocrp.cause;
		ok = result == PPTP_OCRP_CONNECTED;
		dir = PPTP_CALL_OUTGOING;
	} else {
		ours = m->u.icrp.peer_call_id;
		theirs = m->u.icrp.call_id;
		result = m->u.icrp.result;
		error = m->u.icrp.error;
		ok = result == PPTP_ICRP_CONNECT;
		dir = PPTP_CALL_INCOMING;
	}
	if (c->state != PPTP_CTRL_ESTABLISHED)
		return drop(c, now, m, "control connection not established");
	ev = ok ? PPTP_CV_RX_REPLY_OK : PPTP_CV_RX_REPLY_ERR;
	if ((k = pptp_call_by_local(c, ours)) == NULL || k->direction != dir ||
	    (next = pptp_call_next(k, ev)) < 0)
		return drop(c, now, m, "no call waiting for this reply");
	if (!ok) {
		pptp_call_result_text(what, sizeof(what),
		    pptp_msg_name(m->type), m->type, result, error, cause);
		if ((r = pptp_call_emit_end(c, now, k, PPTP_END_PEER, result,
		    result, error, cause, NULL, what, out)) != 0)
			return r;
		pptp_call_enter(c, k, next, ev, now);
		return PK_OK;
	}
	k->peer_id = theirs;
	k->peer_known = 1;
	if (m->type == PPTP_OCRP) {
		k->peer_rwin = m->u.ocrp.recv_window;
		k->peer_delay = m->u.ocrp.processing_delay;
		k->connect_speed = m->u.ocrp.connect_speed;
		k->physical_channel = m->u.ocrp.physical_channel;
	} else {
		struct pptp_msg cn;

		k->peer_rwin = m->u.icrp.recv_window;
		k->peer_delay = m->u.icrp.transmit_delay;
		/* §3.2.3.1: accepted, so answer and send ICCN at once; a
		 * VPN PAC has no telephone call to pick up first. */
		memset(&cn, 0, sizeof(cn));
		cn.type = PPTP_ICCN;
		cn.u.iccn.peer_call_id = theirs;
		cn.u.iccn.connect_speed = k->connect_speed;
		cn.u.iccn.recv_window = k->our_rwin;
		cn.u.iccn.transmit_delay = k->our_delay;
		cn.u.iccn.framing_type = k->framing_type;
		if ((r = pptp_ctrl_send(c, &cn, out)) != 0)
			return r;
	}
	pptp_call_enter(c, k, next, ev, now);
	if (k->state == PPTP_CALL_ESTABLISHED)
		return pptp_call_emit_up(c, now, k, out);
	return PK_OK;
}

/* PNS: ICCN, §3.2.3.2 wait_connect. */
static int
rx_connected(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out)
{
	const struct pptp_iccn *i = &m->u.iccn;
	struct pptp_call *k;
	int next;

	if (c->state != PPTP_CTRL_ESTABLISHED)
		return drop(c, now, m, "control connection not established");
	if ((k = pptp_call_by_local(c, i->peer_call_id)) == NULL ||
	    (next = pptp_call_next(k, PPTP_CV_RX_CONNECTED)) < 0)
		return drop(c, now, m, "no call waiting to be connected");
	k->connect_speed = i->connect_speed;
	k->peer_rwin = i->recv_window;
	k->peer_delay = i->transmit_delay;
	k->framing_type = i->framing_type;
	pptp_call_enter(c, k, next, PPTP_CV_RX_CONNECTED, now);
	return pptp_call_emit_up(c, now, k, out);
}

/* PAC: CCRQ, §3.2.4.1 / §3.2.3.1 established. */
static int
rx_clear(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out)
{
	struct pptp_ev_call_end e;
	struct pptp_call *k;
	int next;

	if (c->state != PPTP_CTRL_ESTABLISHED)
		return drop(c, now, m, "control connection not established");
	/* The CCRQ names the PNS's own Call ID (§2.12). */
	if ((k = call_by_peer(c, m->u.ccrq.call_id)) == NULL)
		return drop(c, now, m, "no such call");
	if (k->state == PPTP_CALL_CLEARING)
		return PK_OK;	/* a repeat; the CDN is on its way */
	if ((next = pptp_call_next(k, PPTP_CV_RX_CLEAR)) < 0)
		return drop(c, now, m, "call cannot be cleared now");
	pptp_call_enter(c, k, next, PPTP_CV_RX_CLEAR, now);
	memset(&e, 0, sizeof(e));
	e.local_call_id = k->local_id;
	e.peer_call_id = k->peer_id;
	e.peer_known = 1;
	e.direction = k->direction;
	e.origin = PPTP_END_PEER;
	return out_event(out, EV_SRC_CTRL, PPTP_EV_CALL_CLEAR_REQUESTED, 0,
	    k->local_id, &e, sizeof(e), "peer asks to clear call %u",
	    k->local_id);
}

/*
 * A PNS that aborts an outgoing call before the OCRP (§3.2.4.2 wait_reply
 * "Abort/Send Call Clear Request") never learns the PAC's Call ID, which
 * is what the answering CDN names (§2.13 foresees this). If exactly one
 * call is in that situation, the CDN is for it; with two it is ambiguous
 * and both wait for their timers.
 */
static struct pptp_call *
aborted_call(struct pptp_ctrl *c)
{
	struct pptp_call *found = NULL;

	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		struct pptp_call *k = &c->calls[i];

		if (k->state != PPTP_CALL_WAIT_DISCONNECT || k->peer_known)
			continue;
		if (found != NULL)
			return NULL;
		found = k;
	}
	return found;
}

/* PNS: CDN, any call state (§3.2.3.2, §3.2.4.2). */
static int
rx_disconnect(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out)
{
	const struct pptp_cdn *d = &m->u.cdn;
	struct pptp_call *k;
	char what[PK_EVENT_TEXT_MAX];
	int next, r;

	if (c->state != PPTP_CTRL_ESTABLISHED)
		return drop(c, now, m, "control connection not established");
	/*
	 * The CDN names the PAC's Call ID (§2.13); it may come unasked.
	 * Behind a Linux NAT with the PPTP helper it names ours instead:
	 * nf_nat_pptp rewrites the field as if it held the PNS's Call ID
	 * (it does so for every CDN), so a CDN with our own ID is ours.
	 */
	if ((k = call_by_peer(c, d->call_id)) == NULL &&
	    (k = pptp_call_by_local(c, d->call_id)) == NULL)
		k = aborted_call(c);
	if (k == NULL || (next = pptp_call_next(k, PPTP_CV_RX_DISCONNECT)) < 0)
		return drop(c, now, m, "no such call");
	/* [MS-PTPT] §3.2.5.5: Windows sends Result 0 and the PNS ignores
	 * the field, so any value is reported, none refused. */
	pptp_call_result_text(what, sizeof(what), "Call-Disconnect-Notify",
	    PPTP_CDN, d->result, d->error, d->cause);
	if ((r = pptp_call_emit_end(c, now, k, PPTP_END_PEER, d->result,
	    d->result, d->error, d->cause, d->stats, what, out)) != 0)
		return r;
	pptp_call_enter(c, k, next, PPTP_CV_RX_DISCONNECT, now);
	return PK_OK;
}

/* PNS: WEN, §2.14. PAC: SLI, §2.15. Informational, any call state. */
static int
rx_link(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out)
{
	struct pptp_call *k;
	uint16_t id = m->type == PPTP_WEN ? m->u.wen.peer_call_id :
	    m->u.sli.peer_call_id;

	if (c->state != PPTP_CTRL_ESTABLISHED)
		return drop(c, now, m, "control connection not established");
	/* Both carry our own Call ID in their Peer's Call ID field. */
	if ((k = pptp_call_by_local(c, id)) == NULL)
		return drop(c, now, m, "no such call");
	if (m->type == PPTP_WEN) {
		struct pptp_ev_wan_error e;

		memset(&e, 0, sizeof(e));
		e.local_call_id = k->local_id;
		e.crc_errors = m->u.wen.crc_errors;
		e.framing_errors = m->u.wen.framing_errors;
		e.hw_overruns = m->u.wen.hw_overruns;
		e.buf_overruns = m->u.wen.buf_overruns;
		e.timeout_errors = m->u.wen.timeout_errors;
		e.alignment_errors = m->u.wen.alignment_errors;
		return out_event(out, EV_SRC_CTRL, PPTP_EV_WAN_ERROR, 0,
		    k->local_id, &e, sizeof(e), "WAN errors: crc %u framing "
		    "%u hw %u buffer %u timeout %u alignment %u",
		    e.crc_errors, e.framing_errors, e.hw_overruns,
		    e.buf_overruns, e.timeout_errors, e.alignment_errors);
	} else {
		struct pptp_ev_set_link_info e;

		memset(&e, 0, sizeof(e));
		e.local_call_id = k->local_id;
		e.send_accm = m->u.sli.send_accm;
		e.recv_accm = m->u.sli.recv_accm;
		return out_event(out, EV_SRC_CTRL, PPTP_EV_SET_LINK_INFO, 0,
		    k->local_id, &e, sizeof(e), "ACCM send 0x%08x recv "
		    "0x%08x", e.send_accm, e.recv_accm);
	}
}

int
pptp_call_rx(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out)
{
	int pac = c->cfg.role == PPTP_ROLE_PAC;

	/*
	 * RFC 2637 §2 fixes who sends what. A message for the other role
	 * is dropped; [MS-PTPT] Appendix A <13> does the same for an ICRP
	 * it has no request for.
	 */
	switch (m->type) {
	case PPTP_OCRQ:
	case PPTP_ICRP:
	case PPTP_CCRQ:
	case PPTP_SLI:
		if (!pac)
			return drop(c, now, m, "only a PNS sends this");
		break;
	case PPTP_OCRP:
	case PPTP_ICRQ:
	case PPTP_ICCN:
	case PPTP_CDN:
	case PPTP_WEN:
		if (pac)
			return drop(c, now, m, "only a PAC sends this");
		break;
	default:
		return PK_ERR_TYPE;
	}
	switch (m->type) {
	case PPTP_OCRQ:
	case PPTP_ICRQ:
		return rx_request(c, now, m, out);
	case PPTP_OCRP:
	case PPTP_ICRP:
		return rx_reply(c, now, m, out);
	case PPTP_ICCN:
		return rx_connected(c, now, m, out);
	case PPTP_CCRQ:
		return rx_clear(c, now, m, out);
	case PPTP_CDN:
		return rx_disconnect(c, now, m, out);
	default:
		return rx_link(c, now, m, out);
	}
}

/* One expired call timer; see the file comment for what each means. */
static int
call_expire(struct pptp_ctrl *c, struct pptp_call *k, uint64_t now,
    struct pk_out *out)
{
	char what[PK_EVENT_TEXT_MAX];
	int pns = c->cfg.role == PPTP_ROLE_PNS;
	int next = pptp_call_next(k, PPTP_CV_TIMEOUT), r = PK_OK;
	uint8_t result = 0;

	if (next < 0)
		return PK_ERR_INTERNAL;
	switch (k->state) {
	case PPTP_CALL_WAIT_REPLY:
		snprintf(what, sizeof(what), "no %s within %u ms",
		    pns ? "Outgoing-Call-Reply" : "Incoming-Call-Reply",
		    c->cfg.call_timeout_ms);
		/* §3.2.4.2 "Abort/Send Call Clear Request"; §3.2.3.1
		 * "Abort/Send Call Disconnect Notify". */
		r = pns ? pptp_call_send_ccrq(c, k, out) :
		    pptp_call_send_cdn(c, k, PPTP_CDN_ADMIN_SHUTDOWN, 0, 0,
		    NULL, out);
		break;
	case PPTP_CALL_WAIT_ANSWER:
		snprintf(what, sizeof(what), "not answered within %u ms",
		    c->cfg.call_timeout_ms);
		if (k->direction == PPTP_CALL_OUTGOING) {
			/* §2.8 Result 6: not established in the time the PAC
			 * allots. */
			result = PPTP_OCRP_TIMEOUT;
			r = pptp_call_send_ocrp(c, 0, k->peer_id, result, 0,
			    0, NULL, out);
		} else {
			result = PPTP_ICRP_DO_NOT_ACCEPT;
			r = pptp_call_send_icrp(c, 0, k->peer_id, result, 0,
			    NULL, out);
		}
		break;
	case PPTP_CALL_WAIT_CONNECT:
		snprintf(what, sizeof(what), "no Incoming-Call-Connected "
		    "within %u ms", c->cfg.call_timeout_ms);
		r = pptp_call_send_ccrq(c, k, out);
		break;
	case PPTP_CALL_CLEARING:
		snprintf(what, sizeof(what), "owner did not disconnect "
		    "within %u ms: Call-Disconnect-Notify sent",
		    c->cfg.call_timeout_ms);
		result = PPTP_CDN_REQUEST;
		r = pptp_call_send_cdn(c, k, result, 0, 0, NULL, out);
		break;
	case PPTP_CALL_WAIT_DISCONNECT:
		snprintf(what, sizeof(what), "no Call-Disconnect-Notify "
		    "within %u ms: dropped", c->cfg.call_timeout_ms);
		break;
	default:
		return PK_ERR_INTERNAL;
	}
	if (r != 0 || (r = pptp_call_emit_end(c, now, k, PPTP_END_TIMEOUT,
	    PK_ERR_TIMEOUT, result, 0, 0, NULL, what, out)) != 0)
		return r;
	pptp_call_enter(c, k, next, PPTP_CV_TIMEOUT, now);
	return PK_OK;
}

int
pptp_call_timeout(struct pptp_ctrl *c, uint64_t now, struct pk_out *out)
{
	int r;

	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		struct pptp_call *k = &c->calls[i];

		if (k->state == PPTP_CALL_FREE || k->deadline > now)
			continue;
		if ((r = call_expire(c, k, now, out)) != 0)
			return r;
	}
	return PK_OK;
}

uint64_t
pptp_call_next_deadline(const struct pptp_ctrl *c)
{
	uint64_t t = PK_TIME_NEVER;

	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++)
		if (c->calls[i].state != PPTP_CALL_FREE)
			t = pk_deadline_min(t, c->calls[i].deadline);
	return t;
}

int
pptp_call_end_all(struct pptp_ctrl *c, uint64_t now, int origin, int code,
    const char *why, struct pk_out *out)
{
	int r;

	for (size_t i = 0; i < PK_CTRL_CALLS_MAX; i++) {
		struct pptp_call *k = &c->calls[i];

		if (k->state == PPTP_CALL_FREE)
			continue;
		if ((r = pptp_call_emit_end(c, now, k, origin, code, 0, 0, 0,
		    NULL, why, out)) != 0)
			return r;
		pptp_call_enter(c, k, PPTP_CALL_FREE, PPTP_CV_CTRL_DOWN, now);
	}
	return PK_OK;
}

const char *
pptp_call_state_name(int state)
{
	switch (state) {
	case PPTP_CALL_FREE:
		return "free";
	case PPTP_CALL_WAIT_REPLY:
		return "wait-reply";
	case PPTP_CALL_WAIT_ANSWER:
		return "wait-answer";
	case PPTP_CALL_WAIT_CONNECT:
		return "wait-connect";
	case PPTP_CALL_ESTABLISHED:
		return "established";
	case PPTP_CALL_CLEARING:
		return "clearing";
	case PPTP_CALL_WAIT_DISCONNECT:
		return "wait-disconnect";
	}
	return "?";
}
