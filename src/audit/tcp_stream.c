/*
 * tcp_stream.c - per-direction TCP reassembly and PPTP message framing
 * for captures (see tcp_stream.h). Sequence numbers compare modulo 2^32
 * (RFC 793 §3.3).
 */
#include <stdlib.h>
#include <string.h>

#include "audit/dissect.h"
#include "audit/tcp_stream.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "pptp/ctrl_msg.h"
#include "pptp/pptp_proto.h"

#define BUF_MIN 4096

void
audit_tcp_dir_init(struct audit_tcp_dir *t)
{
	memset(t, 0, sizeof(*t));
}

void
audit_tcp_dir_free(struct audit_tcp_dir *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n_ooo; i++)
		free(t->ooo[i].data);
	free(t->ooo);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

/* a - b as a signed distance on the sequence circle. */
static int64_t
seq_diff(uint32_t a, uint32_t b)
{
	return (int64_t)(int32_t)(a - b);
}

/* Appends in-order bytes, growing buf up to its cap. */
static int
append(struct audit_tcp_dir *t, const uint8_t *data, size_t len)
{
	if (len == 0)
		return PK_OK;
	if (t->buf_len + len > t->buf_cap) {
		size_t cap = t->buf_cap ? t->buf_cap : BUF_MIN;
		uint8_t *nb;

		while (cap < t->buf_len + len && cap < PK_AUDIT_TCP_BUF_MAX)
			cap *= 2;
		if (cap > PK_AUDIT_TCP_BUF_MAX)
			cap = PK_AUDIT_TCP_BUF_MAX;
		if (t->buf_len + len > cap) {
			/* Nobody parsed this much (not PPTP at all): keep
			 * the newest bytes, as after a gap. */
			t->dropped += t->buf_len;
			t->buf_len = 0;
			t->synced = 0;
			if (len > cap) {
				t->dropped += len - cap;
				data += len - cap;
				len = cap;
			}
		}
		if (cap > t->buf_cap) {
			if ((nb = realloc(t->buf, cap)) == NULL)
				return PK_ERR_NOMEM;
			t->buf = nb;
			t->buf_cap = cap;
		}
	}
	memcpy(t->buf + t->buf_len, data, len);
	t->buf_len += len;
	t->bytes += len;
	return PK_OK;
}

/* Takes the part of [seq, seq+len) at or after t->next, if it starts
 * there or earlier. Returns 1 if anything was consumed or it was all
 * old, 0 if it lies ahead. */
static int
take(struct audit_tcp_dir *t, uint32_t seq, const uint8_t *data, size_t len,
    int *err)
{
	int64_t d = seq_diff(seq, t->next);

	*err = PK_OK;
	if (d > 0)
		return 0;
	if ((int64_t)len + d <= 0) {
		t->retrans++;
		return 1;
	}
	*err = append(t, data + (-d), len - (size_t)(-d));
	t->next = seq + (uint32_t)len;
	return 1;
}

/* Moves held segments that now fit into the stream. */
static int
drain_ooo(struct audit_tcp_dir *t)
{
	int progress = 1, err;

	while (progress) {
		progress = 0;
		for (size_t i = 0; i < t->n_ooo; i++) {
			struct audit_tcp_seg s = t->ooo[i];

			if (!take(t, s.seq, s.data, s.len, &err))
				continue;
			t->ooo_bytes -= s.len;
			free(s.data);
			t->ooo[i] = t->ooo[--t->n_ooo];
			if (err != PK_OK)
				return err;
			progress = 1;
			break;
		}
	}
	return PK_OK;
}

int
audit_tcp_dir_skip_gap(struct audit_tcp_dir *t)
{
	size_t lo = 0;

	if (t->n_ooo == 0)
		return 0;
	for (size_t i = 1; i < t->n_ooo; i++)
		if (seq_diff(t->ooo[i].seq, t->ooo[lo].seq) < 0)
			lo = i;
	t->gaps++;
	t->gap_bytes += (uint64_t)seq_diff(t->ooo[lo].seq, t->next);
	t->next = t->ooo[lo].seq;
	/* What is buffered ends mid-message: the hole cuts it. */
	t->dropped += t->buf_len;
	t->buf_len = 0;
	t->synced = 0;
	(void)drain_ooo(t);
	return 1;
}

static int
hold(struct audit_tcp_dir *t, uint32_t seq, const uint8_t *data, size_t len)
{
	struct audit_tcp_seg *s;

	for (size_t i = 0; i < t->n_ooo; i++)
		if (t->ooo[i].seq == seq && t->ooo[i].len >= len) {
			t->retrans++;	/* the same early segment again */
			return PK_OK;
		}
	while (t->n_ooo >= PK_AUDIT_TCP_OOO_MAX ||
	    t->ooo_bytes + len > PK_AUDIT_TCP_OOO_BYTES) {
		/* The hole is not going to fill: give up on it. */
		if (!audit_tcp_dir_skip_gap(t))
			break;
		if (seq_diff(seq, t->next) <= 0) {
			int err;

			(void)take(t, seq, data, len, &err);
			return err != PK_OK ? err : drain_ooo(t);
		}
	}
	if (t->n_ooo >= PK_AUDIT_TCP_OOO_MAX || len > PK_AUDIT_TCP_OOO_BYTES) {
		t->dropped += len;
		return PK_OK;
	}
	if (t->ooo == NULL &&
	    (t->ooo = calloc(PK_AUDIT_TCP_OOO_MAX, sizeof(*t->ooo))) == NULL)
		return PK_ERR_NOMEM;
	s = &t->ooo[t->n_ooo];
	if ((s->data = malloc(len)) == NULL)
		return PK_ERR_NOMEM;
	memcpy(s->data, data, len);
	s->seq = seq;
	s->len = len;
	t->n_ooo++;
	t->ooo_bytes += len;
	return PK_OK;
}

int
audit_tcp_dir_segment(struct audit_tcp_dir *t, uint32_t seq, uint8_t flags,
    const uint8_t *data, size_t len)
{
	int err;

	if (flags & AUDIT_TCP_SYN) {
		/* The SYN takes one sequence number (RFC 793 §3.3); a new
		 * SYN on a known connection is a retransmission. */
		if (!t->started) {
			t->started = 1;
			t->synced = 1;
			t->next = seq + 1;
		}
		seq++;
	}
	if (!t->started) {
		/* Joined mid-stream: this is where the stream starts; the
		 * first message boundary must be found. */
		t->started = 1;
		t->next = seq;
		t->synced = 0;
	}
	if (flags & AUDIT_TCP_FIN)
		t->fin = 1;
	if (len == 0)
		return PK_OK;
	if (take(t, seq, data, len, &err))
		return err != PK_OK ? err : drain_ooo(t);
	return hold(t, seq, data, len);
}

/* A control message header is plausible at p (len bytes left, at least
 * PPTP_HDR_LEN): type 1, the cookie, a length that some message has. */
static int
header_plausible(const uint8_t *p, size_t avail)
{
	size_t n;

	return pptp_msg_frame(p, avail, &n) == PK_OK;
}

static void
consume(struct audit_tcp_dir *t, size_t n)
{
	memmove(t->buf, t->buf + n, t->buf_len - n);
	t->buf_len -= n;
}

int
audit_tcp_dir_next_msg(struct audit_tcp_dir *t, uint8_t *msg, size_t cap,
    size_t *len)
{
	struct buf_reader rd;
	uint16_t mlen;

	for (;;) {
		if (t->buf_len < PPTP_HDR_LEN)
			return 0;
		if (!t->synced) {
			size_t i;

			for (i = 0; i + PPTP_HDR_LEN <= t->buf_len; i++)
				if (header_plausible(t->buf + i,
				    t->buf_len - i))
					break;
			t->resync_bytes += i;
			consume(t, i);
			if (t->buf_len < PPTP_HDR_LEN)
				return 0;
			t->synced = 1;
		}
		buf_reader_init(&rd, t->buf, t->buf_len);
		if (buf_get_u16(&rd, &mlen) != 0)
			return 0;
		if (!header_plausible(t->buf, t->buf_len)) {
			/* Not a header where one must be: a length field
			 * lied, or this is not PPTP. Look for the next. */
			t->synced = 0;
			t->resync_bytes++;
			consume(t, 1);
			continue;
		}
		if (mlen > t->buf_len)
			return 0;
		if (mlen > cap) {
			consume(t, mlen);
			continue;
		}
		memcpy(msg, t->buf, mlen);
		*len = mlen;
		consume(t, mlen);
		return 1;
	}
}
