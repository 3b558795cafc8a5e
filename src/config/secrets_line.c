/*
 * secrets_line.c - writes chap-secrets lines, the inverse of
 * secrets_parse(): what "pptpkit hash-password" prints so that an
 * operator can keep the NT hash of a password instead of the password
 * (secrets.h). Quoting follows the parser's rules, so every line written
 * here reads back to the same entry (test_secrets_line checks it).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "config/secrets.h"
#include "core/err.h"
#include "crypto/crypto.h"

static const char hex_upper[] = "0123456789ABCDEF";

/* Appends one word at *pos, quoted when the parser would otherwise split
 * or strip it. Control characters cannot be written at all. */
static int
put_word(char *out, size_t outlen, size_t *pos, const char *w)
{
	int quote = w[0] == '\0';
	size_t need = 0;

	for (const char *p = w; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return PK_ERR_VALUE;
		if (strchr(" \t#\"'\\", *p) != NULL)
			quote = 1;
		need += (*p == '"' || *p == '\\') ? 2 : 1;
	}
	need += quote ? 2 : 0;
	if (*pos + need + 1 > outlen)
		return PK_ERR_SPACE;
	if (quote)
		out[(*pos)++] = '"';
	for (const char *p = w; *p != '\0'; p++) {
		/* Inside quotes a backslash escapes the next character. */
		if (quote && (*p == '"' || *p == '\\'))
			out[(*pos)++] = '\\';
		out[(*pos)++] = *p;
	}
	if (quote)
		out[(*pos)++] = '"';
	out[*pos] = '\0';
	return PK_OK;
}

static int
put_tab(char *out, size_t outlen, size_t *pos)
{
	if (*pos + 2 > outlen)
		return PK_ERR_SPACE;
	out[(*pos)++] = '\t';
	out[*pos] = '\0';
	return PK_OK;
}

int
secrets_format_nthash(const char *user, const char *server,
    const char *address, const char *password, char *out, size_t outlen)
{
	uint8_t hash[CRYPTO_NT_HASH_LEN];
	char field[sizeof("nthash:") + 2 * CRYPTO_NT_HASH_LEN];
	struct in_addr a;
	size_t pos = 0;
	int r;

	if (out == NULL || outlen == 0)
		return PK_ERR_ARG;
	out[0] = '\0';
	if (user == NULL || password == NULL)
		return PK_ERR_ARG;
	if (server == NULL)
		server = "*";
	if (address == NULL)
		address = "*";
	if (user[0] == '\0' || strlen(user) > PK_PPP_NAME_MAX ||
	    server[0] == '\0' || strlen(server) > PK_PPP_NAME_MAX)
		return PK_ERR_VALUE;
	/* The same address forms secrets_parse() accepts. */
	if (strcmp(address, "*") != 0 && strcmp(address, "-") != 0 &&
	    (inet_pton(AF_INET, address, &a) != 1 || a.s_addr == 0))
		return PK_ERR_VALUE;
	/* RFC 2759 §8.3 NtPasswordHash: refuses what MS-CHAP cannot hash
	 * (invalid UTF-8, over 256 characters). */
	if ((r = crypto_nt_password_hash(password, hash)) != 0)
		goto out;
	memcpy(field, "nthash:", 7);
	for (size_t i = 0; i < CRYPTO_NT_HASH_LEN; i++) {
		field[7 + 2 * i] = hex_upper[hash[i] >> 4];
		field[8 + 2 * i] = hex_upper[hash[i] & 0x0f];
	}
	field[sizeof(field) - 1] = '\0';
	if ((r = put_word(out, outlen, &pos, user)) != 0 ||
	    (r = put_tab(out, outlen, &pos)) != 0 ||
	    (r = put_word(out, outlen, &pos, server)) != 0 ||
	    (r = put_tab(out, outlen, &pos)) != 0 ||
	    (r = put_word(out, outlen, &pos, field)) != 0 ||
	    (r = put_tab(out, outlen, &pos)) != 0 ||
	    (r = put_word(out, outlen, &pos, address)) != 0)
		goto out;
 out:
	crypto_wipe(hash, sizeof(hash));
	crypto_wipe(field, sizeof(field));
	if (r != 0)
		out[0] = '\0';
	return r;
}
