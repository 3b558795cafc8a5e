/*
 * report.h - `pptpkit audit`'s output: a table for people, JSON (json-c)
 * for scripts. Both show the same facts: the capture, each control
 * connection, each session (call) with its exchanges and MPPE, and the
 * findings with their severity and reason.
 */
#ifndef PK_AUDIT_REPORT_H
#define PK_AUDIT_REPORT_H

#include <stdio.h>

#include "audit/audit.h"
#include "audit/findings.h"

struct audit_report {
	const char *file;
	int dlt;
	const struct audit_dissect_stats *ds;
	const struct audit_cap *cap;
	const struct audit_findings *fnd;
	const char *read_warning;	/* e.g. libpcap's "truncated dump
					 * file", or NULL */
};

void audit_report_text(FILE *out, const struct audit_report *r);
/* Returns 0 or PK_ERR_NOMEM. */
int audit_report_json(FILE *out, const struct audit_report *r);

#endif
