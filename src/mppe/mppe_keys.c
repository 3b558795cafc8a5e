/*
 * mppe_keys.c - MPPE master and session key derivation from MS-CHAP
 * credentials (RFC 3079), as the Linux kernel and pppd compute them.
 *
 * Which MS-CHAPv1 variant: RFC 3079 §2.1/§2.2 derive 40- and 56-bit keys
 * from the LAN Manager hash and §2.3 derives 128-bit keys from
 * Get_Start_Key(challenge, NtPasswordHashHash). pppd (chap_ms.c,
 * mppe_set_chapv1()) hands the kernel the Get_Start_Key value as the
 * master key for every key length, and the kernel (ppp_mppe.c) derives the
 * session key from it with one GetNewKeyFromSHA and, for 8-byte keys, the
 * 40-bit reduction. Interoperating with pppd is the goal, so the engine
 * uses the NT-based start key for 40, 56 and 128 bits
 * (mppe_keys_mschapv1()). The LM-based §2.1/§2.2 keys need no code of
 * their own: they are mppe_get_new_key_from_sha() over the first 8 bytes
 * of mschapv1_lm_password_hash() followed by mppe_reduce_key(), which is
 * how test_mppe reproduces the RFC's §2.5.1/§2.5.2 samples.
 */
#include <string.h>

#include "core/err.h"
#include "crypto/crypto.h"
#include "mppe/mppe_keys.h"

#define MPPE_KEY_MAX 16
#define SHA_PAD_LEN 40
#define NT_RESPONSE_LEN 24
#define V1_CHALLENGE_LEN 8

/* RFC 3078 §7.3 / RFC 3079 §2.4 SHApad1 and SHApad2. */
static const uint8_t sha_pad1[SHA_PAD_LEN] = { 0 };
static const uint8_t sha_pad2[SHA_PAD_LEN] = {
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2
};

/* RFC 3079 §3.4 Magic1: "This is the MPPE Master Key". */
static const uint8_t key_magic1[27] = {
	0x54, 0x68, 0x69, 0x73, 0x20, 0x69, 0x73, 0x20, 0x74,
	0x68, 0x65, 0x20, 0x4d, 0x50, 0x50, 0x45, 0x20, 0x4d,
	0x61, 0x73, 0x74, 0x65, 0x72, 0x20, 0x4b, 0x65, 0x79
};

/* RFC 3079 §3.4 Magic2: "On the client side, this is the send key; on
 * the server side, it is the receive key." */
static const uint8_t key_magic2[84] = {
	0x4f, 0x6e, 0x20, 0x74, 0x68, 0x65, 0x20, 0x63, 0x6c, 0x69,
	0x65, 0x6e, 0x74, 0x20, 0x73, 0x69, 0x64, 0x65, 0x2c, 0x20,
	0x74, 0x68, 0x69, 0x73, 0x20, 0x69, 0x73, 0x20, 0x74, 0x68,
	0x65, 0x20, 0x73, 0x65, 0x6e, 0x64, 0x20, 0x6b, 0x65, 0x79,
	0x3b, 0x20, 0x6f, 0x6e, 0x20, 0x74, 0x68, 0x65, 0x20, 0x73,
	0x65, 0x72, 0x76, 0x65, 0x72, 0x20, 0x73, 0x69, 0x64, 0x65,
	0x2c, 0x20, 0x69, 0x74, 0x20, 0x69, 0x73, 0x20, 0x74, 0x68,
	0x65, 0x20, 0x72, 0x65, 0x63, 0x65, 0x69, 0x76, 0x65, 0x20,
	0x6b, 0x65, 0x79, 0x2e
};

/* RFC 3079 §3.4 Magic3: "On the client side, this is the receive key; on
 * the server side, it is the send key." */
static const uint8_t key_magic3[84] = {
	0x4f, 0x6e, 0x20, 0x74, 0x68, 0x65, 0x20, 0x63, 0x6c, 0x69,
	0x65, 0x6e, 0x74, 0x20, 0x73, 0x69, 0x64, 0x65, 0x2c, 0x20,
	0x74, 0x68, 0x69, 0x73, 0x20, 0x69, 0x73, 0x20, 0x74, 0x68,
	0x65, 0x20, 0x72, 0x65, 0x63, 0x65, 0x69, 0x76, 0x65, 0x20,
	0x6b, 0x65, 0x79, 0x3b, 0x20, 0x6f, 0x6e, 0x20, 0x74, 0x68,
	0x65, 0x20, 0x73, 0x65, 0x72, 0x76, 0x65, 0x72, 0x20, 0x73,
	0x69, 0x64, 0x65, 0x2c, 0x20, 0x69, 0x74, 0x20, 0x69, 0x73,
	0x20, 0x74, 0x68, 0x65, 0x20, 0x73, 0x65, 0x6e, 0x64, 0x20,
	0x6b, 0x65, 0x79, 0x2e
};

void
mppe_get_master_key(const uint8_t password_hash_hash[16],
    const uint8_t nt_response[24], uint8_t master_key[16])
{
	uint8_t digest[CRYPTO_SHA1_LEN];
	struct crypto_sha1 h;

	crypto_sha1_init(&h);
	crypto_sha1_update(&h, password_hash_hash, CRYPTO_NT_HASH_LEN);
	crypto_sha1_update(&h, nt_response, NT_RESPONSE_LEN);
	crypto_sha1_update(&h, key_magic1, sizeof(key_magic1));
	crypto_sha1_final(&h, digest);
	memcpy(master_key, digest, MPPE_KEY_MAX);
	crypto_wipe(digest, sizeof(digest));
}

void
mppe_get_asymmetric_start_key(const uint8_t master_key[16],
    uint8_t session_key[16], size_t key_len, int is_send, int is_server)
{
	uint8_t digest[CRYPTO_SHA1_LEN];
	struct crypto_sha1 h;
	const uint8_t *s;

	/* The client's send key is the server's receive key: Magic2. */
	if (is_send)
		s = is_server ? key_magic3 : key_magic2;
	else
		s = is_server ? key_magic2 : key_magic3;
	if (key_len > MPPE_KEY_MAX)
		key_len = MPPE_KEY_MAX;
	crypto_sha1_init(&h);
	crypto_sha1_update(&h, master_key, MPPE_KEY_MAX);
	crypto_sha1_update(&h, sha_pad1, sizeof(sha_pad1));
	crypto_sha1_update(&h, s, sizeof(key_magic2));
	crypto_sha1_update(&h, sha_pad2, sizeof(sha_pad2));
	crypto_sha1_final(&h, digest);
	memcpy(session_key, digest, key_len);
	crypto_wipe(digest, sizeof(digest));
}

void
mppe_get_start_key_v1(const uint8_t challenge[8],
    const uint8_t nt_password_hash_hash[16], uint8_t start_key[16])
{
	uint8_t digest[CRYPTO_SHA1_LEN];
	struct crypto_sha1 h;

	/* RFC 3079 §2.4 Get_Start_Key; pppd's mppe_set_chapv1(). */
	crypto_sha1_init(&h);
	crypto_sha1_update(&h, nt_password_hash_hash, CRYPTO_NT_HASH_LEN);
	crypto_sha1_update(&h, nt_password_hash_hash, CRYPTO_NT_HASH_LEN);
	crypto_sha1_update(&h, challenge, V1_CHALLENGE_LEN);
	crypto_sha1_final(&h, digest);
	memcpy(start_key, digest, MPPE_KEY_MAX);
	crypto_wipe(digest, sizeof(digest));
}

void
mppe_get_new_key_from_sha(const uint8_t start_key[16],
    const uint8_t session_key[16], size_t key_len, uint8_t interim_key[16])
{
	uint8_t digest[CRYPTO_SHA1_LEN];
	struct crypto_sha1 h;

	if (key_len > MPPE_KEY_MAX)
		key_len = MPPE_KEY_MAX;
	crypto_sha1_init(&h);
	crypto_sha1_update(&h, start_key, key_len);
	crypto_sha1_update(&h, sha_pad1, sizeof(sha_pad1));
	crypto_sha1_update(&h, session_key, key_len);
	crypto_sha1_update(&h, sha_pad2, sizeof(sha_pad2));
	crypto_sha1_final(&h, digest);
	memcpy(interim_key, digest, key_len);
	crypto_wipe(digest, sizeof(digest));
}

void
mppe_reduce_key(uint8_t key[16], int bits)
{
	/* RFC 3078 §7.3, RFC 3079 §3.1/§3.2. */
	if (bits == 40) {
		key[0] = 0xd1;
		key[1] = 0x26;
		key[2] = 0x9e;
	} else if (bits == 56)
		key[0] = 0xd1;
}

void
mppe_change_key(const uint8_t start_key[16], uint8_t session_key[16],
    size_t key_len, int bits)
{
	uint8_t interim[MPPE_KEY_MAX];
	struct crypto_rc4 rc4;

	if (key_len > MPPE_KEY_MAX)
		key_len = MPPE_KEY_MAX;
	mppe_get_new_key_from_sha(start_key, session_key, key_len, interim);
	crypto_rc4_set_key(&rc4, interim, key_len);
	crypto_rc4_crypt(&rc4, session_key, interim, key_len);
	mppe_reduce_key(session_key, bits);
	crypto_wipe(interim, sizeof(interim));
	crypto_wipe(&rc4, sizeof(rc4));
}

void
mppe_keys_mschapv2_hash(const uint8_t password_hash[16],
    const uint8_t nt_response[24], int is_server, uint8_t send_key[16],
    uint8_t recv_key[16])
{
	uint8_t hash_hash[CRYPTO_NT_HASH_LEN], master[MPPE_KEY_MAX];

	/* RFC 3079 §3.3 up to the master session keys. */
	crypto_hash_nt_password_hash(password_hash, hash_hash);
	mppe_get_master_key(hash_hash, nt_response, master);
	mppe_get_asymmetric_start_key(master, send_key, MPPE_KEY_MAX, 1,
	    is_server);
	mppe_get_asymmetric_start_key(master, recv_key, MPPE_KEY_MAX, 0,
	    is_server);
	crypto_wipe(hash_hash, sizeof(hash_hash));
	crypto_wipe(master, sizeof(master));
}

int
mppe_keys_mschapv2(const char *password, const uint8_t nt_response[24],
    int is_server, uint8_t send_key[16], uint8_t recv_key[16])
{
	uint8_t hash[CRYPTO_NT_HASH_LEN];
	int r;

	if ((r = crypto_nt_password_hash(password, hash)) != 0) {
		crypto_wipe(send_key, MPPE_KEY_MAX);
		crypto_wipe(recv_key, MPPE_KEY_MAX);
	} else
		mppe_keys_mschapv2_hash(hash, nt_response, is_server,
		    send_key, recv_key);
	crypto_wipe(hash, sizeof(hash));
	return r;
}

void
mppe_keys_mschapv1_hash(const uint8_t password_hash[16],
    const uint8_t challenge[8], uint8_t send_key[16], uint8_t recv_key[16])
{
	uint8_t hash_hash[CRYPTO_NT_HASH_LEN];

	/* See the top of this file: the NT-based start key for every key
	 * length, the same in both directions (RFC 3079 §2). */
	crypto_hash_nt_password_hash(password_hash, hash_hash);
	mppe_get_start_key_v1(challenge, hash_hash, send_key);
	memcpy(recv_key, send_key, MPPE_KEY_MAX);
	crypto_wipe(hash_hash, sizeof(hash_hash));
}

int
mppe_keys_mschapv1(const char *password, const uint8_t challenge[8],
    uint8_t send_key[16], uint8_t recv_key[16])
{
	uint8_t hash[CRYPTO_NT_HASH_LEN];
	int r;

	if ((r = crypto_nt_password_hash(password, hash)) != 0) {
		crypto_wipe(send_key, MPPE_KEY_MAX);
		crypto_wipe(recv_key, MPPE_KEY_MAX);
	} else
		mppe_keys_mschapv1_hash(hash, challenge, send_key, recv_key);
	crypto_wipe(hash, sizeof(hash));
	return r;
}
