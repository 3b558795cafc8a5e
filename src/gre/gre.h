/*
 * gre.h - the enhanced GRE (version 1) header that carries PPP for PPTP
 * (RFC 2637 §4.1): decoder, encoder, and a call-ID peek for demultiplexing.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |    Key (HW) Payload Length    |       Key (LW) Call ID        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  Sequence Number (Optional)                   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |               Acknowledgment Number (Optional)                |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The decoder takes the GRE packet as the raw IP socket hands it over
 * (IP header already removed) and is strict about everything RFC 2637
 * §4.1 fixes, because only PPTP peers send version 1:
 *
 *  - fewer than 4 bytes                      PK_ERR_SHORT
 *  - Ver != 1 (e.g. plain RFC 2784 GRE)      PK_ERR_VERSION
 *  - Protocol Type != 0x880B                 PK_ERR_TYPE
 *  - C, R, s, Recur or Flags set, K clear    PK_ERR_VALUE
 *  - header shorter than its S/A bits say    PK_ERR_SHORT
 *  - neither S nor A (carries nothing)       PK_ERR_VALUE
 *  - S set and Payload Length 0, or S clear
 *    and Payload Length != 0                 PK_ERR_LENGTH
 *  - Payload Length > PK_PPP_FRAME_MAX or
 *    > the bytes after the header            PK_ERR_LENGTH
 *
 * Version and protocol are checked before anything else so that the
 * server can tell "not PPTP at all" (PK_ERR_VERSION, PK_ERR_TYPE: ignore
 * quietly) from "a broken PPTP packet" (anything else: count it).
 *
 * Recursion Control: RFC 1701 §2.1 makes it a hop budget for nested
 * encapsulation, meaningful only with source routing; RFC 2637 §4.1 fixes
 * it to zero and PPTP never nests, so a non-zero value means the sender is
 * not a PPTP implementation. We refuse it, as pptp-linux's decaps_gre()
 * does (it requires the low nibble of the first octet, s and Recur, to be
 * zero).
 *
 * Trailing bytes: Payload Length is "the size of the payload, not
 * including the GRE header" (RFC 2637 §4.1), so the length field, not the
 * end of the datagram, delimits the PPP frame. Bytes after it are not part
 * of any field; we ignore them and report their count in h->padding (the
 * channel counts such packets). The IP layer hands us exact datagram
 * lengths, so a conformant peer never produces them; refusing would only
 * lose a frame whose every field is valid. The Linux kernel (pptp.c) and
 * pptp-linux behave the same way: they drop packets shorter than the
 * announced length and ignore any excess.
 */
#ifndef PK_GRE_GRE_H
#define PK_GRE_GRE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* First 16-bit word: flag bits, Recur, A, Flags and Ver (RFC 2637 §4.1). */
#define GRE_FLAG_C		0x8000	/* checksum present: must be 0 */
#define GRE_FLAG_R		0x4000	/* routing present: must be 0 */
#define GRE_FLAG_K		0x2000	/* key present: must be 1 */
#define GRE_FLAG_S		0x1000	/* sequence number present */
#define GRE_FLAG_SSR		0x0800	/* strict source route: must be 0 */
#define GRE_RECUR_MASK		0x0700	/* recursion control: must be 0 */
#define GRE_FLAG_A		0x0080	/* acknowledgment number present */
#define GRE_FLAGS_MASK		0x0078	/* bits 9-12: must be 0 */
#define GRE_VER_MASK		0x0007

#define GRE_VERSION_PPTP	1	/* enhanced GRE (RFC 2784 §7.1) */
#define GRE_PROTO_PPP		0x880B	/* RFC 2637 §4.1, reference [8] */

/* Wire sizes. */
#define GRE_PREFIX_LEN		4	/* flags/version + protocol type */
#define GRE_BASE_LEN		8	/* ... + payload length + call ID */
#define GRE_SEQ_LEN		4
#define GRE_ACK_LEN		4
#define GRE_HDR_MAX		(GRE_BASE_LEN + GRE_SEQ_LEN + GRE_ACK_LEN)

struct gre_hdr {
	int has_seq;		/* S bit: a data packet with a payload */
	int has_ack;		/* A bit: ack carries an acknowledgment */
	uint16_t payload_len;	/* decode: the field; encode: ignored */
	uint16_t call_id;	/* the receiver's call ID (RFC 2637 §4.1) */
	uint32_t seq;		/* valid if has_seq */
	uint32_t ack;		/* valid if has_ack */
	size_t padding;		/* decode only: bytes after the payload */
};

/*
 * Decodes one GRE packet of len bytes. On success fills *h and sets
 * *payload to a reader over exactly h->payload_len bytes, borrowed from
 * pkt (valid as long as pkt). Returns 0 or the PK_ERR_* listed above; on
 * error *h and *payload are unspecified.
 */
int gre_decode(const uint8_t *pkt, size_t len, struct gre_hdr *h,
    struct buf_reader *payload);

/*
 * Appends the header described by h (has_seq, has_ack, call_id, seq, ack)
 * and len payload bytes to w; the Payload Length field is set to len.
 * A data packet (has_seq) needs 1..PK_PPP_FRAME_MAX payload bytes; an
 * ack-only packet (has_ack, no has_seq) needs len 0. Returns 0,
 * PK_ERR_ARG for a combination RFC 2637 §4.1 does not allow, or
 * PK_ERR_SPACE (nothing written, w->err latched) if w lacks room.
 */
int gre_encode(struct buf_writer *w, const struct gre_hdr *h,
    const uint8_t *payload, size_t len);

/* Header length h describes: 8, 12 or 16 bytes. */
size_t gre_hdr_len(const struct gre_hdr *h);

/*
 * Reads only what demultiplexing needs: checks Ver, Protocol Type and the
 * fixed bits (as gre_decode() does, in the same order) and returns the
 * Call ID in *call_id. Returns 0, PK_ERR_SHORT, PK_ERR_VERSION,
 * PK_ERR_TYPE or PK_ERR_VALUE. The rest of the packet is checked when the
 * owning channel decodes it.
 */
int gre_peek_call_id(const uint8_t *pkt, size_t len, uint16_t *call_id);

#endif
