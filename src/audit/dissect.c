/*
 * dissect.c - link layer, IPv4 (with fragment reassembly), TCP and GRE
 * for the audit toolkit (see dissect.h). Framing before meaning, as
 * everywhere in pptpkit: each header's length is checked against the
 * bytes captured before a field is used, and a length field that claims
 * more than the frame holds is "truncated" when the capture cut it
 * (caplen < wire length) and "malformed" when it lies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "audit/dissect.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "pptp/pptp_proto.h"

#define ETH_HDR_LEN 14
#define ETH_ADDRS_LEN 12
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define VLAN_TAG_LEN 4
#define VLAN_TAGS_MAX 4
#define SLL_HDR_LEN 16
#define SLL_PROTO_OFF 14
#define SLL2_HDR_LEN 20
#define NULL_HDR_LEN 4
#define BSD_AF_INET 2

#define IPV4_HDR_MIN 20
#define IPV4_MAX 65535
#define IP_PROTO_TCP 6
#define IP_PROTO_GRE 47
#define IP_FLAG_MF 0x2000
#define IP_FRAG_OFF_MASK 0x1fff
#define TCP_HDR_MIN 20

/* One IPv4 datagram being put back together (RFC 791 §3.2): payload
 * bytes and which 8-byte blocks of it arrived. */
#define FRAG_BLOCKS (IPV4_MAX / 8 + 1)
struct audit_frag {
	int used;
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	uint64_t t_first;
	size_t total;		/* payload length once the last piece came */
	uint8_t *data;		/* IPV4_MAX bytes */
	uint8_t have[FRAG_BLOCKS / 8 + 1];
};

int
audit_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_NULL:
	case DLT_LOOP:
		return 1;
	}
	return 0;
}

const char *
audit_dlt_name(int dlt, char *buf, size_t len)
{
	switch (dlt) {
	case DLT_EN10MB:
		return "Ethernet";
	case DLT_LINUX_SLL:
		return "Linux cooked v1";
	case DLT_LINUX_SLL2:
		return "Linux cooked v2";
	case DLT_RAW:
	case DLT_IPV4:
		return "raw IP";
	case DLT_NULL:
	case DLT_LOOP:
		return "BSD loopback";
	}
	snprintf(buf, len, "link type %d", dlt);
	return buf;
}

int
audit_dissector_init(struct audit_dissector *d, int dlt)
{
	memset(d, 0, sizeof(*d));
	if (!audit_dlt_supported(dlt))
		return PK_ERR_TYPE;
	d->dlt = dlt;
	d->pptp_port = PPTP_TCP_PORT;
	d->frags = calloc(PK_AUDIT_FRAGS_MAX, sizeof(*d->frags));
	if (d->frags == NULL)
		return PK_ERR_NOMEM;
	return PK_OK;
}

void
audit_dissector_free(struct audit_dissector *d)
{
	if (d == NULL)
		return;
	if (d->frags != NULL)
		for (size_t i = 0; i < PK_AUDIT_FRAGS_MAX; i++)
			free(d->frags[i].data);
	free(d->frags);
	free(d->reasm);
	d->frags = NULL;
	d->reasm = NULL;
}

/* A header that does not fit: cut short by the capture's snap length
 * (truncated), or lying about its length (malformed, counted in *bad). */
static void
count_error(struct audit_dissector *d, int r, uint64_t *bad)
{
	if (d->cut && (r == PK_ERR_SHORT || r == PK_ERR_LENGTH))
		d->st.truncated++;
	else if (r != PK_ERR_NOMEM && r != PK_ERR_INTERNAL)
		(*bad)++;
}

/* Moves rd past the link header; *ethertype says what follows (IPv4 is
 * ETHERTYPE_IPV4 whatever the link's own encoding). */
static int
link_strip(const struct audit_dissector *d, struct buf_reader *rd,
    uint16_t *ethertype)
{
	uint32_t af;
	uint8_t v;
	int r;

	switch (d->dlt) {
	case DLT_EN10MB:
		if ((r = buf_skip(rd, ETH_ADDRS_LEN)) != 0 ||
		    (r = buf_get_u16(rd, ethertype)) != 0)
			return r;
		/* 802.1Q / 802.1ad tags: TCI, then the next type. */
		for (int i = 0; i < VLAN_TAGS_MAX &&
		    (*ethertype == ETHERTYPE_VLAN ||
		    *ethertype == ETHERTYPE_QINQ ||
		    *ethertype == ETHERTYPE_QINQ_OLD); i++)
			if ((r = buf_skip(rd, 2)) != 0 ||
			    (r = buf_get_u16(rd, ethertype)) != 0)
				return r;
		return PK_OK;
	case DLT_LINUX_SLL:
		/* type, ARPHRD, address length, address (8), protocol. */
		if ((r = buf_skip(rd, SLL_PROTO_OFF)) != 0 ||
		    (r = buf_get_u16(rd, ethertype)) != 0)
			return r;
		return PK_OK;
	case DLT_LINUX_SLL2:
		/* protocol, reserved, ifindex, ARPHRD, type, addr len, addr */
		if ((r = buf_get_u16(rd, ethertype)) != 0 ||
		    (r = buf_skip(rd, SLL2_HDR_LEN - 2)) != 0)
			return r;
		return PK_OK;
	case DLT_RAW:
	case DLT_IPV4:
		if ((r = buf_peek_u8(rd, 0, &v)) != 0)
			return r;
		*ethertype = (v >> 4) == 4 ? ETHERTYPE_IPV4 :
		    (v >> 4) == 6 ? ETHERTYPE_IPV6 : 0;
		return PK_OK;
	case DLT_NULL:
	case DLT_LOOP:
		/* The address family, in the capturing host's byte order
		 * for DLT_NULL: AF_INET is 2 everywhere. */
		if ((r = buf_get_u32(rd, &af)) != 0)
			return r;
		*ethertype = af == BSD_AF_INET ||
		    af == ((uint32_t)BSD_AF_INET << 24) ? ETHERTYPE_IPV4 : 0;
		return PK_OK;
	}
	return PK_ERR_TYPE;
}

static struct audit_frag *
frag_find(struct audit_dissector *d, uint32_t src, uint32_t dst,
    uint16_t id, uint8_t proto, uint64_t now)
{
	struct audit_frag *oldest = NULL, *free_slot = NULL;

	for (size_t i = 0; i < PK_AUDIT_FRAGS_MAX; i++) {
		struct audit_frag *fr = &d->frags[i];

		if (fr->used && now - fr->t_first > PK_AUDIT_FRAG_TIMEOUT_US &&
		    now >= fr->t_first) {
			fr->used = 0;
			d->st.frag_dropped++;
		}
		if (!fr->used) {
			if (free_slot == NULL)
				free_slot = fr;
			continue;
		}
		if (fr->src == src && fr->dst == dst && fr->id == id &&
		    fr->proto == proto)
			return fr;
		if (oldest == NULL || fr->t_first < oldest->t_first)
			oldest = fr;
	}
	if (free_slot == NULL) {
		/* Table full: the oldest incomplete datagram gives way. */
		free_slot = oldest;
		d->st.frag_dropped++;
	}
	if (free_slot->data == NULL &&
	    (free_slot->data = malloc(IPV4_MAX)) == NULL)
		return NULL;
	free_slot->used = 1;
	free_slot->src = src;
	free_slot->dst = dst;
	free_slot->id = id;
	free_slot->proto = proto;
	free_slot->t_first = now;
	free_slot->total = 0;
	memset(free_slot->have, 0, sizeof(free_slot->have));
	return free_slot;
}

/*
 * Adds one fragment (payload at byte offset off, more = MF). Returns 1
 * with *payload and *len set to the whole datagram's payload once every
 * piece is in, 0 while waiting, or a negative error.
 */
static int
frag_add(struct audit_dissector *d, uint32_t src, uint32_t dst, uint16_t id,
    uint8_t proto, size_t off, int more, struct buf_reader *data,
    uint64_t now, const uint8_t **payload, size_t *len)
{
	size_t n = buf_remaining(data), end = off + n, first, last;
	struct audit_frag *fr;

	d->st.fragments++;
	/* RFC 791: every piece but the last is a multiple of 8 long. */
	if (end > IPV4_MAX - IPV4_HDR_MIN || (more && (n % 8 != 0 || n == 0)))
		return PK_ERR_LENGTH;
	if ((fr = frag_find(d, src, dst, id, proto, now)) == NULL)
		return PK_ERR_NOMEM;
	if (n > 0 && buf_get_bytes(data, fr->data + off, n) != 0)
		return PK_ERR_INTERNAL;
	first = off / 8;
	last = (end + 7) / 8;
	for (size_t b = first; b < last; b++)
		fr->have[b / 8] |= (uint8_t)(1u << (b % 8));
	if (!more) {
		if (fr->total != 0 && fr->total != end) {
			fr->used = 0;	/* two different ends: give up */
			d->st.frag_dropped++;
			return PK_ERR_LENGTH;
		}
		fr->total = end;
	}
	if (fr->total == 0)
		return 0;
	for (size_t b = 0; b < (fr->total + 7) / 8; b++)
		if ((fr->have[b / 8] & (1u << (b % 8))) == 0)
			return 0;
	/* Complete: hand the payload over in the dissector's own buffer,
	 * valid until the next call, and free the slot. */
	if (d->reasm == NULL && (d->reasm = malloc(IPV4_MAX)) == NULL)
		return PK_ERR_NOMEM;
	memcpy(d->reasm, fr->data, fr->total);
	*payload = d->reasm;
	*len = fr->total;
	fr->used = 0;
	d->st.reassembled++;
	return 1;
}

static int
dissect_tcp(struct audit_dissector *d, struct buf_reader *rd,
    struct audit_l4 *out)
{
	uint16_t sport, dport, offflags;
	uint32_t seq, ack;
	size_t hlen;
	int r;

	if ((r = buf_get_u16(rd, &sport)) != 0 ||
	    (r = buf_get_u16(rd, &dport)) != 0)
		goto bad;
	if (sport != d->pptp_port && dport != d->pptp_port) {
		d->st.other++;
		return 0;
	}
	if ((r = buf_get_u32(rd, &seq)) != 0 ||
	    (r = buf_get_u32(rd, &ack)) != 0 ||
	    (r = buf_get_u16(rd, &offflags)) != 0)
		goto bad;
	hlen = (size_t)(offflags >> 12) * 4;
	if (hlen < TCP_HDR_MIN) {
		r = PK_ERR_VALUE;
		goto bad;
	}
	/* window, checksum, urgent pointer, options */
	if ((r = buf_skip(rd, hlen - 14)) != 0)
		goto bad;
	out->kind = AUDIT_L4_TCP;
	out->sport = sport;
	out->dport = dport;
	out->seq = seq;
	out->tcp_flags = (uint8_t)(offflags & 0xff);
	out->payload = buf_cur(rd);
	out->payload_len = buf_remaining(rd);
	d->st.tcp_pptp++;
	return 1;
 bad:
	count_error(d, r, &d->st.bad_tcp);
	return r;
}

static int
dissect_gre(struct audit_dissector *d, struct buf_reader *rd,
    struct audit_l4 *out)
{
	struct buf_reader payload;
	int r;

	r = gre_decode(buf_cur(rd), buf_remaining(rd), &out->gre, &payload);
	if (r == PK_ERR_VERSION || r == PK_ERR_TYPE) {
		d->st.other++;	/* plain GRE, not PPTP's */
		return 0;
	}
	if (r != PK_OK) {
		count_error(d, r, &d->st.gre_bad);
		return r;
	}
	out->kind = AUDIT_L4_GRE;
	out->payload = buf_cur(&payload);
	out->payload_len = buf_remaining(&payload);
	d->st.gre_pptp++;
	return 1;
}

/* The IPv4 payload's layer 4. */
static int
dissect_l4(struct audit_dissector *d, uint8_t proto, struct buf_reader *rd,
    struct audit_l4 *out)
{
	if (proto == IP_PROTO_TCP)
		return dissect_tcp(d, rd, out);
	if (proto == IP_PROTO_GRE)
		return dissect_gre(d, rd, out);
	d->st.other++;
	return 0;
}

static int
dissect_ipv4(struct audit_dissector *d, struct buf_reader *rd, uint64_t ts,
    struct audit_l4 *out)
{
	uint8_t vihl, proto;
	uint16_t total, id, frag;
	uint32_t src, dst;
	struct buf_reader ip, body;
	const uint8_t *whole;
	size_t hlen, wlen;
	int r;

	if ((r = buf_peek_u8(rd, 0, &vihl)) != 0 ||
	    (r = buf_peek_u16(rd, 2, &total)) != 0)
		goto bad;
	hlen = (size_t)(vihl & 0x0f) * 4;
	if ((vihl >> 4) != 4 || hlen < IPV4_HDR_MIN || total < hlen) {
		r = PK_ERR_VALUE;
		goto bad;
	}
	if (total > buf_remaining(rd)) {
		r = PK_ERR_LENGTH;
		goto bad;
	}
	/* Bytes past Total Length are link padding (Ethernet's 60-byte
	 * minimum): not part of the datagram. */
	if ((r = buf_get_sub(rd, total, &ip)) != 0 ||
	    (r = buf_skip(&ip, 4)) != 0 ||
	    (r = buf_get_u16(&ip, &id)) != 0 ||
	    (r = buf_get_u16(&ip, &frag)) != 0 ||
	    (r = buf_skip(&ip, 1)) != 0 ||
	    (r = buf_get_u8(&ip, &proto)) != 0 ||
	    (r = buf_skip(&ip, 2)) != 0 ||
	    (r = buf_get_u32(&ip, &src)) != 0 ||
	    (r = buf_get_u32(&ip, &dst)) != 0 ||
	    (r = buf_skip(&ip, hlen - IPV4_HDR_MIN)) != 0)
		goto bad;
	out->ts_us = ts;
	out->src = src;
	out->dst = dst;
	if ((frag & (IP_FLAG_MF | IP_FRAG_OFF_MASK)) == 0)
		return dissect_l4(d, proto, &ip, out);
	r = frag_add(d, src, dst, id, proto,
	    (size_t)(frag & IP_FRAG_OFF_MASK) * 8, (frag & IP_FLAG_MF) != 0,
	    &ip, ts, &whole, &wlen);
	if (r < 0)
		goto bad;
	if (r == 0)
		return 0;
	buf_reader_init(&body, whole, wlen);
	return dissect_l4(d, proto, &body, out);
 bad:
	count_error(d, r, &d->st.bad_ip);
	return r;
}

int
audit_dissect(struct audit_dissector *d, const struct audit_frame *f,
    struct audit_l4 *out)
{
	struct buf_reader rd;
	uint16_t ethertype = 0;
	int r;

	memset(out, 0, sizeof(*out));
	d->st.frames++;
	d->st.bytes += f->wirelen;
	d->cut = f->caplen < f->wirelen;
	buf_reader_init(&rd, f->data, f->caplen);
	if ((r = link_strip(d, &rd, &ethertype)) != 0) {
		count_error(d, r, &d->st.bad_link);
		return r;
	}
	if (ethertype == ETHERTYPE_IPV6) {
		d->st.ipv6++;
		return 0;
	}
	if (ethertype != ETHERTYPE_IPV4) {
		d->st.not_ip++;
		return 0;
	}
	return dissect_ipv4(d, &rd, f->ts_us, out);
}
