/*
 * scan_lcp.c - the deep scan's LCP prober: the engine's RFC 1661
 * automaton (ppp/fsm.c) with option callbacks that ask the server about
 * one authentication method (see scan_conn.h for the method).
 *
 * Our Configure-Request carries a Magic-Number only, so nothing we ask
 * for can stand between the server and an answer. Of the server's
 * options we acknowledge MRU, ACCM, Magic-Number, PFC and ACFC (we never
 * ask for compression, so the server keeps sending full headers) and
 * reject the rest; Auth-Protocol is the question.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit/scan_conn.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/rand.h"
#include "ppp/ppp_proto.h"

#define EAP_CODE_REQUEST 1	/* RFC 3748 §4 */
#define SCAN_LCP_MAX_CONFIGURE 10
#define SCAN_LCP_MAX_TERMINATE 2
#define SCAN_LCP_MAX_FAILURE 5

static struct scan_lcp *
prober(struct ppp_fsm *f)
{
	return f->arg;
}

/* Encodes the Auth-Protocol option for a method (RFC 1661 §6.2, RFC 1994
 * §3, RFC 2433, RFC 2759, RFC 3748 §4 / RFC 2284 §3). */
static int
put_auth(struct buf_writer *w, int method)
{
	uint8_t alg;

	switch (method) {
	case SCAN_M_PAP:
		buf_put_u8(w, LCP_OPT_AUTH);
		buf_put_u8(w, LCP_OPT_AUTH_PAP_LEN);
		return buf_put_u16(w, PPP_PROTO_PAP);
	case SCAN_M_EAP:
		buf_put_u8(w, LCP_OPT_AUTH);
		buf_put_u8(w, LCP_OPT_AUTH_PAP_LEN);
		return buf_put_u16(w, SCAN_PPP_PROTO_EAP);
	case SCAN_M_CHAP_MD5:
		alg = CHAP_ALG_MD5;
		break;
	case SCAN_M_MSCHAPV1:
		alg = CHAP_ALG_MSCHAPV1;
		break;
	case SCAN_M_MSCHAPV2:
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

/* The method an Auth-Protocol value names, or SCAN_M_OTHER. */
static int
parse_auth(struct buf_reader *val)
{
	uint16_t proto;
	uint8_t alg;

	if (buf_get_u16(val, &proto) != 0)
		return SCAN_M_OTHER;
	if (proto == PPP_PROTO_PAP || proto == SCAN_PPP_PROTO_EAP) {
		if (buf_remaining(val) != 0)
			return SCAN_M_OTHER;
		return proto == PPP_PROTO_PAP ? SCAN_M_PAP : SCAN_M_EAP;
	}
	if (proto != PPP_PROTO_CHAP || buf_get_u8(val, &alg) != 0 ||
	    buf_remaining(val) != 0)
		return SCAN_M_OTHER;
	switch (alg) {
	case CHAP_ALG_MD5:
		return SCAN_M_CHAP_MD5;
	case CHAP_ALG_MSCHAPV1:
		return SCAN_M_MSCHAPV1;
	case CHAP_ALG_MSCHAPV2:
		return SCAN_M_MSCHAPV2;
	}
	return SCAN_M_OTHER;
}

static void lcp_decide(struct scan_lcp *l, int verdict, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The first verdict stands, with the evidence for it. */
static void
lcp_decide(struct scan_lcp *l, int verdict, const char *fmt, ...)
{
	va_list ap;

	if (l->verdict != SCAN_V_UNTESTED)
		return;
	l->verdict = verdict;
	va_start(ap, fmt);
	vsnprintf(l->evidence, sizeof(l->evidence), fmt, ap);
	va_end(ap);
}

static uint32_t
lcp_new_magic(uint32_t avoid)
{
	uint32_t m;

	do {
		m = pk_rand_u32();
	} while (m == 0 || m == avoid);
	return m;
}

static void
cb_reset(struct ppp_fsm *f)
{
	struct scan_lcp *l = prober(f);

	/* A Magic-Number the server rejected stays away (RFC 1661 §6.4
	 * allows leaving it out). */
	if (l->magic != 0)
		l->magic = lcp_new_magic(0);
}

static int
cb_build_request(struct ppp_fsm *f, struct buf_writer *w)
{
	struct scan_lcp *l = prober(f);

	if (l->magic != 0) {
		buf_put_u8(w, LCP_OPT_MAGIC);
		buf_put_u8(w, LCP_OPT_MAGIC_LEN);
		buf_put_u32(w, l->magic);
	}
	return w->err;
}

static void
cb_req_begin(struct ppp_fsm *f)
{
	struct scan_lcp *l = prober(f);

	l->reqs++;
	l->cur = SCAN_M_NONE;
	l->cur_rejects = 0;
}

static int
req_auth(struct scan_lcp *l, struct buf_reader *val, struct buf_writer *nak)
{
	struct buf_reader copy = *val;

	l->cur = parse_auth(val);
	if (l->reqs == 1 && l->first_raw_len == 0) {
		l->first_raw_len = buf_remaining(&copy) < sizeof(l->first_raw) ?
		    buf_remaining(&copy) : sizeof(l->first_raw);
		(void)buf_get_bytes(&copy, l->first_raw, l->first_raw_len);
	}
	if (l->cur == l->target)
		return PPP_CONFACK;
	/* Anything else: suggest the method we ask about (RFC 1661 §5.3:
	 * the Nak carries the value we would accept). */
	put_auth(nak, l->target);
	return PPP_CONFNAK;
}

static int
cb_req_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val,
    struct buf_writer *nak)
{
	struct scan_lcp *l = prober(f);
	size_t len = buf_remaining(val);
	uint32_t v32;

	switch (type) {
	case LCP_OPT_AUTH:
		return req_auth(l, val, nak);
	case LCP_OPT_MRU:
		if (len == LCP_OPT_MRU_LEN - PPP_OPT_HDR_LEN)
			return PPP_CONFACK;
		break;
	case LCP_OPT_ACCM:
		if (len == LCP_OPT_ACCM_LEN - PPP_OPT_HDR_LEN)
			return PPP_CONFACK;
		break;
	case LCP_OPT_MAGIC:
		if (len != LCP_MAGIC_LEN || buf_get_u32(val, &v32) != 0)
			break;
		/* RFC 1661 §6.4: zero is illegal; our own value back may be
		 * a loop. Either way, suggest another. */
		if (v32 == 0 || v32 == l->magic) {
			buf_put_u8(nak, LCP_OPT_MAGIC);
			buf_put_u8(nak, LCP_OPT_MAGIC_LEN);
			buf_put_u32(nak, lcp_new_magic(l->magic));
			return PPP_CONFNAK;
		}
		return PPP_CONFACK;
	case LCP_OPT_PFC:
	case LCP_OPT_ACFC:
		if (len == 0)
			return PPP_CONFACK;
		break;
	}
	l->cur_rejects++;
	return PPP_CONFREJ;
}

/* After the last option of a server Configure-Request: what it says. */
static void
cb_req_end(struct ppp_fsm *f, struct buf_writer *nak)
{
	struct scan_lcp *l = prober(f);
	char name[24];

	if (l->reqs == 1)
		l->first = l->cur;
	if (l->cur == l->target) {
		lcp_decide(l, SCAN_V_ACCEPTED, "%s", l->nak_sent ?
		    "the server switched to it after our Configure-Nak" :
		    "the server proposed it itself");
		return;
	}
	if (l->cur == SCAN_M_NONE && l->reqs == 1)
		return;		/* no authentication at all: the owner says */
	if (l->nak_sent && f->reply_id != l->nak_id) {
		/* The server has answered our Nak (a new Identifier) and
		 * still does not ask for the method. */
		snprintf(name, sizeof(name), "%s", scan_method_name(l->cur));
		if (l->cur == SCAN_M_NONE)
			lcp_decide(l, SCAN_V_REFUSED, "after our Configure-Nak "
			    "the server dropped the Auth-Protocol option");
		else
			lcp_decide(l, SCAN_V_REFUSED, "after our Configure-Nak "
			    "the server asked for %s instead", name);
		return;
	}
	/* The Nak goes out only if nothing is rejected in the same request
	 * (RFC 1661 §5.4 answers with the Reject first); a request that
	 * drops the option would come back and be Nak'd then. */
	if (l->cur != SCAN_M_NONE && l->cur_rejects == 0 && !l->nak_sent) {
		l->nak_sent = 1;
		l->nak_id = f->reply_id;
	}
	(void)nak;
}

static void
cb_nak_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct scan_lcp *l = prober(f);

	if (type == LCP_OPT_MAGIC && l->magic != 0)
		l->magic = lcp_new_magic(l->magic);
}

static void
cb_rej_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct scan_lcp *l = prober(f);

	if (type == LCP_OPT_MAGIC)
		l->magic = 0;
}

static void
cb_up(struct ppp_fsm *f)
{
	prober(f)->opened = 1;
}

static void
cb_finished(struct ppp_fsm *f)
{
	prober(f)->finished = 1;
}

static void
cb_peer_terminated(struct ppp_fsm *f)
{
	struct scan_lcp *l = prober(f);

	/* Only an answer to our Nak says something about the method; a
	 * server that gives up before that has not been asked yet. */
	l->peer_terminated = 1;
	if (l->nak_sent)
		lcp_decide(l, SCAN_V_REFUSED, "the server ended LCP after our "
		    "Configure-Nak: \"%s\"", f->peer_reason);
}

static int
cb_extcode(struct ppp_fsm *f, uint8_t code, uint8_t id,
    struct buf_reader *data)
{
	switch (code) {
	case LCP_ECHOREQ:
	case LCP_ECHOREP:
	case LCP_DISCREQ:
		return PPP_FSM_RXR;
	case LCP_PROTREJ:
	case LCP_IDENT:
	case LCP_TIMEREM:
		return PK_OK;	/* RFC 1570: informational */
	}
	return PK_ERR_TYPE;
}

static void
cb_rxr(struct ppp_fsm *f, uint8_t code, uint8_t id, struct buf_reader *data)
{
	struct scan_lcp *l = prober(f);
	uint8_t reply[LCP_MAGIC_LEN];
	struct buf_writer w;

	/* RFC 1661 §5.8: answer an Echo-Request with our Magic-Number; the
	 * request's data need not be echoed to stay alive that long. */
	if (code != LCP_ECHOREQ)
		return;
	buf_writer_init(&w, reply, sizeof(reply));
	buf_put_u32(&w, l->magic);
	(void)ppp_fsm_send(f, LCP_ECHOREP, id, reply, w.len);
}

static int
cb_send(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	struct scan_lcp *l = prober(f);

	return l->send(l->send_arg, PPP_PROTO_LCP, pkt, len);
}

static const struct ppp_fsm_callbacks scan_lcp_callbacks = {
	.reset = cb_reset,
	.build_request = cb_build_request,
	.req_begin = cb_req_begin,
	.req_option = cb_req_option,
	.req_end = cb_req_end,
	.nak_option = cb_nak_option,
	.rej_option = cb_rej_option,
	.up = cb_up,
	.finished = cb_finished,
	.extcode = cb_extcode,
	.rxr = cb_rxr,
	.peer_terminated = cb_peer_terminated,
	.send = cb_send,
};

void
scan_lcp_init(struct scan_lcp *l, int target, const char *log_ctx,
    int (*send)(void *, uint16_t, const uint8_t *, size_t), void *arg)
{
	struct ppp_fsm_timers t = {
		.restart_ms = SCAN_LCP_RESTART_MS,
		.max_configure = SCAN_LCP_MAX_CONFIGURE,
		.max_terminate = SCAN_LCP_MAX_TERMINATE,
		.max_failure = SCAN_LCP_MAX_FAILURE,
	};

	memset(l, 0, sizeof(*l));
	l->target = target;
	l->first = SCAN_M_OTHER;
	l->magic = lcp_new_magic(0);
	l->send = send;
	l->send_arg = arg;
	ppp_fsm_init(&l->fsm, PPP_PROTO_LCP, "LCP", &scan_lcp_callbacks, l,
	    log_ctx, &t);
}

void
scan_lcp_start(struct scan_lcp *l, uint64_t now)
{
	ppp_fsm_lower_up(&l->fsm, now);
	ppp_fsm_open(&l->fsm, now);
}

/* A CHAP Challenge (RFC 1994 §4.1) or EAP Request (RFC 3748 §4.1): the
 * server has moved on to the authentication phase. */
static void
auth_packet(struct scan_lcp *l, uint16_t proto, struct buf_reader *rd)
{
	uint8_t code, id, vsize;
	uint16_t len;

	if (buf_get_u8(rd, &code) != 0 || buf_get_u8(rd, &id) != 0 ||
	    buf_get_u16(rd, &len) != 0)
		return;
	if (proto == PPP_PROTO_CHAP && code == CHAP_CHALLENGE &&
	    buf_get_u8(rd, &vsize) == 0) {
		l->auth_started = 1;
		l->challenge_len = vsize;
	} else if (proto == SCAN_PPP_PROTO_EAP && code == EAP_CODE_REQUEST)
		l->auth_started = 1;
}

int
scan_lcp_frame(struct scan_lcp *l, uint64_t now, const uint8_t *frame,
    size_t len)
{
	struct buf_reader rd;
	uint8_t b0, b1;
	uint16_t proto;
	int r;

	buf_reader_init(&rd, frame, len);
	/* RFC 1662 §3.1 address/control, absent only with ACFC (which we
	 * never ask for, but a peer may compress anyway). */
	if (buf_peek_u8(&rd, 0, &b0) == 0 && buf_peek_u8(&rd, 1, &b1) == 0 &&
	    b0 == PPP_ADDRESS && b1 == PPP_CONTROL)
		(void)buf_skip(&rd, PPP_AC_LEN);
	/* RFC 1661 §2: an odd first octet is a one-octet protocol. */
	if ((r = buf_get_u8(&rd, &b0)) != 0)
		return r;
	if (b0 & 1)
		proto = b0;
	else {
		if ((r = buf_get_u8(&rd, &b1)) != 0)
			return r;
		proto = (uint16_t)(b0 << 8 | b1);
	}
	switch (proto) {
	case PPP_PROTO_LCP:
		return ppp_fsm_input(&l->fsm, now, buf_cur(&rd),
		    buf_remaining(&rd));
	case PPP_PROTO_CHAP:
	case SCAN_PPP_PROTO_EAP:
		auth_packet(l, proto, &rd);
		return PK_OK;
	}
	return PK_ERR_TYPE;
}

void
scan_lcp_close(struct scan_lcp *l, uint64_t now, const char *reason)
{
	ppp_fsm_close(&l->fsm, now, reason);
}

void
scan_lcp_lower_down(struct scan_lcp *l, uint64_t now)
{
	ppp_fsm_lower_down(&l->fsm, now);
}

uint64_t
scan_lcp_next_deadline(const struct scan_lcp *l)
{
	return ppp_fsm_next_deadline(&l->fsm);
}

void
scan_lcp_timeout(struct scan_lcp *l, uint64_t now)
{
	ppp_fsm_timeout(&l->fsm, now);
}
