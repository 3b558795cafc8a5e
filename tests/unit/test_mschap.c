/*
 * test_mschap.c - CHAP-MD5, MS-CHAPv1 (RFC 2433 §B) and MS-CHAPv2
 * (RFC 2759 §9.2) against the published examples, the Failure message
 * formatter and the bounded, order-tolerant Failure parser.
 */
#include <stdlib.h>

#include "auth/mschap.h"
#include "core/err.h"
#include "test.h"

/* RFC 2759 §9.2. */
#define V2_USER "User"
#define V2_PASSWORD "clientPass"
#define V2_AUTH_CHALLENGE "5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28"
#define V2_PEER_CHALLENGE "21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E"
#define V2_CHALLENGE "D0 2E 43 86 BC E9 12 26"
#define V2_NT_RESPONSE "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54" \
	"42 33 11 4A 3D 85 D6 DF"
#define V2_AUTH_RESPONSE "S=407A5589115FD0D6209F510FE9C04566932CDA56"

/* RFC 2433 §B.2. */
#define V1_PASSWORD "MyPw"
#define V1_CHALLENGE "10 2D B5 DF 08 5D 30 41"
#define V1_NT_RESPONSE "4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C" \
	"A4 C3 51 AB 40 9A 3D 61"

static void
test_chap_md5(void)
{
	uint8_t challenge[16], got[16], want[16];

	/*
	 * RFC 1994 publishes no example; expected values computed with
	 * Python: hashlib.md5(bytes([id]) + secret + challenge).
	 */
	for (int i = 0; i < 16; i++)
		challenge[i] = (uint8_t)i;
	chap_md5_response(1, (const uint8_t *)"secret", 6, challenge, 16,
	    got);
	test_unhex("740e86463bda3a4d7017d6e0fba0699d", want, 16);
	CHECK_MEM(got, want, 16);
	/* A CHAP secret is bytes: no UTF-16 conversion. */
	test_unhex("5b5d7c7d7b3f2f3e", challenge, 8);
	chap_md5_response(0xa7, (const uint8_t *)"p\xc3\xa4ssw\xc3\xb6rd", 10,
	    challenge, 8, got);
	test_unhex("3e4b8ee98b80d5e5c51173068a72420b", want, 16);
	CHECK_MEM(got, want, 16);
}

static void
test_mschapv1(void)
{
	uint8_t challenge[8], got[24], want[24], resp[49], hash[16];

	test_unhex(V1_CHALLENGE, challenge, sizeof(challenge));
	CHECK_INT(mschapv1_nt_challenge_response(challenge, V1_PASSWORD, got),
	    PK_OK);
	test_unhex(V1_NT_RESPONSE, want, sizeof(want));
	CHECK_MEM(got, want, 24);

	/* RFC 2433 §6 Response field: zero LM, NT, use-NT = 1. */
	CHECK_INT(mschapv1_build_response(challenge, V1_PASSWORD, resp), PK_OK);
	for (int i = 0; i < 24; i++)
		CHECK_INT(resp[i], 0);
	CHECK_MEM(&resp[24], want, 24);
	CHECK_INT(resp[48], 1);

	/*
	 * LM: RFC 3079 §2.5.1 gives LmPasswordHash("clientPass"). The RFC
	 * has no LM example for "MyPw"; those values were computed with
	 * Python driving `openssl enc -des-ecb` (RFC 2433 §A.2/§A.7 by
	 * hand). Its second half is the well-known LM hash of an empty
	 * 7-character half, AAD3B435B51404EE.
	 */
	CHECK_INT(mschapv1_lm_password_hash("clientPass", hash), PK_OK);
	test_unhex("76 a1 52 93 60 96 d7 83 0e 23 90 22 74 04 af d2", want, 16);
	CHECK_MEM(hash, want, 16);
	CHECK_INT(mschapv1_lm_password_hash("mypw", hash), PK_OK);
	test_unhex("75ba30198e6d1975aad3b435b51404ee", want, 16);
	CHECK_MEM(hash, want, 16);
	CHECK_INT(mschapv1_lm_challenge_response(challenge, V1_PASSWORD, got),
	    PK_OK);
	test_unhex("91881d0152ab0c33c524135ec24a95ee64e23cdc2d33347d", want,
	    24);
	CHECK_MEM(got, want, 24);
	/* Not representable as LM: non-ASCII, or more than 14 chars. */
	CHECK_INT(mschapv1_lm_password_hash("p\xc3\xa4ss", hash), PK_ERR_VALUE);
	CHECK_INT(mschapv1_lm_password_hash("123456789012345", hash),
	    PK_ERR_VALUE);
	CHECK_INT(mschapv1_lm_password_hash("12345678901234", hash), PK_OK);
	CHECK_INT(mschapv1_lm_password_hash("", hash), PK_OK);
	test_unhex("aad3b435b51404eeaad3b435b51404ee", want, 16);
	CHECK_MEM(hash, want, 16);

	/* A password that is not UTF-8 is refused, not hashed. */
	CHECK_INT(mschapv1_nt_challenge_response(challenge, "\xff", got),
	    PK_ERR_VALUE);
	CHECK_INT(mschapv1_build_response(challenge, "\xc3", resp),
	    PK_ERR_VALUE);
}

static void
test_challenge_response(void)
{
	uint8_t challenge[8], hash[16], got[24], want[24];

	/* RFC 2433 §A.7 directly on the §B.2 hash. */
	test_unhex(V1_CHALLENGE, challenge, 8);
	test_unhex("FC 15 6A F7 ED CD 6C 0E DD E3 33 7D 42 7F 4E AC", hash, 16);
	mschap_challenge_response(challenge, hash, got);
	test_unhex(V1_NT_RESPONSE, want, 24);
	CHECK_MEM(got, want, 24);
}

static void
test_mschapv2(void)
{
	uint8_t auth[16], peer[16], ch[8], want8[8], nt[24], want[24];
	uint8_t resp[49];
	char ar[43];

	test_unhex(V2_AUTH_CHALLENGE, auth, 16);
	test_unhex(V2_PEER_CHALLENGE, peer, 16);

	mschapv2_challenge_hash(peer, auth, V2_USER, ch);
	test_unhex(V2_CHALLENGE, want8, 8);
	CHECK_MEM(ch, want8, 8);

	CHECK_INT(mschapv2_generate_nt_response(auth, peer, V2_USER,
	    V2_PASSWORD, nt), PK_OK);
	test_unhex(V2_NT_RESPONSE, want, 24);
	CHECK_MEM(nt, want, 24);

	CHECK_INT(mschapv2_generate_authenticator_response(V2_PASSWORD, nt,
	    peer, auth, V2_USER, ar), PK_OK);
	CHECK_STR(ar, V2_AUTH_RESPONSE);

	/* RFC 2759 §4 Response field. */
	CHECK_INT(mschapv2_build_response(auth, peer, V2_USER, V2_PASSWORD,
	    resp), PK_OK);
	CHECK_MEM(resp, peer, 16);
	for (int i = 16; i < 24; i++)
		CHECK_INT(resp[i], 0);
	CHECK_MEM(&resp[24], want, 24);
	CHECK_INT(resp[48], 0);

	/* §4: the domain is not hashed, wherever the caller strips it. */
	mschapv2_challenge_hash(peer, auth, "BIGCO\\" V2_USER, ch);
	CHECK_MEM(ch, want8, 8);
	CHECK_INT(mschapv2_generate_nt_response(auth, peer, "BIGCO\\" V2_USER,
	    V2_PASSWORD, nt), PK_OK);
	CHECK_MEM(nt, want, 24);
	CHECK_INT(mschapv2_generate_authenticator_response(V2_PASSWORD, nt,
	    peer, auth, "BIGCO\\" V2_USER, ar), PK_OK);
	CHECK_STR(ar, V2_AUTH_RESPONSE);
	/* A different name gives a different response. */
	CHECK_INT(mschapv2_generate_nt_response(auth, peer, "user",
	    V2_PASSWORD, nt), PK_OK);
	CHECK(memcmp(nt, want, 24) != 0);

	/*
	 * A non-ASCII password ("пароль"), expected values from a throwaway
	 * Python script (hashlib.sha1, pure-Python MD4 checked against
	 * OpenSSL's legacy MD4, DES through `openssl enc -des-ecb`).
	 */
	CHECK_INT(mschapv2_generate_nt_response(auth, peer, V2_USER,
	    "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c", nt), PK_OK);
	test_unhex("8e6cc8fdf9a0e2f3285cb18799a561b7ef1a04d6f8581886", want,
	    24);
	CHECK_MEM(nt, want, 24);
	CHECK_INT(mschapv2_generate_authenticator_response(
	    "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c", nt, peer, auth,
	    V2_USER, ar), PK_OK);
	CHECK_STR(ar, "S=763D304C9F7DD098033934597FD3EC112CC6C2F0");

	CHECK_INT(mschapv2_generate_nt_response(auth, peer, V2_USER,
	    "\xed\xa0\x80", nt), PK_ERR_VALUE);
	CHECK_INT(mschapv2_generate_authenticator_response("\xed\xa0\x80", nt,
	    peer, auth, V2_USER, ar), PK_ERR_VALUE);
	CHECK_STR(ar, "");
}

static void
test_check_authenticator(void)
{
	uint8_t auth[16], peer[16], nt[24];
	static const struct {
		const char *msg;
		int want;
	} cases[] = {
		{ V2_AUTH_RESPONSE, PK_OK },
		{ V2_AUTH_RESPONSE " M=Access granted", PK_OK },
		{ V2_AUTH_RESPONSE "M=Access granted", PK_OK },
		/* One digit off, lowercase (§5: MUST be uppercase), short. */
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA57", PK_ERR_AUTH },
		{ "S=407a5589115fd0d6209f510fe9c04566932cda56", PK_ERR_AUTH },
		{ "S=407A5589115FD0D6209F510FE9C04566932CDA5", PK_ERR_AUTH },
		{ "s=407A5589115FD0D6209F510FE9C04566932CDA56", PK_ERR_AUTH },
		{ "E=691 R=0", PK_ERR_AUTH },
		{ "", PK_ERR_AUTH },
	};

	test_unhex(V2_AUTH_CHALLENGE, auth, 16);
	test_unhex(V2_PEER_CHALLENGE, peer, 16);
	test_unhex(V2_NT_RESPONSE, nt, 24);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].msg);
		/* An exact-size heap copy, unterminated: ASan catches any
		 * read past message_len. */
		char *m = malloc(n > 0 ? n : 1);

		memcpy(m, cases[i].msg, n);
		test_current = cases[i].msg;
		CHECK_INT(mschapv2_check_authenticator_response(V2_PASSWORD, nt,
		    peer, auth, V2_USER, m, n), cases[i].want);
		free(m);
	}
	test_current = "test_check_authenticator";
	/* The right string checked with the wrong password fails. */
	CHECK_INT(mschapv2_check_authenticator_response("clientpass", nt, peer,
	    auth, V2_USER, V2_AUTH_RESPONSE, 42), PK_ERR_AUTH);
	/* message_len shorter than the string: only 41 bytes count. */
	CHECK_INT(mschapv2_check_authenticator_response(V2_PASSWORD, nt, peer,
	    auth, V2_USER, V2_AUTH_RESPONSE, 41), PK_ERR_AUTH);
}

static void
test_strip_domain(void)
{
	CHECK_STR(mschap_strip_domain("BIGCO\\johndoe"), "johndoe");
	CHECK_STR(mschap_strip_domain("a\\b\\c"), "c");
	CHECK_STR(mschap_strip_domain("johndoe"), "johndoe");
	CHECK_STR(mschap_strip_domain("DOMAIN\\"), "");
	CHECK_STR(mschap_strip_domain(""), "");
}

static void
test_format_failure(void)
{
	uint8_t ch[16];
	char out[256], small[10], tiny[5];

	test_unhex("00112233445566778899AABBCCDDEEFF", ch, 16);
	mschap_format_failure(691, 0, ch, 16, 3, "Authentication failure",
	    out, sizeof(out));
	CHECK_STR(out, "E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 "
	    "M=Authentication failure");
	/* RFC 2433 §8 (v1): no challenge, no version, no message. */
	mschap_format_failure(691, 0, NULL, 0, 0, NULL, out, sizeof(out));
	CHECK_STR(out, "E=691 R=0");
	mschap_format_failure(648, 1, ch, 8, 2, NULL, out, sizeof(out));
	CHECK_STR(out, "E=648 R=1 C=0011223344556677 V=2");
	/* Truncated, always terminated. */
	mschap_format_failure(691, 0, ch, 16, 3, "x", small, sizeof(small));
	CHECK_STR(small, "E=691 R=0");
	mschap_format_failure(691, 0, ch, 16, 3, "x", tiny, sizeof(tiny));
	CHECK_STR(tiny, "E=69");
	mschap_format_failure(691, 0, NULL, 0, 0, NULL, NULL, 0);
}

struct parse_case {
	const char *msg;
	size_t len;		/* 0: strlen(msg) */
	int want;
	int error, retry, version;
	const char *challenge;	/* hex, NULL if absent */
	const char *message;
};

static const struct parse_case parse_cases[] = {
	/* Good, in RFC order and otherwise. */
	{ "E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication "
	    "failure", 0, PK_OK, 691, 0, 3,
	    "00112233445566778899AABBCCDDEEFF", "Authentication failure" },
	{ "E=691 R=1 C=0123456789abcdef V=2", 0, PK_OK, 691, 1, 2,
	    "0123456789abcdef", "" },
	{ "E=691 R=0", 0, PK_OK, 691, 0, 0, NULL, "" },
	{ "E=646", 0, PK_OK, 646, 0, 0, NULL, "" },
	{ "V=3 R=0 C=FFEEDDCCBBAA99887766554433221100 E=648 M=expired", 0,
	    PK_OK, 648, 0, 3, "FFEEDDCCBBAA99887766554433221100", "expired" },
	{ "  E=691   R=1  V=3 ", 0, PK_OK, 691, 1, 3, NULL, "" },
	{ "E=691 R=0 M=", 0, PK_OK, 691, 0, 0, NULL, "" },
	{ "E=691 M=E=1 R=1 C=zz", 0, PK_OK, 691, 0, 0, NULL, "E=1 R=1 C=zz" },
	{ "E=691 R=0 X=foo junk = V=3", 0, PK_OK, 691, 0, 3, NULL, "" },
	{ "E=691 M=tab\there\x01.\x7f!", 0, PK_OK, 691, 0, 0, NULL,
	    "tab?here?.?!" },
	/* Counted, not terminated: V=3 lies past len. */
	{ "E=691 R=0 V=3", 9, PK_OK, 691, 0, 0, NULL, "" },
	/* A NUL ends the message early. */
	{ "E=691\0 R=1", 11, PK_OK, 691, 0, 0, NULL, "" },
	/* Malformed. */
	{ "", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "R=0 V=3", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "M=E=691", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=69a R=0", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=-1", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=1234567890", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=691 R=", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=691 V=x", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=691 C=0123", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=691 C=0123456789ABCDEG", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=691 C=00112233445566778899AABBCCDDEEFF00", 0, PK_ERR_VALUE, 0, 0,
	    0, NULL, "" },
	{ "E=691 C=", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
	{ "E=691R=0", 0, PK_ERR_VALUE, 0, 0, 0, NULL, "" },
};

static void
test_parse_failure(void)
{
	struct mschap_failure f;
	uint8_t ch[16];

	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]);
	    i++) {
		const struct parse_case *c = &parse_cases[i];
		size_t n = c->len != 0 ? c->len : strlen(c->msg);
		char *m = malloc(n > 0 ? n : 1);

		/* Exact-size, unterminated heap copy: reads past len trip
		 * ASan. */
		memcpy(m, c->msg, n);
		test_current = c->msg;
		memset(&f, 0x55, sizeof(f));
		CHECK_INT(mschap_parse_failure(m, n, &f), c->want);
		free(m);
		CHECK_INT(f.error, c->error);
		CHECK_INT(f.retry, c->retry);
		CHECK_INT(f.version, c->version);
		CHECK_STR(f.message, c->message);
		CHECK_INT(f.have_challenge, c->challenge != NULL);
		if (c->challenge != NULL) {
			size_t cl = test_unhex(c->challenge, ch, sizeof(ch));

			CHECK_INT(f.challenge_len, cl);
			CHECK_MEM(f.challenge, ch, cl);
		} else
			CHECK_INT(f.challenge_len, 0);
	}
	test_current = "test_parse_failure";
}

static void
test_parse_failure_bounds(void)
{
	const char *full = "E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 "
	    "M=Authentication failure";
	struct mschap_failure f;
	char big[1024];
	size_t n = strlen(full);

	/* Every prefix, as an exact-size heap buffer. */
	for (size_t len = 0; len <= n; len++) {
		char *m = malloc(len > 0 ? len : 1);
		int r;

		memcpy(m, full, len);
		r = mschap_parse_failure(m, len, &f);
		free(m);
		/*
		 * Malformed while the cut leaves E= with no digits (len < 3),
		 * an empty R= (8) or V= (47), or a C= that is neither 16
		 * (len 28) nor 32 (len 44) digits long; a bare "R" or "M"
		 * key without "=" is unknown text and ignored.
		 */
		if (len < 3 || len == 8 || len == 47 ||
		    (len >= 12 && len < 44 && len != 28))
			CHECK_INT(r, PK_ERR_VALUE);
		else
			CHECK_INT(r, PK_OK);
	}
	/* A message too long for the struct is truncated, terminated. */
	memset(big, 'x', sizeof(big));
	memcpy(big, "E=691 M=", 8);
	CHECK_INT(mschap_parse_failure(big, sizeof(big), &f), PK_OK);
	CHECK_INT(strlen(f.message), sizeof(f.message) - 1);
	CHECK_INT(mschap_parse_failure(NULL, 0, &f), PK_ERR_VALUE);
}

int
main(void)
{
	RUN(test_chap_md5);
	RUN(test_mschapv1);
	RUN(test_challenge_response);
	RUN(test_mschapv2);
	RUN(test_check_authenticator);
	RUN(test_strip_domain);
	RUN(test_format_failure);
	RUN(test_parse_failure);
	RUN(test_parse_failure_bounds);
	TEST_MAIN_END();
}
