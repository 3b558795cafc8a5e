/*
 * ipcp.c - the IP Control Protocol (RFC 1332) with the name-server
 * options of RFC 1877, as the automaton's callbacks.
 *
 * Server: requests its own IP-Address, Naks the peer's with the address
 * to assign (also when the peer left it out), Naks DNS/NBNS requests with
 * the configured values and rejects those it has none for.
 * Client: requests 0.0.0.0 (or its configured address) and DNS/NBNS
 * 0.0.0.0, and takes the server's Naks as the answers (RFC 1877 §1).
 * Both reject IP-Compression-Protocol (VJ, which pppd offers; RFC 1332
 * §4.1) and the obsolete IP-Addresses option.
 */
#include <string.h>

#include "core/err.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

static struct ppp *
ipcp_ppp(struct ppp_fsm *f)
{
	return f->arg;
}

/* Maps the name-server options to their request bit and slot. */
static int
ns_slot(uint8_t type, unsigned *bit, int *dns, int *idx)
{
	switch (type) {
	case IPCP_OPT_DNS1:
		*bit = IPCP_W_DNS1;
		*dns = 1;
		*idx = 0;
		return 1;
	case IPCP_OPT_DNS2:
		*bit = IPCP_W_DNS2;
		*dns = 1;
		*idx = 1;
		return 1;
	case IPCP_OPT_NBNS1:
		*bit = IPCP_W_NBNS1;
		*dns = 0;
		*idx = 0;
		return 1;
	case IPCP_OPT_NBNS2:
		*bit = IPCP_W_NBNS2;
		*dns = 0;
		*idx = 1;
		return 1;
	default:
		return 0;
	}
}

static void
put_addr_opt(struct buf_writer *w, uint8_t type, uint32_t addr)
{
	buf_put_u8(w, type);
	buf_put_u8(w, IPCP_OPT_ADDR_LEN);
	buf_put_u32(w, addr);
}

static void
ipcp_reset(struct ppp_fsm *f)
{
	struct ppp *p = ipcp_ppp(f);
	struct ipcp_state *s = &p->ipcp;

	/* Our side only: the peer's request may have just been answered
	 * in the same event (RCR in Stopped or Opened: scr after the reply
	 * was computed), and his_addr is what it got. */
	s->dns[0] = s->dns[1] = s->nbns[0] = s->nbns[1] = 0;
	s->addr = p->cfg.local_ip;
	/* Renegotiating: a client asks for the address it was given (the
	 * owner configured it); the server Naks if it disagrees. */
	if (!p->cfg.is_server && p->up_sent)
		s->addr = p->reported.local_ip;
	s->want = IPCP_W_ADDR;
	/* RFC 1877 §1: the client asks with 0.0.0.0 to be told. */
	if (!p->cfg.is_server)
		s->want |= IPCP_W_DNS1 | IPCP_W_DNS2 | IPCP_W_NBNS1 |
		    IPCP_W_NBNS2;
}

static int
ipcp_build_request(struct ppp_fsm *f, struct buf_writer *w)
{
	struct ppp *p = ipcp_ppp(f);
	struct ipcp_state *s = &p->ipcp;

	if (s->want & IPCP_W_ADDR)
		put_addr_opt(w, IPCP_OPT_ADDR, s->addr);
	if (s->want & IPCP_W_DNS1)
		put_addr_opt(w, IPCP_OPT_DNS1, s->dns[0]);
	if (s->want & IPCP_W_NBNS1)
		put_addr_opt(w, IPCP_OPT_NBNS1, s->nbns[0]);
	if (s->want & IPCP_W_DNS2)
		put_addr_opt(w, IPCP_OPT_DNS2, s->dns[1]);
	if (s->want & IPCP_W_NBNS2)
		put_addr_opt(w, IPCP_OPT_NBNS2, s->nbns[1]);
	return w->err;
}

static void
ipcp_req_begin(struct ppp_fsm *f)
{
	ipcp_ppp(f)->ipcp.his_addr = 0;
	ipcp_ppp(f)->ipcp.his_addr_seen = 0;
}

static int
ipcp_req_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val,
    struct buf_writer *nak)
{
	struct ppp *p = ipcp_ppp(f);
	uint32_t addr, mine;
	uint16_t proto;
	unsigned bit;
	int dns, idx;

	if (type == IPCP_OPT_COMP) {
		if (buf_get_u16(val, &proto) == 0 && proto == IPCP_VJ)
			ppp_log_rl(p, PK_LOG_INFO, "IPCP: rejecting VJ header "
			    "compression");
		return PPP_CONFREJ;
	}
	if (type == IPCP_OPT_ADDR) {
		p->ipcp.his_addr_seen = 1;
		if (buf_remaining(val) != IPCP_OPT_ADDR_LEN - PPP_OPT_HDR_LEN)
			return PPP_CONFREJ;
		buf_get_u32(val, &addr);
		if (p->cfg.is_server) {
			/* RFC 1332 §3.3: Nak with the address to use. */
			if (p->cfg.peer_ip != 0 && addr != p->cfg.peer_ip) {
				put_addr_opt(nak, IPCP_OPT_ADDR,
				    p->cfg.peer_ip);
				return PPP_CONFNAK;
			}
			if (addr == 0)
				return PPP_CONFREJ;
		} else if (addr == 0) {
			/* We have no address to give a server. */
			return PPP_CONFREJ;
		}
		p->ipcp.his_addr = addr;
		return PPP_CONFACK;
	}
	if (ns_slot(type, &bit, &dns, &idx)) {
		/* Only a client asks for name servers (RFC 1877 §1). */
		if (!p->cfg.is_server ||
		    buf_remaining(val) != IPCP_OPT_ADDR_LEN - PPP_OPT_HDR_LEN)
			return PPP_CONFREJ;
		mine = dns ? p->cfg.dns[idx] : p->cfg.nbns[idx];
		if (mine == 0)
			return PPP_CONFREJ;
		buf_get_u32(val, &addr);
		if (addr == mine)
			return PPP_CONFACK;
		put_addr_opt(nak, type, mine);
		return PPP_CONFNAK;
	}
	return PPP_CONFREJ;
}

static void
ipcp_req_end(struct ppp_fsm *f, struct buf_writer *nak)
{
	struct ppp *p = ipcp_ppp(f);

	/* RFC 1332 §3.3: a peer that asked for no address is told the one
	 * it gets. */
	if (p->cfg.is_server && !p->ipcp.his_addr_seen && p->cfg.peer_ip != 0)
		put_addr_opt(nak, IPCP_OPT_ADDR, p->cfg.peer_ip);
}

static void
ipcp_nak_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct ppp *p = ipcp_ppp(f);
	struct ipcp_state *s = &p->ipcp;
	uint32_t addr;
	unsigned bit;
	int dns, idx;

	if (buf_remaining(val) != IPCP_OPT_ADDR_LEN - PPP_OPT_HDR_LEN ||
	    buf_get_u32(val, &addr) != 0)
		return;
	if (type == IPCP_OPT_ADDR && (s->want & IPCP_W_ADDR)) {
		/* A server keeps its configured address; a client takes
		 * the one it is assigned. */
		if (!p->cfg.is_server && addr != 0)
			s->addr = addr;
		return;
	}
	if (ns_slot(type, &bit, &dns, &idx) && (s->want & bit) &&
	    !p->cfg.is_server) {
		if (dns)
			s->dns[idx] = addr;
		else
			s->nbns[idx] = addr;
	}
}

static void
ipcp_rej_option(struct ppp_fsm *f, uint8_t type, struct buf_reader *val)
{
	struct ppp *p = ipcp_ppp(f);
	unsigned bit;
	int dns, idx;

	if (type == IPCP_OPT_ADDR)
		p->ipcp.want &= ~(unsigned)IPCP_W_ADDR;
	else if (ns_slot(type, &bit, &dns, &idx))
		p->ipcp.want &= ~bit;
}

static void
ipcp_up(struct ppp_fsm *f)
{
	struct ppp *p = ipcp_ppp(f);
	struct ipcp_state *s = &p->ipcp;

	/* What stayed zero was not learned; do not report 0.0.0.0. */
	if (!(s->want & IPCP_W_DNS1))
		s->dns[0] = 0;
	if (!(s->want & IPCP_W_DNS2))
		s->dns[1] = 0;
	if (!(s->want & IPCP_W_NBNS1))
		s->nbns[0] = 0;
	if (!(s->want & IPCP_W_NBNS2))
		s->nbns[1] = 0;
	if (!p->cfg.is_server && s->addr == 0) {
		ppp_fail(p, PK_ERR_VALUE, "IPCP: server assigned no IP "
		    "address");
		return;
	}
	if (p->cfg.is_server && s->his_addr == 0) {
		ppp_fail(p, PK_ERR_VALUE, "IPCP: peer took no IP address");
		return;
	}
	ppp_ncp_up(p);
}

static void
ipcp_down(struct ppp_fsm *f)
{
	ppp_ncp_down(ipcp_ppp(f), f);
}

static void
ipcp_finished(struct ppp_fsm *f)
{
	ppp_ncp_finished(ipcp_ppp(f), f);
}

static int
ipcp_send(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	return ppp_output(ipcp_ppp(f), PPP_PROTO_IPCP, pkt, len);
}

const struct ppp_fsm_callbacks ipcp_callbacks = {
	.reset = ipcp_reset,
	.build_request = ipcp_build_request,
	.req_begin = ipcp_req_begin,
	.req_option = ipcp_req_option,
	.req_end = ipcp_req_end,
	.nak_option = ipcp_nak_option,
	.rej_option = ipcp_rej_option,
	.up = ipcp_up,
	.down = ipcp_down,
	.finished = ipcp_finished,
	.send = ipcp_send,
};
