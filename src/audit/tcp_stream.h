/*
 * tcp_stream.h - one direction of a captured TCP connection put back in
 * order, for the PPTP control channel (RFC 2637 §1.4: control messages
 * are a byte stream on TCP port 1723).
 *
 * A capture is not a TCP endpoint: it sees retransmissions (dropped here,
 * counted), segments out of order (held, bounded), and gaps that never
 * fill (the capture lost them, or started mid-connection). After a gap
 * the message boundary is unknown, so the reader resynchronises on the
 * next plausible control message header (Length in range, PPTP Message
 * Type 1, Magic Cookie 0x1A2B3C4D at offset 4) instead of trusting the
 * bytes in between.
 */
#ifndef PK_AUDIT_TCP_STREAM_H
#define PK_AUDIT_TCP_STREAM_H

#include <stddef.h>
#include <stdint.h>

struct audit_tcp_seg {
	uint32_t seq;
	size_t len;
	uint8_t *data;
};

struct audit_tcp_dir {
	int started;		/* next is known */
	uint32_t next;		/* the sequence number expected next */
	int fin;
	int synced;		/* buf starts on a message boundary */
	struct audit_tcp_seg *ooo;	/* held segments, unsorted */
	size_t n_ooo;
	size_t ooo_bytes;
	uint8_t *buf;		/* in-order bytes not yet parsed */
	size_t buf_len;
	size_t buf_cap;
	/* Counters for the report. */
	uint64_t bytes;		/* in-order payload bytes */
	uint64_t retrans;	/* segments wholly seen before */
	uint64_t gaps;		/* holes skipped */
	uint64_t gap_bytes;
	uint64_t resync_bytes;	/* bytes skipped to find a header */
	uint64_t dropped;	/* bytes over a cap (never parsed) */
};

void audit_tcp_dir_init(struct audit_tcp_dir *t);
void audit_tcp_dir_free(struct audit_tcp_dir *t);

/*
 * Adds one segment: seq is its sequence number, flags the TCP flags
 * (AUDIT_TCP_*), data/len the payload. A SYN fixes the start; without
 * one, the first segment does (mid-stream capture, unsynchronised).
 * Returns 0 or PK_ERR_NOMEM.
 */
int audit_tcp_dir_segment(struct audit_tcp_dir *t, uint32_t seq,
    uint8_t flags, const uint8_t *data, size_t len);

/*
 * Gives up on the first hole: jumps to the lowest held segment (the end
 * of the capture, or the out-of-order store full). Returns 1 if there was
 * one, 0 if nothing is held.
 */
int audit_tcp_dir_skip_gap(struct audit_tcp_dir *t);

/*
 * Takes the next complete control message (at most cap bytes) out of the
 * in-order bytes. Returns 1 with *len set, 0 when more bytes are needed.
 * Bytes that cannot start a message are skipped (counted) until a
 * plausible header appears.
 */
int audit_tcp_dir_next_msg(struct audit_tcp_dir *t, uint8_t *msg,
    size_t cap, size_t *len);

#endif
