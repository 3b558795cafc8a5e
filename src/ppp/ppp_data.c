/*
 * ppp_data.c - the frame path of a PPP link: framing with address/control
 * and protocol field compression as negotiated, demultiplexing by phase
 * and protocol (RFC 1661 §3.5, §6.5, §6.6), Protocol-Reject of unknown
 * protocols, and the IP/IPv6 data path through MPPE (RFC 3078 §3).
 *
 * Policy on the data path: while MPPE is on, clear IP from the peer is
 * dropped; while MPPE is required and not yet on, no IP goes either way.
 */
#include <string.h>

#include "core/err.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_proto.h"

/* RFC 1661 §6.5/§6.6: compress only what the peer asked for, only once
 * LCP is Opened, and never the address/control of LCP itself. */
static int
put_header(const struct ppp *p, struct buf_writer *w, uint16_t proto)
{
	int opened = p->lcp_fsm.state == PPP_FSM_OPENED;

	if (!(opened && p->lcp.his.acfc && proto != PPP_PROTO_LCP)) {
		buf_put_u8(w, PPP_ADDRESS);
		buf_put_u8(w, PPP_CONTROL);
	}
	if (opened && p->lcp.his.pfc && proto < 0x100)
		return buf_put_u8(w, (uint8_t)proto);
	return buf_put_u16(w, proto);
}

static void
count_out(struct ppp *p, size_t len)
{
	p->stats.frames_out++;
	p->stats.bytes_out += len;
}

int
ppp_output(struct ppp *p, uint16_t proto, const uint8_t *data, size_t len)
{
	struct buf_writer w;
	int r;

	if (p->out == NULL)
		return PK_ERR_INTERNAL;
	if ((r = out_begin(p->out, PPP_AC_LEN + PPP_PROTO_LEN + len, &w)) != 0)
		return r;
	put_header(p, &w, proto);
	buf_put_bytes(&w, data, len);
	if ((r = out_commit(p->out, OUT_PPP, 0, &w)) != 0)
		return r;
	count_out(p, w.len);
	return PK_OK;
}

int
ppp_output_ctl(struct ppp *p, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len)
{
	uint8_t pkt[PK_PPP_FRAME_MAX];
	struct buf_writer w;
	int r;

	buf_writer_init(&w, pkt, sizeof(pkt));
	if ((r = ppp_ctl_encode(&w, code, id, data, len)) != 0)
		return r;
	return ppp_output(p, proto, pkt, w.len);
}

/* RFC 1661 §5.7: Protocol-Reject, only while LCP is Opened. */
static int
protocol_reject(struct ppp *p, uint16_t proto, const uint8_t *info,
    size_t len)
{
	uint8_t data[PK_PPP_FRAME_MAX];
	size_t room = p->peer_mru - PPP_HDR_LEN - PPP_PROTO_LEN;
	struct buf_writer w;

	if (p->lcp_fsm.state != PPP_FSM_OPENED)
		return PK_ERR_STATE;
	ppp_log_rl(p, PK_LOG_INFO, "Protocol-Reject for 0x%04x", proto);
	buf_writer_init(&w, data, sizeof(data));
	buf_put_u16(&w, proto);
	buf_put_bytes(&w, info, len < room ? len : room);
	p->stats.proto_rejected++;
	return ppp_output_ctl(p, PPP_PROTO_LCP, LCP_PROTREJ,
	    ppp_fsm_new_id(&p->lcp_fsm), data, w.len);
}

/*
 * The Protocol field, compressed or not (RFC 1661 §6.5: accepted in both
 * forms always). A valid value has an even first octet and an odd last.
 */
static int
get_protocol(struct buf_reader *rd, uint16_t *proto)
{
	uint8_t b0, b1;
	int r;

	if ((r = buf_get_u8(rd, &b0)) != 0)
		return r;
	if (b0 & 1) {
		*proto = b0;
		return PK_OK;
	}
	if ((r = buf_get_u8(rd, &b1)) != 0)
		return r;
	if (!(b1 & 1))
		return PK_ERR_VALUE;
	*proto = (uint16_t)((b0 << 8) | b1);
	return PK_OK;
}

#define IPV4_HDR_MIN 20
#define IPV6_HDR_LEN 40

/*
 * RFC 3078 has no integrity check, so a drifted key yields garbage. Real
 * traffic is an IPv4 packet with a valid header checksum (RFC 791) or an
 * IPv6 packet whose payload length fits the frame (RFC 8200); random
 * bytes pass both tests about once in 2^32.
 */
int
ppp_mppe_plausible(const uint8_t *plain, size_t len)
{
	struct buf_reader rd, hdr;
	uint16_t proto, total, word;
	uint8_t v;
	uint32_t sum = 0;

	buf_reader_init(&rd, plain, len);
	if (get_protocol(&rd, &proto) != 0 || buf_peek_u8(&rd, 0, &v) != 0)
		return 0;
	if (proto == PPP_PROTO_IPV6)
		return (v >> 4) == 6 && buf_peek_u16(&rd, 4, &total) == 0 &&
		    (size_t)total + IPV6_HDR_LEN <= buf_remaining(&rd);
	if (proto != PPP_PROTO_IP || (v >> 4) != 4 ||
	    (size_t)(v & 0x0f) * 4 < IPV4_HDR_MIN ||
	    buf_peek_u16(&rd, 2, &total) != 0 ||
	    total > buf_remaining(&rd) || total < (size_t)(v & 0x0f) * 4 ||
	    buf_get_sub(&rd, (size_t)(v & 0x0f) * 4, &hdr) != 0)
		return 0;
	while (buf_get_u16(&hdr, &word) == 0)
		sum += word;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

static int
deliver_ip(struct ppp *p, uint16_t proto, const uint8_t *pkt, size_t len,
    int encrypted)
{
	int r;

	if (!encrypted && (p->mppe_on ||
	    p->cfg.policy.mppe == PK_MPPE_REQUIRE)) {
		p->stats.drop_unencrypted++;
		ppp_log_rl(p, PK_LOG_NOTICE, "clear-text IP dropped: MPPE "
		    "is %s", p->mppe_on ? "on" : "required");
		return PK_ERR_POLICY;
	}
	if (!p->ip_ready || p->closing || (proto == PPP_PROTO_IPV6 &&
	    p->ipv6cp_fsm.state != PPP_FSM_OPENED)) {
		p->stats.drop_not_up++;
		return PK_ERR_STATE;
	}
	if (len == 0 || len > PK_IP_PACKET_MAX) {
		p->stats.drop_malformed++;
		return PK_ERR_LENGTH;
	}
	if ((r = out_put(p->out, OUT_IP, 0, pkt, len)) != 0)
		return r;
	p->stats.ip_in++;
	return PK_OK;
}

/* RFC 3078 §3: decrypt, then demultiplex the inner protocol. */
static int
mppe_receive(struct ppp *p, const uint8_t *data, size_t len)
{
	uint8_t plain[PK_PPP_FRAME_MAX];
	struct buf_writer w;
	struct buf_reader rd;
	uint16_t proto;
	int r, send_reset = 0;

	buf_writer_init(&w, plain, sizeof(plain));
	mppe_set_clock(&p->mppe, p->now);
	r = mppe_decrypt(&p->mppe, data, len, &w, &send_reset);
	p->stats.mppe_rekeys = p->mppe.rx_rekeys;
	p->stats.mppe_rekey_capped = p->mppe.rx_rekey_capped;
	if (send_reset)
		ccp_send_reset(p);
	if (r == PK_ERR_POLICY) {
		p->stats.drop_mppe++;
		ppp_log_rl(p, PK_LOG_WARN, "limit mppe-rekey: stateless packet "
		    "needs more key changes than allowed now, dropped (%llu "
		    "so far; mppe-rekey-max %u, mppe-rekey-rate %u/s)",
		    (unsigned long long)p->mppe.rx_rekey_capped,
		    p->cfg.mppe_rekey_max, p->cfg.mppe_rekey_rate);
		return r;
	}
	if (r != 0) {
		p->stats.drop_mppe++;
		ppp_log_rl(p, PK_LOG_INFO, "MPPE packet dropped: %s",
		    pk_strerror(r));
		return r;
	}
	buf_reader_init(&rd, plain, w.len);
	if ((r = get_protocol(&rd, &proto)) != 0) {
		p->stats.drop_malformed++;
		return r;
	}
	if (proto != PPP_PROTO_IP && proto != PPP_PROTO_IPV6) {
		/* Only data travels encrypted; anything else is bogus. */
		p->stats.drop_malformed++;
		ppp_log_rl(p, PK_LOG_NOTICE, "encrypted protocol 0x%04x "
		    "dropped", proto);
		return PK_ERR_TYPE;
	}
	return deliver_ip(p, proto, buf_cur(&rd), buf_remaining(&rd), 1);
}

static int
drop_phase(struct ppp *p, uint16_t proto)
{
	p->stats.drop_phase++;
	pk_log(PK_LOG_DEBUG, p->log_ctx, "protocol 0x%04x dropped in phase "
	    "%s", proto, ppp_phase_name(p->phase));
	return PK_ERR_STATE;
}

static int
dispatch(struct ppp *p, uint16_t proto, const uint8_t *data, size_t len)
{
	if (proto == PPP_PROTO_LCP)
		return ppp_fsm_input(&p->lcp_fsm, p->now, data, len);
	/* RFC 1661 §3.4-§3.5: only LCP before authentication; only the
	 * authentication protocol during it. */
	if (p->phase != PPP_PHASE_AUTHENTICATE &&
	    p->phase != PPP_PHASE_NETWORK)
		return drop_phase(p, proto);
	/* Repeats after success still get their answer (RFC 1334 §2.2.1,
	 * RFC 1994 §4.2), so these pass in the Network phase too. */
	if (proto == PPP_PROTO_PAP) {
		if (p->auth.method != PK_AUTH_PAP)
			return drop_phase(p, proto);
		return pap_input(p, data, len);
	}
	if (proto == PPP_PROTO_CHAP) {
		if ((p->auth.method & (PK_AUTH_CHAP_MD5 | PK_AUTH_MSCHAPV1 |
		    PK_AUTH_MSCHAPV2)) == 0)
			return drop_phase(p, proto);
		return chap_input(p, data, len);
	}
	if (p->phase != PPP_PHASE_NETWORK)
		return drop_phase(p, proto);
	switch (proto) {
	case PPP_PROTO_IPCP:
		return ppp_fsm_input(&p->ipcp_fsm, p->now, data, len);
	case PPP_PROTO_CCP:
		if (p->ccp_fsm.state == PPP_FSM_INITIAL)
			break;		/* not running: Protocol-Reject */
		return ppp_fsm_input(&p->ccp_fsm, p->now, data, len);
	case PPP_PROTO_IPV6CP:
		if (!p->cfg.ipv6)
			break;
		return ppp_fsm_input(&p->ipv6cp_fsm, p->now, data, len);
	case PPP_PROTO_IP:
	case PPP_PROTO_IPV6:
		return deliver_ip(p, proto, data, len, 0);
	case PPP_PROTO_COMP:
		if (p->mppe_on)
			return mppe_receive(p, data, len);
		if (p->ccp_fsm.state == PPP_FSM_INITIAL)
			break;
		p->stats.drop_not_up++;
		return PK_ERR_STATE;
	default:
		break;
	}
	protocol_reject(p, proto, data, len);
	return PK_OK;
}

/* Splits one frame out of GRE into protocol and information. */
static int
frame_input(struct ppp *p, const uint8_t *frame, size_t len)
{
	struct buf_reader rd;
	uint16_t proto;
	uint8_t a, c;
	int r;

	p->stats.frames_in++;
	p->stats.bytes_in += len;
	buf_reader_init(&rd, frame, len);
	/* RFC 1662 §3.1 / RFC 1661 §6.6: FF 03 may be present or not. A
	 * compressed protocol field is odd, never 0xFF, so FF is the
	 * address field. */
	if (buf_peek_u8(&rd, 0, &a) == 0 && a == PPP_ADDRESS) {
		buf_get_u8(&rd, &a);
		if ((r = buf_get_u8(&rd, &c)) != 0 || c != PPP_CONTROL) {
			p->stats.drop_malformed++;
			return r != 0 ? r : PK_ERR_VALUE;
		}
	}
	if ((r = get_protocol(&rd, &proto)) != 0) {
		p->stats.drop_malformed++;
		return r;
	}
	return dispatch(p, proto, buf_cur(&rd), buf_remaining(&rd));
}

int
ppp_input(struct ppp *p, uint64_t now, const uint8_t *frame, size_t len,
    struct pk_out *out)
{
	int r;

	if ((r = ppp_enter(p, now, out)) != 0)
		return r;
	if (!p->started) {
		p->out = NULL;
		return PK_ERR_STATE;
	}
	return ppp_leave(p, frame_input(p, frame, len));
}

static int
send_encrypted(struct ppp *p, uint16_t proto, const uint8_t *pkt,
    size_t len)
{
	uint8_t plain[PPP_PROTO_LEN + PK_IP_PACKET_MAX];
	struct buf_writer pw, w;
	int r;

	/* RFC 3078 §3: the encrypted payload starts with the (here
	 * uncompressed) protocol field; the frame carries 0x00FD. */
	if (MPPE_HDR_LEN + PPP_PROTO_LEN + len > p->peer_mru) {
		p->stats.drop_too_big++;
		return PK_ERR_LENGTH;
	}
	buf_writer_init(&pw, plain, sizeof(plain));
	buf_put_u16(&pw, proto);
	if ((r = buf_put_bytes(&pw, pkt, len)) != 0)
		return r;
	if ((r = out_begin(p->out, PPP_AC_LEN + PPP_PROTO_LEN + MPPE_HDR_LEN +
	    pw.len, &w)) != 0)
		return r;
	put_header(p, &w, PPP_PROTO_COMP);
	if ((r = mppe_encrypt(&p->mppe, plain, pw.len, &w)) != 0 ||
	    (r = out_commit(p->out, OUT_PPP, 0, &w)) != 0)
		return r;
	count_out(p, w.len);
	return PK_OK;
}

static int
send_ip(struct ppp *p, const uint8_t *pkt, size_t len)
{
	struct buf_reader rd;
	uint16_t proto;
	uint8_t v;
	int r;

	buf_reader_init(&rd, pkt, len);
	if (buf_peek_u8(&rd, 0, &v) != 0 || len > PK_IP_PACKET_MAX) {
		p->stats.drop_malformed++;
		return PK_ERR_LENGTH;
	}
	switch (v >> 4) {
	case 4:
		proto = PPP_PROTO_IP;
		break;
	case 6:
		proto = PPP_PROTO_IPV6;
		break;
	default:
		p->stats.drop_malformed++;
		return PK_ERR_VALUE;
	}
	if (!p->ip_ready || p->closing || (proto == PPP_PROTO_IPV6 &&
	    p->ipv6cp_fsm.state != PPP_FSM_OPENED) ||
	    (p->cfg.policy.mppe == PK_MPPE_REQUIRE && !p->mppe_on)) {
		p->stats.drop_not_up++;
		return PK_ERR_STATE;
	}
	if (p->mppe_on)
		r = send_encrypted(p, proto, pkt, len);
	else if (len > p->peer_mru) {
		p->stats.drop_too_big++;
		r = PK_ERR_LENGTH;
	} else
		r = ppp_output(p, proto, pkt, len);
	if (r == 0)
		p->stats.ip_out++;
	return r;
}

int
ppp_send_ip(struct ppp *p, uint64_t now, const uint8_t *pkt, size_t len,
    struct pk_out *out)
{
	int r;

	if ((r = ppp_enter(p, now, out)) != 0)
		return r;
	return ppp_leave(p, send_ip(p, pkt, len));
}
