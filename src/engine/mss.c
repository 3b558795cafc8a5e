/* mss.c - TCP MSS clamping in SYN segments (see mss.h). */
#include "core/buf.h"
#include "core/err.h"
#include "engine/mss.h"

#define IPV4_HDR_MIN 20
#define IPV6_HDR_LEN 40
#define TCP_HDR_MIN 20
#define TCP_HDR_CHECKSUM_OFF 16
#define TCP_FLAG_SYN 0x02
#define TCP_OPT_END 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2
#define TCP_OPT_MSS_LEN 4
#define IPPROTO_TCP_NUM 6

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). */
static uint16_t
csum_replace16(uint16_t check, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~check;

	sum += (uint16_t)~old;
	sum += new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Finds where the TCP header starts, or returns 0 for "not TCP". */
static int
locate_tcp(const uint8_t *pkt, size_t len, size_t *tcp_off, int *overhead)
{
	struct buf_reader rd;
	uint8_t vihl, proto;
	uint16_t frag;
	int r;

	buf_reader_init(&rd, pkt, len);
	if ((r = buf_peek_u8(&rd, 0, &vihl)) != 0)
		return r;
	if ((vihl >> 4) == 4) {
		size_t ihl = (size_t)(vihl & 0x0f) * 4;

		if (ihl < IPV4_HDR_MIN)
			return PK_ERR_VALUE;
		if ((r = buf_peek_u16(&rd, 6, &frag)) != 0 ||
		    (r = buf_peek_u8(&rd, 9, &proto)) != 0)
			return r;
		/* Only first fragments carry the TCP header. */
		if (proto != IPPROTO_TCP_NUM || (frag & 0x1fff) != 0)
			return 0;
		*tcp_off = ihl;
		*overhead = IPV4_HDR_MIN + TCP_HDR_MIN;
		return 1;
	}
	if ((vihl >> 4) == 6) {
		/* Extension headers before TCP are rare on SYNs; leave
		 * those packets alone rather than walk the chain. */
		if ((r = buf_peek_u8(&rd, 6, &proto)) != 0)
			return r;
		if (proto != IPPROTO_TCP_NUM)
			return 0;
		*tcp_off = IPV6_HDR_LEN;
		*overhead = IPV6_HDR_LEN + TCP_HDR_MIN;
		return 1;
	}
	return PK_ERR_VERSION;
}

int
mss_clamp(uint8_t *pkt, size_t len, int mtu)
{
	struct buf_reader rd, opts;
	struct buf_writer w;
	size_t tcp_off = 0, doff;
	uint8_t off_byte, flags;
	int overhead = 0, r;

	if ((r = locate_tcp(pkt, len, &tcp_off, &overhead)) <= 0)
		return r;
	buf_reader_init(&rd, pkt, len);
	if ((r = buf_skip(&rd, tcp_off)) != 0 ||
	    (r = buf_peek_u8(&rd, 12, &off_byte)) != 0 ||
	    (r = buf_peek_u8(&rd, 13, &flags)) != 0)
		return r;
	if ((flags & TCP_FLAG_SYN) == 0)
		return 0;
	doff = (size_t)(off_byte >> 4) * 4;
	if (doff < TCP_HDR_MIN)
		return PK_ERR_VALUE;
	if ((r = buf_skip(&rd, TCP_HDR_MIN)) != 0 ||
	    (r = buf_get_sub(&rd, doff - TCP_HDR_MIN, &opts)) != 0)
		return r;

	uint16_t limit = (uint16_t)(mtu > overhead ? mtu - overhead : 0);

	/* RFC 9293 §3.1 option walk; every length is checked before use. */
	while (buf_remaining(&opts) > 0) {
		size_t opt_off = opts.pos;
		uint8_t kind, olen;
		uint16_t mss;

		if ((r = buf_get_u8(&opts, &kind)) != 0)
			return r;
		if (kind == TCP_OPT_END)
			break;
		if (kind == TCP_OPT_NOP)
			continue;
		if ((r = buf_get_u8(&opts, &olen)) != 0)
			return r;
		if (olen < 2 || olen - 2 > (int)buf_remaining(&opts))
			return PK_ERR_LENGTH;
		if (kind != TCP_OPT_MSS) {
			if ((r = buf_skip(&opts, (size_t)olen - 2)) != 0)
				return r;
			continue;
		}
		if (olen != TCP_OPT_MSS_LEN)
			return PK_ERR_LENGTH;
		if ((r = buf_get_u16(&opts, &mss)) != 0)
			return r;
		if (mss <= limit)
			return 0;

		size_t mss_at = tcp_off + TCP_HDR_MIN + opt_off + 2;
		size_t csum_at = tcp_off + TCP_HDR_CHECKSUM_OFF;
		uint16_t check;

		buf_writer_wrap(&w, pkt, len);
		if ((r = buf_get_u16_at(&w, csum_at, &check)) != 0 ||
		    (r = buf_set_u16_at(&w, mss_at, limit)) != 0 ||
		    (r = buf_set_u16_at(&w, csum_at,
		    csum_replace16(check, mss, limit))) != 0)
			return r;
		return 1;
	}
	return 0;
}
