/* mschap.c - CHAP-MD5, MS-CHAPv1 and MS-CHAPv2 computations and the
 * MS-CHAP Failure message format (see mschap.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auth/mschap.h"
#include "core/buf.h"
#include "core/err.h"
#include "crypto/crypto.h"

#define CHALLENGE_RESPONSE_LEN 24
#define ZPASSWORD_HASH_LEN 21	/* RFC 2433 §A.7: hash zero-padded to 21 */
#define DES_KEY7_LEN 7
#define DES_BLOCK_LEN 8
#define LM_PASSWORD_MAX 14	/* RFC 2433 §A.2: 0-to-14-oem-char */
#define V1_CHALLENGE_LEN 8
#define V2_CHALLENGE_LEN 16
#define V2_RESERVED_LEN 8
#define AUTH_STRING_HEX 40	/* RFC 2759 §5: 20 octets as 40 hex digits */
#define AUTH_RESPONSE_LEN 42	/* "S=" + 40 */

/* RFC 2433 §A.3 DesHash: the known text "KGS!@#$%". */
static const uint8_t lm_std_text[DES_BLOCK_LEN] = {
	'K', 'G', 'S', '!', '@', '#', '$', '%'
};

/* RFC 2759 §8.7: "Magic server to client signing constant". */
static const uint8_t auth_magic1[39] = {
	0x4D, 0x61, 0x67, 0x69, 0x63, 0x20, 0x73, 0x65, 0x72, 0x76,
	0x65, 0x72, 0x20, 0x74, 0x6F, 0x20, 0x63, 0x6C, 0x69, 0x65,
	0x6E, 0x74, 0x20, 0x73, 0x69, 0x67, 0x6E, 0x69, 0x6E, 0x67,
	0x20, 0x63, 0x6F, 0x6E, 0x73, 0x74, 0x61, 0x6E, 0x74
};

/* RFC 2759 §8.7: "Pad to make it do more than one iteration". */
static const uint8_t auth_magic2[41] = {
	0x50, 0x61, 0x64, 0x20, 0x74, 0x6F, 0x20, 0x6D, 0x61, 0x6B,
	0x65, 0x20, 0x69, 0x74, 0x20, 0x64, 0x6F, 0x20, 0x6D, 0x6F,
	0x72, 0x65, 0x20, 0x74, 0x68, 0x61, 0x6E, 0x20, 0x6F, 0x6E,
	0x65, 0x20, 0x69, 0x74, 0x65, 0x72, 0x61, 0x74, 0x69, 0x6F,
	0x6E
};

static const char hex_upper[] = "0123456789ABCDEF";

void
chap_md5_response(uint8_t id, const uint8_t *secret, size_t secret_len,
    const uint8_t *challenge, size_t challenge_len, uint8_t out[16])
{
	struct crypto_md5 h;

	/* RFC 1994 §4.1: MD5 over Identifier || secret || Challenge Value. */
	crypto_md5_init(&h);
	crypto_md5_update(&h, &id, 1);
	crypto_md5_update(&h, secret, secret_len);
	crypto_md5_update(&h, challenge, challenge_len);
	crypto_md5_final(&h, out);
}

void
mschap_challenge_response(const uint8_t challenge[8],
    const uint8_t password_hash[16], uint8_t response[24])
{
	uint8_t z[ZPASSWORD_HASH_LEN];

	memset(z, 0, sizeof(z));
	memcpy(z, password_hash, CRYPTO_NT_HASH_LEN);
	/* Three DES keys of 7 bytes each; the third is two hash bytes and
	 * five zeros, which crypto_des_encrypt_7 must accept even if weak. */
	for (int i = 0; i < 3; i++)
		crypto_des_encrypt_7(&z[i * DES_KEY7_LEN], challenge,
		    &response[i * DES_BLOCK_LEN]);
	crypto_wipe(z, sizeof(z));
}

int
mschapv1_nt_challenge_response(const uint8_t challenge[8],
    const char *password, uint8_t response[24])
{
	uint8_t hash[CRYPTO_NT_HASH_LEN];
	int r;

	if ((r = crypto_nt_password_hash(password, hash)) == 0)
		mschap_challenge_response(challenge, hash, response);
	crypto_wipe(hash, sizeof(hash));
	return r;
}

int
mschapv1_lm_password_hash(const char *password, uint8_t hash[16])
{
	uint8_t upper[LM_PASSWORD_MAX];
	size_t n = strlen(password);
	int r = PK_ERR_VALUE;

	memset(upper, 0, sizeof(upper));
	/*
	 * RFC 2433 §A.2 takes 0 to 14 OEM characters. We only know ASCII
	 * for sure (the OEM code page is the client's), and a longer
	 * password has no LM form, so both are refused rather than guessed.
	 */
	if (n > LM_PASSWORD_MAX)
		goto out;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)password[i];

		if (c >= 0x80)
			goto out;
		if (c >= 'a' && c <= 'z')
			c = (uint8_t)(c - 'a' + 'A');
		upper[i] = c;
	}
	/* RFC 2433 §A.3 DesHash of each 7-byte half. */
	crypto_des_encrypt_7(&upper[0], lm_std_text, &hash[0]);
	crypto_des_encrypt_7(&upper[DES_KEY7_LEN], lm_std_text,
	    &hash[DES_BLOCK_LEN]);
	r = PK_OK;
 out:
	crypto_wipe(upper, sizeof(upper));
	return r;
}

int
mschapv1_lm_challenge_response(const uint8_t challenge[8],
    const char *password, uint8_t response[24])
{
	uint8_t hash[CRYPTO_NT_HASH_LEN];
	int r;

	if ((r = mschapv1_lm_password_hash(password, hash)) == 0)
		mschap_challenge_response(challenge, hash, response);
	crypto_wipe(hash, sizeof(hash));
	return r;
}

int
mschapv1_build_response(const uint8_t challenge[8], const char *password,
    uint8_t response[49])
{
	uint8_t nt[CHALLENGE_RESPONSE_LEN];
	struct buf_writer w;
	int r;

	if ((r = mschapv1_nt_challenge_response(challenge, password, nt)) != 0)
		goto out;
	/* RFC 2433 §6: LM response (zero-filled), NT response, use-NT. */
	buf_writer_init(&w, response, 49);
	if ((r = buf_put_zero(&w, CHALLENGE_RESPONSE_LEN)) != 0 ||
	    (r = buf_put_bytes(&w, nt, sizeof(nt))) != 0 ||
	    (r = buf_put_u8(&w, 1)) != 0)
		goto out;
 out:
	crypto_wipe(nt, sizeof(nt));
	return r;
}

const char *
mschap_strip_domain(const char *user)
{
	const char *bs = strrchr(user, '\\');

	return bs != NULL ? bs + 1 : user;
}

void
mschapv2_challenge_hash(const uint8_t peer_challenge[16],
    const uint8_t auth_challenge[16], const char *user, uint8_t out[8])
{
	uint8_t digest[CRYPTO_SHA1_LEN];
	struct crypto_sha1 h;
	const char *name = mschap_strip_domain(user);

	/* RFC 2759 §8.2: SHA-1(PeerChallenge || AuthChallenge || UserName). */
	crypto_sha1_init(&h);
	crypto_sha1_update(&h, peer_challenge, V2_CHALLENGE_LEN);
	crypto_sha1_update(&h, auth_challenge, V2_CHALLENGE_LEN);
	crypto_sha1_update(&h, name, strlen(name));
	crypto_sha1_final(&h, digest);
	memcpy(out, digest, V1_CHALLENGE_LEN);
	crypto_wipe(digest, sizeof(digest));
}

void
mschapv2_generate_nt_response_hash(const uint8_t auth_challenge[16],
    const uint8_t peer_challenge[16], const char *user,
    const uint8_t password_hash[16], uint8_t response[24])
{
	uint8_t challenge[V1_CHALLENGE_LEN];

	/* RFC 2759 §8.1 from its second step: ChallengeResponse over the
	 * ChallengeHash with the NtPasswordHash already known. */
	mschapv2_challenge_hash(peer_challenge, auth_challenge, user,
	    challenge);
	mschap_challenge_response(challenge, password_hash, response);
	crypto_wipe(challenge, sizeof(challenge));
}

int
mschapv2_generate_nt_response(const uint8_t auth_challenge[16],
    const uint8_t peer_challenge[16], const char *user, const char *password,
    uint8_t response[24])
{
	uint8_t hash[CRYPTO_NT_HASH_LEN];
	int r;

	/* RFC 2759 §8.1. */
	if ((r = crypto_nt_password_hash(password, hash)) == 0)
		mschapv2_generate_nt_response_hash(auth_challenge,
		    peer_challenge, user, hash, response);
	crypto_wipe(hash, sizeof(hash));
	return r;
}

void
mschapv2_generate_authenticator_response_hash(
    const uint8_t password_hash[16], const uint8_t nt_response[24],
    const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
    const char *user, char out[43])
{
	uint8_t hash_hash[CRYPTO_NT_HASH_LEN];
	uint8_t digest[CRYPTO_SHA1_LEN], challenge[V1_CHALLENGE_LEN];
	struct crypto_sha1 h;

	/* RFC 2759 §8.7: only the hash of the password takes part. */
	crypto_hash_nt_password_hash(password_hash, hash_hash);

	crypto_sha1_init(&h);
	crypto_sha1_update(&h, hash_hash, sizeof(hash_hash));
	crypto_sha1_update(&h, nt_response, CHALLENGE_RESPONSE_LEN);
	crypto_sha1_update(&h, auth_magic1, sizeof(auth_magic1));
	crypto_sha1_final(&h, digest);

	mschapv2_challenge_hash(peer_challenge, auth_challenge, user,
	    challenge);

	crypto_sha1_init(&h);
	crypto_sha1_update(&h, digest, sizeof(digest));
	crypto_sha1_update(&h, challenge, sizeof(challenge));
	crypto_sha1_update(&h, auth_magic2, sizeof(auth_magic2));
	crypto_sha1_final(&h, digest);

	/* "S=" and 40 hex digits, A-F uppercase (RFC 2759 §5). */
	out[0] = 'S';
	out[1] = '=';
	for (size_t i = 0; i < CRYPTO_SHA1_LEN; i++) {
		out[2 + 2 * i] = hex_upper[digest[i] >> 4];
		out[3 + 2 * i] = hex_upper[digest[i] & 0x0f];
	}
	out[AUTH_RESPONSE_LEN] = '\0';
	crypto_wipe(hash_hash, sizeof(hash_hash));
	crypto_wipe(digest, sizeof(digest));
}

int
mschapv2_generate_authenticator_response(const char *password,
    const uint8_t nt_response[24], const uint8_t peer_challenge[16],
    const uint8_t auth_challenge[16], const char *user, char out[43])
{
	uint8_t hash[CRYPTO_NT_HASH_LEN];
	int r;

	/* RFC 2759 §8.7. */
	if ((r = crypto_nt_password_hash(password, hash)) != 0)
		memset(out, 0, AUTH_RESPONSE_LEN + 1);
	else
		mschapv2_generate_authenticator_response_hash(hash,
		    nt_response, peer_challenge, auth_challenge, user, out);
	crypto_wipe(hash, sizeof(hash));
	return r;
}

int
mschapv2_check_authenticator_response(const char *password,
    const uint8_t nt_response[24], const uint8_t peer_challenge[16],
    const uint8_t auth_challenge[16], const char *user, const char *message,
    size_t message_len)
{
	char want[AUTH_RESPONSE_LEN + 1];
	struct buf_reader rd;
	const uint8_t *got;
	int r;

	/* RFC 2759 §8.8; a missing or short S= fails like a wrong one. */
	buf_reader_init(&rd, message, message_len);
	if (buf_get_ptr(&rd, &got, AUTH_RESPONSE_LEN) != 0)
		return PK_ERR_AUTH;
	if ((r = mschapv2_generate_authenticator_response(password,
	    nt_response, peer_challenge, auth_challenge, user, want)) != 0)
		return r;
	r = crypto_memeq(got, want, AUTH_RESPONSE_LEN) ? PK_OK : PK_ERR_AUTH;
	crypto_wipe(want, sizeof(want));
	return r;
}

int
mschapv2_build_response(const uint8_t auth_challenge[16],
    const uint8_t peer_challenge[16], const char *user, const char *password,
    uint8_t response[49])
{
	uint8_t nt[CHALLENGE_RESPONSE_LEN];
	struct buf_writer w;
	int r;

	if ((r = mschapv2_generate_nt_response(auth_challenge, peer_challenge,
	    user, password, nt)) != 0)
		goto out;
	/* RFC 2759 §4: Peer-Challenge, 8 reserved zeros, NT-Response, Flags. */
	buf_writer_init(&w, response, 49);
	if ((r = buf_put_bytes(&w, peer_challenge, V2_CHALLENGE_LEN)) != 0 ||
	    (r = buf_put_zero(&w, V2_RESERVED_LEN)) != 0 ||
	    (r = buf_put_bytes(&w, nt, sizeof(nt))) != 0 ||
	    (r = buf_put_u8(&w, 0)) != 0)
		goto out;
 out:
	crypto_wipe(nt, sizeof(nt));
	return r;
}

/* snprintf-style append at *pos; keeps out NUL-terminated. */
static void
append(char *out, size_t outlen, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
append(char *out, size_t outlen, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= outlen)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out + *pos, outlen - *pos, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*pos = (size_t)n >= outlen - *pos ? outlen : *pos + (size_t)n;
}

void
mschap_format_failure(int error, int retry, const uint8_t *challenge,
    size_t challenge_len, int version, const char *msg, char *out,
    size_t outlen)
{
	size_t pos = 0;

	if (out == NULL || outlen == 0)
		return;
	out[0] = '\0';
	append(out, outlen, &pos, "E=%d R=%d", error, retry);
	if (challenge != NULL) {
		append(out, outlen, &pos, " C=");
		for (size_t i = 0; i < challenge_len; i++)
			append(out, outlen, &pos, "%c%c",
			    hex_upper[challenge[i] >> 4],
			    hex_upper[challenge[i] & 0x0f]);
	}
	if (version > 0)
		append(out, outlen, &pos, " V=%d", version);
	if (msg != NULL)
		append(out, outlen, &pos, " M=%s", msg);
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A decimal field: 1 to 9 digits, so it always fits in an int. */
static int
parse_decimal(struct buf_reader *v, int *out)
{
	uint8_t c;
	int n = 0, digits = 0;

	while (buf_get_u8(v, &c) == 0) {
		if (c < '0' || c > '9' || ++digits > 9)
			return PK_ERR_VALUE;
		n = n * 10 + (c - '0');
	}
	if (digits == 0)
		return PK_ERR_VALUE;
	*out = n;
	return PK_OK;
}

/* C=: 16 hex digits (MS-CHAPv1, RFC 2433 §8) or 32 (v2, RFC 2759 §6). */
static int
parse_challenge(struct buf_reader *v, struct mschap_failure *f)
{
	size_t n = buf_remaining(v);
	uint8_t hi, lo;
	int h, l;

	if (n != 2 * V1_CHALLENGE_LEN && n != 2 * V2_CHALLENGE_LEN)
		return PK_ERR_VALUE;
	for (size_t i = 0; i < n / 2; i++) {
		if (buf_get_u8(v, &hi) != 0 || buf_get_u8(v, &lo) != 0 ||
		    (h = hexval(hi)) < 0 || (l = hexval(lo)) < 0)
			return PK_ERR_VALUE;
		f->challenge[i] = (uint8_t)(h << 4 | l);
	}
	f->challenge_len = n / 2;
	f->have_challenge = 1;
	return PK_OK;
}

/* M=: the rest of the message, made safe to log, truncated to fit. */
static void
parse_message(struct buf_reader *v, struct mschap_failure *f)
{
	size_t n = 0;
	uint8_t c;

	while (n < sizeof(f->message) - 1 && buf_get_u8(v, &c) == 0)
		f->message[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	f->message[n] = '\0';
}

int
mschap_parse_failure(const char *msg, size_t len, struct mschap_failure *f)
{
	struct mschap_failure tmp;
	struct buf_reader rd, val;
	const void *nul;
	int have_error = 0, r = PK_OK;
	uint8_t c, key;

	memset(&tmp, 0, sizeof(tmp));
	/* The field is counted, not terminated; a NUL (some peers send one)
	 * ends it. */
	if (msg == NULL)
		len = 0;
	if (len > 0 && (nul = memchr(msg, '\0', len)) != NULL)
		len = (size_t)((const char *)nul - msg);
	buf_reader_init(&rd, msg, len);

	while (buf_remaining(&rd) > 0) {
		size_t tok;

		if (buf_peek_u8(&rd, 0, &c) == 0 && c == ' ') {
			(void)buf_skip(&rd, 1);
			continue;
		}
		/* One token runs to the next space. */
		for (tok = 0; buf_peek_u8(&rd, tok, &c) == 0 && c != ' '; tok++)
			;
		if (tok < 2 || buf_peek_u8(&rd, 1, &c) != 0 || c != '=') {
			(void)buf_skip(&rd, tok);	/* unknown text */
			continue;
		}
		(void)buf_get_u8(&rd, &key);
		(void)buf_skip(&rd, 1);
		if (key == 'M') {
			/* M= is last (RFC 2759 §6) and may contain spaces. */
			(void)buf_get_sub(&rd, buf_remaining(&rd), &val);
			parse_message(&val, &tmp);
			break;
		}
		(void)buf_get_sub(&rd, tok - 2, &val);
		switch (key) {
		case 'E':
			r = parse_decimal(&val, &tmp.error);
			have_error = 1;
			break;
		case 'R':
			r = parse_decimal(&val, &tmp.retry);
			break;
		case 'V':
			r = parse_decimal(&val, &tmp.version);
			break;
		case 'C':
			r = parse_challenge(&val, &tmp);
			break;
		default:
			break;	/* an X= we do not know: ignore */
		}
		if (r != 0)
			goto out;
	}
	r = have_error ? PK_OK : PK_ERR_VALUE;
 out:
	if (r == PK_OK)
		*f = tmp;
	else
		memset(f, 0, sizeof(*f));
	return r;
}
