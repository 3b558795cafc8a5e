/*
 * ctrl.c - the PPTP control connection: stream reassembly, the RFC 2637
 * §3.1 state machine, keep-alives and timers (see ctrl.h); the calls are
 * in call.c.
 *
 * States (RFC 2637 §3.1.1 originator, §3.1.2 receiver):
 *   IDLE             receiver waiting for SCCRQ; originator before start
 *   WAIT_CTL_REPLY   originator sent SCCRQ
 *   ESTABLISHED      calls may be placed
 *   WAIT_STOP_REPLY  we sent StopCCRQ
 *   CLOSED           CTRL_DOWN emitted. The RFC returns to idle with TCP
 *                    closed; a new TCP connection gets a new object.
 * Timers:
 *   setup  IDLE and WAIT_CTL_REPLY: setup_timeout_ms after creation or
 *          pptp_ctrl_start() ([MS-PTPT] §3.1.5.1: 30 s both ways)
 *   echo   ESTABLISHED: Echo-Request echo_interval_ms after the last
 *          complete message received; down if the matching Echo-Reply is
 *          not back within echo_timeout_ms (RFC 2637 §3.1.4 item 2)
 *   stop   WAIT_STOP_REPLY: stop_timeout_ms (RFC 2637 §3: 60 s)
 *   call   one per call, see call.c
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/rand.h"
#include "pptp/ctrl_int.h"

/* The reassembly buffer must always have room for one more message. */
_Static_assert(PK_CTRL_RXBUF >= 2 * PK_CTRL_MSG_MAX,
    "PK_CTRL_RXBUF too small for stream reassembly");

#define PPTPKIT_FIRMWARE_REV 0x0001
#define PPTPKIT_VENDOR "pptpkit"
/* Lines a peer can trigger: a burst per interval. */
#define PEER_LOG_INTERVAL_MS 10000
#define PEER_LOG_BURST 10

/* Control-connection events, the input of the state machine below. */
enum ctl_ev {
	CE_START,		/* owner: we are the originator */
	CE_RX_SCCRQ,		/* version acceptable */
	CE_RX_SCCRQ_BADVER,	/* version lower than ours */
	CE_RX_SCCRP_OK,
	CE_RX_SCCRP_BADVER,	/* "successful" but a version we lack */
	CE_RX_SCCRP_REFUSED,	/* any other Result Code */
	CE_RX_STOPCCRQ,
	CE_RX_STOPCCRP,
	CE_LOCAL_STOP,
	CE_SETUP_TIMEOUT,
	CE_ECHO_TIMEOUT,
	CE_STOP_TIMEOUT,
	CE_PEER_CLOSED,		/* TCP EOF or error */
	CE_MALFORMED,		/* framing error: stream out of sync */
	CE_COUNT
};

static const char *const ce_names[CE_COUNT] = {
	[CE_START] = "start",
	[CE_RX_SCCRQ] = "rx SCCRQ",
	[CE_RX_SCCRQ_BADVER] = "rx SCCRQ (unsupported version)",
	[CE_RX_SCCRP_OK] = "rx SCCRP",
	[CE_RX_SCCRP_BADVER] = "rx SCCRP (unsupported version)",
	[CE_RX_SCCRP_REFUSED] = "rx SCCRP (refused)",
	[CE_RX_STOPCCRQ] = "rx StopCCRQ",
	[CE_RX_STOPCCRP] = "rx StopCCRP",
	[CE_LOCAL_STOP] = "local stop",
	[CE_SETUP_TIMEOUT] = "setup timeout",
	[CE_ECHO_TIMEOUT] = "echo timeout",
	[CE_STOP_TIMEOUT] = "stop timeout",
	[CE_PEER_CLOSED] = "peer closed",
	[CE_MALFORMED] = "malformed message",
};

struct ctl_arg {
	const struct pptp_msg *m;	/* the message of an rx event */
	int code;			/* PK_ERR_* of a down event */
	uint8_t reason;			/* StopCCRQ Reason to send */
	const char *why;		/* text for CTRL_DOWN */
};

typedef int ctl_action(struct pptp_ctrl *, uint64_t, const struct ctl_arg *,
    struct pk_out *);

#define S_ANY (-1)	/* any state but CLOSED */
#define S_SAME (-1)	/* stay */

struct ctl_transition {
	int state;
	int ev;
	ctl_action *act;
	int next;
};

static ctl_action act_send_sccrq, act_accept_sccrq, act_refuse_version,
    act_sccrq_exists, act_ctl_up, act_stop_protocol, act_down_refused,
    act_answer_stop, act_down_stopped, act_down_local, act_send_stop,
    act_down_timeout, act_down_closed, act_down_malformed;

/*
 * RFC 2637 §3.1.1 and §3.1.2 as one table (the two diagrams differ only
 * in who sends SCCRQ). The first matching row wins; an rx event with no
 * row is a message unexpected in this state, dropped and counted.
 */
static const struct ctl_transition ctl_table[] = {
	{ PPTP_CTRL_IDLE, CE_START, act_send_sccrq,
	    PPTP_CTRL_WAIT_CTL_REPLY },
	{ PPTP_CTRL_IDLE, CE_RX_SCCRQ, act_accept_sccrq,
	    PPTP_CTRL_ESTABLISHED },
	{ PPTP_CTRL_IDLE, CE_RX_SCCRQ_BADVER, act_refuse_version,
	    PPTP_CTRL_CLOSED },
	/* §3.1.3 on a single TCP connection: the channel already exists,
	 * or the side that accepted TCP tries to originate too. */
	{ PPTP_CTRL_WAIT_CTL_REPLY, CE_RX_SCCRQ, act_sccrq_exists, S_SAME },
	{ PPTP_CTRL_WAIT_CTL_REPLY, CE_RX_SCCRQ_BADVER, act_sccrq_exists,
	    S_SAME },
	{ PPTP_CTRL_ESTABLISHED, CE_RX_SCCRQ, act_sccrq_exists, S_SAME },
	{ PPTP_CTRL_ESTABLISHED, CE_RX_SCCRQ_BADVER, act_sccrq_exists,
	    S_SAME },
	{ PPTP_CTRL_WAIT_CTL_REPLY, CE_RX_SCCRP_OK, act_ctl_up,
	    PPTP_CTRL_ESTABLISHED },
	{ PPTP_CTRL_WAIT_CTL_REPLY, CE_RX_SCCRP_BADVER, act_stop_protocol,
	    PPTP_CTRL_WAIT_STOP_REPLY },
	{ PPTP_CTRL_WAIT_CTL_REPLY, CE_RX_SCCRP_REFUSED, act_down_refused,
	    PPTP_CTRL_CLOSED },
	{ S_ANY, CE_RX_STOPCCRQ, act_answer_stop, PPTP_CTRL_CLOSED },
	{ PPTP_CTRL_WAIT_STOP_REPLY, CE_RX_STOPCCRP, act_down_stopped,
	    PPTP_CTRL_CLOSED },
	{ PPTP_CTRL_IDLE, CE_LOCAL_STOP, act_down_local, PPTP_CTRL_CLOSED },
	{ PPTP_CTRL_WAIT_CTL_REPLY, CE_LOCAL_STOP, act_down_local,
	    PPTP_CTRL_CLOSED },
	{ PPTP_CTRL_ESTABLISHED, CE_LOCAL_STOP, act_send_stop,
	    PPTP_CTRL_WAIT_STOP_REPLY },
	{ PPTP_CTRL_IDLE, CE_SETUP_TIMEOUT, act_down_timeout,
	    PPTP_CTRL_CLOSED },
	{ PPTP_CTRL_WAIT_CTL_REPLY, CE_SETUP_TIMEOUT, act_down_timeout,
	    PPTP_CTRL_CLOSED },
	{ PPTP_CTRL_ESTABLISHED, CE_ECHO_TIMEOUT, act_down_timeout,
	    PPTP_CTRL_CLOSED },
	{ PPTP_CTRL_WAIT_STOP_REPLY, CE_STOP_TIMEOUT, act_down_timeout,
	    PPTP_CTRL_CLOSED },
	{ S_ANY, CE_PEER_CLOSED, act_down_closed, PPTP_CTRL_CLOSED },
	{ S_ANY, CE_MALFORMED, act_down_malformed, PPTP_CTRL_CLOSED },
};

/*
 * Runs one event through the table. Returns PK_ERR_STATE if no row
 * matches (nothing done), else what the action returned; the state moves
 * even if the action failed on a full out list.
 */
static int
ctl_fsm(struct pptp_ctrl *c, uint64_t now, int ev, const struct ctl_arg *a,
    struct pk_out *out)
{
	const struct ctl_transition *t = NULL;
	int old = c->state, r;

	for (size_t i = 0; i < sizeof(ctl_table) / sizeof(ctl_table[0]); i++) {
		const struct ctl_transition *row = &ctl_table[i];

		if (row->ev != ev)
			continue;
		if (row->state == c->state ||
		    (row->state == S_ANY && c->state != PPTP_CTRL_CLOSED)) {
			t = row;
			break;
		}
	}
	if (t == NULL)
		return PK_ERR_STATE;
	r = t->act(c, now, a, out);
	if (t->next != S_SAME)
		c->state = t->next;
	pk_log(PK_LOG_DEBUG, c->cfg.log_ctx, "ctrl %s -> %s on %s",
	    pptp_ctrl_state_name(old), pptp_ctrl_state_name(c->state),
	    ce_names[ev]);
	return r;
}

void
pptp_ctrl_sanitize(char *dst, const char *src, size_t cap)
{
	size_t i;

	if (cap == 0)
		return;
	for (i = 0; i + 1 < cap && src[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)src[i];

		dst[i] = (ch < 0x20 || ch >= 0x7f) ? '?' : (char)ch;
	}
	dst[i] = '\0';
}

void
pptp_ctrl_peer_log(struct pptp_ctrl *c, uint64_t now, int level,
    const char *ctx, const char *fmt, ...)
{
	uint32_t suppressed;
	va_list ap;

	if (level > pk_log_get_level())
		return;
	if (!pk_ratelimit_ok(&c->rl, now, &suppressed))
		return;
	if (suppressed > 0)
		pk_log(PK_LOG_NOTICE, c->cfg.log_ctx, "%u log lines caused by "
		    "the peer suppressed", suppressed);
	va_start(ap, fmt);
	pk_vlog(level, ctx != NULL ? ctx : c->cfg.log_ctx, fmt, ap);
	va_end(ap);
}

int
pptp_ctrl_send(struct pptp_ctrl *c, const struct pptp_msg *m,
    struct pk_out *out)
{
	struct buf_writer w;
	size_t len = pptp_msg_len(m->type);
	int r;

	if ((r = out_begin(out, len, &w)) != 0 ||
	    (r = pptp_msg_encode(m, &w)) != 0 ||
	    (r = out_commit(out, OUT_CTRL, 0, &w)) != 0)
		return r;
	c->stats.tx_msgs[m->type]++;
	c->stats.tx_bytes += len;
	pk_log(PK_LOG_DEBUG, c->cfg.log_ctx, "tx %s", pptp_msg_name(m->type));
	return PK_OK;
}

static int
send_stop_request(struct pptp_ctrl *c, uint64_t now, uint8_t reason,
    struct pk_out *out)
{
	struct pptp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPTP_STOPCCRQ;
	m.u.stop.reason = reason;
	c->stop_reason = reason;
	c->stop_deadline = now + c->cfg.stop_timeout_ms;
	return pptp_ctrl_send(c, &m, out);
}

/* Ends the calls, then announces the end of the connection (last). */
static int
ctl_down(struct pptp_ctrl *c, uint64_t now, int code, int origin,
    uint8_t reason, const char *why, struct pk_out *out)
{
	struct pptp_ev_ctrl_down d;
	int r;

	/* The calls end for the reason the connection did ("peer stopped
	 * the control connection: reason 3 (local shutdown)"). */
	if ((r = pptp_call_end_all(c, now, PPTP_END_CTRL, PK_ERR_CLOSED,
	    why, out)) != 0)
		return r;
	memset(&d, 0, sizeof(d));
	d.origin = origin;
	d.stop_reason = reason;
	pk_log(code == 0 ? PK_LOG_INFO : PK_LOG_NOTICE, c->cfg.log_ctx,
	    "control connection down: %s", why);
	return out_event(out, EV_SRC_CTRL, PPTP_EV_CTRL_DOWN, code, 0, &d,
	    sizeof(d), "%s", why);
}

static void
start_fill(struct pptp_ctrl *c, struct pptp_msg *m, int type)
{
	memset(m, 0, sizeof(*m));
	m->type = (uint16_t)type;
	m->u.start.version = PPTP_VERSION;
	m->u.start.framing_caps = c->cfg.framing_caps;
	m->u.start.bearer_caps = c->cfg.bearer_caps;
	m->u.start.max_channels = c->cfg.max_channels;
	m->u.start.firmware_rev = c->cfg.firmware_rev;
	snprintf(m->u.start.host_name, sizeof(m->u.start.host_name), "%s",
	    c->cfg.host_name);
	snprintf(m->u.start.vendor, sizeof(m->u.start.vendor), "%s",
	    c->cfg.vendor);
}

/* Keeps what the peer told about itself, printable. */
static void
record_peer(struct pptp_ctrl *c, const struct pptp_start *s)
{
	memset(&c->peer, 0, sizeof(c->peer));
	c->peer.peer_version = s->version;
	c->peer.peer_max_channels = s->max_channels;
	c->peer.peer_firmware_rev = s->firmware_rev;
	/* Zero capabilities are accepted: PoPToP pptpd sends them. */
	c->peer.peer_framing_caps = s->framing_caps;
	c->peer.peer_bearer_caps = s->bearer_caps;
	pptp_ctrl_sanitize(c->peer.peer_host_name, s->host_name,
	    sizeof(c->peer.peer_host_name));
	pptp_ctrl_sanitize(c->peer.peer_vendor, s->vendor,
	    sizeof(c->peer.peer_vendor));
}

static int
emit_ctrl_up(struct pptp_ctrl *c, uint64_t now, struct pk_out *out)
{
	c->last_rx = now;
	c->echo_outstanding = 0;
	pk_log(PK_LOG_INFO, c->cfg.log_ctx,
	    "control connection up: peer \"%s\" vendor \"%s\" version "
	    "%u.%u firmware 0x%04x framing 0x%x bearer 0x%x",
	    c->peer.peer_host_name, c->peer.peer_vendor,
	    c->peer.peer_version >> 8, c->peer.peer_version & 0xff,
	    c->peer.peer_firmware_rev, c->peer.peer_framing_caps,
	    c->peer.peer_bearer_caps);
	return out_event(out, EV_SRC_CTRL, PPTP_EV_CTRL_UP, 0, 0, &c->peer,
	    sizeof(c->peer), "control connection up");
}

static int
act_send_sccrq(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	struct pptp_msg m;

	start_fill(c, &m, PPTP_SCCRQ);
	/* [MS-PTPT] §3.1.5.1: the idle timer runs from the request. */
	c->setup_deadline = now + c->cfg.setup_timeout_ms;
	return pptp_ctrl_send(c, &m, out);
}

static int
act_accept_sccrq(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	struct pptp_msg m;
	int r;

	record_peer(c, &a->m->u.start);
	/*
	 * RFC 2637 §3.1.2: a peer with our version or a later one gets a
	 * reply carrying our version, and the connection is established.
	 */
	start_fill(c, &m, PPTP_SCCRP);
	m.u.start.result = PPTP_SCCRP_OK;
	if ((r = pptp_ctrl_send(c, &m, out)) != 0)
		return r;
	return emit_ctrl_up(c, now, out);
}

static int
act_refuse_version(struct pptp_ctrl *c, uint64_t now,
    const struct ctl_arg *a, struct pk_out *out)
{
	struct pptp_msg m;
	char why[PK_EVENT_TEXT_MAX];
	int r;

	/* §3.1.2: an earlier version we cannot support: reply, close. */
	start_fill(c, &m, PPTP_SCCRP);
	m.u.start.result = PPTP_SCCRP_BAD_VERSION;
	if ((r = pptp_ctrl_send(c, &m, out)) != 0)
		return r;
	snprintf(why, sizeof(why), "peer protocol version 0x%04x not "
	    "supported", a->m->u.start.version);
	return ctl_down(c, now, PK_ERR_VERSION, PPTP_END_PEER, 0, why, out);
}

static int
act_sccrq_exists(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	struct pptp_msg m;

	c->stats.rx_unexpected++;
	pptp_ctrl_peer_log(c, now, PK_LOG_NOTICE, NULL,
	    "Start-Control-Connection-Request in state %s: answered "
	    "\"already exists\"",
	    pptp_ctrl_state_name(c->state));
	start_fill(c, &m, PPTP_SCCRP);
	m.u.start.result = PPTP_SCCRP_EXISTS;
	return pptp_ctrl_send(c, &m, out);
}

static int
act_ctl_up(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	record_peer(c, &a->m->u.start);
	return emit_ctrl_up(c, now, out);
}

static int
act_stop_protocol(struct pptp_ctrl *c, uint64_t now,
    const struct ctl_arg *a, struct pk_out *out)
{
	/* §3.1.1: a reply version we do not support: Stop, reason 2. */
	record_peer(c, &a->m->u.start);
	pk_log(PK_LOG_NOTICE, c->cfg.log_ctx, "peer answered with protocol "
	    "version 0x%04x: stopping", a->m->u.start.version);
	return send_stop_request(c, now, PPTP_STOP_PROTOCOL, out);
}

static int
act_down_refused(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	const struct pptp_start *s = &a->m->u.start;
	char why[PK_EVENT_TEXT_MAX];
	int code;

	switch (s->result) {
	case PPTP_SCCRP_BAD_VERSION:
		code = PK_ERR_VERSION;
		break;
	case PPTP_SCCRP_NOT_AUTHORIZED:
		code = PK_ERR_AUTH;
		break;
	default:
		code = PK_ERR_POLICY;
		break;
	}
	record_peer(c, s);
	snprintf(why, sizeof(why), "peer refused the control connection: "
	    "result %u (%s), error %u (%s)", s->result,
	    pptp_result_name(PPTP_SCCRP, s->result), s->error,
	    pptp_general_error_name(s->error));
	return ctl_down(c, now, code, PPTP_END_PEER, 0, why, out);
}

static int
act_answer_stop(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	struct pptp_msg m;
	char why[PK_EVENT_TEXT_MAX];
	uint8_t reason = a->m->u.stop.reason;
	int r;

	/* §3.1.1: reply, then the owner closes TCP; §2.3: calls cleared. */
	memset(&m, 0, sizeof(m));
	m.type = PPTP_STOPCCRP;
	m.u.stop.reason = PPTP_STOPCCRP_OK;
	if ((r = pptp_ctrl_send(c, &m, out)) != 0)
		return r;
	snprintf(why, sizeof(why), "peer stopped the control connection: "
	    "reason %u (%s)", reason, pptp_stop_reason_name(reason));
	return ctl_down(c, now, 0, PPTP_END_PEER, reason, why, out);
}

static int
act_down_stopped(struct pptp_ctrl *c, uint64_t now,
    const struct ctl_arg *a, struct pk_out *out)
{
	char why[PK_EVENT_TEXT_MAX];
	const struct pptp_stop *s = &a->m->u.stop;

	snprintf(why, sizeof(why), "control connection stopped (reason %u, "
	    "%s); peer replied result %u (%s)", c->stop_reason,
	    pptp_stop_reason_name(c->stop_reason), s->reason,
	    pptp_result_name(PPTP_STOPCCRP, s->reason));
	/* A version stop (§3.1.1) ends in failure for the owner. */
	return ctl_down(c, now, c->stop_reason == PPTP_STOP_PROTOCOL ?
	    PK_ERR_VERSION : 0, PPTP_END_LOCAL, c->stop_reason, why, out);
}

static int
act_down_local(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	return ctl_down(c, now, 0, PPTP_END_LOCAL, 0,
	    "stopped before the control connection was established", out);
}

static int
act_send_stop(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	int r;

	pk_log(PK_LOG_INFO, c->cfg.log_ctx, "stopping control connection: "
	    "reason %u (%s)", a->reason, pptp_stop_reason_name(a->reason));
	/* §2.3: the Stop clears every call implicitly; tell the owner now. */
	if ((r = send_stop_request(c, now, a->reason, out)) != 0)
		return r;
	return pptp_call_end_all(c, now, PPTP_END_CTRL, PK_ERR_CLOSED,
	    "we stopped the control connection", out);
}

static int
act_down_timeout(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	return ctl_down(c, now, PK_ERR_TIMEOUT, PPTP_END_TIMEOUT,
	    c->state == PPTP_CTRL_WAIT_STOP_REPLY ? c->stop_reason : 0,
	    a->why, out);
}

static int
act_down_closed(struct pptp_ctrl *c, uint64_t now, const struct ctl_arg *a,
    struct pk_out *out)
{
	return ctl_down(c, now, PK_ERR_CLOSED, PPTP_END_PEER, 0,
	    c->state == PPTP_CTRL_WAIT_STOP_REPLY ?
	    "peer closed TCP instead of Stop-Control-Connection-Reply" :
	    "peer closed the TCP connection", out);
}

static int
act_down_malformed(struct pptp_ctrl *c, uint64_t now,
    const struct ctl_arg *a, struct pk_out *out)
{
	int r;

	c->stats.rx_malformed++;
	/*
	 * RFC 2637 §1.4: lost synchronisation closes the TCP session at
	 * once. If a control connection exists, say so first with Reason 1
	 * (the only reason that is neither a version nor a shutdown); we
	 * cannot parse a reply, so we do not wait for one.
	 */
	if (c->state == PPTP_CTRL_ESTABLISHED &&
	    (r = send_stop_request(c, now, PPTP_STOP_NONE, out)) != 0)
		return r;
	return ctl_down(c, now, a->code, PPTP_END_PROTOCOL,
	    c->state == PPTP_CTRL_ESTABLISHED ? PPTP_STOP_NONE : 0,
	    a->why, out);
}

void
pptp_ctrl_config_default(struct pptp_ctrl_config *cfg, int role)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	snprintf(cfg->vendor, sizeof(cfg->vendor), "%s", PPTPKIT_VENDOR);
	cfg->firmware_rev = PPTPKIT_FIRMWARE_REV;
	cfg->framing_caps = PPTP_FRAMING_CAP_ASYNC | PPTP_FRAMING_CAP_SYNC;
	cfg->bearer_caps = PPTP_BEARER_CAP_ANALOG | PPTP_BEARER_CAP_DIGITAL;
	cfg->max_channels = 0;
	cfg->max_calls = PK_CTRL_CALLS_MAX;
	cfg->echo_interval_ms = PPTP_ECHO_INTERVAL_MS;
	cfg->echo_timeout_ms = PPTP_ECHO_TIMEOUT_MS;
	cfg->setup_timeout_ms = PPTP_SETUP_TIMEOUT_MS;
	cfg->call_timeout_ms = PPTP_REPLY_TIMEOUT_MS;
	cfg->stop_timeout_ms = PPTP_REPLY_TIMEOUT_MS;
	cfg->recv_window = PK_GRE_RWIN_DEFAULT;
	cfg->processing_delay = 0;
	snprintf(cfg->log_ctx, sizeof(cfg->log_ctx), "%s",
	    role == PPTP_ROLE_PNS ? "pns" : "pac");
}

int
pptp_ctrl_new(struct pptp_ctrl **cp, const struct pptp_ctrl_config *cfg,
    uint64_t now)
{
	struct pptp_ctrl *c;

	*cp = NULL;
	if ((cfg->role != PPTP_ROLE_PAC && cfg->role != PPTP_ROLE_PNS) ||
	    cfg->max_calls == 0 || cfg->max_calls > PK_CTRL_CALLS_MAX ||
	    (cfg->echo_interval_ms != 0 && cfg->echo_timeout_ms == 0) ||
	    cfg->setup_timeout_ms == 0 || cfg->call_timeout_ms == 0 ||
	    cfg->stop_timeout_ms == 0)
		return PK_ERR_CONFIG;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return PK_ERR_NOMEM;
	c->cfg = *cfg;
	c->cfg.host_name[PPTP_HOSTNAME_LEN] = '\0';
	c->cfg.vendor[PPTP_VENDOR_LEN] = '\0';
	c->cfg.log_ctx[PPTP_LOG_CTX_MAX - 1] = '\0';
	c->state = PPTP_CTRL_IDLE;
	/* §3.1.4 item 1 / [MS-PTPT] §3.1.5.1: the receiver's timer starts
	 * with the TCP connection. */
	c->setup_deadline = now + c->cfg.setup_timeout_ms;
	c->stop_deadline = PK_TIME_NEVER;
	c->last_rx = now;
	c->next_serial = 1;
	c->echo_id = pk_rand_u32();
	pk_ratelimit_init(&c->rl, PEER_LOG_INTERVAL_MS, PEER_LOG_BURST);
	*cp = c;
	return PK_OK;
}

void
pptp_ctrl_free(struct pptp_ctrl *c)
{
	free(c);
}

int
pptp_ctrl_start(struct pptp_ctrl *c, uint64_t now, struct pk_out *out)
{
	struct ctl_arg a;

	if (c->state == PPTP_CTRL_CLOSED)
		return PK_ERR_CLOSED;
	memset(&a, 0, sizeof(a));
	return ctl_fsm(c, now, CE_START, &a, out);
}

static int
unexpected(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	c->stats.rx_unexpected++;
	pptp_ctrl_peer_log(c, now, PK_LOG_NOTICE, NULL,
	    "unexpected %s in state %s: dropped", pptp_msg_name(m->type),
	    pptp_ctrl_state_name(c->state));
	return PK_OK;
}

/* An rx event the table may not know in this state: drop, not fail. */
static int
ctl_rx_event(struct pptp_ctrl *c, uint64_t now, int ev,
    const struct pptp_msg *m, struct pk_out *out)
{
	struct ctl_arg a;
	int r;

	memset(&a, 0, sizeof(a));
	a.m = m;
	if ((r = ctl_fsm(c, now, ev, &a, out)) == PK_ERR_STATE)
		return unexpected(c, now, m);
	return r;
}

static int
rx_echo_request(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m,
    struct pk_out *out)
{
	struct pptp_msg rp;

	memset(&rp, 0, sizeof(rp));
	rp.type = PPTP_ECHORP;
	rp.u.echo.id = m->u.echo.id;
	if (c->state == PPTP_CTRL_ESTABLISHED ||
	    c->state == PPTP_CTRL_WAIT_STOP_REPLY) {
		rp.u.echo.result = PPTP_ECHORP_OK;
	} else {
		/* §2.16: no control connection exists yet. */
		c->stats.rx_unexpected++;
		pptp_ctrl_peer_log(c, now, PK_LOG_NOTICE, NULL,
		    "Echo-Request before the control connection is up: "
		    "answered Not-Connected");
		rp.u.echo.result = PPTP_ECHORP_GENERAL_ERROR;
		rp.u.echo.error = PPTP_GE_NOT_CONNECTED;
	}
	c->stats.echo_answered++;
	return pptp_ctrl_send(c, &rp, out);
}

static int
rx_echo_reply(struct pptp_ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	if (c->echo_outstanding && m->u.echo.id == c->echo_id) {
		c->echo_outstanding = 0;
		c->stats.echo_replies++;
		return PK_OK;
	}
	c->stats.rx_unexpected++;
	pptp_ctrl_peer_log(c, now, PK_LOG_NOTICE, NULL,
	    "Echo-Reply with identifier 0x%08x matches no Echo-Request: "
	    "dropped",
	    m->u.echo.id);
	return PK_OK;
}

/* Framing or decoding failed: the stream cannot be trusted any more. */
static int
rx_malformed(struct pptp_ctrl *c, uint64_t now, int err, struct pk_out *out)
{
	struct ctl_arg a;
	char why[PK_EVENT_TEXT_MAX];
	int r;

	snprintf(why, sizeof(why), "malformed control message from peer: %s",
	    pk_strerror(err));
	memset(&a, 0, sizeof(a));
	a.code = err;
	a.why = why;
	if ((r = ctl_fsm(c, now, CE_MALFORMED, &a, out)) != 0)
		return r;
	return err;
}

static int
rx_message(struct pptp_ctrl *c, uint64_t now, const uint8_t *p, size_t len,
    struct pk_out *out)
{
	struct pptp_msg m;
	int dr, ev;

	dr = pptp_msg_decode(p, len, &m);
	if (dr != 0 && dr != PK_ERR_VERSION)
		return rx_malformed(c, now, dr, out);
	c->last_rx = now;
	c->stats.rx_msgs[m.type]++;
	pk_log(PK_LOG_DEBUG, c->cfg.log_ctx, "rx %s", pptp_msg_name(m.type));
	switch (m.type) {
	case PPTP_SCCRQ:
		/* §3.1.2: only an earlier version is a reason to refuse. */
		ev = (dr == PK_ERR_VERSION &&
		    m.u.start.version < PPTP_VERSION) ?
		    CE_RX_SCCRQ_BADVER : CE_RX_SCCRQ;
		return ctl_rx_event(c, now, ev, &m, out);
	case PPTP_SCCRP:
		if (m.u.start.result != PPTP_SCCRP_OK)
			ev = CE_RX_SCCRP_REFUSED;
		else
			ev = dr == PK_ERR_VERSION ? CE_RX_SCCRP_BADVER :
			    CE_RX_SCCRP_OK;
		return ctl_rx_event(c, now, ev, &m, out);
	case PPTP_STOPCCRQ:
		return ctl_rx_event(c, now, CE_RX_STOPCCRQ, &m, out);
	case PPTP_STOPCCRP:
		return ctl_rx_event(c, now, CE_RX_STOPCCRP, &m, out);
	case PPTP_ECHORQ:
		return rx_echo_request(c, now, &m, out);
	case PPTP_ECHORP:
		return rx_echo_reply(c, now, &m);
	default:
		return pptp_call_rx(c, now, &m, out);
	}
}

/* Handles every complete message in the buffer; keeps the tail. */
static int
rx_drain(struct pptp_ctrl *c, uint64_t now, struct pk_out *out)
{
	struct buf_reader rd;
	const uint8_t *msg;
	size_t mlen, rest;
	int r = PK_OK;

	buf_reader_init(&rd, c->rxbuf, c->rxlen);
	while (c->state != PPTP_CTRL_CLOSED) {
		/* Check the header as soon as it is in: a bad length or
		 * cookie ends the connection without waiting for more. */
		r = pptp_msg_frame(buf_cur(&rd), buf_remaining(&rd), &mlen);
		if (r == PK_ERR_SHORT) {
			r = PK_OK;
			break;
		}
		if (r != 0) {
			r = rx_malformed(c, now, r, out);
			break;
		}
		if (buf_remaining(&rd) < mlen)
			break;
		if ((r = buf_get_ptr(&rd, &msg, mlen)) != 0 ||
		    (r = rx_message(c, now, msg, mlen, out)) != 0)
			break;
	}
	if (c->state == PPTP_CTRL_CLOSED) {
		c->rxlen = 0;
		return r;
	}
	rest = buf_remaining(&rd);
	if (rest > 0 && rest < c->rxlen)
		memmove(c->rxbuf, buf_cur(&rd), rest);
	c->rxlen = rest;
	return r;
}

int
pptp_ctrl_input(struct pptp_ctrl *c, uint64_t now, const uint8_t *data,
    size_t len, struct pk_out *out)
{
	struct buf_reader in;
	struct buf_writer w;
	const uint8_t *p;
	size_t n;
	int r;

	if (c->state == PPTP_CTRL_CLOSED)
		return PK_ERR_CLOSED;
	c->stats.rx_bytes += len;
	buf_reader_init(&in, data, len);
	while (buf_remaining(&in) > 0 && c->state != PPTP_CTRL_CLOSED) {
		/* After a drain less than one message is left, so there is
		 * always room: the buffer never grows past PK_CTRL_RXBUF. */
		n = buf_remaining(&in);
		if (n > sizeof(c->rxbuf) - c->rxlen)
			n = sizeof(c->rxbuf) - c->rxlen;
		w.data = c->rxbuf;
		w.cap = sizeof(c->rxbuf);
		w.len = c->rxlen;
		w.err = 0;
		if ((r = buf_get_ptr(&in, &p, n)) != 0 ||
		    (r = buf_put_bytes(&w, p, n)) != 0)
			return PK_ERR_INTERNAL;
		c->rxlen = w.len;
		if ((r = rx_drain(c, now, out)) != 0)
			return r;
	}
	return PK_OK;
}

int
pptp_ctrl_peer_closed(struct pptp_ctrl *c, uint64_t now, struct pk_out *out)
{
	struct ctl_arg a;

	if (c->state == PPTP_CTRL_CLOSED)
		return PK_OK;
	memset(&a, 0, sizeof(a));
	return ctl_fsm(c, now, CE_PEER_CLOSED, &a, out);
}

int
pptp_ctrl_stop(struct pptp_ctrl *c, uint64_t now, uint8_t reason,
    struct pk_out *out)
{
	struct ctl_arg a;

	if (reason < PPTP_STOP_NONE || reason > PPTP_STOP_LOCAL_SHUTDOWN)
		return PK_ERR_ARG;
	if (c->state == PPTP_CTRL_CLOSED ||
	    c->state == PPTP_CTRL_WAIT_STOP_REPLY)
		return PK_OK;
	memset(&a, 0, sizeof(a));
	a.reason = reason;
	return ctl_fsm(c, now, CE_LOCAL_STOP, &a, out);
}

static uint64_t
echo_deadline(const struct pptp_ctrl *c)
{
	if (c->cfg.echo_interval_ms == 0)
		return PK_TIME_NEVER;
	if (c->echo_outstanding)
		return c->echo_deadline;
	return c->last_rx + c->cfg.echo_interval_ms;
}

uint64_t
pptp_ctrl_next_deadline(const struct pptp_ctrl *c)
{
	switch (c->state) {
	case PPTP_CTRL_IDLE:
	case PPTP_CTRL_WAIT_CTL_REPLY:
		return c->setup_deadline;
	case PPTP_CTRL_ESTABLISHED:
		return pk_deadline_min(echo_deadline(c),
		    pptp_call_next_deadline(c));
	case PPTP_CTRL_WAIT_STOP_REPLY:
		return c->stop_deadline;
	}
	return PK_TIME_NEVER;
}

static int
send_echo_request(struct pptp_ctrl *c, uint64_t now, struct pk_out *out)
{
	struct pptp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPTP_ECHORQ;
	m.u.echo.id = ++c->echo_id;
	c->echo_outstanding = 1;
	c->echo_deadline = now + c->cfg.echo_timeout_ms;
	c->stats.echo_sent++;
	return pptp_ctrl_send(c, &m, out);
}

int
pptp_ctrl_timeout(struct pptp_ctrl *c, uint64_t now, struct pk_out *out)
{
	struct ctl_arg a;
	char why[PK_EVENT_TEXT_MAX];

	memset(&a, 0, sizeof(a));
	a.why = why;
	switch (c->state) {
	case PPTP_CTRL_CLOSED:
		return PK_ERR_CLOSED;
	case PPTP_CTRL_IDLE:
	case PPTP_CTRL_WAIT_CTL_REPLY:
		if (now < c->setup_deadline)
			return PK_OK;
		snprintf(why, sizeof(why), "no %s within %u ms",
		    c->state == PPTP_CTRL_IDLE ?
		    "Start-Control-Connection-Request" :
		    "Start-Control-Connection-Reply",
		    c->cfg.setup_timeout_ms);
		return ctl_fsm(c, now, CE_SETUP_TIMEOUT, &a, out);
	case PPTP_CTRL_WAIT_STOP_REPLY:
		if (now < c->stop_deadline)
			return PK_OK;
		snprintf(why, sizeof(why), "no Stop-Control-Connection-Reply "
		    "within %u ms", c->cfg.stop_timeout_ms);
		return ctl_fsm(c, now, CE_STOP_TIMEOUT, &a, out);
	case PPTP_CTRL_ESTABLISHED:
		if (c->cfg.echo_interval_ms != 0 && now >= echo_deadline(c)) {
			int r;

			if (c->echo_outstanding) {
				snprintf(why, sizeof(why), "no Echo-Reply "
				    "within %u ms", c->cfg.echo_timeout_ms);
				return ctl_fsm(c, now, CE_ECHO_TIMEOUT, &a,
				    out);
			}
			/* §3.1.4 item 2: quiet for echo_interval_ms. */
			if ((r = send_echo_request(c, now, out)) != 0)
				return r;
		}
		return pptp_call_timeout(c, now, out);
	}
	return PK_OK;
}

int
pptp_ctrl_state(const struct pptp_ctrl *c)
{
	return c->state;
}

int
pptp_ctrl_role(const struct pptp_ctrl *c)
{
	return c->cfg.role;
}

const struct pptp_ctrl_stats *
pptp_ctrl_get_stats(const struct pptp_ctrl *c)
{
	return &c->stats;
}

const struct pptp_ev_ctrl_up *
pptp_ctrl_peer_info(const struct pptp_ctrl *c)
{
	return &c->peer;
}

const char *
pptp_ctrl_state_name(int state)
{
	switch (state) {
	case PPTP_CTRL_IDLE:
		return "idle";
	case PPTP_CTRL_WAIT_CTL_REPLY:
		return "wait-ctl-reply";
	case PPTP_CTRL_ESTABLISHED:
		return "established";
	case PPTP_CTRL_WAIT_STOP_REPLY:
		return "wait-stop-reply";
	case PPTP_CTRL_CLOSED:
		return "closed";
	}
	return "?";
}

const char *
pptp_ctrl_event_name(int type)
{
	switch (type) {
	case PPTP_EV_CTRL_UP:
		return "ctrl-up";
	case PPTP_EV_CTRL_DOWN:
		return "ctrl-down";
	case PPTP_EV_CALL_REQUEST:
		return "call-request";
	case PPTP_EV_CALL_UP:
		return "call-up";
	case PPTP_EV_CALL_FAILED:
		return "call-failed";
	case PPTP_EV_CALL_CLEAR_REQUESTED:
		return "call-clear-requested";
	case PPTP_EV_CALL_DOWN:
		return "call-down";
	case PPTP_EV_WAN_ERROR:
		return "wan-error";
	case PPTP_EV_SET_LINK_INFO:
		return "set-link-info";
	}
	return "?";
}
