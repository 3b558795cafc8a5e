/*
 * fsm.c - the RFC 1661 §4 option-negotiation automaton shared by LCP and
 * the NCPs: the state/event table of §4.1, its actions (§4.4), the Restart
 * timer and counters (§4.6) and the Configure-Request/Ack/Nak/Reject
 * bookkeeping (§5.1-§5.4). See fsm.h for the states and timers.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "ppp/fsm.h"
#include "ppp/ppp_proto.h"

#define A_TLU PPP_FSM_A_TLU
#define A_TLD PPP_FSM_A_TLD
#define A_TLS PPP_FSM_A_TLS
#define A_TLF PPP_FSM_A_TLF
#define A_IRC PPP_FSM_A_IRC
#define A_ZRC PPP_FSM_A_ZRC
#define A_SCR PPP_FSM_A_SCR
#define A_SCA PPP_FSM_A_SCA
#define A_SCN PPP_FSM_A_SCN
#define A_STR PPP_FSM_A_STR
#define A_STA PPP_FSM_A_STA
#define A_SCJ PPP_FSM_A_SCJ
#define A_SER PPP_FSM_A_SER

struct fsm_cell {
	unsigned actions;
	int next;		/* -1: illegal ('-' in the RFC table) */
};

#define X { 0, -1 }
#define T(a, n) { (a), (n) }

/*
 * RFC 1661 §4.1, transcribed row by row (events) and column by column
 * (states 0 Initial .. 9 Opened). The restart option [r] of the Open
 * event is not part of Open here: Open in Stopped/Closing/Stopping/Opened
 * only records the intent, as the table's plain entries say, and the
 * restart is its own call, ppp_fsm_restart() (Down, then Up).
 *
 * The crossed-connection cells [x] (RCA/RCN in Ack-Rcvd and Opened) are
 * kept as the RFC prints them, but a real packet reaches them only if it
 * answers a request not yet answered: reaching Ack-Rcvd or Opened means
 * the answer already came, so a second one is out of sequence and is
 * discarded before the table (rcv_confack, rcv_confnakrej). Likewise a
 * copy of the Configure-Request we acked last, reaching us in Opened, is
 * a retransmission (RFC 1661 §5.1), not RCR: it gets its Ack again
 * (rcv_confreq).
 */
static const struct fsm_cell fsm_table[PPP_FSM_NEVENTS][PPP_FSM_NSTATES] = {
	[PPP_FSM_EV_UP] = {
		T(0, 2), T(A_IRC | A_SCR, 6), X, X, X, X, X, X, X, X },
	[PPP_FSM_EV_DOWN] = {
		X, X, T(0, 0), T(A_TLS, 1), T(0, 0), T(0, 1), T(0, 1),
		T(0, 1), T(0, 1), T(A_TLD, 1) },
	[PPP_FSM_EV_OPEN] = {
		T(A_TLS, 1), T(0, 1), T(A_IRC | A_SCR, 6), T(0, 3), T(0, 5),
		T(0, 5), T(0, 6), T(0, 7), T(0, 8), T(0, 9) },
	[PPP_FSM_EV_CLOSE] = {
		T(0, 0), T(A_TLF, 0), T(0, 2), T(0, 2), T(0, 4), T(0, 4),
		T(A_IRC | A_STR, 4), T(A_IRC | A_STR, 4), T(A_IRC | A_STR, 4),
		T(A_TLD | A_IRC | A_STR, 4) },
	[PPP_FSM_EV_TO_P] = {
		X, X, X, X, T(A_STR, 4), T(A_STR, 5), T(A_SCR, 6),
		T(A_SCR, 6), T(A_SCR, 8), X },
	[PPP_FSM_EV_TO_M] = {
		X, X, X, X, T(A_TLF, 2), T(A_TLF, 3), T(A_TLF, 3),
		T(A_TLF, 3), T(A_TLF, 3), X },
	[PPP_FSM_EV_RCR_P] = {
		X, X, T(A_STA, 2), T(A_IRC | A_SCR | A_SCA, 8), T(0, 4),
		T(0, 5), T(A_SCA, 8), T(A_SCA | A_TLU, 9), T(A_SCA, 8),
		T(A_TLD | A_SCR | A_SCA, 8) },
	[PPP_FSM_EV_RCR_M] = {
		X, X, T(A_STA, 2), T(A_IRC | A_SCR | A_SCN, 6), T(0, 4),
		T(0, 5), T(A_SCN, 6), T(A_SCN, 7), T(A_SCN, 6),
		T(A_TLD | A_SCR | A_SCN, 6) },
	[PPP_FSM_EV_RCA] = {
		X, X, T(A_STA, 2), T(A_STA, 3), T(0, 4), T(0, 5),
		T(A_IRC, 7), T(A_SCR, 6), T(A_IRC | A_TLU, 9),
		T(A_TLD | A_SCR, 6) },
	[PPP_FSM_EV_RCN] = {
		X, X, T(A_STA, 2), T(A_STA, 3), T(0, 4), T(0, 5),
		T(A_IRC | A_SCR, 6), T(A_SCR, 6), T(A_IRC | A_SCR, 8),
		T(A_TLD | A_SCR, 6) },
	[PPP_FSM_EV_RTR] = {
		X, X, T(A_STA, 2), T(A_STA, 3), T(A_STA, 4), T(A_STA, 5),
		T(A_STA, 6), T(A_STA, 6), T(A_STA, 6),
		T(A_TLD | A_ZRC | A_STA, 5) },
	[PPP_FSM_EV_RTA] = {
		X, X, T(0, 2), T(0, 3), T(A_TLF, 2), T(A_TLF, 3), T(0, 6),
		T(0, 6), T(0, 8), T(A_TLD | A_SCR, 6) },
	[PPP_FSM_EV_RUC] = {
		X, X, T(A_SCJ, 2), T(A_SCJ, 3), T(A_SCJ, 4), T(A_SCJ, 5),
		T(A_SCJ, 6), T(A_SCJ, 7), T(A_SCJ, 8), T(A_SCJ, 9) },
	[PPP_FSM_EV_RXJ_P] = {
		X, X, T(0, 2), T(0, 3), T(0, 4), T(0, 5), T(0, 6), T(0, 6),
		T(0, 8), T(0, 9) },
	[PPP_FSM_EV_RXJ_M] = {
		X, X, T(A_TLF, 2), T(A_TLF, 3), T(A_TLF, 2), T(A_TLF, 3),
		T(A_TLF, 3), T(A_TLF, 3), T(A_TLF, 3),
		T(A_TLD | A_IRC | A_STR, 5) },
	[PPP_FSM_EV_RXR] = {
		X, X, T(0, 2), T(0, 3), T(0, 4), T(0, 5), T(0, 6), T(0, 7),
		T(0, 8), T(A_SER, 9) },
};

#undef X
#undef T

static const char *const state_names[PPP_FSM_NSTATES] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing", "Stopping",
	"Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

static const char *const event_names[PPP_FSM_NEVENTS] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-", "RCA",
	"RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

const char *
ppp_fsm_state_name(int state)
{
	if (state < 0 || state >= PPP_FSM_NSTATES)
		return "?";
	return state_names[state];
}

const char *
ppp_fsm_event_name(int event)
{
	if (event < 0 || event >= PPP_FSM_NEVENTS)
		return "?";
	return event_names[event];
}

int
ppp_fsm_table(int state, int event, unsigned *actions)
{
	if (state < 0 || state >= PPP_FSM_NSTATES || event < 0 ||
	    event >= PPP_FSM_NEVENTS) {
		*actions = 0;
		return -1;
	}
	*actions = fsm_table[event][state].actions;
	return fsm_table[event][state].next;
}

void
ppp_fsm_init(struct ppp_fsm *f, uint16_t proto, const char *name,
    const struct ppp_fsm_callbacks *cb, void *arg, const char *log_ctx,
    const struct ppp_fsm_timers *t)
{
	memset(f, 0, sizeof(*f));
	f->proto = proto;
	f->name = name;
	f->log_ctx = log_ctx;
	f->cb = cb;
	f->arg = arg;
	f->t = *t;
	f->peer_mru = PPP_MRU_DEFAULT;
	f->state = PPP_FSM_INITIAL;
	f->deadline = PK_TIME_NEVER;
	f->next_id = 1;
	/* Remote packets may trigger notices; a few per second at most. */
	pk_ratelimit_init(&f->rl, 1000, 5);
}

uint8_t
ppp_fsm_new_id(struct ppp_fsm *f)
{
	return f->next_id++;
}

int
ppp_ctl_encode(struct buf_writer *w, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len)
{
	buf_put_u8(w, code);
	buf_put_u8(w, id);
	buf_put_u16(w, (uint16_t)(PPP_HDR_LEN + len));
	buf_put_bytes(w, data, len);
	return w->err;
}

int
ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len)
{
	uint8_t pkt[PK_PPP_FRAME_MAX];
	struct buf_writer w;
	int r;

	buf_writer_init(&w, pkt, sizeof(pkt));
	if ((r = ppp_ctl_encode(&w, code, id, data, len)) != 0)
		return r;
	return f->cb->send(f, pkt, w.len);
}

static void
fsm_notice(struct ppp_fsm *f, const char *what)
{
	if (pk_ratelimit_ok(&f->rl, f->now, NULL))
		pk_log(PK_LOG_NOTICE, f->log_ctx, "%s: %s", f->name, what);
}

/* --- the actions of RFC 1661 §4.4 --- */

static int
timer_runs(int state)
{
	return state >= PPP_FSM_CLOSING && state <= PPP_FSM_ACKSENT;
}

static void
fresh_negotiation(struct ppp_fsm *f)
{
	if (f->cb->reset != NULL)
		f->cb->reset(f);
	f->naks_sent = 0;
	f->naks_rcvd = 0;
}

static void
act_scr(struct ppp_fsm *f, int fresh, int retransmit)
{
	uint8_t req[PPP_FSM_REQ_MAX];
	struct buf_writer w;

	/* A new negotiation starts from the configured options and with
	 * fresh Nak counters (RFC 1661 §4.6 Max-Failure), unless the
	 * request that started it already did (fresh_negotiation()). */
	if (fresh && !f->reset_done)
		fresh_negotiation(f);
	f->reset_done = 0;
	buf_writer_init(&w, req, sizeof(req));
	if (f->cb->build_request(f, &w) != 0 || w.err != 0) {
		pk_log(PK_LOG_ERR, f->log_ctx, "%s: Configure-Request does "
		    "not fit", f->name);
		w.len = 0;
	}
	/*
	 * RFC 1661 §5.1: the Identifier MUST change with the options and
	 * once a valid reply came; a retransmission MAY keep it. Keeping it
	 * (as pppd does) lets a late answer to the first copy still count
	 * when the round trip outlasts the Restart timer, and lets a peer
	 * that already answered recognise a late copy as a duplicate
	 * (rcv_confreq) instead of a new negotiation.
	 */
	if (!retransmit || f->answered || w.len != f->req_len ||
	    (w.len > 0 && memcmp(req, f->req, w.len) != 0))
		f->req_id = ppp_fsm_new_id(f);
	memcpy(f->req, req, w.len);
	f->req_len = w.len;
	f->answered = 0;
	ppp_fsm_send(f, PPP_CONFREQ, f->req_id, f->req, f->req_len);
	if (f->restart_count > 0)
		f->restart_count--;
	f->deadline = f->now + f->t.restart_ms;
}

static void
act_str(struct ppp_fsm *f)
{
	f->term_id = ppp_fsm_new_id(f);
	ppp_fsm_send(f, PPP_TERMREQ, f->term_id, (const uint8_t *)f->reason,
	    strlen(f->reason));
	if (f->restart_count > 0)
		f->restart_count--;
	f->deadline = f->now + f->t.restart_ms;
}

static void
act_scj(struct ppp_fsm *f)
{
	size_t room = f->peer_mru > PPP_HDR_LEN ? f->peer_mru - PPP_HDR_LEN :
	    0;
	size_t n = f->rx_len < room ? f->rx_len : room;

	/* RFC 1661 §5.6: the rejected packet, truncated to the peer's MRU. */
	ppp_fsm_send(f, PPP_CODEREJ, ppp_fsm_new_id(f), f->rx_pkt, n);
}

/* FNV-1a over an options field: recognises the peer's acked request. */
static uint32_t
opts_hash(const uint8_t *opts, size_t len)
{
	struct buf_reader rd;
	uint32_t h = 2166136261u;
	uint8_t c;

	buf_reader_init(&rd, opts, len);
	while (buf_get_u8(&rd, &c) == 0)
		h = (h ^ c) * 16777619u;
	return h;
}

/* Runs one event through the table; every transition is logged. */
static void
fsm_event(struct ppp_fsm *f, int ev)
{
	int old = f->state, next;
	unsigned a;
	int fresh = old != PPP_FSM_REQSENT && old != PPP_FSM_ACKRCVD &&
	    old != PPP_FSM_ACKSENT;

	next = ppp_fsm_table(old, ev, &a);
	if (next < 0) {
		pk_log(PK_LOG_DEBUG, f->log_ctx, "%s: event %s illegal in "
		    "state %s, ignored", f->name, ppp_fsm_event_name(ev),
		    ppp_fsm_state_name(old));
		return;
	}
	pk_log(PK_LOG_DEBUG, f->log_ctx, "%s: %s: %s -> %s", f->name,
	    ppp_fsm_event_name(ev), ppp_fsm_state_name(old),
	    ppp_fsm_state_name(next));

	/* RFC 1661 §4.1: leaving Opened. Worth a line in the log: the
	 * layers above stop until the automaton opens again. */
	if (old == PPP_FSM_OPENED && next != PPP_FSM_OPENED &&
	    pk_ratelimit_ok(&f->rl, f->now, NULL))
		pk_log(PK_LOG_INFO, f->log_ctx, "%s: %s in Opened: %s", f->name,
		    ppp_fsm_event_name(ev), (a & A_SCR) || f->renegotiating ?
		    "renegotiating" : "going down");
	/* This-Layer-Down first: the upper layer stops before anything is
	 * renegotiated or terminated, and learns which of the two it is. */
	if ((a & A_TLD) && f->cb->down != NULL) {
		int was = f->renegotiating;

		f->renegotiating = was || (a & A_SCR) != 0;
		f->cb->down(f);
		f->renegotiating = was;
	}
	f->state = next;
	if (a & A_IRC)
		f->restart_count = (next == PPP_FSM_CLOSING ||
		    next == PPP_FSM_STOPPING) ? f->t.max_terminate :
		    f->t.max_configure;
	if (a & A_ZRC) {
		f->restart_count = 0;
		f->deadline = f->now + f->t.restart_ms;
	}
	if (a & A_SCR)
		act_scr(f, fresh, ev == PPP_FSM_EV_TO_P);
	if (a & (A_SCA | A_SCN)) {
		if (a & A_SCA) {
			f->naks_sent = 0;
			f->acked_id = f->reply_id;
			f->acked_len = f->reply_len;
			f->acked_hash = opts_hash(f->reply, f->reply_len);
		}
		else if (f->reply_code == PPP_CONFNAK)
			f->naks_sent++;
		ppp_fsm_send(f, f->reply_code, f->reply_id, f->reply,
		    f->reply_len);
	}
	if (a & A_STR)
		act_str(f);
	if (a & A_STA)
		ppp_fsm_send(f, PPP_TERMACK, f->rx_id, NULL, 0);
	if (a & A_SCJ)
		act_scj(f);
	if ((a & A_SER) && f->cb->rxr != NULL) {
		struct buf_reader d = f->rx_data;

		f->cb->rxr(f, f->rx_code, f->rx_id, &d);
	}
	if (!timer_runs(next))
		f->deadline = PK_TIME_NEVER;
	if ((a & A_TLU) && f->cb->up != NULL)
		f->cb->up(f);
	if ((a & A_TLS) && f->cb->starting != NULL)
		f->cb->starting(f);
	if ((a & A_TLF) && f->cb->finished != NULL)
		f->cb->finished(f);
}

/* --- administrative events --- */

void
ppp_fsm_lower_up(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	fsm_event(f, PPP_FSM_EV_UP);
}

void
ppp_fsm_lower_down(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	if (f->state != PPP_FSM_INITIAL && f->state != PPP_FSM_STARTING)
		f->cause = PPP_FSM_CAUSE_DOWN;
	fsm_event(f, PPP_FSM_EV_DOWN);
}

void
ppp_fsm_open(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	fsm_event(f, PPP_FSM_EV_OPEN);
}

void
ppp_fsm_close(struct ppp_fsm *f, uint64_t now, const char *reason)
{
	f->now = now;
	snprintf(f->reason, sizeof(f->reason), "%s",
	    reason != NULL ? reason : "");
	f->cause = PPP_FSM_CAUSE_CLOSE;
	fsm_event(f, PPP_FSM_EV_CLOSE);
}

int
ppp_fsm_restart(struct ppp_fsm *f, uint64_t now)
{
	if (f->state != PPP_FSM_OPENED)
		return PK_ERR_STATE;
	f->now = now;
	/* RFC 1661 §4.3 Open, implementation option: Down (tld/1), then Up
	 * (irc,scr/6), with nothing in between. */
	f->renegotiating = 1;
	fsm_event(f, PPP_FSM_EV_DOWN);
	f->renegotiating = 0;
	fsm_event(f, PPP_FSM_EV_UP);
	return PK_OK;
}

void
ppp_fsm_protocol_rejected(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	snprintf(f->reason, sizeof(f->reason), "protocol rejected");
	f->cause = PPP_FSM_CAUSE_REJECTED;
	fsm_event(f, PPP_FSM_EV_RXJ_M);
}

int
ppp_fsm_renegotiating(const struct ppp_fsm *f)
{
	return f->renegotiating;
}

uint64_t
ppp_fsm_next_deadline(const struct ppp_fsm *f)
{
	return f->deadline;
}

void
ppp_fsm_timeout(struct ppp_fsm *f, uint64_t now)
{
	f->now = now;
	if (f->deadline == PK_TIME_NEVER || now < f->deadline)
		return;
	f->deadline = PK_TIME_NEVER;
	if (f->restart_count > 0) {
		fsm_event(f, PPP_FSM_EV_TO_P);
		return;
	}
	/* Negotiation that never converged; a close keeps its cause. */
	if (f->state >= PPP_FSM_REQSENT)
		f->cause = PPP_FSM_CAUSE_TIMEOUT;
	fsm_event(f, PPP_FSM_EV_TO_M);
}

/* --- received packets --- */

int
ppp_fsm_check_options(const uint8_t *opts, size_t len)
{
	struct buf_reader rd;
	uint8_t type, olen;
	int r;

	buf_reader_init(&rd, opts, len);
	while (buf_remaining(&rd) > 0) {
		/* RFC 1661 §6: Type and Length, then Length-2 data bytes. */
		if ((r = buf_get_u8(&rd, &type)) != 0 ||
		    (r = buf_get_u8(&rd, &olen)) != 0)
			return r;
		if (olen < PPP_OPT_HDR_LEN)
			return PK_ERR_LENGTH;
		if (buf_skip(&rd, olen - PPP_OPT_HDR_LEN) != 0)
			return PK_ERR_LENGTH;
	}
	return PK_OK;
}

/* Splits the next option off a list already checked. */
static int
next_option(struct buf_reader *rd, uint8_t *type, struct buf_reader *val,
    const uint8_t **whole, size_t *whole_len)
{
	uint8_t olen;
	int r;

	*whole = buf_cur(rd);
	if ((r = buf_get_u8(rd, type)) != 0 ||
	    (r = buf_get_u8(rd, &olen)) != 0)
		return r;
	if (olen < PPP_OPT_HDR_LEN)
		return PK_ERR_LENGTH;
	*whole_len = olen;
	return buf_get_sub(rd, olen - PPP_OPT_HDR_LEN, val);
}

/*
 * Computes the answer to a Configure-Request (RFC 1661 §5.1-§5.4): a
 * Reject listing every option we do not know or accept, else a Nak with
 * our suggestions, else an Ack echoing the options. Once Max-Failure
 * Naks went unanswered by an acceptable request, Naks become Rejects.
 * Returns PPP_CONFACK/NAK/REJ.
 */
static int
compute_reply(struct ppp_fsm *f, const uint8_t *opts, size_t len)
{
	uint8_t nakbuf[PK_PPP_FRAME_MAX], rejbuf[PK_PPP_FRAME_MAX];
	uint8_t one[256];
	struct buf_writer nak, rej, sw;
	struct buf_reader rd, val;
	const uint8_t *whole;
	size_t whole_len;
	uint8_t type;
	int convert = f->naks_sent >= f->t.max_failure;
	int v;

	buf_writer_init(&nak, nakbuf, sizeof(nakbuf));
	buf_writer_init(&rej, rejbuf, sizeof(rejbuf));
	buf_reader_init(&rd, opts, len);
	if (f->cb->req_begin != NULL)
		f->cb->req_begin(f);
	while (buf_remaining(&rd) > 0) {
		if (next_option(&rd, &type, &val, &whole, &whole_len) != 0)
			break;		/* cannot happen: list checked */
		buf_writer_init(&sw, one, sizeof(one));
		v = f->cb->req_option(f, type, &val, &sw);
		if (v == PPP_CONFACK)
			continue;
		if (v == PPP_CONFNAK && !convert && sw.err == 0 && sw.len > 0)
			buf_put_bytes(&nak, one, sw.len);
		else
			buf_put_bytes(&rej, whole, whole_len);
	}
	if (!convert && f->cb->req_end != NULL)
		f->cb->req_end(f, &nak);
	if (rej.len > 0) {
		memcpy(f->reply, rejbuf, rej.len);
		f->reply_len = rej.len;
		return PPP_CONFREJ;
	}
	if (nak.len > 0) {
		memcpy(f->reply, nakbuf, nak.len);
		f->reply_len = nak.len;
		return PPP_CONFNAK;
	}
	memcpy(f->reply, opts, len);
	f->reply_len = len;
	return PPP_CONFACK;
}

static int
rcv_confreq(struct ppp_fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	int r;

	if ((r = ppp_fsm_check_options(opts, len)) != 0) {
		fsm_notice(f, "malformed Configure-Request discarded");
		return r;
	}
	/* Closing/Stopping ignore it and Closed answers Terminate-Ack: no
	 * need to look at the options (and record them) there. */
	if (f->state == PPP_FSM_CLOSED || f->state == PPP_FSM_CLOSING ||
	    f->state == PPP_FSM_STOPPING) {
		fsm_event(f, PPP_FSM_EV_RCR_P);
		return PK_OK;
	}
	/*
	 * Opened: the request we acked, again (same Identifier, same
	 * options). RFC 1661 §5.1 has the peer change the Identifier once a
	 * valid reply reached it, so this copy was sent before our Ack
	 * arrived: a retransmission crossing the Ack, or one after the Ack
	 * was lost. The peer waits for that Ack, not for a renegotiation
	 * (which would take authentication down, and with pppd's MPPE the
	 * link): send it again. A peer that gets it while it expects our
	 * request instead retransmits under a new Identifier, which then
	 * renegotiates as the table says.
	 */
	if (f->state == PPP_FSM_OPENED && id == f->acked_id &&
	    len == f->acked_len && opts_hash(opts, len) == f->acked_hash) {
		pk_log(PK_LOG_DEBUG, f->log_ctx, "%s: Configure-Request %u "
		    "again in Opened: a retransmission of the one acked; "
		    "Ack sent again", f->name, id);
		ppp_fsm_send(f, PPP_CONFACK, id, opts, len);
		return PK_OK;
	}
	/*
	 * Stopped and Opened answer with a fresh request of ours too (scr):
	 * start that negotiation before judging the peer's request, as
	 * pppd does, so the request is checked against the options we are
	 * about to ask for (our new Magic-Number, CCP's H bit following the
	 * peer's), and the reset does not undo what it adapted.
	 */
	if (f->state == PPP_FSM_STOPPED || f->state == PPP_FSM_OPENED) {
		fresh_negotiation(f);
		f->reset_done = 1;
	}
	f->reply_id = id;
	f->reply_code = (uint8_t)compute_reply(f, opts, len);
	fsm_event(f, f->reply_code == PPP_CONFACK ? PPP_FSM_EV_RCR_P :
	    PPP_FSM_EV_RCR_M);
	return PK_OK;
}

static int
expecting_answer(const struct ppp_fsm *f)
{
	return f->state >= PPP_FSM_REQSENT;
}

/*
 * RFC 1661 §4.3 RCA/RCN: "An out of sequence or otherwise invalid packet
 * is silently discarded." Out of sequence: another Identifier than our
 * last request's (an answer to an earlier one, late), or the answer to a
 * request already answered (a duplicate). Both are normal when packets
 * are retransmitted under load; they are logged at debug level only.
 */
static int
stale_answer(struct ppp_fsm *f, uint8_t code, uint8_t id)
{
	if (id == f->req_id && !f->answered)
		return 0;
	pk_log(PK_LOG_DEBUG, f->log_ctx, "%s: stale %s (id %u, %s %u) "
	    "discarded in %s", f->name, code == PPP_CONFACK ?
	    "Configure-Ack" : code == PPP_CONFNAK ? "Configure-Nak" :
	    "Configure-Reject", id, f->answered ? "answered request" :
	    "outstanding request", f->req_id, ppp_fsm_state_name(f->state));
	return 1;
}

static int
rcv_confack(struct ppp_fsm *f, uint8_t id, const uint8_t *opts, size_t len)
{
	if (expecting_answer(f) && stale_answer(f, PPP_CONFACK, id))
		return PK_ERR_VALUE;
	/* RFC 1661 §5.2: an Ack must match our last request exactly. */
	if (expecting_answer(f) && (len != f->req_len ||
	    (len > 0 && memcmp(opts, f->req, len) != 0))) {
		fsm_notice(f, "Configure-Ack not matching our request "
		    "discarded");
		return PK_ERR_VALUE;
	}
	if (expecting_answer(f)) {
		f->answered = 1;
		/* The [x] cells: an answer to a request of ours while we
		 * thought the link was settled (RFC 1661 §4.3 RCA: SHOULD be
		 * logged). */
		if (f->state == PPP_FSM_ACKRCVD || f->state == PPP_FSM_OPENED)
			fsm_notice(f, "Configure-Ack in a crossed connection");
	}
	fsm_event(f, PPP_FSM_EV_RCA);
	return PK_OK;
}

/* Is this option, byte for byte, part of our last request? */
static int
in_request(const struct ppp_fsm *f, const uint8_t *opt, size_t len)
{
	struct buf_reader rd, val;
	const uint8_t *whole;
	size_t whole_len;
	uint8_t type;

	buf_reader_init(&rd, f->req, f->req_len);
	while (buf_remaining(&rd) > 0) {
		if (next_option(&rd, &type, &val, &whole, &whole_len) != 0)
			return 0;
		if (whole_len == len && memcmp(whole, opt, len) == 0)
			return 1;
	}
	return 0;
}

static int
rcv_confnakrej(struct ppp_fsm *f, uint8_t code, uint8_t id,
    const uint8_t *opts, size_t len)
{
	struct buf_reader rd, val;
	const uint8_t *whole;
	size_t whole_len;
	uint8_t type;
	int r;

	if (!expecting_answer(f)) {
		fsm_event(f, PPP_FSM_EV_RCN);
		return PK_OK;
	}
	if (stale_answer(f, code, id))
		return PK_ERR_VALUE;
	if ((r = ppp_fsm_check_options(opts, len)) != 0) {
		fsm_notice(f, "malformed Configure-Nak/Reject discarded");
		return r;
	}
	/* RFC 1661 §5.4: rejected options are a subset of our request,
	 * unmodified; anything else is not an answer to us. */
	buf_reader_init(&rd, opts, len);
	while (code == PPP_CONFREJ && buf_remaining(&rd) > 0) {
		next_option(&rd, &type, &val, &whole, &whole_len);
		if (!in_request(f, whole, whole_len)) {
			fsm_notice(f, "Configure-Reject of options we did not "
			    "request discarded");
			return PK_ERR_VALUE;
		}
	}
	f->answered = 1;
	if (f->state == PPP_FSM_ACKRCVD || f->state == PPP_FSM_OPENED)
		fsm_notice(f, "Configure-Nak/Reject in a crossed connection");
	buf_reader_init(&rd, opts, len);
	while (buf_remaining(&rd) > 0) {
		next_option(&rd, &type, &val, &whole, &whole_len);
		if (code == PPP_CONFNAK)
			f->cb->nak_option(f, type, &val);
		else
			f->cb->rej_option(f, type, &val);
	}
	/*
	 * A peer that Naks for ever keeps us from ever opening. Rejects
	 * converge by themselves (each removes an option), Naks need a
	 * bound: the same Max-Failure budget the peer gets from us, twice.
	 */
	if (code == PPP_CONFNAK &&
	    ++f->naks_rcvd > 2 * f->t.max_failure + 1) {
		fsm_notice(f, "peer keeps sending Configure-Nak; giving up");
		ppp_fsm_close(f, f->now, "negotiation did not converge");
		f->cause = PPP_FSM_CAUSE_TIMEOUT;
		return PK_OK;
	}
	fsm_event(f, PPP_FSM_EV_RCN);
	return PK_OK;
}

void
ppp_printable(char *dst, size_t dstlen, const uint8_t *src, size_t len)
{
	struct buf_reader rd;
	size_t n = 0;
	uint8_t c;

	if (dstlen == 0)
		return;
	buf_reader_init(&rd, src, len);
	while (n + 1 < dstlen && buf_get_u8(&rd, &c) == 0)
		dst[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	dst[n] = '\0';
}

static void
save_peer_reason(struct ppp_fsm *f, const uint8_t *data, size_t len)
{
	/* Only printable ASCII goes into our logs and events. */
	ppp_printable(f->peer_reason, sizeof(f->peer_reason), data, len);
}

static int
rcv_coderej(struct ppp_fsm *f, struct buf_reader *data)
{
	uint8_t code;

	if (buf_get_u8(data, &code) != 0) {
		fsm_notice(f, "empty Code-Reject discarded");
		return PK_ERR_SHORT;
	}
	/* RFC 1661 §5.6: losing any negotiation code is catastrophic. */
	if (code >= PPP_CONFREQ && code <= PPP_CODEREJ) {
		fsm_notice(f, "peer Code-Rejected a negotiation code");
		f->cause = PPP_FSM_CAUSE_REJECTED;
		fsm_event(f, PPP_FSM_EV_RXJ_M);
		return PK_OK;
	}
	if (f->cb->code_rejected != NULL)
		f->cb->code_rejected(f, code);
	fsm_event(f, PPP_FSM_EV_RXJ_P);
	return PK_OK;
}

int
ppp_fsm_input(struct ppp_fsm *f, uint64_t now, const uint8_t *pkt,
    size_t len)
{
	struct buf_reader rd, data;
	uint8_t code, id;
	uint16_t plen;
	int r;

	f->now = now;
	buf_reader_init(&rd, pkt, len);
	if ((r = buf_get_u8(&rd, &code)) != 0 ||
	    (r = buf_get_u8(&rd, &id)) != 0 ||
	    (r = buf_get_u16(&rd, &plen)) != 0) {
		fsm_notice(f, "truncated packet discarded");
		return r;
	}
	/* RFC 1661 §5: bytes past Length are padding; a Length beyond the
	 * data or shorter than the header makes the packet invalid. */
	if (plen < PPP_HDR_LEN || plen > len) {
		fsm_notice(f, "packet with bad Length discarded");
		return PK_ERR_LENGTH;
	}
	buf_get_sub(&rd, plen - PPP_HDR_LEN, &data);
	if (f->state == PPP_FSM_INITIAL || f->state == PPP_FSM_STARTING) {
		pk_log(PK_LOG_DEBUG, f->log_ctx, "%s: code %u in state %s "
		    "discarded", f->name, code, ppp_fsm_state_name(f->state));
		return PK_ERR_STATE;
	}
	f->rx_pkt = pkt;
	f->rx_len = plen;
	f->rx_id = id;
	f->rx_code = code;
	f->rx_data = data;
	switch (code) {
	case PPP_CONFREQ:
		return rcv_confreq(f, id, buf_cur(&data), buf_remaining(&data));
	case PPP_CONFACK:
		return rcv_confack(f, id, buf_cur(&data), buf_remaining(&data));
	case PPP_CONFNAK:
	case PPP_CONFREJ:
		return rcv_confnakrej(f, code, id, buf_cur(&data),
		    buf_remaining(&data));
	case PPP_TERMREQ:
		if (f->state != PPP_FSM_CLOSING &&
		    f->state != PPP_FSM_STOPPING) {
			save_peer_reason(f, buf_cur(&data),
			    buf_remaining(&data));
			f->cause = PPP_FSM_CAUSE_PEER_TERM;
			if (f->cb->peer_terminated != NULL)
				f->cb->peer_terminated(f);
		}
		fsm_event(f, PPP_FSM_EV_RTR);
		return PK_OK;
	case PPP_TERMACK:
		fsm_event(f, PPP_FSM_EV_RTA);
		return PK_OK;
	case PPP_CODEREJ:
		return rcv_coderej(f, &data);
	default:
		break;
	}
	r = PK_ERR_TYPE;
	if (f->cb->extcode != NULL)
		r = f->cb->extcode(f, code, id, &data);
	if (r == PK_ERR_TYPE) {
		fsm_notice(f, "unknown code, sending Code-Reject");
		fsm_event(f, PPP_FSM_EV_RUC);
		return PK_OK;
	}
	if (r == PPP_FSM_RXR) {
		fsm_event(f, PPP_FSM_EV_RXR);
		return PK_OK;
	}
	return r;
}
