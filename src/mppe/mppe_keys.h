/*
 * mppe_keys.h - MPPE key derivation, RFC 3079. Names follow the RFC's
 * pseudocode. Keys are 16 bytes in and out; a 40- or 56-bit session key
 * is a 16-byte buffer of which the first 8 bytes are used.
 */
#ifndef PK_MPPE_MPPE_KEYS_H
#define PK_MPPE_MPPE_KEYS_H

#include <stddef.h>
#include <stdint.h>

/* RFC 3079 §3.4 GetMasterKey. */
void mppe_get_master_key(const uint8_t password_hash_hash[16],
    const uint8_t nt_response[24], uint8_t master_key[16]);
/* RFC 3079 §3.4 GetAsymetricStartKey [sic]: key_len 8 or 16. */
void mppe_get_asymmetric_start_key(const uint8_t master_key[16],
    uint8_t session_key[16], size_t key_len, int is_send, int is_server);
/* RFC 3079 §2.4 (v1) Get_Start_Key: SHA-1 over hash-hash twice and the
 * challenge; first 16 bytes. */
void mppe_get_start_key_v1(const uint8_t challenge[8],
    const uint8_t nt_password_hash_hash[16], uint8_t start_key[16]);
/* RFC 3078 §7.3 GetNewKeyFromSHA (RFC 3079 §2.4 calls it Get_Key):
 * SHA-1(start || pad1 || session || pad2), first key_len (8 or 16) bytes.
 * interim_key may alias session_key. */
void mppe_get_new_key_from_sha(const uint8_t start_key[16],
    const uint8_t session_key[16], size_t key_len, uint8_t interim_key[16]);
/* RFC 3079 §2.1/§3.1: set the leading bytes for 40-bit (0xd1 0x26 0x9e)
 * and 56-bit (0xd1) keys. bits is 40, 56 or 128 (no-op). */
void mppe_reduce_key(uint8_t key[16], int bits);

/*
 * RFC 3078 §7.3 key change (RFC 3079 §3.3 for 40/56 bits): interim =
 * GetNewKeyFromSHA(start, session), session = RC4(interim, interim),
 * reduced to bits (40, 56 or 128); key_len 8 or 16. The sender's and
 * every receiver's one way to the next key (mppe.c, audit/decrypt.c).
 */
void mppe_change_key(const uint8_t start_key[16], uint8_t session_key[16],
    size_t key_len, int bits);

/*
 * The master send/receive keys of an MS-CHAPv2 session from the password
 * (RFC 3079 §3.4), from the point of view of is_server. These are the
 * values RADIUS carries as MS-MPPE-Send-Key / MS-MPPE-Recv-Key.
 * Returns 0 or PK_ERR_VALUE (bad password).
 */
int mppe_keys_mschapv2(const char *password, const uint8_t nt_response[24],
    int is_server, uint8_t send_key[16], uint8_t recv_key[16]);
/*
 * The same for MS-CHAPv1: Get_Start_Key(challenge, NtPasswordHashHash)
 * (RFC 3079 §2.3/§2.4), one key for both directions, for every key length
 * as pppd and the Linux kernel use it (not the LM-based 40/56-bit keys of
 * RFC 3079 §2.1/§2.2; mppe_keys.c says why). Returns 0 or PK_ERR_VALUE.
 */
int mppe_keys_mschapv1(const char *password, const uint8_t challenge[8],
    uint8_t send_key[16], uint8_t recv_key[16]);

/*
 * Both from the NT password hash (RFC 2759 §8.3) instead of the password:
 * RFC 3079 uses nothing else of it, so a server that stores only the hash
 * (chap-secrets "nthash:") derives the same keys. They cannot fail.
 */
void mppe_keys_mschapv2_hash(const uint8_t password_hash[16],
    const uint8_t nt_response[24], int is_server, uint8_t send_key[16],
    uint8_t recv_key[16]);
void mppe_keys_mschapv1_hash(const uint8_t password_hash[16],
    const uint8_t challenge[8], uint8_t send_key[16], uint8_t recv_key[16]);

#endif
