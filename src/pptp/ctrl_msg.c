/* ctrl_msg.c - PPTP control message codec, RFC 2637 §2 (see ctrl_msg.h). */
#include <string.h>

#include "core/err.h"
#include "core/limits.h"
#include "pptp/ctrl_msg.h"

/* Exact sizes indexed by Control Message Type (RFC 2637 §2). */
static const uint16_t msg_len_table[PPTP_CTRL_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = PPTP_LEN_SCCRQ,
	[PPTP_SCCRP] = PPTP_LEN_SCCRP,
	[PPTP_STOPCCRQ] = PPTP_LEN_STOPCCRQ,
	[PPTP_STOPCCRP] = PPTP_LEN_STOPCCRP,
	[PPTP_ECHORQ] = PPTP_LEN_ECHORQ,
	[PPTP_ECHORP] = PPTP_LEN_ECHORP,
	[PPTP_OCRQ] = PPTP_LEN_OCRQ,
	[PPTP_OCRP] = PPTP_LEN_OCRP,
	[PPTP_ICRQ] = PPTP_LEN_ICRQ,
	[PPTP_ICRP] = PPTP_LEN_ICRP,
	[PPTP_ICCN] = PPTP_LEN_ICCN,
	[PPTP_CCRQ] = PPTP_LEN_CCRQ,
	[PPTP_CDN] = PPTP_LEN_CDN,
	[PPTP_WEN] = PPTP_LEN_WEN,
	[PPTP_SLI] = PPTP_LEN_SLI,
};

_Static_assert(PPTP_LEN_MAX <= PK_CTRL_MSG_MAX,
    "PK_CTRL_MSG_MAX must hold the largest PPTP control message");

size_t
pptp_msg_len(unsigned type)
{
	if (type == 0 || type > PPTP_CTRL_TYPE_MAX)
		return 0;
	return msg_len_table[type];
}

/*
 * The framing checks shared by the stream reassembler and the decoder,
 * in the order design.md asks for: length range, magic, message type,
 * control type, exact per-type length.
 */
static int
check_header(struct buf_reader *rd, uint16_t *length, uint16_t *ctype)
{
	uint16_t mtype;
	uint32_t magic;
	int r;

	if (buf_remaining(rd) < PPTP_HDR_LEN)
		return PK_ERR_SHORT;
	if ((r = buf_get_u16(rd, length)) != 0 ||
	    (r = buf_get_u16(rd, &mtype)) != 0 ||
	    (r = buf_get_u32(rd, &magic)) != 0 ||
	    (r = buf_get_u16(rd, ctype)) != 0 ||
	    (r = buf_skip(rd, 2)) != 0)	/* Reserved0: ignored */
		return r;
	if (*length < PPTP_HDR_LEN || *length > PK_CTRL_MSG_MAX)
		return PK_ERR_LENGTH;
	/* RFC 2637 §1.4: a wrong cookie means we lost sync with the stream. */
	if (magic != PPTP_MAGIC)
		return PK_ERR_MAGIC;
	if (mtype != PPTP_MSG_CONTROL)
		return PK_ERR_TYPE;
	if (pptp_msg_len(*ctype) == 0)
		return PK_ERR_TYPE;
	if (*length != pptp_msg_len(*ctype))
		return PK_ERR_LENGTH;
	return PK_OK;
}

int
pptp_msg_frame(const uint8_t *buf, size_t avail, size_t *msg_len)
{
	struct buf_reader rd;
	uint16_t length, ctype;
	int r;

	buf_reader_init(&rd, buf, avail);
	if ((r = check_header(&rd, &length, &ctype)) != 0)
		return r;
	*msg_len = length;
	return PK_OK;
}

/* Copies a fixed text field: bounded, NUL-terminated, zero after the
 * first NUL so that decode-then-encode is stable. */
static int
get_str(struct buf_reader *rd, char *dst, size_t n)
{
	const uint8_t *p;
	size_t sl;
	int r;

	if ((r = buf_get_ptr(rd, &p, n)) != 0)
		return r;
	sl = strnlen((const char *)p, n);
	memset(dst, 0, n + 1);
	memcpy(dst, p, sl);
	return PK_OK;
}

static int
decode_start(struct buf_reader *rd, struct pptp_start *s, int reply)
{
	int r;

	memset(s, 0, sizeof(*s));
	if ((r = buf_get_u16(rd, &s->version)) != 0)
		return r;
	if (reply) {
		if ((r = buf_get_u8(rd, &s->result)) != 0 ||
		    (r = buf_get_u8(rd, &s->error)) != 0)
			return r;
	} else if ((r = buf_skip(rd, 2)) != 0)	/* Reserved1 */
		return r;
	if ((r = buf_get_u32(rd, &s->framing_caps)) != 0 ||
	    (r = buf_get_u32(rd, &s->bearer_caps)) != 0 ||
	    (r = buf_get_u16(rd, &s->max_channels)) != 0 ||
	    (r = buf_get_u16(rd, &s->firmware_rev)) != 0 ||
	    (r = get_str(rd, s->host_name, PPTP_HOSTNAME_LEN)) != 0 ||
	    (r = get_str(rd, s->vendor, PPTP_VENDOR_LEN)) != 0)
		return r;
	return PK_OK;
}

static int
decode_body(struct buf_reader *rd, struct pptp_msg *m)
{
	int r = PK_ERR_INTERNAL;

	switch (m->type) {
	case PPTP_SCCRQ:
	case PPTP_SCCRP:
		return decode_start(rd, &m->u.start, m->type == PPTP_SCCRP);
	case PPTP_STOPCCRQ:
	case PPTP_STOPCCRP:
		/* Reason/Result, then Reserved1 or Error, then Reserved. */
		if ((r = buf_get_u8(rd, &m->u.stop.reason)) != 0 ||
		    (r = buf_get_u8(rd, &m->u.stop.error)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0)
			return r;
		if (m->type == PPTP_STOPCCRQ)
			m->u.stop.error = 0;	/* Reserved1 there */
		return PK_OK;
	case PPTP_ECHORQ:
		return buf_get_u32(rd, &m->u.echo.id);
	case PPTP_ECHORP:
		if ((r = buf_get_u32(rd, &m->u.echo.id)) != 0 ||
		    (r = buf_get_u8(rd, &m->u.echo.result)) != 0 ||
		    (r = buf_get_u8(rd, &m->u.echo.error)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0)
			return r;
		return PK_OK;
	case PPTP_OCRQ: {
		struct pptp_ocrq *o = &m->u.ocrq;

		if ((r = buf_get_u16(rd, &o->call_id)) != 0 ||
		    (r = buf_get_u16(rd, &o->serial)) != 0 ||
		    (r = buf_get_u32(rd, &o->min_bps)) != 0 ||
		    (r = buf_get_u32(rd, &o->max_bps)) != 0 ||
		    (r = buf_get_u32(rd, &o->bearer_type)) != 0 ||
		    (r = buf_get_u32(rd, &o->framing_type)) != 0 ||
		    (r = buf_get_u16(rd, &o->recv_window)) != 0 ||
		    (r = buf_get_u16(rd, &o->processing_delay)) != 0 ||
		    (r = buf_get_u16(rd, &o->phone_len)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0 ||
		    (r = get_str(rd, o->phone, PPTP_PHONE_LEN)) != 0 ||
		    (r = buf_get_bytes(rd, o->subaddr, PPTP_SUBADDR_LEN)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_OCRP: {
		struct pptp_ocrp *o = &m->u.ocrp;

		if ((r = buf_get_u16(rd, &o->call_id)) != 0 ||
		    (r = buf_get_u16(rd, &o->peer_call_id)) != 0 ||
		    (r = buf_get_u8(rd, &o->result)) != 0 ||
		    (r = buf_get_u8(rd, &o->error)) != 0 ||
		    (r = buf_get_u16(rd, &o->cause)) != 0 ||
		    (r = buf_get_u32(rd, &o->connect_speed)) != 0 ||
		    (r = buf_get_u16(rd, &o->recv_window)) != 0 ||
		    (r = buf_get_u16(rd, &o->processing_delay)) != 0 ||
		    (r = buf_get_u32(rd, &o->physical_channel)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_ICRQ: {
		struct pptp_icrq *i = &m->u.icrq;

		if ((r = buf_get_u16(rd, &i->call_id)) != 0 ||
		    (r = buf_get_u16(rd, &i->serial)) != 0 ||
		    (r = buf_get_u32(rd, &i->bearer_type)) != 0 ||
		    (r = buf_get_u32(rd, &i->physical_channel)) != 0 ||
		    (r = buf_get_u16(rd, &i->dialed_len)) != 0 ||
		    (r = buf_get_u16(rd, &i->dialing_len)) != 0 ||
		    (r = get_str(rd, i->dialed, PPTP_PHONE_LEN)) != 0 ||
		    (r = get_str(rd, i->dialing, PPTP_PHONE_LEN)) != 0 ||
		    (r = buf_get_bytes(rd, i->subaddr, PPTP_SUBADDR_LEN)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_ICRP: {
		struct pptp_icrp *i = &m->u.icrp;

		if ((r = buf_get_u16(rd, &i->call_id)) != 0 ||
		    (r = buf_get_u16(rd, &i->peer_call_id)) != 0 ||
		    (r = buf_get_u8(rd, &i->result)) != 0 ||
		    (r = buf_get_u8(rd, &i->error)) != 0 ||
		    (r = buf_get_u16(rd, &i->recv_window)) != 0 ||
		    (r = buf_get_u16(rd, &i->transmit_delay)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_ICCN: {
		struct pptp_iccn *i = &m->u.iccn;

		if ((r = buf_get_u16(rd, &i->peer_call_id)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0 ||
		    (r = buf_get_u32(rd, &i->connect_speed)) != 0 ||
		    (r = buf_get_u16(rd, &i->recv_window)) != 0 ||
		    (r = buf_get_u16(rd, &i->transmit_delay)) != 0 ||
		    (r = buf_get_u32(rd, &i->framing_type)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_CCRQ:
		if ((r = buf_get_u16(rd, &m->u.ccrq.call_id)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0)
			return r;
		return PK_OK;
	case PPTP_CDN: {
		struct pptp_cdn *d = &m->u.cdn;

		if ((r = buf_get_u16(rd, &d->call_id)) != 0 ||
		    (r = buf_get_u8(rd, &d->result)) != 0 ||
		    (r = buf_get_u8(rd, &d->error)) != 0 ||
		    (r = buf_get_u16(rd, &d->cause)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0 ||
		    (r = get_str(rd, d->stats, PPTP_STATS_LEN)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_WEN: {
		struct pptp_wen *e = &m->u.wen;

		if ((r = buf_get_u16(rd, &e->peer_call_id)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0 ||
		    (r = buf_get_u32(rd, &e->crc_errors)) != 0 ||
		    (r = buf_get_u32(rd, &e->framing_errors)) != 0 ||
		    (r = buf_get_u32(rd, &e->hw_overruns)) != 0 ||
		    (r = buf_get_u32(rd, &e->buf_overruns)) != 0 ||
		    (r = buf_get_u32(rd, &e->timeout_errors)) != 0 ||
		    (r = buf_get_u32(rd, &e->alignment_errors)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_SLI:
		if ((r = buf_get_u16(rd, &m->u.sli.peer_call_id)) != 0 ||
		    (r = buf_skip(rd, 2)) != 0 ||
		    (r = buf_get_u32(rd, &m->u.sli.send_accm)) != 0 ||
		    (r = buf_get_u32(rd, &m->u.sli.recv_accm)) != 0)
			return r;
		return PK_OK;
	}
	return PK_ERR_TYPE;
}

int
pptp_msg_decode(const uint8_t *buf, size_t len, struct pptp_msg *m)
{
	struct buf_reader rd, body;
	uint16_t length, ctype;
	int r;

	memset(m, 0, sizeof(*m));
	buf_reader_init(&rd, buf, len);
	if (len < PPTP_HDR_LEN)
		return PK_ERR_SHORT;
	/* The buffer must be exactly the message the Length field claims
	 * (a lying Length is reported before anything else is trusted). */
	if (buf_peek_u16(&rd, 0, &length) != 0)
		return PK_ERR_SHORT;
	if (length >= PPTP_HDR_LEN && length <= PK_CTRL_MSG_MAX) {
		if (len < length)
			return PK_ERR_SHORT;
		if (len > length)
			return PK_ERR_LONG;
	}
	if ((r = check_header(&rd, &length, &ctype)) != 0)
		return r;
	if ((r = buf_get_sub(&rd, (size_t)length - PPTP_HDR_LEN, &body)) != 0)
		return r;
	m->type = ctype;
	if ((r = decode_body(&body, m)) != 0)
		return r;
	/* The per-type length table and the field walk must agree. */
	if ((r = buf_expect_end(&body)) != 0)
		return PK_ERR_INTERNAL;
	/*
	 * Meaning after framing: PPTP knows one version (RFC 2637 §1.4).
	 * The caller decides what to answer (§3.1.1, §3.1.2), so the
	 * message is returned complete.
	 */
	if ((m->type == PPTP_SCCRQ || m->type == PPTP_SCCRP) &&
	    m->u.start.version != PPTP_VERSION)
		return PK_ERR_VERSION;
	return PK_OK;
}

static int
encode_body(const struct pptp_msg *m, struct buf_writer *w)
{
	int r = PK_ERR_INTERNAL;

	switch (m->type) {
	case PPTP_SCCRQ:
	case PPTP_SCCRP: {
		const struct pptp_start *s = &m->u.start;

		if ((r = buf_put_u16(w, s->version)) != 0 ||
		    (r = buf_put_u8(w, m->type == PPTP_SCCRP ?
		    s->result : 0)) != 0 ||
		    (r = buf_put_u8(w, m->type == PPTP_SCCRP ?
		    s->error : 0)) != 0 ||
		    (r = buf_put_u32(w, s->framing_caps)) != 0 ||
		    (r = buf_put_u32(w, s->bearer_caps)) != 0 ||
		    (r = buf_put_u16(w, s->max_channels)) != 0 ||
		    (r = buf_put_u16(w, s->firmware_rev)) != 0 ||
		    (r = buf_put_padded_str(w, s->host_name,
		    PPTP_HOSTNAME_LEN)) != 0 ||
		    (r = buf_put_padded_str(w, s->vendor,
		    PPTP_VENDOR_LEN)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_STOPCCRQ:
	case PPTP_STOPCCRP:
		if ((r = buf_put_u8(w, m->u.stop.reason)) != 0 ||
		    (r = buf_put_u8(w, m->type == PPTP_STOPCCRP ?
		    m->u.stop.error : 0)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0)
			return r;
		return PK_OK;
	case PPTP_ECHORQ:
		return buf_put_u32(w, m->u.echo.id);
	case PPTP_ECHORP:
		if ((r = buf_put_u32(w, m->u.echo.id)) != 0 ||
		    (r = buf_put_u8(w, m->u.echo.result)) != 0 ||
		    (r = buf_put_u8(w, m->u.echo.error)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0)
			return r;
		return PK_OK;
	case PPTP_OCRQ: {
		const struct pptp_ocrq *o = &m->u.ocrq;

		if ((r = buf_put_u16(w, o->call_id)) != 0 ||
		    (r = buf_put_u16(w, o->serial)) != 0 ||
		    (r = buf_put_u32(w, o->min_bps)) != 0 ||
		    (r = buf_put_u32(w, o->max_bps)) != 0 ||
		    (r = buf_put_u32(w, o->bearer_type)) != 0 ||
		    (r = buf_put_u32(w, o->framing_type)) != 0 ||
		    (r = buf_put_u16(w, o->recv_window)) != 0 ||
		    (r = buf_put_u16(w, o->processing_delay)) != 0 ||
		    (r = buf_put_u16(w, o->phone_len)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0 ||
		    (r = buf_put_padded_str(w, o->phone,
		    PPTP_PHONE_LEN)) != 0 ||
		    (r = buf_put_bytes(w, o->subaddr, PPTP_SUBADDR_LEN)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_OCRP: {
		const struct pptp_ocrp *o = &m->u.ocrp;

		if ((r = buf_put_u16(w, o->call_id)) != 0 ||
		    (r = buf_put_u16(w, o->peer_call_id)) != 0 ||
		    (r = buf_put_u8(w, o->result)) != 0 ||
		    (r = buf_put_u8(w, o->error)) != 0 ||
		    (r = buf_put_u16(w, o->cause)) != 0 ||
		    (r = buf_put_u32(w, o->connect_speed)) != 0 ||
		    (r = buf_put_u16(w, o->recv_window)) != 0 ||
		    (r = buf_put_u16(w, o->processing_delay)) != 0 ||
		    (r = buf_put_u32(w, o->physical_channel)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_ICRQ: {
		const struct pptp_icrq *i = &m->u.icrq;

		if ((r = buf_put_u16(w, i->call_id)) != 0 ||
		    (r = buf_put_u16(w, i->serial)) != 0 ||
		    (r = buf_put_u32(w, i->bearer_type)) != 0 ||
		    (r = buf_put_u32(w, i->physical_channel)) != 0 ||
		    (r = buf_put_u16(w, i->dialed_len)) != 0 ||
		    (r = buf_put_u16(w, i->dialing_len)) != 0 ||
		    (r = buf_put_padded_str(w, i->dialed,
		    PPTP_PHONE_LEN)) != 0 ||
		    (r = buf_put_padded_str(w, i->dialing,
		    PPTP_PHONE_LEN)) != 0 ||
		    (r = buf_put_bytes(w, i->subaddr, PPTP_SUBADDR_LEN)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_ICRP: {
		const struct pptp_icrp *i = &m->u.icrp;

		if ((r = buf_put_u16(w, i->call_id)) != 0 ||
		    (r = buf_put_u16(w, i->peer_call_id)) != 0 ||
		    (r = buf_put_u8(w, i->result)) != 0 ||
		    (r = buf_put_u8(w, i->error)) != 0 ||
		    (r = buf_put_u16(w, i->recv_window)) != 0 ||
		    (r = buf_put_u16(w, i->transmit_delay)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_ICCN: {
		const struct pptp_iccn *i = &m->u.iccn;

		if ((r = buf_put_u16(w, i->peer_call_id)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0 ||
		    (r = buf_put_u32(w, i->connect_speed)) != 0 ||
		    (r = buf_put_u16(w, i->recv_window)) != 0 ||
		    (r = buf_put_u16(w, i->transmit_delay)) != 0 ||
		    (r = buf_put_u32(w, i->framing_type)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_CCRQ:
		if ((r = buf_put_u16(w, m->u.ccrq.call_id)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0)
			return r;
		return PK_OK;
	case PPTP_CDN: {
		const struct pptp_cdn *d = &m->u.cdn;

		if ((r = buf_put_u16(w, d->call_id)) != 0 ||
		    (r = buf_put_u8(w, d->result)) != 0 ||
		    (r = buf_put_u8(w, d->error)) != 0 ||
		    (r = buf_put_u16(w, d->cause)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0 ||
		    (r = buf_put_padded_str(w, d->stats,
		    PPTP_STATS_LEN)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_WEN: {
		const struct pptp_wen *e = &m->u.wen;

		if ((r = buf_put_u16(w, e->peer_call_id)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0 ||
		    (r = buf_put_u32(w, e->crc_errors)) != 0 ||
		    (r = buf_put_u32(w, e->framing_errors)) != 0 ||
		    (r = buf_put_u32(w, e->hw_overruns)) != 0 ||
		    (r = buf_put_u32(w, e->buf_overruns)) != 0 ||
		    (r = buf_put_u32(w, e->timeout_errors)) != 0 ||
		    (r = buf_put_u32(w, e->alignment_errors)) != 0)
			return r;
		return PK_OK;
	}
	case PPTP_SLI:
		if ((r = buf_put_u16(w, m->u.sli.peer_call_id)) != 0 ||
		    (r = buf_put_u16(w, 0)) != 0 ||
		    (r = buf_put_u32(w, m->u.sli.send_accm)) != 0 ||
		    (r = buf_put_u32(w, m->u.sli.recv_accm)) != 0)
			return r;
		return PK_OK;
	}
	return PK_ERR_TYPE;
}

int
pptp_msg_encode(const struct pptp_msg *m, struct buf_writer *w)
{
	size_t len = pptp_msg_len(m->type), start = w->len;
	int r;

	if (len == 0)
		return PK_ERR_TYPE;
	if (buf_avail(w) < len)
		return PK_ERR_SPACE;
	if ((r = buf_put_u16(w, (uint16_t)len)) != 0 ||
	    (r = buf_put_u16(w, PPTP_MSG_CONTROL)) != 0 ||
	    (r = buf_put_u32(w, PPTP_MAGIC)) != 0 ||
	    (r = buf_put_u16(w, m->type)) != 0 ||
	    (r = buf_put_u16(w, 0)) != 0 ||	/* Reserved0 */
	    (r = encode_body(m, w)) != 0)
		return r;
	/* The Length we wrote must be what the body took. */
	if (w->len - start != len)
		return PK_ERR_INTERNAL;
	return PK_OK;
}

const char *
pptp_msg_name(unsigned type)
{
	static const char *const names[PPTP_CTRL_TYPE_MAX + 1] = {
		[PPTP_SCCRQ] = "Start-Control-Connection-Request",
		[PPTP_SCCRP] = "Start-Control-Connection-Reply",
		[PPTP_STOPCCRQ] = "Stop-Control-Connection-Request",
		[PPTP_STOPCCRP] = "Stop-Control-Connection-Reply",
		[PPTP_ECHORQ] = "Echo-Request",
		[PPTP_ECHORP] = "Echo-Reply",
		[PPTP_OCRQ] = "Outgoing-Call-Request",
		[PPTP_OCRP] = "Outgoing-Call-Reply",
		[PPTP_ICRQ] = "Incoming-Call-Request",
		[PPTP_ICRP] = "Incoming-Call-Reply",
		[PPTP_ICCN] = "Incoming-Call-Connected",
		[PPTP_CCRQ] = "Call-Clear-Request",
		[PPTP_CDN] = "Call-Disconnect-Notify",
		[PPTP_WEN] = "WAN-Error-Notify",
		[PPTP_SLI] = "Set-Link-Info",
	};

	if (type == 0 || type > PPTP_CTRL_TYPE_MAX)
		return "unknown message";
	return names[type];
}

const char *
pptp_result_name(unsigned type, unsigned result)
{
	static const char *const sccrp[] = {
		NULL, "Successful", "General error", "Already exists",
		"Not authorized", "Version not supported",
	};
	static const char *const ocrp[] = {
		NULL, "Connected", "General error", "No carrier", "Busy",
		"No dial tone", "Time-out", "Do not accept",
	};
	static const char *const icrp[] = {
		NULL, "Connect", "General error", "Do not accept",
	};
	static const char *const cdn[] = {
		"Undefined", "Lost carrier", "General error",
		"Admin shutdown", "Request",
	};
	static const char *const okerr[] = { NULL, "OK", "General error" };
	const char *const *t = NULL;
	size_t n = 0;

	switch (type) {
	case PPTP_SCCRP:
		t = sccrp;
		n = sizeof(sccrp) / sizeof(sccrp[0]);
		break;
	case PPTP_OCRP:
		t = ocrp;
		n = sizeof(ocrp) / sizeof(ocrp[0]);
		break;
	case PPTP_ICRP:
		t = icrp;
		n = sizeof(icrp) / sizeof(icrp[0]);
		break;
	case PPTP_CDN:
		t = cdn;
		n = sizeof(cdn) / sizeof(cdn[0]);
		break;
	case PPTP_STOPCCRP:
	case PPTP_ECHORP:
		t = okerr;
		n = sizeof(okerr) / sizeof(okerr[0]);
		break;
	}
	if (t == NULL || result >= n || t[result] == NULL)
		return "unknown result";
	return t[result];
}

const char *
pptp_general_error_name(unsigned error)
{
	static const char *const names[] = {
		"None", "Not-Connected", "Bad-Format", "Bad-Value",
		"No-Resource", "Bad-Call ID", "PAC-Error",
	};

	if (error >= sizeof(names) / sizeof(names[0]))
		return "unknown error";
	return names[error];
}

const char *
pptp_stop_reason_name(unsigned reason)
{
	switch (reason) {
	case PPTP_STOP_NONE:
		return "None (general request)";
	case PPTP_STOP_PROTOCOL:
		return "Stop-Protocol";
	case PPTP_STOP_LOCAL_SHUTDOWN:
		return "Stop-Local-Shutdown";
	}
	return "unknown reason";
}
