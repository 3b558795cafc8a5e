/*
 * gre_chan.c - one call's GRE data channel: send window, reorder buffer
 * and acknowledgments (RFC 2637 §4; the rules are in gre_chan.h).
 *
 * Sequence numbers are compared with serial-number arithmetic (RFC 1982)
 * through seq_offset(): the unsigned distance from a reference number,
 * where anything below 2^31 is "at or after" and the rest "before".
 */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "gre/gre.h"
#include "gre/gre_chan.h"

/* Sequence numbers behind rx_next whose fate (delivered or given up) we
 * remember, to tell duplicates from late packets. */
#define GRE_RX_HISTORY		128
#define GRE_HALF_SPACE		0x80000000u	/* 2^31, RFC 1982 */
/* The oldest unacknowledged number trails the next one by at most this
 * much, so that serial comparisons of acks stay meaningful when the peer
 * never acks (window given up, or none advertised). */
#define GRE_ACK_SPAN_MAX	0x40000000u
/* out.c aligns every item; leave room for the padding it may add. */
#define OUT_ITEM_SLACK		8

struct gre_frame {
	uint32_t seq;		/* receive side only */
	uint64_t at;		/* when it was held (receive side only) */
	size_t len;
	uint8_t *data;		/* malloc'ed, len bytes */
};

struct gre_chan {
	struct gre_chan_config cfg;	/* defaults resolved */
	struct gre_chan_stats st;
	uint64_t window_ms;		/* window timeout + the peer's PPD */
	size_t held_cap;		/* min(rwin, PK_GRE_REORDER_MAX) */

	/* Send side. */
	uint32_t tx_next;		/* number of the next data packet */
	uint32_t tx_unacked;		/* oldest number not acknowledged */
	int window_off;			/* peer's window given up */
	uint64_t window_deadline;	/* frames waiting, no ack: give up */
	uint64_t release_at;		/* queued frames await a fresh out */
	struct gre_frame txq[PK_GRE_TXQ_MAX];	/* FIFO ring */
	size_t txq_head;
	size_t txq_len;

	/* Receive side. */
	int rx_started;			/* first data packet seen */
	uint32_t rx_next;		/* number expected next */
	struct gre_frame held[PK_GRE_REORDER_MAX];	/* unordered */
	size_t n_held;
	uint64_t rx_hist[GRE_RX_HISTORY / 64];	/* bit set: delivered */
	unsigned far_behind;		/* consecutive far-behind packets */

	/* Acknowledgments we owe. */
	int ack_owed;			/* rx_next - 1 not yet acknowledged */
	uint32_t ack_unacked;		/* frames delivered since last ack */
	uint32_t ack_every;		/* ... that make us ack at once */
	uint64_t ack_deadline;
};

/* Distance from ref forward to seq, mod 2^32. */
static uint32_t
seq_offset(uint32_t seq, uint32_t ref)
{
	return seq - ref;
}

static void
frame_free(struct gre_frame *f)
{
	free(f->data);
	memset(f, 0, sizeof(*f));
}

static int
frame_copy(struct gre_frame *f, const uint8_t *data, size_t len)
{
	if ((f->data = malloc(len)) == NULL)
		return PK_ERR_NOMEM;
	memcpy(f->data, data, len);
	f->len = len;
	return PK_OK;
}

/*
 * Whether out can take an item of n bytes without overflowing. Only the
 * release of queued frames asks first, because only it can defer: every
 * other call's output is bounded by the caps in core/limits.h.
 */
static int
out_has_room(const struct pk_out *out, size_t n)
{
	return out->n_items < out->items_cap &&
	    out->arena_cap - out->arena_used >= n + OUT_ITEM_SLACK;
}

void
gre_chan_config_default(struct gre_chan_config *cfg, uint16_t call_id,
    uint16_t peer_call_id)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->call_id = call_id;
	cfg->peer_call_id = peer_call_id;
	cfg->rwin = PK_GRE_RWIN_DEFAULT;
	cfg->ack_timeout_ms = GRE_ACK_TIMEOUT_MS;
	cfg->reorder_timeout_ms = GRE_REORDER_TIMEOUT_MS;
	cfg->window_timeout_ms = GRE_WINDOW_TIMEOUT_MS;
}

int
gre_chan_new(struct gre_chan **chp, const struct gre_chan_config *cfg)
{
	struct gre_chan *ch;
	uint64_t ppd_ms;

	*chp = NULL;
	if ((ch = calloc(1, sizeof(*ch))) == NULL)
		return PK_ERR_NOMEM;
	ch->cfg = *cfg;
	if (ch->cfg.rwin == 0)
		ch->cfg.rwin = PK_GRE_RWIN_DEFAULT;
	if (ch->cfg.ack_timeout_ms == 0)
		ch->cfg.ack_timeout_ms = GRE_ACK_TIMEOUT_MS;
	if (ch->cfg.reorder_timeout_ms == 0)
		ch->cfg.reorder_timeout_ms = GRE_REORDER_TIMEOUT_MS;
	if (ch->cfg.window_timeout_ms == 0)
		ch->cfg.window_timeout_ms = GRE_WINDOW_TIMEOUT_MS;
	/* The peer said it needs PPD to digest a full window (§4.4); do
	 * not call it silent sooner, but do not let it stall us for long. */
	ppd_ms = (uint64_t)ch->cfg.peer_ppd * 100;
	if (ppd_ms > GRE_PPD_CAP_MS)
		ppd_ms = GRE_PPD_CAP_MS;
	ch->window_ms = ch->cfg.window_timeout_ms + ppd_ms;
	ch->held_cap = ch->cfg.rwin < PK_GRE_REORDER_MAX ?
	    ch->cfg.rwin : PK_GRE_REORDER_MAX;
	ch->ack_every = ch->cfg.rwin / 2 > 0 ? ch->cfg.rwin / 2 : 1;
	ch->tx_next = ch->tx_unacked = ch->cfg.tx_seq_start;
	ch->window_deadline = PK_TIME_NEVER;
	ch->release_at = PK_TIME_NEVER;
	ch->ack_deadline = PK_TIME_NEVER;
	*chp = ch;
	return PK_OK;
}

void
gre_chan_free(struct gre_chan *ch)
{
	if (ch == NULL)
		return;
	for (size_t i = 0; i < PK_GRE_TXQ_MAX; i++)
		free(ch->txq[i].data);
	for (size_t i = 0; i < ch->n_held; i++)
		free(ch->held[i].data);
	free(ch);
}

const struct gre_chan_stats *
gre_chan_stats(const struct gre_chan *ch)
{
	return &ch->st;
}

size_t
gre_chan_txq_len(const struct gre_chan *ch)
{
	return ch->txq_len;
}

int
gre_chan_window_enforced(const struct gre_chan *ch)
{
	return ch->cfg.peer_rwin != 0 && !ch->window_off;
}

/* ---- Sending --------------------------------------------------------- */

/* §4.2.1: "stops sending packets when the number of packets awaiting
 * acknowledgment is equal to the current window size". */
static int
window_open(const struct gre_chan *ch)
{
	if (!gre_chan_window_enforced(ch))
		return 1;
	return seq_offset(ch->tx_next, ch->tx_unacked) < ch->cfg.peer_rwin;
}

/*
 * Appends one GRE packet: a data packet if frame is not NULL, else an
 * ack-only packet. Owed acks ride along (§4.1). State changes only once
 * the packet is in out.
 */
static int
emit(struct gre_chan *ch, const uint8_t *frame, size_t len,
    struct pk_out *out)
{
	struct buf_writer w;
	struct gre_hdr h;
	int r;

	memset(&h, 0, sizeof(h));
	h.call_id = ch->cfg.peer_call_id;
	h.has_seq = frame != NULL;
	h.seq = ch->tx_next;
	h.has_ack = ch->ack_owed;
	h.ack = ch->rx_next - 1;
	if ((r = out_begin(out, gre_hdr_len(&h) + len, &w)) != 0 ||
	    (r = gre_encode(&w, &h, frame, len)) != 0 ||
	    (r = out_commit(out, OUT_GRE, ch->cfg.peer_call_id, &w)) != 0)
		return r;
	if (h.has_seq) {
		ch->tx_next++;
		if (seq_offset(ch->tx_next, ch->tx_unacked) > GRE_ACK_SPAN_MAX)
			ch->tx_unacked = ch->tx_next - GRE_ACK_SPAN_MAX;
		ch->st.tx_packets++;
		ch->st.tx_bytes += len;
		if (h.has_ack)
			ch->st.tx_acks_piggybacked++;
	} else
		ch->st.tx_acks_only++;
	if (h.has_ack) {
		ch->ack_owed = 0;
		ch->ack_unacked = 0;
		ch->ack_deadline = PK_TIME_NEVER;
	}
	return PK_OK;
}

/*
 * Sends an ack-only packet if one is owed and either the ack timer ran
 * out (MS-PTPT §3.1.5.9) or half the window we advertised has been
 * delivered unacknowledged: a peer that honours our window (§4.2) would
 * otherwise stall until the timer, capping a one-way flow at rwin frames
 * per ack_timeout_ms. At most one packet per call, and at most one per
 * rwin/2 frames received: proportional to traffic, never a storm.
 */
static int
ack_if_due(struct gre_chan *ch, uint64_t now, struct pk_out *out)
{
	if (!ch->ack_owed ||
	    (ch->ack_deadline > now && ch->ack_unacked < ch->ack_every))
		return PK_OK;
	return emit(ch, NULL, 0, out);
}

/*
 * The no-ack timer runs while frames wait on a closed window. Frames may
 * also wait with the window open, behind a deferred release; that needs
 * no timer, but the window may close as they leave.
 */
static void
window_timer_update(struct gre_chan *ch, uint64_t now)
{
	if (ch->txq_len == 0)
		ch->window_deadline = PK_TIME_NEVER;
	else if (!window_open(ch) && ch->window_deadline == PK_TIME_NEVER)
		ch->window_deadline = now + ch->window_ms;
}

/*
 * Sends queued frames while the window lets them go. If out fills up,
 * stops and asks to be called again at once (release_at) rather than
 * fail: an ack may open a whole window on top of a full reorder flush.
 */
static int
txq_release(struct gre_chan *ch, uint64_t now, struct pk_out *out)
{
	int r;

	ch->release_at = PK_TIME_NEVER;
	while (ch->txq_len > 0 && window_open(ch)) {
		struct gre_frame *f = &ch->txq[ch->txq_head];

		if (!out_has_room(out, GRE_HDR_MAX + f->len)) {
			ch->release_at = now;
			break;
		}
		if ((r = emit(ch, f->data, f->len, out)) != 0)
			return r;
		frame_free(f);
		ch->txq_head = (ch->txq_head + 1) % PK_GRE_TXQ_MAX;
		ch->txq_len--;
	}
	window_timer_update(ch, now);
	return PK_OK;
}

int
gre_chan_send(struct gre_chan *ch, uint64_t now, const uint8_t *frame,
    size_t len, struct pk_out *out)
{
	struct gre_frame *f;
	int r;

	if (frame == NULL || len == 0 || len > PK_PPP_FRAME_MAX)
		return PK_ERR_ARG;
	/* Frames already waiting go first, or order would be lost. */
	if (ch->txq_len == 0 && window_open(ch))
		return emit(ch, frame, len, out);
	if (ch->txq_len == PK_GRE_TXQ_MAX) {
		ch->st.tx_queue_drops++;
		return PK_ERR_FULL;
	}
	f = &ch->txq[(ch->txq_head + ch->txq_len) % PK_GRE_TXQ_MAX];
	if ((r = frame_copy(f, frame, len)) != 0) {
		ch->st.tx_queue_drops++;
		return r;
	}
	ch->txq_len++;
	ch->st.tx_queued++;
	window_timer_update(ch, now);
	return PK_OK;
}

/*
 * An acknowledgment covers every packet up to and including its number
 * (§4.2.5). Only one inside [tx_unacked, tx_next) advances the window;
 * older ones arrive reordered and newer ones acknowledge nothing we sent.
 */
static int
ack_input(struct gre_chan *ch, uint64_t now, uint32_t ack,
    struct pk_out *out)
{
	if (seq_offset(ack, ch->tx_unacked) >=
	    seq_offset(ch->tx_next, ch->tx_unacked))
		return PK_OK;
	ch->tx_unacked = ack + 1;
	ch->st.rx_acks++;
	/* The peer acks after all: enforce its window again. */
	ch->window_off = 0;
	if (ch->txq_len > 0)
		ch->window_deadline = now + ch->window_ms;
	return txq_release(ch, now, out);
}

/* ---- Receiving ------------------------------------------------------- */

static void
hist_set(struct gre_chan *ch, uint32_t seq, int delivered)
{
	uint32_t i = seq % GRE_RX_HISTORY;
	uint64_t bit = (uint64_t)1 << (i % 64);

	if (delivered)
		ch->rx_hist[i / 64] |= bit;
	else
		ch->rx_hist[i / 64] &= ~bit;
}

static int
hist_delivered(const struct gre_chan *ch, uint32_t seq)
{
	uint32_t i = seq % GRE_RX_HISTORY;

	return (ch->rx_hist[i / 64] >> (i % 64)) & 1;
}

/* Gives up the numbers from rx_next to seq (exclusive). */
static void
rx_skip_to(struct gre_chan *ch, uint32_t seq, int count_lost)
{
	uint32_t gap = seq_offset(seq, ch->rx_next);

	if (count_lost)
		ch->st.rx_lost += gap;
	if (gap >= GRE_RX_HISTORY)
		memset(ch->rx_hist, 0, sizeof(ch->rx_hist));
	else
		for (uint32_t i = 0; i < gap; i++)
			hist_set(ch, ch->rx_next + i, 0);
	ch->rx_next = seq;
}

/* Hands frame rx_next to PPP and owes an ack for it. */
static int
rx_deliver(struct gre_chan *ch, uint64_t now, const uint8_t *data,
    size_t len, struct pk_out *out)
{
	int r;

	if ((r = out_put(out, OUT_PPP, ch->cfg.call_id, data, len)) != 0)
		return r;
	ch->st.rx_packets++;
	ch->st.rx_bytes += len;
	hist_set(ch, ch->rx_next, 1);
	ch->rx_next++;
	ch->ack_owed = 1;
	ch->ack_unacked++;
	/* Armed by the first unacknowledged delivery only: later ones do
	 * not push the ack back (MS-PTPT §3.1.5.9). */
	if (ch->ack_deadline == PK_TIME_NEVER)
		ch->ack_deadline = now + ch->cfg.ack_timeout_ms;
	return PK_OK;
}

static int
held_find(const struct gre_chan *ch, uint32_t seq)
{
	for (size_t i = 0; i < ch->n_held; i++)
		if (ch->held[i].seq == seq)
			return (int)i;
	return -1;
}

/* The held frame closest ahead of rx_next. n_held > 0. */
static size_t
held_lowest(const struct gre_chan *ch)
{
	size_t best = 0;

	for (size_t i = 1; i < ch->n_held; i++)
		if (seq_offset(ch->held[i].seq, ch->rx_next) <
		    seq_offset(ch->held[best].seq, ch->rx_next))
			best = i;
	return best;
}

static int
held_deliver(struct gre_chan *ch, uint64_t now, size_t i, struct pk_out *out)
{
	int r;

	if ((r = rx_deliver(ch, now, ch->held[i].data, ch->held[i].len,
	    out)) != 0)
		return r;
	ch->st.rx_reordered++;
	frame_free(&ch->held[i]);
	ch->held[i] = ch->held[--ch->n_held];
	memset(&ch->held[ch->n_held], 0, sizeof(ch->held[0]));
	return PK_OK;
}

/* Delivers held frames for as long as they continue the sequence. */
static int
rx_drain(struct gre_chan *ch, uint64_t now, struct pk_out *out)
{
	int i, r;

	while ((i = held_find(ch, ch->rx_next)) >= 0)
		if ((r = held_deliver(ch, now, (size_t)i, out)) != 0)
			return r;
	return PK_OK;
}

/* Gives up the gap before the lowest held frame and delivers from it on
 * (RFC 2890 §2.2: "ignoring any sequence number gaps"). */
static int
rx_release_lowest(struct gre_chan *ch, uint64_t now, struct pk_out *out)
{
	size_t i = held_lowest(ch);

	rx_skip_to(ch, ch->held[i].seq, 1);
	return rx_drain(ch, now, out);
}

/* Makes seq the expected number: what is held goes out first, being
 * older; the jump itself is counted as a resync, not as loss. */
static int
rx_resync(struct gre_chan *ch, uint64_t now, uint32_t seq,
    struct pk_out *out)
{
	int r;

	while (ch->n_held > 0)
		if ((r = rx_release_lowest(ch, now, out)) != 0)
			return r;
	ch->st.rx_resyncs++;
	ch->far_behind = 0;
	rx_skip_to(ch, seq, 0);
	return PK_OK;
}

static int
rx_hold(struct gre_chan *ch, uint64_t now, uint32_t seq,
    const uint8_t *data, size_t len)
{
	struct gre_frame *f = &ch->held[ch->n_held];
	int r;

	if ((r = frame_copy(f, data, len)) != 0) {
		ch->st.rx_nomem++;
		return r;
	}
	f->seq = seq;
	f->at = now;
	ch->n_held++;
	return PK_OK;
}

static int
data_input(struct gre_chan *ch, uint64_t now, uint32_t seq,
    const uint8_t *data, size_t len, struct pk_out *out)
{
	uint32_t ahead;
	int r;

	if (!ch->rx_started) {
		/* Whatever the peer starts with (0, 1, ...) is fine. */
		ch->rx_started = 1;
		ch->rx_next = seq;
	}
	ahead = seq_offset(seq, ch->rx_next);
	if (ahead >= GRE_HALF_SPACE) {
		uint32_t behind = seq_offset(ch->rx_next, seq);

		if (behind <= GRE_RX_HISTORY && hist_delivered(ch, seq)) {
			ch->st.rx_duplicates++;
			return PK_ERR_DUPLICATE;
		}
		if (behind > GRE_RX_RESYNC_GAP &&
		    ++ch->far_behind >= GRE_RX_RESYNC_STRIKES) {
			/* The peer restarted its numbering. */
			if ((r = rx_resync(ch, now, seq, out)) != 0)
				return r;
			ahead = 0;
		} else {
			/* §4.3: never hand PPP a frame out of order. */
			ch->st.rx_late++;
			return PK_ERR_LATE;
		}
	}
	ch->far_behind = 0;
	if (ahead >= GRE_RX_RESYNC_GAP) {
		if ((r = rx_resync(ch, now, seq, out)) != 0)
			return r;
		ahead = 0;
	}
	if (ahead > 0) {
		if (held_find(ch, seq) >= 0) {
			ch->st.rx_duplicates++;
			return PK_ERR_DUPLICATE;
		}
		/*
		 * Buffer full: the lowest of the held frames and this one
		 * goes out now, its gap given up (RFC 2890 §2.2's
		 * MAX_PERFLOW_BUFFER rule), until this one fits or is next.
		 */
		while (ch->n_held >= ch->held_cap) {
			size_t low = held_lowest(ch);

			if (ahead < seq_offset(ch->held[low].seq, ch->rx_next))
				break;
			if ((r = rx_release_lowest(ch, now, out)) != 0)
				return r;
			ahead = seq_offset(seq, ch->rx_next);
		}
		if (ahead > 0 && ch->n_held < ch->held_cap)
			return rx_hold(ch, now, seq, data, len);
		rx_skip_to(ch, seq, 1);
	}
	if ((r = rx_deliver(ch, now, data, len, out)) != 0)
		return r;
	return rx_drain(ch, now, out);
}

int
gre_chan_input(struct gre_chan *ch, uint64_t now, const uint8_t *pkt,
    size_t len, struct pk_out *out)
{
	struct buf_reader payload;
	struct gre_hdr h;
	int r, rd = PK_OK;

	if ((r = gre_decode(pkt, len, &h, &payload)) != 0) {
		ch->st.rx_errors++;
		return r;
	}
	if (h.call_id != ch->cfg.call_id) {
		ch->st.rx_errors++;
		return PK_ERR_NOT_FOUND;
	}
	if (h.padding > 0)
		ch->st.rx_padded++;
	/* Data first, so frames the ack releases carry the newest ack. */
	if (h.has_seq)
		rd = data_input(ch, now, h.seq, buf_cur(&payload),
		    buf_remaining(&payload), out);
	else
		ch->st.rx_acks_only++;
	if (h.has_ack && (r = ack_input(ch, now, h.ack, out)) != 0)
		return r;
	if ((r = ack_if_due(ch, now, out)) != 0)
		return r;
	return rd;
}

/* ---- Timers ---------------------------------------------------------- */

static uint64_t
reorder_deadline(const struct gre_chan *ch)
{
	uint64_t oldest = PK_TIME_NEVER;

	for (size_t i = 0; i < ch->n_held; i++)
		oldest = pk_deadline_min(oldest, ch->held[i].at);
	if (oldest == PK_TIME_NEVER)
		return PK_TIME_NEVER;
	return oldest + ch->cfg.reorder_timeout_ms;
}

uint64_t
gre_chan_next_deadline(const struct gre_chan *ch)
{
	uint64_t t = reorder_deadline(ch);

	t = pk_deadline_min(t, ch->window_deadline);
	t = pk_deadline_min(t, ch->release_at);
	if (ch->ack_owed)
		t = pk_deadline_min(t, ch->ack_deadline);
	return t;
}

int
gre_chan_timeout(struct gre_chan *ch, uint64_t now, struct pk_out *out)
{
	int r;

	/*
	 * RFC 2890 §2.2: no packet waits longer than OUTOFORDER_TIMER;
	 * deliver in order, ignoring gaps, until none has waited that
	 * long. Releasing the lowest frame may release younger ones after
	 * it, never older ones out of order.
	 */
	while (ch->n_held > 0 && reorder_deadline(ch) <= now)
		if ((r = rx_release_lowest(ch, now, out)) != 0)
			return r;
	if (ch->window_deadline <= now) {
		/* Frames waited window_ms and no ack came: the peer does
		 * not run the window (MS-PTPT §3.1.5.7). */
		ch->window_deadline = PK_TIME_NEVER;
		if (gre_chan_window_enforced(ch)) {
			ch->window_off = 1;
			ch->st.tx_window_timeouts++;
		}
	}
	if (ch->txq_len > 0 && (r = txq_release(ch, now, out)) != 0)
		return r;
	/* MS-PTPT §3.1.5.9: no data packet took the ack along in time. */
	return ack_if_due(ch, now, out);
}
