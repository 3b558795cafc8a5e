/*
 * test_nthash.c - chap-secrets entries that hold the NT hash instead of
 * the password ("nthash:" + 32 hex digits): parsing and its errors, the
 * line "pptpkit hash-password" writes (read back by the parser), and
 * auth_verify_nt_hash() against the RFC samples: MS-CHAPv2 (RFC 2759 §9.2)
 * and MS-CHAPv1 (RFC 2433 §B.2) accepted with the same Success text and
 * the same MPPE keys as from the password; PAP and CHAP-MD5 refused.
 */
#include "auth/auth.h"
#include "auth/mschap.h"
#include "config/secrets.h"
#include "core/err.h"
#include "core/rand.h"
#include "crypto/crypto.h"
#include "policy/policy.h"
#include "test.h"

/* RFC 2759 §9.2: NtPasswordHash("clientPass"). */
#define CLIENTPASS_HASH "44EBBA8D5312B8D611474411F56989AE"
/* RFC 2433 §B.2: the NT hash of "MyPw". */
#define MYPW_HASH "FC156AF7EDCD6C0EDDE3337D427F4EAC"

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
}

static void
test_parse(void)
{
	struct secrets s;
	const struct secret_entry *e;
	uint8_t want[16], pw_hash[16];
	char err[256];

	CHECK_INT(secrets_parse(&s,
	    "# an operator who keeps no passwords\n"
	    "user * nthash:" CLIENTPASS_HASH " *\n"
	    "carol * nthash:fc156af7edcd6c0edde3337d427f4eac 198.19.0.5\n"
	    "dave * \"nthash:" MYPW_HASH "\"\n"
	    "erin * nthash-but-a-password\n",
	    "chap-secrets", err, sizeof(err)), PK_OK);
	CHECK_INT(s.n, 4);
	e = secrets_find(&s, "user", "pptpkit");
	CHECK(e != NULL && e->nt_hash_only && e->secret[0] == '\0');
	test_unhex(CLIENTPASS_HASH, want, 16);
	CHECK_INT(crypto_nt_password_hash("clientPass", pw_hash), PK_OK);
	CHECK_MEM(want, pw_hash, 16);
	if (e != NULL)
		CHECK_MEM(e->nt_hash, want, 16);
	/* Lower-case hex reads the same; the address column still works. */
	e = secrets_find(&s, "carol", "pptpkit");
	test_unhex(MYPW_HASH, want, 16);
	CHECK(e != NULL && e->nt_hash_only && e->static_ip != 0);
	if (e != NULL)
		CHECK_MEM(e->nt_hash, want, 16);
	/* Quoting does not turn the prefix into a password. */
	e = secrets_find(&s, "dave", "pptpkit");
	CHECK(e != NULL && e->nt_hash_only);
	/* Only "nthash:" with its colon is the prefix. */
	e = secrets_find(&s, "erin", "pptpkit");
	CHECK(e != NULL && !e->nt_hash_only &&
	    strcmp(e->secret, "nthash-but-a-password") == 0);
	secrets_free(&s);

	static const char *bad[] = {
		"a * nthash:\n",
		"a * nthash:" CLIENTPASS_HASH "0\n",	/* 33 digits */
		"a * nthash:44EBBA8D5312B8D611474411F56989A\n",	/* 31 */
		"a * nthash:44EBBA8D5312B8D611474411F56989AG\n",
		"a * \"nthash:44EBBA8D5312B8D6 11474411F56989AE\"\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256];

		test_current = bad[i];
		snprintf(text, sizeof(text), "ok * pw *\n%s", bad[i]);
		CHECK_INT(secrets_parse(&s, text, "cs", err, sizeof(err)),
		    PK_ERR_CONFIG);
		CHECK(strncmp(err, "cs:2: \"nthash:\" must be followed by the "
		    "32 hex digits", 52) == 0);
		CHECK_INT(s.n, 0);
	}
}

/* What hash-password prints reads back as the same user and hash. */
static void
test_format_round_trip(void)
{
	static const struct {
		const char *user, *server, *address, *password;
	} cases[] = {
		{ "alice", NULL, NULL, "correct horse" },
		{ "bob smith", "pptpd", "198.19.0.77", "p#ss \"w\\rd'" },
		{ "C:\\dom\\\"x\"", "*", "-", "gr\xc3\xbc\xc3\x9f" },
		{ "#hash", NULL, "*", "" },
	};
	char line[1024], err[256];
	uint8_t want[16];
	struct secrets s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct secret_entry *e;

		test_current = cases[i].user;
		CHECK_INT(secrets_format_nthash(cases[i].user, cases[i].server,
		    cases[i].address, cases[i].password, line, sizeof(line)),
		    PK_OK);
		/* Never the password itself. */
		CHECK(cases[i].password[0] == '\0' ||
		    strstr(line, cases[i].password) == NULL);
		CHECK_INT(secrets_parse(&s, line, "line", err, sizeof(err)),
		    PK_OK);
		CHECK_INT(s.n, 1);
		if (s.n != 1)
			continue;
		e = &s.entries[0];
		CHECK_STR(e->client, cases[i].user);
		CHECK_STR(e->server, cases[i].server ? cases[i].server : "*");
		CHECK_INT(e->nt_hash_only, 1);
		CHECK_INT(e->denied, cases[i].address != NULL &&
		    strcmp(cases[i].address, "-") == 0);
		CHECK_INT(crypto_nt_password_hash(cases[i].password, want),
		    PK_OK);
		CHECK_MEM(e->nt_hash, want, 16);
		secrets_free(&s);
	}
	test_current = "test_format_round_trip";
	CHECK_INT(secrets_format_nthash("alice", NULL, NULL, "password", line,
	    sizeof(line)), PK_OK);
	CHECK_STR(line, "alice\t*\tnthash:8846F7EAEE8FB117AD06BDD830B7586C\t*");

	/* What MS-CHAP cannot hash, and what the file cannot hold. */
	CHECK_INT(secrets_format_nthash("a", NULL, NULL, "\xc3", line,
	    sizeof(line)), PK_ERR_VALUE);
	CHECK_STR(line, "");
	CHECK_INT(secrets_format_nthash("a\nb", NULL, NULL, "pw", line,
	    sizeof(line)), PK_ERR_VALUE);
	CHECK_INT(secrets_format_nthash("", NULL, NULL, "pw", line,
	    sizeof(line)), PK_ERR_VALUE);
	CHECK_INT(secrets_format_nthash("a", NULL, "10.0.0", "pw", line,
	    sizeof(line)), PK_ERR_VALUE);
	CHECK_INT(secrets_format_nthash("a", NULL, "0.0.0.0", "pw", line,
	    sizeof(line)), PK_ERR_VALUE);
	CHECK_INT(secrets_format_nthash("alice", NULL, NULL, "pw", line, 40),
	    PK_ERR_SPACE);
	CHECK_STR(line, "");
	CHECK_INT(secrets_format_nthash(NULL, NULL, NULL, "pw", line,
	    sizeof(line)), PK_ERR_ARG);
}

static void
mschapv2_request(struct auth_request *req)
{
	/* RFC 2759 §9.2: user "User", password "clientPass". */
	req_init(req, PK_AUTH_MSCHAPV2, "User");
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
	struct auth_result by_hash, by_pw;
	uint8_t hash[16], want[16], resp[49], peer[16];

	test_unhex(CLIENTPASS_HASH, hash, 16);
	mschapv2_request(&req);
	CHECK_INT(auth_verify_nt_hash(&req, hash, &by_hash), PK_OK);
	CHECK_INT(by_hash.ok, 1);
	/* RFC 2759 §9.2's AuthenticatorResponse, from the hash alone. */
	CHECK_STR(by_hash.message, "S=407A5589115FD0D6209F510FE9C04566932CDA56 "
	    "M=Access granted");
	CHECK_INT(by_hash.have_mppe_keys, 1);
	/* RFC 3079 §3.5.3 SendStartKey128 (the authenticator's send key). */
	test_unhex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB", want, 16);
	CHECK_MEM(by_hash.mppe_send_key, want, 16);
	/* Everything equal to the password case. */
	CHECK_INT(auth_verify_local(&req, "clientPass", &by_pw), PK_OK);
	CHECK_INT(by_pw.ok, 1);
	CHECK_STR(by_hash.message, by_pw.message);
	CHECK_MEM(by_hash.mppe_send_key, by_pw.mppe_send_key, 16);
	CHECK_MEM(by_hash.mppe_recv_key, by_pw.mppe_recv_key, 16);
	CHECK(memcmp(by_hash.mppe_send_key, by_hash.mppe_recv_key, 16) != 0);

	/* A fresh exchange built by our own peer side. */
	for (int i = 0; i < 16; i++) {
		req.challenge[i] = (uint8_t)(0xa0 + i);
		peer[i] = (uint8_t)(0x11 * i);
	}
	req_init(&req, PK_AUTH_MSCHAPV2, "alice");
	for (int i = 0; i < 16; i++)
		req.challenge[i] = (uint8_t)(0xa0 + i);
	req.challenge_len = 16;
	CHECK_INT(crypto_nt_password_hash("correct horse", hash), PK_OK);
	CHECK_INT(mschapv2_build_response(req.challenge, peer, "alice",
	    "correct horse", resp), PK_OK);
	memcpy(req.response, resp, 49);
	req.response_len = 49;
	CHECK_INT(auth_verify_nt_hash(&req, hash, &by_hash), PK_OK);
	CHECK_INT(by_hash.ok, 1);
	CHECK_INT(auth_verify_local(&req, "correct horse", &by_pw), PK_OK);
	CHECK_STR(by_hash.message, by_pw.message);
	CHECK_MEM(by_hash.mppe_send_key, by_pw.mppe_send_key, 16);
	CHECK_MEM(by_hash.mppe_recv_key, by_pw.mppe_recv_key, 16);
	/* The peer accepts the server's S= computed from the hash. */
	CHECK_INT(mschapv2_check_authenticator_response("correct horse",
	    &resp[24], peer, req.challenge, "alice", by_hash.message,
	    strlen(by_hash.message)), PK_OK);

	/* Another password's hash: refused, the v2 Failure form, no keys. */
	CHECK_INT(crypto_nt_password_hash("correct horsE", hash), PK_OK);
	CHECK_INT(auth_verify_nt_hash(&req, hash, &by_hash), PK_OK);
	CHECK_INT(by_hash.ok, 0);
	CHECK(strncmp(by_hash.message, "E=691 R=0 C=", 12) == 0);
	check_no_keys(&by_hash);

	/* Malformed requests and arguments. */
	req.response_len = 48;
	CHECK_INT(auth_verify_nt_hash(&req, hash, &by_hash), PK_ERR_LENGTH);
	CHECK_INT(by_hash.ok, 0);
	req.response_len = AUTH_RESPONSE_MAX + 1;
	CHECK_INT(auth_verify_nt_hash(&req, hash, &by_hash), PK_ERR_LENGTH);
	CHECK_INT(auth_verify_nt_hash(&req, NULL, &by_hash), PK_ERR_ARG);
	CHECK_INT(auth_verify_nt_hash(NULL, hash, &by_hash), PK_ERR_ARG);
	CHECK_INT(auth_verify_nt_hash(&req, hash, NULL), PK_ERR_ARG);
	auth_result_wipe(&by_pw);
}

static void
test_mschapv1(void)
{
	struct auth_request req;
	struct auth_result by_hash, by_pw;
	uint8_t hash[16], want[16];

	/* RFC 2433 §B.2: challenge and NT response for "MyPw". */
	req_init(&req, PK_AUTH_MSCHAPV1, "User");
	req.challenge_len = test_unhex("10 2D B5 DF 08 5D 30 41",
	    req.challenge, sizeof(req.challenge));
	test_unhex("4E 9D 3C 8F 9C FD 38 5D 5B F4 D3 24 67 91 95 6C"
	    "A4 C3 51 AB 40 9A 3D 61", &req.response[24], 24);
	req.response[48] = 1;
	req.response_len = 49;

	test_unhex(MYPW_HASH, hash, 16);
	CHECK_INT(auth_verify_nt_hash(&req, hash, &by_hash), PK_OK);
	CHECK_INT(by_hash.ok, 1);
	CHECK_STR(by_hash.message, "Access granted");
	CHECK_INT(by_hash.have_mppe_keys, 1);
	/* test_auth's Get_Start_Key value for "MyPw", both directions. */
	test_unhex("cfd3610cd9208ec8134baeff555f76cb", want, 16);
	CHECK_MEM(by_hash.mppe_send_key, want, 16);
	CHECK_MEM(by_hash.mppe_recv_key, want, 16);
	CHECK_INT(auth_verify_local(&req, "MyPw", &by_pw), PK_OK);
	CHECK_MEM(by_hash.mppe_send_key, by_pw.mppe_send_key, 16);
	CHECK_MEM(by_hash.mppe_recv_key, by_pw.mppe_recv_key, 16);
	/* The LM key needs the password: absent with only the hash. */
	CHECK_INT(by_pw.have_lm_key, 1);
	CHECK_INT(by_hash.have_lm_key, 0);
	CHECK(all_zero(by_hash.lm_key, sizeof(by_hash.lm_key)));

	CHECK_INT(crypto_nt_password_hash("mypw", hash), PK_OK);
	CHECK_INT(auth_verify_nt_hash(&req, hash, &by_hash), PK_OK);
	CHECK_INT(by_hash.ok, 0);
	CHECK_STR(by_hash.message, "E=691 R=0");
	check_no_keys(&by_hash);

	/* LM-only (flag 0) is refused here as with a password. */
	test_unhex(MYPW_HASH, hash, 16);
	req.response[48] = 0;
	CHECK_INT(auth_verify_nt_hash(&req, hash, &by_hash), PK_OK);
	CHECK_INT(by_hash.ok, 0);
	check_no_keys(&by_hash);
	auth_result_wipe(&by_pw);
}

/* PAP and CHAP-MD5 need the password: refused with PK_ERR_POLICY, even
 * when the peer sent the right one. */
static void
test_pap_chap_refused(void)
{
	struct auth_request req;
	struct auth_result res;
	uint8_t hash[16];

	CHECK_INT(crypto_nt_password_hash("secret", hash), PK_OK);
	req_init(&req, PK_AUTH_PAP, "alice");
	memcpy(req.response, "secret", 6);
	req.response_len = 6;
	CHECK_INT(auth_verify_local(&req, "secret", &res), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_INT(auth_verify_nt_hash(&req, hash, &res), PK_ERR_POLICY);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "Authentication failure");
	check_no_keys(&res);

	/* MD5(id 1 || "secret" || 00..0f), as in test_auth. */
	req_init(&req, PK_AUTH_CHAP_MD5, "alice");
	req.chap_id = 1;
	for (int i = 0; i < 16; i++)
		req.challenge[i] = (uint8_t)i;
	req.challenge_len = 16;
	req.response_len = test_unhex("740e86463bda3a4d7017d6e0fba0699d",
	    req.response, sizeof(req.response));
	CHECK_INT(auth_verify_local(&req, "secret", &res), PK_OK);
	CHECK_INT(res.ok, 1);
	CHECK_INT(auth_verify_nt_hash(&req, hash, &res), PK_ERR_POLICY);
	CHECK_INT(res.ok, 0);
	CHECK_STR(res.message, "Authentication failure");
	check_no_keys(&res);
}

int
main(void)
{
	pk_rand_use_seeded(0x7e57);
	RUN(test_parse);
	RUN(test_format_round_trip);
	RUN(test_mschapv2);
	RUN(test_mschapv1);
	RUN(test_pap_chap_refused);
	TEST_MAIN_END();
}
