/*
 * mschap.h - the CHAP-family computations: CHAP-MD5 (RFC 1994), MS-CHAPv1
 * (RFC 2433) and MS-CHAPv2 (RFC 2759), for both the authenticator and the
 * peer. Function names follow the RFC pseudocode (GenerateNTResponse ->
 * mschapv2_generate_nt_response). All buffers are fixed wire sizes.
 *
 * Passwords are UTF-8, NUL-terminated; functions that take one return
 * PK_ERR_VALUE when it is not valid UTF-8 or is over 256 characters.
 */
#ifndef PK_AUTH_MSCHAP_H
#define PK_AUTH_MSCHAP_H

#include <stddef.h>
#include <stdint.h>

/* RFC 1994 §4.1: MD5(Identifier || secret || Challenge). */
void chap_md5_response(uint8_t id, const uint8_t *secret, size_t secret_len,
    const uint8_t *challenge, size_t challenge_len, uint8_t out[16]);

/* RFC 2433 §A.5 NtChallengeResponse. */
int mschapv1_nt_challenge_response(const uint8_t challenge[8],
    const char *password, uint8_t response[24]);
/* RFC 2433 §A.2 LmPasswordHash (uppercased, 14-char, OEM/ASCII). Returns
 * PK_ERR_VALUE if the password is not representable (non-ASCII). */
int mschapv1_lm_password_hash(const char *password, uint8_t hash[16]);
/* RFC 2433 §A.4 LmChallengeResponse. */
int mschapv1_lm_challenge_response(const uint8_t challenge[8],
    const char *password, uint8_t response[24]);
/* RFC 2433 §A.7 / RFC 2759 §8.5 ChallengeResponse: three DES of the
 * 21-byte zero-padded hash (shared by v1 and v2). */
void mschap_challenge_response(const uint8_t challenge[8],
    const uint8_t password_hash[16], uint8_t response[24]);

/*
 * Builds the 49-byte MS-CHAPv1 Response field (RFC 2433 §6): LM response
 * (zeros: we never send LM, as §6 recommends), NT response, use-NT flag 1.
 */
int mschapv1_build_response(const uint8_t challenge[8], const char *password,
    uint8_t response[49]);

/* RFC 2759 §8.2 ChallengeHash. user may be given as received: any
 * "DOMAIN\" prefix is stripped here (RFC 2759 §4), so every caller hashes
 * the bare account name. */
void mschapv2_challenge_hash(const uint8_t peer_challenge[16],
    const uint8_t auth_challenge[16], const char *user, uint8_t out[8]);
/* RFC 2759 §8.1 GenerateNTResponse. */
int mschapv2_generate_nt_response(const uint8_t auth_challenge[16],
    const uint8_t peer_challenge[16], const char *user, const char *password,
    uint8_t response[24]);
/* RFC 2759 §8.7 GenerateAuthenticatorResponse: writes "S=" and 40
 * uppercase hex digits, NUL-terminated (43 bytes). */
int mschapv2_generate_authenticator_response(const char *password,
    const uint8_t nt_response[24], const uint8_t peer_challenge[16],
    const uint8_t auth_challenge[16], const char *user, char out[43]);
/*
 * The same two from the NT password hash (RFC 2759 §8.3 NtPasswordHash)
 * instead of the password: all that GenerateNTResponse and
 * GenerateAuthenticatorResponse use of it, and what a chap-secrets
 * "nthash:" entry stores. They cannot fail.
 */
void mschapv2_generate_nt_response_hash(const uint8_t auth_challenge[16],
    const uint8_t peer_challenge[16], const char *user,
    const uint8_t password_hash[16], uint8_t response[24]);
void mschapv2_generate_authenticator_response_hash(
    const uint8_t password_hash[16], const uint8_t nt_response[24],
    const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
    const char *user, char out[43]);
/*
 * Peer side, RFC 2759 §8.8 CheckAuthenticatorResponse: message is the
 * Success packet's Message field (may continue with " M=..."). Returns 0
 * if it starts with the expected S=, PK_ERR_AUTH if not.
 */
int mschapv2_check_authenticator_response(const char *password,
    const uint8_t nt_response[24], const uint8_t peer_challenge[16],
    const uint8_t auth_challenge[16], const char *user, const char *message,
    size_t message_len);
/* Builds the 49-byte MS-CHAPv2 Response field (RFC 2759 §4): peer
 * challenge, 8 zero bytes, NT response, flags 0. */
int mschapv2_build_response(const uint8_t auth_challenge[16],
    const uint8_t peer_challenge[16], const char *user, const char *password,
    uint8_t response[49]);

/*
 * Failure packets (RFC 2759 §6, RFC 2433 §8): "E=%d R=%d C=<hex> V=%d M=%s".
 * Formats into out (always NUL-terminated when outlen > 0, truncated if it
 * does not fit). C= is omitted when challenge is NULL, V= when version is
 * 0 or less (RFC 2433 peers then assume 1), M= when msg is NULL. The
 * challenge is written as uppercase hex.
 */
void mschap_format_failure(int error, int retry, const uint8_t *challenge,
    size_t challenge_len, int version, const char *msg, char *out,
    size_t outlen);

struct mschap_failure {
	int error;		/* E=, e.g. 691 authentication failure */
	int retry;		/* R= */
	int version;		/* V=, 0 if absent */
	int have_challenge;
	uint8_t challenge[16];	/* C= (16 bytes v2, 8 bytes v1) */
	size_t challenge_len;
	char message[256];	/* M=, empty if absent */
};
/*
 * Parses a Failure message: msg is len bytes, not NUL-terminated (a NUL
 * ends it early). Fields are separated by spaces and may come in any
 * order; M= runs to the end of the message. Unknown fields are ignored
 * (RFC 2433 §8: "accept but ignore additional text"). C= must hold 16 or
 * 32 hex digits. Control characters in M= are replaced by '?' and it is
 * truncated to fit. Returns 0, or PK_ERR_VALUE when E= is missing or a
 * known field is malformed (then *f holds no partial result).
 */
int mschap_parse_failure(const char *msg, size_t len,
    struct mschap_failure *f);

/* The user name as MS-CHAP hashes it: anything up to and including the
 * last backslash ("DOMAIN\user") is dropped (RFC 2759 §8.2 note). */
const char *mschap_strip_domain(const char *user);

#endif
