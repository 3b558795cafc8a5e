/*
 * gre_chan.h - one PPTP call's data channel (RFC 2637 §4): numbers and
 * sends PPP frames, honours the peer's receive window, puts received
 * frames back in order and acknowledges them. Sans-I/O.
 *
 * The server demultiplexes GRE packets by (peer address, Call ID) with
 * gre_peek_call_id() and hands each one to its channel; the channel never
 * sees a socket. Its results go into the caller's struct pk_out:
 *
 *   OUT_GRE  tag = peer call ID   a GRE packet (header on) for the peer
 *   OUT_PPP  tag = our call ID    a received PPP frame, in sequence order
 *
 * Sending (§4.1, §4.2). Data packets carry S and consecutive sequence
 * numbers starting at cfg.tx_seq_start, 0 by default: RFC 2637 §4.1 sets
 * the sequence number "to zero at session startup" and RFC 2890 §2.2 says
 * "the first datagram is sent with a sequence number of 0". (The Linux
 * kernel's pptp.c and pptp-linux send 1 first; every receiver we know,
 * ours included, accepts any first number.) A frame goes out at once while
 * fewer than peer_rwin packets await acknowledgment; otherwise it waits in
 * a FIFO of PK_GRE_TXQ_MAX frames and leaves as acks arrive. When that
 * FIFO is full the new frame is refused (PK_ERR_FULL, counted): §4.2.4
 * says packets "are no longer accepted from the packet source when the
 * transmit buffer fills", and refusing the newest keeps the frames
 * already accepted in order.
 *
 * Peers that do not ack. Windows "does not implement the sliding window
 * protocol" (MS-PTPT §3.1.5.7) and other peers ack late or never. If the
 * window stays closed with frames waiting and no ack advances it for
 * window_timeout_ms (default 500 ms) plus the peer's packet processing
 * delay (capped at GRE_PPD_CAP_MS), the channel stops enforcing the
 * window, flushes the FIFO and sends freely, until an ack that advances
 * the window is seen again. A silent peer thus costs one stall, not a
 * dead link. RFC 2637 §4.2.1-4.2.3's slow start and §4.4's adaptive
 * time-out are not implemented: they only shrink the window below what
 * the peer advertised, and no deployed peer relies on them.
 *
 * Receiving (§4.3, RFC 2890 §2.2). The first data packet sets the
 * expected number, whatever it is. Packets ahead of it wait in a reorder
 * buffer of min(rwin, PK_GRE_REORDER_MAX) frames; a gap is given up (its
 * numbers counted as lost) after reorder_timeout_ms (default 50 ms) or
 * when the buffer is full, and what follows is delivered. A packet is a
 * duplicate if it was already delivered or is already held, and late if
 * it is behind the expected number (serial-number arithmetic mod 2^32,
 * RFC 1982); both are dropped and counted, so no frame is ever delivered
 * twice or out of order. A packet more than GRE_RX_RESYNC_GAP ahead
 * makes the channel resynchronise to it rather than treat everything
 * until then as missing; GRE_RX_RESYNC_STRIKES consecutive packets that
 * far behind do the same (a peer that restarted its numbering).
 *
 * Acknowledging (§4.1, MS-PTPT §3.1.5.9). We ack the highest sequence
 * number delivered in order. The ack rides on the next data packet; if
 * none leaves within ack_timeout_ms (default 100 ms, MS-PTPT §3.1.2's
 * Packet Acknowledgment Timer) of the first unacknowledged delivery,
 * gre_chan_timeout() sends one ack-only packet (A, no S, no payload). The
 * timer is not pushed back by further deliveries, so a busy one-way flow
 * is acked every ack_timeout_ms, never more than once per timeout. One
 * exception: once rwin/2 frames are delivered unacknowledged, the ack-only
 * packet leaves at once (from gre_chan_input()), because a peer that
 * honours the window we advertised would otherwise stall until the timer
 * and a one-way flow would be capped at rwin frames per ack_timeout_ms.
 * That is at most one ack-only packet per rwin/2 frames received.
 *
 * Timers: the ack timer, the reorder timer (oldest held frame), the
 * window timer (frames waiting, no ack), and an immediate deadline when
 * releasing queued frames had to stop because the caller's pk_out was
 * full. gre_chan_next_deadline() returns the earliest.
 */
#ifndef PK_GRE_GRE_CHAN_H
#define PK_GRE_GRE_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/out.h"

/* MS-PTPT §3.1.2: Packet Acknowledgment Timer. */
#define GRE_ACK_TIMEOUT_MS	100
/* How long a sequence gap may hold later frames back (RFC 2890 §2.2's
 * OUTOFORDER_TIMER). Short: PPP copes with loss, not with delay. */
#define GRE_REORDER_TIMEOUT_MS	50
/* How long the send window may stay closed without an ack. */
#define GRE_WINDOW_TIMEOUT_MS	500
/* The most of the peer's Packet Processing Delay (§2.7, in tenths of a
 * second, up to 6553.5 s) added to the window timeout. */
#define GRE_PPD_CAP_MS		2000
/* A forward jump at least this large resynchronises the receiver. */
#define GRE_RX_RESYNC_GAP	4096
/* Consecutive packets that far behind that resynchronise it. */
#define GRE_RX_RESYNC_STRIKES	4

struct gre_chan_config {
	uint16_t call_id;	/* ours: the peer puts it in its Key field */
	uint16_t peer_call_id;	/* the peer's: we put it in ours */
	uint16_t rwin;		/* our advertised receive window; bounds the
				 * reorder buffer; 0: PK_GRE_RWIN_DEFAULT */
	uint16_t peer_rwin;	/* 0: the peer runs no window (MS-PTPT) */
	uint16_t peer_ppd;	/* peer's Packet Processing Delay, 1/10 s */
	uint32_t tx_seq_start;	/* our first sequence number (0) */
	uint32_t ack_timeout_ms;	/* 0: GRE_ACK_TIMEOUT_MS */
	uint32_t reorder_timeout_ms;	/* 0: GRE_REORDER_TIMEOUT_MS */
	uint32_t window_timeout_ms;	/* 0: GRE_WINDOW_TIMEOUT_MS */
};

struct gre_chan_stats {
	uint64_t tx_packets;	/* data packets sent */
	uint64_t tx_bytes;	/* PPP bytes in them */
	uint64_t tx_acks_only;	/* ack-only packets sent */
	uint64_t tx_acks_piggybacked;	/* data packets that carried an ack */
	uint64_t tx_queued;	/* frames that waited for the window */
	uint64_t tx_queue_drops;	/* frames refused: FIFO full */
	uint64_t tx_window_timeouts;	/* times the window was given up */
	uint64_t rx_packets;	/* PPP frames delivered */
	uint64_t rx_bytes;	/* bytes in them */
	uint64_t rx_acks_only;	/* ack-only packets received */
	uint64_t rx_acks;	/* acks that advanced the send window */
	uint64_t rx_errors;	/* undecodable, or another call's */
	uint64_t rx_duplicates;	/* already delivered or already held */
	uint64_t rx_late;	/* behind the expected number */
	uint64_t rx_reordered;	/* delivered after waiting in the buffer */
	uint64_t rx_lost;	/* sequence numbers given up */
	uint64_t rx_resyncs;	/* jumps the receiver resynchronised to */
	uint64_t rx_padded;	/* packets with bytes after the payload */
	uint64_t rx_nomem;	/* frames dropped: could not be held */
};

struct gre_chan;

/* Fills cfg with the defaults and the two call IDs. */
void gre_chan_config_default(struct gre_chan_config *cfg, uint16_t call_id,
    uint16_t peer_call_id);

/*
 * Creates a channel; *chp is owned by the caller and freed with
 * gre_chan_free(). cfg is copied. Returns 0 or PK_ERR_NOMEM.
 */
int gre_chan_new(struct gre_chan **chp, const struct gre_chan_config *cfg);
/* Frees the channel and every frame it holds. NULL is allowed. */
void gre_chan_free(struct gre_chan *ch);

/*
 * Sends one PPP frame (protocol field first, 1..PK_PPP_FRAME_MAX bytes,
 * copied): appends one OUT_GRE packet, or queues the frame while the
 * peer's window is closed. Returns 0 (sent or queued), PK_ERR_ARG (bad
 * length), PK_ERR_FULL (FIFO full: frame dropped and counted, or out
 * full), PK_ERR_NOMEM.
 */
int gre_chan_send(struct gre_chan *ch, uint64_t now, const uint8_t *frame,
    size_t len, struct pk_out *out);

/*
 * Processes one received GRE packet (len bytes from the GRE header on).
 * Acts on its acknowledgment (which may release queued frames as OUT_GRE)
 * and delivers every frame now in order as OUT_PPP. Returns 0; a
 * gre_decode() error (packet ignored); PK_ERR_NOT_FOUND if its Call ID
 * is not ours (ignored); PK_ERR_DUPLICATE or PK_ERR_LATE if its frame was
 * dropped as such (its ack still counted; nothing to do for the caller);
 * PK_ERR_NOMEM; PK_ERR_FULL if out is too small (a sizing bug).
 */
int gre_chan_input(struct gre_chan *ch, uint64_t now, const uint8_t *pkt,
    size_t len, struct pk_out *out);

/* Earliest absolute time gre_chan_timeout() has work, or PK_TIME_NEVER. */
uint64_t gre_chan_next_deadline(const struct gre_chan *ch);
/* Runs every timer due at now. Returns 0 or PK_ERR_FULL (out full). */
int gre_chan_timeout(struct gre_chan *ch, uint64_t now, struct pk_out *out);

/* Counters, valid as long as the channel. */
const struct gre_chan_stats *gre_chan_stats(const struct gre_chan *ch);
/* Frames waiting for the peer's window. */
size_t gre_chan_txq_len(const struct gre_chan *ch);
/* 1 while the peer's window is enforced, 0 after it was given up. */
int gre_chan_window_enforced(const struct gre_chan *ch);

#endif
