/*
 * mppe.h - MPPE data encryption, RFC 3078: RC4 with the coherency count,
 * stateful mode (key change every 256 packets, flushed bit, CCP
 * Reset-Request/Ack resynchronisation) and stateless mode (new key every
 * packet). Sans-I/O: bytes in, bytes out; the caller (the PPP/CCP core)
 * sends the Reset-Request when asked.
 */
#ifndef PK_MPPE_MPPE_H
#define PK_MPPE_MPPE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "crypto/crypto.h"

/* RFC 3078 §3: the 2-byte header in front of the encrypted data. */
#define MPPE_HDR_LEN 2
#define MPPE_BIT_FLUSHED 0x80	/* A: RC4 state reset (first byte) */
#define MPPE_BIT_B 0x40		/* B: MPPC history initialised */
#define MPPE_BIT_COMPRESSED 0x20	/* C: MPPC, never set by us */
#define MPPE_BIT_ENCRYPTED 0x10	/* D */
#define MPPE_CCOUNT_MASK 0x0fff
#define MPPE_CCOUNT_MOD 4096
/* RFC 3078 §7.2: a packet whose count's low octet is 0xff is a "flag"
 * packet; stateful keys change before it. */
#define MPPE_FLAG_MASK 0xff
/*
 * Receiver: a coherency count up to this many behind the last accepted
 * one is a late (reordered) packet and is dropped; anything else ahead is
 * taken as loss (RFC 3078 §8). 12 bits cannot tell "256 behind" from
 * "3840 ahead": this splits the circle so that a burst of up to 3839 lost
 * packets is still followed correctly while a packet delayed past 256
 * others (the GRE layer reorders within 64) is still recognised as old.
 */
#define MPPE_LATE_WINDOW 256

/* RFC 3078 §2.1: CCP option 18 and its 32-bit Supported Bits. */
#define CCP_OPT_MPPE 18
#define CCP_OPT_MPPE_LEN 6
#define MPPE_SB_H 0x01000000u	/* stateless mode */
#define MPPE_SB_M 0x00000080u	/* 56-bit */
#define MPPE_SB_S 0x00000040u	/* 128-bit */
#define MPPE_SB_L 0x00000020u	/* 40-bit */
#define MPPE_SB_D 0x00000010u	/* obsolete */
#define MPPE_SB_C 0x00000001u	/* MPPC compression */

struct mppe_dir {
	uint8_t master_key[16];	/* from auth; never changes */
	uint8_t session_key[16];	/* current key, key_len bytes used */
	struct crypto_rc4 rc4;
	/* tx: the count of the next packet (starts at 0; jumps to a flag
	 * packet after a reset); rx: the count of the last accepted packet
	 * (starts at 4095 so that 0 comes next). */
	uint16_t ccount;
	int started;		/* rx: a packet has been accepted */
	int discarding;		/* rx stateful: waiting for a flushed packet */
	int flush_next;		/* tx stateful: set A on the next packet */
};

/*
 * MPPE has no integrity check: a receiver whose key has drifted from the
 * sender's decrypts garbage and cannot tell. The owner may install a
 * plausibility test for plaintext (the PPP layer checks the protocol
 * field and the IP header); a stateful receiver then treats implausible
 * plaintext as lost synchronisation, and on a flushed packet tries up to
 * MPPE_RESYNC_TRIES extra key changes to catch up with a sender that
 * changed keys more often than we saw (a lost flushed packet).
 */
typedef int mppe_plausible_fn(const uint8_t *plain, size_t len);
#define MPPE_RESYNC_TRIES 4

/*
 * Stateless receive limits. A packet whose count is N ahead costs N key
 * changes (one SHA-1 and two RC4 key schedules each), and MPPE has no
 * integrity check, so a forged count costs the receiver up to 3839 key
 * changes for nothing. mppe_set_rekey_limits() bounds that work:
 *  - per packet: at most rekey_max key changes; a packet further ahead
 *    is dropped, but the work done toward it is kept (below);
 *  - per session: key changes spent on packets that are then dropped
 *    (beyond the first of each packet, the in-order cost) spend a budget
 *    of at most MPPE_REKEY_BUDGET_MAX that refills at rekey_rate per
 *    second of the clock given to mppe_set_clock(); a packet may cost at
 *    most one key change plus what is left of it. Work for accepted
 *    packets is never charged, so a genuine sender that skips counts
 *    (its own drops under load, losses on the way) never runs out; while
 *    forged counts keep the budget empty, such a session catches up with
 *    its own gaps at rekey_rate per second.
 * The work toward a count that was not accepted (too far for the limits,
 * or decrypting to garbage) is kept as a lookahead state on the key
 * chain: a replay of that packet, or a later packet beyond it, continues
 * from there instead of paying again, and a genuine sender that lost
 * more than rekey_max packets is caught up with over a few packets.
 * Without mppe_set_rekey_limits() nothing is capped (the RFC's behaviour).
 */
#define MPPE_REKEY_BUDGET_MAX 4096

struct mppe {
	int key_bits;		/* 40, 56 or 128 */
	size_t key_len;		/* 8 or 16 */
	int stateless;
	struct mppe_dir tx;
	struct mppe_dir rx;
	mppe_plausible_fn *plausible;	/* NULL: accept any plaintext */
	/* Stateless receive limits (above); 0 = none. */
	unsigned rekey_max;
	unsigned rekey_rate;
	uint64_t budget_milli;	/* key changes left, in thousandths */
	uint64_t budget_at;	/* clock of the last refill, 0 = none yet */
	struct mppe_dir ahead;	/* rx key chain advanced past rx.ccount */
	int ahead_valid;
	/* Counters for show sessions / tests. */
	uint64_t rx_dropped;	/* packets mppe_decrypt() refused */
	uint64_t rx_resyncs;	/* packets accepted after a gap in the count */
	uint64_t rx_implausible;	/* decrypted to garbage: dropped */
	uint64_t rx_catch_ups;	/* extra key changes that restored sync */
	uint64_t rx_rekeys;	/* stateless: key changes on receive */
	uint64_t rx_rekey_capped;	/* dropped: beyond the rekey limits */
};

/*
 * Initialises both directions from the master keys as seen by this side
 * (send_master encrypts what we send; for 40/56 bits only the first 8
 * bytes count). The initial session key of each direction is
 * GetNewKeyFromSHA(master, master), reduced for 40/56 bits (RFC 3079
 * §3.1-§3.3), and RC4 is keyed with it. bits: 40, 56 or 128. Returns 0 or
 * PK_ERR_ARG (then *m is zeroed).
 */
int mppe_init(struct mppe *m, const uint8_t send_master[16],
    const uint8_t recv_master[16], int bits, int stateless);

/*
 * Encrypts one PPP payload (protocol field included, as RFC 3078 §3
 * requires) into w: 2-byte header then ciphertext of the same length.
 * Returns 0, PK_ERR_ARG (len 0) or PK_ERR_SPACE (w has less than
 * len + MPPE_HDR_LEN bytes free); on error neither w nor *m changes.
 */
int mppe_encrypt(struct mppe *m, const uint8_t *plain, size_t len,
    struct buf_writer *w);

/*
 * Decrypts one MPPE packet (header + ciphertext; the part after the PPP
 * protocol 0x00FD) into w. Returns 0 with the plaintext (protocol field
 * first, same length as the ciphertext) in w, or a negative code when the
 * packet must be dropped:
 *   PK_ERR_SHORT      no header, or no data after it;
 *   PK_ERR_VALUE      D bit clear, C bit set (we never negotiate MPPC), or
 *                     stateless mode and A clear (RFC 3078 §3.1);
 *   PK_ERR_DUPLICATE  the count equals the last accepted one;
 *   PK_ERR_LATE       the count is up to MPPE_LATE_WINDOW behind it;
 *   PK_ERR_STATE      stateful mode, packets were lost: waiting for a
 *                     flushed packet;
 *   PK_ERR_POLICY     stateless mode: the count is further ahead than the
 *                     rekey limits allow now (the work is kept);
 *   PK_ERR_CRYPTO     the plaintext failed the plausibility test;
 *   PK_ERR_SPACE      w has too little room (a caller bug).
 * Dropped packets never change the keys or RC4 state, except that
 * stateful loss enters the discarding state. *send_reset (may be NULL) is
 * set to 0, or to 1 once per loss episode when the caller must send a CCP
 * Reset-Request (stateful mode only).
 */
int mppe_decrypt(struct mppe *m, const uint8_t *pkt, size_t len,
    struct buf_writer *w, int *send_reset);

/*
 * The peer sent a CCP Reset-Request: the next packet we send is flushed
 * (A bit). As the Linux kernel's receiver (ppp_mppe.c), which every pppd
 * peer runs, expects, a flushed stateful packet follows a full key change
 * (RFC 3078 §7.3), not just an RC4 reset with the same key; that packet
 * is the next flag packet (its count jumps to the end of the current
 * 256-block; mppe.c says why), so several Reset-Requests before it cause
 * one key change. No effect in stateless mode, where every packet is
 * flushed.
 */
void mppe_reset_request(struct mppe *m);

/*
 * Stateless receive limits (see MPPE_REKEY_BUDGET_MAX): at most per_packet
 * key changes for one packet (0: no cap), and a budget of key changes
 * beyond one per packet that refills at per_second (0: no budget). The
 * budget starts full. No effect in stateful mode, where a packet costs at
 * most 16 + MPPE_RESYNC_TRIES key changes.
 */
void mppe_set_rekey_limits(struct mppe *m, unsigned per_packet,
    unsigned per_second);
/* The time (monotonic ms) for the budget: call before mppe_decrypt(). */
void mppe_set_clock(struct mppe *m, uint64_t now_ms);

/* Wipes keys and RC4 state. */
void mppe_wipe(struct mppe *m);

#endif
