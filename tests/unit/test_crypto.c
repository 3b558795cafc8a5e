/*
 * test_crypto.c - the nettle wrappers against published vectors: MD4
 * (RFC 1320 §A.5), MD5 (RFC 1321 §A.5), SHA-1 (FIPS 180 / RFC 3174),
 * RC4 (RFC 6229), DES with MS-CHAP's 7-byte keys (RFC 2759 §9.3) and the
 * NT password hash of ASCII and non-ASCII passwords.
 */
#include <nettle/des.h>

#include "core/err.h"
#include "crypto/crypto.h"
#include "test.h"

static const struct {
	const char *msg;
	const char *md4;
	const char *md5;
} digest_vectors[] = {
	/* RFC 1320 §A.5 and RFC 1321 §A.5 test suites. */
	{ "", "31d6cfe0d16ae931b73c59d7e0c089c0",
	    "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "bde52cb31de33e46245e05fbdbd6fb24",
	    "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "a448017aaf21d8525fc10ae87aa6729d",
	    "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "d9130a8164549fe818874806e1c7014b",
	    "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9",
	    "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	    "043f8582f241db351ce627e153e7f0e4",
	    "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "1234567890123456789012345678901234567890"
	    "1234567890123456789012345678901234567890",
	    "e33b4ddc9c38f2199c3e7b164fcc0536",
	    "57edf4a22be3c955ac49da2e2107b67a" },
};

static void
test_md4_md5(void)
{
	uint8_t got[16], want[16];

	for (size_t i = 0; i < sizeof(digest_vectors) /
	    sizeof(digest_vectors[0]); i++) {
		const char *m = digest_vectors[i].msg;

		crypto_md4(m, strlen(m), got);
		test_unhex(digest_vectors[i].md4, want, sizeof(want));
		CHECK_MEM(got, want, 16);
		crypto_md5(m, strlen(m), got);
		test_unhex(digest_vectors[i].md5, want, sizeof(want));
		CHECK_MEM(got, want, 16);
	}
}

static void
test_md5_streaming(void)
{
	struct crypto_md5 h;
	uint8_t got[16], want[16];

	/* "message digest" fed in three pieces equals the one-shot value. */
	crypto_md5_init(&h);
	crypto_md5_update(&h, "mess", 4);
	crypto_md5_update(&h, "", 0);
	crypto_md5_update(&h, "age digest", 10);
	crypto_md5_final(&h, got);
	test_unhex("f96b697d7cb7938d525a2f31aaf161d0", want, sizeof(want));
	CHECK_MEM(got, want, 16);
}

static void
test_sha1(void)
{
	static uint8_t million_a[1000000];
	struct crypto_sha1 h;
	uint8_t got[20], want[20];

	/* FIPS 180-2 Appendix A (also RFC 3174 §7.3 TEST1/TEST2/TEST3). */
	crypto_sha1("abc", 3, got);
	test_unhex("a9993e364706816aba3e25717850c26c9cd0d89d", want, 20);
	CHECK_MEM(got, want, 20);

	crypto_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, got);
	test_unhex("84983e441c3bd26ebaae4aa1f95129e5e54670f1", want, 20);
	CHECK_MEM(got, want, 20);

	memset(million_a, 'a', sizeof(million_a));
	crypto_sha1(million_a, sizeof(million_a), got);
	test_unhex("34aa973cd4c4daa4f61eeb2bdbad27316534016f", want, 20);
	CHECK_MEM(got, want, 20);

	crypto_sha1("", 0, got);
	test_unhex("da39a3ee5e6b4b0d3255bfef95601890afd80709", want, 20);
	CHECK_MEM(got, want, 20);

	/* Streaming, split across the 64-byte block boundary. */
	crypto_sha1_init(&h);
	crypto_sha1_update(&h, million_a, 63);
	crypto_sha1_update(&h, million_a, 2);
	crypto_sha1_update(&h, million_a, sizeof(million_a) - 65);
	crypto_sha1_final(&h, got);
	test_unhex("34aa973cd4c4daa4f61eeb2bdbad27316534016f", want, 20);
	CHECK_MEM(got, want, 20);
}

static void
test_rc4(void)
{
	/* RFC 6229 §2: keystream bytes 0-31 for three keys. */
	static const struct {
		const char *key;
		const char *stream;
	} v[] = {
		{ "0102030405",
		    "b2 39 63 05 f0 3d c0 27 cc c3 52 4a 0a 11 18 a8"
		    "69 82 94 4f 18 fc 82 d5 89 c4 03 a4 7a 0d 09 19" },
		{ "0102030405060708090a0b0c0d0e0f10",
		    "9a c7 cc 9a 60 9d 1e f7 b2 93 28 99 cd e4 1b 97"
		    "52 48 c4 95 90 14 12 6a 6e 8a 84 f1 1d 1a 9e 1c" },
		{ "833222772a",
		    "80 ad 97 bd c9 73 df 8a 2e 87 9e 92 a4 97 ef da"
		    "20 f0 60 c2 f2 e5 12 65 01 d3 d4 fe a1 0d 5f c0" },
	};
	uint8_t key[16], want[32], zero[32], got[32];
	struct crypto_rc4 rc4;

	memset(zero, 0, sizeof(zero));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t klen = test_unhex(v[i].key, key, sizeof(key));

		test_unhex(v[i].stream, want, sizeof(want));
		crypto_rc4_set_key(&rc4, key, klen);
		/* In two calls: the context must carry the stream on. */
		crypto_rc4_crypt(&rc4, got, zero, 5);
		crypto_rc4_crypt(&rc4, got + 5, zero, 27);
		CHECK_MEM(got, want, 32);
		/* Decrypting is the same operation. */
		crypto_rc4_set_key(&rc4, key, klen);
		crypto_rc4_crypt(&rc4, got, got, 32);
		CHECK_MEM(got, zero, 32);
	}
}

static void
test_des7(void)
{
	uint8_t key7[7], key8[8], clear[8], got[8], want[8];
	struct des_ctx ctx;

	/*
	 * RFC 2759 §9.3 (and RFC 2433 §B.3): the raw 7-byte keys and their
	 * parity-corrected 8-byte forms. Encrypting with the 7-byte form must
	 * equal nettle's DES with the RFC's 8-byte key.
	 */
	static const struct {
		const char *raw;
		const char *fixed;
	} keys[] = {
		{ "FC 15 6A F7 ED CD 6C", "FD 0B 5B 5E 7F 6E 34 D9" },
		{ "0E DD E3 33 7D 42 7F", "0E 6E 79 67 37 EA 08 FE" },
	};

	test_unhex("10 2D B5 DF 08 5D 30 41", clear, sizeof(clear));
	for (size_t i = 0; i < 2; i++) {
		test_unhex(keys[i].raw, key7, sizeof(key7));
		test_unhex(keys[i].fixed, key8, sizeof(key8));
		CHECK(des_check_parity(8, key8));
		CHECK(des_set_key(&ctx, key8));
		des_encrypt(&ctx, 8, want, clear);
		crypto_des_encrypt_7(key7, clear, got);
		CHECK_MEM(got, want, 8);
	}

	/*
	 * Weak keys must still encrypt: seven zero bytes expand to the weak
	 * key 01 01 01 01 01 01 01 01. DES of a zero block under it is
	 * 8C A6 4D E9 C1 B1 23 A7, the first entry of the classic DES ECB
	 * test set (Eric Young's libdes ecb_data, key 0 = key 0101... since
	 * parity bits are ignored); `openssl enc -des-ecb` agrees.
	 */
	memset(key7, 0, sizeof(key7));
	memset(clear, 0, sizeof(clear));
	crypto_des_encrypt_7(key7, clear, got);
	test_unhex("8C A6 4D E9 C1 B1 23 A7", want, sizeof(want));
	CHECK_MEM(got, want, 8);
	/* And nettle does flag that key as weak: the case we must handle. */
	test_unhex("01 01 01 01 01 01 01 01", key8, sizeof(key8));
	CHECK_INT(des_set_key(&ctx, key8), 0);

	/*
	 * The zero key's round keys are all zero, so it would not notice a
	 * discarded key schedule. Two more keys nettle calls weak: the weak
	 * FEFEFEFEFEFEFEFE and the semi-weak 01FE01FE01FE01FE, as 7-byte
	 * keys; expected values from `openssl enc -des-ecb -nopad` with the
	 * 8-byte forms.
	 */
	static const struct {
		const char *raw, *fixed, *clear, *cipher;
	} weak[] = {
		{ "ff ff ff ff ff ff ff", "fe fe fe fe fe fe fe fe",
		    "10 2d b5 df 08 5d 30 41", "39 24 16 11 a0 fb 15 7b" },
		{ "ff ff ff ff ff ff ff", "fe fe fe fe fe fe fe fe",
		    "00 00 00 00 00 00 00 00", "ca aa af 4d ea f1 db ae" },
		{ "01 fc 07 f0 1f c0 7f", "01 fe 01 fe 01 fe 01 fe",
		    "10 2d b5 df 08 5d 30 41", "14 01 36 80 b2 6d f7 96" },
	};
	for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		test_unhex(weak[i].raw, key7, sizeof(key7));
		test_unhex(weak[i].fixed, key8, sizeof(key8));
		test_unhex(weak[i].clear, clear, sizeof(clear));
		test_unhex(weak[i].cipher, want, sizeof(want));
		CHECK_INT(des_set_key(&ctx, key8), 0);
		crypto_des_encrypt_7(key7, clear, got);
		CHECK_MEM(got, want, 8);
	}
}

static const struct {
	const char *password;	/* UTF-8 */
	const char *hash;
} nt_vectors[] = {
	/* RFC 2759 §9.2 and RFC 2433 §B.2. */
	{ "clientPass", "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE" },
	{ "MyPw", "FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC" },
	/*
	 * Non-ASCII: expected values computed outside this code base, by
	 * Python's str.encode("utf-16-le") and MD4 twice (a throwaway
	 * pure-Python MD4 and `openssl dgst -md4 -provider legacy`, which
	 * agreed).
	 */
	{ "p\xc3\xa4ssw\xc3\xb6rd", "0553152250ac01adb4213cb9938663e4" },
	{ "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c",
	    "507e3ee80df7db7c1fdd8d50ae8db606" },		/* "пароль" */
	{ "\xe5\xaf\x86\xe7\xa0\x81",
	    "f900556f89880c4084e3c644c6c20b9c" },		/* "密码" */
	/* U+1F511 then "key": a surrogate pair D83D DD11. */
	{ "\xf0\x9f\x94\x91key", "08636ad2dbbe22210305db7278de577f" },
	/* U+10FFFF, the last code point: DBFF DFFF. */
	{ "\xf4\x8f\xbf\xbf", "9e0ad9dae64dd4cc4419ddf6420f8e42" },
	{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
};

static void
test_nt_hash(void)
{
	uint8_t got[16], want[16], hh[16];

	for (size_t i = 0; i < sizeof(nt_vectors) / sizeof(nt_vectors[0]);
	    i++) {
		test_current = nt_vectors[i].password;
		CHECK_INT(crypto_nt_password_hash(nt_vectors[i].password, got),
		    PK_OK);
		test_unhex(nt_vectors[i].hash, want, sizeof(want));
		CHECK_MEM(got, want, 16);
	}
	test_current = "test_nt_hash";
	/* RFC 2759 §9.2 PasswordHashHash. */
	test_unhex("44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE", got, 16);
	crypto_hash_nt_password_hash(got, hh);
	test_unhex("41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F", want, 16);
	CHECK_MEM(hh, want, 16);
}

static void
test_nt_hash_limits(void)
{
	char pw[4 * 300 + 1];
	uint8_t got[16], want[16];

	/* 256 16-bit units at most (RFC 2759 §8.3 0-to-256-unicode-char). */
	memset(pw, 'a', 256);
	pw[256] = '\0';
	CHECK_INT(crypto_nt_password_hash(pw, got), PK_OK);
	/* Expected from Python: MD4(("a" * 256).encode("utf-16-le")). */
	test_unhex("9118f6ce48955b5ca2be01329e7f959e", want, 16);
	CHECK_MEM(got, want, 16);
	memset(pw, 'a', 257);
	pw[257] = '\0';
	CHECK_INT(crypto_nt_password_hash(pw, got), PK_ERR_VALUE);

	/* 128 characters outside the BMP are 256 units: accepted. */
	for (int i = 0; i < 128; i++)
		memcpy(&pw[4 * i], "\xf0\x9f\x98\x80", 4);	/* U+1F600 */
	pw[4 * 128] = '\0';
	CHECK_INT(crypto_nt_password_hash(pw, got), PK_OK);
	test_unhex("f8fa08817385e00f4344aeec02847c21", want, 16);
	CHECK_MEM(got, want, 16);
	/* 255 units plus one pair would need 257: refused, not cut. */
	memset(pw, 'a', 255);
	memcpy(&pw[255], "\xf0\x9f\x98\x80", 5);
	CHECK_INT(crypto_nt_password_hash(pw, got), PK_ERR_VALUE);
	/* 256 BMP characters of 3 UTF-8 bytes each: accepted. */
	for (int i = 0; i < 256; i++)
		memcpy(&pw[3 * i], "\xe5\xaf\x86", 3);
	pw[3 * 256] = '\0';
	CHECK_INT(crypto_nt_password_hash(pw, got), PK_OK);
}

static void
test_nt_hash_bad_utf8(void)
{
	static const char *bad[] = {
		"\x80",			/* lone continuation byte */
		"ab\xc3",		/* truncated 2-byte sequence */
		"\xe5\xaf",		/* truncated 3-byte sequence */
		"\xf0\x9f\x94",		/* truncated 4-byte sequence */
		"\xc3\x28",		/* bad continuation */
		"\xc0\xaf",		/* overlong "/" */
		"\xc1\xbf",		/* overlong U+007F */
		"\xe0\x80\xaf",		/* overlong 3-byte "/" */
		"\xf0\x80\x80\xaf",	/* overlong 4-byte "/" */
		"\xed\xa0\x80",		/* encoded surrogate U+D800 */
		"\xed\xbf\xbf",		/* encoded surrogate U+DFFF */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf8\x88\x80\x80\x80",	/* 5-byte form */
		"\xfe",
		"\xff",
	};
	uint8_t got[16], zero[16];

	memset(zero, 0, sizeof(zero));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(got, 0xaa, sizeof(got));
		CHECK_INT(crypto_nt_password_hash(bad[i], got), PK_ERR_VALUE);
		/* No partial hash is left behind. */
		CHECK_MEM(got, zero, 16);
	}
	/* The edges just inside the valid ranges. */
	CHECK_INT(crypto_nt_password_hash("\xc2\x80", got), PK_OK);
	CHECK_INT(crypto_nt_password_hash("\xed\x9f\xbf", got), PK_OK);
	CHECK_INT(crypto_nt_password_hash("\xee\x80\x80", got), PK_OK);
	CHECK_INT(crypto_nt_password_hash("\xf0\x90\x80\x80", got), PK_OK);
}

static void
test_memeq_wipe(void)
{
	uint8_t a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t zero[8] = { 0 };

	CHECK_INT(crypto_memeq(a, b, 8), 1);
	b[7] ^= 0x80;
	CHECK_INT(crypto_memeq(a, b, 8), 0);
	CHECK_INT(crypto_memeq(a, b, 7), 1);
	CHECK_INT(crypto_memeq(a, b, 0), 1);
	crypto_wipe(a, sizeof(a));
	CHECK_MEM(a, zero, 8);
	crypto_wipe(NULL, 4);
}

int
main(void)
{
	RUN(test_md4_md5);
	RUN(test_md5_streaming);
	RUN(test_sha1);
	RUN(test_rc4);
	RUN(test_des7);
	RUN(test_nt_hash);
	RUN(test_nt_hash_limits);
	RUN(test_nt_hash_bad_utf8);
	RUN(test_memeq_wipe);
	TEST_MAIN_END();
}
