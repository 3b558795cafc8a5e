/*
 * audit_harness.h - builds what a capture would hold, packet by packet,
 * and feeds it to the audit model (audit.h) as the dissector would: the
 * TCP segments of a PPTP control connection (messages from the engine's
 * own encoder) and GRE packets with PPP frames, in either direction.
 * Direction 0 is client (PNS) -> server (PAC).
 */
#ifndef PK_TEST_AUDIT_HARNESS_H
#define PK_TEST_AUDIT_HARNESS_H

#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "ppp/ppp_proto.h"
#include "pptp/ctrl_msg.h"
#include "test.h"

#define AH_CLI 0xc6120002u	/* 198.18.0.2 */
#define AH_SRV 0xc6120001u	/* 198.18.0.1 */
#define AH_PNS_CALL 0x0101
#define AH_PAC_CALL 0x0202

struct ah {
	struct audit_cap cap;
	uint64_t ts;
	uint32_t ip[2];
	uint16_t port[2];
	uint32_t tcp_seq[2];
	uint32_t gre_seq[2];
	uint16_t gre_key[2];	/* GRE Call ID per direction */
	int acfc, pfc;		/* framing of the PPP frames sent */
	struct audit_ppp_event ev;	/* of the last GRE packet */
	uint8_t frame[PK_PPP_FRAME_MAX + 8];	/* ev.info points here */
	int r;			/* audit_cap_input()'s last return */
};

static inline void
ah_init(struct ah *h)
{
	memset(h, 0, sizeof(*h));
	CHECK_INT(audit_cap_init(&h->cap, NULL), 0);
	h->ts = 1700000000000000ull;
	h->ip[0] = AH_CLI;
	h->ip[1] = AH_SRV;
	h->port[0] = 40000;
	h->port[1] = 1723;
	h->tcp_seq[0] = 1000;
	h->tcp_seq[1] = 50000;
	h->gre_key[0] = AH_PAC_CALL;
	h->gre_key[1] = AH_PNS_CALL;
}

/* One TCP segment at sequence number seq (not advancing anything). */
static inline void
ah_tcp_at(struct ah *h, int dir, uint32_t seq, uint8_t flags,
    const uint8_t *data, size_t len)
{
	struct audit_l4 p;

	memset(&p, 0, sizeof(p));
	p.kind = AUDIT_L4_TCP;
	p.ts_us = h->ts += 1000;
	p.src = h->ip[dir];
	p.dst = h->ip[1 - dir];
	p.sport = h->port[dir];
	p.dport = h->port[1 - dir];
	p.seq = seq;
	p.tcp_flags = flags;
	p.payload = data;
	p.payload_len = len;
	h->r = audit_cap_input(&h->cap, &p, NULL);
}

static inline void
ah_tcp(struct ah *h, int dir, const uint8_t *data, size_t len)
{
	ah_tcp_at(h, dir, h->tcp_seq[dir], AUDIT_TCP_ACK, data, len);
	h->tcp_seq[dir] += (uint32_t)len;
}

static inline size_t
ah_encode(const struct pptp_msg *m, uint8_t *buf, size_t cap)
{
	struct buf_writer w;

	buf_writer_init(&w, buf, cap);
	CHECK_INT(pptp_msg_encode(m, &w), 0);
	return w.len;
}

static inline void
ah_ctrl(struct ah *h, int dir, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_LEN_MAX];

	ah_tcp(h, dir, buf, ah_encode(m, buf, sizeof(buf)));
}

/* SYN, SCCRQ/SCCRP, OCRQ/OCRP with our call IDs. */
static inline void
ah_open(struct ah *h)
{
	struct pptp_msg m;

	ah_tcp_at(h, 0, h->tcp_seq[0]++, AUDIT_TCP_SYN, NULL, 0);
	ah_tcp_at(h, 1, h->tcp_seq[1]++, AUDIT_TCP_SYN | AUDIT_TCP_ACK,
	    NULL, 0);
	memset(&m, 0, sizeof(m));
	m.type = PPTP_SCCRQ;
	m.u.start.version = PPTP_VERSION;
	m.u.start.firmware_rev = 7;
	snprintf(m.u.start.host_name, sizeof(m.u.start.host_name), "client");
	snprintf(m.u.start.vendor, sizeof(m.u.start.vendor), "tester");
	ah_ctrl(h, 0, &m);
	m.type = PPTP_SCCRP;
	m.u.start.result = PPTP_SCCRP_OK;
	m.u.start.firmware_rev = 0x1234;
	snprintf(m.u.start.host_name, sizeof(m.u.start.host_name), "srv");
	snprintf(m.u.start.vendor, sizeof(m.u.start.vendor), "Acme PAC");
	ah_ctrl(h, 1, &m);
	memset(&m, 0, sizeof(m));
	m.type = PPTP_OCRQ;
	m.u.ocrq.call_id = AH_PNS_CALL;
	m.u.ocrq.serial = 1;
	m.u.ocrq.recv_window = 64;
	ah_ctrl(h, 0, &m);
	memset(&m, 0, sizeof(m));
	m.type = PPTP_OCRP;
	m.u.ocrp.call_id = AH_PAC_CALL;
	m.u.ocrp.peer_call_id = AH_PNS_CALL;
	m.u.ocrp.result = PPTP_OCRP_CONNECTED;
	m.u.ocrp.recv_window = 64;
	ah_ctrl(h, 1, &m);
}

/* One GRE data packet carrying a PPP frame (protocol + info). */
static inline int
ah_ppp(struct ah *h, int dir, uint16_t proto, const uint8_t *info,
    size_t len)
{
	uint8_t *frame = h->frame;
	struct buf_writer w;
	struct audit_l4 p;

	buf_writer_init(&w, frame, sizeof(h->frame));
	/* LCP always goes with address/control and a full protocol
	 * (RFC 1661 §6.5-§6.6); the rest as negotiated. */
	if (!h->acfc || proto == PPP_PROTO_LCP) {
		buf_put_u8(&w, PPP_ADDRESS);
		buf_put_u8(&w, PPP_CONTROL);
	}
	if (h->pfc && proto < 0x100 && proto != PPP_PROTO_LCP)
		buf_put_u8(&w, (uint8_t)proto);
	else
		buf_put_u16(&w, proto);
	buf_put_bytes(&w, info, len);
	CHECK_INT(w.err, 0);
	memset(&p, 0, sizeof(p));
	p.kind = AUDIT_L4_GRE;
	p.ts_us = h->ts += 1000;
	p.src = h->ip[dir];
	p.dst = h->ip[1 - dir];
	p.gre.has_seq = 1;
	p.gre.seq = h->gre_seq[dir]++;
	p.gre.call_id = h->gre_key[dir];
	p.gre.payload_len = (uint16_t)w.len;
	p.payload = frame;
	p.payload_len = w.len;
	h->r = audit_cap_input(&h->cap, &p, &h->ev);
	return h->ev.valid;
}

/* A PPP control packet: Code, Identifier, Length, data. */
static inline void
ah_ctl(struct ah *h, int dir, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len)
{
	uint8_t pkt[PK_PPP_FRAME_MAX];
	struct buf_writer w;

	buf_writer_init(&w, pkt, sizeof(pkt));
	buf_put_u8(&w, code);
	buf_put_u8(&w, id);
	buf_put_u16(&w, (uint16_t)(PPP_HDR_LEN + len));
	buf_put_bytes(&w, data, len);
	CHECK_INT(w.err, 0);
	ah_ppp(h, dir, proto, pkt, w.len);
}

/* LCP: the server asks to authenticate with proto/alg, the client acks;
 * the client asks for nothing special, the server acks. alg 0: PAP. */
static inline void
ah_lcp(struct ah *h, uint16_t proto, uint8_t alg)
{
	uint8_t opt[5] = { LCP_OPT_AUTH, alg ? 5 : 4, (uint8_t)(proto >> 8),
	    (uint8_t)proto, alg };
	uint8_t magic[6] = { LCP_OPT_MAGIC, 6, 1, 2, 3, 4 };

	ah_ctl(h, 1, PPP_PROTO_LCP, PPP_CONFREQ, 1, opt, opt[1]);
	ah_ctl(h, 0, PPP_PROTO_LCP, PPP_CONFREQ, 1, magic, sizeof(magic));
	ah_ctl(h, 0, PPP_PROTO_LCP, PPP_CONFACK, 1, opt, opt[1]);
	ah_ctl(h, 1, PPP_PROTO_LCP, PPP_CONFACK, 1, magic, sizeof(magic));
}

/* CHAP Challenge or Response: Value-Size, Value, Name. */
static inline void
ah_chap(struct ah *h, int dir, uint8_t code, uint8_t id, const uint8_t *val,
    size_t vlen, const char *name)
{
	uint8_t d[512];
	size_t n = strlen(name);

	d[0] = (uint8_t)vlen;
	memcpy(d + 1, val, vlen);
	memcpy(d + 1 + vlen, name, n);
	ah_ctl(h, dir, PPP_PROTO_CHAP, code, id, d, 1 + vlen + n);
}

/* CCP: both sides ask for and ack the MPPE bits (RFC 3078 §2.1). */
static inline void
ah_ccp(struct ah *h, uint32_t bits)
{
	uint8_t opt[6] = { 18, 6, (uint8_t)(bits >> 24), (uint8_t)(bits >> 16),
	    (uint8_t)(bits >> 8), (uint8_t)bits };

	ah_ctl(h, 0, PPP_PROTO_CCP, PPP_CONFREQ, 1, opt, sizeof(opt));
	ah_ctl(h, 1, PPP_PROTO_CCP, PPP_CONFREQ, 1, opt, sizeof(opt));
	ah_ctl(h, 1, PPP_PROTO_CCP, PPP_CONFACK, 1, opt, sizeof(opt));
	ah_ctl(h, 0, PPP_PROTO_CCP, PPP_CONFACK, 1, opt, sizeof(opt));
}

/* The call's exchange number k; a test that expects one that is not
 * there stops here. */
static inline struct audit_hs *
ah_hs(struct ah *h, size_t call, size_t k)
{
	if (call >= h->cap.n_calls || k >= h->cap.calls[call].n_hs) {
		fprintf(stderr, "%s: no exchange %zu in call %zu\n",
		    test_current, k, call);
		abort();
	}
	return &h->cap.hs[h->cap.calls[call].hs[k]];
}

#endif
