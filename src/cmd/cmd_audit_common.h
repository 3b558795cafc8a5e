/*
 * cmd_audit_common.h - flags the audit sub-commands share: the capture
 * file, the control port, the caps, and which sessions, methods and
 * results an export, crack or decrypt covers.
 */
#ifndef PK_CMD_AUDIT_COMMON_H
#define PK_CMD_AUDIT_COMMON_H

#include "audit/audit.h"
#include "audit/decrypt.h"

#define AUDIT_CLI_SESSIONS_MAX 64

struct audit_cli {
	const char *capture;
	unsigned port;
	struct audit_limits lim;
	unsigned sessions[AUDIT_CLI_SESSIONS_MAX];
	size_t n_sessions;
	unsigned methods;	/* bit per enum audit_auth; 0: all */
	int successful;
};

void audit_cli_init(struct audit_cli *cli);
/*
 * Takes argv[*i] (and its value, advancing *i) if it is a shared flag or
 * the capture file. Returns 0 if taken, 1 if not ours, -1 after printing
 * an error.
 */
int audit_cli_common(struct audit_cli *cli, int argc, char **argv, int *i);
/* 1 if the flags select exchange h. */
int audit_cli_selects(const struct audit_cli *cli, const struct audit_cap *c,
    const struct audit_hs *h);
/* Parses an unsigned decimal in [min, max]; returns 0 or -1. */
int audit_cli_number(const char *s, unsigned long min, unsigned long max,
    unsigned long *v);

/*
 * --password P, --password-file F (first line) or --nt-hash H at
 * argv[*i] (repeatable, up to AUDIT_CRED_MAX) into creds[*n]. Returns 0
 * if taken, 1 if not one of these, -1 after printing an error.
 */
int audit_cli_cred(int argc, char **argv, int *i, struct audit_cred *creds,
    size_t *n);

#endif
