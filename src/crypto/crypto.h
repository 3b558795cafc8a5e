/*
 * crypto.h - the primitives pptpkit needs, as thin wrappers over nettle:
 * MD4, MD5, SHA-1, DES (with MS-CHAP's 7-to-8-byte key expansion), RC4 and
 * the NT password hash. Nothing here is hand-written cryptography.
 */
#ifndef PK_CRYPTO_CRYPTO_H
#define PK_CRYPTO_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/arcfour.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>

#define CRYPTO_MD4_LEN 16
#define CRYPTO_MD5_LEN 16
#define CRYPTO_SHA1_LEN 20
#define CRYPTO_NT_HASH_LEN 16
/* RFC 2759 §8.2: passwords are at most 256 Unicode characters. */
#define CRYPTO_PASSWORD_MAX_CHARS 256

void crypto_md4(const void *data, size_t len, uint8_t out[CRYPTO_MD4_LEN]);
void crypto_md5(const void *data, size_t len, uint8_t out[CRYPTO_MD5_LEN]);
void crypto_sha1(const void *data, size_t len, uint8_t out[CRYPTO_SHA1_LEN]);

/*
 * Streaming MD5 and SHA-1, for the RFC constructions that hash several
 * fields in a row (CHAP's Identifier || secret || Challenge, RFC 3079's
 * key || pad || key || pad) without first copying secrets into one
 * buffer. _final writes the digest and wipes the context, which may then
 * be reused after another _init.
 */
struct crypto_md5 {
	struct md5_ctx ctx;
};
void crypto_md5_init(struct crypto_md5 *h);
void crypto_md5_update(struct crypto_md5 *h, const void *data, size_t len);
void crypto_md5_final(struct crypto_md5 *h, uint8_t out[CRYPTO_MD5_LEN]);

struct crypto_sha1 {
	struct sha1_ctx ctx;
};
void crypto_sha1_init(struct crypto_sha1 *h);
void crypto_sha1_update(struct crypto_sha1 *h, const void *data, size_t len);
void crypto_sha1_final(struct crypto_sha1 *h, uint8_t out[CRYPTO_SHA1_LEN]);

/*
 * RFC 2759 §8.3 NtPasswordHash: MD4 over the password in UTF-16LE.
 * password is UTF-8 (non-ASCII allowed; characters outside the BMP become
 * surrogate pairs). Returns 0, or PK_ERR_VALUE for invalid UTF-8 (bad or
 * truncated sequences, overlong forms, encoded surrogates, values past
 * U+10FFFF) or more than 256 characters. Characters are counted as the
 * RFC's "unicode-char", a 16-bit Windows WCHAR: a character outside the
 * BMP counts twice. out is wiped on error.
 */
int crypto_nt_password_hash(const char *password, uint8_t out[16]);

/* RFC 2759 §8.4 HashNtPasswordHash: MD4 of the 16-byte hash. */
void crypto_hash_nt_password_hash(const uint8_t hash[16], uint8_t out[16]);

/*
 * RFC 2759 §8.6 DesEncrypt: DES-ECB of one 8-byte block with a 7-byte key
 * expanded to 8 bytes with parity (weak keys are accepted, as the RFC
 * requires).
 */
void crypto_des_encrypt_7(const uint8_t key7[7], const uint8_t clear[8],
    uint8_t cipher[8]);

/* RC4 as a streaming context (nettle's arcfour). len is 1 to 256 bytes
 * (a caller passing anything else is a bug: the process aborts). */
struct crypto_rc4 {
	struct arcfour_ctx ctx;
};
void crypto_rc4_set_key(struct crypto_rc4 *rc4, const uint8_t *key,
    size_t len);
void crypto_rc4_crypt(struct crypto_rc4 *rc4, uint8_t *dst,
    const uint8_t *src, size_t len);

/* explicit_bzero: a wipe the compiler may not remove. */
void crypto_wipe(void *p, size_t len);

/* Constant-time comparison of two n-byte buffers (nettle's memeql_sec):
 * returns 1 if equal, 0 if not, in time that depends only on n. */
int crypto_memeq(const void *a, const void *b, size_t n);

#endif
