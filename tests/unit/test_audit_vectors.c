/*
 * test_audit_vectors.c - the audit toolkit's formats and key chain on
 * the published vectors (audit-reference.md §9): RFC 2759 §9.2/§9.3
 * (DES keys, K3, the crack.sh token, hashcat 5500 and 14000 lines, John's
 * long and short forms), chapcrack's second vector, and RFC 3079 §3.5
 * (master key, start and session keys for 40/56/128 bits, the RC4
 * sample; the 56-bit ciphertext's misprinted last byte is marked).
 */
#include <string.h>

#include "audit/audit.h"
#include "audit/crack.h"
#include "audit/decrypt.h"
#include "audit/export.h"
#include "auth/mschap.h"
#include "core/err.h"
#include "crypto/crypto.h"
#include "mppe/mppe_keys.h"
#include "test.h"

/* RFC 2759 §9.2 */
#define V_USER "User"
#define V_PASS "clientPass"
#define V_AUTH "5B5D7C7D7B3F2F3E3C2C602132262628"
#define V_PEER "21402324255E262A28295F2B3A337C7E"
#define V_CHAL "D02E4386BCE91226"
#define V_HASH "44EBBA8D5312B8D611474411F56989AE"
#define V_RESP "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
#define V_HASHHASH "41C00C584BD2D91C4017A2A12FA59F3F"

/* An MS-CHAPv2 exchange as the capture model holds it: the server
 * (direction 1) authenticates the client (direction 0). */
static void
vector_hs(struct audit_hs *h)
{
	uint8_t resp[49] = { 0 };

	memset(h, 0, sizeof(*h));
	h->method = AUDIT_AUTH_MSCHAPV2;
	h->auth_dir = 1;
	h->id = 7;
	snprintf(h->user, sizeof(h->user), "%s", V_USER);
	h->have_challenge = h->have_response = 1;
	h->challenge_len = test_unhex(V_AUTH, h->challenge, 16);
	test_unhex(V_PEER, resp, 16);
	test_unhex(V_RESP, resp + 24, 24);
	memcpy(h->response, resp, 49);
	h->response_len = 49;
	memcpy(h->peer_challenge, resp, 16);
	memcpy(h->nt_response, resp + 24, 24);
	mschapv2_challenge_hash(h->peer_challenge, h->challenge, h->user,
	    h->des_plain);
	h->have_des = 1;
	h->result = AUDIT_RES_SUCCESS;
}

static void
test_rfc2759_des_keys(void)
{
	uint8_t hash[16], want[16], k8[8], k7[7], want8[8], chal[8];
	struct audit_hs h;

	CHECK_INT(crypto_nt_password_hash(V_PASS, hash), 0);
	test_unhex(V_HASH, want, 16);
	CHECK_MEM(hash, want, 16);
	vector_hs(&h);
	test_unhex(V_CHAL, chal, 8);
	CHECK_MEM(h.des_plain, chal, 8);
	/* K1, K2, K3 with odd parity (audit-reference.md §9.3). */
	audit_des_expand(hash, k8);
	test_unhex("4575EF51D5984A70", want8, 8);
	CHECK_MEM(k8, want8, 8);
	audit_des_expand(hash + 7, k8);
	test_unhex("D60851E9408FD5D3", want8, 8);
	CHECK_MEM(k8, want8, 8);
	memset(k7, 0, sizeof(k7));
	memcpy(k7, hash + 14, 2);
	audit_des_expand(k7, k8);
	test_unhex("89D6800101010101", want8, 8);
	CHECK_MEM(k8, want8, 8);
	/* And back: dropping the parity bits gives the hash bytes. */
	audit_des_compress(k8, k7);
	CHECK_MEM(k7, hash + 14, 2);
	CHECK(k7[2] == 0 && k7[6] == 0);
}

static void
test_rfc2759_93_example(void)
{
	uint8_t hash[16], want[16], k8[24], want24[18];

	/* §9.3: "MyPw" and its parity-corrected DES key bytes. */
	CHECK_INT(crypto_nt_password_hash("MyPw", hash), 0);
	test_unhex("FC156AF7EDCD6C0EDDE3337D427F4EAC", want, 16);
	CHECK_MEM(hash, want, 16);
	audit_des_expand(hash, k8);
	audit_des_expand(hash + 7, k8 + 8);
	{
		uint8_t k3[7] = { hash[14], hash[15], 0, 0, 0, 0, 0 };

		audit_des_expand(k3, k8 + 16);
	}
	test_unhex("FD0B5B5E7F6E34D90E6E796737EA08FE4F57", want24, 18);
	CHECK_MEM(k8, want24, 18);
}

static void
test_k3_and_token(void)
{
	struct audit_hs h;
	char line[AUDIT_LINE_MAX];
	uint8_t k3[2];

	vector_hs(&h);
	CHECK_INT(audit_k3_recover(h.des_plain, h.nt_response, k3), 0);
	CHECK_INT(k3[0], 0x89);
	CHECK_INT(k3[1], 0xae);
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_CRACKSH, line, sizeof(line)),
	    0);
	CHECK_STR(line, "$99$0C5DhrzpEiaCMJ7NjXCLXqCPqjmBzYNUia4=");
	/* A response no K3 produces: not MS-CHAP. */
	h.nt_response[23] ^= 1;
	CHECK_INT(audit_k3_recover(h.des_plain, h.nt_response, k3),
	    PK_ERR_NOT_FOUND);
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_CRACKSH, line, sizeof(line)),
	    PK_ERR_NOT_FOUND);
}

static void
test_hash_lines(void)
{
	struct audit_hs h;
	char line[AUDIT_LINE_MAX];

	vector_hs(&h);
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT, line, sizeof(line)),
	    0);
	CHECK_STR(line, "User::::82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df"
	    ":d02e4386bce91226");
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT_DES, line,
	    sizeof(line)), 0);
	CHECK_STR(line, "82309ecd8d708b5e:d02e4386bce91226\n"
	    "a08faa3981cd8354:d02e4386bce91226");
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_JOHN, line, sizeof(line)), 0);
	CHECK_STR(line, "$MSCHAPv2$5B5D7C7D7B3F2F3E3C2C602132262628$"
	    "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF$"
	    "21402324255E262A28295F2B3A337C7E$User");
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_JOHN_SHORT, line,
	    sizeof(line)), 0);
	CHECK_STR(line, "$MSCHAPv2$D02E4386BCE91226$"
	    "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF$$User");
	/* A domain is not hashed (RFC 2759 §8.2): John gets the bare name,
	 * and the plaintext is the same. */
	snprintf(h.user, sizeof(h.user), "BIGCO\\User");
	mschapv2_challenge_hash(h.peer_challenge, h.challenge, h.user,
	    h.des_plain);
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT, line, sizeof(line)),
	    0);
	CHECK_STR(line, "BIGCO\\User::::82309ecd8d708b5ea08faa3981cd83544233114"
	    "a3d85d6df:d02e4386bce91226");
	/* hashcat's separator never appears in its user field. */
	snprintf(h.user, sizeof(h.user), "a:b");
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT, line, sizeof(line)),
	    0);
	CHECK(strncmp(line, "a_b::::", 7) == 0);
	/* Without a challenge nothing can be exported. */
	h.have_des = 0;
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT, line, sizeof(line)),
	    PK_ERR_STATE);
}

static void
test_moxie_vector(void)
{
	uint8_t plain[8], resp[24], hash[16], want[16];
	struct audit_target t;
	char tok[48];

	/* chapcrack's sample, via John's test list (§9.3, second). */
	test_unhex("6D0E1C056CD94D5F", plain, 8);
	test_unhex("1C93ABCE815400686BAECA315F348469256420598A73AD49", resp,
	    24);
	CHECK_INT(audit_target_mschap(plain, resp, AUDIT_AUTH_MSCHAPV2, "moxie",
	    &t), 0);
	audit_token99(plain, resp, t.k3, tok);
	CHECK_STR(tok, "$99$bQ4cBWzZTV8ck6vOgVQAaGuuyjFfNIRpw9Q=");
	CHECK_INT(crypto_nt_password_hash("bPCFyF2uL1p5Lg5yrKmqmY", hash), 0);
	test_unhex("653885dfde892a0740d4374de3d0c3d4", want, 16);
	CHECK_MEM(hash, want, 16);
	CHECK_INT(t.k3[0], 0xc3);
	CHECK_INT(t.k3[1], 0xd4);
	CHECK(audit_target_check_password(&t, "bPCFyF2uL1p5Lg5yrKmqmY"));
	CHECK_MEM(t.nt_hash, want, 16);
	t.found = 0;
	CHECK(!audit_target_check_password(&t, "bPCFyF2uL1p5Lg5yrKmqmy"));
}

static void
test_rfc3079_chain(void)
{
	uint8_t hash[16], hh[16], resp[24], mk[16], want[16], key[16];
	uint8_t master[2][16], ct[12];
	struct crypto_rc4 rc4;
	struct audit_hs h;
	static const char msg[] = "test message";

	test_unhex(V_HASH, hash, 16);
	test_unhex(V_RESP, resp, 24);
	crypto_hash_nt_password_hash(hash, hh);
	test_unhex(V_HASHHASH, want, 16);
	CHECK_MEM(hh, want, 16);
	mppe_get_master_key(hh, resp, mk);
	test_unhex("FDECE3717A8C838CB388E527AE3CDD31", want, 16);
	CHECK_MEM(mk, want, 16);

	/* The RFC's "SendStartKey" is the server's send key (Magic3); the
	 * decryptor gives it to the authenticator's direction. */
	vector_hs(&h);
	CHECK_INT(audit_mppe_master_keys(&h, hash, master), 0);
	test_unhex("8B7CDC149B993A1BA118CB153F56DCCB", want, 16);
	CHECK_MEM(master[1], want, 16);
	test_unhex("D5F0E9521E3EA9589645E86051C82226", want, 16);
	CHECK_MEM(master[0], want, 16);
	/* A wrong NT hash does not produce the response: refused. */
	hash[0] ^= 1;
	CHECK_INT(audit_mppe_master_keys(&h, hash, master), PK_ERR_AUTH);
	hash[0] ^= 1;

	/* §3.5.1-§3.5.3: session keys and the RC4 sample. */
	{
		static const struct {
			int bits;
			const char *start, *session, *cipher;
		} v[] = {
			{ 40, "8B7CDC149B993A1B", "D1269EC49FA62E3E",
			    "929137917E5803D668D75898" },
			/* RFC 3079 §3.5.2 prints the last byte as 58; RC4
			 * with the printed key gives B8 (the misprint). */
			{ 56, "8B7CDC149B993A1B", "D15C00C49FA62E3E",
			    "3F106833FA448DA842BC57B8" },
			{ 128, "8B7CDC149B993A1BA118CB153F56DCCB",
			    "405CB2247A7956E6E211007AE27B22D4",
			    "81848317DF68846272FB5ABE" },
		};

		for (size_t i = 0; i < 3; i++) {
			size_t kl = v[i].bits == 128 ? 16 : 8;
			uint8_t start[16] = { 0 }, ws[16], wc[12];

			mppe_get_asymmetric_start_key(mk, start, kl, 1, 1);
			test_unhex(v[i].start, ws, kl);
			CHECK_MEM(start, ws, kl);
			mppe_get_new_key_from_sha(start, start, kl, key);
			mppe_reduce_key(key, v[i].bits);
			test_unhex(v[i].session, ws, kl);
			CHECK_MEM(key, ws, kl);
			crypto_rc4_set_key(&rc4, key, kl);
			crypto_rc4_crypt(&rc4, ct, (const uint8_t *)msg, 12);
			test_unhex(v[i].cipher, wc, 12);
			CHECK_MEM(ct, wc, 12);
		}
		CHECK(ct[11] != 0x58);
	}
	/* One stateless key change (self-computed in the reference). */
	test_unhex("405CB2247A7956E6E211007AE27B22D4", key, 16);
	mppe_change_key(master[1], key, 16, 128);
	test_unhex("726F10500E2B54135B1B74D7682F0471", want, 16);
	CHECK_MEM(key, want, 16);
}

static void
test_formats_other_methods(void)
{
	struct audit_hs h;
	char line[AUDIT_LINE_MAX];

	/* CHAP-MD5: hashcat -m 4800 "response:challenge:id", John's $chap$
	 * (John's own test: id 0, password "password"). */
	memset(&h, 0, sizeof(h));
	h.method = AUDIT_AUTH_CHAP_MD5;
	h.have_challenge = h.have_response = 1;
	h.id = 0;
	h.challenge_len = test_unhex("cc7e5247514551acdcbf782c4027bfb1",
	    h.challenge, 16);
	h.response_len = test_unhex("fdfdad5277812ae40956a66f3db23308",
	    h.response, 16);
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT, line, sizeof(line)),
	    0);
	CHECK_STR(line, "fdfdad5277812ae40956a66f3db23308:"
	    "cc7e5247514551acdcbf782c4027bfb1:00");
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_JOHN, line, sizeof(line)), 0);
	CHECK_STR(line, "$chap$0*cc7e5247514551acdcbf782c4027bfb1*"
	    "fdfdad5277812ae40956a66f3db23308");
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT_DES, line,
	    sizeof(line)), PK_ERR_TYPE);
	{
		struct audit_target t;

		CHECK_INT(audit_target_from_hs(&h, 1, &t), 0);
		CHECK(audit_target_check_password(&t, "password"));
		t.found = 0;
		CHECK(!audit_target_check_password(&t, "Password"));
	}
	/* PAP: nothing to crack, nothing exported. */
	h.method = AUDIT_AUTH_PAP;
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT, line, sizeof(line)),
	    PK_ERR_TYPE);
	/* MS-CHAPv1: 5500 with the raw challenge, John's $NETNTLM$. */
	memset(&h, 0, sizeof(h));
	h.method = AUDIT_AUTH_MSCHAPV1;
	snprintf(h.user, sizeof(h.user), "bob");
	h.have_des = 1;
	test_unhex("0102030405060708", h.des_plain, 8);
	mschapv1_nt_challenge_response(h.des_plain, "secret", h.nt_response);
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_JOHN, line, sizeof(line)), 0);
	CHECK(strncmp(line, "$NETNTLM$0102030405060708$", 26) == 0);
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_HASHCAT, line, sizeof(line)),
	    0);
	CHECK(strncmp(line, "bob::::", 7) == 0 &&
	    strcmp(line + strlen(line) - 17, ":0102030405060708") == 0);
	CHECK_INT(audit_export_line(&h, AUDIT_FMT_CRACKSH, line, sizeof(line)),
	    0);
	CHECK(strncmp(line, "$99$", 4) == 0 && strlen(line) == 40);
}

static void
test_unhex_forms(void)
{
	uint8_t b[8], want[8];

	test_unhex("d02e4386bce91226", want, 8);
	CHECK_INT(audit_unhex("d0:2e:43:86:bc:e9:12:26", b, 8), 0);
	CHECK_MEM(b, want, 8);
	CHECK_INT(audit_unhex("D02E4386BCE91226", b, 8), 0);
	CHECK_MEM(b, want, 8);
	CHECK_INT(audit_unhex("d02e4386bce912", b, 8), PK_ERR_VALUE);
	CHECK_INT(audit_unhex("d02e4386bce9122600", b, 8), PK_ERR_VALUE);
	CHECK_INT(audit_unhex("d02e4386bce9122g", b, 8), PK_ERR_VALUE);
	CHECK_INT(audit_unhex("d02e4386bce9122", b, 8), PK_ERR_VALUE);
}

int
main(void)
{
	RUN(test_rfc2759_des_keys);
	RUN(test_rfc2759_93_example);
	RUN(test_k3_and_token);
	RUN(test_hash_lines);
	RUN(test_moxie_vector);
	RUN(test_rfc3079_chain);
	RUN(test_formats_other_methods);
	RUN(test_unhex_forms);
	TEST_MAIN_END();
}
