/*
 * fuzz_scan.c - libFuzzer target for `pptpkit scan`: (0) the reply
 * classifier on every prefix of the input, (1) the LCP prober fed
 * arbitrary PPP frames, and (2) a whole probe (control connection, call,
 * GRE, LCP, teardown) driven by a script of control bytes, GRE packets
 * and time. The first byte picks the mode. Invariants: a decided reply
 * stays decided the same way as bytes are added; a verdict never
 * changes once given and always has evidence; a probe always ends within
 * its hard deadline; findings fit their table. Seeds:
 * tests/fuzz/corpus/fuzz_scan (tests/fuzz/gen_corpus_scan.py).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/out.h"
#include "core/rand.h"
#include "gre/gre.h"

/* The code under test, compiled in for coverage (see fuzz_pptp_ctrl.c). */
#include "audit/scan_conn.c"
#include "audit/scan_lcp.c"
#include "audit/scan_reply.c"
#include "audit/scan_report.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CALL_ID 0x1234
#define FZ_TIMEOUT_MS 1000

static struct pk_out fz_out;

static void
fuzz_reply(const uint8_t *d, size_t n)
{
	struct scan_reply first, r;
	struct scan_report rep;
	struct scan_finding f[SCAN_FINDINGS_MAX];
	size_t decided_at = 0;
	int decided = 0;

	for (size_t k = 0; k <= n; k++) {
		int rc = scan_reply_parse(d, k, 0, &r);

		if (rc != 0 && rc != PK_ERR_SHORT)
			abort();
		if (rc == 0) {
			if (r.kind == SCAN_REPLY_UNDECIDED || r.got > k)
				abort();
			if (!decided) {
				first = r;
				decided = 1;
				decided_at = k;
			} else if (r.kind != first.kind)
				abort();	/* more bytes changed the mind */
		} else if (decided)
			abort();	/* decided, then undecided again */
		if (scan_reply_parse(d, k, 1, &r) != 0 ||
		    r.kind == SCAN_REPLY_UNDECIDED)
			abort();	/* at EOF there is always an answer */
	}
	(void)decided_at;
	scan_report_init(&rep, 0, 1723, 1);
	rep.tcp = SCAN_TCP_OPEN;
	if (scan_reply_parse(d, n, 1, &rep.reply) != 0)
		abort();
	if (scan_findings(&rep, f, SCAN_FINDINGS_MAX) > SCAN_FINDINGS_MAX)
		abort();
}

static int
lcp_sink(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	if (proto != PPP_PROTO_LCP || len < PPP_HDR_LEN ||
	    len > PK_PPP_FRAME_MAX)
		abort();
	return 0;
}

static void
fuzz_lcp(const uint8_t *d, size_t n)
{
	struct scan_lcp l;
	struct buf_reader rd;
	uint64_t now = 1000;
	int verdict = SCAN_V_UNTESTED;
	uint8_t m, len;

	buf_reader_init(&rd, d, n);
	if (buf_get_u8(&rd, &m) != 0)
		return;
	scan_lcp_init(&l, m % SCAN_METHODS, "fz", lcp_sink, NULL);
	scan_lcp_start(&l, now);
	while (buf_get_u8(&rd, &len) == 0) {
		const uint8_t *frame;
		size_t flen = len < buf_remaining(&rd) ? len :
		    buf_remaining(&rd);

		(void)buf_get_ptr(&rd, &frame, flen);
		now += 100;
		if (scan_lcp_next_deadline(&l) <= now)
			scan_lcp_timeout(&l, now);
		(void)scan_lcp_frame(&l, now, frame, flen);
		if (verdict != SCAN_V_UNTESTED && l.verdict != verdict)
			abort();
		if (l.verdict != SCAN_V_UNTESTED && l.evidence[0] == '\0')
			abort();
		verdict = l.verdict;
		if (len % 7 == 0)
			scan_lcp_close(&l, now, "fz");
	}
}

/* A GRE data packet to our call carrying frame (RFC 2637 §4.1). */
static size_t
wrap_gre(uint8_t *buf, size_t cap, uint32_t seq, const uint8_t *frame,
    size_t flen)
{
	struct buf_writer w;
	struct gre_hdr h = {
		.has_seq = 1, .call_id = FZ_CALL_ID, .seq = seq,
	};

	buf_writer_init(&w, buf, cap);
	if (flen == 0 || gre_encode(&w, &h, frame, flen) != 0)
		return 0;
	return w.len;
}

static void
fuzz_conn(const uint8_t *d, size_t n)
{
	struct scan_conn_config cfg;
	struct scan_conn *c;
	struct scan_report rep;
	struct scan_finding f[SCAN_FINDINGS_MAX];
	struct buf_reader rd;
	uint8_t m, type, len, gre[PK_GRE_PACKET_MAX];
	uint64_t now = 5000, hard;
	uint32_t seq = 0;
	int verdict = SCAN_V_UNTESTED;

	buf_reader_init(&rd, d, n);
	if (buf_get_u8(&rd, &m) != 0)
		return;
	memset(&cfg, 0, sizeof(cfg));
	cfg.method = (int)(m % (SCAN_METHODS + 1)) - 1;
	cfg.call_id = FZ_CALL_ID;
	cfg.timeout_ms = FZ_TIMEOUT_MS;
	if (scan_conn_new(&c, &cfg, now) != 0)
		return;
	hard = now + (uint64_t)SCAN_CONN_LIFETIME_WAITS * FZ_TIMEOUT_MS +
	    SCAN_LCP_MIN_WAIT_MS;
	(void)scan_conn_start(c, now, &fz_out);
	out_reset(&fz_out);
	while (!scan_conn_done(c) && buf_get_u8(&rd, &type) == 0 &&
	    buf_get_u8(&rd, &len) == 0) {
		const uint8_t *p;
		size_t plen = len < buf_remaining(&rd) ? len :
		    buf_remaining(&rd), glen;

		(void)buf_get_ptr(&rd, &p, plen);
		switch (type % 5) {
		case 0:
			(void)scan_conn_ctrl_input(c, now, p, plen, &fz_out);
			break;
		case 1:
			(void)scan_conn_ctrl_eof(c, now, &fz_out);
			break;
		case 2:
			glen = wrap_gre(gre, sizeof(gre), seq++, p, plen);
			if (glen > 0)
				(void)scan_conn_gre_input(c, now, gre, glen,
				    &fz_out);
			break;
		case 3:
			(void)scan_conn_gre_input(c, now, p, plen, &fz_out);
			break;
		case 4:
			now += plen > 0 ? (uint64_t)p[0] * 20 : 1;
			if (scan_conn_next_deadline(c) <= now)
				(void)scan_conn_timeout(c, now, &fz_out);
			/* Past the hard deadline a timeout always ends it. */
			if (now >= hard && !scan_conn_done(c))
				abort();
			break;
		}
		if (fz_out.overflow)
			abort();
		out_reset(&fz_out);
		if (verdict != SCAN_V_UNTESTED &&
		    scan_conn_result(c)->verdict != verdict)
			abort();
		verdict = scan_conn_result(c)->verdict;
	}
	/* Whatever happened, time alone ends the probe in bounded time. */
	for (int i = 0; i < 10000 && !scan_conn_done(c); i++) {
		uint64_t t = scan_conn_next_deadline(c);

		if (t == PK_TIME_NEVER)
			abort();	/* a probe that waits for ever */
		now = t > now ? t : now + 1;
		(void)scan_conn_timeout(c, now, &fz_out);
		out_reset(&fz_out);
		if (now >= hard && !scan_conn_done(c))
			abort();
	}
	if (!scan_conn_done(c))
		abort();
	scan_report_init(&rep, 0, 1723, cfg.method >= 0);
	rep.tcp = SCAN_TCP_OPEN;
	scan_conn_report(c, &rep);
	if (scan_findings(&rep, f, SCAN_FINDINGS_MAX) > SCAN_FINDINGS_MAX)
		abort();
	scan_conn_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;

	if (!init) {
		pk_log_set_level(PK_LOG_ERR);
		if (out_init(&fz_out, 64 * 1024, 256) != 0)
			abort();
		init = 1;
	}
	pk_rand_use_seeded(1);
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_reply(data + 1, size - 1);
		break;
	case 1:
		fuzz_lcp(data + 1, size - 1);
		break;
	case 2:
		fuzz_conn(data + 1, size - 1);
		break;
	}
	return 0;
}
