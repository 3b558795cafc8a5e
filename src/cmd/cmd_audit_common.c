/* cmd_audit_common.c - shared flags of the audit sub-commands (see
 * cmd_audit_common.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/export.h"
#include "cmd/cmd_audit_common.h"
#include "crypto/crypto.h"

void
audit_cli_init(struct audit_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	audit_limits_default(&cli->lim);
}

int
audit_cli_number(const char *s, unsigned long min, unsigned long max,
    unsigned long *v)
{
	char *end;

	errno = 0;
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v < min || *v > max)
		return -1;
	return 0;
}

static int
parse_methods(const char *s, unsigned *mask)
{
	char buf[128], *tok, *save;

	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "pap") == 0)
			*mask |= 1u << AUDIT_AUTH_PAP;
		else if (strcmp(tok, "chap-md5") == 0 ||
		    strcmp(tok, "chap") == 0)
			*mask |= 1u << AUDIT_AUTH_CHAP_MD5;
		else if (strcmp(tok, "mschapv1") == 0 ||
		    strcmp(tok, "mschap") == 0)
			*mask |= 1u << AUDIT_AUTH_MSCHAPV1;
		else if (strcmp(tok, "mschapv2") == 0)
			*mask |= 1u << AUDIT_AUTH_MSCHAPV2;
		else
			return -1;
	}
	return *mask != 0 ? 0 : -1;
}

int
audit_cli_common(struct audit_cli *cli, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	unsigned long n;

#define NUMERIC(flag, min, max, dst) do {				\
	if (audit_cli_number(v, (min), (max), &n) != 0) {		\
		fprintf(stderr, "pptpkit: %s needs a number from %lu "	\
		    "to %lu\n", (flag), (unsigned long)(min),		\
		    (unsigned long)(max));				\
		return -1;						\
	}								\
	(dst) = n;							\
	(*i)++;								\
	return 0;							\
} while (0)
	if (strcmp(a, "--port") == 0)
		NUMERIC(a, 1, 65535, cli->port);
	if (strcmp(a, "--max-sessions") == 0)
		NUMERIC(a, 1, 10000000, cli->lim.max_calls);
	if (strcmp(a, "--max-connections") == 0)
		NUMERIC(a, 1, 10000000, cli->lim.max_ctrls);
	if (strcmp(a, "--max-exchanges") == 0)
		NUMERIC(a, 1, 100000000, cli->lim.max_hs);
	if (strcmp(a, "--session") == 0) {
		if (cli->n_sessions >= AUDIT_CLI_SESSIONS_MAX) {
			fprintf(stderr, "pptpkit: at most %d --session\n",
			    AUDIT_CLI_SESSIONS_MAX);
			return -1;
		}
		NUMERIC(a, 1, 100000000, cli->sessions[cli->n_sessions++]);
	}
#undef NUMERIC
	if (strcmp(a, "--method") == 0) {
		if (v == NULL || parse_methods(v, &cli->methods) != 0) {
			fprintf(stderr, "pptpkit: --method takes a list of "
			    "pap, chap-md5, mschapv1, mschapv2\n");
			return -1;
		}
		(*i)++;
		return 0;
	}
	if (strcmp(a, "--successful") == 0) {
		cli->successful = 1;
		return 0;
	}
	if (a[0] != '-' || strcmp(a, "-") == 0) {
		if (cli->capture != NULL) {
			fprintf(stderr, "pptpkit: one capture file only "
			    "(\"%s\", \"%s\")\n", cli->capture, a);
			return -1;
		}
		cli->capture = a;
		return 0;
	}
	return 1;
}

int
audit_cli_selects(const struct audit_cli *cli, const struct audit_cap *c,
    const struct audit_hs *h)
{
	int ok = cli->n_sessions == 0;

	for (size_t s = 0; s < cli->n_sessions; s++)
		if (c->calls[h->call].id == cli->sessions[s])
			ok = 1;
	if (!ok)
		return 0;
	if (cli->methods != 0 && !(cli->methods & (1u << h->method)))
		return 0;
	if (cli->successful && h->result != AUDIT_RES_SUCCESS)
		return 0;
	return 1;
}

static int
read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "pptpkit: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fgets(buf, (int)len, f) == NULL) {
		fprintf(stderr, "pptpkit: %s: empty\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/*
 * --password P, --password-file F, --nt-hash H (repeatable) into creds.
 * Returns 0 if taken, 1 if not ours, -1 on error.
 */
int
audit_cli_cred(int argc, char **argv, int *i, struct audit_cred *creds,
    size_t *n)
{
	const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	char pw[AUDIT_NAME_MAX + 2];
	struct audit_cred *c;

	if (strcmp(a, "--password") != 0 && strcmp(a, "--password-file") != 0 &&
	    strcmp(a, "--nt-hash") != 0)
		return 1;
	if (v == NULL) {
		fprintf(stderr, "pptpkit: %s needs a value\n", a);
		return -1;
	}
	if (*n >= AUDIT_CRED_MAX) {
		fprintf(stderr, "pptpkit: at most %d passwords/hashes\n",
		    AUDIT_CRED_MAX);
		return -1;
	}
	(*i)++;
	c = &creds[*n];
	memset(c, 0, sizeof(*c));
	if (strcmp(a, "--nt-hash") == 0) {
		if (audit_unhex(v, c->nt_hash, 16) != 0) {
			fprintf(stderr, "pptpkit: --nt-hash needs 32 hex "
			    "digits\n");
			return -1;
		}
		(*n)++;
		return 0;
	}
	if (strcmp(a, "--password") == 0) {
		fprintf(stderr, "pptpkit: warning: other users can read "
		    "--password in the process list; --password-file is "
		    "safer\n");
		snprintf(pw, sizeof(pw), "%s", v);
	}
	else if (read_first_line(v, pw, sizeof(pw)) != 0)
		return -1;
	if (strlen(pw) >= AUDIT_NAME_MAX ||
	    crypto_nt_password_hash(pw, c->nt_hash) != 0) {
		fprintf(stderr, "pptpkit: the password is not valid UTF-8 of "
		    "at most 256 characters\n");
		crypto_wipe(pw, sizeof(pw));
		return -1;
	}
	c->have_password = 1;
	snprintf(c->password, sizeof(c->password), "%s", pw);
	crypto_wipe(pw, sizeof(pw));
	(*n)++;
	return 0;
}

