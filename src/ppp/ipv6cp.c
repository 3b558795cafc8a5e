/*
 * ipv6cp.c - the IPv6 Control Protocol (RFC 5072) as the automaton's
 * callbacks: Interface-Identifier negotiation with the collision rules of
 * RFC 5072 §4.1; IPv6-Compression-Protocol rejected. Runs only when the
 * configuration enables IPv6.
 */
#include <string.h>

#include "core/err.h"
#include "core/rand.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

static struct ppp *
ipv6cp_ppp(struct ppp_fsm *f)
{
	return f->arg;
}

static int
ifid_zero(const uint8_t id[PPP_IFID_LEN])
{
	static const uint8_t zero[PPP_IFID_LEN];

	return memcmp(id, zero, PPP_IFID_LEN) == 0;
}

/*
 * RFC 5072 §4.1 case 3: a random identifier with the "u" bit (bit 6 of
 * the first byte, canonical order) zero, non-zero and different from
 * avoid1/avoid2 (either may be NULL).
 */
static void
random_ifid(uint8_t id[PPP_IFID_LEN], const uint8_t *avoid1,
    const uint8_t *avoid2)
{
	do {
		pk_rand_bytes(id, PPP_IFID_LEN);
		id[0] &= (uint8_t)~0x02;
	} while (ifid_zero(id) ||
	    (avoid1 != NULL && memcmp(id, avoid1, PPP_IFID_LEN) == 0) ||
	    (avoid2 != NULL && memcmp(id, avoid2, PPP_IFID_LEN) == 0));
}

static void
put_ifid(struct buf_writer *w, const uint8_t id[PPP_IFID_LEN])
{
	buf_put_u8(w, IPV6CP_OPT_IFID);
	buf_put_u8(w, IPV6CP_OPT_IFID_LEN);
	buf_put_bytes(w, id, PPP_IFID_LEN);
}

static void
ipv6cp_reset(struct ppp_fsm *f)
{
	struct ppp *p = ipv6cp_ppp(f);
	struct ipv6cp_state *s = &p->ipv6cp;

	/* Our side only: the peer's identifier may have been acked in the
	 * same event (RCR in Stopped or Opened: scr after the reply). */
	s->want_ifid = 1;
	/* Renegotiating: keep the identifier the owner's link-local
	 * address was made of. */
	if (p->ipv6_up_sent)
		memcpy(s->ifid, p->reported.local_ifid, PPP_IFID_LEN);
	else if (ifid_zero(p->cfg.ipv6_ifid))
		random_ifid(s->ifid, NULL, NULL);
	else
		memcpy(s->ifid, p->cfg.ipv6_ifid, PPP_IFID_LEN);
}

static int
ipv6cp_build_request(struct ppp_fsm *f, struct buf_writer *w)
{
	struct ipv6cp_state *s = &ipv6cp_ppp(f)->ipv6cp;

	if (s->want_ifid)
		put_ifid(w, s->ifid);
	return w->err;
}

static void
ipv6cp_req_begin(struct ppp_fsm *f)
{
	ipv6cp_ppp(f)->ipv6cp.his_ifid_ok = 0;
}

static int
ipv6cp_req_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val,
    struct buf_writer *nak)
{
	struct ipv6cp_state *s = &ipv6cp_ppp(f)->ipv6cp;
	uint8_t id[PPP_IFID_LEN];
	int same;

	if (type != IPV6CP_OPT_IFID ||
	    buf_get_bytes(val, id, sizeof(id)) != 0 ||
	    buf_remaining(val) != 0)
		return PPP_CONFREJ;
	same = s->want_ifid && memcmp(id, s->ifid, PPP_IFID_LEN) == 0;
	if (ifid_zero(id) && (!s->want_ifid || ifid_zero(s->ifid)))
		return PPP_CONFREJ;	/* both zero: cannot be unique */
	if (ifid_zero(id) || same) {
		/* Zero, or a collision with ours: suggest a value that is
		 * neither ours nor what it sent. */
		random_ifid(s->nak_ifid, s->ifid, id);
		put_ifid(nak, s->nak_ifid);
		return PPP_CONFNAK;
	}
	memcpy(s->his_ifid, id, PPP_IFID_LEN);
	s->his_ifid_ok = 1;
	return PPP_CONFACK;
}

static void
ipv6cp_nak_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct ipv6cp_state *s = &ipv6cp_ppp(f)->ipv6cp;
	uint8_t id[PPP_IFID_LEN], old[PPP_IFID_LEN];

	if (type != IPV6CP_OPT_IFID ||
	    buf_get_bytes(val, id, sizeof(id)) != 0 ||
	    buf_remaining(val) != 0)
		return;
	/* RFC 5072 §4.1: take the suggestion unless it is what we last
	 * suggested to the peer, in which case pick a new tentative one
	 * (differing from the refused one and from that suggestion). */
	if (!ifid_zero(id) && memcmp(id, s->nak_ifid, PPP_IFID_LEN) != 0) {
		memcpy(s->ifid, id, PPP_IFID_LEN);
	} else {
		memcpy(old, s->ifid, PPP_IFID_LEN);
		random_ifid(s->ifid, s->nak_ifid, old);
	}
	s->want_ifid = 1;
}

static void
ipv6cp_rej_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	if (type == IPV6CP_OPT_IFID)
		ipv6cp_ppp(f)->ipv6cp.want_ifid = 0;
}

static void
ipv6cp_up(struct ppp_fsm *f)
{
	ppp_ncp_up(ipv6cp_ppp(f));
}

static void
ipv6cp_down(struct ppp_fsm *f)
{
	ppp_ncp_down(ipv6cp_ppp(f), f);
}

static void
ipv6cp_finished(struct ppp_fsm *f)
{
	ppp_ncp_finished(ipv6cp_ppp(f), f);
}

static int
ipv6cp_send(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	return ppp_output(ipv6cp_ppp(f), PPP_PROTO_IPV6CP, pkt, len);
}

const struct ppp_fsm_callbacks ipv6cp_callbacks = {
	.reset = ipv6cp_reset,
	.build_request = ipv6cp_build_request,
	.req_begin = ipv6cp_req_begin,
	.req_option = ipv6cp_req_option,
	.nak_option = ipv6cp_nak_option,
	.rej_option = ipv6cp_rej_option,
	.up = ipv6cp_up,
	.down = ipv6cp_down,
	.finished = ipv6cp_finished,
	.send = ipv6cp_send,
};
