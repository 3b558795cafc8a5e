/*
 * export.c - hash lines for hashcat, John the Ripper and crack.sh (see
 * export.h), and the K3 search the crack.sh token needs.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "audit/export.h"
#include "core/err.h"
#include "auth/mschap.h"
#include "crypto/crypto.h"

#define HASHCAT_USER_MAX 60	/* module_05500.c: user 0-60 characters */

void
audit_hex(const uint8_t *p, size_t n, int upper, char *out)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

static int
nibble(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int
audit_unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i = 0;

	while (*s != '\0') {
		int hi, lo;

		if (*s == ':' || *s == ' ' || *s == '-') {
			s++;
			continue;
		}
		if (i == n || (hi = nibble(s[0])) < 0 || s[1] == '\0' ||
		    (lo = nibble(s[1])) < 0)
			return PK_ERR_VALUE;
		out[i++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return i == n ? PK_OK : PK_ERR_VALUE;
}

int
audit_format_parse(const char *name)
{
	if (strcmp(name, "hashcat") == 0)
		return AUDIT_FMT_HASHCAT;
	if (strcmp(name, "hashcat-des") == 0)
		return AUDIT_FMT_HASHCAT_DES;
	if (strcmp(name, "john") == 0)
		return AUDIT_FMT_JOHN;
	if (strcmp(name, "john-short") == 0)
		return AUDIT_FMT_JOHN_SHORT;
	if (strcmp(name, "crack.sh") == 0 || strcmp(name, "cracksh") == 0)
		return AUDIT_FMT_CRACKSH;
	return 0;
}

int
audit_k3_recover(const uint8_t plain[8], const uint8_t nt_response[24],
    uint8_t k3[2])
{
	uint8_t key[7] = { 0 }, out[8];

	/* RFC 2759 §8.5: the third key is hash bytes 14-15 and 5 zeros. */
	for (unsigned v = 0; v < 0x10000; v++) {
		key[0] = (uint8_t)(v >> 8);
		key[1] = (uint8_t)v;
		crypto_des_encrypt_7(key, plain, out);
		if (memcmp(out, nt_response + 16, 8) == 0) {
			k3[0] = key[0];
			k3[1] = key[1];
			return PK_OK;
		}
	}
	return PK_ERR_NOT_FOUND;
}

/* RFC 4648 §4 base64 with padding. */
static void
base64(const uint8_t *p, size_t n, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = tab[v >> 18];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

void
audit_token99(const uint8_t plain[8], const uint8_t nt_response[24],
    const uint8_t k3[2], char out[48])
{
	uint8_t raw[26];

	/* chapcrack ParseCommand.py; hashcat-utils ntlmv1.py reads the
	 * same 26 bytes: P, C1, C2, the two K3 bytes. */
	memcpy(raw, plain, 8);
	memcpy(raw + 8, nt_response, 16);
	memcpy(raw + 24, k3, 2);
	memcpy(out, "$99$", 4);
	base64(raw, sizeof(raw), out + 4);
}

/* hashcat's user field: no ':' (its separator), at most 60 bytes. */
static void
hashcat_user(const char *user, char *out)
{
	size_t o = 0;

	for (; *user != '\0' && o < HASHCAT_USER_MAX; user++)
		out[o++] = *user == ':' || (unsigned char)*user < 0x20 ?
		    '_' : *user;
	out[o] = '\0';
}

static int
line_mschap(const struct audit_hs *h, int fmt, char *out, size_t cap)
{
	char nt[49], ntu[49], p[17], a[33], pc[33], c1[17], c2[17],
	    user[HASHCAT_USER_MAX + 1], tok[48];
	uint8_t k3[2];
	int r;

	audit_hex(h->nt_response, 24, 0, nt);
	audit_hex(h->nt_response, 24, 1, ntu);
	audit_hex(h->des_plain, 8, 0, p);
	audit_hex(h->nt_response, 8, 0, c1);
	audit_hex(h->nt_response + 8, 8, 0, c2);
	switch (fmt) {
	case AUDIT_FMT_HASHCAT:
		hashcat_user(h->user, user);
		snprintf(out, cap, "%s::::%s:%s", user, nt, p);
		return PK_OK;
	case AUDIT_FMT_HASHCAT_DES:
		snprintf(out, cap, "%s:%s\n%s:%s", c1, p, c2, p);
		return PK_OK;
	case AUDIT_FMT_JOHN_SHORT:
		if (h->method == AUDIT_AUTH_MSCHAPV2) {
			audit_hex(h->des_plain, 8, 1, a);
			snprintf(out, cap, "$MSCHAPv2$%s$%s$$%s", a, ntu,
			    mschap_strip_domain(h->user));
			return PK_OK;
		}
		/* FALLTHROUGH */
	case AUDIT_FMT_JOHN:
		if (h->method == AUDIT_AUTH_MSCHAPV1) {
			snprintf(out, cap, "$NETNTLM$%s$%s", p, nt);
			return PK_OK;
		}
		audit_hex(h->challenge, 16, 1, a);
		audit_hex(h->peer_challenge, 16, 1, pc);
		/* John hashes the user name as given, so give it the name
		 * without domain, as RFC 2759 §8.2 does. */
		snprintf(out, cap, "$MSCHAPv2$%s$%s$%s$%s", a, ntu, pc,
		    mschap_strip_domain(h->user));
		return PK_OK;
	case AUDIT_FMT_CRACKSH:
		if ((r = audit_k3_recover(h->des_plain, h->nt_response,
		    k3)) != 0)
			return r;
		audit_token99(h->des_plain, h->nt_response, k3, tok);
		snprintf(out, cap, "%s", tok);
		return PK_OK;
	}
	return PK_ERR_TYPE;
}

int
audit_export_line(const struct audit_hs *h, int fmt, char *out, size_t cap)
{
	char resp[33], chal[2 * AUDIT_VALUE_MAX + 1];

	out[0] = '\0';
	switch (h->method) {
	case AUDIT_AUTH_MSCHAPV1:
	case AUDIT_AUTH_MSCHAPV2:
		if (!h->have_des)
			return PK_ERR_STATE;
		return line_mschap(h, fmt, out, cap);
	case AUDIT_AUTH_CHAP_MD5:
		if (!h->have_challenge || !h->have_response ||
		    h->response_len != 16)
			return PK_ERR_STATE;
		audit_hex(h->response, 16, 0, resp);
		audit_hex(h->challenge, h->challenge_len, 0, chal);
		if (fmt == AUDIT_FMT_HASHCAT) {
			/* module_04800: MD5(id || secret || challenge). */
			snprintf(out, cap, "%s:%s:%02x", resp, chal, h->id);
			return PK_OK;
		}
		if (fmt == AUDIT_FMT_JOHN || fmt == AUDIT_FMT_JOHN_SHORT) {
			snprintf(out, cap, "$chap$%u*%s*%s", h->id, chal, resp);
			return PK_OK;
		}
		return PK_ERR_TYPE;
	}
	return PK_ERR_TYPE;
}
