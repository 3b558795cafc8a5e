/*
 * test_ppp_options.c - raw bytes in, raw bytes out: the Configure-Request
 * each side sends, the exact Configure-Ack/Nak/Reject it answers to each
 * LCP, IPCP, IPV6CP and CCP option, malformed frames and packets (with
 * the PK_ERR_ code each is refused with), Code-Reject, Protocol-Reject,
 * Echo, and address/control and protocol field compression.
 */
#include "auth/mschap.h"
#include "core/log.h"
#include "core/rand.h"
#include "ppp_harness.h"
#include "ppp_script.h"

/* The server's LCP request: MRU 1400, MS-CHAPv2, magic, PFC, ACFC. */
#define SERVER_LCP_REQ "ff 03 c0 21 01 xx 00 17 01 04 05 78 03 05 c2 23 81 " \
    "05 06 xx xx xx xx 07 02 08 02"

static void
new_server(struct script *s, void (*tweak)(struct ppp_config *))
{
	struct ppp_config cfg;

	h_config(&cfg, 1);
	if (tweak != NULL)
		tweak(&cfg);
	CHECK_INT(s_new(s, &cfg), 0);
	CHECK_INT(s_start(s), 0);
}

static void
test_lcp_requests(void)
{
	struct script s;
	struct ppp_config cfg;

	new_server(&s, NULL);
	CHECK_INT(s_nframes(&s), 1);
	CHECK(s_find(&s, SERVER_LCP_REQ) == 0);
	s_free(&s);

	/* The client asks for no authentication. */
	h_config(&cfg, 0);
	CHECK_INT(s_new(&s, &cfg), 0);
	s_start(&s);
	CHECK(s_find(&s, "ff 03 c0 21 01 xx 00 12 01 04 05 78 05 06 xx xx xx "
	    "xx 07 02 08 02") == 0);
	s_free(&s);
}

struct reply_case {
	const char *in;
	const char *out;	/* NULL: nothing may be sent */
};

/* Each case on a fresh server in Req-Sent. */
static void
run_cases(const struct reply_case *c, size_t n,
    void (*tweak)(struct ppp_config *))
{
	for (size_t i = 0; i < n; i++) {
		struct script s;

		new_server(&s, tweak);
		s_reset(&s);
		s_feed(&s, c[i].in);
		if (c[i].out == NULL) {
			CHECK_INT(s_nframes(&s), 0);
		} else {
			CHECK_INT(s_nframes(&s), 1);
			if (s_find(&s, c[i].out) != 0)
				fprintf(stderr, "  case %zu: %s\n", i,
				    c[i].in);
			CHECK(s_find(&s, c[i].out) == 0);
		}
		s_free(&s);
	}
}

static void
test_lcp_peer_options(void)
{
	static const struct reply_case cases[] = {
		/* All known and acceptable: Ack, byte for byte. ACCM is
		 * accepted and ignored. */
		{ "ff 03 c0 21 01 0b 00 18 01 04 05 dc 02 06 00 00 00 00 05 06 "
		  "11 22 33 44 07 02 08 02",
		  "ff 03 c0 21 02 0b 00 18 01 04 05 dc 02 06 00 00 00 00 05 06 "
		  "11 22 33 44 07 02 08 02" },
		/* Callback, an unknown type and MRRU: rejected as sent. */
		{ "ff 03 c0 21 01 07 00 17 01 04 05 dc 0d 03 06 2a 02 02 06 00 "
		  "00 00 00 11 04 05 dc",
		  "ff 03 c0 21 04 07 00 0d 0d 03 06 2a 02 11 04 05 dc" },
		/* Known options with the wrong length are rejected too. */
		{ "ff 03 c0 21 01 09 00 0e 01 03 05 07 03 00 05 04 12 34",
		  "ff 03 c0 21 04 09 00 0e 01 03 05 07 03 00 05 04 12 34" },
		/* Quality-Protocol (LQR). */
		{ "ff 03 c0 21 01 0c 00 0c 04 08 c0 25 00 00 00 0a",
		  "ff 03 c0 21 04 0c 00 0c 04 08 c0 25 00 00 00 0a" },
		/* The server never authenticates itself to the peer. */
		{ "ff 03 c0 21 01 0a 00 08 03 04 c0 23",
		  "ff 03 c0 21 04 0a 00 08 03 04 c0 23" },
		/* MRU below 128 and a zero magic are Nak'd. */
		{ "ff 03 c0 21 01 08 00 0e 01 04 00 40 05 06 00 00 00 00",
		  "ff 03 c0 21 03 08 00 0e 01 04 00 80 05 06 xx xx xx xx" },
		/* Reject wins over Nak: only the Reject is sent. */
		{ "ff 03 c0 21 01 0d 00 0a 01 04 00 40 2a 02",
		  "ff 03 c0 21 04 0d 00 06 2a 02" },
		/* Address/control may be missing on input (RFC 1661
		 * §6.6 advises accepting it); LCP output keeps FF 03. */
		{ "c0 21 01 0e 00 04", "ff 03 c0 21 02 0e 00 04" },
		/* Padding after Length is ignored. */
		{ "ff 03 c0 21 01 0f 00 04 00 00 00",
		  "ff 03 c0 21 02 0f 00 04" },
	};

	run_cases(cases, sizeof(cases) / sizeof(cases[0]), NULL);
}

struct err_case {
	const char *in;
	int err;
};

static void
test_malformed(void)
{
	static const struct err_case cases[] = {
		{ "", PK_ERR_SHORT },
		{ "ff", PK_ERR_SHORT },
		{ "ff 05 c0 21 01 01 00 04", PK_ERR_VALUE },	/* control */
		{ "c0 22 01 01 00 04", PK_ERR_VALUE },	/* even low byte */
		{ "ff 03 c0", PK_ERR_SHORT },
		{ "ff 03 c0 21", PK_ERR_SHORT },	/* zero-length pkt */
		{ "ff 03 c0 21 01 01 00", PK_ERR_SHORT },
		{ "ff 03 c0 21 01 01 00 10 01 04 05 dc", PK_ERR_LENGTH },
		{ "ff 03 c0 21 01 01 00 03", PK_ERR_LENGTH },
		{ "ff 03 c0 21 01 01 00 00", PK_ERR_LENGTH },
		{ "ff 03 c0 21 01 01 00 06 01 00", PK_ERR_LENGTH },
		{ "ff 03 c0 21 01 01 00 06 01 01", PK_ERR_LENGTH },
		{ "ff 03 c0 21 01 01 00 08 01 06 05 dc", PK_ERR_LENGTH },
		{ "ff 03 c0 21 01 01 00 05 01", PK_ERR_SHORT },
		/* An Ack that is not for our request. */
		{ "ff 03 c0 21 02 99 00 04", PK_ERR_VALUE },
		/* Non-LCP before LCP is up: discarded (RFC 1661 §3.4). */
		{ "80 21 01 01 00 04", PK_ERR_STATE },
		{ "c2 23 02 01 00 05 01", PK_ERR_STATE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct script s;

		new_server(&s, NULL);
		s_reset(&s);
		if (s_feed(&s, cases[i].in) != cases[i].err)
			fprintf(stderr, "  case %zu: %s\n", i, cases[i].in);
		s_reset(&s);
		CHECK_INT(s_feed(&s, cases[i].in), cases[i].err);
		CHECK_INT(s_nframes(&s), 0);
		CHECK_INT(ppp_phase(s.p), PPP_PHASE_ESTABLISH);
		s_free(&s);
	}
}

static void
test_code_reject(void)
{
	static const struct reply_case cases[] = {
		{ "ff 03 c0 21 30 05 00 06 ab cd",
		  "ff 03 c0 21 07 xx 00 0a 30 05 00 06 ab cd" },
		/* Length cuts the rejected packet, padding is not echoed. */
		{ "ff 03 c0 21 00 05 00 05 ab cd ef",
		  "ff 03 c0 21 07 xx 00 09 00 05 00 05 ab" },
		/* Echo and Discard outside Opened: silently discarded. */
		{ "ff 03 c0 21 09 01 00 08 00 00 00 00", NULL },
		{ "ff 03 c0 21 0b 01 00 08 00 00 00 00", NULL },
		/* RFC 1570 Identification / Time-Remaining: tolerated. */
		{ "ff 03 c0 21 0c 01 00 0d 00 00 00 00 4d 53 52 41 53", NULL },
		{ "ff 03 c0 21 0d 01 00 0c 00 00 00 00 00 00 0e 10", NULL },
	};

	run_cases(cases, sizeof(cases) / sizeof(cases[0]), NULL);
}

/* The server in the Authenticate phase with LCP opened (peer asked for
 * PFC and ACFC), using PAP; returns its magic number. */
static uint32_t
server_lcp_open(struct script *s, void (*tweak)(struct ppp_config *))
{
	uint32_t magic;

	new_server(s, tweak);
	magic = (uint32_t)s_byte(s, 0, 19) << 24 |
	    (uint32_t)s_byte(s, 0, 20) << 16 |
	    (uint32_t)s_byte(s, 0, 21) << 8 | s_byte(s, 0, 22);
	CHECK_INT(s_open_lcp(s), 0);
	CHECK_INT(ppp_phase(s->p), PPP_PHASE_AUTHENTICATE);
	return magic;
}

static void
test_echo(void)
{
	struct script s;
	uint32_t magic = server_lcp_open(&s, NULL);
	char want[128];

	s_reset(&s);
	s_feed(&s, "ff 03 c0 21 09 33 00 0c 11 22 33 44 de ad be ef");
	snprintf(want, sizeof(want), "ff 03 c0 21 0a 33 00 0c %02x %02x %02x "
	    "%02x de ad be ef", magic >> 24, (magic >> 16) & 0xff,
	    (magic >> 8) & 0xff, magic & 0xff);
	CHECK(s_find(&s, want) == 0);
	/* An Echo-Request carrying our own magic: loopback, no reply. */
	s_reset(&s);
	snprintf(want, sizeof(want), "ff 03 c0 21 09 34 00 08 %02x %02x %02x "
	    "%02x", magic >> 24, (magic >> 16) & 0xff, (magic >> 8) & 0xff,
	    magic & 0xff);
	s_feed(&s, want);
	CHECK_INT(s_nframes(&s), 0);
	/* Discard-Request: nothing; a truncated Echo: nothing. */
	s_feed(&s, "ff 03 c0 21 0b 35 00 08 11 22 33 44");
	s_feed(&s, "ff 03 c0 21 09 36 00 06 11 22");
	CHECK_INT(s_nframes(&s), 0);
	/* Echo-Reply, Identification: tolerated, no Code-Reject. */
	s_feed(&s, "ff 03 c0 21 0a 37 00 08 11 22 33 44");
	s_feed(&s, "ff 03 c0 21 0c 38 00 0a 11 22 33 44 68 69");
	CHECK_INT(s_nframes(&s), 0);
	s_free(&s);
}

static void
pap_server(struct ppp_config *cfg)
{
	cfg->policy.auth = PK_AUTH_PAP;
	cfg->policy.mppe = PK_MPPE_DENY;
}

/* PAP server, through authentication into the Network phase. */
static void
server_network(struct script *s, void (*tweak)(struct ppp_config *))
{
	server_lcp_open(s, tweak);
	s_reset(s);
	/* Compressed address/control: the peer asked for ACFC. */
	s_feed(s, "c0 23 01 05 00 18 05 61 6c 69 63 65 0d 63 6f 72 72 65 63 "
	    "74 20 68 6f 72 73 65");
	CHECK_INT(s->auth_requests, 1);
	CHECK_STR(s->req.user, "alice");
	CHECK_INT(s_auth_answer(s, "correct horse"), 0);
	CHECK_INT(s->auth_ok, 1);
	CHECK_INT(ppp_phase(s->p), PPP_PHASE_NETWORK);
}

static void
test_compression_and_protocol_reject(void)
{
	struct script s;

	server_network(&s, pap_server);
	/* PAP Ack, then the IPCP request: no FF 03 (ACFC), and IPCP's
	 * protocol cannot be compressed (PFC applies below 0x100). */
	CHECK(s_byte(&s, 0, 0) == 0xc0 && s_byte(&s, 0, 1) == 0x23 &&
	    s_byte(&s, 0, 2) == PAP_AUTHACK && s_byte(&s, 0, 3) == 0x05);
	CHECK(s_find(&s, "80 21 01 xx 00 0a 03 06 c0 00 02 01") >= 0);
	/* Unknown protocols in the Network phase: Protocol-Reject, with
	 * the 2-byte protocol even when it came compressed (RFC 1661
	 * §5.7); LCP keeps FF 03. */
	s_reset(&s);
	s_feed(&s, "80 53 01 02 00 04");
	CHECK(s_find(&s, "ff 03 c0 21 08 xx 00 0a 80 53 01 02 00 04") == 0);
	s_reset(&s);
	s_feed(&s, "fb 12 34");
	CHECK(s_find(&s, "ff 03 c0 21 08 xx 00 08 00 fb 12 34") == 0);
	/* CCP is not running (MPPE denied): rejected as a protocol. */
	s_reset(&s);
	s_feed(&s, "80 fd 01 01 00 0a 12 06 01 00 00 40");
	CHECK(s_find(&s, "ff 03 c0 21 08 xx 00 10 80 fd 01 01 00 0a 12 06 01 "
	    "00 00 40") == 0);
	/* IPV6CP is not enabled: rejected too. */
	s_reset(&s);
	s_feed(&s, "80 57 01 01 00 04");
	CHECK(s_find(&s, "ff 03 c0 21 08 xx 00 0a 80 57 01 01 00 04") == 0);
	CHECK_INT(ppp_stats(s.p)->proto_rejected, 4);
	s_free(&s);
}

/* The peer side of IPCP against our server. */
static void
test_ipcp(void)
{
	static const struct {
		const char *in, *out;
	} steps[] = {
		/* VJ compression (pppd offers it): rejected exactly. */
		{ "80 21 01 01 00 16 03 06 00 00 00 00 02 06 00 2d 0f 01 81 06 "
		  "00 00 00 00",
		  "80 21 04 01 00 0a 02 06 00 2d 0f 01" },
		/* Address and DNS asked as 0.0.0.0: Nak'd with ours. */
		{ "80 21 01 02 00 10 03 06 00 00 00 00 81 06 00 00 00 00",
		  "80 21 03 02 00 10 03 06 c0 00 02 02 81 06 08 08 08 08" },
		/* No IP-Address at all: Nak'd with one appended. */
		{ "80 21 01 03 00 0a 81 06 08 08 08 08",
		  "80 21 03 03 00 0a 03 06 c0 00 02 02" },
		/* Obsolete IP-Addresses and a bad-length IP-Address. */
		{ "80 21 01 04 00 13 01 0a 00 00 00 00 00 00 00 00 03 05 00 00 "
		  "00",
		  "80 21 04 04 00 13 01 0a 00 00 00 00 00 00 00 00 03 05 00 00 "
		  "00" },
		/* NBNS secondary: Nak'd with ours, address appended. */
		{ "80 21 01 05 00 0a 84 06 00 00 00 00",
		  "80 21 03 05 00 10 84 06 0a 00 00 02 03 06 c0 00 02 02" },
		/* The right values: Ack. */
		{ "80 21 01 06 00 16 03 06 c0 00 02 02 81 06 08 08 08 08 83 06 "
		  "01 01 01 01",
		  "80 21 02 06 00 16 03 06 c0 00 02 02 81 06 08 08 08 08 83 06 "
		  "01 01 01 01" },
	};
	struct script s;
	uint8_t ack[16];
	size_t len;
	const uint8_t *f;
	int idx;

	server_network(&s, pap_server);
	idx = s_find(&s, "80 21 01 xx 00 0a 03 06 c0 00 02 01");
	CHECK(idx >= 0);
	f = s_frame(&s, idx, &len);
	memcpy(ack, f, len);
	ack[2] = PPP_CONFACK;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		s_reset(&s);
		s_feed(&s, steps[i].in);
		CHECK_INT(s_nframes(&s), 1);
		if (s_find(&s, steps[i].out) != 0)
			fprintf(stderr, "  step %zu\n", i);
	}
	CHECK_INT(s.up, 0);
	s_feed_bytes(&s, ack, len);
	CHECK_INT(s.up, 1);
	CHECK_INT(s.up_info.peer_ip, 0xc0000202);
	CHECK_INT(s.up_info.local_ip, 0xc0000201);
	CHECK_INT(s.up_info.mppe_bits, 0);
	/* Data: IP in both protocol field forms reaches the TUN. */
	s_reset(&s);
	CHECK_INT(s_feed(&s, "21 45 00 00 14 00 00 00 00 40 01 00 00 c0 00 02 "
	    "02 c0 00 02 01"), 0);
	CHECK_INT(s_feed(&s, "ff 03 00 21 45 00 00 14 00 00 00 00 40 01 00 00 "
	    "c0 00 02 02 c0 00 02 01"), 0);
	CHECK_INT(s.out.n_items, 2);
	CHECK_INT(out_item(&s.out, 0)->kind, OUT_IP);
	CHECK_INT(out_item(&s.out, 1)->len, 20);
	CHECK_INT(ppp_stats(s.p)->ip_in, 2);
	s_free(&s);
}

static void
no_dns2(struct ppp_config *cfg)
{
	pap_server(cfg);
	cfg->dns[1] = 0;
}

static void
test_ipcp_without_dns2(void)
{
	struct script s;

	server_network(&s, no_dns2);
	s_reset(&s);
	s_feed(&s, "80 21 01 07 00 10 03 06 c0 00 02 02 83 06 00 00 00 00");
	CHECK(s_find(&s, "80 21 04 07 00 0a 83 06 00 00 00 00") == 0);
	s_free(&s);
}

/* MS-CHAPv2 through the wire, computed with the auth library. */
static void
server_network_mschapv2(struct script *s,
    void (*tweak)(struct ppp_config *))
{
	uint8_t chal[16], peer[16], resp[49], frame[128];
	struct buf_writer w;
	size_t len;
	const uint8_t *f;

	server_lcp_open(s, tweak);
	f = s_frame(s, 1, &len);
	/* c2 23 01 id len(2) 10 challenge(16) name */
	CHECK(f != NULL && len >= 22 && f[2] == CHAP_CHALLENGE &&
	    f[6] == 16);
	if (f == NULL || len < 23)
		return;
	memcpy(chal, f + 7, 16);
	memset(peer, 0x5a, sizeof(peer));
	CHECK_INT(mschapv2_build_response(chal, peer, "alice",
	    "correct horse", resp), 0);
	buf_writer_init(&w, frame, sizeof(frame));
	buf_put_u16(&w, PPP_PROTO_CHAP);
	buf_put_u8(&w, CHAP_RESPONSE);
	buf_put_u8(&w, f[3]);
	buf_put_u16(&w, 4 + 1 + 49 + 5);
	buf_put_u8(&w, 49);
	buf_put_bytes(&w, resp, 49);
	buf_put_bytes(&w, "alice", 5);
	s_reset(s);
	s_feed_bytes(s, frame, w.len);
	CHECK_INT(s->auth_requests, 1);
	CHECK_INT(s_auth_answer(s, "correct horse"), 0);
	CHECK_INT(s->auth_ok, 1);
	CHECK_INT(ppp_phase(s->p), PPP_PHASE_NETWORK);
}

static void
test_ccp(void)
{
	/* Server policy: MPPE-128 required, stateless preferred, stateful
	 * allowed. */
	static const struct {
		const char *in, *out;
	} steps[] = {
		/* All lengths offered: Nak with the strongest we allow. */
		{ "80 fd 01 01 00 0a 12 06 01 00 00 e0",
		  "80 fd 03 01 00 0a 12 06 01 00 00 40" },
		/* MPPC (C bit) and the obsolete D bit never pass. */
		{ "80 fd 01 02 00 0a 12 06 01 00 00 51",
		  "80 fd 03 02 00 0a 12 06 01 00 00 40" },
		/* 40-bit only: nothing in common, tell what we can do. */
		{ "80 fd 01 03 00 0a 12 06 01 00 00 20",
		  "80 fd 03 03 00 0a 12 06 01 00 00 40" },
		/* Deflate and BSD-Compress are rejected, MPPE kept aside. */
		{ "80 fd 01 04 00 11 1a 04 78 00 12 06 01 00 00 40 15 03 2f",
		  "80 fd 04 04 00 0b 1a 04 78 00 15 03 2f" },
		/* A bad-length MPPE option is rejected. */
		{ "80 fd 01 05 00 09 12 05 01 00 00",
		  "80 fd 04 05 00 09 12 05 01 00 00" },
		/* No MPPE at all while it is required: Nak'd in. */
		{ "80 fd 01 06 00 04", "80 fd 03 06 00 0a 12 06 01 00 00 40" },
		/* Reset-Request before Opened: ignored. */
		{ "80 fd 0e 07 00 04", NULL },
		/* Unknown CCP code: Code-Reject. */
		{ "80 fd 20 08 00 04", "80 fd 07 xx 00 08 20 08 00 04" },
		/* Exactly S and H: Ack. */
		{ "80 fd 01 09 00 0a 12 06 01 00 00 40",
		  "80 fd 02 09 00 0a 12 06 01 00 00 40" },
	};
	struct script s;
	int idx;

	server_network_mschapv2(&s, NULL);
	idx = s_find(&s, "80 fd 01 xx 00 0a 12 06 01 00 00 40");
	CHECK(idx >= 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		s_reset(&s);
		s_feed(&s, steps[i].in);
		if (steps[i].out == NULL) {
			CHECK_INT(s_nframes(&s), 0);
			continue;
		}
		CHECK_INT(s_nframes(&s), 1);
		if (s_find(&s, steps[i].out) != 0)
			fprintf(stderr, "  step %zu\n", i);
	}
	s_free(&s);
}

static void
stateful_required(struct ppp_config *cfg)
{
	cfg->policy.mppe_stateful = PK_STATEFUL_REQUIRE;
	cfg->policy.mppe_bits = PK_MPPE_40 | PK_MPPE_128;
}

static void
test_ccp_stateful(void)
{
	struct script s;

	server_network_mschapv2(&s, stateful_required);
	/* Our request: S and L, no H. */
	CHECK(s_find(&s, "80 fd 01 xx 00 0a 12 06 00 00 00 60") >= 0);
	s_reset(&s);
	s_feed(&s, "80 fd 01 01 00 0a 12 06 01 00 00 20");
	CHECK(s_find(&s, "80 fd 03 01 00 0a 12 06 00 00 00 20") == 0);
	s_reset(&s);
	s_feed(&s, "80 fd 01 02 00 0a 12 06 00 00 00 20");
	CHECK(s_find(&s, "80 fd 02 02 00 0a 12 06 00 00 00 20") == 0);
	s_free(&s);
}

static void
v6_server(struct ppp_config *cfg)
{
	pap_server(cfg);
	cfg->ipv6 = 1;
	memcpy(cfg->ipv6_ifid, "\x00\x00\x00\x00\x00\x00\x00\x01", 8);
}

static void
test_ipv6cp(void)
{
	struct script s;
	size_t len;
	const uint8_t *f;
	char nak[80];
	int idx, id;

	server_network(&s, v6_server);
	idx = s_find(&s, "80 57 01 xx 00 0e 01 0a 00 00 00 00 00 00 00 01");
	CHECK(idx >= 0);
	id = s_byte(&s, idx, 3);
	/* A distinct identifier: Ack. */
	s_reset(&s);
	s_feed(&s, "80 57 01 01 00 0e 01 0a 12 34 56 78 9a bc de f0");
	CHECK(s_find(&s, "80 57 02 01 00 0e 01 0a 12 34 56 78 9a bc de f0") ==
	    0);
	/* Zero, or equal to ours: Nak'd with a new non-zero value. */
	s_reset(&s);
	s_feed(&s, "80 57 01 02 00 0e 01 0a 00 00 00 00 00 00 00 00");
	CHECK(s_find(&s, "80 57 03 02 00 0e 01 0a xx xx xx xx xx xx xx xx") ==
	    0);
	f = s_frame(&s, 0, &len);
	CHECK(f != NULL && memcmp(f + 8, "\0\0\0\0\0\0\0\0", 8) != 0 &&
	    memcmp(f + 8, "\0\0\0\0\0\0\0\1", 8) != 0 && (f[8] & 0x02) == 0);
	s_reset(&s);
	s_feed(&s, "80 57 01 03 00 0e 01 0a 00 00 00 00 00 00 00 01");
	CHECK(s_find(&s, "80 57 03 03 00 0e 01 0a xx xx xx xx xx xx xx xx") ==
	    0);
	f = s_frame(&s, 0, &len);
	CHECK(f != NULL && memcmp(f + 8, "\0\0\0\0\0\0\0\1", 8) != 0);
	/* Compression and bad lengths are rejected. */
	s_reset(&s);
	s_feed(&s, "80 57 01 04 00 0c 02 04 00 4f 01 04 00 00");
	CHECK(s_find(&s, "80 57 04 04 00 0c 02 04 00 4f 01 04 00 00") == 0);
	/* Our identifier Nak'd with a suggestion: the next request uses
	 * it (RFC 5072 §4.1). */
	s_reset(&s);
	snprintf(nak, sizeof(nak), "80 57 03 %02x 00 0e 01 0a 00 00 00 00 00 "
	    "00 00 02", id);
	s_feed(&s, nak);
	CHECK(s_find(&s, "80 57 01 xx 00 0e 01 0a 00 00 00 00 00 00 00 02") ==
	    0);
	/* A Nak suggesting zero: we pick a new random one ourselves, not
	 * zero and not the refused one (found by fuzz_ppp: this once
	 * looped for ever). */
	id = s_byte(&s, 0, 3);
	s_reset(&s);
	snprintf(nak, sizeof(nak), "80 57 03 %02x 00 0e 01 0a 00 00 00 00 00 "
	    "00 00 00", id);
	s_feed(&s, nak);
	CHECK(s_find(&s, "80 57 01 xx 00 0e 01 0a xx xx xx xx xx xx xx xx") ==
	    0);
	f = s_frame(&s, 0, &len);
	CHECK(f != NULL && memcmp(f + 8, "\0\0\0\0\0\0\0\0", 8) != 0 &&
	    memcmp(f + 8, "\0\0\0\0\0\0\0\2", 8) != 0);
	s_free(&s);
}

static void
test_client_auth_choice(void)
{
	static const struct reply_case cases[] = {
		/* PAP asked, MS-CHAPv2 required for MPPE: Nak. */
		{ "ff 03 c0 21 01 01 00 08 03 04 c0 23",
		  "ff 03 c0 21 03 01 00 09 03 05 c2 23 81" },
		{ "ff 03 c0 21 01 02 00 09 03 05 c2 23 05",
		  "ff 03 c0 21 03 02 00 09 03 05 c2 23 81" },
		/* Unknown algorithm, unknown protocol, bad length. */
		{ "ff 03 c0 21 01 03 00 09 03 05 c2 23 99",
		  "ff 03 c0 21 03 03 00 09 03 05 c2 23 81" },
		{ "ff 03 c0 21 01 04 00 08 03 04 12 34",
		  "ff 03 c0 21 03 04 00 09 03 05 c2 23 81" },
		{ "ff 03 c0 21 01 05 00 0a 03 06 c2 23 81 00",
		  "ff 03 c0 21 03 05 00 09 03 05 c2 23 81" },
		/* What we allow: Ack. */
		{ "ff 03 c0 21 01 06 00 09 03 05 c2 23 81",
		  "ff 03 c0 21 02 06 00 09 03 05 c2 23 81" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct script s;
		struct ppp_config cfg;

		h_config(&cfg, 0);
		CHECK_INT(s_new(&s, &cfg), 0);
		s_start(&s);
		s_reset(&s);
		s_feed(&s, cases[i].in);
		CHECK_INT(s_nframes(&s), 1);
		if (s_find(&s, cases[i].out) != 0)
			fprintf(stderr, "  case %zu\n", i);
		s_free(&s);
	}
}

static void
v2_and_md5(struct ppp_config *cfg)
{
	cfg->policy.auth = PK_AUTH_MSCHAPV2 | PK_AUTH_CHAP_MD5;
	cfg->policy.mppe = PK_MPPE_ALLOW;
}

static void
test_server_auth_walk(void)
{
	struct script s;
	int id;

	new_server(&s, v2_and_md5);
	id = s_byte(&s, 0, 5);
	s_reset(&s);
	/* Peer prefers CHAP-MD5: the next request asks for it. */
	{
		char nak[64];

		snprintf(nak, sizeof(nak), "ff 03 c0 21 03 %02x 00 09 03 05 c2 "
		    "23 05", id);
		s_feed(&s, nak);
	}
	CHECK(s_find(&s, "ff 03 c0 21 01 xx 00 17 01 04 05 78 03 05 c2 23 05 "
	    "05 06 xx xx xx xx 07 02 08 02") == 0);
	id = s_byte(&s, 0, 5);
	s_reset(&s);
	/* Then it wants PAP, which we do not allow: give up, say why. */
	{
		char nak[64];

		snprintf(nak, sizeof(nak), "ff 03 c0 21 03 %02x 00 08 03 04 c0 "
		    "23", id);
		s_feed(&s, nak);
	}
	CHECK(s_sent_link_closed(&s));
	CHECK_INT(s.down, 0);
	s_ack_terminate(&s);
	CHECK_INT(s.down, 1);
	CHECK_INT(s.down_code, PK_ERR_POLICY);
	CHECK_STR(s.down_text, "peer refused all allowed authentication "
	    "methods (we allow: mschapv2,chap; peer wants pap)");
	s_free(&s);

	/* A Configure-Reject of Auth-Protocol ends it as well. */
	new_server(&s, NULL);
	id = s_byte(&s, 0, 5);
	{
		char rej[64];

		snprintf(rej, sizeof(rej), "ff 03 c0 21 04 %02x 00 09 03 05 c2 "
		    "23 81", id);
		s_feed(&s, rej);
	}
	s_advance(&s, 3000);
	s_advance(&s, 3000);
	CHECK_INT(s.down, 1);
	CHECK(strstr(s.down_text, "peer refused all allowed authentication "
	    "methods") != NULL);
	s_free(&s);
}

/* No answer at all: Max-Configure requests, then Dead with a reason. */
static void
test_silent_peer(void)
{
	struct script s;

	new_server(&s, NULL);
	for (int i = 0; i < 12 && s.down == 0; i++)
		s_advance(&s, 3000);
	CHECK_INT(s.down, 1);
	CHECK_INT(s.down_code, PK_ERR_TIMEOUT);
	CHECK_STR(s.down_text, "LCP negotiation failed: no answer from the "
	    "peer to 10 Configure-Requests");
	CHECK(s.now == 1000 + 10 * 3000);
	s_free(&s);
}

/* Our own Configure-Request coming back: Nak'd with a new magic each
 * time, and after Max-Failure times the link is declared looped. */
static void
test_loopback(void)
{
	struct script s;
	struct ppp_config cfg;
	uint8_t req[64];
	size_t len;
	const uint8_t *f;
	int i;

	/* A client: its request has nothing else a looped copy would
	 * refuse (a server's Auth-Protocol would be rejected first). */
	h_config(&cfg, 0);
	CHECK_INT(s_new(&s, &cfg), 0);
	s_start(&s);
	for (i = 0; i < 10 && s.down == 0; i++) {
		f = s_frame(&s, s_nframes(&s) - 1, &len);
		if (f == NULL || len > sizeof(req) || f[4] != PPP_CONFREQ)
			break;
		memcpy(req, f, len);
		s_reset(&s);
		s_feed_bytes(&s, req, len);	/* the looped request */
		if (ppp_phase(s.p) == PPP_PHASE_TERMINATE)
			break;
		CHECK(s_find(&s, "ff 03 c0 21 03 xx 00 0a 05 06 xx xx xx xx") ==
		    0);
		/* The Nak comes back too: take it as from the peer. */
		f = s_frame(&s, 0, &len);
		if (f == NULL)
			break;
		memcpy(req, f, len);
		s_reset(&s);
		s_feed_bytes(&s, req, len);
		s_advance(&s, 0);
	}
	/* Five Naks, then the sixth loop is one too many. */
	CHECK_INT(i, 5);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_TERMINATE);
	s_ack_terminate(&s);
	CHECK_INT(s.down, 1);
	CHECK_STR(s.down_text, "loopback detected (LCP keeps seeing its own "
	    "Magic-Number)");
	s_free(&s);
}

/* The Ack of the last LCP Configure-Request the side sent; 0 if none. */
static size_t
ack_of_lcp_request(const struct script *s, uint8_t *ack)
{
	const uint8_t *f;
	size_t len;

	for (int i = s_nframes(s) - 1; i >= 0; i--) {
		f = s_frame(s, i, &len);
		if (len > 8 && len <= PK_PPP_FRAME_MAX && f[2] == 0xc0 &&
		    f[3] == 0x21 && f[4] == PPP_CONFREQ) {
			memcpy(ack, f, len);
			ack[4] = PPP_CONFACK;
			return len;
		}
	}
	return 0;
}

/*
 * A Configure-Request reaching an Opened LCP renegotiates it (RFC 1661
 * §4.1 RCR+ in Opened: tld, scr, sca / Ack-Sent), during authentication
 * as much as later, and the link phase runs again: authentication, then
 * the network protocols.
 */
static void
test_lcp_renegotiation(void)
{
	uint8_t ack[PK_PPP_FRAME_MAX];
	struct script s;
	size_t n;

	/* During authentication: our new request first, then the Ack. */
	server_lcp_open(&s, NULL);
	s_reset(&s);
	s_feed(&s, "ff 03 c0 21 01 44 00 0a 05 06 55 66 77 88");
	CHECK_INT(s.down, 0);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_ESTABLISH);
	CHECK_INT(s_nframes(&s), 2);
	CHECK(s_find(&s, SERVER_LCP_REQ) == 0);
	CHECK(s_find(&s, "ff 03 c0 21 02 44 00 0a 05 06 55 66 77 88") == 1);
	CHECK_INT(ppp_stats(s.p)->renegotiations, 1);
	n = ack_of_lcp_request(&s, ack);
	CHECK(n > 0);
	/* A late Ack of the request before: out of sequence, dropped. */
	s_reset(&s);
	CHECK_INT(s_feed(&s, "ff 03 c0 21 02 01 00 04"), PK_ERR_VALUE);
	CHECK_INT(s_nframes(&s), 0);
	/* Acked: Opened again, and a new CHAP Challenge. */
	s_feed_bytes(&s, ack, n);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_AUTHENTICATE);
	CHECK(s_find(&s, "ff 03 c2 23 01 xx 00 xx 10 xx xx xx xx xx xx xx xx "
	    "xx xx xx xx xx xx xx xx 70 70 74 70 6b 69 74 2d 73 65 72 76 65 "
	    "72") == 0);
	/* The same Ack again: a duplicate, dropped without a word. */
	s_reset(&s);
	CHECK_INT(s_feed_bytes(&s, ack, n), PK_ERR_VALUE);
	CHECK_INT(s_nframes(&s), 0);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_AUTHENTICATE);
	s_free(&s);

	/* In the Network phase (PAP): authentication runs again. */
	server_network(&s, pap_server);
	s_reset(&s);
	s_feed(&s, "ff 03 c0 21 01 45 00 0a 05 06 55 66 77 89");
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_ESTABLISH);
	n = ack_of_lcp_request(&s, ack);
	s_feed_bytes(&s, ack, n);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_AUTHENTICATE);
	s_feed(&s, "ff 03 c0 23 01 06 00 18 05 61 6c 69 63 65 0d 63 6f 72 72 "
	    "65 63 74 20 68 6f 72 73 65");
	CHECK_INT(s.auth_requests, 2);
	CHECK_INT(s_auth_answer(&s, "correct horse"), 0);
	CHECK_INT(s.auth_ok, 2);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_NETWORK);
	CHECK_INT(s.down, 0);
	s_free(&s);
}

/* LCP Protocol-Reject of an NCP stops it (RFC 1661 §5.7): fatal for
 * IPCP and for required MPPE, harmless for IPV6CP. */
static void
test_protocol_rejects(void)
{
	struct script s;

	server_network_mschapv2(&s, NULL);
	s_reset(&s);
	s_feed(&s, "ff 03 c0 21 08 01 00 0a 80 fd 01 01 00 04");
	CHECK(s_sent_link_closed(&s));
	s_ack_terminate(&s);
	CHECK_INT(s.down, 1);
	CHECK_INT(s.down_code, PK_ERR_POLICY);
	CHECK_STR(s.down_text, "MPPE required but CCP failed: peer rejected "
	    "CCP");
	s_free(&s);

	server_network(&s, pap_server);
	s_feed(&s, "ff 03 c0 21 08 01 00 0a 80 21 01 01 00 04");
	s_ack_terminate(&s);
	CHECK_INT(s.down, 1);
	CHECK_STR(s.down_text, "IPCP failed: peer rejected it");
	s_free(&s);

	server_network(&s, v6_server);
	s_reset(&s);
	s_feed(&s, "ff 03 c0 21 08 01 00 06 80 57");
	CHECK_INT(s_nframes(&s), 0);
	CHECK_INT(ppp_phase(s.p), PPP_PHASE_NETWORK);
	/* A Protocol-Reject shorter than its protocol field: dropped. */
	CHECK_INT(s_feed(&s, "ff 03 c0 21 08 02 00 05 80"), PK_ERR_SHORT);
	s_free(&s);
}

/* MPPE required: clear IP is refused before and after CCP opens, and
 * nothing goes out before it does. */
static void
test_clear_ip_refused(void)
{
	static const uint8_t pkt[20] = { 0x45, 0, 0, 20 };
	struct script s;

	server_network_mschapv2(&s, NULL);
	s_reset(&s);
	CHECK_INT(s_feed(&s, "21 45 00 00 14 00 00 00 00 40 01 00 00 c0 00 02 "
	    "02 c0 00 02 01"), PK_ERR_POLICY);
	CHECK_INT(ppp_send_ip(s.p, s.now, pkt, sizeof(pkt), &s.out),
	    PK_ERR_STATE);
	/* An MPPE frame before CCP is up: not decryptable, dropped. */
	CHECK_INT(s_feed(&s, "fd 90 00 12 34"), PK_ERR_STATE);
	CHECK_INT(s.out.n_items, 0);
	CHECK_INT(ppp_stats(s.p)->drop_unencrypted, 1);
	CHECK_INT(ppp_stats(s.p)->drop_not_up, 2);
	s_free(&s);
}

int
main(void)
{
	pk_log_set_level(PK_LOG_ERR);
	pk_rand_use_seeded(11);
	RUN(test_lcp_requests);
	RUN(test_lcp_peer_options);
	RUN(test_malformed);
	RUN(test_code_reject);
	RUN(test_echo);
	RUN(test_compression_and_protocol_reject);
	RUN(test_ipcp);
	RUN(test_ipcp_without_dns2);
	RUN(test_ccp);
	RUN(test_ccp_stateful);
	RUN(test_ipv6cp);
	RUN(test_client_auth_choice);
	RUN(test_server_auth_walk);
	RUN(test_silent_peer);
	RUN(test_loopback);
	RUN(test_lcp_renegotiation);
	RUN(test_protocol_rejects);
	RUN(test_clear_ip_refused);
	TEST_MAIN_END();
}
