/*
 * test_tunnel.c - the whole engine end to end, in memory: a client
 * tunnel (PNS) and a server tunnel (PAC) joined by a simulated network
 * that loses, duplicates, delays and reorders GRE packets (the control
 * connection is a reliable byte stream, as TCP is). For every
 * authentication method and MPPE mode the policy allows, the tunnel comes
 * up (control, LCP, authentication, CCP, IPCP, IPV6CP) and thousands of
 * IPv4 and IPv6 packets cross each way; every packet that arrives must be
 * byte-identical to one that was sent, none twice. Where the policy
 * forbids the combination, both ends must stop with a clear reason.
 */
#include "auth/auth.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/rand.h"
#include "engine/tunnel.h"
#include "gre/gre.h"
#include "test.h"

#define NET_MAX 4096
#define CTRL_BUF 65536
#define PKTS_EACH_WAY 2000
#define PACE_MS 4
#define PROTO_TEST 253		/* RFC 3692 experimental IP protocol */

struct net_pkt {
	uint64_t at;
	int to;
	size_t len;
	uint8_t data[PK_GRE_PACKET_MAX];
};

struct netsim {
	struct net_pkt *q;
	size_t n;
	unsigned loss_pm, dup_pm, delay_min, delay_max;	/* per mille, ms */
	uint64_t rng;
	uint64_t sent, lost, duplicated;
};

struct side {
	const char *name;
	struct tunnel *t;
	struct pk_out out;
	uint8_t ctrl_in[CTRL_BUF];	/* bytes the other side wrote */
	size_t ctrl_len;
	int ctrl_up, call_up, up, ipv6_up, down, closed, auth_failed;
	int down_code;
	char down_text[PK_EVENT_TEXT_MAX];
	uint16_t call_id;
	struct ppp_up_info info;
	/* traffic */
	uint32_t next_seq;
	uint32_t rx_ok, rx_corrupt, rx_dup;
	uint8_t seen[PKTS_EACH_WAY];
};

struct world {
	struct netsim net;
	struct side side[2];		/* 0 server, 1 client */
	const char *password;		/* the server's secret for "alice" */
	uint64_t now;
};

static uint32_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

static void
net_send(struct world *w, int to, const uint8_t *p, size_t len)
{
	struct netsim *n = &w->net;
	int copies = 1;

	n->sent++;
	if (rnd(&n->rng) % 1000 < n->loss_pm) {
		n->lost++;
		return;
	}
	if (rnd(&n->rng) % 1000 < n->dup_pm) {
		n->duplicated++;
		copies = 2;
	}
	for (int c = 0; c < copies && n->n < NET_MAX; c++) {
		struct net_pkt *q = &n->q[n->n++];
		unsigned span = n->delay_max - n->delay_min + 1;

		/* Independent delays reorder packets sent close together. */
		q->at = w->now + n->delay_min + rnd(&n->rng) % span;
		q->to = to;
		q->len = len;
		memcpy(q->data, p, len);
	}
}

/* A packet whose bytes all follow from (dir, seq): the receiver can
 * check every byte without keeping copies. */
static size_t
make_packet(uint8_t *p, int v6, int dir, uint32_t seq,
    const struct ppp_up_info *info)
{
	uint64_t s = ((uint64_t)dir << 32 | seq) * 0x9e3779b97f4a7c15ULL + 1;
	size_t hdr = v6 ? 40 : 20;
	size_t len = hdr + 8 + 16 + rnd(&s) % 1300;

	memset(p, 0, hdr);
	if (v6) {
		p[0] = 0x60;
		p[4] = (uint8_t)((len - 40) >> 8);
		p[5] = (uint8_t)(len - 40);
		p[6] = PROTO_TEST;
		p[7] = 64;
		p[8] = 0xfe; p[9] = 0x80;
		memcpy(p + 16, info->local_ifid, 8);
		p[24] = 0xfe; p[25] = 0x80;
		memcpy(p + 32, info->peer_ifid, 8);
	} else {
		p[0] = 0x45;
		p[2] = (uint8_t)(len >> 8);
		p[3] = (uint8_t)len;
		p[8] = 64;
		p[9] = PROTO_TEST;
		for (int i = 0; i < 4; i++) {
			p[12 + i] = (uint8_t)(info->local_ip >> (24 - 8 * i));
			p[16 + i] = (uint8_t)(info->peer_ip >> (24 - 8 * i));
		}
		/* RFC 791 header checksum. */
		uint32_t sum = 0;

		for (int i = 0; i < 20; i += 2)
			sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		p[10] = (uint8_t)(~sum >> 8);
		p[11] = (uint8_t)~sum;
	}
	p[hdr] = (uint8_t)dir;
	p[hdr + 1] = (uint8_t)(seq >> 16);
	p[hdr + 2] = (uint8_t)(seq >> 8);
	p[hdr + 3] = (uint8_t)seq;
	for (size_t i = hdr + 4; i < len; i++)
		p[i] = (uint8_t)rnd(&s);
	return len;
}

static void
check_packet(struct side *rx, int dir, const uint8_t *p, size_t len)
{
	uint8_t want[PK_IP_PACKET_MAX];
	size_t hdr = (p[0] >> 4) == 6 ? 40 : 20, wlen;
	uint32_t seq;

	if (len < hdr + 4 || p[hdr] != dir) {
		rx->rx_corrupt++;
		return;
	}
	seq = (uint32_t)p[hdr + 1] << 16 | (uint32_t)p[hdr + 2] << 8 |
	    p[hdr + 3];
	if (seq >= PKTS_EACH_WAY) {
		rx->rx_corrupt++;
		return;
	}
	/* The sender built it with its own view of the addresses. */
	struct ppp_up_info mirror = rx->info;
	uint32_t t = mirror.local_ip;
	uint8_t ifid[8];

	mirror.local_ip = mirror.peer_ip;
	mirror.peer_ip = t;
	memcpy(ifid, mirror.local_ifid, 8);
	memcpy(mirror.local_ifid, mirror.peer_ifid, 8);
	memcpy(mirror.peer_ifid, ifid, 8);
	wlen = make_packet(want, hdr == 40, dir, seq, &mirror);
	if (wlen != len || memcmp(want, p, len) != 0) {
		rx->rx_corrupt++;
		return;
	}
	if (rx->seen[seq]) {
		rx->rx_dup++;
		return;
	}
	rx->seen[seq] = 1;
	rx->rx_ok++;
}

static void drain(struct world *w, int i);

static void
handle_event(struct world *w, int i, size_t idx)
{
	struct side *s = &w->side[i];
	struct pk_event ev;

	CHECK_INT(out_get_event(&s->out, idx, &ev), PK_OK);
	CHECK_INT(ev.source, EV_SRC_SESSION);
	switch (ev.type) {
	case TUNNEL_EV_CTRL_UP:
		s->ctrl_up = 1;
		break;
	case TUNNEL_EV_CALL_REQUEST:
		/* A server-wide ID, as pptpkitd hands out. */
		CHECK_INT(tunnel_call_accept(s->t, w->now, (uint16_t)ev.id,
		    0x4242, &s->out), PK_OK);
		break;
	case TUNNEL_EV_CALL_UP:
		s->call_up = 1;
		s->call_id = (uint16_t)ev.id;
		break;
	case TUNNEL_EV_AUTH_REQUEST: {
		struct auth_request req;
		struct auth_result res;

		CHECK_INT(out_event_payload(&s->out, idx, &req, sizeof(req)),
		    PK_OK);
		CHECK_STR(req.user, "alice");
		CHECK_INT(auth_verify_local(&req, w->password, &res), PK_OK);
		res.framed_ip = 0xc6130005;	/* 198.19.0.5 */
		(void)tunnel_auth_complete(s->t, w->now, (uint16_t)ev.id, &res,
		    &s->out);
		auth_result_wipe(&res);
		break;
	}
	case TUNNEL_EV_AUTH_FAILED:
		s->auth_failed = 1;
		break;
	case TUNNEL_EV_UP:
		CHECK_INT(out_event_payload(&s->out, idx, &s->info,
		    sizeof(s->info)), PK_OK);
		s->up = 1;
		s->ipv6_up |= s->info.ipv6_up;
		break;
	case TUNNEL_EV_IPV6_UP: {
		struct ppp_up_info info;

		CHECK_INT(out_event_payload(&s->out, idx, &info, sizeof(info)),
		    PK_OK);
		memcpy(s->info.local_ifid, info.local_ifid, 8);
		memcpy(s->info.peer_ifid, info.peer_ifid, 8);
		s->ipv6_up = 1;
		break;
	}
	case TUNNEL_EV_CALL_DOWN:
		s->down = 1;
		s->down_code = ev.code;
		snprintf(s->down_text, sizeof(s->down_text), "%s", ev.text);
		break;
	case TUNNEL_EV_CLOSED:
		s->closed = 1;
		if (!s->down) {
			s->down_code = ev.code;
			snprintf(s->down_text, sizeof(s->down_text), "%s",
			    ev.text);
		}
		break;
	}
}

/* Acts on one side's results; answers append to the same list. */
static void
drain(struct world *w, int i)
{
	struct side *s = &w->side[i], *peer = &w->side[!i];

	for (size_t k = 0; k < s->out.n_items; k++) {
		const struct out_item *it = out_item(&s->out, k);

		switch (it->kind) {
		case OUT_CTRL:
			CHECK(peer->ctrl_len + it->len <= CTRL_BUF);
			if (peer->ctrl_len + it->len <= CTRL_BUF) {
				memcpy(peer->ctrl_in + peer->ctrl_len,
				    out_data(&s->out, k), it->len);
				peer->ctrl_len += it->len;
			}
			break;
		case OUT_GRE:
			net_send(w, !i, out_data(&s->out, k), it->len);
			break;
		case OUT_IP:
			check_packet(s, !i, out_data(&s->out, k), it->len);
			break;
		case OUT_EVENT:
			handle_event(w, i, k);
			break;
		}
	}
	CHECK(!s->out.overflow);
	out_reset(&s->out);
}

/* Delivers control bytes in odd-sized pieces, as TCP may. */
static int
pump_ctrl(struct world *w)
{
	int moved = 0;

	for (int i = 0; i < 2; i++) {
		struct side *s = &w->side[i];
		size_t off = 0;

		while (off < s->ctrl_len && !s->closed) {
			size_t n = s->ctrl_len - off < 37 ? s->ctrl_len - off : 37;
			struct buf_reader rd;
			const uint8_t *chunk;

			buf_reader_init(&rd, s->ctrl_in, s->ctrl_len);
			(void)buf_skip(&rd, off);
			(void)buf_get_ptr(&rd, &chunk, n);
			(void)tunnel_ctrl_input(s->t, w->now, chunk, n, &s->out);
			off += n;
			drain(w, i);
			moved = 1;
		}
		s->ctrl_len = 0;
	}
	return moved;
}

static uint64_t
next_time(struct world *w, uint64_t traffic_at)
{
	uint64_t t = traffic_at;

	for (size_t k = 0; k < w->net.n; k++)
		t = pk_deadline_min(t, w->net.q[k].at);
	for (int i = 0; i < 2; i++)
		if (!w->side[i].closed)
			t = pk_deadline_min(t, tunnel_next_deadline(w->side[i].t));
	return t;
}

/* Runs the world until done(w) or the virtual clock passes limit. */
static void
run(struct world *w, uint64_t limit, int traffic)
{
	uint32_t to_send[2] = { 0, 0 };
	uint64_t traffic_at = PK_TIME_NEVER;

	while (w->now < limit) {
		int both_up = w->side[0].up && w->side[1].up;

		while (pump_ctrl(w))
			;
		if (traffic && both_up && traffic_at == PK_TIME_NEVER)
			traffic_at = w->now;
		/* Deliver due GRE packets (in due order). */
		for (;;) {
			size_t best = w->net.n;

			for (size_t k = 0; k < w->net.n; k++)
				if (w->net.q[k].at <= w->now && (best == w->net.n ||
				    w->net.q[k].at < w->net.q[best].at))
					best = k;
			if (best == w->net.n)
				break;
			struct net_pkt p = w->net.q[best];

			w->net.q[best] = w->net.q[--w->net.n];
			if (!w->side[p.to].closed) {
				(void)tunnel_gre_input(w->side[p.to].t, w->now,
				    p.data, p.len, &w->side[p.to].out);
				drain(w, p.to);
			}
		}
		for (int i = 0; i < 2; i++) {
			struct side *s = &w->side[i];

			if (!s->closed && tunnel_next_deadline(s->t) <= w->now) {
				(void)tunnel_timeout(s->t, w->now, &s->out);
				drain(w, i);
			}
		}
		if (traffic_at != PK_TIME_NEVER && traffic_at <= w->now) {
			for (int i = 0; i < 2; i++) {
				struct side *s = &w->side[i];
				uint8_t pkt[PK_IP_PACKET_MAX];
				size_t len;

				if (to_send[i] >= PKTS_EACH_WAY || s->closed)
					continue;
				/* Every fourth packet is IPv6 when IPV6CP is up. */
				len = make_packet(pkt, s->ipv6_up &&
				    to_send[i] % 4 == 3, i, to_send[i], &s->info);
				(void)tunnel_ip_input(s->t, w->now, s->call_id,
				    pkt, len, &s->out);
				to_send[i]++;
				drain(w, i);
			}
			traffic_at = to_send[0] < PKTS_EACH_WAY ||
			    to_send[1] < PKTS_EACH_WAY ? w->now + PACE_MS :
			    PK_TIME_NEVER;
			if (traffic_at == PK_TIME_NEVER)
				/* Let the last packets land, then stop. */
				limit = w->now + 500;
		}
		if (!traffic && ((w->side[0].up && w->side[1].up) ||
		    (w->side[0].closed && w->side[1].closed)))
			return;
		if (w->side[0].closed && w->side[1].closed)
			return;
		uint64_t t = next_time(w, traffic_at);

		if (t == PK_TIME_NEVER)
			return;
		w->now = t > w->now ? t : w->now + 1;
	}
}

static void
world_init(struct world *w, const struct pk_policy *srv_pol,
    const struct pk_policy *cli_pol, const char *srv_password,
    const char *cli_password, int ipv6, unsigned loss_pm)
{
	struct tunnel_config sc, cc;

	memset(w, 0, sizeof(*w));
	w->net.q = calloc(NET_MAX, sizeof(*w->net.q));
	w->net.loss_pm = loss_pm;
	w->net.dup_pm = loss_pm;
	w->net.delay_min = 1;
	w->net.delay_max = 12;
	w->net.rng = 0x1234567 + loss_pm;
	w->password = srv_password;
	w->now = 1000;
	tunnel_config_default(&sc, PPTP_ROLE_PAC);
	sc.ppp.policy = *srv_pol;
	sc.ppp.local_name = "pptpkit";
	sc.ppp.local_ip = 0xc6130001;		/* 198.19.0.1 */
	sc.ppp.peer_ip = 0xc6130063;		/* overridden by framed_ip */
	sc.ppp.dns[0] = 0xc6120035;
	sc.ppp.ipv6 = ipv6;
	snprintf(sc.log_ctx, sizeof(sc.log_ctx), "srv");
	tunnel_config_default(&cc, PPTP_ROLE_PNS);
	cc.ppp.policy = *cli_pol;
	cc.ppp.local_name = "alice";
	cc.ppp.password = cli_password;
	cc.ppp.ipv6 = ipv6;
	snprintf(cc.log_ctx, sizeof(cc.log_ctx), "cli");
	w->side[0].name = "server";
	w->side[1].name = "client";
	for (int i = 0; i < 2; i++)
		CHECK_INT(out_init(&w->side[i].out, PK_OUT_ARENA, PK_OUT_ITEMS),
		    PK_OK);
	CHECK_INT(tunnel_new(&w->side[0].t, &sc, w->now), PK_OK);
	CHECK_INT(tunnel_new(&w->side[1].t, &cc, w->now), PK_OK);
	CHECK_INT(tunnel_start(w->side[1].t, w->now, &w->side[1].out), PK_OK);
	drain(w, 1);
}

static void
world_free(struct world *w)
{
	for (int i = 0; i < 2; i++) {
		tunnel_free(w->side[i].t);
		out_free(&w->side[i].out);
	}
	free(w->net.q);
}

/* The client hangs up; both ends must finish cleanly. */
static void
hang_up(struct world *w)
{
	struct side *c = &w->side[1];

	CHECK_INT(tunnel_stop(c->t, w->now, PPTP_STOP_NONE, "user hung up",
	    &c->out), PK_OK);
	drain(w, 1);
	run(w, w->now + 120000, 0);
	CHECK(w->side[0].closed);
	CHECK(w->side[1].closed);
	CHECK(w->side[0].down);
	CHECK(w->side[1].down);
}

struct combo {
	unsigned auth;
	int bits;		/* 0: no MPPE */
	int stateful;
};

static void
policy_for(const struct combo *c, struct pk_policy *p)
{
	policy_default(p);
	p->auth = c->auth;
	if (c->bits == 0) {
		p->mppe = PK_MPPE_DENY;
		return;
	}
	p->mppe = PK_MPPE_REQUIRE;
	p->mppe_bits = c->bits == 40 ? PK_MPPE_40 : c->bits == 56 ?
	    PK_MPPE_56 : PK_MPPE_128;
	p->mppe_stateful = c->stateful ? PK_STATEFUL_REQUIRE :
	    PK_STATEFUL_DENY;
}

static void
run_combo(const struct combo *c, unsigned loss_pm)
{
	struct world w;
	struct pk_policy pol;
	char label[96];

	snprintf(label, sizeof(label), "%s mppe=%d%s loss=%u‰",
	    policy_auth_name(c->auth), c->bits, c->bits == 0 ? "" :
	    c->stateful ? "-stateful" : "-stateless", loss_pm);
	test_current = label;
	policy_for(c, &pol);
	world_init(&w, &pol, &pol, "pässwörd 1", "pässwörd 1", 1, loss_pm);
	run(&w, w.now + 60000, 0);
	for (int i = 0; i < 2; i++) {
		struct side *s = &w.side[i];

		CHECK(s->up);
		CHECK(s->ipv6_up);
		CHECK_INT(s->info.auth_method, c->auth);
		CHECK_INT(s->info.mppe_bits, c->bits);
		if (c->bits != 0)
			CHECK_INT(s->info.mppe_stateless, !c->stateful);
	}
	CHECK_INT(w.side[1].info.local_ip, 0xc6130005);
	CHECK_INT(w.side[1].info.peer_ip, 0xc6130001);
	CHECK_INT(w.side[1].info.dns[0], 0xc6120035);
	CHECK_INT(w.side[1].call_id, 0 + w.side[1].call_id);
	CHECK_INT(w.side[0].call_id, 0x4242);
	run(&w, w.now + 600000, 1);
	for (int i = 0; i < 2; i++) {
		struct side *s = &w.side[i];
		/* Stateful MPPE loses every packet between a loss and the
		 * flushed packet that answers the Reset-Request. At 2% loss
		 * 69% of the server's packets got through with that answer
		 * sent as a flag packet (mppe.c), 71% before. */
		unsigned floor = loss_pm == 0 ? PKTS_EACH_WAY :
		    c->bits != 0 && c->stateful ? PKTS_EACH_WAY * 13 / 20 :
		    PKTS_EACH_WAY * 9 / 10;

		CHECK_INT(s->rx_corrupt, 0);
		CHECK_INT(s->rx_dup, 0);
		if (s->rx_ok < floor) {
			fprintf(stderr, "%s: %s received %u of %d (floor %u)\n",
			    label, s->name, s->rx_ok, PKTS_EACH_WAY, floor);
			test_failures++;
		}
	}
	CHECK(!w.side[0].down && !w.side[1].down);
	if (getenv("PK_TEST_VERBOSE") != NULL) {
		for (int i = 0; i < 2; i++) {
			struct tunnel_call_info ti;

			if (tunnel_call_at(w.side[i].t, 0, &ti) != 0 ||
			    !ti.has_session)
				continue;
			fprintf(stderr, "  %s gre: rx %llu dup %llu late %llu "
			    "reord %llu lost %llu resync %llu | ppp drop: "
			    "malformed %llu phase %llu notup %llu mppe %llu "
			    "resets %llu/%llu txq %llu txdrop %llu wto %llu ipin %llu ipout %llu fin %llu prej %llu big %llu\n", w.side[i].name,
			    (unsigned long long)ti.stats.gre->rx_packets,
			    (unsigned long long)ti.stats.gre->rx_duplicates,
			    (unsigned long long)ti.stats.gre->rx_late,
			    (unsigned long long)ti.stats.gre->rx_reordered,
			    (unsigned long long)ti.stats.gre->rx_lost,
			    (unsigned long long)ti.stats.gre->rx_resyncs,
			    (unsigned long long)ti.stats.ppp->drop_malformed,
			    (unsigned long long)ti.stats.ppp->drop_phase,
			    (unsigned long long)ti.stats.ppp->drop_not_up,
			    (unsigned long long)ti.stats.ppp->drop_mppe,
			    (unsigned long long)ti.stats.ppp->mppe_resets_sent,
			    (unsigned long long)ti.stats.ppp->mppe_resets_rcvd, (unsigned long long)ti.stats.gre->tx_queued, (unsigned long long)ti.stats.gre->tx_queue_drops, (unsigned long long)ti.stats.gre->tx_window_timeouts, (unsigned long long)ti.stats.ppp->ip_in, (unsigned long long)ti.stats.ppp->ip_out, (unsigned long long)ti.stats.ppp->frames_in, (unsigned long long)ti.stats.ppp->proto_rejected, (unsigned long long)ti.stats.ppp->drop_too_big);
		}
	}
	hang_up(&w);
	fprintf(stderr, "  %-34s rx %u/%u, net lost %llu dup %llu\n", label,
	    w.side[0].rx_ok, w.side[1].rx_ok,
	    (unsigned long long)w.net.lost,
	    (unsigned long long)w.net.duplicated);
	world_free(&w);
}

static void
test_every_combination(void)
{
	static const unsigned methods[] = { PK_AUTH_MSCHAPV1, PK_AUTH_MSCHAPV2 };
	static const int bits[] = { 0, 40, 56, 128 };
	struct combo c;

	c = (struct combo){ PK_AUTH_PAP, 0, 0 };
	run_combo(&c, 0);
	run_combo(&c, 20);
	c = (struct combo){ PK_AUTH_CHAP_MD5, 0, 0 };
	run_combo(&c, 0);
	run_combo(&c, 20);
	for (size_t m = 0; m < 2; m++)
		for (size_t b = 0; b < 4; b++)
			for (int st = 0; st <= (bits[b] != 0); st++) {
				c = (struct combo){ methods[m], bits[b], st };
				run_combo(&c, 0);
				run_combo(&c, 20);
			}
}

/* Runs a pair of policies that cannot agree; both sides must end, and
 * the client's reason must contain want. */
static void
expect_refusal(const char *label, const struct pk_policy *srv,
    const struct pk_policy *cli, const char *cli_pw, const char *want)
{
	struct world w;

	test_current = label;
	world_init(&w, srv, cli, "secret", cli_pw, 0, 0);
	run(&w, w.now + 120000, 0);
	CHECK(!w.side[0].up || !w.side[1].up);
	CHECK(w.side[0].closed);
	CHECK(w.side[1].closed);
	CHECK(w.side[1].down_text[0] != '\0');
	if (strstr(w.side[1].down_text, want) == NULL) {
		fprintf(stderr, "%s: client reason \"%s\" lacks \"%s\"\n", label,
		    w.side[1].down_text, want);
		test_failures++;
	}
	fprintf(stderr, "  %-28s server: %s | client: %s\n", label,
	    w.side[0].down_text, w.side[1].down_text);
	world_free(&w);
}

static void
test_policy_refusals(void)
{
	struct pk_policy srv, cli;

	policy_default(&srv);
	policy_default(&cli);
	cli.auth = PK_AUTH_PAP;
	cli.mppe = PK_MPPE_DENY;
	expect_refusal("client only PAP", &srv, &cli, "secret",
	    "server asked for mschapv2; we allow: pap");

	policy_default(&cli);
	cli.mppe_bits = PK_MPPE_40;
	expect_refusal("bits mismatch", &srv, &cli, "secret", "MPPE");

	policy_default(&cli);
	srv.mppe_stateful = PK_STATEFUL_REQUIRE;
	cli.mppe_stateful = PK_STATEFUL_DENY;
	expect_refusal("stateful mismatch", &srv, &cli, "secret", "MPPE");

	policy_default(&srv);
	srv.auth = PK_AUTH_PAP;
	srv.mppe = PK_MPPE_ALLOW;
	policy_default(&cli);
	cli.auth = PK_AUTH_PAP | PK_AUTH_MSCHAPV2;
	expect_refusal("PAP yields no MPPE keys", &srv, &cli, "secret", "MPPE");

	policy_default(&srv);
	policy_default(&cli);
	expect_refusal("wrong password", &srv, &cli, "guess",
	    "authentication");
}

/* The server shuts down (SIGTERM in pptpkitd): the client must learn
 * why, from the LCP Terminate-Request text or the StopCCRQ, not see a
 * bare "lower layer down". Regression: its reason once read "LCP
 * terminated by peer: Link closed". */
static void
test_server_shutdown_reason(void)
{
	struct pk_policy pol;
	struct world w;
	struct side *s = &w.side[0];

	test_current = "server shutdown";
	policy_default(&pol);
	world_init(&w, &pol, &pol, "secret", "secret", 0, 0);
	run(&w, w.now + 30000, 0);
	CHECK(w.side[0].up && w.side[1].up);
	CHECK_INT(tunnel_stop(s->t, w.now, PPTP_STOP_LOCAL_SHUTDOWN,
	    "server shutting down", &s->out), PK_OK);
	drain(&w, 0);
	run(&w, w.now + 120000, 0);
	CHECK(w.side[0].closed && w.side[1].closed);
	CHECK(w.side[1].down);
	/* Whichever arrives first names it: the Terminate-Request's
	 * "server shutting down" or the StopCCRQ's "Stop-Local-Shutdown". */
	if (strstr(w.side[1].down_text, "shutting down") == NULL &&
	    strstr(w.side[1].down_text, "Local-Shutdown") == NULL) {
		fprintf(stderr, "client reason \"%s\" does not name the "
		    "shutdown\n", w.side[1].down_text);
		test_failures++;
	}
	world_free(&w);
}

int
main(void)
{
	pk_rand_use_seeded(42);
	pk_log_set_level(PK_LOG_ERR);
	RUN(test_every_combination);
	RUN(test_policy_refusals);
	RUN(test_server_shutdown_reason);
	TEST_MAIN_END();
}
