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
	uint16_t ccount;	/* next (tx) or last (rx) coherency count */
	int started;		/* rx: a packet has been accepted */
	int discarding;		/* rx stateful: waiting for a flushed packet */
	int flush_next;		/* tx stateful: set A on the next packet */
};

struct mppe {
	int key_bits;		/* 40, 56 or 128 */
	size_t key_len;		/* 8 or 16 */
	int stateless;
	struct mppe_dir tx;
	struct mppe_dir rx;
	/* Counters for show sessions / tests. */
	uint64_t rx_dropped;
	uint64_t rx_resyncs;
};

/*
 * Initialises both directions from the master keys as seen by this side
 * (send_master encrypts what we send). bits: 40, 56 or 128. Returns 0 or
 * PK_ERR_ARG.
 */
int mppe_init(struct mppe *m, const uint8_t send_master[16],
    const uint8_t recv_master[16], int bits, int stateless);

/*
 * Encrypts one PPP payload (protocol field included, as RFC 3078 §3
 * requires) into w: 2-byte header then ciphertext. Returns 0 or
 * PK_ERR_SPACE.
 */
int mppe_encrypt(struct mppe *m, const uint8_t *plain, size_t len,
    struct buf_writer *w);

/*
 * Decrypts one MPPE packet (header + ciphertext; the part after the PPP
 * protocol 0x00FD) into w. Returns 0 with the plaintext (protocol field
 * first) in w, or a negative code when the packet must be dropped:
 * PK_ERR_SHORT (no header), PK_ERR_VALUE (D bit clear or C bit set),
 * PK_ERR_LATE / PK_ERR_DUPLICATE (coherency count not ahead; a stateless
 * receiver must not rekey backwards), PK_ERR_STATE (stateful, waiting for
 * a flushed packet after loss). *send_reset is set to 1 when the caller
 * must send a CCP Reset-Request (stateful mode lost sync).
 */
int mppe_decrypt(struct mppe *m, const uint8_t *pkt, size_t len,
    struct buf_writer *w, int *send_reset);

/* The peer sent a CCP Reset-Request: the next packet we send is flushed
 * (A bit, fresh RC4 state). No effect in stateless mode. */
void mppe_reset_request(struct mppe *m);

void mppe_wipe(struct mppe *m);

#endif
