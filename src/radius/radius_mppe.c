/*
 * radius_mppe.c - User-Password hiding (RFC 2865 §5.2) and the salted
 * key encryption of RFC 2548 §2.4.2 (see radius_mppe.h).
 *
 * Both are the same chain over 16-octet blocks:
 *   b(1) = MD5(S + R [+ A]), c(1) = p(1) xor b(1)
 *   b(i) = MD5(S + c(i-1)),  c(i) = p(i) xor b(i)
 * where S is the secret, R the Request Authenticator and A the salt
 * (RFC 2548 only). Decryption feeds the ciphertext block, not the
 * plaintext, into the next MD5.
 */
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "crypto/crypto.h"
#include "radius/radius_mppe.h"

#define BLOCK RADIUS_PASSWORD_BLOCK

/*
 * Runs the chain over n octets (a multiple of 16) from in to out (which
 * may alias). salt may be NULL. decrypt selects which side feeds the
 * next block's hash.
 */
static void
md5_chain(const uint8_t *secret, size_t secret_len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *salt,
    const uint8_t *in, uint8_t *out, size_t n, int decrypt)
{
	uint8_t b[BLOCK], prev[BLOCK];
	struct crypto_md5 h;

	for (size_t off = 0; off < n; off += BLOCK) {
		crypto_md5_init(&h);
		crypto_md5_update(&h, secret, secret_len);
		if (off == 0) {
			crypto_md5_update(&h, req_auth, RADIUS_AUTH_LEN);
			if (salt != NULL)
				crypto_md5_update(&h, salt,
				    RADIUS_MPPE_SALT_LEN);
		} else
			crypto_md5_update(&h, prev, BLOCK);
		crypto_md5_final(&h, b);
		for (size_t i = 0; i < BLOCK; i++) {
			uint8_t c = in[off + i];

			out[off + i] = (uint8_t)(c ^ b[i]);
			/* The ciphertext block keys the next one. */
			prev[i] = decrypt ? c : out[off + i];
		}
	}
	crypto_wipe(b, sizeof(b));
	crypto_wipe(prev, sizeof(prev));
}

int
radius_password_hide(const uint8_t *pw, size_t pw_len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t out[RADIUS_PASSWORD_MAX], size_t *out_len)
{
	size_t n;

	if (pw_len > RADIUS_PASSWORD_MAX)
		return PK_ERR_LENGTH;
	n = pw_len == 0 ? BLOCK : (pw_len + BLOCK - 1) / BLOCK * BLOCK;
	memset(out, 0, n);
	if (pw_len > 0)
		memcpy(out, pw, pw_len);
	md5_chain(secret, secret_len, req_auth, NULL, out, out, n, 0);
	*out_len = n;
	return PK_OK;
}

int
radius_password_unhide(const uint8_t *in, size_t in_len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t out[RADIUS_PASSWORD_MAX])
{
	if (in_len < BLOCK || in_len > RADIUS_PASSWORD_MAX ||
	    in_len % BLOCK != 0)
		return PK_ERR_LENGTH;
	md5_chain(secret, secret_len, req_auth, NULL, in, out, in_len, 1);
	return PK_OK;
}

int
radius_mppe_key_encrypt(const uint8_t *key, size_t key_len,
    const uint8_t salt[RADIUS_MPPE_SALT_LEN],
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t plain[RADIUS_VSA_VALUE_MAX];
	struct buf_writer w;
	uint8_t *cipher;
	size_t n;
	int r;

	if ((salt[0] & RADIUS_MPPE_SALT_HIGH_BIT) == 0)
		return PK_ERR_VALUE;
	if (key_len == 0 || key_len > RADIUS_MPPE_KEY_MAX)
		return PK_ERR_LENGTH;
	/* Key-Length + Key, zero-padded to whole blocks. */
	n = (1 + key_len + BLOCK - 1) / BLOCK * BLOCK;
	memset(plain, 0, n);
	plain[0] = (uint8_t)key_len;
	memcpy(&plain[1], key, key_len);
	buf_writer_init(&w, out, cap);
	if ((r = buf_put_bytes(&w, salt, RADIUS_MPPE_SALT_LEN)) != 0 ||
	    (r = buf_put_reserve(&w, n, &cipher)) != 0)
		goto out;
	md5_chain(secret, secret_len, req_auth, salt, plain, cipher, n, 0);
	*out_len = w.len;
 out:
	crypto_wipe(plain, sizeof(plain));
	return r;
}

int
radius_mppe_key_decrypt(const uint8_t *value, size_t len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t *key, size_t cap, size_t *key_len)
{
	uint8_t plain[RADIUS_VSA_VALUE_MAX];
	const uint8_t *salt, *cipher;
	struct buf_reader rd;
	size_t n;
	int r = PK_ERR_LENGTH;

	*key_len = 0;
	buf_reader_init(&rd, value, len);
	if (len < RADIUS_MPPE_SALT_LEN + BLOCK ||
	    len > RADIUS_VSA_VALUE_MAX ||
	    (len - RADIUS_MPPE_SALT_LEN) % BLOCK != 0 ||
	    buf_get_ptr(&rd, &salt, RADIUS_MPPE_SALT_LEN) != 0)
		return PK_ERR_LENGTH;
	if ((salt[0] & RADIUS_MPPE_SALT_HIGH_BIT) == 0)
		return PK_ERR_VALUE;
	n = buf_remaining(&rd);
	if (buf_get_ptr(&rd, &cipher, n) != 0)
		return PK_ERR_LENGTH;
	md5_chain(secret, secret_len, req_auth, salt, cipher, plain, n, 1);
	/* A wrong secret shows here first: Key-Length is noise. */
	if (plain[0] == 0 || plain[0] > n - 1)
		goto out;
	if (plain[0] > cap) {
		r = PK_ERR_SPACE;
		goto out;
	}
	memcpy(key, &plain[1], plain[0]);
	*key_len = plain[0];
	r = PK_OK;
 out:
	crypto_wipe(plain, sizeof(plain));
	return r;
}

int
radius_mschap_mppe_keys_decrypt(const uint8_t *value, size_t len,
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t lm_key[RADIUS_MS_CHAP_MPPE_LM_KEY_LEN],
    uint8_t nt_key[RADIUS_MS_CHAP_MPPE_NT_KEY_LEN])
{
	uint8_t plain[RADIUS_PASSWORD_MAX];
	struct buf_reader rd;
	int r;

	if (len != RADIUS_MS_CHAP_MPPE_KEYS_LEN)
		return PK_ERR_LENGTH;
	if ((r = radius_password_unhide(value, len, req_auth, secret,
	    secret_len, plain)) != 0)
		goto out;
	buf_reader_init(&rd, plain, len);
	if ((r = buf_get_bytes(&rd, lm_key,
	    RADIUS_MS_CHAP_MPPE_LM_KEY_LEN)) != 0 ||
	    (r = buf_get_bytes(&rd, nt_key,
	    RADIUS_MS_CHAP_MPPE_NT_KEY_LEN)) != 0) {
		crypto_wipe(lm_key, RADIUS_MS_CHAP_MPPE_LM_KEY_LEN);
		crypto_wipe(nt_key, RADIUS_MS_CHAP_MPPE_NT_KEY_LEN);
	}
 out:
	crypto_wipe(plain, sizeof(plain));
	return r;
}

void
radius_mschap_mppe_keys_encrypt(
    const uint8_t lm_key[RADIUS_MS_CHAP_MPPE_LM_KEY_LEN],
    const uint8_t nt_key[RADIUS_MS_CHAP_MPPE_NT_KEY_LEN],
    const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *secret,
    size_t secret_len, uint8_t out[RADIUS_MS_CHAP_MPPE_KEYS_LEN])
{
	memset(out, 0, RADIUS_MS_CHAP_MPPE_KEYS_LEN);
	memcpy(out, lm_key, RADIUS_MS_CHAP_MPPE_LM_KEY_LEN);
	memcpy(&out[RADIUS_MS_CHAP_MPPE_LM_KEY_LEN], nt_key,
	    RADIUS_MS_CHAP_MPPE_NT_KEY_LEN);
	md5_chain(secret, secret_len, req_auth, NULL, out, out,
	    RADIUS_MS_CHAP_MPPE_KEYS_LEN, 0);
}
