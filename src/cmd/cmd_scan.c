/*
 * cmd_scan.c - `pptpkit scan TARGET...`: finds PPTP servers and says
 * what is wrong with each (see src/audit/scan.h for what is asked and
 * how, and scan_run.h for the loop).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/scan_output.h"
#include "audit/scan_run.h"
#include "audit/scan_targets.h"
#include "cmd/cmd_scan.h"
#include "core/log.h"

static void
scan_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit scan [options] TARGET...\n"
	    "\n"
	    "Sends each TARGET a PPTP Start-Control-Connection-Request and\n"
	    "reports the reply (RFC 2637 §2.2): result, protocol version,\n"
	    "framing and bearer capabilities, firmware revision, host name,\n"
	    "vendor, and findings with a severity and why.\n"
	    "\n"
	    "TARGET  A.B.C.D, A.B.C.D/N (network and broadcast addresses of\n"
	    "        /0-/30 left out) or a host name, each optionally :PORT\n"
	    "\n"
	    "options:\n"
	    "  --deep              also open a call and negotiate LCP, without\n"
	    "                      credentials, to learn which authentication\n"
	    "                      methods the server accepts (PAP, CHAP-MD5,\n"
	    "                      MS-CHAPv1, MS-CHAPv2, EAP; one control\n"
	    "                      connection per method); needs a raw GRE\n"
	    "                      socket: root or CAP_NET_RAW\n"
	    "  --port N            port for targets without :PORT (1723)\n"
	    "  --concurrency N     targets scanned at once, 1-%d (%d)\n"
	    "  --timeout S         seconds for each wait: connect, reply, each\n"
	    "                      step of --deep (%d; fractions allowed)\n"
	    "  --max-targets N     refuse more addresses than this (%d)\n"
	    "  --json              one JSON document instead of the table\n"
	    "  --all               also list closed and silent targets\n"
	    "  --quiet             no progress line on stderr\n"
	    "  -d, --debug         log every protocol step on stderr\n"
	    "  -h, --help          this text\n"
	    "\n"
	    "Exit status: 0 when the scan ran (whatever it found), 1 when it\n"
	    "could not run, 64 for a usage error.\n",
	    SCAN_CONCURRENCY_MAX, SCAN_CONCURRENCY_DEFAULT,
	    SCAN_TIMEOUT_DEFAULT_MS / 1000, SCAN_TARGETS_DEFAULT_MAX);
}

static int
parse_ulong(const char *opt, const char *v, unsigned long lo,
    unsigned long hi, unsigned long *out)
{
	char *end;

	if (v == NULL || v[0] < '0' || v[0] > '9') {
		fprintf(stderr, "pptpkit scan: %s needs a number\n", opt);
		return -1;
	}
	*out = strtoul(v, &end, 10);
	if (*end != '\0' || *out < lo || *out > hi) {
		fprintf(stderr, "pptpkit scan: %s: %lu-%lu\n", opt, lo, hi);
		return -1;
	}
	return 0;
}

/* Seconds with an optional fraction ("2", "0.5"), as milliseconds. */
static int
parse_seconds(const char *v, uint32_t *ms)
{
	char *end;
	double s;

	if (v == NULL || ((v[0] < '0' || v[0] > '9') && v[0] != '.'))
		return -1;
	s = strtod(v, &end);
	if (*end != '\0' || s < 0.1 || s > 600)
		return -1;
	*ms = (uint32_t)(s * 1000 + 0.5);
	return 0;
}

int
cmd_scan(int argc, char **argv)
{
	struct scan_run_options ro = {
		.concurrency = SCAN_CONCURRENCY_DEFAULT,
		.timeout_ms = SCAN_TIMEOUT_DEFAULT_MS,
	};
	struct scan_output_options oo = { 0 };
	struct scan_targets *tg = NULL;
	struct scan_results res;
	unsigned long v, port = 1723, max = SCAN_TARGETS_DEFAULT_MAX;
	int json = 0, quiet = 0, debug = 0, rc = 64, n_targets = 0;
	char err[256];

	/* Options first (anywhere on the line), then the targets, which
	 * need --port and --max-targets. */
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] :
		    NULL;

		if (a[0] != '-') {
			n_targets++;
			continue;
		}
		if (strcmp(a, "--deep") == 0)
			ro.deep = 1;
		else if (strcmp(a, "--json") == 0)
			json = 1;
		else if (strcmp(a, "--all") == 0)
			oo.all = 1;
		else if (strcmp(a, "--quiet") == 0)
			quiet = 1;
		else if (strcmp(a, "-d") == 0 || strcmp(a, "--debug") == 0)
			debug = 1;
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			scan_usage(stdout);
			return 0;
		} else if (strcmp(a, "--port") == 0) {
			if (parse_ulong(a, val, 1, 65535, &port) != 0)
				return 64;
			argv[++i] = NULL;
		} else if (strcmp(a, "--concurrency") == 0) {
			if (parse_ulong(a, val, 1, SCAN_CONCURRENCY_MAX,
			    &v) != 0)
				return 64;
			ro.concurrency = (unsigned)v;
			argv[++i] = NULL;
		} else if (strcmp(a, "--timeout") == 0) {
			if (parse_seconds(val, &ro.timeout_ms) != 0) {
				fprintf(stderr, "pptpkit scan: --timeout: "
				    "seconds, 0.1-600\n");
				return 64;
			}
			argv[++i] = NULL;
		} else if (strcmp(a, "--max-targets") == 0) {
			if (parse_ulong(a, val, 1, SCAN_TARGETS_HARD_MAX,
			    &max) != 0)
				return 64;
			argv[++i] = NULL;
		} else {
			fprintf(stderr, "pptpkit scan: unknown option %s\n", a);
			scan_usage(stderr);
			return 64;
		}
	}
	if (n_targets == 0) {
		scan_usage(stderr);
		return 64;
	}
	if ((tg = malloc(sizeof(*tg))) == NULL) {
		fprintf(stderr, "pptpkit scan: out of memory\n");
		return 1;
	}
	scan_targets_init(tg, max);
	for (int i = 0; i < argc; i++) {
		if (argv[i] == NULL || argv[i][0] == '-')
			continue;
		if (scan_targets_add(tg, argv[i], (uint16_t)port, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "pptpkit scan: %s\n", err);
			goto out;
		}
	}
	pk_log_set_level(debug ? PK_LOG_DEBUG : PK_LOG_WARN);
	/* A progress line for ranges, which take a while. */
	ro.progress = !quiet && tg->count > 1;
	if (scan_run(tg, &ro, &res, err, sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit scan: %s\n", err);
		rc = 1;
		goto out;
	}
	if (json)
		rc = scan_output_json(stdout, &res, &oo) == 0 ? 0 : 1;
	else {
		scan_output_table(stdout, &res, &oo);
		rc = 0;
	}
	scan_results_free(&res);
out:
	free(tg);
	return rc;
}
