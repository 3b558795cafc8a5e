/*
 * scan_conn.c - one scan probe over one control connection (see
 * scan_conn.h): the engine's pptp_ctrl (PNS) for the control connection,
 * gre_chan for the call's GRE, and the LCP prober of scan_lcp.c.
 *
 * Phases, each bounded by timeout_ms:
 *   REPLY      SCCRQ sent, waiting for the answer
 *   CALL       Outgoing-Call-Request sent
 *   LCP        negotiating, until the method has a verdict
 *   WAIT_AUTH  accepted and LCP up: wait for the CHAP Challenge / EAP
 *              Request that proves the server means it
 *   LCP_CLOSE  our Terminate-Request sent
 *   CLEAR      Call-Clear-Request sent
 *   STOP       Stop-Control-Connection-Request sent
 *   DONE       the control connection is down; close TCP
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/scan_conn.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "gre/gre.h"
#include "gre/gre_chan.h"
#include "pptp/ctrl.h"
#include "ppp/ppp_proto.h"

/* Our GRE receive window: a probe exchanges a handful of frames. */
#define SCAN_GRE_RWIN 8
/* Internal result lists: control messages and a window of GRE frames. */
#define SCAN_CTRL_ARENA 4096
#define SCAN_GRE_ARENA (SCAN_GRE_RWIN * (PK_GRE_PACKET_MAX + 64) + 4096)
#define SCAN_OUT_ITEMS 64
/* After LCP is up with the method, how long to wait for the Challenge
 * at most (less if timeout_ms is shorter). */
#define SCAN_WAIT_AUTH_MS 3000
/*
 * The least time LCP gets for a verdict: servers retransmit a lost
 * Configure-Request after their Restart timer (RFC 1661 §4.6: 3 s, as
 * pppd and pptpkitd use), so a short --timeout must still leave room
 * for two of those.
 */
#define SCAN_LCP_MIN_WAIT_MS 7000
/*
 * GRE packets that arrive while the Outgoing-Call-Reply is still on its
 * way: the server sends its first LCP Configure-Request right after the
 * reply, over another socket, and the loop may read it first. Kept and
 * replayed once the call is up (else the server's Restart timer, 3 s,
 * would be lost for nothing).
 */
#define SCAN_EARLY_GRE_MAX 4

enum conn_phase {
	PH_REPLY = 0,
	PH_CALL,
	PH_LCP,
	PH_WAIT_AUTH,
	PH_LCP_CLOSE,
	PH_CLEAR,
	PH_STOP,
	PH_DONE,
};

struct scan_conn {
	struct scan_conn_config cfg;
	struct scan_conn_result res;
	int phase;
	uint64_t started;
	uint64_t deadline;		/* the current phase's */
	uint64_t hard_deadline;		/* the probe's */
	struct pptp_ctrl *ctrl;
	struct pk_out ctrl_out;
	uint8_t rx[SCAN_REPLY_BUF_MAX];
	size_t rx_len;
	uint16_t peer_call_id;
	int call_live;			/* our call exists in pptp_ctrl */
	struct gre_chan *gre;
	struct pk_out gre_out;
	struct scan_lcp lcp;
	int lcp_live;
	int got_gre;
	struct {
		size_t len;
		uint8_t data[PK_GRE_PACKET_MAX];
	} early[SCAN_EARLY_GRE_MAX];
	size_t n_early;
	/* The caller's list and time, for the LCP send callback. */
	struct pk_out *out;
	uint64_t now;
};

static void process_lcp(struct scan_conn *c);
static int gre_packet(struct scan_conn *c, const uint8_t *pkt, size_t len);

const char *
scan_conn_outcome_name(int outcome)
{
	static const char *const names[] = {
		"running", "reply-only", "verdict", "no-authentication",
		"no-control-connection", "call-refused", "no-gre",
		"undecided",
	};

	if (outcome < 0 || (size_t)outcome >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[outcome];
}

static void set_note(struct scan_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The first reason a probe ended the way it did; later ones add
 * nothing. */
static void
set_note(struct scan_conn *c, const char *fmt, ...)
{
	va_list ap;

	if (c->res.note[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(c->res.note, sizeof(c->res.note), fmt, ap);
	va_end(ap);
}

static void
set_outcome(struct scan_conn *c, int outcome)
{
	if (c->res.outcome == SCAN_OUT_RUNNING)
		c->res.outcome = outcome;
}

static void
enter(struct scan_conn *c, int phase)
{
	c->phase = phase;
	c->deadline = phase == PH_DONE ? PK_TIME_NEVER :
	    c->now + c->cfg.timeout_ms;
}

/* --- the reply --- */

static void
reply_feed(struct scan_conn *c, const uint8_t *data, size_t len, int eof)
{
	size_t room = sizeof(c->rx) - c->rx_len;

	if (c->res.reply_done)
		return;
	if (len > room)
		len = room;
	if (len > 0)
		memcpy(c->rx + c->rx_len, data, len);
	c->rx_len += len;
	/* A full buffer holds the longest control message: decide now. */
	if (scan_reply_parse(c->rx, c->rx_len, eof || c->rx_len ==
	    sizeof(c->rx), &c->res.reply) == 0) {
		c->res.reply_done = 1;
		c->res.rtt_ms = c->now - c->started;
	}
}

/* --- teardown steps --- */

static void
go_stop(struct scan_conn *c)
{
	if (c->phase >= PH_STOP)
		return;
	enter(c, PH_STOP);
	/* Stops the call too (RFC 2637 §2.3); goes down at once if the
	 * connection was never established. */
	(void)pptp_ctrl_stop(c->ctrl, c->now, PPTP_STOP_NONE, &c->ctrl_out);
}

static void
go_clear(struct scan_conn *c)
{
	if (c->phase >= PH_CLEAR)
		return;
	if (c->lcp_live) {
		scan_lcp_lower_down(&c->lcp, c->now);
		c->lcp_live = 0;
	}
	if (!c->call_live) {
		go_stop(c);
		return;
	}
	enter(c, PH_CLEAR);
	if (pptp_ctrl_call_clear(c->ctrl, c->now, c->cfg.call_id,
	    &c->ctrl_out) != 0)
		go_stop(c);
}

static void
go_lcp_close(struct scan_conn *c)
{
	if (c->phase >= PH_LCP_CLOSE)
		return;
	enter(c, PH_LCP_CLOSE);
	/* RFC 1661 §5.5: Terminate-Request, wait for the Ack (the Restart
	 * timer bounds it: Max-Terminate 2 x 1 s). */
	scan_lcp_close(&c->lcp, c->now, "pptpkit scan: probe complete");
	if (c->lcp.finished)
		go_clear(c);
}

/* --- the control connection's events --- */

static int
lcp_send(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct scan_conn *c = arg;
	uint8_t frame[PK_PPP_FRAME_MAX];
	struct buf_writer w;

	if (c->gre == NULL || c->out == NULL)
		return PK_ERR_STATE;
	/* RFC 1662 §3.1 address/control, then the protocol (RFC 1661 §2):
	 * LCP is never compressed. */
	buf_writer_init(&w, frame, sizeof(frame));
	buf_put_u8(&w, PPP_ADDRESS);
	buf_put_u8(&w, PPP_CONTROL);
	buf_put_u16(&w, proto);
	buf_put_bytes(&w, pkt, len);
	if (w.err != 0)
		return w.err;
	return gre_chan_send(c->gre, c->now, frame, w.len, c->out);
}

static void
on_call_up(struct scan_conn *c, size_t idx)
{
	struct pptp_ev_call_up up;
	struct gre_chan_config gc;

	if (out_event_payload(&c->ctrl_out, idx, &up, sizeof(up)) != 0) {
		go_stop(c);
		return;
	}
	c->peer_call_id = up.peer_call_id;
	gre_chan_config_default(&gc, c->cfg.call_id, up.peer_call_id);
	gc.rwin = SCAN_GRE_RWIN;
	gc.peer_rwin = up.peer_recv_window;
	gc.peer_ppd = up.peer_processing_delay;
	if (gre_chan_new(&c->gre, &gc) != 0) {
		set_note(c, "out of memory");
		go_clear(c);
		return;
	}
	scan_lcp_init(&c->lcp, c->cfg.method, c->cfg.log_ctx, lcp_send, c);
	c->lcp_live = 1;
	enter(c, PH_LCP);
	if (c->cfg.timeout_ms < SCAN_LCP_MIN_WAIT_MS)
		c->deadline = c->now + SCAN_LCP_MIN_WAIT_MS;
	scan_lcp_start(&c->lcp, c->now);
	for (size_t i = 0; i < c->n_early && c->lcp_live; i++)
		(void)gre_packet(c, c->early[i].data, c->early[i].len);
	c->n_early = 0;
}

static void
on_call_end(struct scan_conn *c, size_t idx, int up)
{
	struct pptp_ev_call_end e;
	char what[96];

	c->call_live = 0;
	if (c->phase < PH_LCP_CLOSE &&
	    out_event_payload(&c->ctrl_out, idx, &e, sizeof(e)) == 0) {
		if (!up) {
			snprintf(what, sizeof(what), "result %u (%s), error %u",
			    e.result, pptp_result_name(PPTP_OCRP, e.result),
			    e.error);
			set_outcome(c, SCAN_OUT_CALL_FAILED);
			set_note(c, "the server refused our Outgoing-Call-"
			    "Request: %s", what);
		} else {
			snprintf(what, sizeof(what), "result %u (%s)",
			    e.result, pptp_result_name(PPTP_CDN, e.result));
			set_note(c, "the server ended the call during LCP "
			    "(Call-Disconnect-Notify %s)", what);
		}
	}
	if (c->lcp_live) {
		scan_lcp_lower_down(&c->lcp, c->now);
		c->lcp_live = 0;
	}
	go_stop(c);
}

static void
on_ctrl_event(struct scan_conn *c, size_t idx)
{
	struct pptp_call_params p;
	struct pk_event ev;
	uint16_t id;

	if (out_get_event(&c->ctrl_out, idx, &ev) != 0)
		return;
	switch (ev.type) {
	case PPTP_EV_CTRL_UP:
		if (c->cfg.method < 0) {
			set_outcome(c, SCAN_OUT_REPLY_ONLY);
			go_stop(c);
			break;
		}
		pptp_call_params_default(&p);
		p.local_call_id = c->cfg.call_id;
		p.recv_window = SCAN_GRE_RWIN;
		enter(c, PH_CALL);
		if (pptp_ctrl_call_start(c->ctrl, c->now, &p, &id,
		    &c->ctrl_out) != 0) {
			set_note(c, "could not place a call");
			go_stop(c);
			break;
		}
		c->call_live = 1;
		break;
	case PPTP_EV_CALL_UP:
		on_call_up(c, idx);
		break;
	case PPTP_EV_CALL_FAILED:
		on_call_end(c, idx, 0);
		break;
	case PPTP_EV_CALL_DOWN:
		on_call_end(c, idx, 1);
		break;
	case PPTP_EV_CTRL_DOWN:
		if (c->phase == PH_REPLY || c->phase == PH_CALL) {
			set_outcome(c, c->phase == PH_REPLY ?
			    SCAN_OUT_NO_CONTROL : SCAN_OUT_CALL_FAILED);
			set_note(c, "control connection: %s", ev.text);
		} else if (c->phase < PH_LCP_CLOSE)
			set_note(c, "the server closed the control connection "
			    "during LCP (%s)", ev.text);
		c->res.clean = c->phase == PH_STOP && ev.code == 0;
		if (c->lcp_live) {
			scan_lcp_lower_down(&c->lcp, c->now);
			c->lcp_live = 0;
		}
		c->call_live = 0;
		enter(c, PH_DONE);
		break;
	}
}

/* Moves pptp_ctrl's output on: bytes to the caller, events handled here
 * (handlers may append more, which this loop reaches too). */
static void
drain_ctrl(struct scan_conn *c)
{
	for (size_t i = 0; i < c->ctrl_out.n_items; i++) {
		const struct out_item *it = out_item(&c->ctrl_out, i);

		if (it->kind == OUT_CTRL)
			(void)out_copy_item(c->out, &c->ctrl_out, i);
		else if (it->kind == OUT_EVENT)
			on_ctrl_event(c, i);
	}
	out_reset(&c->ctrl_out);
	if (c->lcp_live)
		process_lcp(c);
}

/* --- LCP results --- */

static int
wants_challenge(int method)
{
	return method != SCAN_M_PAP;
}

static void
process_lcp(struct scan_conn *c)
{
	struct scan_lcp *l = &c->lcp;
	size_t n;

	if (l->reqs > 0 && !c->res.offered_known) {
		c->res.offered_known = 1;
		c->res.offered = l->first;
		c->res.offered_raw_len = l->first_raw_len;
		memcpy(c->res.offered_raw, l->first_raw, l->first_raw_len);
	}
	if (l->verdict != SCAN_V_UNTESTED && c->res.verdict == SCAN_V_UNTESTED) {
		c->res.verdict = l->verdict;
		snprintf(c->res.evidence, sizeof(c->res.evidence), "%s",
		    l->evidence);
		set_outcome(c, SCAN_OUT_VERDICT);
	}
	if (l->first == SCAN_M_NONE && l->verdict == SCAN_V_UNTESTED) {
		set_outcome(c, SCAN_OUT_NO_AUTH);
		go_lcp_close(c);
	}
	if (l->peer_terminated && c->phase < PH_LCP_CLOSE) {
		if (l->verdict == SCAN_V_UNTESTED) {
			set_outcome(c, SCAN_OUT_UNDECIDED);
			set_note(c, "the server ended LCP before answering: "
			    "\"%s\"", l->fsm.peer_reason);
		}
		go_clear(c);
		return;
	}
	if (c->phase == PH_LCP && l->verdict == SCAN_V_REFUSED)
		go_lcp_close(c);
	else if (c->phase == PH_LCP && l->verdict == SCAN_V_ACCEPTED &&
	    l->opened) {
		if (wants_challenge(c->cfg.method) && !l->auth_started) {
			enter(c, PH_WAIT_AUTH);
			if (c->cfg.timeout_ms > SCAN_WAIT_AUTH_MS)
				c->deadline = c->now + SCAN_WAIT_AUTH_MS;
		} else
			go_lcp_close(c);
	}
	if (c->phase == PH_WAIT_AUTH && l->auth_started)
		go_lcp_close(c);
	if (l->auth_started && c->res.verdict == SCAN_V_ACCEPTED &&
	    strstr(c->res.evidence, "; then") == NULL) {
		n = strlen(c->res.evidence);
		if (c->cfg.method == SCAN_M_EAP)
			snprintf(c->res.evidence + n,
			    sizeof(c->res.evidence) - n, "; then an EAP "
			    "Request");
		else
			snprintf(c->res.evidence + n,
			    sizeof(c->res.evidence) - n, "; then a CHAP "
			    "Challenge (%zu-byte value)", l->challenge_len);
	}
	if (l->finished && c->phase >= PH_LCP && c->phase < PH_CLEAR)
		go_clear(c);
}

/* --- entry points --- */

int
scan_conn_new(struct scan_conn **cp, const struct scan_conn_config *cfg,
    uint64_t now)
{
	struct pptp_ctrl_config cc;
	struct scan_conn *c;
	int r;

	*cp = NULL;
	if (cfg->timeout_ms == 0 || cfg->method >= SCAN_METHODS ||
	    cfg->method < -1)
		return PK_ERR_ARG;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return PK_ERR_NOMEM;
	c->cfg = *cfg;
	c->cfg.log_ctx[sizeof(c->cfg.log_ctx) - 1] = '\0';
	c->started = c->now = now;
	c->res.verdict = SCAN_V_UNTESTED;
	c->res.offered = SCAN_M_OTHER;
	c->hard_deadline = now + (uint64_t)SCAN_CONN_LIFETIME_WAITS *
	    cfg->timeout_ms + SCAN_LCP_MIN_WAIT_MS;
	pptp_ctrl_config_default(&cc, PPTP_ROLE_PNS);
	/* Say who is asking: an operator reading the server's log sees a
	 * scan, not a mystery client. */
	snprintf(cc.host_name, sizeof(cc.host_name), "pptpkit-scan");
	cc.echo_interval_ms = 0;
	cc.setup_timeout_ms = cfg->timeout_ms;
	cc.call_timeout_ms = cfg->timeout_ms;
	cc.stop_timeout_ms = cfg->timeout_ms;
	cc.recv_window = SCAN_GRE_RWIN;
	cc.max_calls = 1;
	snprintf(cc.log_ctx, sizeof(cc.log_ctx), "%s", c->cfg.log_ctx);
	if ((r = pptp_ctrl_new(&c->ctrl, &cc, now)) != 0 ||
	    (r = out_init(&c->ctrl_out, SCAN_CTRL_ARENA, SCAN_OUT_ITEMS)) != 0 ||
	    (r = out_init(&c->gre_out, SCAN_GRE_ARENA, SCAN_OUT_ITEMS)) != 0) {
		scan_conn_free(c);
		return r;
	}
	c->deadline = PK_TIME_NEVER;
	*cp = c;
	return PK_OK;
}

void
scan_conn_free(struct scan_conn *c)
{
	if (c == NULL)
		return;
	pptp_ctrl_free(c->ctrl);
	gre_chan_free(c->gre);
	out_free(&c->ctrl_out);
	out_free(&c->gre_out);
	free(c);
}

static void
begin(struct scan_conn *c, uint64_t now, struct pk_out *out)
{
	c->now = now;
	c->out = out;
}

static int
finish(struct scan_conn *c)
{
	int full = c->out->overflow || c->ctrl_out.overflow ||
	    c->gre_out.overflow;

	c->out = NULL;
	return full ? PK_ERR_FULL : PK_OK;
}

int
scan_conn_start(struct scan_conn *c, uint64_t now, struct pk_out *out)
{
	begin(c, now, out);
	enter(c, PH_REPLY);
	(void)pptp_ctrl_start(c->ctrl, now, &c->ctrl_out);
	drain_ctrl(c);
	return finish(c);
}

int
scan_conn_ctrl_input(struct scan_conn *c, uint64_t now, const uint8_t *data,
    size_t len, struct pk_out *out)
{
	if (c->phase == PH_DONE)
		return PK_OK;
	begin(c, now, out);
	reply_feed(c, data, len, 0);
	(void)pptp_ctrl_input(c->ctrl, now, data, len, &c->ctrl_out);
	drain_ctrl(c);
	return finish(c);
}

int
scan_conn_ctrl_eof(struct scan_conn *c, uint64_t now, struct pk_out *out)
{
	if (c->phase == PH_DONE)
		return PK_OK;
	begin(c, now, out);
	reply_feed(c, NULL, 0, 1);
	(void)pptp_ctrl_peer_closed(c->ctrl, now, &c->ctrl_out);
	drain_ctrl(c);
	return finish(c);
}

/* One GRE packet through the channel, its frames to the prober. */
static int
gre_packet(struct scan_conn *c, const uint8_t *pkt, size_t len)
{
	struct pk_out *out = c->out;
	uint64_t now = c->now;
	int r;

	r = gre_chan_input(c->gre, now, pkt, len, &c->gre_out);
	if (r != PK_ERR_NOT_FOUND && r != PK_ERR_SHORT &&
	    r != PK_ERR_VERSION && r != PK_ERR_TYPE && r != PK_ERR_VALUE &&
	    r != PK_ERR_LENGTH)
		c->got_gre = 1;
	for (size_t i = 0; i < c->gre_out.n_items; i++) {
		const struct out_item *it = out_item(&c->gre_out, i);

		if (it->kind == OUT_GRE)
			(void)out_copy_item(out, &c->gre_out, i);
		else if (it->kind == OUT_PPP && c->lcp_live) {
			(void)scan_lcp_frame(&c->lcp, now,
			    out_data(&c->gre_out, i), it->len);
			process_lcp(c);
		}
	}
	out_reset(&c->gre_out);
	return r;
}

int
scan_conn_gre_input(struct scan_conn *c, uint64_t now, const uint8_t *pkt,
    size_t len, struct pk_out *out)
{
	uint16_t call_id;
	int r;

	if (c->phase == PH_DONE)
		return PK_ERR_NOT_FOUND;
	if (c->gre == NULL) {
		/* Ours, but early: keep it for when the call is up. */
		if (c->phase != PH_CALL || len > PK_GRE_PACKET_MAX ||
		    gre_peek_call_id(pkt, len, &call_id) != 0 ||
		    call_id != c->cfg.call_id ||
		    c->n_early >= SCAN_EARLY_GRE_MAX)
			return PK_ERR_NOT_FOUND;
		memcpy(c->early[c->n_early].data, pkt, len);
		c->early[c->n_early++].len = len;
		return PK_OK;
	}
	begin(c, now, out);
	r = gre_packet(c, pkt, len);
	drain_ctrl(c);
	finish(c);
	return r;
}

/* Seconds for notes: "5", "0.5". */
static void
fmt_secs(char *buf, size_t len, uint32_t ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%u", ms / 1000);
	else
		snprintf(buf, len, "%u.%u", ms / 1000, ms % 1000 / 100);
}

/* A phase ran out of time. */
static void
phase_expired(struct scan_conn *c)
{
	uint32_t lcp_ms = c->cfg.timeout_ms < SCAN_LCP_MIN_WAIT_MS ?
	    SCAN_LCP_MIN_WAIT_MS : c->cfg.timeout_ms;
	char secs[16];

	fmt_secs(secs, sizeof(secs), c->cfg.timeout_ms);
	switch (c->phase) {
	case PH_REPLY:
		if (!c->res.reply_done) {
			c->res.reply_timed_out = 1;
			reply_feed(c, NULL, 0, 1);
		}
		set_outcome(c, SCAN_OUT_NO_CONTROL);
		set_note(c, "no Start-Control-Connection-Reply within %s s",
		    secs);
		go_stop(c);
		break;
	case PH_CALL:
		set_outcome(c, SCAN_OUT_CALL_FAILED);
		set_note(c, "no Outgoing-Call-Reply within %s s", secs);
		go_stop(c);
		break;
	case PH_LCP:
		fmt_secs(secs, sizeof(secs), lcp_ms);
		if (!c->got_gre) {
			set_outcome(c, SCAN_OUT_NO_GRE);
			set_note(c, "the call is up but no GRE packet came back "
			    "within %s s: GRE (IP protocol 47) is blocked or "
			    "not forwarded on the path", secs);
		} else {
			set_outcome(c, SCAN_OUT_UNDECIDED);
			set_note(c, "LCP gave no answer about %s within %s s",
			    scan_method_name(c->cfg.method), secs);
		}
		go_lcp_close(c);
		break;
	case PH_WAIT_AUTH:
		go_lcp_close(c);
		break;
	case PH_LCP_CLOSE:
		go_clear(c);
		break;
	case PH_CLEAR:
		go_stop(c);
		break;
	case PH_STOP:
		enter(c, PH_DONE);
		break;
	}
}

int
scan_conn_timeout(struct scan_conn *c, uint64_t now, struct pk_out *out)
{
	if (c->phase == PH_DONE)
		return PK_OK;
	begin(c, now, out);
	if (pptp_ctrl_next_deadline(c->ctrl) <= now)
		(void)pptp_ctrl_timeout(c->ctrl, now, &c->ctrl_out);
	drain_ctrl(c);
	if (c->gre != NULL && gre_chan_next_deadline(c->gre) <= now) {
		(void)gre_chan_timeout(c->gre, now, &c->gre_out);
		for (size_t i = 0; i < c->gre_out.n_items; i++)
			if (out_item(&c->gre_out, i)->kind == OUT_GRE)
				(void)out_copy_item(out, &c->gre_out, i);
		out_reset(&c->gre_out);
	}
	if (c->lcp_live && scan_lcp_next_deadline(&c->lcp) <= now) {
		scan_lcp_timeout(&c->lcp, now);
		process_lcp(c);
	}
	if (c->phase != PH_DONE && c->deadline <= now)
		phase_expired(c);
	drain_ctrl(c);
	if (c->phase != PH_DONE && c->hard_deadline <= now) {
		set_note(c, "probe ended after its time limit");
		enter(c, PH_DONE);
	}
	return finish(c);
}

uint64_t
scan_conn_next_deadline(const struct scan_conn *c)
{
	uint64_t t;

	if (c->phase == PH_DONE)
		return PK_TIME_NEVER;
	t = pk_deadline_min(c->deadline, c->hard_deadline);
	t = pk_deadline_min(t, pptp_ctrl_next_deadline(c->ctrl));
	if (c->gre != NULL)
		t = pk_deadline_min(t, gre_chan_next_deadline(c->gre));
	if (c->lcp_live)
		t = pk_deadline_min(t, scan_lcp_next_deadline(&c->lcp));
	return t;
}

int
scan_conn_done(const struct scan_conn *c)
{
	return c->phase == PH_DONE;
}

const struct scan_conn_result *
scan_conn_result(const struct scan_conn *c)
{
	return &c->res;
}

void
scan_conn_report(const struct scan_conn *c, struct scan_report *rep)
{
	const struct scan_conn_result *r = &c->res;
	int first = rep->reply.kind == SCAN_REPLY_UNDECIDED;

	if (first && r->reply_done) {
		rep->reply = r->reply;
		rep->reply_timed_out = r->reply_timed_out;
		rep->rtt_ms = r->rtt_ms;
	}
	if (c->cfg.method < 0 || rep->deep != SCAN_DEEP_RUNNING)
		return;
	rep->probes++;
	if (r->offered_known)
		scan_report_offered(rep, r->offered, r->offered_raw,
		    r->offered_raw_len);
	switch (r->outcome) {
	case SCAN_OUT_VERDICT:
		scan_report_verdict(rep, c->cfg.method, r->verdict,
		    r->evidence);
		break;
	case SCAN_OUT_NO_AUTH:
		rep->deep = SCAN_DEEP_NO_AUTH;
		break;
	case SCAN_OUT_NO_CONTROL:
		rep->deep = scan_report_is_pptp(rep) ? SCAN_DEEP_FAILED :
		    SCAN_DEEP_SKIPPED;
		break;
	case SCAN_OUT_CALL_FAILED:
	case SCAN_OUT_NO_GRE:
		rep->deep = SCAN_DEEP_FAILED;
		break;
	default:
		/* Undecided, or the connection ended under us: this method
		 * stays unknown, the others are still worth asking. */
		scan_report_verdict(rep, c->cfg.method, SCAN_V_ERROR,
		    r->note[0] != '\0' ? r->note : "no answer");
		break;
	}
	if (rep->deep == SCAN_DEEP_FAILED && rep->deep_note[0] == '\0')
		snprintf(rep->deep_note, sizeof(rep->deep_note), "%s",
		    r->note[0] != '\0' ? r->note : "probe failed");
	if (rep->deep == SCAN_DEEP_RUNNING && scan_plan_next(rep) < 0)
		rep->deep = SCAN_DEEP_DONE;
}
