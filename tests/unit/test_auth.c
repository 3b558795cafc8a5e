/*
 * test_auth.c - auth_verify_local() for every method: accept, reject,
 * malformed requests, the exact Success/Failure message texts and the
 * MPPE master keys handed to the session.
 */
#include "auth/auth.h"
#include "auth/mschap.h"
#include "core/err.h"
#include "core/rand.h"
#include "policy/policy.h"
#include "test.h"

#define SEED 0x5eed

static void
req_init(struct auth_request *req, unsigned method, const char *user)
{
	memset(req, 0, sizeof(*req));
	req->method = method;
	snprintf(req->user, sizeof(req->user), "%s", user);
}

static int
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void
check_no_keys(const struct auth_result *res)
{
	CHECK_INT(res->have_mppe_keys, 0);
	CHECK_INT(res->have_lm_key, 0);
	CHECK(all_zero(res->mppe_send_key, sizeof(res->mppe_send_key)));
	CHECK(all_zero(res->mppe_recv_key, sizeof(res->mppe_recv_key)));
	CHECK(all_zero(res->lm_key, sizeof(res->lm_key)));
}

/* The v2 Failure text auth_verify_local must produce after pk_rand has
 * been seeded with SEED: the next 16 random bytes as the new challenge. */
static void
expected_v2_failure(char *out, size_t outlen)
{
	uint8_t ch[16];

	pk_rand_use_seeded(SEED);
	pk_rand_bytes(ch, sizeof(ch));
	mschap_format_failure(691, 0, ch, sizeof(ch), 3,
	    "Authentication failure", out, outlen);
	pk_rand_use_seeded(SEED);
}

static void
test_pap(void)
{
	struct auth_request req;
	struct auth_result res;
	static const struct {
		const char *sent;
		int ok;
	} cases[] = {
		{ "clientPass", 1 },
		{ "clientPas", 0 },
		{ "clientPass!", 0 },
		{ "clientpass", 0 },
		{ "", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req_init(&req, PK_AUTH_PAP, "alice");
		req.response_len = strlen(cases[i].sent);
		memcpy(req.response, cases[i].sent, req.response_len);
		test_current = cases[i].sent;
		CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_OK);
		CHECK_INT(res.ok, cases[i].ok);
		CHECK_STR(res.message, cases[i].ok ? "Access granted" :
		    "Authentication failure");
		check_no_keys(&res);
	}
	test_current = "test_pap";
	/* Empty password configured, empty sent: equal. */
	req_init(&req, PK_AUTH_PAP, "alice");
	CHECK_INT(auth_verify_local(&req, "", &res), PK_OK);
	CHECK_INT(res.ok, 1);
	/* A NUL inside the received bytes does not end the comparison. */
	req_init(&req, PK_AUTH_PAP, "alice");
	memcpy(req.response, "ab\0cd", 5);
	req.response_len = 5;
	CHECK_INT(auth_verify_local(&req, "ab", &res), PK_OK);
	CHECK_INT(res.ok, 0);
}

static void
test_chap_md5(void)
{
	struct auth_request req;
	struct auth_result res;

	/* Python: hashlib.md5(bytes([1]) + b"secret" + bytes(range(16))). */
	req_init(&req, PK_AUTH_CHAP_MD5, "alice");
	req.chap_id = 1;
	for (int i = 0; i < 16; i++)
		req.challenge[i] = (uint8_t)i;
	req.challenge_len = 16;
	req.response_len = test_unhex("740e86463bda3a4d7017d6e0fba0699d",
	    req.response, sizeof(req.response));
	CHECK_INT(auth_verify_local(&req, "secret", &res), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_STR(res.message, "Access granted");
	check_no_keys(&res);

	CHECK_INT(auth_verify_local(&req, "Secret", &res), PK_OK);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "Authentication failure");

	/* The Identifier is hashed: another ID, another answer. */
	req.chap_id = 2;
	CHECK_INT(auth_verify_local(&req, "secret", &res), PK_OK);
	CHECK_INT(res.ok, 0);
	req.chap_id = 1;

	req.response_len = 15;
	CHECK_INT(auth_verify_local(&req, "secret", &res), PK_ERR_LENGTH);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "Authentication failure");
	req.response_len = 16;
	req.challenge_len = 0;
	CHECK_INT(auth_verify_local(&req, "secret", &res), PK_ERR_LENGTH);
	CHECK_INT(res.ok, 0);
}

static void
mschapv1_request(struct auth_request *req)
{
	uint8_t nt[24];

	/* RFC 2433 §B.2. */
	req_init(req, PK_AUTH_MSCHAPV1, "User");
	req->challenge_len = test_unhex("10 2D B5 DF 08 5D 30 41",
	    req->challenge, sizeof(req->challenge));
	test_unhex("4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C"
	    "A4 C3 51 AB 40 9A 3D 61", nt, sizeof(nt));
	memset(req->response, 0, 24);
	memcpy(&req->response[24], nt, 24);
	req->response[48] = 1;
	req->response_len = 49;
}

static void
test_mschapv1(void)
{
	struct auth_request req;
	struct auth_result res;
	uint8_t want[16];

	mschapv1_request(&req);
	CHECK_INT(auth_verify_local(&req, "MyPw", &res), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_STR(res.message, "Access granted");
	CHECK_INT(res.have_mppe_keys, 1);
	/*
	 * Get_Start_Key(challenge, MD4(MD4(UTF-16LE("MyPw")))), the same in
	 * both directions (pppd mppe_set_chapv1()); computed with Python
	 * hashlib.sha1 and a pure-Python MD4 checked against OpenSSL.
	 */
	test_unhex("cfd3610cd9208ec8134baeff555f76cb", want, 16);
	CHECK_MEM(res.mppe_send_key, want, 16);
	CHECK_MEM(res.mppe_recv_key, want, 16);
	/* LM key: first 8 bytes of LmPasswordHash("MyPw"). */
	CHECK_INT(res.have_lm_key, 1);
	test_unhex("75ba30198e6d1975", want, 8);
	CHECK_MEM(res.lm_key, want, 8);
	auth_result_wipe(&res);
	check_no_keys(&res);

	/* Any non-zero flag means "use NT" (as pppd reads it). */
	req.response[48] = 0x02;
	CHECK_INT(auth_verify_local(&req, "MyPw", &res), PK_OK);
	CHECK_INT(res.ok, 1);
	req.response[48] = 1;

	/* Wrong password: RFC 2433 §8 / §B.1.2 text, no keys. */
	CHECK_INT(auth_verify_local(&req, "mypw", &res), PK_OK);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "E=691 R=0");
	check_no_keys(&res);

	/* A password with no LM form still authenticates, without lm_key. */
	{
		uint8_t resp[49];

		CHECK_INT(mschapv1_build_response(req.challenge,
		    "a password over 14 chars", resp), PK_OK);
		memcpy(req.response, resp, 49);
		CHECK_INT(auth_verify_local(&req, "a password over 14 chars",
		    &res), PK_OK);
		CHECK_INT(res.ok, 1);
		CHECK_INT(res.have_mppe_keys, 1);
		CHECK_INT(res.have_lm_key, 0);
		mschapv1_request(&req);
	}

	/* LM-only (flag 0), even with a correct LM response: refused. */
	CHECK_INT(mschapv1_lm_challenge_response(req.challenge, "MyPw",
	    req.response), PK_OK);
	memset(&req.response[24], 0, 24);
	req.response[48] = 0;
	CHECK_INT(auth_verify_local(&req, "MyPw", &res), PK_OK);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "E=691 R=0 M=LAN Manager response refused: "
	    "use-NT flag not set");
	check_no_keys(&res);

	/* Malformed: lengths. */
	mschapv1_request(&req);
	req.response_len = 48;
	CHECK_INT(auth_verify_local(&req, "MyPw", &res), PK_ERR_LENGTH);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "E=691 R=0");
	mschapv1_request(&req);
	req.challenge_len = 16;
	CHECK_INT(auth_verify_local(&req, "MyPw", &res), PK_ERR_LENGTH);
	CHECK_INT(res.ok, 0);

	/* A configured password that is not UTF-8. */
	mschapv1_request(&req);
	CHECK_INT(auth_verify_local(&req, "\xc3", &res), PK_ERR_VALUE);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "E=691 R=0");
	check_no_keys(&res);
}

static void
mschapv2_request(struct auth_request *req, const char *user)
{
	/* RFC 2759 §9.2. */
	req_init(req, PK_AUTH_MSCHAPV2, user);
	req->challenge_len = test_unhex(
	    "5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28",
	    req->challenge, sizeof(req->challenge));
	test_unhex("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E",
	    req->response, 16);
	memset(&req->response[16], 0, 8);
	test_unhex("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54"
	    "42 33 11 4A 3D 85 D6 DF", &req->response[24], 24);
	req->response[48] = 0;
	req->response_len = 49;
}

static void
test_mschapv2(void)
{
	struct auth_request req;
	struct auth_result res;
	char fail[256];
	uint8_t want[16];

	pk_rand_use_seeded(SEED);
	mschapv2_request(&req, "User");
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_STR(res.message, "S=407A5589115FD0D6209F510FE9C04566932CDA56 "
	    "M=Access granted");
	CHECK_INT(res.have_mppe_keys, 1);
	CHECK_INT(res.have_lm_key, 0);
	/*
	 * The authenticator's keys (RFC 3079 §3.5.3): send is the sample's
	 * SendStartKey128 (GetAsymmetricStartKey(.., TRUE, TRUE)); receive,
	 * which the RFC does not print, was computed with Python.
	 */
	test_unhex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB", want, 16);
	CHECK_MEM(res.mppe_send_key, want, 16);
	test_unhex("d5f0e9521e3ea9589645e86051c82226", want, 16);
	CHECK_MEM(res.mppe_recv_key, want, 16);

	/* A DOMAIN\ prefix in the name is not hashed. */
	mschapv2_request(&req, "BIGCO\\User");
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_OK);
	CHECK_INT(res.ok, 1);
	/* Non-zero Flags and Reserved are tolerated (see auth_local.c). */
	mschapv2_request(&req, "User");
	req.response[48] = 0x04;
	req.response[20] = 0xff;
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_OK);
	CHECK_INT(res.ok, 1);

	/* Wrong password: exact Failure text with a fresh challenge. */
	mschapv2_request(&req, "User");
	expected_v2_failure(fail, sizeof(fail));
	CHECK_INT(auth_verify_local(&req, "clientpass", &res), PK_OK);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, fail);
	CHECK_INT(strlen(res.message), strlen("E=691 R=0 C= V=3 "
	    "M=Authentication failure") + 32);
	CHECK(strncmp(res.message, "E=691 R=0 C=", 12) == 0);
	check_no_keys(&res);
	/* The next failure carries another challenge. */
	CHECK_INT(auth_verify_local(&req, "clientpass", &res), PK_OK);
	CHECK(strcmp(res.message, fail) != 0);
	{
		struct mschap_failure f;

		CHECK_INT(mschap_parse_failure(res.message,
		    strlen(res.message), &f), PK_OK);
		CHECK_INT(f.error, 691);
		CHECK_INT(f.retry, 0);
		CHECK_INT(f.version, 3);
		CHECK_INT(f.challenge_len, 16);
		CHECK_STR(f.message, "Authentication failure");
	}

	/* Wrong user name: the challenge hash differs. */
	mschapv2_request(&req, "user");
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_OK);
	CHECK_INT(res.ok, 0);

	/* Malformed. */
	mschapv2_request(&req, "User");
	req.response_len = 50;
	expected_v2_failure(fail, sizeof(fail));
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_ERR_LENGTH);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, fail);
	check_no_keys(&res);
	mschapv2_request(&req, "User");
	req.challenge_len = 8;
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_ERR_LENGTH);
	CHECK_INT(res.ok, 0);
	mschapv2_request(&req, "User");
	CHECK_INT(auth_verify_local(&req, "\xf8", &res), PK_ERR_VALUE);
	CHECK_INT(res.ok, 0);
	check_no_keys(&res);
}

static void
test_mschapv2_non_ascii(void)
{
	struct auth_request req;
	struct auth_result res;
	const char *pw = "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c";
	uint8_t want[16];

	/* "пароль"; NT response and keys computed with Python (see
	 * test_mschap.c for how). */
	mschapv2_request(&req, "User");
	test_unhex("8e6cc8fdf9a0e2f3285cb18799a561b7ef1a04d6f8581886",
	    &req.response[24], 24);
	CHECK_INT(auth_verify_local(&req, pw, &res), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_STR(res.message, "S=763D304C9F7DD098033934597FD3EC112CC6C2F0 "
	    "M=Access granted");
	test_unhex("105d90c373b7389f66ab046550765b3d", want, 16);
	CHECK_MEM(res.mppe_send_key, want, 16);
	test_unhex("c4980664f121827ee1c3eba1d18d34cf", want, 16);
	CHECK_MEM(res.mppe_recv_key, want, 16);
}

/*
 * A pppd or lwIP peer hashes each byte of a secret as one UTF-16 unit:
 * for the UTF-8 secret "sé" (73 C3 A9) it hashes U+0073 U+00C3 U+00A9,
 * which is the proper hash of the UTF-8 string "sÃ©". The server accepts
 * that form too, with keys and S= from the form that matched.
 */
static void
test_pppd_byte_wise_secret(void)
{
	struct auth_request req;
	struct auth_result res, direct;
	static const uint8_t auth_chal[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const uint8_t peer_chal[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	const char *utf8 = "s\xc3\xa9";		/* "sé" */
	const char *pppd = "s\xc3\x83\xc2\xa9";	/* "sÃ©" */

	for (int v2 = 0; v2 <= 1; v2++) {
		req_init(&req, v2 ? PK_AUTH_MSCHAPV2 : PK_AUTH_MSCHAPV1,
		    "bob");
		memcpy(req.challenge, auth_chal, 16);
		req.challenge_len = v2 ? 16 : 8;
		req.response_len = 49;
		if (v2)
			CHECK_INT(mschapv2_build_response(auth_chal, peer_chal,
			    "bob", pppd, req.response), PK_OK);
		else
			CHECK_INT(mschapv1_build_response(auth_chal, pppd,
			    req.response), PK_OK);
		CHECK_INT(auth_verify_local(&req, utf8, &res), PK_OK);
		CHECK_INT(res.ok, 1);
		/* The same as if the secret had been stored in pppd's form. */
		CHECK_INT(auth_verify_local(&req, pppd, &direct), PK_OK);
		CHECK_INT(direct.ok, 1);
		CHECK_STR(res.message, direct.message);
		CHECK_MEM(res.mppe_send_key, direct.mppe_send_key, 16);
		/* A wrong password still fails, both forms tried. */
		CHECK_INT(auth_verify_local(&req, "s\xc3\xa8", &res), PK_OK);
		CHECK_INT(res.ok, 0);
		/* ASCII secrets have one form only: no second try. */
		CHECK_INT(auth_verify_local(&req, "se", &res), PK_OK);
		CHECK_INT(res.ok, 0);
	}
}

static void
test_malformed_requests(void)
{
	struct auth_request req;
	struct auth_result res;

	req_init(&req, 0x40, "alice");
	CHECK_INT(auth_verify_local(&req, "x", &res), PK_ERR_TYPE);
	CHECK_INT(res.ok, 0);
	req_init(&req, PK_AUTH_NONE, "alice");
	CHECK_INT(auth_verify_local(&req, "x", &res), PK_ERR_TYPE);
	CHECK_INT(res.ok, 0);

	/* A user name with no terminating NUL. */
	mschapv2_request(&req, "User");
	memset(req.user, 'u', sizeof(req.user));
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_ERR_LENGTH);
	CHECK_INT(res.ok, 0);
	/* Lengths past the arrays. */
	mschapv2_request(&req, "User");
	req.challenge_len = AUTH_CHALLENGE_MAX + 1;
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_ERR_LENGTH);
	req_init(&req, PK_AUTH_PAP, "alice");
	req.response_len = AUTH_RESPONSE_MAX + 1;
	CHECK_INT(auth_verify_local(&req, "clientPass", &res), PK_ERR_LENGTH);
	CHECK_INT(res.ok, 0);

	CHECK_INT(auth_verify_local(NULL, "x", &res), PK_ERR_ARG);
	CHECK_INT(res.ok, 0);
	CHECK_INT(auth_verify_local(&req, NULL, &res), PK_ERR_ARG);
	CHECK_INT(auth_verify_local(&req, "x", NULL), PK_ERR_ARG);
	auth_result_wipe(NULL);
}

int
main(void)
{
	RUN(test_pap);
	RUN(test_chap_md5);
	RUN(test_mschapv1);
	RUN(test_pppd_byte_wise_secret);
	RUN(test_mschapv2);
	RUN(test_mschapv2_non_ascii);
	RUN(test_malformed_requests);
	TEST_MAIN_END();
}
