/*
 * secrets.h - users from a pppd-format chap-secrets file:
 *
 *	# client	server	secret		IP addresses
 *	alice		*	"s3cret pw"	198.18.1.20
 *	bob		pptpkit	hunter2		*
 *
 * Words are separated by blanks; "..." or '...' quote, backslash escapes
 * the next character, '#' starts a comment outside quotes. A client of
 * "*" matches any user. The server field must be "*" or our name. The
 * address list is optional: "*" or empty means "from the pool", "-" means
 * the user may not connect, an address is that user's static address.
 * pppd allows more forms (@file secrets, address ranges, "+" prefixes);
 * pptpkit refuses them with a clear error rather than guessing.
 *
 * A secret of the form "nthash:" followed by 32 hex digits is not a
 * password but its NT hash (MD4 of the UTF-16LE password, RFC 2759 §8.3),
 * as "pptpkit hash-password" prints it:
 *
 *	carol		*	nthash:8846F7EAEE8FB117AD06BDD830B7586C	*
 *
 * MS-CHAPv1/v2 and MPPE need nothing more, so the file need not hold the
 * password; PAP and CHAP-MD5 logins of such a user are refused. A secret
 * that starts with "nthash:" is always read this way (accel-ppp instead
 * has a file-wide "encrypted=1" switch; a prefix lets one file mix both).
 */
#ifndef PK_CONFIG_SECRETS_H
#define PK_CONFIG_SECRETS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/limits.h"

struct secret_entry {
	char client[PK_PPP_NAME_MAX + 1];
	char server[PK_PPP_NAME_MAX + 1];
	char secret[PK_PPP_SECRET_MAX + 1];	/* empty when nt_hash_only */
	int nt_hash_only;	/* the entry holds the NT hash, no password */
	uint8_t nt_hash[16];
	uint32_t static_ip;	/* network order; 0 = from the pool */
	int denied;		/* address list "-" */
	int line;
};

struct secrets {
	struct secret_entry *entries;
	size_t n;
	size_t cap;
};

/*
 * Parses text (the file's contents, NUL-terminated) into *s. On error
 * returns PK_ERR_CONFIG and writes "file:line: message" to err. A secret
 * longer than the limit, an unterminated quote or an unsupported pppd
 * form are errors; they name the line. Passwords never appear in err.
 */
int secrets_parse(struct secrets *s, const char *text, const char *file,
    char *err, size_t errlen);
/*
 * Reads and parses a file after secrets_check_file() (an error there is
 * PK_ERR_CONFIG, "path: why"); *world_readable (may be NULL) is set when
 * its group may read it, for a warning.
 */
int secrets_load(struct secrets *s, const char *path, int *world_readable,
    char *err, size_t errlen);
/*
 * Whether a secrets file with these attributes may be used: a regular
 * file owned by root or daemon_uid, not writable by group or others (they
 * could add users) and not readable by others (the secrets are clear
 * text). Readable by its group is allowed (*group_read set, may be NULL),
 * for a daemon that reads it through a group. Returns 0 or PK_ERR_CONFIG
 * with the reason in msg.
 */
int secrets_check_file(const struct stat *st, uid_t daemon_uid,
    int *group_read, char *msg, size_t msglen);
/*
 * Finds the entry for user connecting to server_name: an exact client
 * match wins over "*"; the server field must be "*" or server_name. The
 * returned pointer lives until secrets_free(). NULL if none.
 */
const struct secret_entry *secrets_find(const struct secrets *s,
    const char *user, const char *server_name);
/*
 * Writes the line for user with the NT hash of password in place of the
 * password: user, server ("*" when NULL), "nthash:" and 32 hex digits,
 * address ("*" when NULL), tab-separated, no newline; words are quoted as
 * secrets_parse() reads them. Returns 0; PK_ERR_VALUE for a password
 * MS-CHAP cannot hash (invalid UTF-8, over 256 characters), an empty or
 * too long name, a control character or a bad address; PK_ERR_SPACE when
 * out is too small. out is empty on error.
 */
int secrets_format_nthash(const char *user, const char *server,
    const char *address, const char *password, char *out, size_t outlen);
/* Frees and wipes every secret. */
void secrets_free(struct secrets *s);

#endif
