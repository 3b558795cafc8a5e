/* secrets.c - the chap-secrets parser (see secrets.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/secrets.h"
#include "core/err.h"
#include "crypto/crypto.h"

/* A secrets file larger than this is a mistake, not a user list. */
#define SECRETS_FILE_MAX (64 * 1024 * 1024)
#define SECRETS_WORDS_MAX 8
#define SECRETS_WORD_MAX (PK_PPP_SECRET_MAX + 1)
#define SECRETS_NTHASH_PREFIX "nthash:"

/*
 * Splits one line into words. Returns the number of words, or -1 with
 * err set. *pp advances past the line's newline.
 */
static int
split_line(const char **pp, char words[][SECRETS_WORD_MAX], int maxwords,
    const char **errmsg)
{
	const char *p = *pp;
	int n = 0;

	*errmsg = NULL;
	for (;;) {
		size_t len = 0;
		char quote = 0;
		int have_word = 0;

		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '\n' || *p == '#')
			break;
		if (n == maxwords) {
			*errmsg = "too many words on the line";
			goto fail;
		}
		while (*p != '\0' && *p != '\n') {
			char c = *p;

			if (quote == 0 && (c == ' ' || c == '\t' || c == '\r'))
				break;
			if (quote == 0 && c == '#')
				break;
			p++;
			if (quote == 0 && (c == '"' || c == '\'')) {
				quote = c;
				have_word = 1;
				continue;
			}
			if (quote != 0 && c == quote) {
				quote = 0;
				continue;
			}
			if (c == '\\') {
				if (*p == '\0' || *p == '\n') {
					*errmsg = "backslash at end of line";
					goto fail;
				}
				c = *p++;
			}
			if (len + 1 >= SECRETS_WORD_MAX) {
				*errmsg = "word too long";
				goto fail;
			}
			words[n][len++] = c;
			have_word = 1;
		}
		if (quote != 0) {
			*errmsg = "unterminated quote";
			goto fail;
		}
		if (have_word) {
			words[n][len] = '\0';
			n++;
		}
		if (*p == '#')
			break;
	}
	while (*p != '\0' && *p != '\n')
		p++;
	if (*p == '\n')
		p++;
	*pp = p;
	return n;
fail:
	while (*p != '\0' && *p != '\n')
		p++;
	if (*p == '\n')
		p++;
	*pp = p;
	return -1;
}

/*
 * The NT hash of an "nthash:" secret (secrets.h): exactly 32 hex digits,
 * either case. Returns 0 or -1.
 */
static int
parse_nt_hash(const char *hex, uint8_t out[16])
{
	for (int i = 0; i < 32; i++) {
		char c = hex[i];
		int v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (uint8_t)(v << 4);
		else
			out[i / 2] |= (uint8_t)v;
	}
	return hex[32] == '\0' ? 0 : -1;
}

static int
add_entry(struct secrets *s, const struct secret_entry *e)
{
	if (s->n == s->cap) {
		size_t cap = s->cap == 0 ? 16 : s->cap * 2;
		struct secret_entry *ne = calloc(cap, sizeof(*ne));

		if (ne == NULL)
			return PK_ERR_NOMEM;
		if (s->n > 0)
			memcpy(ne, s->entries, s->n * sizeof(*ne));
		if (s->entries != NULL)
			crypto_wipe(s->entries, s->cap * sizeof(*ne));
		free(s->entries);
		s->entries = ne;
		s->cap = cap;
	}
	s->entries[s->n++] = *e;
	return PK_OK;
}

int
secrets_parse(struct secrets *s, const char *text, const char *file,
    char *err, size_t errlen)
{
	static char words[SECRETS_WORDS_MAX][SECRETS_WORD_MAX];
	struct secret_entry e;
	const char *p = text;
	const char *msg;
	int line = 0, r = PK_OK;

	memset(s, 0, sizeof(*s));
	while (*p != '\0') {
		int n;

		line++;
		n = split_line(&p, words, SECRETS_WORDS_MAX, &msg);
		if (n < 0) {
			snprintf(err, errlen, "%s:%d: %s", file, line, msg);
			r = PK_ERR_CONFIG;
			goto out;
		}
		if (n == 0)
			continue;
		if (n < 3) {
			snprintf(err, errlen, "%s:%d: expected \"client server "
			    "secret [address]\", got %d word%s", file, line, n,
			    n == 1 ? "" : "s");
			r = PK_ERR_CONFIG;
			goto out;
		}
		memset(&e, 0, sizeof(e));
		e.line = line;
		if (strlen(words[0]) > PK_PPP_NAME_MAX ||
		    strlen(words[1]) > PK_PPP_NAME_MAX) {
			snprintf(err, errlen, "%s:%d: name longer than %d bytes",
			    file, line, PK_PPP_NAME_MAX);
			r = PK_ERR_CONFIG;
			goto out;
		}
		if (words[2][0] == '@') {
			snprintf(err, errlen, "%s:%d: \"@file\" secrets are not "
			    "supported; put the secret in this file", file,
			    line);
			r = PK_ERR_CONFIG;
			goto out;
		}
		snprintf(e.client, sizeof(e.client), "%s", words[0]);
		snprintf(e.server, sizeof(e.server), "%s", words[1]);
		if (strncmp(words[2], SECRETS_NTHASH_PREFIX,
		    strlen(SECRETS_NTHASH_PREFIX)) == 0) {
			if (parse_nt_hash(words[2] +
			    strlen(SECRETS_NTHASH_PREFIX), e.nt_hash) != 0) {
				snprintf(err, errlen, "%s:%d: \"nthash:\" must "
				    "be followed by the 32 hex digits of the NT "
				    "hash (pptpkit hash-password prints it)",
				    file, line);
				r = PK_ERR_CONFIG;
				goto out;
			}
			e.nt_hash_only = 1;
		} else
			snprintf(e.secret, sizeof(e.secret), "%s", words[2]);
		if (n >= 4) {
			struct in_addr a;

			if (n > 4) {
				snprintf(err, errlen, "%s:%d: more than 4 "
				    "words (only one address per user is "
				    "supported; quote a secret that holds "
				    "blanks)", file, line);
				r = PK_ERR_CONFIG;
				goto out;
			}
			if (strcmp(words[3], "-") == 0)
				e.denied = 1;
			else if (strcmp(words[3], "*") != 0) {
				if (inet_pton(AF_INET, words[3], &a) != 1 ||
				    a.s_addr == 0) {
					/* Never echo the word: it is part
					 * of a secret with a blank. */
					snprintf(err, errlen, "%s:%d: the 4th "
					    "word is not an IPv4 address, \"*\""
					    " or \"-\" (quote a secret that "
					    "holds blanks)", file, line);
					r = PK_ERR_CONFIG;
					goto out;
				}
				e.static_ip = a.s_addr;
			}
		}
		if ((r = add_entry(s, &e)) != 0) {
			snprintf(err, errlen, "%s:%d: out of memory", file, line);
			goto out;
		}
	}
out:
	crypto_wipe(words, sizeof(words));
	crypto_wipe(&e, sizeof(e));
	if (r != PK_OK)
		secrets_free(s);
	return r;
}

int
secrets_check_file(const struct stat *st, uid_t daemon_uid, int *group_read,
    char *msg, size_t msglen)
{
	if (group_read != NULL)
		*group_read = 0;
	if (!S_ISREG(st->st_mode)) {
		snprintf(msg, msglen, "not a regular file");
		return PK_ERR_CONFIG;
	}
	if (st->st_uid != 0 && st->st_uid != daemon_uid) {
		snprintf(msg, msglen, "owned by uid %ld; it must belong to "
		    "root or to the user pptpkitd runs as (uid %ld)",
		    (long)st->st_uid, (long)daemon_uid);
		return PK_ERR_CONFIG;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(msg, msglen, "writable by %s (mode %03o): anyone "
		    "there could add a user; chmod 600 it",
		    (st->st_mode & S_IWOTH) ? "others" : "its group",
		    (unsigned)(st->st_mode & 0777));
		return PK_ERR_CONFIG;
	}
	if ((st->st_mode & S_IROTH) != 0) {
		snprintf(msg, msglen, "readable by every user (mode %03o): "
		    "the passwords are in clear text; chmod 600 it",
		    (unsigned)(st->st_mode & 0777));
		return PK_ERR_CONFIG;
	}
	if (group_read != NULL)
		*group_read = (st->st_mode & S_IRGRP) != 0;
	return PK_OK;
}

int
secrets_load(struct secrets *s, const char *path, int *world_readable,
    char *err, size_t errlen)
{
	char msg[256];
	struct stat st;
	char *text = NULL;
	size_t got = 0;
	int fd, r;

	memset(s, 0, sizeof(*s));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return PK_ERR_CONFIG;
	}
	if (fstat(fd, &st) < 0 || st.st_size > SECRETS_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, st.st_size >
		    SECRETS_FILE_MAX ? "file too large" : strerror(errno));
		close(fd);
		return PK_ERR_CONFIG;
	}
	if (secrets_check_file(&st, geteuid(), world_readable, msg,
	    sizeof(msg)) != 0) {
		snprintf(err, errlen, "%s: %s", path, msg);
		close(fd);
		return PK_ERR_CONFIG;
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return PK_ERR_NOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, text + got, (size_t)st.st_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	text[got] = '\0';
	if (strlen(text) != got) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		r = PK_ERR_CONFIG;
	} else
		r = secrets_parse(s, text, path, err, errlen);
	crypto_wipe(text, got);
	free(text);
	return r;
}

const struct secret_entry *
secrets_find(const struct secrets *s, const char *user,
    const char *server_name)
{
	const struct secret_entry *wild = NULL;

	for (size_t i = 0; i < s->n; i++) {
		const struct secret_entry *e = &s->entries[i];

		if (strcmp(e->server, "*") != 0 &&
		    strcmp(e->server, server_name) != 0)
			continue;
		if (strcmp(e->client, user) == 0)
			return e;
		if (wild == NULL && strcmp(e->client, "*") == 0)
			wild = e;
	}
	return wild;
}

void
secrets_free(struct secrets *s)
{
	if (s == NULL)
		return;
	if (s->entries != NULL)
		crypto_wipe(s->entries, s->cap * sizeof(*s->entries));
	free(s->entries);
	memset(s, 0, sizeof(*s));
}
