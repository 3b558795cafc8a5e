/*
 * fuzz_audit_pcap.c - libFuzzer target for a whole capture file: libpcap
 * reads the input (pcap or pcapng) from memory, the audit dissector and
 * model take every frame, the decryptor gets every PPP frame (with the
 * password of the seed corpus' sessions, so that its key stream paths
 * run), and then the findings, the report (JSON and table) and every
 * export format are produced. Nothing may crash, leak or read out of
 * bounds; the outputs must be self-consistent.
 *
 * The audit library is built with coverage instrumentation under
 * PK_FUZZ (CMakeLists.txt), so this file only drives it. Seeds:
 * tests/fuzz/gen_corpus_audit.py cuts them from recorded sessions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/decrypt.h"
#include "audit/export.h"
#include "audit/findings.h"
#include "audit/load.h"
#include "audit/report.h"
#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

static void
must(int cond)
{
	if (!cond)
		abort();
}

static int
on_ppp(void *arg, const struct audit_cap *c, const struct audit_ppp_event *ev)
{
	struct audit_plain p;
	int r;

	must(ev->call < c->n_calls && (ev->dir == 0 || ev->dir == 1));
	r = audit_decrypt_frame(arg, c, ev, &p);
	must(r == 0 || r == 1);
	if (r == 1)
		must(p.len > 0 && p.len <= 65535 && p.call == ev->call);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *pw[] = { "alice pw", "clientPass", "pk-Secret.42" };
	struct audit_cred creds[3];
	struct audit_pcap_reader *rd;
	struct audit_decrypt *dec;
	struct audit_findings f;
	struct audit_report rep;
	struct audit_load l;
	char err[AUDIT_ERR_MAX], line[AUDIT_LINE_MAX];

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	memset(creds, 0, sizeof(creds));
	for (int i = 0; i < 3; i++) {
		must(crypto_nt_password_hash(pw[i], creds[i].nt_hash) == 0);
		creds[i].have_password = 1;
		snprintf(creds[i].password, sizeof(creds[i].password), "%s",
		    pw[i]);
	}
	if (audit_pcap_open_mem(data, size, &rd, err, sizeof(err)) != 0)
		return 0;
	must(audit_decrypt_new(&dec, creds, 3) == 0);
	if (audit_load_reader(rd, NULL, 0, on_ppp, dec, &l, err,
	    sizeof(err)) == 0) {
		must(l.cap.n_calls <= PK_AUDIT_CALLS_MAX);
		for (size_t k = 0; k < l.cap.n_hs; k++) {
			must(l.cap.hs[k].call < l.cap.n_calls);
			for (int fmt = AUDIT_FMT_HASHCAT;
			    fmt <= AUDIT_FMT_JOHN_SHORT; fmt++)
				if (audit_export_line(&l.cap.hs[k], fmt, line,
				    sizeof(line)) == 0)
					must(strlen(line) > 0 &&
					    strlen(line) < sizeof(line));
		}
		must(audit_findings_eval(&l.cap, &l.dis.st, &f) == 0);
		memset(&rep, 0, sizeof(rep));
		rep.file = "fuzz";
		rep.dlt = l.dlt;
		rep.ds = &l.dis.st;
		rep.cap = &l.cap;
		rep.fnd = &f;
		rep.read_warning = l.warning[0] ? l.warning : NULL;
		audit_report_text(devnull, &rep);
		must(audit_report_json(devnull, &rep) == 0);
		audit_findings_free(&f);
	}
	audit_load_free(&l);
	audit_decrypt_free(dec);
	audit_pcap_close(rd);
	return 0;
}
