/*
 * cmd_audit_crack.c - `pptpkit crack` and `pptpkit decrypt`: recover the
 * password (or NT hash) behind captured exchanges, and with it decrypt
 * the recorded sessions. The engines are in src/audit (crack.h,
 * hashcat.h, decrypt.h); this file reads flags, prints and times.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/dlt.h>

#include "audit/crack.h"
#include "audit/decrypt.h"
#include "audit/export.h"
#include "audit/findings.h"
#include "audit/hashcat.h"
#include "audit/load.h"
#include "auth/mschap.h"
#include "cmd/cmd_audit.h"
#include "cmd/cmd_audit_common.h"
#include "core/err.h"
#include "crypto/crypto.h"

#define TARGETS_MAX 256
#define DES_SPACE 72057594037927936.0	/* 2^56 */

static void
crack_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit crack CAPTURE [what] [how]\n"
	    "       pptpkit crack --challenge HEX --response HEX [--v1] [how]\n"
	    "       pptpkit crack --auth-challenge HEX --peer-challenge HEX\n"
	    "                     --user NAME --response HEX [how]\n"
	    "\n"
	    "Recovers NT-hash bytes 14-15 (K3, 2^16 DES trials) of each\n"
	    "MS-CHAP exchange at once, then the password from candidates:\n"
	    "  --wordlist FILE     one candidate per line\n"
	    "  --rules             also the usual case/append mutations (%zu per\n"
	    "                      word: as is, lower, upper, capitalised, each\n"
	    "                      + nothing/digit/two digits/123/!/year...)\n"
	    "  --nt-hashes FILE    candidate NT hashes (32 hex per line)\n"
	    "  --engine hashcat|builtin  hashcat (-m 5500/27000/4800) when it is\n"
	    "                      installed, else the built-in threads\n"
	    "  --threads N         built-in engine threads (one per CPU)\n"
	    "  --des-keyspace      the password-independent route: DES keys/s\n"
	    "                      measured here (and by hashcat -m 14000) and\n"
	    "                      what 2^56 costs; with --known-bits N and the\n"
	    "                      real password (--password-file/--nt-hash),\n"
	    "                      searches the other 56-N bits of K1 and K2\n"
	    "  --benchmark         the built-in engine's rates here (nettle:\n"
	    "                      MD4 + 2 DES per candidate; DES keys/s)\n"
	    "  --print-rules       the rule set, as hashcat rules\n"
	    "what (with a capture): --session N, --method LIST, --successful\n"
	    "by hand: --challenge is the 8-byte DES plaintext (MS-CHAPv2\n"
	    "ChallengeHash as asleap/chapcrack take it, or the MS-CHAPv1\n"
	    "challenge with --v1), --response the 24-byte NT-response; or the\n"
	    "16-byte challenges, user name and 24- or 49-byte response.\n"
	    "\n"
	    "Prints each password or NT hash found and the time it took.\n"
	    "Exit status: 0 all found (or nothing to search), 1 not all\n"
	    "found or an error, 64 usage.\n", audit_rules_count());
}

/* --- progress bar ------------------------------------------------------- */

static void
human_rate(double v, char *buf, size_t len)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.2f G", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.2f M", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.1f k", v / 1e3);
	else
		snprintf(buf, len, "%.0f ", v);
}

static void
human_time(double s, char *buf, size_t len)
{
	if (s < 0 || !isfinite(s))
		snprintf(buf, len, "?");
	else if (s < 120)
		snprintf(buf, len, "%.0f s", s);
	else if (s < 7200)
		snprintf(buf, len, "%.0f min", s / 60);
	else if (s < 172800)
		snprintf(buf, len, "%.1f h", s / 3600);
	else if (s < 3 * 31557600.0)
		snprintf(buf, len, "%.1f days", s / 86400);
	else
		snprintf(buf, len, "%.1f years", s / 31557600.0);
}

struct bar {
	int drawn;
	const char *unit;
};

static void
bar_draw(void *arg, double frac, double rate, double eta)
{
	struct bar *b = arg;
	char r[32], e[32], cells[31];
	int n = (int)(frac * 30);

	if (n < 0)
		n = 0;
	if (n > 30)
		n = 30;
	memset(cells, '#', (size_t)n);
	memset(cells + n, '.', (size_t)(30 - n));
	cells[30] = '\0';
	human_rate(rate, r, sizeof(r));
	human_time(eta, e, sizeof(e));
	fprintf(stderr, "\r[%s] %5.1f%%  %s%s/s  ETA %s   ", cells,
	    frac * 100, r, b->unit, e);
	fflush(stderr);
	b->drawn = 1;
}

static void
bar_end(struct bar *b)
{
	if (b->drawn)
		fprintf(stderr, "\r%*s\r", 72, "");
	b->drawn = 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- crack -------------------------------------------------------------- */

struct crack_cli {
	struct audit_cli cli;
	const char *wordlist, *nt_hashes;
	int rules, engine;	/* 0 auto, 1 hashcat, 2 builtin */
	unsigned threads;
	int des_keyspace, known_bits, benchmark, v1;
	const char *challenge, *response, *auth_chal, *peer_chal, *user;
	struct audit_cred creds[AUDIT_CRED_MAX];
	size_t n_creds;
};

enum { ENGINE_AUTO, ENGINE_HASHCAT, ENGINE_BUILTIN };

static int
crack_args(int argc, char **argv, struct crack_cli *o)
{
	unsigned long n;
	int r;

	audit_cli_init(&o->cli);
	o->known_bits = -1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

#define VALUE(dst) do {							\
	if (v == NULL) {						\
		fprintf(stderr, "pptpkit crack: %s needs a value\n", a);\
		return 64;						\
	}								\
	(dst) = v;							\
	i++;								\
} while (0)
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			crack_usage(stdout);
			return 0;
		} else if (strcmp(a, "--wordlist") == 0) {
			VALUE(o->wordlist);
		} else if (strcmp(a, "--nt-hashes") == 0) {
			VALUE(o->nt_hashes);
		} else if (strcmp(a, "--rules") == 0) {
			o->rules = 1;
		} else if (strcmp(a, "--engine") == 0) {
			const char *e;

			VALUE(e);
			if (strcmp(e, "hashcat") == 0)
				o->engine = ENGINE_HASHCAT;
			else if (strcmp(e, "builtin") == 0)
				o->engine = ENGINE_BUILTIN;
			else {
				fprintf(stderr, "pptpkit crack: --engine "
				    "hashcat or builtin\n");
				return 64;
			}
		} else if (strcmp(a, "--threads") == 0) {
			if (audit_cli_number(v, 1, 256, &n) != 0) {
				fprintf(stderr, "pptpkit crack: --threads "
				    "1..256\n");
				return 64;
			}
			o->threads = (unsigned)n;
			i++;
		} else if (strcmp(a, "--des-keyspace") == 0) {
			o->des_keyspace = 1;
		} else if (strcmp(a, "--known-bits") == 0) {
			if (audit_cli_number(v, 16, 56, &n) != 0) {
				fprintf(stderr, "pptpkit crack: --known-bits "
				    "16..56 (the search covers 2^(56-N) keys "
				    "each for K1 and K2)\n");
				return 64;
			}
			o->known_bits = (int)n;
			i++;
		} else if (strcmp(a, "--benchmark") == 0) {
			o->benchmark = 1;
		} else if (strcmp(a, "--print-rules") == 0) {
			for (size_t k = 0; k < audit_rules_count(); k++)
				printf("%s\n", audit_rule(k));
			return 0;
		} else if (strcmp(a, "--v1") == 0) {
			o->v1 = 1;
		} else if (strcmp(a, "--challenge") == 0) {
			VALUE(o->challenge);
		} else if (strcmp(a, "--response") == 0) {
			VALUE(o->response);
		} else if (strcmp(a, "--auth-challenge") == 0) {
			VALUE(o->auth_chal);
		} else if (strcmp(a, "--peer-challenge") == 0) {
			VALUE(o->peer_chal);
		} else if (strcmp(a, "--user") == 0) {
			VALUE(o->user);
		} else if ((r = audit_cli_cred(argc, argv, &i, o->creds,
		    &o->n_creds)) <= 0) {
			if (r < 0)
				return 64;
		} else if ((r = audit_cli_common(&o->cli, argc, argv,
		    &i)) != 0) {
			if (r > 0)
				fprintf(stderr, "pptpkit crack: unknown "
				    "option %s\n", a);
			return 64;
		}
#undef VALUE
	}
	return -1;
}

/* Targets from the capture, or from --challenge/--response etc. */
static int
crack_targets(struct crack_cli *o, struct audit_target *t, size_t *n)
{
	uint8_t plain[8], resp[49], auth[16], peer[16];
	char err[AUDIT_ERR_MAX + 64];
	struct audit_load l;
	int r;

	*n = 0;
	if (o->response != NULL) {
		size_t rl = strlen(o->response);
		const uint8_t *nt = resp;

		/* 24-byte NT-response, or the 49-byte MS-CHAPv2 value. */
		if (audit_unhex(o->response, resp, 24) != 0 &&
		    audit_unhex(o->response, resp, 49) != 0) {
			fprintf(stderr, "pptpkit crack: --response needs 24 "
			    "bytes (or the 49-byte Response value) in hex\n");
			return -1;
		}
		if (rl > 48 + 23 && audit_unhex(o->response, resp, 49) == 0)
			nt = resp + 24;
		if (o->challenge != NULL) {
			if (audit_unhex(o->challenge, plain, 8) != 0) {
				fprintf(stderr, "pptpkit crack: --challenge "
				    "needs 8 bytes in hex\n");
				return -1;
			}
		} else if (o->auth_chal != NULL && o->peer_chal != NULL &&
		    o->user != NULL) {
			if (audit_unhex(o->auth_chal, auth, 16) != 0 ||
			    audit_unhex(o->peer_chal, peer, 16) != 0) {
				fprintf(stderr, "pptpkit crack: the "
				    "challenges need 16 bytes in hex\n");
				return -1;
			}
			mschapv2_challenge_hash(peer, auth, o->user, plain);
		} else {
			fprintf(stderr, "pptpkit crack: --response needs "
			    "--challenge, or --auth-challenge, "
			    "--peer-challenge and --user\n");
			return -1;
		}
		r = audit_target_mschap(plain, nt, o->v1 ?
		    AUDIT_AUTH_MSCHAPV1 : AUDIT_AUTH_MSCHAPV2, "given "
		    "response", &t[0]);
		if (r != 0) {
			fprintf(stderr, "pptpkit crack: no K3 makes the third "
			    "DES block: these are not an MS-CHAP challenge "
			    "and NT-response\n");
			return -1;
		}
		*n = 1;
		return 0;
	}
	if (o->cli.capture == NULL) {
		fprintf(stderr, "pptpkit crack: a capture, or --challenge and "
		    "--response (see --help)\n");
		return -1;
	}
	if (audit_load_file(o->cli.capture, &o->cli.lim, o->cli.port, NULL,
	    NULL, &l, err, sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit crack: %s\n", err);
		audit_load_free(&l);
		return -1;
	}
	for (size_t k = 0; k < l.cap.n_hs && *n < TARGETS_MAX; k++) {
		const struct audit_hs *h = &l.cap.hs[k];

		if (!audit_cli_selects(&o->cli, &l.cap, h))
			continue;
		if (audit_target_from_hs(h, l.cap.calls[h->call].id,
		    &t[*n]) == 0)
			(*n)++;
	}
	audit_load_free(&l);
	if (*n == 0) {
		fprintf(stderr, "pptpkit crack: %s holds no complete CHAP-MD5 "
		    "or MS-CHAP exchange%s\n", o->cli.capture,
		    o->cli.n_sessions || o->cli.methods || o->cli.successful ?
		    " that the selection matches" : "");
		return -1;
	}
	return 0;
}

static void
print_found(const struct audit_target *t, double secs)
{
	char hex[33], pw[4 * AUDIT_NAME_MAX];

	if (!t->found)
		return;
	printf("%s (%s): ", t->label, audit_auth_name(t->method));
	if (t->password[0] != '\0' || !t->have_nt_hash) {
		audit_sanitize(t->password, pw, sizeof(pw));
		printf("password \"%s\"", pw);
		if (t->have_nt_hash)
			printf(", ");
	}
	if (t->have_nt_hash) {
		audit_hex(t->nt_hash, 16, 0, hex);
		printf("NT hash %s", hex);
	}
	printf(" (found in %.2f s)\n", secs);
}

/* The line hashcat takes for target t in mode 5500/27000 or 4800. */
static void
target_line(const struct audit_target *t, char *buf, size_t len)
{
	char a[2 * AUDIT_VALUE_MAX + 1], b[49];

	if (t->method == AUDIT_AUTH_CHAP_MD5) {
		audit_hex(t->md5, 16, 0, b);
		audit_hex(t->challenge, t->challenge_len, 0, a);
		snprintf(buf, len, "%s:%s:%02x", b, a, t->id);
	} else {
		audit_hex(t->nt_response, 24, 0, b);
		audit_hex(t->plain, 8, 0, a);
		snprintf(buf, len, "pptpkit::::%s:%s", b, a);
	}
}

static size_t
count_found(const struct audit_target *t, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += t[i].found != 0;
	return k;
}

/* Runs hashcat over the targets of one kind; plains are checked here. */
static int
hashcat_pass(struct crack_cli *o, struct audit_target *t, size_t n, int md5,
    int nt, double t0)
{
	static char lines[TARGETS_MAX][AUDIT_LINE_MAX];
	const char *lp[TARGETS_MAX];
	struct audit_hashcat_job job;
	struct audit_hashcat_result res;
	struct bar b = { 0, "H" };
	char err[512], rate[32];
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (t[i].found || (t[i].method == AUDIT_AUTH_CHAP_MD5) != md5)
			continue;
		target_line(&t[i], lines[k], sizeof(lines[k]));
		lp[k] = lines[k];
		k++;
	}
	if (k == 0)
		return 0;
	memset(&job, 0, sizeof(job));
	job.mode = md5 ? 4800 : nt ? 27000 : 5500;
	job.lines = lp;
	job.n_lines = k;
	job.wordlist = nt ? o->nt_hashes : o->wordlist;
	job.rules = o->rules && !nt;
	if (isatty(2)) {
		job.progress = bar_draw;
		job.progress_arg = &b;
	}
	fprintf(stderr, "hashcat -m %u: %zu line(s), %s%s\n", job.mode, k,
	    job.wordlist, job.rules ? " with the rule set" : "");
	if (audit_hashcat_run(&job, &res, err, sizeof(err)) != 0) {
		bar_end(&b);
		fprintf(stderr, "pptpkit crack: %s\n", err);
		return -1;
	}
	bar_end(&b);
	human_rate(res.speed, rate, sizeof(rate));
	fprintf(stderr, "hashcat -m %u: %s, %sH/s, %.1f s\n", job.mode,
	    res.exit_status == 0 ? "cracked" : "exhausted", rate, res.seconds);
	for (size_t f = 0; f < res.n_found; f++)
		for (size_t i = 0; i < n; i++) {
			if (t[i].found)
				continue;
			if (nt) {
				uint8_t h[16];

				if (audit_unhex(res.found[f], h, 16) == 0 &&
				    audit_target_check_nt_hash(&t[i], h))
					print_found(&t[i], now_s() - t0);
			} else if (strlen(res.found[f]) == res.found_len[f] &&
			    audit_target_check_password(&t[i],
			    res.found[f])) {
				print_found(&t[i], now_s() - t0);
			}
		}
	return 0;
}

static int
builtin_pass(struct crack_cli *o, struct audit_target *t, size_t n, int nt,
    double t0)
{
	struct audit_crack_opts co;
	struct audit_crack_stats st;
	struct bar b = { 0, "" };
	char err[512], rate[32];
	int found0[TARGETS_MAX];
	int r;

	memset(&co, 0, sizeof(co));
	co.threads = o->threads;
	co.rules = o->rules;
	if (isatty(2)) {
		co.progress = bar_draw;
		co.progress_arg = &b;
	}
	for (size_t i = 0; i < n; i++)
		found0[i] = t[i].found;
	r = nt ? audit_crack_nt_hashes(t, n, o->nt_hashes, &co, &st, err,
	    sizeof(err)) : audit_crack_wordlist(t, n, o->wordlist, &co, &st,
	    err, sizeof(err));
	bar_end(&b);
	if (r != 0) {
		fprintf(stderr, "pptpkit crack: %s\n", err);
		return -1;
	}
	human_rate(st.seconds > 0 ? (double)st.candidates / st.seconds : 0,
	    rate, sizeof(rate));
	fprintf(stderr, "builtin: %llu %s on %u thread(s), %s/s, %.2f s\n",
	    (unsigned long long)st.candidates, nt ? "NT hashes" :
	    "candidates", st.threads, rate, st.seconds);
	for (size_t i = 0; i < n; i++)
		if (t[i].found && !found0[i])
			print_found(&t[i], now_s() - t0);
	return 0;
}

/* K1 and K2 (7 bytes each) of a target from an NT hash, if it fits. */
static int
keys_from_creds(const struct crack_cli *o, const struct audit_target *t,
    uint8_t k1[7], uint8_t k2[7])
{
	for (size_t c = 0; c < o->n_creds; c++) {
		struct audit_target probe = *t;

		if (audit_target_check_nt_hash(&probe, o->creds[c].nt_hash)) {
			memcpy(k1, o->creds[c].nt_hash, 7);
			memcpy(k2, o->creds[c].nt_hash + 7, 7);
			return 0;
		}
	}
	return -1;
}

/* The odd-parity bytes as one hex string (hashcat's DES_full charset),
 * or only those whose top `bits` key bits equal those of v. */
static void
des_charset(int bits, uint8_t v, char *out)
{
	size_t o = 0;

	for (unsigned b = 0; b < 256; b++) {
		if (__builtin_parity(b) != 1)
			continue;
		if (bits > 0 && ((b >> 1) >> (7 - bits)) !=
		    (unsigned)((v >> 1) >> (7 - bits)))
			continue;
		o += (size_t)sprintf(out + o, "%02x", b);
	}
}

/* hashcat -m 14000 -a 3 on K1 or K2 with the first known bits fixed. */
static int
hashcat_known(const struct crack_cli *o, const struct audit_target *t,
    int which, uint8_t k7[7], double *secs)
{
	struct audit_hashcat_job job;
	struct audit_hashcat_result res;
	struct bar b = { 0, "H" };
	char line[64], mask[64], cs1[520], cs2[520], err[512], p[17], c[17];
	const char *lp[1];
	uint8_t k8[8];
	size_t m = 0;
	int full = o->known_bits / 7, part = o->known_bits % 7;

	audit_des_expand(k7, k8);
	audit_hex(t->plain, 8, 0, p);
	audit_hex(t->nt_response + 8 * which, 8, 0, c);
	snprintf(line, sizeof(line), "%s:%s", c, p);
	lp[0] = line;
	for (int i = 0; i < 8; i++) {
		if (i < full)
			m += (size_t)snprintf(mask + m, sizeof(mask) - m,
			    "%02x", k8[i]);
		else if (i == full && part > 0)
			m += (size_t)snprintf(mask + m, sizeof(mask) - m, "?2");
		else
			m += (size_t)snprintf(mask + m, sizeof(mask) - m, "?1");
	}
	des_charset(0, 0, cs1);
	des_charset(part, full < 8 ? k8[full] : 0, cs2);
	memset(&job, 0, sizeof(job));
	job.mode = 14000;
	job.lines = lp;
	job.n_lines = 1;
	job.mask = mask;
	job.charset1 = cs1;
	job.charset2 = part > 0 ? cs2 : NULL;
	if (isatty(2)) {
		job.progress = bar_draw;
		job.progress_arg = &b;
	}
	fprintf(stderr, "hashcat -m 14000 -a 3 K%d: mask %s\n", which + 1,
	    mask);
	if (audit_hashcat_run(&job, &res, err, sizeof(err)) != 0) {
		bar_end(&b);
		fprintf(stderr, "pptpkit crack: %s\n", err);
		return -1;
	}
	bar_end(&b);
	*secs += res.seconds;
	if (res.n_found == 0 || res.found_len[0] != 8)
		return 1;
	audit_des_compress((const uint8_t *)res.found[0], k7);
	return 0;
}

static int
des_keyspace(struct crack_cli *o, struct audit_target *t, size_t n,
    int use_hashcat)
{
	struct audit_hashcat_job job;
	struct audit_hashcat_result res;
	double limit, des, hc = 0;
	char r1[32], r2[32], t1[32], t2[32], err[512];
	int rc = 0;

	audit_measure(o->threads, 2.0, &limit, &des);
	human_rate(des, r1, sizeof(r1));
	human_time(DES_SPACE / des, t1, sizeof(t1));
	human_time(DES_SPACE / des * 2 / 3, t2, sizeof(t2));
	printf("DES keys/s here (built-in, nettle, %u thread(s)): %s "
	    "(%.0f)\n", o->threads ? o->threads : audit_cpu_count(), r1, des);
	printf("  2^56 keys: %s for the whole space; K1 and K2 are checked "
	    "in the same sweep, so both are found after %s on average\n",
	    t1, t2);
	if (use_hashcat) {
		memset(&job, 0, sizeof(job));
		job.mode = 14000;
		job.benchmark = 1;
		fprintf(stderr, "hashcat -b -m 14000 (a minute or two on a "
		    "CPU)...\n");
		if (audit_hashcat_run(&job, &res, err, sizeof(err)) != 0) {
			fprintf(stderr, "pptpkit crack: %s\n", err);
			rc = 1;
		} else {
			hc = res.speed;
			human_rate(hc, r2, sizeof(r2));
			human_time(DES_SPACE / hc, t1, sizeof(t1));
			human_time(DES_SPACE / hc * 2 / 3, t2, sizeof(t2));
			printf("DES keys/s here (hashcat -m 14000): %s "
			    "(%.0f)\n  2^56 keys: %s, both keys on average "
			    "after %s\n", r2, hc, t1, t2);
		}
	}
	human_time(DES_SPACE / 146.6e9, t1, sizeof(t1));
	printf("for comparison: one RTX 4090 (hashcat 6.2.6, 146.6 GH/s): %s; "
	    "the 2012 crack.sh FPGA box (8.64e11 keys/s): %s\n", t1,
	    (human_time(DES_SPACE / 8.64e11, t2, sizeof(t2)), t2));
	if (o->known_bits < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct audit_crack_opts co;
		struct audit_crack_stats st;
		struct bar b = { 0, "" };
		uint8_t k1[7], k2[7], h[16];
		double secs = 0;
		int f1, f2;

		if (t[i].method == AUDIT_AUTH_CHAP_MD5)
			continue;
		if (keys_from_creds(o, &t[i], k1, k2) != 0) {
			fprintf(stderr, "pptpkit crack: %s: --known-bits needs "
			    "the real password or NT hash (--password-file, "
			    "--nt-hash) to take the known bits from\n",
			    t[i].label);
			rc = 1;
			continue;
		}
		printf("%s: given the first %d bits of K1 and of K2, searching "
		    "2^%d keys each\n", t[i].label, o->known_bits,
		    56 - o->known_bits);
		if (use_hashcat) {
			int a = hashcat_known(o, &t[i], 0, k1, &secs);
			int c = a < 0 ? -1 : hashcat_known(o, &t[i], 1, k2,
			    &secs);

			if (a < 0 || c < 0) {
				rc = 1;
				continue;
			}
			f1 = a == 0;
			f2 = c == 0;
		} else {
			memset(&co, 0, sizeof(co));
			co.threads = o->threads;
			if (isatty(2)) {
				co.progress = bar_draw;
				co.progress_arg = &b;
			}
			audit_des_known_bits(t[i].plain, t[i].nt_response,
			    t[i].nt_response + 8, k1, k2, o->known_bits, &co,
			    &f1, &f2, &st);
			bar_end(&b);
			secs = st.seconds;
		}
		if (!f1 || !f2) {
			printf("%s: K1 %s, K2 %s\n", t[i].label, f1 ? "found" :
			    "not found", f2 ? "found" : "not found");
			rc = 1;
			continue;
		}
		/* NT hash = K1 || K2 || K3 (RFC 2759 §8.5). */
		memcpy(h, k1, 7);
		memcpy(h + 7, k2, 7);
		memcpy(h + 14, t[i].k3, 2);
		if (!audit_target_check_nt_hash(&t[i], h)) {
			printf("%s: keys found do not give the response\n",
			    t[i].label);
			rc = 1;
			continue;
		}
		audit_hex(k1, 7, 0, r1);
		audit_hex(k2, 7, 0, r2);
		printf("%s: K1 %s, K2 %s, K3 %02x%02x\n", t[i].label, r1, r2,
		    t[i].k3[0], t[i].k3[1]);
		print_found(&t[i], secs);
	}
	return rc;
}

int
cmd_crack(int argc, char **argv)
{
	static struct crack_cli o;
	static struct audit_target t[TARGETS_MAX];
	char bin[1024], hex[8];
	size_t n;
	double t0 = now_s();
	int r, use_hashcat, rc = 0;

	memset(&o, 0, sizeof(o));
	if ((r = crack_args(argc, argv, &o)) >= 0)
		return r;
	if (o.benchmark) {
		double limit, des, limit1, des1;
		unsigned th = o.threads ? o.threads : audit_cpu_count();

		audit_measure(1, 2.0, &limit1, &des1);
		audit_measure(th, 2.0, &limit, &des);
		printf("nettle limit (MD4 + 2 DES per candidate): %.0f/s on 1 "
		    "thread, %.0f/s on %u\nDES keys/s: %.0f on 1 thread, %.0f "
		    "on %u\n", limit1, limit, th, des1, des, th);
		return 0;
	}
	if (o.known_bits >= 0 && !o.des_keyspace) {
		fprintf(stderr, "pptpkit crack: --known-bits goes with "
		    "--des-keyspace\n");
		return 64;
	}
	if (crack_targets(&o, t, &n) != 0)
		return 1;
	use_hashcat = o.engine == ENGINE_HASHCAT || (o.engine ==
	    ENGINE_AUTO && audit_hashcat_find(bin, sizeof(bin)));
	if (o.engine == ENGINE_HASHCAT && !audit_hashcat_find(bin,
	    sizeof(bin))) {
		fprintf(stderr, "pptpkit crack: --engine hashcat: hashcat is "
		    "not installed (apt-get install hashcat "
		    "pocl-opencl-icd), or use --engine builtin\n");
		return 1;
	}
	/* K3 at once: 2^16 DES per exchange, done in audit_target_*(). */
	for (size_t i = 0; i < n; i++) {
		if (t[i].method == AUDIT_AUTH_CHAP_MD5) {
			printf("%s (chap-md5): MD5 challenge-response, "
			    "dictionary only\n", t[i].label);
			continue;
		}
		snprintf(hex, sizeof(hex), "%02x%02x", t[i].k3[0], t[i].k3[1]);
		printf("%s (%s): K3 = NT-hash bytes 14-15 = %s (%.2f s)\n",
		    t[i].label, audit_auth_name(t[i].method), hex,
		    now_s() - t0);
	}
	fflush(stdout);
	if (o.des_keyspace)
		return des_keyspace(&o, t, n, use_hashcat);
	if (o.wordlist == NULL && o.nt_hashes == NULL)
		return 0;
	for (int nt = 0; nt < 2; nt++) {
		if ((nt ? o.nt_hashes : o.wordlist) == NULL)
			continue;
		if (!use_hashcat) {
			if (builtin_pass(&o, t, n, nt, t0) != 0)
				rc = 1;
			continue;
		}
		for (int md5 = 0; md5 < 2 && !(nt && md5); md5++) {
			if (hashcat_pass(&o, t, n, md5, nt, t0) == 0)
				continue;
			if (o.engine == ENGINE_HASHCAT) {
				rc = 1;
				continue;
			}
			/* Chosen for the user, not by them: say why and go
			 * on with the built-in engine. */
			fprintf(stderr, "pptpkit crack: hashcat could not run "
			    "(above); using --engine builtin\n");
			use_hashcat = 0;
			if (builtin_pass(&o, t, n, nt, t0) != 0)
				rc = 1;
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!t[i].found && !(o.wordlist == NULL &&
		    t[i].method == AUDIT_AUTH_CHAP_MD5))
			printf("%s (%s): not found\n", t[i].label,
			    audit_auth_name(t[i].method));
	printf("%zu of %zu found in %.2f s\n", count_found(t, n), n,
	    now_s() - t0);
	return rc == 0 && count_found(t, n) == n ? 0 : 1;
}

