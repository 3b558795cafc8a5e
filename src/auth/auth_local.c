/*
 * auth_local.c - the authenticator's decision from a chap-secrets entry:
 * PAP, CHAP-MD5, MS-CHAPv1 and MS-CHAPv2, with the Success/Failure message
 * texts and the MPPE master keys. The entry holds the clear-text password,
 * or only its NT hash (RFC 2759 §8.3), which is all MS-CHAPv1/v2 and their
 * MPPE keys use of it; PAP and CHAP-MD5 need the password itself.
 *
 * Password-change packets (RFC 2433 §9-§10, RFC 2759 §7) never get here:
 * the PPP layer refuses them.
 */
#include <string.h>

#include "auth/auth.h"
#include "auth/mschap.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rand.h"
#include "crypto/crypto.h"
#include "mppe/mppe_keys.h"
#include "policy/policy.h"

/* Parts of the 49-byte Response fields (RFC 2433 §6, RFC 2759 §4). */
#define LM_RESPONSE_LEN 24
#define NT_RESPONSE_LEN 24
#define V2_RESERVED_LEN 8

/* RFC 2759 §6 / RFC 2433 §8 error code. */
#define MSCHAP_ERROR_AUTHENTICATION_FAILURE 691
/* RFC 2759 §6: "For MS-CHAP-V2, this value SHOULD always be 3". */
#define MSCHAPV2_FAILURE_VERSION 3

#define MSG_GRANTED "Access granted"
#define MSG_FAILURE "Authentication failure"

/* What the server knows of a user's secret. */
struct credential {
	const char *password;	/* NULL when only the NT hash is stored */
	uint8_t nt_hash[CRYPTO_NT_HASH_LEN];
	/* 0 when the password has no NT hash (invalid UTF-8, too long):
	 * MS-CHAP then fails with nt_hash_err. */
	int have_nt_hash;
	int nt_hash_err;
};

static void
credential_from_password(struct credential *cred, const char *password)
{
	memset(cred, 0, sizeof(*cred));
	cred->password = password;
	cred->nt_hash_err = crypto_nt_password_hash(password, cred->nt_hash);
	cred->have_nt_hash = cred->nt_hash_err == 0;
}

static void
set_message(struct auth_result *res, const char *msg)
{
	size_t n = strlen(msg);

	if (n > AUTH_MESSAGE_MAX)
		n = AUTH_MESSAGE_MAX;
	memcpy(res->message, msg, n);
	res->message[n] = '\0';
}

/* PAP (RFC 1334 §2.2.1): the received Password field against ours. */
static int
verify_pap(const struct auth_request *req, const char *password,
    struct auth_result *res)
{
	size_t n;

	if (password == NULL)
		return PK_ERR_POLICY;	/* only the NT hash is stored */
	n = strlen(password);

	/*
	 * A length mismatch is refused before comparing: it tells a timing
	 * observer no more than the Password field (sent in clear) does.
	 */
	if (req->response_len == n &&
	    crypto_memeq(req->response, password, n)) {
		res->ok = 1;
		set_message(res, MSG_GRANTED);
	}
	return PK_OK;
}

/* CHAP with MD5 (RFC 1994 §4.1). */
static int
verify_chap_md5(const struct auth_request *req, const char *password,
    struct auth_result *res)
{
	uint8_t want[AUTH_CHAP_MD5_RESPONSE_LEN];

	if (password == NULL)
		return PK_ERR_POLICY;	/* MD5 over the password itself */
	if (req->challenge_len == 0 ||
	    req->response_len != AUTH_CHAP_MD5_RESPONSE_LEN)
		return PK_ERR_LENGTH;
	chap_md5_response(req->chap_id, (const uint8_t *)password,
	    strlen(password), req->challenge, req->challenge_len, want);
	if (crypto_memeq(want, req->response, sizeof(want))) {
		res->ok = 1;
		set_message(res, MSG_GRANTED);
	}
	crypto_wipe(want, sizeof(want));
	return PK_OK;
}

/* MS-CHAPv1 (RFC 2433 §6), NT response only. */
static int
verify_mschapv1(const struct auth_request *req, const struct credential *cred,
    struct auth_result *res)
{
	uint8_t want[NT_RESPONSE_LEN], lm_hash[CRYPTO_NT_HASH_LEN], use_nt;
	const uint8_t *nt_response;
	struct buf_reader rd;
	int r;

	if (req->challenge_len != AUTH_MSCHAPV1_CHALLENGE_LEN ||
	    req->response_len != AUTH_MSCHAPV1_RESPONSE_LEN)
		return PK_ERR_LENGTH;
	buf_reader_init(&rd, req->response, req->response_len);
	if ((r = buf_skip(&rd, LM_RESPONSE_LEN)) != 0 ||
	    (r = buf_get_ptr(&rd, &nt_response, NT_RESPONSE_LEN)) != 0 ||
	    (r = buf_get_u8(&rd, &use_nt)) != 0 ||
	    (r = buf_expect_end(&rd)) != 0)
		return r;
	/*
	 * Flag 0 asks us to check the LAN Manager response, which RFC 2433
	 * §6 deprecates and which falls to a dictionary in seconds: refuse,
	 * and say why in the Failure message (extra text is allowed, §8).
	 * Any non-zero flag means "use NT", as pppd reads it.
	 */
	if (use_nt == 0) {
		mschap_format_failure(MSCHAP_ERROR_AUTHENTICATION_FAILURE, 0,
		    NULL, 0, 0, "LAN Manager response refused: use-NT flag "
		    "not set", res->message, sizeof(res->message));
		return PK_OK;
	}
	memset(lm_hash, 0, sizeof(lm_hash));
	if (!cred->have_nt_hash) {
		r = cred->nt_hash_err;
		goto out;
	}
	/* RFC 2433 §A.5 NtChallengeResponse from the stored hash. */
	mschap_challenge_response(req->challenge, cred->nt_hash, want);
	if (!crypto_memeq(want, nt_response, NT_RESPONSE_LEN))
		goto out;
	mppe_keys_mschapv1_hash(cred->nt_hash, req->challenge,
	    res->mppe_send_key, res->mppe_recv_key);
	res->have_mppe_keys = 1;
	/* The LM key RADIUS would carry in MS-CHAP-MPPE-Keys (RFC 2548
	 * §2.4.1); informative only, the engine keys MPPE from the NT hash
	 * (mppe_keys.c). Passwords with no LM form, and entries that hold
	 * only the NT hash, simply have none. */
	if (cred->password != NULL &&
	    mschapv1_lm_password_hash(cred->password, lm_hash) == 0) {
		memcpy(res->lm_key, lm_hash, sizeof(res->lm_key));
		res->have_lm_key = 1;
	}
	res->ok = 1;
	set_message(res, MSG_GRANTED);
 out:
	crypto_wipe(want, sizeof(want));
	crypto_wipe(lm_hash, sizeof(lm_hash));
	return r;
}

/* MS-CHAPv2 (RFC 2759 §4-§5, RFC 3079 §3 for the keys). */
static int
verify_mschapv2(const struct auth_request *req, const struct credential *cred,
    struct auth_result *res)
{
	uint8_t want[NT_RESPONSE_LEN];
	char auth_resp[AUTH_MSCHAPV2_AUTHRESP_LEN + 1];
	const uint8_t *peer_challenge, *nt_response;
	struct buf_reader rd;
	uint8_t flags;
	int r;

	if (req->challenge_len != AUTH_MSCHAPV2_CHALLENGE_LEN ||
	    req->response_len != AUTH_MSCHAPV2_RESPONSE_LEN)
		return PK_ERR_LENGTH;
	/*
	 * The Reserved octets and Flags "must be zero" (§4) but are not
	 * checked: they take no part in the computation, and some Windows
	 * versions set Flags (pppd's chap_ms.c notes Win98 sends 0x04).
	 */
	buf_reader_init(&rd, req->response, req->response_len);
	if ((r = buf_get_ptr(&rd, &peer_challenge,
	    AUTH_MSCHAPV2_CHALLENGE_LEN)) != 0 ||
	    (r = buf_skip(&rd, V2_RESERVED_LEN)) != 0 ||
	    (r = buf_get_ptr(&rd, &nt_response, NT_RESPONSE_LEN)) != 0 ||
	    (r = buf_get_u8(&rd, &flags)) != 0 ||
	    (r = buf_expect_end(&rd)) != 0)
		return r;
	memset(auth_resp, 0, sizeof(auth_resp));
	if (!cred->have_nt_hash) {
		r = cred->nt_hash_err;
		goto out;
	}
	mschapv2_generate_nt_response_hash(req->challenge, peer_challenge,
	    req->user, cred->nt_hash, want);
	if (!crypto_memeq(want, nt_response, NT_RESPONSE_LEN))
		goto out;
	mschapv2_generate_authenticator_response_hash(cred->nt_hash,
	    nt_response, peer_challenge, req->challenge, req->user, auth_resp);
	mppe_keys_mschapv2_hash(cred->nt_hash, nt_response, 1,
	    res->mppe_send_key, res->mppe_recv_key);
	res->have_mppe_keys = 1;
	res->ok = 1;
	/* §5: "S=<auth_string> M=<message>". 42 + 3 + 14 bytes fit. */
	memcpy(res->message, auth_resp, AUTH_MSCHAPV2_AUTHRESP_LEN);
	memcpy(&res->message[AUTH_MSCHAPV2_AUTHRESP_LEN], " M=" MSG_GRANTED,
	    sizeof(" M=" MSG_GRANTED));
 out:
	crypto_wipe(want, sizeof(want));
	crypto_wipe(auth_resp, sizeof(auth_resp));
	return r;
}

/* The Failure message for a rejected (or malformed) attempt. */
static void
set_failure(const struct auth_request *req, struct auth_result *res)
{
	uint8_t challenge[AUTH_MSCHAPV2_CHALLENGE_LEN];

	switch (req->method) {
	case PK_AUTH_MSCHAPV2:
		/*
		 * RFC 2759 §6: C= "MUST be present". It is a fresh challenge
		 * for a retry, though with R=0 no retry will come.
		 */
		pk_rand_bytes(challenge, sizeof(challenge));
		mschap_format_failure(MSCHAP_ERROR_AUTHENTICATION_FAILURE, 0,
		    challenge, sizeof(challenge), MSCHAPV2_FAILURE_VERSION,
		    MSG_FAILURE, res->message, sizeof(res->message));
		break;
	case PK_AUTH_MSCHAPV1:
		/* RFC 2433 §8 / §B.1.2: "E=691 R=0", no C= (the peer would
		 * use challenge+23 to retry, and R=0 forbids retrying). */
		if (res->message[0] == '\0')
			mschap_format_failure(
			    MSCHAP_ERROR_AUTHENTICATION_FAILURE, 0, NULL, 0, 0,
			    NULL, res->message, sizeof(res->message));
		break;
	default:
		set_message(res, MSG_FAILURE);
		break;
	}
}

/*
 * pppd (ChapMS's ascii2unicode) and lwIP turn each byte of the secret
 * into one UTF-16 unit for the NT hash, where Windows (and pptpkit)
 * encode the password's characters. For a non-ASCII secret stored as
 * UTF-8 the two differ. Re-encoding each byte as the Latin-1 character
 * of the same value gives a string whose proper NT hash equals pppd's.
 * Returns 1 if the password has non-ASCII bytes and out holds the form.
 */
static int
pppd_form(const char *password, char *out, size_t outlen)
{
	size_t n = 0;
	int high = 0;

	for (const unsigned char *p = (const unsigned char *)password;
	    *p != '\0'; p++) {
		if (n + 3 > outlen)
			return 0;
		if (*p < 0x80) {
			out[n++] = (char)*p;
			continue;
		}
		high = 1;
		out[n++] = (char)(0xc0 | (*p >> 6));
		out[n++] = (char)(0x80 | (*p & 0x3f));
	}
	out[n] = '\0';
	return high;
}

static int
verify_method(const struct auth_request *req, const struct credential *cred,
    struct auth_result *res)
{
	switch (req->method) {
	case PK_AUTH_PAP:
		return verify_pap(req, cred->password, res);
	case PK_AUTH_CHAP_MD5:
		return verify_chap_md5(req, cred->password, res);
	case PK_AUTH_MSCHAPV1:
		return verify_mschapv1(req, cred, res);
	case PK_AUTH_MSCHAPV2:
		return verify_mschapv2(req, cred, res);
	default:
		return PK_ERR_TYPE;
	}
}

/* Framing of the request before any hashing. */
static int
check_request(const struct auth_request *req)
{
	if (memchr(req->user, '\0', sizeof(req->user)) == NULL ||
	    req->challenge_len > sizeof(req->challenge) ||
	    req->response_len > sizeof(req->response))
		return PK_ERR_LENGTH;
	return PK_OK;
}

/* The common end: a refusal never leaves keys behind and always carries
 * the method's Failure message. */
static int
finish(const struct auth_request *req, struct auth_result *res, int r)
{
	if (r != 0 || !res->ok) {
		/* Never leave keys from a half-done success behind. */
		auth_result_wipe(res);
		res->ok = 0;
		set_failure(req, res);
	}
	return r;
}

int
auth_verify_local(const struct auth_request *req, const char *password,
    struct auth_result *res)
{
	struct credential cred;
	int r;

	if (res == NULL)
		return PK_ERR_ARG;
	memset(res, 0, sizeof(*res));
	if (req == NULL || password == NULL)
		return PK_ERR_ARG;
	if ((r = check_request(req)) != 0)
		return finish(req, res, r);
	credential_from_password(&cred, password);
	r = verify_method(req, &cred, res);
	if (r == 0 && !res->ok && (req->method == PK_AUTH_MSCHAPV1 ||
	    req->method == PK_AUTH_MSCHAPV2)) {
		/* A pppd peer hashed a non-ASCII secret byte by byte. */
		char alt[2 * PK_PPP_SECRET_MAX + 1];

		if (pppd_form(password, alt, sizeof(alt))) {
			memset(res, 0, sizeof(*res));
			crypto_wipe(&cred, sizeof(cred));
			credential_from_password(&cred, alt);
			r = verify_method(req, &cred, res);
		}
		crypto_wipe(alt, sizeof(alt));
	}
	crypto_wipe(&cred, sizeof(cred));
	return finish(req, res, r);
}

int
auth_verify_nt_hash(const struct auth_request *req, const uint8_t nt_hash[16],
    struct auth_result *res)
{
	struct credential cred;
	int r;

	if (res == NULL)
		return PK_ERR_ARG;
	memset(res, 0, sizeof(*res));
	if (req == NULL || nt_hash == NULL)
		return PK_ERR_ARG;
	if ((r = check_request(req)) != 0)
		return finish(req, res, r);
	memset(&cred, 0, sizeof(cred));
	memcpy(cred.nt_hash, nt_hash, sizeof(cred.nt_hash));
	cred.have_nt_hash = 1;
	r = verify_method(req, &cred, res);
	crypto_wipe(&cred, sizeof(cred));
	return finish(req, res, r);
}

void
auth_result_wipe(struct auth_result *res)
{
	if (res == NULL)
		return;
	crypto_wipe(res->mppe_send_key, sizeof(res->mppe_send_key));
	crypto_wipe(res->mppe_recv_key, sizeof(res->mppe_recv_key));
	crypto_wipe(res->lm_key, sizeof(res->lm_key));
	res->have_mppe_keys = 0;
	res->have_lm_key = 0;
}
