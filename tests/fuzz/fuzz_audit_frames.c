/*
 * fuzz_audit_frames.c - libFuzzer target for the audit dissector and
 * capture model without libpcap's file format in the way: the input is
 * a link type and a run of frames, each fed to audit_dissect() and then
 * to the model and the decryptor, as a capture would.
 *
 * Input: one byte choosing the link type (Ethernet, Linux cooked v1,
 * v2, raw IP, BSD loopback), then records [caplen hi][caplen lo][cut]
 * [caplen bytes]; cut (0-255) is added to caplen as the frame's wire
 * length, so snap-length truncation is exercised too. Time moves 1 ms
 * per frame. tests/fuzz/gen_corpus_audit.py writes the seeds from
 * recorded sessions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "audit/audit.h"
#include "audit/decrypt.h"
#include "audit/dissect.h"
#include "audit/findings.h"
#include "core/buf.h"
#include "core/err.h"
#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int cond)
{
	if (!cond)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int dlts[] = { DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
	    DLT_RAW, DLT_NULL };
	struct audit_dissector dis;
	struct audit_findings fnd;
	struct audit_decrypt *dec;
	struct audit_cred cred;
	struct audit_cap cap;
	struct buf_reader rd;
	uint64_t ts = 1000000;
	uint8_t sel;

	buf_reader_init(&rd, data, size);
	if (buf_get_u8(&rd, &sel) != 0)
		return 0;
	must(audit_dissector_init(&dis, dlts[sel % 5]) == 0);
	must(audit_cap_init(&cap, NULL) == 0);
	memset(&cred, 0, sizeof(cred));
	must(crypto_nt_password_hash("alice pw", cred.nt_hash) == 0);
	must(audit_decrypt_new(&dec, &cred, 1) == 0);
	while (buf_remaining(&rd) >= 3) {
		struct audit_ppp_event ev;
		struct audit_plain pl;
		struct audit_frame f;
		struct audit_l4 p;
		const uint8_t *frame;
		uint16_t len;
		uint8_t cut;
		int r;

		if (buf_get_u16(&rd, &len) != 0 || buf_get_u8(&rd, &cut) != 0)
			break;
		if (len > buf_remaining(&rd))
			len = (uint16_t)buf_remaining(&rd);
		if (buf_get_ptr(&rd, &frame, len) != 0)
			break;
		/* A copy of exactly len bytes: reads past it are caught. */
		uint8_t *copy = malloc(len ? len : 1);

		must(copy != NULL);
		memcpy(copy, frame, len);
		f.ts_us = ts += 1000;
		f.data = copy;
		f.caplen = len;
		f.wirelen = (size_t)len + cut;
		r = audit_dissect(&dis, &f, &p);
		must(r <= 1);
		if (r == 1) {
			must(p.kind == AUDIT_L4_TCP || p.kind == AUDIT_L4_GRE);
			must(p.payload_len <= 65535);
			must(audit_cap_input(&cap, &p, &ev) == 0);
			if (ev.valid) {
				must(ev.call < cap.n_calls);
				r = audit_decrypt_frame(dec, &cap, &ev, &pl);
				must(r == 0 || r == 1);
			}
		}
		free(copy);
	}
	audit_cap_finish(&cap);
	must(audit_findings_eval(&cap, &dis.st, &fnd) == 0);
	for (size_t i = 0; i < fnd.n; i++)
		must(fnd.v[i].text[0] != '\0' &&
		    fnd.v[i].severity <= AUDIT_SEV_CRITICAL);
	audit_findings_free(&fnd);
	audit_decrypt_free(dec);
	audit_cap_free(&cap);
	audit_dissector_free(&dis);
	return 0;
}
