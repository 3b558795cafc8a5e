/*
 * findings.h - what is wrong with the PPTP sessions in a capture: one
 * finding per weakness seen, each with a severity and one sentence of
 * why, computed from the model (audit.h) after the whole capture was
 * read. The codes are stable identifiers for scripts (--json).
 */
#ifndef PK_AUDIT_FINDINGS_H
#define PK_AUDIT_FINDINGS_H

#include <stddef.h>

#include "audit/audit.h"

enum audit_sev {
	AUDIT_SEV_INFO = 0,
	AUDIT_SEV_LOW,
	AUDIT_SEV_MEDIUM,
	AUDIT_SEV_HIGH,
	AUDIT_SEV_CRITICAL,
};

#define AUDIT_FINDING_TEXT_MAX 480

struct audit_finding {
	int severity;		/* enum audit_sev */
	const char *code;	/* e.g. "pap-cleartext"; static */
	unsigned session;	/* call id, 0 if not about one session */
	unsigned ctrl;		/* control connection id, 0 if none */
	long hs;		/* index into audit_cap.hs, -1 if none */
	char text[AUDIT_FINDING_TEXT_MAX];
};

struct audit_findings {
	struct audit_finding *v;
	size_t n, cap;
	unsigned count[AUDIT_SEV_CRITICAL + 1];
};

/*
 * Evaluates a finished capture model (ds: the dissector's counters, may
 * be NULL). Findings come sorted by session, then severity (highest
 * first). Returns 0 or PK_ERR_NOMEM. Free with audit_findings_free().
 */
int audit_findings_eval(const struct audit_cap *c,
    const struct audit_dissect_stats *ds, struct audit_findings *f);
void audit_findings_free(struct audit_findings *f);
const char *audit_sev_name(int sev);

/* Copies s into out (cap bytes, NUL-terminated), with anything that is
 * not printable ASCII, backslash or double quote escaped as \xNN. */
void audit_sanitize(const char *s, char *out, size_t cap);
/* "a.b.c.d" of a host-order IPv4 address into buf (16 bytes). */
const char *audit_ip(uint32_t ip, char *buf);

#endif
