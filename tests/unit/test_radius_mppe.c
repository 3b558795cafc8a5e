/*
 * test_radius_mppe.c - the RADIUS attribute ciphers: User-Password
 * hiding (RFC 2865 §5.2), MS-CHAP-MPPE-Keys (RFC 2548 §2.4.1) and the
 * salted MS-MPPE-Send/Recv-Key encryption (RFC 2548 §2.4.2), against a
 * published vector (OpenBSD's libradius regression test 25) and vectors
 * computed independently with Python's hashlib (bytes committed here),
 * plus round trips and every refusal.
 */
#include "core/err.h"
#include "core/rand.h"
#include "radius/radius_mppe.h"
#include "test.h"

#define SECRET "testing123"
#define SECRET_LEN 10

static const uint8_t ra[16] = {
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

static const uint8_t *
sec(const char *s)
{
	return (const uint8_t *)s;
}

/*
 * OpenBSD src/regress/lib/libradius test25: secret "hogehogefugafuga",
 * the Request Authenticator and MS-MPPE key attribute value below
 * decrypt to fc6ea418... (16 octets).
 */
static void
test_published_vector(void)
{
	uint8_t rauth[16], enc[64], key[64], want[16], again[64];
	size_t n, klen, elen;

	test_unhex("678ae6ed696e1bd10ae2fea105d46a56", rauth, sizeof(rauth));
	n = test_unhex("8036"
	    "f4abbe2117fb3e4a7874dce91c5b0449"
	    "8ec7720f168688562dbc88e21cab6271", enc, sizeof(enc));
	test_unhex("fc6ea418373d8e90c136fae3735e37d1", want, sizeof(want));
	CHECK_INT(radius_mppe_key_decrypt(enc, n, rauth,
	    sec("hogehogefugafuga"), 16, key, sizeof(key), &klen), PK_OK);
	CHECK_INT(klen, 16);
	CHECK_MEM(key, want, 16);
	/* Encrypting it again with the same salt gives the same bytes
	 * (the padding there is zeros, as the RFC recommends). */
	CHECK_INT(radius_mppe_key_encrypt(want, 16, enc, rauth,
	    sec("hogehogefugafuga"), 16, again, sizeof(again), &elen), PK_OK);
	CHECK_INT(elen, n);
	CHECK_MEM(again, enc, n);
}

static void
test_python_vectors(void)
{
	uint8_t want[64], got[RADIUS_PASSWORD_MAX], key[16], lm[8], nt[16];
	uint8_t nt_want[16];
	size_t n, glen, klen;
	static const char pw[] = "a password of 21 char";

	n = test_unhex("dbaeac267d97139408f37ad5dfe99787"
	    "bfc530238a47980bc9db680523948078", want, sizeof(want));
	CHECK_INT(radius_password_hide((const uint8_t *)pw, 21, ra,
	    sec(SECRET), SECRET_LEN, got, &glen), PK_OK);
	CHECK_INT(glen, 32);
	CHECK_MEM(got, want, n);
	CHECK_INT(radius_password_unhide(want, n, ra, sec(SECRET), SECRET_LEN,
	    got), PK_OK);
	CHECK_MEM(got, pw, 21);
	CHECK_INT(got[21], 0);
	CHECK_INT(got[31], 0);

	/* MS-CHAP-MPPE-Keys: zero LM key, RFC 2759 §9.2's
	 * PasswordHashHash as NT key. */
	n = test_unhex("ba8edc470ee464fb3b5756e2f21b7caa"
	    "074fbf799ad2c3c917eea2c246b41e8b", want, sizeof(want));
	test_unhex("41c00c584bd2d91c4017a2a12fa59f3f", nt_want,
	    sizeof(nt_want));
	CHECK_INT(radius_mschap_mppe_keys_decrypt(want, n, ra, sec(SECRET),
	    SECRET_LEN, lm, nt), PK_OK);
	CHECK_MEM(nt, nt_want, 16);
	CHECK_MEM(lm, "\0\0\0\0\0\0\0\0", 8);
	memset(lm, 0, sizeof(lm));
	radius_mschap_mppe_keys_encrypt(lm, nt_want, ra, sec(SECRET),
	    SECRET_LEN, got);
	CHECK_MEM(got, want, 32);
	CHECK_INT(radius_mschap_mppe_keys_decrypt(want, 31, ra, sec(SECRET),
	    SECRET_LEN, lm, nt), PK_ERR_LENGTH);

	/* MS-MPPE-Send-Key, salt 81 23. */
	n = test_unhex("8123adeceda47f7f1ab8b1ac6211339b"
	    "cbda5ec7c42724c1310b888d7381cda75519", want, sizeof(want));
	CHECK_INT(n, 34);
	CHECK_INT(radius_mppe_key_decrypt(want, n, ra, sec(SECRET),
	    SECRET_LEN, key, sizeof(key), &klen), PK_OK);
	CHECK_INT(klen, 16);
	test_unhex("8b7cdc149b993a1ba118cb153f56dcd3", nt_want,
	    sizeof(nt_want));
	CHECK_MEM(key, nt_want, 16);
}

static void
test_password_bounds(void)
{
	uint8_t pw[RADIUS_PASSWORD_MAX + 1], out[RADIUS_PASSWORD_MAX];
	uint8_t back[RADIUS_PASSWORD_MAX];
	size_t n;

	memset(pw, 'p', sizeof(pw));
	/* Empty: one block of zeros, hidden. */
	CHECK_INT(radius_password_hide(pw, 0, ra, sec(SECRET), SECRET_LEN,
	    out, &n), PK_OK);
	CHECK_INT(n, 16);
	CHECK_INT(radius_password_unhide(out, n, ra, sec(SECRET), SECRET_LEN,
	    back), PK_OK);
	CHECK_MEM(back, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	for (size_t len = 1; len <= RADIUS_PASSWORD_MAX; len += 7) {
		CHECK_INT(radius_password_hide(pw, len, ra, sec(SECRET),
		    SECRET_LEN, out, &n), PK_OK);
		CHECK_INT(n, (len + 15) / 16 * 16);
		CHECK_INT(radius_password_unhide(out, n, ra, sec(SECRET),
		    SECRET_LEN, back), PK_OK);
		CHECK_MEM(back, pw, len);
	}
	CHECK_INT(radius_password_hide(pw, RADIUS_PASSWORD_MAX, ra,
	    sec(SECRET), SECRET_LEN, out, &n), PK_OK);
	CHECK_INT(n, RADIUS_PASSWORD_MAX);
	CHECK_INT(radius_password_hide(pw, RADIUS_PASSWORD_MAX + 1, ra,
	    sec(SECRET), SECRET_LEN, out, &n), PK_ERR_LENGTH);
	CHECK_INT(radius_password_unhide(out, 15, ra, sec(SECRET), SECRET_LEN,
	    back), PK_ERR_LENGTH);
	CHECK_INT(radius_password_unhide(out, 17, ra, sec(SECRET), SECRET_LEN,
	    back), PK_ERR_LENGTH);
	CHECK_INT(radius_password_unhide(out, 0, ra, sec(SECRET), SECRET_LEN,
	    back), PK_ERR_LENGTH);
}

static void
test_mppe_round_trip(void)
{
	uint8_t key[RADIUS_MPPE_KEY_MAX], enc[RADIUS_VSA_VALUE_MAX];
	uint8_t back[RADIUS_MPPE_KEY_MAX], salt[2];
	size_t elen, blen;

	pk_rand_use_seeded(42);
	for (size_t len = 1; len <= RADIUS_MPPE_KEY_MAX; len += 13) {
		pk_rand_bytes(key, len);
		pk_rand_bytes(salt, 2);
		salt[0] |= RADIUS_MPPE_SALT_HIGH_BIT;
		CHECK_INT(radius_mppe_key_encrypt(key, len, salt, ra,
		    sec(SECRET), SECRET_LEN, enc, sizeof(enc), &elen), PK_OK);
		CHECK_INT(elen, 2 + (len + 1 + 15) / 16 * 16);
		CHECK_INT(radius_mppe_key_decrypt(enc, elen, ra, sec(SECRET),
		    SECRET_LEN, back, sizeof(back), &blen), PK_OK);
		CHECK_INT(blen, len);
		CHECK_MEM(back, key, len);
	}
	pk_rand_use_seeded(0);
	pk_rand_set_source(NULL, NULL);
}

static void
test_mppe_refusals(void)
{
	uint8_t key[16], enc[64], back[64], salt[2] = { 0x80, 0x01 };
	size_t elen, blen;
	int r;

	memset(key, 0x5a, sizeof(key));
	CHECK_INT(radius_mppe_key_encrypt(key, 16, salt, ra, sec(SECRET),
	    SECRET_LEN, enc, sizeof(enc), &elen), PK_OK);
	CHECK_INT(elen, 34);
	/* Salt high bit clear: RFC 2548 says it MUST be set. */
	salt[0] = 0x7f;
	CHECK_INT(radius_mppe_key_encrypt(key, 16, salt, ra, sec(SECRET),
	    SECRET_LEN, back, sizeof(back), &blen), PK_ERR_VALUE);
	enc[0] &= 0x7f;
	CHECK_INT(radius_mppe_key_decrypt(enc, elen, ra, sec(SECRET),
	    SECRET_LEN, back, sizeof(back), &blen), PK_ERR_VALUE);
	enc[0] |= 0x80;
	/* Not Salt + whole blocks. */
	CHECK_INT(radius_mppe_key_decrypt(enc, elen - 1, ra, sec(SECRET),
	    SECRET_LEN, back, sizeof(back), &blen), PK_ERR_LENGTH);
	CHECK_INT(radius_mppe_key_decrypt(enc, 2, ra, sec(SECRET),
	    SECRET_LEN, back, sizeof(back), &blen), PK_ERR_LENGTH);
	CHECK_INT(radius_mppe_key_decrypt(enc, 17, ra, sec(SECRET),
	    SECRET_LEN, back, sizeof(back), &blen), PK_ERR_LENGTH);
	/* Key longer than the caller's buffer. */
	CHECK_INT(radius_mppe_key_decrypt(enc, elen, ra, sec(SECRET),
	    SECRET_LEN, back, 15, &blen), PK_ERR_SPACE);
	CHECK_INT(blen, 0);
	/* One block holds a key of at most 15 octets. */
	salt[0] = 0x80;
	CHECK_INT(radius_mppe_key_encrypt(key, 15, salt, ra, sec(SECRET),
	    SECRET_LEN, enc, sizeof(enc), &elen), PK_OK);
	CHECK_INT(elen, 18);
	CHECK_INT(radius_mppe_key_decrypt(enc, elen, ra, sec(SECRET),
	    SECRET_LEN, back, sizeof(back), &blen), PK_OK);
	CHECK_INT(blen, 15);
	/* A Key-Length beyond the data (flip 15 into 16: the first block
	 * is a plain XOR stream) is refused. */
	enc[2] ^= 15 ^ 16;
	CHECK_INT(radius_mppe_key_decrypt(enc, elen, ra, sec(SECRET),
	    SECRET_LEN, back, sizeof(back), &blen), PK_ERR_LENGTH);
	/* Key-Length 0 too. */
	enc[2] ^= 16;
	CHECK_INT(radius_mppe_key_decrypt(enc, elen, ra, sec(SECRET),
	    SECRET_LEN, back, sizeof(back), &blen), PK_ERR_LENGTH);
	enc[2] ^= 15;
	/* With the wrong secret the result is refused or, when the noise
	 * happens to look like a length, not the key. */
	r = radius_mppe_key_decrypt(enc, elen, ra, sec("testing124"),
	    SECRET_LEN, back, sizeof(back), &blen);
	CHECK(r == PK_ERR_LENGTH || (r == PK_OK && (blen != 15 ||
	    memcmp(back, key, 15) != 0)));
	CHECK_INT(radius_mppe_key_encrypt(key, 0, salt, ra, sec(SECRET),
	    SECRET_LEN, enc, sizeof(enc), &elen), PK_ERR_LENGTH);
	CHECK_INT(radius_mppe_key_encrypt(key, 16, salt, ra, sec(SECRET),
	    SECRET_LEN, enc, 33, &elen), PK_ERR_SPACE);
}

int
main(void)
{
	RUN(test_published_vector);
	RUN(test_python_vectors);
	RUN(test_password_bounds);
	RUN(test_mppe_round_trip);
	RUN(test_mppe_refusals);
	TEST_MAIN_END();
}
