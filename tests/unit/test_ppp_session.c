/*
 * test_ppp_session.c - a client and a server struct ppp joined in memory
 * (ppp_harness.h): every combination of authentication method, MPPE key
 * length and MPPE mode either comes up with matching parameters and
 * carries 2000 random IP packets each way byte for byte, or goes down on
 * both sides with the reason the policy gives. Then the edge cases: wrong
 * password, a lost stateful MPPE packet, echo timeout, IPV6CP, options
 * the peer must reject, delayed and missing authentication decisions.
 */
#include "core/log.h"
#include "core/rand.h"
#include "ppp_harness.h"
#include "test.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* A random IPv4 (or IPv6) packet of len bytes, with the header fields
 * the MPPE plausibility check reads (length, IPv4 checksum) correct. */
static void
make_packet(uint8_t *pkt, size_t len, int v6)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i++)
		pkt[i] = (uint8_t)rnd();
	pkt[0] = v6 ? 0x60 : 0x45;
	if (v6) {
		pkt[4] = (uint8_t)((len - 40) >> 8);
		pkt[5] = (uint8_t)(len - 40);
		return;
	}
	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	pkt[10] = pkt[11] = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	pkt[10] = (uint8_t)(~sum >> 8);
	pkt[11] = (uint8_t)~sum;
}

/* Set by the loss tests: packets may go missing (but never arrive
 * altered or out of order). */
static int lossy;

/*
 * Sends n random packets from side `from` in batches and checks that the
 * other side's TUN gets each one, in order, byte for byte. Returns the
 * number delivered intact (in order, as a subsequence of what was sent).
 */
static int
cross(struct h_link *l, int from, int n, int v6)
{
	static uint8_t sent[16][PK_IP_PACKET_MAX];
	static size_t sent_len[16];
	struct h_side *s = &l->side[from], *o = &l->side[1 - from];
	size_t mtu = s->up_info.mtu;
	int ok = 0;

	for (int done = 0; done < n; ) {
		int batch = n - done < 16 ? n - done : 16;

		o->nip = 0;
		for (int i = 0; i < batch; i++) {
			size_t len = v6 ? 40 + rnd() % (mtu - 39) :
			    20 + rnd() % (mtu - 19);

			make_packet(sent[i], len, v6);
			sent_len[i] = len;
			CHECK_INT(ppp_send_ip(s->ppp, l->now, sent[i], len,
			    &s->out), 0);
		}
		h_pump(l);
		if (!lossy)
			CHECK_INT(o->nip, batch);
		for (int i = 0, k = 0; i < o->nip && i < H_MAXPKT; i++) {
			while (k < batch && (o->ip_len[i] != sent_len[k] ||
			    memcmp(o->ip[i], sent[k], sent_len[k]) != 0))
				k++;
			if (k == batch)
				break;
			ok++;
			k++;
		}
		done += batch;
	}
	return ok;
}

enum { M_NONE = 0, M_40 = 40, M_56 = 56, M_128 = 128 };

static size_t frame_proto(const uint8_t *f, size_t len, uint16_t *proto);

/* Counts data frames on the wire: clear IP versus MPPE. */
struct wire_count {
	int clear_ip, mppe;
};

static void
count_frames(struct h_link *l, int from, const uint8_t *frame, size_t len)
{
	struct wire_count *wc = l->arg;
	uint16_t proto;

	if (frame_proto(frame, len, &proto) == 0)
		return;
	if (proto == PPP_PROTO_IP || proto == PPP_PROTO_IPV6)
		wc->clear_ip++;
	else if (proto == PPP_PROTO_COMP)
		wc->mppe++;
}

static unsigned
bits_flag(int bits)
{
	return bits == 40 ? PK_MPPE_40 : bits == 56 ? PK_MPPE_56 :
	    PK_MPPE_128;
}

static void
run_combo(unsigned auth, int bits, int stateless)
{
	struct ppp_config c, s;
	struct h_link l;
	struct h_side *cs, *ss;
	struct wire_count wc = { 0, 0 };
	int keys = (auth & PK_AUTH_MPPE_CAPABLE) != 0;
	char label[96];

	snprintf(label, sizeof(label), "%s MPPE-%d %s",
	    policy_auth_name(auth), bits, stateless ? "stateless" :
	    "stateful");
	test_current = label;
	h_config(&c, 0);
	h_config(&s, 1);
	c.policy.auth = s.policy.auth = auth;
	if (bits == M_NONE) {
		c.policy.mppe = s.policy.mppe = PK_MPPE_DENY;
	} else if (keys) {
		c.policy.mppe = s.policy.mppe = PK_MPPE_REQUIRE;
		c.policy.mppe_bits = s.policy.mppe_bits = bits_flag(bits);
		c.policy.mppe_stateful = s.policy.mppe_stateful = stateless ?
		    PK_STATEFUL_DENY : PK_STATEFUL_REQUIRE;
	} else {
		/* PAP/CHAP-MD5 give no keys: the server offers only that
		 * method, the client requires MPPE (and so MS-CHAP). */
		s.policy.mppe = PK_MPPE_ALLOW;
		s.policy.mppe_bits = bits_flag(bits);
		c.policy.auth = auth | PK_AUTH_MSCHAPV2;
		c.policy.mppe = PK_MPPE_REQUIRE;
		c.policy.mppe_bits = bits_flag(bits);
	}
	CHECK_INT(h_init(&l, &c, &s), 0);
	l.arg = &wc;
	l.tap = count_frames;
	h_connect(&l);
	cs = &l.side[H_CLIENT];
	ss = &l.side[H_SERVER];
	if (bits != M_NONE && !keys) {
		char want[96];

		CHECK_INT(cs->up + ss->up, 0);
		CHECK_INT(cs->down, 1);
		CHECK_INT(ss->down, 1);
		CHECK_INT(ss->down_code, PK_ERR_POLICY);
		snprintf(want, sizeof(want), "peer refused all allowed "
		    "authentication methods (we allow: %s; peer wants "
		    "mschapv2)", policy_auth_name(auth));
		CHECK_STR(ss->down_text, want);
		snprintf(want, sizeof(want), "server asked for %s, which "
		    "yields no MPPE keys, and MPPE is required",
		    policy_auth_name(auth));
		CHECK(strstr(cs->down_text, want) != NULL);
		CHECK(strstr(cs->down_text, "LCP terminated by peer") != NULL);
		/* No password ever crossed; both call it an auth failure. */
		CHECK_INT(ss->auth_requests, 0);
		CHECK_INT(ss->auth_failed, 1);
		CHECK_INT(cs->auth_failed, 1);
		CHECK_INT(cs->auth_failed_code, PK_ERR_POLICY);
		h_free(&l);
		return;
	}
	CHECK_INT(cs->up, 1);
	CHECK_INT(ss->up, 1);
	CHECK_INT(cs->down + ss->down, 0);
	CHECK_INT(cs->auth_ok, 1);
	CHECK_INT(ss->auth_ok, 1);
	/* Both ends agree on what was negotiated. */
	CHECK_INT(cs->up_info.local_ip, 0xc0000202);
	CHECK_INT(cs->up_info.peer_ip, 0xc0000201);
	CHECK_INT(ss->up_info.local_ip, 0xc0000201);
	CHECK_INT(ss->up_info.peer_ip, 0xc0000202);
	CHECK_INT(cs->up_info.dns[0], 0x08080808);
	CHECK_INT(cs->up_info.dns[1], 0x01010101);
	CHECK_INT(cs->up_info.nbns[0], 0x0a000001);
	CHECK_INT(cs->up_info.nbns[1], 0x0a000002);
	CHECK_INT(cs->up_info.auth_method, auth);
	CHECK_INT(ss->up_info.auth_method, auth);
	CHECK_INT(cs->up_info.mppe_bits, bits);
	CHECK_INT(ss->up_info.mppe_bits, bits);
	CHECK_INT(cs->up_info.mppe_stateless, bits != M_NONE && stateless);
	CHECK_INT(ss->up_info.mppe_stateless, bits != M_NONE && stateless);
	CHECK_INT(cs->up_info.mru, 1400);
	CHECK_INT(cs->up_info.peer_mru, 1400);
	CHECK_INT(ss->up_info.peer_mru, 1400);
	CHECK_INT(cs->up_info.mtu, bits != M_NONE ? 1396 : 1400);
	CHECK_STR(ss->up_info.peer_name, "alice");
	CHECK_INT(cross(&l, H_CLIENT, 2000, 0), 2000);
	CHECK_INT(cross(&l, H_SERVER, 2000, 0), 2000);
	CHECK_INT(ppp_stats(ss->ppp)->ip_in, 2000);
	CHECK_INT(ppp_stats(cs->ppp)->ip_out, 2000);
	CHECK_INT(ppp_stats(ss->ppp)->drop_mppe, 0);
	/* What crossed the wire: only MPPE frames when encrypting. */
	CHECK_INT(wc.clear_ip, bits != M_NONE ? 0 : 4000);
	CHECK_INT(wc.mppe, bits != M_NONE ? 4000 : 0);
	h_free(&l);
}

static void
test_matrix(void)
{
	static const unsigned auths[] = { PK_AUTH_PAP, PK_AUTH_CHAP_MD5,
	    PK_AUTH_MSCHAPV1, PK_AUTH_MSCHAPV2 };
	static const int bits[] = { M_NONE, M_40, M_56, M_128 };

	for (size_t a = 0; a < 4; a++)
		for (size_t b = 0; b < 4; b++)
			for (int st = 0; st < 2; st++)
				run_combo(auths[a], bits[b], st);
	test_current = "test_matrix";
}

static void
test_wrong_password(void)
{
	static const unsigned auths[] = { PK_AUTH_PAP, PK_AUTH_CHAP_MD5,
	    PK_AUTH_MSCHAPV1, PK_AUTH_MSCHAPV2 };

	for (size_t a = 0; a < 4; a++) {
		struct ppp_config c, s;
		struct h_link l;
		char want[96];

		h_config(&c, 0);
		h_config(&s, 1);
		c.password = "wrong horse";
		c.policy.auth = s.policy.auth = auths[a];
		c.policy.mppe = s.policy.mppe = PK_MPPE_ALLOW;
		CHECK_INT(h_init(&l, &c, &s), 0);
		h_connect(&l);
		h_run_until(&l, l.now + 20000);
		CHECK_INT(l.side[0].up + l.side[1].up, 0);
		CHECK_INT(l.side[H_SERVER].auth_failed, 1);
		CHECK_INT(l.side[H_CLIENT].auth_failed, 1);
		snprintf(want, sizeof(want), "authentication failed for user "
		    "\"alice\" (%s)", policy_auth_name(auths[a]));
		CHECK_STR(l.side[H_SERVER].auth_failed_text, want);
		CHECK_STR(l.side[H_SERVER].down_text, want);
		CHECK_INT(l.side[H_SERVER].down_code, PK_ERR_AUTH);
		CHECK(strncmp(l.side[H_CLIENT].auth_failed_text,
		    "authentication rejected by server: ", 35) == 0);
		if (auths[a] & PK_AUTH_MPPE_CAPABLE)
			CHECK(strstr(l.side[H_CLIENT].auth_failed_text,
			    "E=691 R=0") != NULL);
		CHECK_INT(l.side[H_CLIENT].down, 1);
		CHECK_INT(l.side[H_CLIENT].down_code, PK_ERR_AUTH);
		CHECK_INT(l.side[H_SERVER].down, 1);
		h_free(&l);
	}
}

static size_t
frame_proto(const uint8_t *f, size_t len, uint16_t *proto)
{
	size_t off = (len > 1 && f[0] == 0xff && f[1] == 0x03) ? 2 : 0;

	if (off < len && (f[off] & 1)) {
		*proto = f[off];
		return off + 1;
	}
	if (off + 1 >= len)
		return 0;
	*proto = (uint16_t)(f[off] << 8 | f[off + 1]);
	return off + 2;
}

/* Loses the n-th MPPE frame from the client, and the first k CCP
 * Reset-Requests from the server. */
struct loss {
	int mppe_countdown;
	int drop_resets;
};

static int
lose_frames(struct h_link *l, int from, uint8_t *frame, size_t *len)
{
	struct loss *ls = l->arg;
	uint16_t proto;
	size_t off = frame_proto(frame, *len, &proto);

	if (off == 0)
		return 0;
	if (from == H_CLIENT && proto == PPP_PROTO_COMP)
		return --ls->mppe_countdown == 0;
	if (from == H_SERVER && proto == PPP_PROTO_CCP && off < *len &&
	    frame[off] == CCP_RESETREQ && ls->drop_resets > 0) {
		ls->drop_resets--;
		return 1;
	}
	return 0;
}

static void
setup_mppe(struct h_link *l, int stateless)
{
	struct ppp_config c, s;

	h_config(&c, 0);
	h_config(&s, 1);
	c.policy.mppe_stateful = s.policy.mppe_stateful = stateless ?
	    PK_STATEFUL_DENY : PK_STATEFUL_REQUIRE;
	CHECK_INT(h_init(l, &c, &s), 0);
	h_connect(l);
	CHECK_INT(l->side[0].up, 1);
	CHECK_INT(l->side[1].up, 1);
}

static void
test_mppe_stateful_loss(void)
{
	struct h_link l;
	struct loss ls = { 5, 0 };
	struct h_side *ss;

	setup_mppe(&l, 0);
	ss = &l.side[H_SERVER];
	CHECK_INT(l.side[H_CLIENT].up_info.mppe_stateless, 0);
	l.arg = &ls;
	l.filter = lose_frames;
	lossy = 1;
	/* One batch of 16: #5 is lost, #6..#16 arrive out of sync and
	 * are discarded (RFC 3078 §8.2); the server asks for a reset once. */
	CHECK_INT(cross(&l, H_CLIENT, 16, 0), 4);
	CHECK_INT(ppp_stats(ss->ppp)->mppe_resets_sent, 1);
	CHECK_INT(ppp_stats(l.side[H_CLIENT].ppp)->mppe_resets_rcvd, 1);
	CHECK_INT(ppp_stats(ss->ppp)->drop_mppe, 11);
	/* The client flushed: everything from now on gets through. */
	lossy = 0;
	CHECK_INT(cross(&l, H_CLIENT, 200, 0), 200);
	CHECK_INT(cross(&l, H_SERVER, 200, 0), 200);
	CHECK_INT(ss->down + l.side[H_CLIENT].down, 0);
	h_free(&l);
}

/* The Reset-Request itself may be lost: it is repeated while the
 * receiver still waits for a flushed packet. */
static void
test_mppe_reset_repeated(void)
{
	struct h_link l;
	struct loss ls = { 1, 1 };
	struct h_side *ss;

	setup_mppe(&l, 0);
	ss = &l.side[H_SERVER];
	l.arg = &ls;
	l.filter = lose_frames;
	lossy = 1;
	CHECK_INT(cross(&l, H_CLIENT, 1, 0), 0);	/* lost */
	CHECK_INT(cross(&l, H_CLIENT, 1, 0), 0);	/* out of sync */
	CHECK_INT(ppp_stats(ss->ppp)->mppe_resets_sent, 1);
	CHECK_INT(ppp_stats(l.side[H_CLIENT].ppp)->mppe_resets_rcvd, 0);
	CHECK_INT(cross(&l, H_CLIENT, 1, 0), 0);	/* still waiting */
	h_run_until(&l, l.now + 3000);
	CHECK_INT(ppp_stats(ss->ppp)->mppe_resets_sent, 2);
	CHECK_INT(ppp_stats(l.side[H_CLIENT].ppp)->mppe_resets_rcvd, 1);
	lossy = 0;
	CHECK_INT(cross(&l, H_CLIENT, 50, 0), 50);
	/* In sync again: no more Reset-Requests. */
	h_run_until(&l, l.now + 9000);
	CHECK_INT(ppp_stats(ss->ppp)->mppe_resets_sent, 2);
	h_free(&l);
}

static void
test_mppe_stateless_loss(void)
{
	struct h_link l;
	struct loss ls = { 7, 0 };

	setup_mppe(&l, 1);
	l.arg = &ls;
	l.filter = lose_frames;
	lossy = 1;
	CHECK_INT(cross(&l, H_CLIENT, 16, 0), 15);
	CHECK_INT(ppp_stats(l.side[H_SERVER].ppp)->mppe_resets_sent, 0);
	lossy = 0;
	CHECK_INT(cross(&l, H_CLIENT, 100, 0), 100);
	h_free(&l);
}

static int
drop_server_to_client(struct h_link *l, int from, uint8_t *frame,
    size_t *len)
{
	return from == H_SERVER;
}

static void
test_echo_timeout(void)
{
	struct ppp_config c, s;
	struct h_link l;
	uint64_t cut;

	h_config(&c, 0);
	h_config(&s, 1);
	s.echo_interval_ms = 0;		/* only the client probes */
	CHECK_INT(h_init(&l, &c, &s), 0);
	h_connect(&l);
	CHECK_INT(l.side[0].up, 1);
	/* Answered echoes keep the link up for a long time. */
	h_run_until(&l, l.now + 120000);
	CHECK_INT(l.side[0].down + l.side[1].down, 0);
	CHECK(ppp_stats(l.side[0].ppp)->echo_sent >= 11);
	l.filter = drop_server_to_client;
	cut = l.now;
	h_run_until(&l, l.now + 60000);
	CHECK_INT(l.side[H_CLIENT].down, 1);
	CHECK_INT(l.side[H_CLIENT].down_code, PK_ERR_TIMEOUT);
	CHECK_STR(l.side[H_CLIENT].down_text, "echo timeout: no reply to 3 "
	    "LCP Echo-Requests");
	/* Three unanswered at 10 s intervals, then down at the fourth. */
	CHECK(l.side[H_CLIENT].down == 1 && l.now >= cut + 30000);
	/* The server heard the client's Terminate-Request. */
	CHECK_INT(l.side[H_SERVER].down, 1);
	CHECK(strncmp(l.side[H_SERVER].down_text, "LCP terminated by peer",
	    22) == 0);
	h_free(&l);
}

static void
test_ipv6cp(void)
{
	struct ppp_config c, s;
	struct h_link l;
	const struct ppp_up_info *cu, *su;

	for (int collide = 0; collide < 2; collide++) {
		h_config(&c, 0);
		h_config(&s, 1);
		c.ipv6 = s.ipv6 = 1;
		if (collide) {
			/* RFC 5072 §4.1: equal identifiers are Nak'd. */
			memcpy(c.ipv6_ifid, "\x02\x11\x22\x33\x44\x55\x66\x77",
			    8);
			memcpy(s.ipv6_ifid, c.ipv6_ifid, 8);
		}
		CHECK_INT(h_init(&l, &c, &s), 0);
		h_connect(&l);
		h_pump(&l);
		cu = &l.side[H_CLIENT].up_info;
		su = &l.side[H_SERVER].up_info;
		CHECK_INT(l.side[0].up, 1);
		CHECK_INT(l.side[1].up, 1);
		CHECK_INT(cu->ipv6_up, 1);
		CHECK_INT(su->ipv6_up, 1);
		CHECK_MEM(cu->local_ifid, su->peer_ifid, 8);
		CHECK_MEM(cu->peer_ifid, su->local_ifid, 8);
		CHECK(memcmp(cu->local_ifid, cu->peer_ifid, 8) != 0);
		CHECK(memcmp(cu->local_ifid, "\0\0\0\0\0\0\0\0", 8) != 0);
		CHECK(memcmp(cu->peer_ifid, "\0\0\0\0\0\0\0\0", 8) != 0);
		CHECK_INT(cross(&l, H_CLIENT, 100, 1), 100);
		CHECK_INT(cross(&l, H_SERVER, 100, 1), 100);
		h_free(&l);
	}
	/* Without IPV6CP, IPv6 from the TUN is dropped, not sent. */
	h_config(&c, 0);
	h_config(&s, 1);
	CHECK_INT(h_init(&l, &c, &s), 0);
	h_connect(&l);
	{
		uint8_t pkt[60];

		make_packet(pkt, sizeof(pkt), 1);
		CHECK_INT(ppp_send_ip(l.side[0].ppp, l.now, pkt, sizeof(pkt),
		    &l.side[0].out), PK_ERR_STATE);
		CHECK_INT(ppp_stats(l.side[0].ppp)->drop_not_up, 1);
	}
	h_free(&l);
}

/*
 * Appends options to the first client Configure-Request of a protocol and
 * records the server's answer to it.
 */
struct inject {
	uint16_t proto;
	const char *extra;	/* hex */
	int done;
	uint8_t reply[64];
	size_t reply_len;
};

static int
inject_options(struct h_link *l, int from, uint8_t *frame, size_t *len)
{
	struct inject *in = l->arg;
	uint16_t proto;
	size_t off = frame_proto(frame, *len, &proto);
	uint8_t extra[32];
	size_t n, plen;

	if (off == 0 || proto != in->proto)
		return 0;
	if (from == H_CLIENT && !in->done && frame[off] == PPP_CONFREQ) {
		n = test_unhex(in->extra, extra, sizeof(extra));
		memcpy(frame + *len, extra, n);
		*len += n;
		plen = *len - off;
		frame[off + 2] = (uint8_t)(plen >> 8);
		frame[off + 3] = (uint8_t)plen;
		in->done = 1;
	} else if (from == H_SERVER && in->done == 1 &&
	    frame[off] != PPP_CONFREQ) {
		in->reply_len = *len - off;
		memcpy(in->reply, frame + off, in->reply_len);
		in->done = 2;
	}
	return 0;
}

static void
run_inject(uint16_t proto, const char *extra, const char *want_hex)
{
	struct ppp_config c, s;
	struct inject in = { proto, extra, 0, { 0 }, 0 };
	struct h_link l;
	uint8_t want[32];
	size_t n = test_unhex(want_hex, want, sizeof(want));

	h_config(&c, 0);
	h_config(&s, 1);
	CHECK_INT(h_init(&l, &c, &s), 0);
	l.arg = &in;
	l.filter = inject_options;
	h_connect(&l);
	CHECK_INT(in.done, 2);
	/* Configure-Reject, the request's Identifier, exactly the
	 * injected options. */
	CHECK_INT(in.reply_len, 4 + n);
	CHECK_INT(in.reply[0], PPP_CONFREJ);
	CHECK_INT(in.reply[3], 4 + n);
	CHECK_MEM(in.reply + 4, want, n);
	/* The client never asked for them: it discards that Reject and
	 * the link still comes up. */
	CHECK_INT(l.side[0].up, 1);
	CHECK_INT(l.side[1].up, 1);
	h_free(&l);
}

static void
test_peer_options_rejected(void)
{
	/* IPCP: VJ header compression, as pppd offers it (RFC 1332 §4). */
	run_inject(PPP_PROTO_IPCP, "02 06 00 2d 0f 01", "02 06 00 2d 0f 01");
	/* LCP: Callback (RFC 1570), an unknown type, Quality-Protocol. */
	run_inject(PPP_PROTO_LCP, "0d 03 06 42 04 aa bb 04 08 c0 25 00 00 "
	    "00 0a", "0d 03 06 42 04 aa bb 04 08 c0 25 00 00 00 0a");
	/* CCP: Deflate and BSD-Compress next to MPPE. */
	run_inject(PPP_PROTO_CCP, "1a 04 78 00 15 03 2f",
	    "1a 04 78 00 15 03 2f");
}

static void
test_refuse_40bit(void)
{
	struct ppp_config c, s;
	struct h_link l;

	h_config(&c, 0);
	h_config(&s, 1);
	s.policy.mppe_bits = PK_MPPE_40;
	c.policy.mppe_bits = PK_MPPE_128;
	CHECK_INT(h_init(&l, &c, &s), 0);
	h_connect(&l);
	h_run_until(&l, l.now + 20000);
	CHECK_INT(l.side[0].up + l.side[1].up, 0);
	CHECK_INT(l.side[0].down, 1);
	CHECK_INT(l.side[1].down, 1);
	CHECK_INT(l.side[H_CLIENT].down_code, PK_ERR_POLICY);
	CHECK_STR(l.side[H_CLIENT].down_text, "MPPE required but peer refused "
	    "(it wants 40-bit keys, we allow 128)");
	CHECK_STR(l.side[H_SERVER].down_text, "MPPE required but peer refused "
	    "(it wants 128-bit keys, we allow 40)");
	h_free(&l);
}

/* Mixed policies that still meet: the server walks down its list, the
 * strongest common key length and the stricter mode win. */
static void
test_policy_negotiation(void)
{
	struct ppp_config c, s;
	struct h_link l;

	h_config(&c, 0);
	h_config(&s, 1);
	s.policy.auth = PK_AUTH_MSCHAPV2 | PK_AUTH_MSCHAPV1 |
	    PK_AUTH_CHAP_MD5;
	s.policy.mppe = c.policy.mppe = PK_MPPE_ALLOW;
	c.policy.auth = PK_AUTH_CHAP_MD5;
	CHECK_INT(h_init(&l, &c, &s), 0);
	h_connect(&l);
	CHECK_INT(l.side[0].up, 1);
	CHECK_INT(l.side[1].up_info.auth_method, PK_AUTH_CHAP_MD5);
	CHECK_INT(l.side[1].up_info.mppe_bits, 0);
	h_free(&l);

	h_config(&c, 0);
	h_config(&s, 1);
	s.policy.mppe_bits = PK_MPPE_40 | PK_MPPE_56 | PK_MPPE_128;
	c.policy.mppe_bits = PK_MPPE_40 | PK_MPPE_56;
	s.policy.mppe_stateful = PK_STATEFUL_REQUIRE;
	c.policy.mppe_stateful = PK_STATEFUL_ALLOW;
	CHECK_INT(h_init(&l, &c, &s), 0);
	h_connect(&l);
	CHECK_INT(l.side[0].up_info.mppe_bits, 56);
	CHECK_INT(l.side[1].up_info.mppe_bits, 56);
	CHECK_INT(l.side[0].up_info.mppe_stateless, 0);
	CHECK_INT(l.side[1].up_info.mppe_stateless, 0);
	CHECK_INT(cross(&l, H_CLIENT, 100, 0), 100);
	h_free(&l);

	/* The client allows only what the server will not do. */
	h_config(&c, 0);
	h_config(&s, 1);
	s.policy.auth = PK_AUTH_CHAP_MD5;
	s.policy.mppe = c.policy.mppe = PK_MPPE_ALLOW;
	CHECK_INT(h_init(&l, &c, &s), 0);
	h_connect(&l);
	CHECK_INT(l.side[0].down, 1);
	CHECK_STR(l.side[1].down_text, "peer refused all allowed "
	    "authentication methods (we allow: chap; peer wants mschapv2)");
	CHECK(strstr(l.side[0].down_text, "server asked for chap; we allow: "
	    "mschapv2 (allow it with --auth)") != NULL);
	h_free(&l);
}

/* The owner answers PPP_EV_AUTH_REQUEST later (RADIUS), or never. */
static void
test_auth_later_or_never(void)
{
	struct ppp_config c, s;
	struct h_link l;

	h_config(&c, 0);
	h_config(&s, 1);
	CHECK_INT(h_init(&l, &c, &s), 0);
	l.hold_auth = 1;
	h_start(&l);
	h_run_until(&l, l.now + 5000);
	CHECK_INT(l.side[H_SERVER].auth_requests, 1);
	CHECK_INT(ppp_phase(l.side[H_SERVER].ppp), PPP_PHASE_AUTHENTICATE);
	/* The challenge is not repeated while the owner decides. */
	CHECK_INT(l.side[H_SERVER].auth_requests, 1);
	l.hold_auth = 0;
	h_answer_auth(&l, &l.held);
	h_connect(&l);
	CHECK_INT(l.side[0].up, 1);
	CHECK_INT(l.side[1].up, 1);
	h_free(&l);

	CHECK_INT(h_init(&l, &c, &s), 0);
	l.hold_auth = 1;
	h_start(&l);
	h_run_until(&l, l.now + 40000);
	CHECK_INT(l.side[H_SERVER].auth_failed, 1);
	CHECK_INT(l.side[H_SERVER].auth_failed_code, PK_ERR_TIMEOUT);
	CHECK_STR(l.side[H_SERVER].auth_failed_text, "authentication timed "
	    "out after 30000 ms (no decision from the authenticator "
	    "backend)");
	CHECK_INT(l.side[H_SERVER].down, 1);
	{
		struct auth_result res;

		memset(&res, 0, sizeof(res));
		res.ok = 1;
		CHECK_INT(ppp_auth_complete(l.side[H_SERVER].ppp, l.now, &res,
		    &l.side[H_SERVER].out), PK_ERR_STATE);
	}
	h_free(&l);
}

static void
test_close_and_lower_down(void)
{
	struct ppp_config c, s;
	struct h_link l;
	uint8_t pkt[100];

	h_config(&c, 0);
	h_config(&s, 1);
	CHECK_INT(h_init(&l, &c, &s), 0);
	/* Nothing before the link is up. */
	make_packet(pkt, sizeof(pkt), 0);
	CHECK_INT(ppp_send_ip(l.side[0].ppp, l.now, pkt, sizeof(pkt),
	    &l.side[0].out), PK_ERR_STATE);
	h_connect(&l);
	CHECK_INT(ppp_close(l.side[H_SERVER].ppp, l.now, "admin",
	    &l.side[H_SERVER].out), 0);
	h_run_until(&l, l.now + 10000);
	CHECK_INT(l.side[H_SERVER].down, 1);
	CHECK_INT(l.side[H_SERVER].down_code, PK_ERR_CLOSED);
	CHECK_STR(l.side[H_SERVER].down_text, "closed: admin");
	CHECK_INT(l.side[H_CLIENT].down, 1);
	/* The operator's reason reaches the peer in the Terminate-Request. */
	CHECK_STR(l.side[H_CLIENT].down_text, "LCP terminated by peer: admin");
	CHECK_INT(ppp_input(l.side[0].ppp, l.now, pkt, sizeof(pkt),
	    &l.side[0].out), PK_ERR_STATE);
	h_free(&l);

	CHECK_INT(h_init(&l, &c, &s), 0);
	h_connect(&l);
	ppp_lower_down(l.side[H_CLIENT].ppp, l.now, &l.side[H_CLIENT].out);
	CHECK_INT(l.side[H_CLIENT].out.n_items, 1);
	h_pump(&l);
	CHECK_INT(l.side[H_CLIENT].down, 1);
	CHECK_STR(l.side[H_CLIENT].down_text, "lower layer down");
	CHECK(ppp_next_deadline(l.side[H_CLIENT].ppp) == PK_TIME_NEVER);
	h_free(&l);
}

int
main(void)
{
	/* PK_TEST_VERBOSE=4 shows every transition. */
	pk_log_set_level(getenv("PK_TEST_VERBOSE") != NULL ?
	    atoi(getenv("PK_TEST_VERBOSE")) : PK_LOG_ERR);
	pk_rand_use_seeded(7);
	RUN(test_matrix);
	RUN(test_wrong_password);
	RUN(test_mppe_stateful_loss);
	RUN(test_mppe_reset_repeated);
	RUN(test_mppe_stateless_loss);
	RUN(test_echo_timeout);
	RUN(test_ipv6cp);
	RUN(test_peer_options_rejected);
	RUN(test_refuse_40bit);
	RUN(test_policy_negotiation);
	RUN(test_auth_later_or_never);
	RUN(test_close_and_lower_down);
	TEST_MAIN_END();
}
