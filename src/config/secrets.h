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
	char secret[PK_PPP_SECRET_MAX + 1];
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
/* Frees and wipes every secret. */
void secrets_free(struct secrets *s);

#endif
