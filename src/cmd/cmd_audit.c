/*
 * cmd_audit.c - `pptpkit audit` and `pptpkit export`: what a capture
 * shows about its PPTP sessions, and its handshakes as hash lines for
 * the cracking tools. The work is in src/audit; this file reads flags
 * and prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/export.h"
#include "audit/findings.h"
#include "audit/load.h"
#include "audit/report.h"
#include "cmd/cmd_audit.h"
#include "cmd/cmd_audit_common.h"
#include "core/err.h"

static void
audit_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit audit CAPTURE [--json] [options]\n"
	    "\n"
	    "Reads a capture (pcap or pcapng: Ethernet, Linux cooked v1/v2,\n"
	    "raw IP) and reports every PPTP control connection and session:\n"
	    "peers, user, authentication method and exchanges (PAP passwords,\n"
	    "CHAP-MD5, MS-CHAPv1, MS-CHAPv2 challenges and responses, success\n"
	    "or failure), MPPE (none, 40, 56, 128 bits; stateful/stateless),\n"
	    "and each weakness with its severity and the reason.\n"
	    "\n"
	    "  --json              JSON instead of the table\n"
	    "  --port N            PPTP control port (1723)\n"
	    "  --max-sessions N    calls tracked at most (%d)\n"
	    "  --max-connections N control connections tracked (%d)\n"
	    "  --max-exchanges N   authentication exchanges kept (%d)\n"
	    "\n"
	    "Exit status: 0 read (whatever was found), 1 the capture could\n"
	    "not be read, 64 usage.\n",
	    PK_AUDIT_CALLS_MAX, PK_AUDIT_CTRLS_MAX, PK_AUDIT_HS_MAX);
}

int
cmd_audit(int argc, char **argv)
{
	struct audit_cli cli;
	struct audit_findings fnd;
	struct audit_report rep;
	struct audit_load l;
	char err[AUDIT_ERR_MAX + 64];
	int r, json = 0;

	audit_cli_init(&cli);
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
			continue;
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			audit_usage(stdout);
			return 0;
		}
		if ((r = audit_cli_common(&cli, argc, argv, &i)) == 0)
			continue;
		if (r < 0)
			return 64;
		fprintf(stderr, "pptpkit audit: unknown option %s\n", argv[i]);
		return 64;
	}
	if (cli.capture == NULL) {
		audit_usage(stderr);
		return 64;
	}
	if (audit_load_file(cli.capture, &cli.lim, cli.port, NULL, NULL, &l,
	    err, sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit audit: %s\n", err);
		audit_load_free(&l);
		return 1;
	}
	if (audit_findings_eval(&l.cap, &l.dis.st, &fnd) != 0) {
		fprintf(stderr, "pptpkit audit: out of memory\n");
		audit_load_free(&l);
		return 1;
	}
	memset(&rep, 0, sizeof(rep));
	rep.file = cli.capture;
	rep.dlt = l.dlt;
	rep.ds = &l.dis.st;
	rep.cap = &l.cap;
	rep.fnd = &fnd;
	rep.read_warning = l.warning[0] ? l.warning : NULL;
	if (json)
		r = audit_report_json(stdout, &rep);
	else
		audit_report_text(stdout, &rep);
	if (rep.read_warning != NULL)
		fprintf(stderr, "pptpkit audit: warning: %s\n", l.warning);
	audit_findings_free(&fnd);
	audit_load_free(&l);
	return r == 0 ? 0 : 1;
}

static void
export_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit export CAPTURE --format FORMAT [options]\n"
	    "\n"
	    "One line per captured CHAP-MD5, MS-CHAPv1 and MS-CHAPv2 exchange:\n"
	    "  hashcat      MS-CHAPv1/v2: -m 5500 (or 27000 with NT hashes):\n"
	    "               user::::nt-response:challenge(-hash); CHAP-MD5:\n"
	    "               -m 4800 response:challenge:id\n"
	    "  hashcat-des  MS-CHAPv1/v2: -m 14000, two lines C1:P and C2:P\n"
	    "               (K1 and K2 under the same plaintext)\n"
	    "  john         $MSCHAPv2$ (long form), $NETNTLM$, $chap$\n"
	    "  crack.sh     MS-CHAPv1/v2: the $99$ token (K3 found here)\n"
	    "\n"
	    "  --session N         only session N (repeatable)\n"
	    "  --method LIST       only these: chap-md5,mschapv1,mschapv2\n"
	    "  --successful        only exchanges the server accepted\n"
	    "  --port N, --max-*   as for pptpkit audit\n"
	    "\n"
	    "What was exported goes to stderr (which hashcat mode each line\n"
	    "needs); exit status 1 if no exchange could be exported.\n");
}

int
cmd_export(int argc, char **argv)
{
	struct audit_cli cli;
	struct audit_load l;
	char err[AUDIT_ERR_MAX + 64], line[AUDIT_LINE_MAX];
	unsigned n_md5 = 0, n_ms = 0, skipped = 0;
	int fmt = 0, r;

	audit_cli_init(&cli);
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if ((fmt = audit_format_parse(argv[++i])) == 0) {
				fprintf(stderr, "pptpkit export: unknown "
				    "format \"%s\" (hashcat, hashcat-des, john, "
				    "crack.sh)\n", argv[i]);
				return 64;
			}
			continue;
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			export_usage(stdout);
			return 0;
		}
		if ((r = audit_cli_common(&cli, argc, argv, &i)) == 0)
			continue;
		if (r < 0)
			return 64;
		fprintf(stderr, "pptpkit export: unknown option %s\n",
		    argv[i]);
		return 64;
	}
	if (cli.capture == NULL || fmt == 0) {
		export_usage(stderr);
		return 64;
	}
	if (audit_load_file(cli.capture, &cli.lim, cli.port, NULL, NULL, &l,
	    err, sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit export: %s\n", err);
		audit_load_free(&l);
		return 1;
	}
	for (size_t k = 0; k < l.cap.n_hs; k++) {
		const struct audit_hs *h = &l.cap.hs[k];

		if (!audit_cli_selects(&cli, &l.cap, h))
			continue;
		r = audit_export_line(h, fmt, line, sizeof(line));
		if (r == PK_ERR_TYPE)
			continue;
		if (r != 0) {
			skipped++;
			continue;
		}
		printf("%s\n", line);
		if (h->method == AUDIT_AUTH_CHAP_MD5)
			n_md5++;
		else
			n_ms++;
	}
	if (fmt == AUDIT_FMT_HASHCAT)
		fprintf(stderr, "pptpkit export: %u line(s) for hashcat -m "
		    "5500, %u for -m 4800", n_ms, n_md5);
	else
		fprintf(stderr, "pptpkit export: %u line(s)", n_ms + n_md5);
	fprintf(stderr, "%s", skipped ? "" : "\n");
	if (skipped)
		fprintf(stderr, "; %u incomplete exchange(s) skipped\n",
		    skipped);
	if (l.warning[0])
		fprintf(stderr, "pptpkit export: warning: %s\n", l.warning);
	audit_load_free(&l);
	return n_md5 + n_ms > 0 ? 0 : 1;
}
