/*
 * lcp.c - the Link Control Protocol (RFC 1661 §5-§6, RFC 1570) as the
 * automaton's callbacks: MRU, Auth-Protocol (chosen by policy), Magic-
 * Number with loopback detection, PFC and ACFC; ACCM accepted and ignored
 * (GRE carries no async map); everything else rejected. Also the LCP-only
 * codes: Protocol-Reject, Echo (keepalive), Discard, Identification and
 * Time-Remaining.
 *
 * Timer: the keepalive, an Echo-Request every echo_interval_ms while LCP
 * is Opened; echo_failures unanswered in a row take the link down.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/rand.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

static struct ppp *
lcp_ppp(struct ppp_fsm *f)
{
	return f->arg;
}

/* RFC 1661 §6.4: a random, non-zero Magic-Number. */
static uint32_t
new_magic(uint32_t avoid)
{
	uint32_t m;

	do {
		m = pk_rand_u32();
	} while (m == 0 || m == avoid);
	return m;
}

unsigned
lcp_auth_allowed(const struct ppp *p)
{
	unsigned a = p->cfg.policy.auth & PK_AUTH_ALL;

	/* RFC 3079: only MS-CHAP yields MPPE keys; when MPPE is required
	 * the others cannot lead anywhere, so never agree to them (and
	 * never let a password cross in PAP for nothing). */
	if (p->cfg.policy.mppe == PK_MPPE_REQUIRE &&
	    (a & PK_AUTH_MPPE_CAPABLE) != 0)
		a &= PK_AUTH_MPPE_CAPABLE;
	return a;
}

int
lcp_put_auth(struct buf_writer *w, unsigned method)
{
	uint8_t alg;

	switch (method) {
	case PK_AUTH_PAP:
		buf_put_u8(w, LCP_OPT_AUTH);
		buf_put_u8(w, LCP_OPT_AUTH_PAP_LEN);
		return buf_put_u16(w, PPP_PROTO_PAP);
	case PK_AUTH_CHAP_MD5:
		alg = CHAP_ALG_MD5;
		break;
	case PK_AUTH_MSCHAPV1:
		alg = CHAP_ALG_MSCHAPV1;
		break;
	case PK_AUTH_MSCHAPV2:
		alg = CHAP_ALG_MSCHAPV2;
		break;
	default:
		return PK_ERR_ARG;
	}
	buf_put_u8(w, LCP_OPT_AUTH);
	buf_put_u8(w, LCP_OPT_AUTH_CHAP_LEN);
	buf_put_u16(w, PPP_PROTO_CHAP);
	return buf_put_u8(w, alg);
}

unsigned
lcp_parse_auth(struct buf_reader *val)
{
	uint16_t proto;
	uint8_t alg;

	if (buf_get_u16(val, &proto) != 0)
		return 0;
	if (proto == PPP_PROTO_PAP)
		return buf_remaining(val) == 0 ? PK_AUTH_PAP : 0;
	if (proto != PPP_PROTO_CHAP || buf_get_u8(val, &alg) != 0 ||
	    buf_remaining(val) != 0)
		return 0;
	switch (alg) {
	case CHAP_ALG_MD5:
		return PK_AUTH_CHAP_MD5;
	case CHAP_ALG_MSCHAPV1:
		return PK_AUTH_MSCHAPV1;
	case CHAP_ALG_MSCHAPV2:
		return PK_AUTH_MSCHAPV2;
	default:
		return 0;
	}
}

static void
lcp_reset(struct ppp_fsm *f)
{
	struct ppp *p = lcp_ppp(f);
	struct lcp_opts *w = &p->lcp.want;

	memset(w, 0, sizeof(*w));
	w->mru = p->cfg.mru;
	w->neg_mru = p->cfg.mru != PPP_MRU_DEFAULT;
	/* The authenticator asks for the strongest method it allows first
	 * and walks down the list as the peer Naks (RFC 1661 §6.2). */
	if (p->cfg.is_server) {
		w->auth = policy_best_auth(lcp_auth_allowed(p));
		p->lcp.auth_tried = w->auth;
	}
	w->neg_magic = 1;
	w->magic = new_magic(0);
	w->pfc = w->acfc = !p->cfg.no_header_compression;
	p->lcp.refusal[0] = '\0';
}

static int
lcp_build_request(struct ppp_fsm *f, struct buf_writer *w)
{
	struct ppp *p = lcp_ppp(f);
	const struct lcp_opts *o = &p->lcp.want;

	if (o->neg_mru) {
		buf_put_u8(w, LCP_OPT_MRU);
		buf_put_u8(w, LCP_OPT_MRU_LEN);
		buf_put_u16(w, o->mru);
	}
	if (o->auth != 0)
		lcp_put_auth(w, o->auth);
	if (o->neg_magic) {
		buf_put_u8(w, LCP_OPT_MAGIC);
		buf_put_u8(w, LCP_OPT_MAGIC_LEN);
		buf_put_u32(w, o->magic);
	}
	if (o->pfc) {
		buf_put_u8(w, LCP_OPT_PFC);
		buf_put_u8(w, LCP_OPT_PFC_LEN);
	}
	if (o->acfc) {
		buf_put_u8(w, LCP_OPT_ACFC);
		buf_put_u8(w, LCP_OPT_ACFC_LEN);
	}
	return w->err;
}

static void
lcp_req_begin(struct ppp_fsm *f)
{
	struct ppp *p = lcp_ppp(f);

	memset(&p->lcp.his, 0, sizeof(p->lcp.his));
	p->lcp.his.mru = PPP_MRU_DEFAULT;
}

static void
loopback_suspected(struct ppp *p)
{
	/* RFC 1661 §6.4: seeing our own magic over and over means the
	 * link is looped back; one coincidence is just bad luck. */
	if (++p->lcp.loops > p->cfg.max_failure)
		ppp_fail(p, PK_ERR_STATE, "loopback detected (LCP keeps "
		    "seeing its own Magic-Number)");
}

/* Client: is the server's Auth-Protocol acceptable? */
static int
req_auth(struct ppp *p, struct buf_reader *val, struct buf_writer *nak)
{
	unsigned allowed = lcp_auth_allowed(p), m, best;
	char list[64];

	/* We never ask peers to authenticate to us as a client, and as a
	 * server we do not authenticate ourselves to the peer. */
	if (p->cfg.is_server)
		return PPP_CONFREJ;
	m = lcp_parse_auth(val);
	if (m != 0 && (m & allowed) != 0) {
		p->lcp.his.auth = m;
		return PPP_CONFACK;
	}
	best = policy_best_auth(allowed);
	if (best == 0)
		return PPP_CONFREJ;
	policy_auth_list(allowed, list, sizeof(list));
	if (m == 0)
		snprintf(p->lcp.refusal, sizeof(p->lcp.refusal),
		    "server asked for an unknown authentication protocol; "
		    "we allow: %s", list);
	else if ((p->cfg.policy.auth & m) != 0)
		snprintf(p->lcp.refusal, sizeof(p->lcp.refusal),
		    "server asked for %s, which yields no MPPE keys, and "
		    "MPPE is required", policy_auth_name(m));
	else
		snprintf(p->lcp.refusal, sizeof(p->lcp.refusal),
		    "server asked for %s; we allow: %s (allow it with --auth)",
		    policy_auth_name(m), list);
	ppp_log_rl(p, PK_LOG_NOTICE, "LCP: %s; suggesting %s",
	    p->lcp.refusal, policy_auth_name(best));
	lcp_put_auth(nak, best);
	return PPP_CONFNAK;
}

static int
lcp_req_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val,
    struct buf_writer *nak)
{
	struct ppp *p = lcp_ppp(f);
	struct lcp_opts *his = &p->lcp.his;
	size_t len = buf_remaining(val);
	uint16_t v16;
	uint32_t v32;

	switch (type) {
	case LCP_OPT_MRU:
		if (len != LCP_OPT_MRU_LEN - PPP_OPT_HDR_LEN)
			return PPP_CONFREJ;
		buf_get_u16(val, &v16);
		if (v16 < PPP_MRU_MIN) {
			buf_put_u8(nak, LCP_OPT_MRU);
			buf_put_u8(nak, LCP_OPT_MRU_LEN);
			buf_put_u16(nak, PPP_MRU_MIN);
			return PPP_CONFNAK;
		}
		his->neg_mru = 1;
		his->mru = v16;
		return PPP_CONFACK;
	case LCP_OPT_ACCM:
		/* RFC 2637 §4: GRE has no async map; accept, ignore. */
		return len == LCP_OPT_ACCM_LEN - PPP_OPT_HDR_LEN ?
		    PPP_CONFACK : PPP_CONFREJ;
	case LCP_OPT_AUTH:
		return req_auth(p, val, nak);
	case LCP_OPT_MAGIC:
		if (len != LCP_MAGIC_LEN)
			return PPP_CONFREJ;
		buf_get_u32(val, &v32);
		/* RFC 1661 §6.4: zero is illegal and MUST be Nak'd; our own
		 * value back may mean a loop: suggest another one. */
		if (v32 == 0 || (p->lcp.want.neg_magic &&
		    v32 == p->lcp.want.magic)) {
			if (v32 != 0)
				loopback_suspected(p);
			buf_put_u8(nak, LCP_OPT_MAGIC);
			buf_put_u8(nak, LCP_OPT_MAGIC_LEN);
			buf_put_u32(nak, new_magic(p->lcp.want.magic));
			return PPP_CONFNAK;
		}
		his->neg_magic = 1;
		his->magic = v32;
		return PPP_CONFACK;
	case LCP_OPT_PFC:
		if (len != 0)
			return PPP_CONFREJ;
		his->pfc = 1;
		return PPP_CONFACK;
	case LCP_OPT_ACFC:
		if (len != 0)
			return PPP_CONFREJ;
		his->acfc = 1;
		return PPP_CONFACK;
	default:
		/* Quality-Protocol, Callback (RFC 1570 §2.3), Multilink
		 * (RFC 1990) and anything unknown. */
		return PPP_CONFREJ;
	}
}

/* Server: the peer Nak'd our Auth-Protocol with its preference. */
static void
nak_auth(struct ppp *p, struct buf_reader *val)
{
	unsigned allowed = lcp_auth_allowed(p), m, next;
	char list[64];

	if (!p->cfg.is_server || p->lcp.want.auth == 0)
		return;
	m = lcp_parse_auth(val);
	p->lcp.auth_tried |= p->lcp.want.auth;
	if (m != 0 && (m & allowed) != 0 && (m & p->lcp.auth_tried) == 0)
		next = m;
	else
		next = policy_best_auth(allowed & ~p->lcp.auth_tried);
	if (next == 0) {
		policy_auth_list(allowed, list, sizeof(list));
		ppp_auth_failed(p, PK_ERR_POLICY, "peer refused all allowed "
		    "authentication methods (we allow: %s%s%s)", list,
		    m != 0 ? "; peer wants " : "",
		    m != 0 ? policy_auth_name(m) : "");
		return;
	}
	pk_log(PK_LOG_INFO, p->log_ctx, "LCP: peer refused %s, asking for "
	    "%s", policy_auth_name(p->lcp.want.auth), policy_auth_name(next));
	p->lcp.want.auth = next;
	p->lcp.auth_tried |= next;
}

static void
lcp_nak_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct ppp *p = lcp_ppp(f);
	uint16_t v16;
	uint32_t v32;

	switch (type) {
	case LCP_OPT_MRU:
		/* Take the peer's suggestion if our buffers hold it. */
		if (buf_get_u16(val, &v16) == 0 && buf_remaining(val) == 0 &&
		    v16 >= PPP_MRU_MIN && v16 <= PK_IP_PACKET_MAX) {
			p->lcp.want.mru = v16;
			p->lcp.want.neg_mru = v16 != PPP_MRU_DEFAULT;
		}
		break;
	case LCP_OPT_AUTH:
		nak_auth(p, val);
		break;
	case LCP_OPT_MAGIC:
		/* RFC 1661 §6.4: choose a new random number; the peer's
		 * suggestion equal to ours again hints at a loop. */
		if (buf_get_u32(val, &v32) == 0 && v32 == p->lcp.want.magic)
			loopback_suspected(p);
		p->lcp.want.magic = new_magic(p->lcp.want.magic);
		break;
	default:
		/* Hints for options we do not want (or booleans): the next
		 * request simply stays as it is. */
		break;
	}
}

static void
lcp_rej_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct ppp *p = lcp_ppp(f);
	char list[64];

	switch (type) {
	case LCP_OPT_MRU:
		p->lcp.want.neg_mru = 0;
		p->lcp.want.mru = PPP_MRU_DEFAULT;
		break;
	case LCP_OPT_AUTH:
		policy_auth_list(lcp_auth_allowed(p), list, sizeof(list));
		ppp_auth_failed(p, PK_ERR_POLICY, "peer refused all allowed "
		    "authentication methods (we allow: %s; peer rejected "
		    "Auth-Protocol)", list);
		break;
	case LCP_OPT_MAGIC:
		p->lcp.want.neg_magic = 0;
		break;
	case LCP_OPT_PFC:
		p->lcp.want.pfc = 0;
		break;
	case LCP_OPT_ACFC:
		p->lcp.want.acfc = 0;
		break;
	default:
		break;
	}
}

static void
lcp_up(struct ppp_fsm *f)
{
	ppp_lcp_up(lcp_ppp(f));
}

static void
lcp_down(struct ppp_fsm *f)
{
	ppp_lcp_down(lcp_ppp(f));
}

static void
lcp_finished(struct ppp_fsm *f)
{
	ppp_lcp_finished(lcp_ppp(f));
}

static uint32_t
our_magic(const struct ppp *p)
{
	return p->lcp.want.neg_magic ? p->lcp.want.magic : 0;
}

static int
lcp_extcode(struct ppp_fsm *f, uint8_t code, uint8_t id,
    struct buf_reader *data)
{
	struct ppp *p = lcp_ppp(f);
	char text[96];
	uint32_t magic, remaining;
	uint16_t proto;

	switch (code) {
	case LCP_PROTREJ:
		/* RFC 1661 §5.7: only meaningful in Opened. */
		if (f->state != PPP_FSM_OPENED)
			return PK_OK;
		if (buf_get_u16(data, &proto) != 0)
			return PK_ERR_SHORT;
		ppp_protocol_rejected(p, proto);
		return PK_OK;
	case LCP_ECHOREQ:
	case LCP_ECHOREP:
	case LCP_DISCREQ:
		return PPP_FSM_RXR;
	case LCP_IDENT:
		/* RFC 1570 §2: Windows announces itself; log and ignore. */
		if (buf_get_u32(data, &magic) != 0)
			return PK_ERR_SHORT;
		ppp_printable(text, sizeof(text), buf_cur(data),
		    buf_remaining(data));
		ppp_log_rl(p, PK_LOG_INFO, "LCP: peer identifies as \"%s\"",
		    text);
		return PK_OK;
	case LCP_TIMEREM:
		/* RFC 1570 §3: informational only. */
		if (buf_get_u32(data, &magic) != 0 ||
		    buf_get_u32(data, &remaining) != 0)
			return PK_ERR_SHORT;
		ppp_log_rl(p, PK_LOG_INFO, "LCP: peer says %u s remain",
		    remaining);
		return PK_OK;
	default:
		return PK_ERR_TYPE;
	}
}

/* The ser action (RFC 1661 §4.4), reached only in Opened. */
static void
lcp_rxr(struct ppp_fsm *f, uint8_t code, uint8_t id, struct buf_reader *data)
{
	struct ppp *p = lcp_ppp(f);
	uint8_t reply[PK_PPP_FRAME_MAX];
	struct buf_writer w;
	uint32_t magic;
	size_t n;

	if (buf_get_u32(data, &magic) != 0) {
		ppp_log_rl(p, PK_LOG_NOTICE, "LCP: code %u without "
		    "Magic-Number discarded", code);
		return;
	}
	if (magic != 0 && magic == our_magic(p)) {
		loopback_suspected(p);
		return;
	}
	if (code == LCP_ECHOREP) {
		p->lcp.echo_missed = 0;
		return;
	}
	if (code != LCP_ECHOREQ)
		return;		/* Discard-Request */
	/* RFC 1661 §5.8: our magic, then the request's data, within the
	 * peer's MRU. */
	n = buf_remaining(data);
	if (n > (size_t)p->peer_mru - PPP_HDR_LEN - LCP_MAGIC_LEN)
		n = (size_t)p->peer_mru - PPP_HDR_LEN - LCP_MAGIC_LEN;
	buf_writer_init(&w, reply, sizeof(reply));
	buf_put_u32(&w, our_magic(p));
	buf_put_bytes(&w, buf_cur(data), n);
	if (w.err == 0)
		ppp_output_ctl(p, PPP_PROTO_LCP, LCP_ECHOREP, id, reply,
		    w.len);
}

static void
lcp_code_rejected(struct ppp_fsm *f, uint8_t code)
{
	struct ppp *p = lcp_ppp(f);

	if (code == LCP_ECHOREQ) {
		pk_log(PK_LOG_NOTICE, p->log_ctx, "LCP: peer does not "
		    "answer Echo-Request (Code-Reject); keepalive off");
		p->lcp.echo_off = 1;
		p->lcp.echo_deadline = PK_TIME_NEVER;
	}
}

static void
lcp_peer_terminated(struct ppp_fsm *f)
{
	struct ppp *p = lcp_ppp(f);

	/*
	 * RFC 1661 §4.1 keeps negotiating after a Terminate-Request in
	 * Req-Sent/Ack-Rcvd/Ack-Sent (sta and stay), expecting a new
	 * Configure-Request. A PPTP peer that terminates before the link
	 * was ever up has given up on it; end now, with its reason. In
	 * Opened the automaton waits one restart period (zrc) instead.
	 */
	if (f->state >= PPP_FSM_REQSENT && f->state != PPP_FSM_OPENED &&
	    !p->closing) {
		char why[PK_EVENT_TEXT_MAX];

		snprintf(why, sizeof(why), "%s", f->peer_reason);
		/* We refused its authentication method: say so as an
		 * authentication failure too. */
		if (p->lcp.refusal[0] != '\0')
			ppp_event(p, PPP_EV_AUTH_FAILED, PK_ERR_POLICY, NULL, 0,
			    "%s", p->lcp.refusal);
		ppp_fail_now(p, PK_ERR_CLOSED, "LCP terminated by peer during "
		    "negotiation%s%s%s%s", why[0] != '\0' ? ": " : "", why,
		    p->lcp.refusal[0] != '\0' ? "; " : "", p->lcp.refusal);
	}
}

static int
lcp_send(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	return ppp_output(lcp_ppp(f), PPP_PROTO_LCP, pkt, len);
}

const struct ppp_fsm_callbacks lcp_callbacks = {
	.reset = lcp_reset,
	.build_request = lcp_build_request,
	.req_begin = lcp_req_begin,
	.req_option = lcp_req_option,
	.nak_option = lcp_nak_option,
	.rej_option = lcp_rej_option,
	.up = lcp_up,
	.down = lcp_down,
	.finished = lcp_finished,
	.extcode = lcp_extcode,
	.rxr = lcp_rxr,
	.code_rejected = lcp_code_rejected,
	.peer_terminated = lcp_peer_terminated,
	.send = lcp_send,
};

/* --- keepalive --- */

void
lcp_keepalive_start(struct ppp *p)
{
	p->lcp.echo_missed = 0;
	p->lcp.echo_deadline = (p->cfg.echo_interval_ms == 0 ||
	    p->lcp.echo_off) ? PK_TIME_NEVER :
	    p->now + p->cfg.echo_interval_ms;
}

uint64_t
lcp_next_deadline(const struct ppp *p)
{
	if (p->lcp_fsm.state != PPP_FSM_OPENED)
		return PK_TIME_NEVER;
	return p->lcp.echo_deadline;
}

void
lcp_timeout(struct ppp *p)
{
	uint8_t data[LCP_MAGIC_LEN];
	struct buf_writer w;

	if (lcp_next_deadline(p) > p->now)
		return;
	if (p->lcp.echo_missed >= p->cfg.echo_failures) {
		p->lcp.echo_deadline = PK_TIME_NEVER;
		ppp_fail_now(p, PK_ERR_TIMEOUT, "echo timeout: no reply to %u "
		    "LCP Echo-Requests", p->lcp.echo_missed);
		return;
	}
	buf_writer_init(&w, data, sizeof(data));
	buf_put_u32(&w, our_magic(p));
	ppp_output_ctl(p, PPP_PROTO_LCP, LCP_ECHOREQ,
	    ppp_fsm_new_id(&p->lcp_fsm), data, w.len);
	p->lcp.echo_missed++;
	p->stats.echo_sent++;
	p->lcp.echo_deadline = p->now + p->cfg.echo_interval_ms;
}
