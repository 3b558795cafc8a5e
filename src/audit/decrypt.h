/*
 * decrypt.h - MPPE decryption of captured sessions (RFC 3078, keys from
 * RFC 3079) by an observer: it never asked for a reset and may have
 * missed packets the endpoints saw, or seen packets they lost.
 *
 * Keys: the NT hash (or password) of the user, checked against the
 * session's MS-CHAP exchange first (DES of the NT-response, RFC 2759
 * §8.5), then MS-CHAPv2: GetMasterKey / GetAsymetricStartKey (RFC 3079
 * §3.4), the responding peer sending with Magic2; MS-CHAPv1: the NT-based
 * Get_Start_Key for both directions (RFC 3079 §2.4, as pppd and Linux
 * use it), or with a password the LM-based 40/56-bit keys of §2.1/§2.2
 * when those are what decrypts.
 *
 * Both modes, both directions, 40/56/128 bits:
 *  - stateless: a key change per packet, counted from the coherency
 *    count (§8.1), wrap at 4096, late packets from a small key cache;
 *  - stateful: a key change at each flag packet (count ends 0xff) and
 *    each flushed packet (the A bit; as Linux, a full key change); a
 *    packet missing from the capture leaves the RC4 key stream at an
 *    unknown offset, found again by trying offsets until the plaintext
 *    is a valid IP packet (ppp_mppe_plausible: a header checksum); a
 *    flushed packet whose key changes the capture cannot count (a reset
 *    answer it missed) is tried with a few more.
 * MPPE has no integrity check, so "decrypted" means "decrypted to a
 * plausible PPP frame"; anything else is counted, never written.
 */
#ifndef PK_AUDIT_DECRYPT_H
#define PK_AUDIT_DECRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"

#define AUDIT_CRED_MAX 16

struct audit_cred {
	uint8_t nt_hash[16];
	int have_password;
	char password[AUDIT_NAME_MAX];	/* for the LM-based v1 keys */
};

/* Per session and direction, for the summary. */
struct audit_decrypt_stats {
	uint64_t mppe;		/* MPPE frames seen */
	uint64_t decrypted;	/* written as plaintext */
	uint64_t clear;		/* IP frames that were never encrypted */
	uint64_t no_key;	/* no exchange matched a credential */
	uint64_t failed;	/* did not decrypt to a plausible frame */
	uint64_t dup, late;	/* counts seen before / too old */
	uint64_t resync;	/* found again after a gap */
	uint64_t key_changes;
	uint64_t other;		/* decrypted, not IP (e.g. VJ-compressed) */
};

struct audit_decrypt;

/* One IP packet out of a session: data valid until the next call. */
struct audit_plain {
	size_t call;
	int dir;
	uint64_t ts_us;
	const uint8_t *data;
	size_t len;
};

/* Returns 0 or PK_ERR_NOMEM (n_calls_hint may be 0). */
int audit_decrypt_new(struct audit_decrypt **dp, const struct audit_cred *creds,
    size_t n_creds);
void audit_decrypt_free(struct audit_decrypt *d);

/*
 * One PPP frame of the capture, in order (load.h's on_ppp). Returns 1
 * with *out set when it yields an IP packet, 0 when not (control frames,
 * frames that failed: counted), or PK_ERR_NOMEM.
 */
int audit_decrypt_frame(struct audit_decrypt *d, const struct audit_cap *c,
    const struct audit_ppp_event *ev, struct audit_plain *out);

/*
 * After the capture: the statistics of session call (index) in
 * direction dir, and what was used. Returns 0 if the session had MPPE or
 * clear IP, PK_ERR_NOT_FOUND if the decryptor never saw it.
 * *hs_used is the exchange whose keys were used (-1 if none), *bits and
 * *stateless the mode decrypted.
 */
int audit_decrypt_stats(const struct audit_decrypt *d, size_t call, int dir,
    struct audit_decrypt_stats *st, long *hs_used, int *bits,
    int *stateless);

/*
 * The MPPE master (start) keys of exchange h for a user whose NT hash is
 * nt_hash, per direction of the call (send key of direction d's sender).
 * Returns 0, PK_ERR_AUTH if the NT hash does not produce h's
 * NT-response, PK_ERR_TYPE if h is not an MS-CHAP exchange with a
 * challenge and response.
 */
int audit_mppe_master_keys(const struct audit_hs *h, const uint8_t nt_hash[16],
    uint8_t master[2][16]);

#endif
