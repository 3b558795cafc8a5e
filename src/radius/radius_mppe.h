/*
 * radius_mppe.h - the two attribute ciphers of RADIUS: the User-Password
 * hiding of RFC 2865 §5.2 (also used for MS-CHAP-MPPE-Keys, RFC 2548
 * §2.4.1) and the salted form of RFC 2548 §2.4.2/§2.4.3 that carries
 * MS-MPPE-Send-Key and MS-MPPE-Recv-Key.
 *
 * Both are MD5-based stream ciphers keyed with the shared secret and the
 * Access-Request's Request Authenticator; they hide the values from
 * eavesdroppers who do not know the secret and nothing more (no
 * integrity: that is the Response Authenticator's and the
 * Message-Authenticator's job).
 */
#ifndef PK_RADIUS_RADIUS_MPPE_H
#define PK_RADIUS_RADIUS_MPPE_H

#include <stddef.h>
#include <stdint.h>

#include "radius/radius_proto.h"

/*
 * RFC 2865 §5.2: pads the password with zero octets to a multiple of 16
 * (at least 16) and hides it. pw_len is 0 to 128; out receives the
 * padded length (16 to 128) in *out_len. Returns 0 or PK_ERR_LENGTH.
 */
int radius_password_hide(const uint8_t *pw, size_t pw_len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t out[RADIUS_PASSWORD_MAX], size_t *out_len);
/*
 * The reverse: in_len must be a multiple of 16 between 16 and 128
 * (PK_ERR_LENGTH otherwise). out receives all in_len octets, padding
 * included; callers that want the password strip trailing zero octets.
 */
int radius_password_unhide(const uint8_t *in, size_t in_len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t out[RADIUS_PASSWORD_MAX]);

/*
 * RFC 2548 §2.4.2: encrypts a key (1 to 240 octets) with the given salt
 * (whose high bit must be set) into out: Salt, then the hidden
 * Key-Length, Key and zero padding. *out_len is 2 + a multiple of 16.
 * Returns 0, PK_ERR_VALUE (salt) , PK_ERR_LENGTH or PK_ERR_SPACE.
 */
int radius_mppe_key_encrypt(const uint8_t *key, size_t key_len,
    const uint8_t salt[RADIUS_MPPE_SALT_LEN],
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t *out, size_t cap, size_t *out_len);
/*
 * Decrypts the value of an MS-MPPE-Send-Key or -Recv-Key sub-attribute.
 * Returns 0 with the key in key[0..*key_len), or:
 *   PK_ERR_LENGTH  value not Salt + a non-zero multiple of 16 octets, or
 *                  a Key-Length longer than the decrypted data
 *   PK_ERR_VALUE   the Salt's high bit is clear (§2.4.2: MUST be set)
 *   PK_ERR_SPACE   the key is longer than cap
 * key is wiped on error.
 */
int radius_mppe_key_decrypt(const uint8_t *value, size_t len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t *key, size_t cap, size_t *key_len);

/*
 * RFC 2548 §2.4.1 MS-CHAP-MPPE-Keys: 32 hidden octets, LM-Key (8) then
 * NT-Key (16) then padding. FreeRADIUS, like Windows, puts the NT
 * password hash's hash there rather than the RFC's "hashed NT password";
 * it is the input RFC 3079 §2.4 needs either way. Returns 0 or
 * PK_ERR_LENGTH; keys are wiped on error.
 */
int radius_mschap_mppe_keys_decrypt(const uint8_t *value, size_t len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t lm_key[RADIUS_MS_CHAP_MPPE_LM_KEY_LEN],
    uint8_t nt_key[RADIUS_MS_CHAP_MPPE_NT_KEY_LEN]);
/* The inverse, for tests and test servers. out is 32 octets. */
void radius_mschap_mppe_keys_encrypt(
    const uint8_t lm_key[RADIUS_MS_CHAP_MPPE_LM_KEY_LEN],
    const uint8_t nt_key[RADIUS_MS_CHAP_MPPE_NT_KEY_LEN],
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t out[RADIUS_MS_CHAP_MPPE_KEYS_LEN]);

#endif
