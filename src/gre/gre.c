/* gre.c - the enhanced GRE header codec of RFC 2637 §4.1 (see gre.h). */
#include "core/err.h"
#include "core/limits.h"
#include "gre/gre.h"

/* Bits RFC 2637 §4.1 requires to be zero on every PPTP packet. */
#define GRE_MUST_BE_ZERO (GRE_FLAG_C | GRE_FLAG_R | GRE_FLAG_SSR | \
    GRE_RECUR_MASK | GRE_FLAGS_MASK)

/*
 * Reads and checks the first 8 bytes: everything but the optional
 * sequence and acknowledgment numbers. Version and protocol come first so
 * a caller can recognise foreign GRE traffic whatever else it contains.
 */
static int
gre_read_base(struct buf_reader *rd, uint16_t *flags, uint16_t *payload_len,
    uint16_t *call_id)
{
	uint16_t proto;
	int r;

	if ((r = buf_get_u16(rd, flags)) != 0 ||
	    (r = buf_get_u16(rd, &proto)) != 0)
		return r;
	if ((*flags & GRE_VER_MASK) != GRE_VERSION_PPTP)
		return PK_ERR_VERSION;
	if (proto != GRE_PROTO_PPP)
		return PK_ERR_TYPE;
	/* C and R would add fields PPTP does not define (RFC 1701 §2.1). */
	if ((*flags & GRE_MUST_BE_ZERO) != 0 || (*flags & GRE_FLAG_K) == 0)
		return PK_ERR_VALUE;
	if ((r = buf_get_u16(rd, payload_len)) != 0 ||
	    (r = buf_get_u16(rd, call_id)) != 0)
		return r;
	return PK_OK;
}

int
gre_decode(const uint8_t *pkt, size_t len, struct gre_hdr *h,
    struct buf_reader *payload)
{
	struct buf_reader rd;
	uint16_t flags;
	int r;

	buf_reader_init(&rd, pkt, len);
	h->seq = 0;
	h->ack = 0;
	h->padding = 0;
	if ((r = gre_read_base(&rd, &flags, &h->payload_len,
	    &h->call_id)) != 0)
		return r;
	h->has_seq = (flags & GRE_FLAG_S) != 0;
	h->has_ack = (flags & GRE_FLAG_A) != 0;
	/* The acknowledgment follows the sequence number when both are
	 * present, and takes its place in an ack-only packet (§4.1). */
	if ((h->has_seq && (r = buf_get_u32(&rd, &h->seq)) != 0) ||
	    (h->has_ack && (r = buf_get_u32(&rd, &h->ack)) != 0))
		return r;
	if (!h->has_seq && !h->has_ack)
		return PK_ERR_VALUE;
	/*
	 * S is "set to one if a payload (data) packet is present, set to
	 * zero if payload is not present" (§4.1): the bit and the length
	 * must agree. An empty data packet would consume a sequence number
	 * for no PPP frame: every PPP frame starts with its Protocol field
	 * (RFC 1661 §2).
	 */
	if (h->has_seq != (h->payload_len != 0))
		return PK_ERR_LENGTH;
	if (h->payload_len > PK_PPP_FRAME_MAX ||
	    h->payload_len > buf_remaining(&rd))
		return PK_ERR_LENGTH;
	if ((r = buf_get_sub(&rd, h->payload_len, payload)) != 0)
		return r;
	h->padding = buf_remaining(&rd);
	return PK_OK;
}

size_t
gre_hdr_len(const struct gre_hdr *h)
{
	return GRE_BASE_LEN + (h->has_seq ? GRE_SEQ_LEN : 0) +
	    (h->has_ack ? GRE_ACK_LEN : 0);
}

int
gre_encode(struct buf_writer *w, const struct gre_hdr *h,
    const uint8_t *payload, size_t len)
{
	uint16_t flags = GRE_FLAG_K | GRE_VERSION_PPTP;
	size_t need;
	int r;

	if (h->has_seq) {
		if (len == 0 || len > PK_PPP_FRAME_MAX || payload == NULL)
			return PK_ERR_ARG;
		flags |= GRE_FLAG_S;
	} else if (!h->has_ack || len != 0)
		return PK_ERR_ARG;
	if (h->has_ack)
		flags |= GRE_FLAG_A;
	/* Check room first so a failed encode leaves no partial header. */
	need = gre_hdr_len(h) + len;
	if (buf_avail(w) < need) {
		w->err = PK_ERR_SPACE;
		return PK_ERR_SPACE;
	}
	if ((r = buf_put_u16(w, flags)) != 0 ||
	    (r = buf_put_u16(w, GRE_PROTO_PPP)) != 0 ||
	    (r = buf_put_u16(w, (uint16_t)len)) != 0 ||
	    (r = buf_put_u16(w, h->call_id)) != 0 ||
	    (h->has_seq && (r = buf_put_u32(w, h->seq)) != 0) ||
	    (h->has_ack && (r = buf_put_u32(w, h->ack)) != 0) ||
	    (r = buf_put_bytes(w, payload, len)) != 0)
		return r;
	return PK_OK;
}

int
gre_peek_call_id(const uint8_t *pkt, size_t len, uint16_t *call_id)
{
	struct buf_reader rd;
	uint16_t flags, payload_len;

	buf_reader_init(&rd, pkt, len);
	return gre_read_base(&rd, &flags, &payload_len, call_id);
}
