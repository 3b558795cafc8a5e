/*
 * ccp.c - the Compression Control Protocol (RFC 1962) carrying only the
 * MPPE option (RFC 3078 §2), as the automaton's callbacks; plus the
 * Reset-Request/Reset-Ack exchange that resynchronises stateful MPPE
 * (RFC 3078 §8.2).
 *
 * Negotiation (RFC 3078 §2.1): each side requests every key length its
 * policy allows; the responder Naks with the single strongest common one.
 * The H bit (stateless) follows the policy: stateful "deny" insists on
 * H, "require" insists on no H, "allow" requests H and accepts the
 * peer's choice. MPPC (the C bit) is never accepted; every other CCP
 * option (Deflate, BSD-Compress, ...) is rejected. Both directions must
 * end with the same bits, since one struct mppe serves both.
 *
 * Timer: while stateful MPPE waits for a flushed packet after a loss,
 * the Reset-Request is repeated every restart interval.
 */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

#define MPPE_ENC_BITS (MPPE_SB_S | MPPE_SB_M | MPPE_SB_L)

static struct ppp *
ccp_ppp(struct ppp_fsm *f)
{
	return f->arg;
}

/* The encryption bits the policy allows. */
static uint32_t
allowed_enc(const struct ppp *p)
{
	uint32_t b = 0;

	if (p->cfg.policy.mppe_bits & PK_MPPE_128)
		b |= MPPE_SB_S;
	if (p->cfg.policy.mppe_bits & PK_MPPE_56)
		b |= MPPE_SB_M;
	if (p->cfg.policy.mppe_bits & PK_MPPE_40)
		b |= MPPE_SB_L;
	return b;
}

/* RFC 3078 §2.1 strength order: S, then M, then L. */
static uint32_t
strongest(uint32_t enc)
{
	if (enc & MPPE_SB_S)
		return MPPE_SB_S;
	if (enc & MPPE_SB_M)
		return MPPE_SB_M;
	if (enc & MPPE_SB_L)
		return MPPE_SB_L;
	return 0;
}

static int
key_bits(uint32_t enc)
{
	switch (enc) {
	case MPPE_SB_S:
		return 128;
	case MPPE_SB_M:
		return 56;
	case MPPE_SB_L:
		return 40;
	default:
		return 0;
	}
}

static const char *
bits_name(uint32_t enc)
{
	switch (strongest(enc)) {
	case MPPE_SB_S:
		return enc == MPPE_SB_S ? "128" : "128 (and weaker)";
	case MPPE_SB_M:
		return enc == MPPE_SB_M ? "56" : "56 (and weaker)";
	case MPPE_SB_L:
		return "40";
	default:
		return "none";
	}
}

static int
required(const struct ppp *p)
{
	return p->cfg.policy.mppe == PK_MPPE_REQUIRE;
}

static void
put_mppe(struct buf_writer *w, uint32_t bits)
{
	buf_put_u8(w, CCP_OPT_MPPE);
	buf_put_u8(w, CCP_OPT_MPPE_LEN);
	buf_put_u32(w, bits);
}

static void
ccp_reset(struct ppp_fsm *f)
{
	struct ppp *p = ccp_ppp(f);
	struct ccp_state *s = &p->ccp;

	s->want_mppe = 1;
	s->want_bits = allowed_enc(p);
	/* Stateless is preferred unless the policy demands stateful. */
	if (p->cfg.policy.mppe_stateful != PK_STATEFUL_REQUIRE)
		s->want_bits |= MPPE_SB_H;
	s->h_naks = 0;
}

static int
ccp_build_request(struct ppp_fsm *f, struct buf_writer *w)
{
	struct ccp_state *s = &ccp_ppp(f)->ccp;

	if (s->want_mppe)
		put_mppe(w, s->want_bits);
	return w->err;
}

static void
ccp_req_begin(struct ppp_fsm *f)
{
	struct ccp_state *s = &ccp_ppp(f)->ccp;

	s->his_mppe = 0;
	s->his_bits = 0;
}

/* What we need the peer's H bit to be, given what it asked for. */
static uint32_t
wanted_h(struct ppp *p, uint32_t his_h)
{
	switch (p->cfg.policy.mppe_stateful) {
	case PK_STATEFUL_DENY:
		return MPPE_SB_H;
	case PK_STATEFUL_REQUIRE:
		return 0;
	default:
		/* "allow": go along with the peer, and ask for the same in
		 * our own direction so both ends agree. */
		p->ccp.want_bits = (p->ccp.want_bits & ~MPPE_SB_H) | his_h;
		return his_h;
	}
}

static int
ccp_req_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val,
    struct buf_writer *nak)
{
	struct ppp *p = ccp_ppp(f);
	struct ccp_state *s = &p->ccp;
	uint32_t bits, enc, pick, ours;

	if (type != CCP_OPT_MPPE) {
		ppp_log_rl(p, PK_LOG_INFO, "CCP: rejecting option %u (%s)",
		    type, type == CCP_OPT_DEFLATE ? "Deflate" :
		    type == CCP_OPT_BSD ? "BSD-Compress" : "not MPPE");
		return PPP_CONFREJ;
	}
	if (buf_get_u32(val, &bits) != 0 || buf_remaining(val) != 0)
		return PPP_CONFREJ;
	enc = bits & allowed_enc(p);
	if (enc == 0) {
		/* Nothing in common. Optional MPPE: refuse it; required:
		 * tell the peer what we could do (RFC 3078 §2.1). */
		ppp_log_rl(p, PK_LOG_NOTICE, "CCP: peer offers MPPE %s, we "
		    "allow %s", bits_name(bits & MPPE_ENC_BITS),
		    bits_name(allowed_enc(p)));
		if (!required(p))
			return PPP_CONFREJ;
		put_mppe(nak, strongest(allowed_enc(p)) |
		    wanted_h(p, bits & MPPE_SB_H));
		return PPP_CONFNAK;
	}
	/* Prefer the length our own request already settled on, so both
	 * directions agree; else the strongest common one. */
	ours = s->want_bits & MPPE_ENC_BITS;
	pick = (strongest(ours) == ours && (enc & ours)) ? ours :
	    strongest(enc);
	pick |= wanted_h(p, bits & MPPE_SB_H);
	/* Exactly one length, the right H, and no C, D or reserved bit. */
	if (bits != pick) {
		put_mppe(nak, pick);
		return PPP_CONFNAK;
	}
	s->his_mppe = 1;
	s->his_bits = bits;
	return PPP_CONFACK;
}

static void
ccp_req_end(struct ppp_fsm *f, struct buf_writer *nak)
{
	struct ppp *p = ccp_ppp(f);

	/* Required MPPE: a request without it is told what to ask. */
	if (required(p) && !p->ccp.his_mppe && nak->len == 0)
		put_mppe(nak, strongest(allowed_enc(p)) |
		    (p->ccp.want_bits & MPPE_SB_H));
}

static void
give_up(struct ppp *p, const char *why)
{
	if (required(p)) {
		ppp_fail(p, PK_ERR_POLICY, "MPPE required but peer refused "
		    "(%s)", why);
		return;
	}
	pk_log(PK_LOG_NOTICE, p->log_ctx, "CCP: no MPPE (%s); MPPE is "
	    "optional, continuing without encryption", why);
	p->ccp.want_mppe = 0;
}

static void
ccp_nak_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct ppp *p = ccp_ppp(f);
	struct ccp_state *s = &p->ccp;
	char why[96];
	uint32_t bits, enc;

	if (type != CCP_OPT_MPPE || !s->want_mppe ||
	    buf_get_u32(val, &bits) != 0 || buf_remaining(val) != 0)
		return;
	enc = strongest(bits & allowed_enc(p));
	if (enc == 0) {
		snprintf(why, sizeof(why), "it wants %s-bit keys, we allow "
		    "%s", bits_name(bits & MPPE_ENC_BITS),
		    bits_name(allowed_enc(p)));
		give_up(p, why);
		return;
	}
	if ((bits & MPPE_SB_H) &&
	    p->cfg.policy.mppe_stateful == PK_STATEFUL_REQUIRE) {
		give_up(p, "it wants stateless mode, policy requires "
		    "stateful");
		return;
	}
	if (!(bits & MPPE_SB_H) &&
	    p->cfg.policy.mppe_stateful == PK_STATEFUL_DENY) {
		give_up(p, "it wants stateful mode, policy forbids it "
		    "(allow it with --mppe-stateful allow)");
		return;
	}
	/* RFC 3078 §2.1: request again what the Nak named. */
	s->want_bits = enc | (bits & MPPE_SB_H);
}

static void
ccp_rej_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct ppp *p = ccp_ppp(f);

	if (type == CCP_OPT_MPPE && p->ccp.want_mppe)
		give_up(p, "it rejected the MPPE option");
}

static void
ccp_up(struct ppp_fsm *f)
{
	struct ppp *p = ccp_ppp(f);
	struct ccp_state *s = &p->ccp;
	uint32_t ours = s->want_bits, his = s->his_bits;

	if (!s->want_mppe && !s->his_mppe) {
		if (required(p)) {
			ppp_fail(p, PK_ERR_POLICY, "MPPE required but peer "
			    "refused");
			return;
		}
		pk_log(PK_LOG_NOTICE, p->log_ctx, "CCP: opened without MPPE; "
		    "traffic is not encrypted");
		s->settled = 1;
		ppp_ncp_up(p);
		return;
	}
	if (!s->want_mppe || !s->his_mppe || ours != his ||
	    key_bits(ours & MPPE_ENC_BITS) == 0) {
		ppp_fail(p, PK_ERR_POLICY, "MPPE negotiation did not converge "
		    "(we receive %s%s, peer receives %s%s)",
		    s->want_mppe ? bits_name(ours & MPPE_ENC_BITS) : "clear",
		    (ours & MPPE_SB_H) ? " stateless" : "",
		    s->his_mppe ? bits_name(his & MPPE_ENC_BITS) : "clear",
		    (his & MPPE_SB_H) ? " stateless" : "");
		return;
	}
	if (!p->have_keys) {
		ppp_fail(p, PK_ERR_POLICY, "MPPE negotiated but "
		    "authentication yielded no keys");
		return;
	}
	p->mppe_bits = key_bits(ours & MPPE_ENC_BITS);
	p->mppe_stateless = (ours & MPPE_SB_H) != 0;
	if (mppe_init(&p->mppe, p->send_key, p->recv_key, p->mppe_bits,
	    p->mppe_stateless) != 0) {
		ppp_fail(p, PK_ERR_CRYPTO, "MPPE initialisation failed");
		return;
	}
	p->mppe.plausible = ppp_mppe_plausible;
	mppe_set_rekey_limits(&p->mppe, p->cfg.mppe_rekey_max,
	    p->cfg.mppe_rekey_rate);
	mppe_set_clock(&p->mppe, p->now);
	p->mppe_on = 1;
	s->settled = 1;
	s->reset_at = PK_TIME_NEVER;
	pk_log(PK_LOG_INFO, p->log_ctx, "CCP: MPPE %d-bit %s", p->mppe_bits,
	    p->mppe_stateless ? "stateless" : "stateful");
	ppp_ncp_up(p);
}

static void
ccp_down(struct ppp_fsm *f)
{
	struct ppp *p = ccp_ppp(f);
	int had_mppe = p->mppe_on;

	/* No clear text slips out while CCP renegotiates or closes. */
	if (p->mppe_on) {
		p->mppe_on = 0;
		mppe_wipe(&p->mppe);
	}
	p->ccp.settled = 0;
	if (had_mppe && !p->in_lcp_down && !p->closing) {
		/*
		 * RFC 3079 derives MPPE keys from the authentication only, so
		 * CCP reopening alone would restart RC4 from the keys already
		 * used (pppd ends the link here instead). Renegotiation gets
		 * a new authentication; anything else (Terminate, Protocol-
		 * Reject) would leave the link in clear text: end it.
		 */
		if (ppp_fsm_renegotiating(f))
			ppp_relink(p, "CCP renegotiating while MPPE was on");
		else
			ppp_fail(p, PK_ERR_POLICY, "peer turned MPPE off (CCP "
			    "%s)", f->cause == PPP_FSM_CAUSE_REJECTED ?
			    "rejected" : "terminated");
	}
	ppp_ncp_down(p, f);
}

static void
ccp_finished(struct ppp_fsm *f)
{
	struct ppp *p = ccp_ppp(f);
	const char *why = f->cause == PPP_FSM_CAUSE_REJECTED ?
	    "peer rejected CCP" : f->cause == PPP_FSM_CAUSE_TIMEOUT ?
	    "CCP negotiation timed out" : "CCP closed";

	if (required(p) && f->cause != PPP_FSM_CAUSE_DOWN) {
		ppp_fail(p, PK_ERR_POLICY, "MPPE required but CCP failed: %s",
		    why);
		return;
	}
	pk_log(PK_LOG_NOTICE, p->log_ctx, "CCP: %s; continuing without "
	    "encryption", why);
	p->ccp.settled = 1;
	ppp_ncp_up(p);
}

static int
ccp_extcode(struct ppp_fsm *f, uint8_t code, uint8_t id,
    struct buf_reader *data)
{
	struct ppp *p = ccp_ppp(f);

	switch (code) {
	case CCP_RESETREQ:
		/* RFC 3078 §8.2: flush our RC4 state, flag the next
		 * packet; RFC 1962 §2.1: acknowledge. */
		if (f->state != PPP_FSM_OPENED)
			return PK_OK;
		p->stats.mppe_resets_rcvd++;
		if (p->mppe_on)
			mppe_reset_request(&p->mppe);
		ppp_output_ctl(p, PPP_PROTO_CCP, CCP_RESETACK, id, NULL, 0);
		return PK_OK;
	case CCP_RESETACK:
		return PK_OK;
	default:
		return PK_ERR_TYPE;
	}
}

static int
ccp_send(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	return ppp_output(ccp_ppp(f), PPP_PROTO_CCP, pkt, len);
}

const struct ppp_fsm_callbacks ccp_callbacks = {
	.reset = ccp_reset,
	.build_request = ccp_build_request,
	.req_begin = ccp_req_begin,
	.req_option = ccp_req_option,
	.req_end = ccp_req_end,
	.nak_option = ccp_nak_option,
	.rej_option = ccp_rej_option,
	.up = ccp_up,
	.down = ccp_down,
	.finished = ccp_finished,
	.extcode = ccp_extcode,
	.send = ccp_send,
};

void
ccp_send_reset(struct ppp *p)
{
	if (p->ccp_fsm.state != PPP_FSM_OPENED || p->mppe_stateless)
		return;
	p->ccp.reset_id = ppp_fsm_new_id(&p->ccp_fsm);
	ppp_output_ctl(p, PPP_PROTO_CCP, CCP_RESETREQ, p->ccp.reset_id, NULL,
	    0);
	p->stats.mppe_resets_sent++;
	p->ccp.reset_at = p->now + p->cfg.restart_ms;
}

uint64_t
ccp_next_deadline(const struct ppp *p)
{
	return p->mppe_on ? p->ccp.reset_at : PK_TIME_NEVER;
}

void
ccp_timeout(struct ppp *p)
{
	if (ccp_next_deadline(p) > p->now)
		return;
	p->ccp.reset_at = PK_TIME_NEVER;
	/* The flushed packet that answers a Reset-Request may itself be
	 * lost; ask again while the receiver still discards. */
	if (p->mppe_on && p->mppe.rx.discarding)
		ccp_send_reset(p);
}
