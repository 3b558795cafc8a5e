/*
 * export.h - one captured exchange as the line each cracking tool takes
 * (audit-reference.md §5 and §1.3):
 *
 *   hashcat      -m 5500 (also 27000) "user::::nt-response:challenge" for
 *                MS-CHAPv1 and MS-CHAPv2 (v2: the ChallengeHash; the LM
 *                field left empty so hashcat never takes it for ESS);
 *                -m 4800 "response:challenge:id" for CHAP-MD5
 *   hashcat-des  -m 14000 "C1:P" and "C2:P": the first two DES blocks
 *                of the NT-response under the same plaintext
 *   john         $MSCHAPv2$ long form, $NETNTLM$ for MS-CHAPv1, $chap$
 *                for CHAP-MD5 (john-short: $MSCHAPv2$ with the 8-byte
 *                ChallengeHash, as John also takes it)
 *   crack.sh     "$99$" base64(P || C1 || C2 || K3[0..1]), K3 found here
 *
 * Pure functions over fixed inputs; nothing here reads a capture.
 */
#ifndef PK_AUDIT_EXPORT_H
#define PK_AUDIT_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"

enum audit_format {
	AUDIT_FMT_HASHCAT = 1,
	AUDIT_FMT_HASHCAT_DES,
	AUDIT_FMT_JOHN,
	AUDIT_FMT_CRACKSH,
	AUDIT_FMT_JOHN_SHORT,	/* $MSCHAPv2$ with the ChallengeHash */
};

/* Room for any one line (two for hashcat-des, '\n'-separated). */
#define AUDIT_LINE_MAX 1400

/* Writes n bytes as 2n lowercase (or uppercase) hex digits and a NUL. */
void audit_hex(const uint8_t *p, size_t n, int upper, char *out);
/* Parses hex (colons and spaces allowed between bytes) into exactly n
 * bytes. Returns 0 or PK_ERR_VALUE. */
int audit_unhex(const char *s, uint8_t *out, size_t n);

/* "hashcat", "hashcat-des", "john", "john-short", "crack.sh" -> enum,
 * 0 if unknown. */
int audit_format_parse(const char *name);

/*
 * RFC 2759 §8.5/§8.6 in reverse: the two NT-hash bytes 14-15 (K3 is
 * them followed by five zero bytes) that make DES(K3, plain) equal the
 * third block of nt_response. 2^16 DES trials. Returns 0, or
 * PK_ERR_NOT_FOUND if none does (the response is not MS-CHAP's).
 */
int audit_k3_recover(const uint8_t plain[8], const uint8_t nt_response[24],
    uint8_t k3[2]);

/*
 * The line(s) for exchange h in format fmt, NUL-terminated, without a
 * final newline. Returns 0, PK_ERR_TYPE when the format has no line for
 * this method (PAP; CHAP-MD5 in hashcat-des/crack.sh), PK_ERR_STATE when
 * the exchange lacks a challenge or response, or PK_ERR_NOT_FOUND when
 * K3 cannot be found (crack.sh).
 */
int audit_export_line(const struct audit_hs *h, int fmt, char *out,
    size_t cap);

/* The crack.sh / chapcrack token from its parts (26 bytes encoded). */
void audit_token99(const uint8_t plain[8], const uint8_t nt_response[24],
    const uint8_t k3[2], char out[48]);

#endif
