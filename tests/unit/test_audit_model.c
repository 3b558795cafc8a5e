/*
 * test_audit_model.c - the capture model (audit.h) fed packet by packet
 * (audit_harness.h): the control connection and its call IDs, TCP put
 * back together across reordering, retransmission and holes, every
 * authentication method with and without the LCP negotiation in the
 * capture, retries and failures, orphan GRE flows, malformed PPP, the
 * caps, and the findings each case must produce.
 */
#include <string.h>

#include "audit/findings.h"
#include "auth/mschap.h"
#include "core/err.h"
#include "mppe/mppe.h"
#include "audit_harness.h"

#define V_AUTH "5B5D7C7D7B3F2F3E3C2C602132262628"
#define V_PEER "21402324255E262A28295F2B3A337C7E"
#define V_RESP "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"

static size_t
v2_response(uint8_t resp[49])
{
	memset(resp, 0, 49);
	test_unhex(V_PEER, resp, 16);
	test_unhex(V_RESP, resp + 24, 24);
	return 49;
}

static int
has_finding(const struct audit_findings *f, const char *code,
    unsigned session, int sev)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].code, code) == 0 &&
		    f->v[i].session == session && f->v[i].severity == sev)
			return 1;
	return 0;
}

static void
test_control_and_call(void)
{
	struct ah h;
	struct audit_ctrl *ctl;
	struct audit_call *call;
	uint8_t x[3] = { 1, 2, 3 };

	ah_init(&h);
	ah_open(&h);
	CHECK_INT(h.cap.n_ctrls, 1);
	CHECK_INT(h.cap.n_calls, 1);
	ctl = &h.cap.ctrls[0];
	CHECK(ctl->have_sccrq && ctl->have_sccrp);
	CHECK_STR(ctl->sccrp.vendor, "Acme PAC");
	CHECK_STR(ctl->sccrq.host_name, "client");
	CHECK_INT(ctl->sccrp.firmware_rev, 0x1234);
	CHECK_INT(ctl->ip[0], AH_CLI);
	CHECK_INT(ctl->port[1], 1723);
	CHECK_INT(ctl->msgs[0], 2);
	CHECK_INT(ctl->msgs[1], 2);
	call = &h.cap.calls[0];
	CHECK(call->roles_known && call->ctrl == 0);
	CHECK(call->key_known[0] && call->key_known[1]);
	CHECK_INT(call->key[0], AH_PAC_CALL);
	CHECK_INT(call->key[1], AH_PNS_CALL);
	/* GRE in each direction lands in the call, right direction. */
	CHECK(ah_ppp(&h, 0, 0x0021, x, 3));
	CHECK_INT(h.ev.call, 0);
	CHECK_INT(h.ev.dir, 0);
	CHECK(ah_ppp(&h, 1, 0x0021, x, 3));
	CHECK_INT(h.ev.dir, 1);
	CHECK_INT(h.cap.calls[0].d[0].ip_clear, 1);
	CHECK_INT(h.cap.calls[0].d[1].ip_clear, 1);
	CHECK_INT(h.cap.n_calls, 1);
	/* A Call-Disconnect-Notify with the PAC's call ID clears it. */
	{
		struct pptp_msg m;

		memset(&m, 0, sizeof(m));
		m.type = PPTP_CDN;
		m.u.cdn.call_id = AH_PAC_CALL;
		m.u.cdn.result = PPTP_CDN_REQUEST;
		ah_ctrl(&h, 1, &m);
		CHECK(h.cap.calls[0].cleared);
		CHECK_INT(h.cap.calls[0].cdn_result, PPTP_CDN_REQUEST);
	}
	audit_cap_free(&h.cap);
}

static void
test_tcp_reassembly(void)
{
	struct pptp_msg m;
	uint8_t a[PPTP_LEN_MAX], b[PPTP_LEN_MAX];
	size_t la, lb;
	uint32_t s;
	struct ah h;

	ah_init(&h);
	ah_tcp_at(&h, 0, h.tcp_seq[0]++, AUDIT_TCP_SYN, NULL, 0);
	memset(&m, 0, sizeof(m));
	m.type = PPTP_SCCRQ;
	m.u.start.version = PPTP_VERSION;
	snprintf(m.u.start.vendor, sizeof(m.u.start.vendor), "split");
	la = ah_encode(&m, a, sizeof(a));
	m.type = PPTP_ECHORQ;
	m.u.echo.id = 5;
	lb = ah_encode(&m, b, sizeof(b));
	s = h.tcp_seq[0];
	/* Three pieces, the last first, the middle twice. */
	ah_tcp_at(&h, 0, s + 100, AUDIT_TCP_ACK, a + 100, la - 100);
	ah_tcp_at(&h, 0, s + 10, AUDIT_TCP_ACK, a + 10, 90);
	CHECK(!h.cap.ctrls[0].have_sccrq);
	ah_tcp_at(&h, 0, s, AUDIT_TCP_ACK, a, 10);
	CHECK(h.cap.ctrls[0].have_sccrq);
	CHECK_STR(h.cap.ctrls[0].sccrq.vendor, "split");
	ah_tcp_at(&h, 0, s + 10, AUDIT_TCP_ACK, a + 10, 90);
	CHECK_INT(h.cap.ctrls[0].tcp[0].retrans, 1);
	CHECK_INT(h.cap.ctrls[0].msgs[0], 1);
	/* A hole the capture never fills: the message after it is
	 * found again once the hole is given up on. */
	s += (uint32_t)la;
	ah_tcp_at(&h, 0, s + (uint32_t)lb + 3, AUDIT_TCP_ACK, b, lb);
	ah_tcp_at(&h, 0, s + (uint32_t)lb * 2 + 3, AUDIT_TCP_ACK, b, lb);
	CHECK_INT(h.cap.ctrls[0].msgs[0], 1);
	audit_cap_finish(&h.cap);
	CHECK_INT(h.cap.ctrls[0].tcp[0].gaps, 1);
	CHECK_INT(h.cap.ctrls[0].msgs[0], 3);
	audit_cap_free(&h.cap);

	/* Joined mid-stream: the first bytes are the end of a message. */
	ah_init(&h);
	memcpy(b + lb, a, la);
	ah_tcp_at(&h, 1, 777, AUDIT_TCP_ACK, b + 5, lb - 5 + la);
	CHECK_INT(h.cap.ctrls[0].msgs[1], 1);
	CHECK(h.cap.ctrls[0].have_sccrq);
	CHECK_INT(h.cap.ctrls[0].tcp[1].resync_bytes, lb - 5);
	audit_cap_free(&h.cap);
}

static void
mschapv2_session(struct ah *h, uint32_t mppe_bits)
{
	uint8_t chal[16], resp[49];
	static const char ok[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56 "
	    "M=Welcome";

	ah_open(h);
	ah_lcp(h, PPP_PROTO_CHAP, CHAP_ALG_MSCHAPV2);
	test_unhex(V_AUTH, chal, 16);
	ah_chap(h, 1, CHAP_CHALLENGE, 7, chal, 16, "server");
	ah_chap(h, 0, CHAP_RESPONSE, 7, resp, v2_response(resp), "User");
	ah_ctl(h, 1, PPP_PROTO_CHAP, CHAP_SUCCESS, 7, (const uint8_t *)ok,
	    strlen(ok));
	if (mppe_bits)
		ah_ccp(h, mppe_bits);
}

static void
test_mschapv2_exchange(void)
{
	struct audit_findings f;
	struct audit_hs *x;
	struct ah h;
	uint8_t want[8];

	ah_init(&h);
	mschapv2_session(&h, MPPE_SB_H | MPPE_SB_S);
	CHECK(h.cap.calls[0].auth_known);
	CHECK_INT(h.cap.calls[0].auth, AUDIT_AUTH_MSCHAPV2);
	CHECK_INT(h.cap.calls[0].auth_dir, 1);
	CHECK(h.cap.calls[0].have_mppe);
	CHECK_INT(h.cap.calls[0].mppe_bits, MPPE_SB_H | MPPE_SB_S);
	CHECK_INT(h.cap.n_hs, 1);
	x = ah_hs(&h, 0, 0);
	CHECK_INT(x->method, AUDIT_AUTH_MSCHAPV2);
	CHECK_STR(x->user, "User");
	CHECK_STR(x->auth_name, "server");
	CHECK_INT(x->result, AUDIT_RES_SUCCESS);
	CHECK(x->have_des);
	test_unhex("D02E4386BCE91226", want, 8);
	CHECK_MEM(x->des_plain, want, 8);
	CHECK(strncmp(x->message, "S=407A", 6) == 0);
	CHECK_INT(audit_findings_eval(&h.cap, NULL, &f), 0);
	CHECK(has_finding(&f, "mschapv2-des", 1, AUDIT_SEV_CRITICAL));
	CHECK(has_finding(&f, "mppe-keys-from-password", 1, AUDIT_SEV_HIGH));
	CHECK(has_finding(&f, "mppe-no-integrity", 1, AUDIT_SEV_MEDIUM));
	CHECK(has_finding(&f, "pptp-control-clear", 0, AUDIT_SEV_LOW));
	CHECK(!has_finding(&f, "mppe-stateful", 1, AUDIT_SEV_MEDIUM));
	CHECK(!has_finding(&f, "mppe-40", 1, AUDIT_SEV_CRITICAL));
	CHECK(!has_finding(&f, "auth-failed", 1, AUDIT_SEV_MEDIUM));
	audit_findings_free(&f);
	audit_cap_free(&h.cap);

	/* 40-bit stateful: two more findings. */
	ah_init(&h);
	mschapv2_session(&h, MPPE_SB_L);
	CHECK_INT(audit_findings_eval(&h.cap, NULL, &f), 0);
	CHECK(has_finding(&f, "mppe-40", 1, AUDIT_SEV_CRITICAL));
	CHECK(has_finding(&f, "mppe-stateful", 1, AUDIT_SEV_MEDIUM));
	audit_findings_free(&f);
	audit_cap_free(&h.cap);

	/* No MPPE and IP in clear. */
	ah_init(&h);
	mschapv2_session(&h, 0);
	ah_ppp(&h, 0, PPP_PROTO_IP, (const uint8_t *)"\x45", 1);
	CHECK_INT(audit_findings_eval(&h.cap, NULL, &f), 0);
	CHECK(has_finding(&f, "mppe-none", 1, AUDIT_SEV_CRITICAL));
	audit_findings_free(&f);
	audit_cap_free(&h.cap);
}

static void
test_method_without_lcp(void)
{
	uint8_t chal[16], resp[49], md5[16];
	struct ah h;

	/* The capture missed LCP: value sizes decide. */
	ah_init(&h);
	ah_open(&h);
	h.acfc = h.pfc = 1;
	test_unhex(V_AUTH, chal, 16);
	ah_chap(&h, 1, CHAP_CHALLENGE, 1, chal, 16, "s");
	ah_chap(&h, 0, CHAP_RESPONSE, 1, resp, v2_response(resp), "User");
	CHECK_INT(ah_hs(&h, 0, 0)->method, AUDIT_AUTH_MSCHAPV2);
	CHECK(ah_hs(&h, 0, 0)->have_des);
	/* MS-CHAPv1: an 8-byte challenge. */
	ah_chap(&h, 1, CHAP_CHALLENGE, 2, chal, 8, "s");
	memset(resp, 0, 49);
	mschapv1_nt_challenge_response(chal, "pw", resp + 24);
	resp[48] = 1;
	ah_chap(&h, 0, CHAP_RESPONSE, 2, resp, 49, "bob");
	CHECK_INT(ah_hs(&h, 0, 1)->method, AUDIT_AUTH_MSCHAPV1);
	CHECK_MEM(ah_hs(&h, 0, 1)->des_plain, chal, 8);
	/* CHAP-MD5: a 16-byte response. */
	ah_chap(&h, 1, CHAP_CHALLENGE, 3, chal, 16, "s");
	chap_md5_response(3, (const uint8_t *)"pw", 2, chal, 16, md5);
	ah_chap(&h, 0, CHAP_RESPONSE, 3, md5, 16, "carol");
	CHECK_INT(ah_hs(&h, 0, 2)->method, AUDIT_AUTH_CHAP_MD5);
	/* A Response whose Challenge the capture missed: no plaintext,
	 * but the method still follows from the flags byte. */
	ah_chap(&h, 0, CHAP_RESPONSE, 9, resp, 49, "dave");
	CHECK_INT(ah_hs(&h, 0, 3)->method, AUDIT_AUTH_MSCHAPV1);
	CHECK(!ah_hs(&h, 0, 3)->have_challenge);
	CHECK(!ah_hs(&h, 0, 3)->have_des);
	CHECK_INT(h.cap.n_hs, 4);
	/* With ACFC and PFC the frames were still read. */
	CHECK_INT(h.cap.calls[0].d[1].bad_frames, 0);
	audit_cap_free(&h.cap);
}

static void
test_pap(void)
{
	struct audit_findings f;
	uint8_t req[32];
	struct ah h;
	size_t n = 0;

	ah_init(&h);
	ah_open(&h);
	ah_lcp(&h, PPP_PROTO_PAP, 0);
	req[n++] = 5;
	memcpy(req + n, "alice", 5);
	n += 5;
	req[n++] = 5;
	memcpy(req + n, "wrong", 5);
	n += 5;
	ah_ctl(&h, 0, PPP_PROTO_PAP, PAP_AUTHREQ, 1, req, n);
	ah_ctl(&h, 0, PPP_PROTO_PAP, PAP_AUTHREQ, 1, req, n);	/* again */
	ah_ctl(&h, 1, PPP_PROTO_PAP, PAP_AUTHNAK, 1,
	    (const uint8_t *)"\x04nope", 5);
	memcpy(req + 7, "s3cr", 4);
	req[6] = 4;
	ah_ctl(&h, 0, PPP_PROTO_PAP, PAP_AUTHREQ, 2, req, 11);
	ah_ctl(&h, 1, PPP_PROTO_PAP, PAP_AUTHACK, 2, (const uint8_t *)"\0", 1);
	CHECK_INT(h.cap.n_hs, 2);
	CHECK_INT(ah_hs(&h, 0, 0)->result, AUDIT_RES_FAILURE);
	CHECK_STR(ah_hs(&h, 0, 0)->password, "wrong");
	CHECK_STR(ah_hs(&h, 0, 0)->message, "nope");
	CHECK_INT(ah_hs(&h, 0, 1)->result, AUDIT_RES_SUCCESS);
	CHECK_STR(ah_hs(&h, 0, 1)->password, "s3cr");
	CHECK_INT(h.cap.calls[0].auth, AUDIT_AUTH_PAP);
	CHECK_INT(audit_findings_eval(&h.cap, NULL, &f), 0);
	CHECK(has_finding(&f, "pap-cleartext", 1, AUDIT_SEV_CRITICAL));
	CHECK(has_finding(&f, "auth-failed", 1, AUDIT_SEV_MEDIUM));
	{
		int seen = 0;

		for (size_t i = 0; i < f.n; i++)
			if (strcmp(f.v[i].code, "pap-cleartext") == 0 &&
			    strstr(f.v[i].text, "\"s3cr\"") != NULL)
				seen = 1;
		CHECK(seen);
	}
	audit_findings_free(&f);
	audit_cap_free(&h.cap);
}

static void
test_failure_and_retry(void)
{
	uint8_t chal[16], resp[49];
	struct audit_findings f;
	struct ah h;
	static const char fail[] = "E=691 R=1 "
	    "C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failure";

	ah_init(&h);
	ah_open(&h);
	ah_lcp(&h, PPP_PROTO_CHAP, CHAP_ALG_MSCHAPV2);
	test_unhex(V_AUTH, chal, 16);
	ah_chap(&h, 1, CHAP_CHALLENGE, 1, chal, 16, "server");
	ah_chap(&h, 1, CHAP_CHALLENGE, 1, chal, 16, "server");	/* again */
	ah_chap(&h, 0, CHAP_RESPONSE, 1, resp, v2_response(resp), "User");
	ah_chap(&h, 0, CHAP_RESPONSE, 1, resp, 49, "User");	/* again */
	ah_ctl(&h, 1, PPP_PROTO_CHAP, CHAP_FAILURE, 1, (const uint8_t *)fail,
	    strlen(fail));
	CHECK_INT(h.cap.n_hs, 1);
	CHECK_INT(ah_hs(&h, 0, 0)->result, AUDIT_RES_FAILURE);
	CHECK_INT(ah_hs(&h, 0, 0)->ms_error, 691);
	CHECK_INT(ah_hs(&h, 0, 0)->ms_retry, 1);
	/* The retry answers the C= challenge, with the next Identifier. */
	resp[0] ^= 0xff;
	ah_chap(&h, 0, CHAP_RESPONSE, 2, resp, 49, "User");
	ah_ctl(&h, 1, PPP_PROTO_CHAP, CHAP_SUCCESS, 2, (const uint8_t *)"S=0",
	    3);
	CHECK_INT(h.cap.n_hs, 2);
	test_unhex("00112233445566778899AABBCCDDEEFF", chal, 16);
	CHECK(ah_hs(&h, 0, 1)->have_challenge);
	CHECK_MEM(ah_hs(&h, 0, 1)->challenge, chal, 16);
	CHECK(ah_hs(&h, 0, 1)->have_des);
	CHECK_INT(ah_hs(&h, 0, 1)->result, AUDIT_RES_SUCCESS);
	CHECK_INT(audit_findings_eval(&h.cap, NULL, &f), 0);
	CHECK(has_finding(&f, "auth-failed", 1, AUDIT_SEV_MEDIUM));
	audit_findings_free(&f);
	audit_cap_free(&h.cap);
}

static void
test_orphan_gre(void)
{
	uint8_t x[2] = { 0x45, 0 };
	struct ah h;

	/* No control connection in the capture: the two directions of one
	 * GRE flow pair into one call, roles unknown. */
	ah_init(&h);
	h.gre_key[0] = 0x10;
	h.gre_key[1] = 0x20;
	ah_ppp(&h, 1, PPP_PROTO_IP, x, 2);
	ah_ppp(&h, 0, PPP_PROTO_IP, x, 2);
	ah_ppp(&h, 0, PPP_PROTO_IP, x, 2);
	CHECK_INT(h.cap.n_calls, 1);
	CHECK(!h.cap.calls[0].roles_known);
	CHECK_INT(h.cap.calls[0].ip[0], AH_SRV);
	CHECK_INT(h.cap.calls[0].d[0].ip_clear, 1);
	CHECK_INT(h.cap.calls[0].d[1].ip_clear, 2);
	/* GRE sequence numbers: a gap is counted as loss. */
	h.gre_seq[0] += 5;
	ah_ppp(&h, 0, PPP_PROTO_IP, x, 2);
	CHECK_INT(h.cap.calls[0].d[1].seq_lost, 5);
	audit_cap_free(&h.cap);
}

static void
test_malformed_ppp(void)
{
	static const uint8_t bad_opt[] = { LCP_OPT_AUTH, 9, 0xc2, 0x23 };
	static const uint8_t short_opt[] = { LCP_OPT_AUTH, 1 };
	uint8_t junk[3] = { 0x01, 0x01, 0x00 };
	struct ah h;

	ah_init(&h);
	ah_open(&h);
	ah_ctl(&h, 1, PPP_PROTO_LCP, PPP_CONFREQ, 1, bad_opt, sizeof(bad_opt));
	ah_ctl(&h, 1, PPP_PROTO_LCP, PPP_CONFREQ, 1, short_opt,
	    sizeof(short_opt));
	/* CHAP Value-Size past the end; a Length past the frame. */
	ah_ctl(&h, 1, PPP_PROTO_CHAP, CHAP_CHALLENGE, 1,
	    (const uint8_t *)"\x40\x01", 2);
	ah_ppp(&h, 1, PPP_PROTO_CHAP, junk, 3);
	ah_ppp(&h, 1, 0x0200, junk, 0);	/* even protocol: invalid */
	CHECK_INT(h.cap.calls[0].d[1].bad_frames, 5);
	CHECK_INT(h.cap.n_hs, 0);
	CHECK_INT(h.r, 0);
	audit_cap_free(&h.cap);
}

static void
test_limits(void)
{
	struct audit_limits lim;
	struct audit_findings f;
	uint8_t x[1] = { 0x45 };
	struct ah h;

	ah_init(&h);
	audit_cap_free(&h.cap);
	audit_limits_default(&lim);
	lim.max_calls = 2;
	CHECK_INT(audit_cap_init(&h.cap, &lim), 0);
	for (uint16_t k = 1; k <= 4; k++) {
		h.gre_key[0] = k;
		h.ip[1] = AH_SRV + k;
		ah_ppp(&h, 0, PPP_PROTO_IP, x, 1);
	}
	CHECK_INT(h.cap.n_calls, 2);
	CHECK_INT(h.cap.calls_dropped, 2);
	CHECK_INT(audit_findings_eval(&h.cap, NULL, &f), 0);
	CHECK(has_finding(&f, "limits-hit", 0, AUDIT_SEV_INFO));
	audit_findings_free(&f);
	audit_cap_free(&h.cap);
}

int
main(void)
{
	RUN(test_control_and_call);
	RUN(test_tcp_reassembly);
	RUN(test_mschapv2_exchange);
	RUN(test_method_without_lcp);
	RUN(test_pap);
	RUN(test_failure_and_retry);
	RUN(test_orphan_gre);
	RUN(test_malformed_ppp);
	RUN(test_limits);
	TEST_MAIN_END();
}
