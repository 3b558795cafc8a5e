/* crypto.c - thin wrappers over nettle for the primitives MS-CHAP and MPPE
 * need; the only file that calls nettle directly. */
#include <stdlib.h>
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/memops.h>

#include "core/buf.h"
#include "core/err.h"
#include "crypto/crypto.h"

/* Largest UTF-16LE password: 256 16-bit units (RFC 2759 §8.2, §8.3). */
#define NT_PASSWORD_MAX_BYTES (CRYPTO_PASSWORD_MAX_CHARS * 2)
#define DES7_KEY_LEN 7

void
crypto_md4(const void *data, size_t len, uint8_t out[CRYPTO_MD4_LEN])
{
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, len, data);
	md4_digest(&ctx, CRYPTO_MD4_LEN, out);
	crypto_wipe(&ctx, sizeof(ctx));
}

void
crypto_md5(const void *data, size_t len, uint8_t out[CRYPTO_MD5_LEN])
{
	struct crypto_md5 h;

	crypto_md5_init(&h);
	crypto_md5_update(&h, data, len);
	crypto_md5_final(&h, out);
}

void
crypto_sha1(const void *data, size_t len, uint8_t out[CRYPTO_SHA1_LEN])
{
	struct crypto_sha1 h;

	crypto_sha1_init(&h);
	crypto_sha1_update(&h, data, len);
	crypto_sha1_final(&h, out);
}

void
crypto_md5_init(struct crypto_md5 *h)
{
	md5_init(&h->ctx);
}

void
crypto_md5_update(struct crypto_md5 *h, const void *data, size_t len)
{
	md5_update(&h->ctx, len, data);
}

void
crypto_md5_final(struct crypto_md5 *h, uint8_t out[CRYPTO_MD5_LEN])
{
	md5_digest(&h->ctx, CRYPTO_MD5_LEN, out);
	crypto_wipe(h, sizeof(*h));
}

void
crypto_sha1_init(struct crypto_sha1 *h)
{
	sha1_init(&h->ctx);
}

void
crypto_sha1_update(struct crypto_sha1 *h, const void *data, size_t len)
{
	sha1_update(&h->ctx, len, data);
}

void
crypto_sha1_final(struct crypto_sha1 *h, uint8_t out[CRYPTO_SHA1_LEN])
{
	sha1_digest(&h->ctx, CRYPTO_SHA1_LEN, out);
	crypto_wipe(h, sizeof(*h));
}

/*
 * Decodes one UTF-8 sequence (RFC 3629 §3/§4: shortest form only, no
 * surrogates, nothing past U+10FFFF). Returns 0 or PK_ERR_VALUE.
 */
static int
utf8_next(struct buf_reader *rd, uint32_t *cp)
{
	uint8_t b, c;
	uint32_t v, min;
	int more;

	if (buf_get_u8(rd, &b) != 0)
		return PK_ERR_VALUE;
	if (b < 0x80) {
		*cp = b;
		return PK_OK;
	}
	if ((b & 0xe0) == 0xc0) {
		v = b & 0x1f;
		more = 1;
		min = 0x80;
	} else if ((b & 0xf0) == 0xe0) {
		v = b & 0x0f;
		more = 2;
		min = 0x800;
	} else if ((b & 0xf8) == 0xf0) {
		v = b & 0x07;
		more = 3;
		min = 0x10000;
	} else
		return PK_ERR_VALUE;	/* continuation byte or 0xf8..0xff */
	while (more-- > 0) {
		/* A NUL or other non-continuation byte cuts it short. */
		if (buf_get_u8(rd, &c) != 0 || (c & 0xc0) != 0x80)
			return PK_ERR_VALUE;
		v = (v << 6) | (c & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return PK_ERR_VALUE;
	*cp = v;
	return PK_OK;
}

/*
 * UTF-8 to UTF-16LE into w; fails with PK_ERR_VALUE on bad UTF-8 and when
 * the password needs more than 256 16-bit units (w's capacity).
 */
static int
utf8_to_utf16le(const char *s, struct buf_writer *w)
{
	struct buf_reader rd;
	uint32_t cp;
	int r;

	buf_reader_init(&rd, s, strlen(s));
	while (buf_remaining(&rd) > 0) {
		if ((r = utf8_next(&rd, &cp)) != 0)
			return r;
		if (cp < 0x10000) {
			if (buf_put_u16_le(w, (uint16_t)cp) != 0)
				return PK_ERR_VALUE;
			continue;
		}
		/* Outside the BMP: a surrogate pair (RFC 2781 §2.1). */
		cp -= 0x10000;
		if (buf_avail(w) < 4 ||
		    buf_put_u16_le(w, (uint16_t)(0xd800 | (cp >> 10))) != 0 ||
		    buf_put_u16_le(w, (uint16_t)(0xdc00 | (cp & 0x3ff))) != 0)
			return PK_ERR_VALUE;
	}
	return PK_OK;
}

int
crypto_nt_password_hash(const char *password, uint8_t out[16])
{
	uint8_t unicode[NT_PASSWORD_MAX_BYTES];
	struct buf_writer w;
	int r;

	buf_writer_init(&w, unicode, sizeof(unicode));
	if ((r = utf8_to_utf16le(password, &w)) != 0) {
		crypto_wipe(out, CRYPTO_NT_HASH_LEN);
		goto out;
	}
	/* RFC 2433 §A.6: no terminating zero is hashed. */
	crypto_md4(unicode, w.len, out);
 out:
	crypto_wipe(unicode, sizeof(unicode));
	return r;
}

void
crypto_hash_nt_password_hash(const uint8_t hash[16], uint8_t out[16])
{
	crypto_md4(hash, CRYPTO_NT_HASH_LEN, out);
}

void
crypto_des_encrypt_7(const uint8_t key7[7], const uint8_t clear[8],
    uint8_t cipher[8])
{
	uint8_t key[DES_KEY_SIZE];
	struct des_ctx ctx;

	/*
	 * RFC 2433 §A.4 / RFC 2759 §8.6: spread the 56 key bits over eight
	 * bytes, seven bits each in the high bits, and let nettle set the odd
	 * parity bit (RFC 2759 §9.3 shows the result).
	 */
	key[0] = key7[0];
	for (int i = 1; i < DES7_KEY_LEN; i++)
		key[i] = (uint8_t)((key7[i - 1] << (8 - i)) | (key7[i] >> i));
	key[7] = (uint8_t)(key7[6] << 1);
	des_fix_parity(DES_KEY_SIZE, key, key);
	/*
	 * des_set_key() returns 0 for the DES weak and semi-weak keys but has
	 * built the full key schedule before it checks (nettle des.c), so the
	 * context is usable. MS-CHAP must encrypt with whatever 7 bytes the
	 * hash yields: the third key of ChallengeResponse is 2 hash bytes and 5
	 * zero bytes, and nothing in RFC 2433/2759 lets us refuse a weak one.
	 * The result is deliberately ignored; test_crypto checks an all-zero
	 * key against the published DES answer for 0101010101010101.
	 */
	(void)des_set_key(&ctx, key);
	des_encrypt(&ctx, DES_BLOCK_SIZE, cipher, clear);
	crypto_wipe(&ctx, sizeof(ctx));
	crypto_wipe(key, sizeof(key));
}

void
crypto_rc4_set_key(struct crypto_rc4 *rc4, const uint8_t *key, size_t len)
{
	if (len < ARCFOUR_MIN_KEY_SIZE || len > ARCFOUR_MAX_KEY_SIZE)
		abort();
	arcfour_set_key(&rc4->ctx, len, key);
}

void
crypto_rc4_crypt(struct crypto_rc4 *rc4, uint8_t *dst, const uint8_t *src,
    size_t len)
{
	arcfour_crypt(&rc4->ctx, len, dst, src);
}

void
crypto_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		explicit_bzero(p, len);
}

int
crypto_memeq(const void *a, const void *b, size_t n)
{
	return memeql_sec(a, b, n) != 0;
}
