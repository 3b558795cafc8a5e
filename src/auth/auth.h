/*
 * auth.h - the authenticator's decision, separated from PPP so that it can
 * be answered locally (a chap-secrets password) or later by RADIUS.
 *
 * The PPP core, acting as authenticator, raises PPP_EV_AUTH_REQUEST with
 * a struct auth_request as payload. The owner of the session finds the
 * user's secret, fills a struct auth_result (auth_verify_local() does it
 * from a clear-text password) and hands it back with ppp_auth_complete().
 *
 * Sizes are wire sizes from the RFCs, written out (never sizeof a struct).
 */
#ifndef PK_AUTH_AUTH_H
#define PK_AUTH_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"

#define AUTH_CHAP_MD5_RESPONSE_LEN 16	/* RFC 1994 §4.1: MD5 output */
#define AUTH_MSCHAPV1_CHALLENGE_LEN 8	/* RFC 2433 §5 */
#define AUTH_MSCHAPV1_RESPONSE_LEN 49	/* LM 24 + NT 24 + flag 1 */
#define AUTH_MSCHAPV2_CHALLENGE_LEN 16	/* RFC 2759 §4 */
#define AUTH_MSCHAPV2_RESPONSE_LEN 49	/* peer chal 16 + 8 zero + NT 24 + flags */
#define AUTH_MSCHAPV2_AUTHRESP_LEN 42	/* "S=" + 40 hex digits */
#define AUTH_CHALLENGE_MAX 64
#define AUTH_RESPONSE_MAX 255
#define AUTH_MESSAGE_MAX 255
#define AUTH_MPPE_KEY_LEN 16

struct auth_request {
	unsigned method;		/* one PK_AUTH_* (policy.h) */
	char user[PK_PPP_NAME_MAX + 1];	/* NUL-terminated peer name */
	uint8_t chap_id;		/* CHAP Identifier of the exchange */
	uint8_t challenge[AUTH_CHALLENGE_MAX];	/* what we sent (CHAP family) */
	size_t challenge_len;
	/*
	 * PAP: the password bytes as received. CHAP-MD5: the 16-byte hash.
	 * MS-CHAPv1/v2: the 49-byte Response field.
	 */
	uint8_t response[AUTH_RESPONSE_MAX];
	size_t response_len;
};

struct auth_result {
	int ok;				/* 1 accept, 0 reject */
	/*
	 * Text for the Success/Failure packet's Message field. For an
	 * MS-CHAPv2 success, auth_verify_local() writes "S=<40 hex> M=..."
	 * (RFC 2759 §5); for an MS-CHAP failure, "E=691 R=0 C=<hex> V=3 M=..."
	 * (RFC 2759 §6). For PAP/CHAP-MD5 a plain message.
	 */
	char message[AUTH_MESSAGE_MAX + 1];
	/*
	 * MPPE master keys from the authenticator's point of view (RFC 3079
	 * §3.4 GetAsymmetricStartKey for v2, §2.4 for v1 where both are the
	 * same). Valid when have_mppe_keys. RADIUS fills them from
	 * MS-MPPE-Send-Key / MS-MPPE-Recv-Key.
	 */
	int have_mppe_keys;
	uint8_t mppe_send_key[AUTH_MPPE_KEY_LEN];
	uint8_t mppe_recv_key[AUTH_MPPE_KEY_LEN];
	/* MS-CHAPv1 only: the LM-derived key used for 40/56-bit MPPE by
	 * RFC 3079 §2.1 implementations that follow it (see mppe_keys.h). */
	int have_lm_key;
	uint8_t lm_key[8];
	/*
	 * The tunnel address the peer gets (host order), decided with the
	 * user: a static address from chap-secrets, RADIUS
	 * Framed-IP-Address, or one from the pool. 0 keeps the address the
	 * PPP link was configured with.
	 */
	uint32_t framed_ip;
};

/*
 * Verifies req against the clear-text password (UTF-8) and fills *res,
 * including the MS-CHAPv2 authenticator response and MPPE master keys.
 * Returns 0 when a decision was made (res->ok says which), or a negative
 * PK_ERR_* when req is malformed (then res->ok is 0 too).
 */
int auth_verify_local(const struct auth_request *req, const char *password,
    struct auth_result *res);

/*
 * The same from the NT password hash alone (RFC 2759 §8.3 NtPasswordHash,
 * a chap-secrets "nthash:" entry): MS-CHAPv1 and MS-CHAPv2, with the same
 * Success message and MPPE keys as for the password. PAP and CHAP-MD5 need
 * the password itself: they are refused with PK_ERR_POLICY (res->ok 0,
 * the method's Failure message), so the caller can log why.
 */
int auth_verify_nt_hash(const struct auth_request *req,
    const uint8_t nt_hash[16], struct auth_result *res);

/* Wipes secrets held in a result. */
void auth_result_wipe(struct auth_result *res);

#endif
