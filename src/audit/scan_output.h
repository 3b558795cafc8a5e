/*
 * scan_output.h - how `pptpkit scan` prints its results: a table with
 * the findings under each PPTP server (default), or one JSON document
 * (--json) with every field, verdict, piece of evidence and finding.
 */
#ifndef PK_AUDIT_SCAN_OUTPUT_H
#define PK_AUDIT_SCAN_OUTPUT_H

#include <stdio.h>

#include "audit/scan_run.h"

struct scan_output_options {
	int all;		/* list closed and silent targets too */
};

void scan_output_table(FILE *f, const struct scan_results *res,
    const struct scan_output_options *o);
/* Returns 0, or -1 if the JSON could not be built (out of memory). */
int scan_output_json(FILE *f, const struct scan_results *res,
    const struct scan_output_options *o);

/* The JSON object for one report (owned by the caller; json_object_put).
 * For tests. */
struct json_object *scan_report_json(const struct scan_report *rep);

#endif
